package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLiteralRoutesBeforeURN(t *testing.T) {
	h := newHarness(t)
	h.create("statistics") // a function literally named like a literal route
	m := h.obj("GET", "/fgs/functions/statistics?filter=monitor_data", nil, 200)
	require.Contains(t, m, "monitor_data")
	h.fail("GET", "/fgs/functions/statistics", nil, 400, "FSS.1001")
	h.obj("POST", "/fgs/functions/enable-lts-logs", nil, 200)
	h.fail("POST", "/fgs/functions/import", map[string]any{"func_name": "x"}, 501, "FSS.0501") // import is outside the emulated surface
	h.obj("GET", "/fgs/functions/reservedinstanceconfigs", nil, 200)
	h.obj("GET", "/fgs/functions/reservedinstances", nil, 200)
	// the function is still reachable through a longer URN form
	h.obj("GET", "/fgs/functions/default:statistics/config", nil, 200)
	h.fail("GET", "/fgs/nothing", nil, 404, "FSS.0404")
	h.fail("PATCH", "/fgs/functions", nil, 405, "FSS.0405")
	rec := h.raw("GET", "/v3/nothing", nil, nil)
	require.Equal(t, 404, rec.Code)
	require.Contains(t, rec.Body.String(), `"title":"Not Found"`)
}
