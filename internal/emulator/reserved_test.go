package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReservedInstances(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.create("fn2")
	h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v1"}, 200)
	h.obj("POST", "/fgs/functions/fn/aliases", map[string]any{"name": "prod", "version": "v1"}, 200)
	tc := map[string]any{"cron_configs": []any{map[string]any{"name": "cronConfig", "cron": "0 1 * * * *", "count": 15, "start_time": 1658073600, "expired_time": 1658160000}},
		"metric_configs": []any{map[string]any{"name": "metricConfig", "type": "Concurrency", "threshold": 90, "min": 12}}}
	r := h.obj("PUT", "/fgs/functions/"+urn7("fn")+":latest/reservedinstances", map[string]any{"count": 3, "idle_mode": false, "tactics_config": tc}, 200)
	require.EqualValues(t, 3, r["count"])
	require.Equal(t, false, r["idle_mode"])
	h.obj("PUT", "/fgs/functions/"+urn7("fn")+":!prod/reservedinstances", map[string]any{"count": 1, "idle_mode": true}, 200)
	h.obj("PUT", "/fgs/functions/fn2/reservedinstances", map[string]any{"count": 2}, 200)
	h.fail("PUT", "/fgs/functions/fn/reservedinstances", map[string]any{}, 400, "FSS.0400")
	h.fail("PUT", "/fgs/functions/fn/reservedinstances", map[string]any{"count": -1}, 400, "FSS.0400")
	h.fail("PUT", "/fgs/functions/"+urn7("fn")+":v7/reservedinstances", map[string]any{"count": 1}, 404, "FSS.1052")
	h.fail("PUT", "/fgs/functions/fn/reservedinstances", map[string]any{"count": 1, "tactics_config": map[string]any{"cron_configs": []any{map[string]any{"cron": "bad"}}}}, 400, "FSS.0400")

	cfgs := h.obj("GET", "/fgs/functions/reservedinstanceconfigs?function_urn="+urn7("fn"), nil, 200)
	require.EqualValues(t, 2, cfgs["count"])
	items := cfgs["reserved_instances"].([]any)
	first := items[0].(map[string]any)
	require.Equal(t, urn7("fn")+":latest", first["function_urn"])
	require.Equal(t, "version", first["qualifier_type"])
	require.Equal(t, "latest", first["qualifier_name"])
	require.EqualValues(t, 3, first["min_count"])
	require.Len(t, first["tactics_config"].(map[string]any)["cron_configs"], 1)
	second := items[1].(map[string]any)
	require.Equal(t, "alias", second["qualifier_type"])
	require.Equal(t, "prod", second["qualifier_name"])
	require.Contains(t, cfgs, "page_info")
	viaURN := h.obj("GET", "/fgs/functions/reservedinstanceconfigs?urn=fn2", nil, 200)
	require.EqualValues(t, 1, viaURN["count"], "the SDK's urn parameter filters too")

	all := h.obj("GET", "/fgs/functions/reservedinstances", nil, 200)
	require.EqualValues(t, 3, all["count"])
	require.Len(t, all["reservedinstances"], 3)
	one := h.obj("GET", "/fgs/functions/reservedinstances?urn=fn2&limit=1", nil, 200)
	require.EqualValues(t, 1, one["count"])
	require.EqualValues(t, 2, one["reservedinstances"].([]any)[0].(map[string]any)["count"])
	h.fail("GET", "/fgs/functions/reservedinstances?limit=-1", nil, 400, "FSS.1001")

	h.obj("PUT", "/fgs/functions/fn2/reservedinstances", map[string]any{"count": 0}, 200)
	all = h.obj("GET", "/fgs/functions/reservedinstances", nil, 200)
	require.EqualValues(t, 2, all["count"])
}
