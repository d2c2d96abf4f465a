package emulator

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTestEvents(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	ev := h.obj("POST", "/fgs/functions/fn/events", map[string]any{"name": "event-xx", "content": `{"k":"v"}`}, 200)
	id := ev["id"].(string)
	require.Equal(t, "event-xx", ev["name"])
	require.Len(t, ev, 2)
	l := h.obj("GET", "/fgs/functions/fn/events", nil, 200)
	require.EqualValues(t, 1, l["count"])
	item := l["events"].([]any)[0].(map[string]any)
	require.EqualValues(t, 1795336200, item["last_modified"], "Unix seconds")
	g := h.obj("GET", "/fgs/functions/fn/events/"+id, nil, 200)
	require.Equal(t, `{"k":"v"}`, g["content"])
	h.obj("PUT", "/fgs/functions/fn/events/"+id, map[string]any{"content": "eyJrIjoidiJ9"}, 200)
	g = h.obj("GET", "/fgs/functions/fn/events/"+id, nil, 200)
	require.Equal(t, "eyJrIjoidiJ9", g["content"], "content stored verbatim")
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"bad name", map[string]any{"name": "9x", "content": "{}"}, 400, "FSS.1074"},
		{"no content", map[string]any{"name": "x"}, 400, "FSS.1074"},
		{"duplicate", map[string]any{"name": "event-xx", "content": "{}"}, 403, "FSS.1073"},
		{"too big", map[string]any{"name": "big", "content": strings.Repeat("a", 4097)}, 403, "FSS.1069"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { h.fail("POST", "/fgs/functions/fn/events", c.body, c.status, c.code) })
	}
	h.fail("GET", "/fgs/functions/fn/events/nope", nil, 404, "FSS.1070")
	h.fail("PUT", "/fgs/functions/fn/events/nope", map[string]any{"content": "{}"}, 404, "FSS.1070")
	for i := 0; i < 9; i++ {
		h.obj("POST", "/fgs/functions/fn/events", map[string]any{"name": fmt.Sprintf("e%d", i), "content": "{}"}, 200)
	}
	h.fail("POST", "/fgs/functions/fn/events", map[string]any{"name": "e10", "content": "{}"}, 403, "FSS.1068")
	h.nc("DELETE", "/fgs/functions/fn/events/"+id, nil)
	h.fail("DELETE", "/fgs/functions/fn/events/"+id, nil, 404, "FSS.1070")
}

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

func TestDependencies(t *testing.T) {
	h := newHarness(t)
	pub := h.obj("GET", "/fgs/dependencies?dependency_type=public", nil, 200)
	require.GreaterOrEqual(t, jsonNum(pub["count"]), 3)
	for _, d := range pub["dependencies"].([]any) {
		require.Equal(t, "public", d.(map[string]any)["owner"])
	}
	zip := base64.StdEncoding.EncodeToString([]byte("PK\x03\x04dep"))
	v := h.obj("POST", "/fgs/dependencies/version", map[string]any{"depend_file": zip, "depend_type": "zip", "runtime": "Python3.9", "name": "mylib", "description": "d"}, 200)
	require.EqualValues(t, 1, v["version"])
	require.EqualValues(t, 7, v["size"])
	require.Len(t, v["etag"], 32)
	depID := v["dep_id"].(string)
	v2 := h.obj("POST", "/fgs/dependencies/version", map[string]any{"depend_link": "https://b.obs.eu-de.otc.t-systems.com/x/lib.zip", "depend_type": "obs", "runtime": "Python3.9", "name": "mylib"}, 200)
	require.EqualValues(t, 2, v2["version"])
	require.Equal(t, depID, v2["dep_id"])
	require.Equal(t, "lib.zip", v2["file_name"])

	priv := h.obj("GET", "/fgs/dependencies?dependency_type=private", nil, 200)
	require.EqualValues(t, 1, priv["count"])
	vs := h.obj("GET", "/fgs/dependencies/"+depID+"/version", nil, 200)
	require.EqualValues(t, 2, vs["count"])
	vs = h.obj("GET", "/fgs/dependencies/"+depID+"/version?marker=0&max_items=1", nil, 200)
	require.Len(t, vs["dependencies"], 1)
	require.EqualValues(t, 1, vs["next_marker"])
	h.fail("GET", "/fgs/dependencies/"+depID+"/version?maxitems=-1", nil, 400, "FSS.1001")
	g := h.obj("GET", "/fgs/dependencies/"+depID+"/version/1", nil, 200)
	require.Equal(t, v["id"], g["id"])
	require.IsType(t, float64(0), g["last_modified"])
	h.fail("GET", "/fgs/dependencies/"+depID+"/version/9", nil, 404, "FSS.1056")
	h.fail("GET", "/fgs/dependencies/nope/version", nil, 404, "FSS.1056")

	cases := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"bad type", map[string]any{"depend_type": "tar", "runtime": "Python3.9", "name": "x"}, 400, "FSS.1032"},
		{"bad name", map[string]any{"depend_type": "zip", "depend_file": zip, "runtime": "Python3.9", "name": "9x"}, 400, "FSS.1024"},
		{"name ends with dot", map[string]any{"depend_type": "zip", "depend_file": zip, "runtime": "Python3.9", "name": "x."}, 400, "FSS.1024"},
		{"zip without file", map[string]any{"depend_type": "zip", "runtime": "Python3.9", "name": "x"}, 400, "FSS.1024"},
		{"obs bad link", map[string]any{"depend_type": "obs", "depend_link": "nope", "runtime": "Python3.9", "name": "x"}, 400, "FSS.1010"},
		{"bad runtime", map[string]any{"depend_type": "zip", "depend_file": zip, "runtime": "Python 3.9", "name": "x"}, 400, "FSS.1005"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { h.fail("POST", "/fgs/dependencies/version", c.body, c.status, c.code) })
	}

	// a function using version 1 blocks its deletion
	f := h.create("withdep", "depend_version_list", []string{v["id"].(string)})
	require.Len(t, f["dependencies"], 1)
	require.Equal(t, "mylib", f["dependencies"].([]any)[0].(map[string]any)["name"])
	h.fail("DELETE", "/fgs/dependencies/"+depID+"/version/1", nil, 412, "FSS.1033")
	h.nc("DELETE", "/fgs/dependencies/"+depID+"/version/2", nil)
	h.nc("DELETE", "/fgs/functions/withdep", nil)
	h.nc("DELETE", "/fgs/dependencies/"+depID+"/version/1", nil)
	h.fail("GET", "/fgs/dependencies/"+depID, nil, 404, "FSS.1056")

	// legacy dependency APIs
	d := h.obj("POST", "/fgs/dependencies", map[string]any{"depend_file": zip, "depend_type": "zip", "runtime": "Node.js8.10", "name": "legacy"}, 200)
	h.fail("POST", "/fgs/dependencies", map[string]any{"depend_file": zip, "depend_type": "zip", "runtime": "Node.js8.10", "name": "legacy"}, 409, "FSS.1065")
	lid := d["id"].(string)
	g = h.obj("GET", "/fgs/dependencies/"+lid, nil, 200)
	require.Equal(t, "legacy", g["name"])
	u := h.obj("PUT", "/fgs/dependencies/"+lid, map[string]any{"depend_link": "https://b.obs/x.zip", "depend_type": "obs", "runtime": "Node.js8.10", "name": "legacy", "description": "new"}, 200)
	require.Equal(t, "new", u["description"])
	pubID := pub["dependencies"].([]any)[0].(map[string]any)["id"].(string)
	h.fail("DELETE", "/fgs/dependencies/"+pubID, nil, 403, "FSS.0403")
	h.nc("DELETE", "/fgs/dependencies/"+lid, nil)
	h.fail("DELETE", "/fgs/dependencies/"+lid, nil, 404, "FSS.1056")
	h.fail("GET", "/fgs/dependencies?dependency_type=bogus", nil, 400, "FSS.1001")
	rt := h.obj("GET", "/fgs/dependencies?runtime=Python%203.6", nil, 200)
	require.EqualValues(t, 1, rt["count"])
}

func TestTags(t *testing.T) {
	h := newHarness(t)
	f := h.create("fn")
	h.create("fn2")
	h.nc("POST", "/functions/"+urn7("fn")+"/tags/create", map[string]any{"action": "create", "tags": []any{
		map[string]any{"key": "env", "value": "dev"}, map[string]any{"key": "team", "value": "a"}}})
	h.nc("POST", "/functions/"+urn7("fn2")+":latest/tags/create", map[string]any{"tags": []any{map[string]any{"key": "env", "value": "prod"}}})
	_ = f
	all := h.obj("GET", "/functions/tags", nil, 200)
	require.Equal(t, []any{map[string]any{"key": "env", "values": []any{"dev", "prod"}}, map[string]any{"key": "team", "values": []any{"a"}}}, all["tags"])
	require.Equal(t, []any{map[string]any{"key": "_sys_enterprise_project_id", "values": []any{"0"}}}, all["sys_tags"])

	fl := h.obj("POST", "/functions/resource-instances/filter", map[string]any{"matches": []any{map[string]any{"key": "resource_name", "value": "fn2"}}}, 200)
	require.EqualValues(t, 1, fl["total_count"])
	res := fl["resources"].([]any)[0].(map[string]any)
	require.Equal(t, "fn2", res["resource_name"])
	require.Equal(t, []any{map[string]any{"key": "env", "value": "prod"}}, res["tags"])
	require.Equal(t, "fn2", res["resource_detail"].(map[string]any)["func_name"])
	rid := res["resource_id"].(string)

	cnt := h.obj("POST", "/functions/resource-instances/count", map[string]any{"tags": []any{map[string]any{"key": "env", "values": []string{"dev"}}}}, 200)
	require.EqualValues(t, 1, cnt["total_count"])
	fl = h.obj("POST", "/functions/resource-instances/filter", map[string]any{"limit": 1, "offset": "1"}, 200)
	require.EqualValues(t, 2, fl["total_count"])
	require.Len(t, fl["resources"], 1)
	h.fail("POST", "/functions/resource-instances/list", map[string]any{}, 400, "FSS.0400")
	h.fail("POST", "/functions/resource-instances/filter", map[string]any{"limit": "x"}, 400, "FSS.0400")

	// by internal id; overwrite a value
	h.nc("POST", "/functions/"+rid+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "env", "value": "stage"}}})
	h.nc("DELETE", "/functions/"+urn7("fn")+"/tags/delete", map[string]any{"action": "delete", "tags": []any{map[string]any{"key": "team", "value": "a"}}})
	all = h.obj("GET", "/functions/tags", nil, 200)
	require.Equal(t, []any{map[string]any{"key": "env", "values": []any{"dev", "stage"}}}, all["tags"])

	h.fail("POST", "/functions/"+urn7("fn")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "", "value": "x"}}}, 400, "FSS.0400")
	h.fail("POST", "/functions/"+urn7("fn")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "k", "value": strings.Repeat("v", 44)}}}, 400, "FSS.0400")
	h.fail("POST", "/functions/"+urn7("fn")+"/tags/create", map[string]any{"tags": []any{}}, 400, "FSS.0400")
	h.fail("POST", "/functions/"+urn7("nope")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "k", "value": "v"}}}, 404, "FSS.1051")
	many := []any{}
	for i := 0; i < 21; i++ {
		many = append(many, map[string]any{"key": fmt.Sprintf("k%d", i), "value": "v"})
	}
	h.fail("POST", "/functions/"+urn7("fn")+"/tags/create", map[string]any{"tags": many}, 400, "FSS.0400")
}

func TestLiteralRoutesBeforeURN(t *testing.T) {
	h := newHarness(t)
	h.create("statistics") // a function literally named like a literal route
	m := h.obj("GET", "/fgs/functions/statistics?filter=monitor_data", nil, 200)
	require.Contains(t, m, "statistics")
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
