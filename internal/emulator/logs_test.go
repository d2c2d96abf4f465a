package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLTSLogDetail(t *testing.T) {
	h := newHarness(t)
	h.create("fn", "log_config", map[string]any{"group_name": "g", "group_id": "gid", "stream_name": "s", "stream_id": "sid"})
	h.create("plain")
	m := h.obj("GET", "/fgs/functions/fn/lts-log-detail", nil, 200)
	require.Equal(t, map[string]any{"group_name": "g", "group_id": "gid", "stream_name": "s", "stream_id": "sid"}, m)
	m = h.obj("GET", "/fgs/functions/plain/lts-log-detail", nil, 200)
	require.Equal(t, "", m["group_id"])
	h.fail("GET", "/fgs/functions/nope/lts-log-detail", nil, 404, "FSS.1051")
}
