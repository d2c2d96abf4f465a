package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTracing(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.fail("GET", "/fgs/functions/fn/tracing", nil, 404, "FSS.0404")
	h.obj("PUT", "/fgs/functions/fn/tracing", map[string]any{"tracing_ak": "xxx", "tracing_sk": "yyy"}, 200)
	g := h.obj("GET", "/fgs/functions/fn/tracing", nil, 200)
	require.Equal(t, "xxx", g["tracing_ak"])
	require.Equal(t, "*****", g["tracing_sk"], "the SK is masked")
	h.fail("PUT", "/fgs/functions/nope/tracing", map[string]any{"tracing_ak": "a", "tracing_sk": "b"}, 400, "FSS.1128")
	h.fail("PUT", "/fgs/functions/fn/tracing", map[string]any{"tracing_ak": "a"}, 400, "FSS.0400")
	h.obj("PUT", "/fgs/functions/fn/tracing", map[string]any{"tracing_ak": "", "tracing_sk": ""}, 200)
	h.fail("GET", "/fgs/functions/fn/tracing", nil, 404, "FSS.0404")
}
