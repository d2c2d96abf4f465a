package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAsyncInvokeConfig(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v1"}, 200)
	h.fail("GET", "/fgs/functions/fn/async-invoke-config", nil, 404, "FSS.0404")
	h.fail("DELETE", "/fgs/functions/fn/async-invoke-config", nil, 404, "FSS.0404")
	dest := map[string]any{"on_success": map[string]any{"destination": "FunctionGraph", "param": `{"func_urn":"` + urn7("other") + `:latest"}`},
		"on_failure": map[string]any{"destination": "OBS", "param": `{"bucket":"b","prefix":"p","expires":0}`}}
	m := h.obj("PUT", "/fgs/functions/fn/async-invoke-config", map[string]any{"max_async_event_age_in_seconds": 10, "max_async_retry_attempts": 3,
		"destination_config": dest, "enable_async_status_log": true}, 200)
	require.Equal(t, urn7("fn")+":latest", m["func_urn"])
	require.EqualValues(t, 10, m["max_async_event_age_in_seconds"])
	require.Equal(t, "2026-11-22T08:30:00+00:00", m["created_time"])
	require.Equal(t, "2026-11-22 08:30:00", m["last_modified"])
	require.Equal(t, "FunctionGraph", m["destination_config"].(map[string]any)["on_success"].(map[string]any)["destination"])
	d := h.obj("PUT", "/fgs/functions/"+urn7("fn")+":v1/async-invoke-config", map[string]any{}, 200)
	require.EqualValues(t, 3600, d["max_async_event_age_in_seconds"])
	require.EqualValues(t, 1, d["max_async_retry_attempts"])
	g := h.obj("GET", "/fgs/functions/"+urn7("fn")+":v1/async-invoke-config", nil, 200)
	require.Equal(t, urn7("fn")+":v1", g["func_urn"])
	cases := []struct {
		name string
		body map[string]any
	}{
		{"age 0", map[string]any{"max_async_event_age_in_seconds": 0}},
		{"age 86401", map[string]any{"max_async_event_age_in_seconds": 86401}},
		{"retries 4", map[string]any{"max_async_retry_attempts": 4}},
		{"retries -1", map[string]any{"max_async_retry_attempts": -1}},
		{"destination", map[string]any{"destination_config": map[string]any{"on_success": map[string]any{"destination": "KAFKA", "param": "{}"}}}},
		{"param not json", map[string]any{"destination_config": map[string]any{"on_failure": map[string]any{"destination": "SMN", "param": "topic"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { h.fail("PUT", "/fgs/functions/fn/async-invoke-config", c.body, 400, "FSS.0400") })
	}
	l := h.obj("GET", "/fgs/functions/fn/async-invoke-configs", nil, 200)
	require.EqualValues(t, 2, l["count"])
	require.Len(t, l["async_invoke_configs"], 2)
	require.EqualValues(t, 2, l["page_info"].(map[string]any)["current_count"])
	l = h.obj("GET", "/fgs/functions/fn/async-invoke-configs?limit=1&marker=1", nil, 200)
	require.Len(t, l["async_invoke_configs"], 1)
	require.EqualValues(t, 2, l["page_info"].(map[string]any)["next_marker"])
	h.fail("GET", "/fgs/functions/fn/async-invoke-configs?limit=-1", nil, 400, "FSS.1001")
	h.nc("DELETE", "/fgs/functions/fn/async-invoke-config", nil)
	h.fail("GET", "/fgs/functions/fn/async-invoke-config", nil, 404, "FSS.0404")
}
