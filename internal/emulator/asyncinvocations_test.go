package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAsyncInvocationRecords(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	m := h.obj("GET", "/fgs/functions/fn/async-invocations?limit=10&status=SUCCESS&query_begin_time=2026-11-22T07:00:00", nil, 200)
	require.Equal(t, []any{}, m["invocations"])
	require.EqualValues(t, 0, m["count"])
	h.fail("GET", "/fgs/functions/fn/async-invocations?status=DONE", nil, 400, "FSS.1001")
	h.fail("GET", "/fgs/functions/fn/async-invocations?query_end_time=yesterday", nil, 400, "FSS.1001")
	h.fail("GET", "/fgs/functions/fn/async-invocations?limit=501", nil, 400, "FSS.1001")
	h.fail("GET", "/fgs/functions/nope/async-invocations", nil, 404, "FSS.0404")
	h.fail("POST", "/fgs/functions/fn/cancel", map[string]any{"request_id": "403b4a41-e8c0-4a1a-9d2b-3d6b1f2b5f11", "type": "force"}, 400, "FSS.0400")
	h.fail("POST", "/fgs/functions/fn/cancel", map[string]any{"request_id": "x", "type": "kill"}, 400, "FSS.0400")
	h.fail("POST", "/fgs/functions/nope/cancel", map[string]any{"request_id": "x"}, 404, "FSS.0404")
}
