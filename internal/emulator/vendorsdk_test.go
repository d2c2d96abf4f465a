package emulator

// Regression tests for the places where the emulator followed the API reference and the
// vendor's SDKs (OTC's Go SDK and its acceptance tests, the otcextensions Python SDK) show
// what the live service does instead. Each test quotes the request or answer it guards;
// CONTRADICTIONS.md #15, #48 and #50-#61 give the evidence.

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireTypesWherePresent checks that every key of shape that our answer carries has the
// JSON type a vendor SDK decodes it into ("string", "number", "bool", "object", "array";
// a nested object or a one-element array describes the members). A missing key or a null
// decodes to the zero value, so it passes: this is the test that the SDK's decoder does
// not fail on our answer.
func requireTypesWherePresent(t *testing.T, path string, shape, got any) {
	t.Helper()
	if got == nil {
		return
	}
	switch s := shape.(type) {
	case string:
		require.Equal(t, s, kind(got), "type of %s", path)
	case map[string]any:
		require.Equal(t, "object", kind(got), "type of %s", path)
		g := got.(map[string]any)
		for k, sv := range s {
			if gv, ok := g[k]; ok {
				requireTypesWherePresent(t, path+"."+k, sv, gv)
			}
		}
	case []any:
		require.Equal(t, "array", kind(got), "type of %s", path)
		for _, gv := range got.([]any) {
			requireTypesWherePresent(t, path+"[]", s[0], gv)
		}
	default:
		t.Fatalf("bad shape at %s", path)
	}
}

// The field types of OTC's Go SDK (openstack/fgs/v2/function Create.go FuncGraph and
// Dependency, GetCode.go FuncGraphCode), which every function-shaped answer must decode into.
var (
	sdkDependencyInFunction = map[string]any{"id": "string", "owner": "string", "link": "string", "runtime": "string",
		"etag": "string", "size": "number", "name": "string", "description": "string", "file_name": "string",
		"version": "number", "dep_id": "string", "last_modified": "string"}
	sdkFunction = map[string]any{
		"func_id": "string", "func_urn": "string", "func_name": "string", "domain_id": "string", "namespace": "string",
		"project_name": "string", "package": "string", "runtime": "string", "timeout": "number", "handler": "string",
		"memory_size": "number", "gpu_memory": "number", "cpu": "number", "code_type": "string", "code_url": "string",
		"code_filename": "string", "code_size": "number", "domain_names": "string", "user_data": "string",
		"encrypted_user_data": "string", "digest": "string", "version": "string", "image_name": "string",
		"xrole": "string", "app_xrole": "string", "description": "string", "last_modified": "string",
		"func_vpc": "object", "mount_config": "object", "reserved_instance_count": "number",
		"depend_version_list": []any{"string"}, "strategy_config": map[string]any{"concurrency": "number", "concurrent_num": "number"},
		"extend_config": "string", "dependencies": []any{sdkDependencyInFunction}, "initializer_handler": "string",
		"initializer_timeout": "number", "pre_stop_handler": "string", "pre_stop_timeout": "string", "long_time": "bool",
		"log_group_id": "string", "log_stream_id": "string", "type": "string", "enable_dynamic_memory": "bool",
		"is_stateful_function": "bool", "custom_image": "object", "is_bridge_function": "bool", "apig_route_enable": "bool",
		"heartbeat_handler": "string", "enable_class_isolation": "bool", "gpu_type": "string",
		"allow_ephemeral_storage": "bool", "ephemeral_storage": "number", "network_controller": "object",
		"resource_id": "string", "enable_auth_in_header": "bool", "reserved_instance_idle_mode": "bool",
	}
	sdkFunctionCode = map[string]any{"func_urn": "string", "func_name": "string", "domain_id": "string", "runtime": "string",
		"code_type": "string", "code_url": "string", "code_filename": "string", "code_size": "number", "digest": "string",
		"last_modified": "string", "func_code": map[string]any{"file": "string", "link": "string"},
		"depend_version_list": []any{"string"}, "strategy_config": "object", "dependencies": []any{sdkDependencyInFunction}}
	// dependency_version Create.go DepVersionResp; the Python SDK's ListDependenciesResult agrees.
	sdkDependency = map[string]any{"id": "string", "owner": "string", "link": "string", "runtime": "string", "etag": "string",
		"size": "number", "name": "string", "description": "string", "file_name": "string", "version": "number",
		"dep_id": "string", "last_modified": "number", "download_link": "string", "is_shared": "bool"}
)

// Point 1: the vendor's acceptance tests create functions from a package URL with
// code_type zip and no code_filename, which the live service accepts.
func TestZipCodeByURLWithoutFilename(t *testing.T) {
	h := newHarness(t)
	// acceptance/openstack/fgs/v2/functiongraph_test.go createFunctionGraph, in our values
	body := map[string]any{"func_name": "from-url", "package": "default", "runtime": "Python3.9", "timeout": 200,
		"handler": "index.py", "memory_size": 512, "code_type": "zip", "code_url": "https://bucket.obs.example.com/code/index.py"}
	m := h.obj("POST", "/fgs/functions", body, 200)
	require.Equal(t, "zip", m["code_type"])
	require.Equal(t, body["code_url"], m["code_url"])
	require.Equal(t, "index.py", m["code_filename"], "the URL's last path segment")
	requireTypesWherePresent(t, "create", sdkFunction, m)

	code := h.obj("GET", "/fgs/functions/from-url/code", nil, 200)
	require.Equal(t, m["code_url"], code["code_url"], "GET code reports the URL the create answered")
	require.Equal(t, "", code["func_code"].(map[string]any)["file"], "no file for a package named by URL")

	// A code_filename sent with the URL is kept.
	named := h.obj("POST", "/fgs/functions", fnBody("named", "code_type", "zip", "code_url", "https://bucket.obs.example.com/pkg.zip",
		"code_filename", "main.zip"), 200)
	require.Equal(t, "main.zip", named["code_filename"])
	// PUT /code accepts the same form, and answers without a file.
	put := h.obj("PUT", "/fgs/functions/from-url/code", map[string]any{"code_type": "zip", "code_url": "https://bucket.obs.example.com/v2.zip"}, 200)
	require.Equal(t, "v2.zip", put["code_filename"])
	require.Equal(t, "", put["func_code"].(map[string]any)["file"])
	requireTypesWherePresent(t, "put code", sdkFunctionCode, put)

	// Neither a file nor a URL, or a URL that is not one, is still refused.
	h.fail("POST", "/fgs/functions", fnBody("nothing", "code_type", "zip"), 400, "FSS.1012")
	h.fail("POST", "/fgs/functions", fnBody("badurl", "code_type", "zip", "code_url", "ftp://x/y.zip"), 400, "FSS.1010")
	h.fail("POST", "/fgs/functions", fnBody("jar", "code_type", "jar", "func_code", map[string]any{"file": "UEsDBA=="}), 400, "FSS.1012")
}

// Point 2: GET /fgs/dependencies entries carry the keys of the §5.3.1 example
// ({"id","owner","link","runtime","etag","size","name"}) with the types both SDKs read:
// last_modified and version are numbers in this list (Go DepVersionResp, Python
// ListDependenciesResult); the string last_modified of the Go SDK belongs to the
// dependencies of a function, not to this list.
func TestDependencyListEntries(t *testing.T) {
	h := newHarness(t)
	h.obj("POST", "/fgs/dependencies/version", map[string]any{"name": "mydep", "runtime": "Python3.10", "depend_type": "obs",
		"depend_link": "https://bucket.obs.example.com/dep.zip"}, 200)
	list := h.obj("GET", "/fgs/dependencies?dependency_type=private", nil, 200)
	requireTypesWherePresent(t, "list", map[string]any{"dependencies": []any{sdkDependency}, "next_marker": "number", "count": "number"}, list)
	entries := list["dependencies"].([]any)
	require.Len(t, entries, 1)
	e := entries[0].(map[string]any)
	for _, k := range []string{"id", "owner", "link", "runtime", "etag", "size", "name", "version", "last_modified"} {
		require.Contains(t, e, k)
	}
	require.Equal(t, "number", kind(e["last_modified"]))
	// The Python SDK's functional test reads version 1 of a first dependency version.
	require.EqualValues(t, 1, e["version"])
}

// Point 3: GET /fgs/functions/statistics?filter=monitor_data answers the series under
// "monitor_data", which OTC's Go (util.ListStatsResponse) and Python (Metric) SDKs read;
// GET .../{func_urn}/statistics/{period} (§5.8.3) answers them at the top level.
func TestStatisticsShapes(t *testing.T) {
	h := newHarness(t)
	m := h.obj("GET", "/fgs/functions/statistics?filter=monitor_data", nil, 200)
	require.NotContains(t, m, "statistics")
	md := m["monitor_data"].(map[string]any)
	for _, k := range []string{"count", "duration", "fail_count", "max_duration", "min_duration", "reject_count",
		"function_error_count", "system_error_count", "reserved_instance_num", "concurrency_num"} {
		require.Equal(t, []any{}, md[k], k)
	}
	monthly := h.obj("GET", "/fgs/functions/statistics?filter=monthly_report", nil, 200)
	requireShape(t, "", map[string]any{"count": []any{}, "gbs": []any{}, "gpu_gbs": []any{}}, monthly, nil)

	h.create("fn")
	// periods as the SDKs send them: an RFC 3339 time (Go acceptance test), "start,end" (Python)
	for _, period := range []string{"2026-11-22T08:25:00Z", "1795336200.5,1795332600.5"} {
		s := h.obj("GET", "/fgs/functions/"+urn7("fn")+"/statistics/"+url.PathEscape(period), nil, 200)
		require.Equal(t, []any{}, s["count"], period)
		require.Equal(t, []any{}, s["duration"], period)
	}
	h.fail("GET", "/fgs/functions/"+urn7("nope")+"/statistics/5", nil, 404, "FSS.1051")
}

// Point 4: keystoneauth probes the auth URL for the Keystone version document before it
// asks for a token. GET /v3 and /v3/ answer 200 {"version": {...}}, GET / answers
// 300 {"versions": {"values": [...]}}, without credentials.
func TestKeystoneVersionDiscovery(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/v3", "/v3/"} {
		rec := h.raw("GET", p, nil, nil)
		require.Equal(t, 200, rec.Code, p)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
		v := doc["version"].(map[string]any)
		require.Equal(t, "v3.6", v["id"])
		require.Equal(t, "stable", v["status"])
		links := v["links"].([]any)
		require.Equal(t, "self", links[0].(map[string]any)["rel"])
		require.Regexp(t, `^http://[^/]+/v3/$`, links[0].(map[string]any)["href"])
		require.Equal(t, "application/vnd.openstack.identity-v3+json", v["media-types"].([]any)[0].(map[string]any)["type"])
	}
	rec := h.raw("GET", "/", nil, nil)
	require.Equal(t, 300, rec.Code)
	var root map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &root))
	require.Equal(t, "v3.6", root["versions"].(map[string]any)["values"].([]any)[0].(map[string]any)["id"])
	// other IAM paths are unchanged
	require.Equal(t, 404, h.raw("GET", "/v3/nothing", nil, nil).Code)
}

// Point 5: today's runtimes are accepted by their wire spellings; display names are not.
func TestCurrentRuntimes(t *testing.T) {
	h := newHarness(t)
	current := []string{"Node.js16.17", "Node.js18.15", "Node.js20.15", "Python3.10", "Python3.12", "Java17", "Java21",
		"C#(.NET Core 6.0)", "C#(.NET Core 8.0)", "PHP8.3", "Cangjie1.0", "Custom Image",
		// and the 2023 reference's
		"Java8", "Java11", "Node.js6.10", "Node.js8.10", "Node.js10.16", "Node.js12.13", "Node.js14.18", "Python2.7",
		"Python3.6", "Python3.9", "Go1.8", "Go1.x", "C#(.NET Core 2.0)", "C#(.NET Core 2.1)", "C#(.NET Core 3.1)",
		"Custom", "PHP7.3", "http"}
	for i, rt := range current {
		name := "rt" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		m := h.obj("POST", "/fgs/functions", fnBody(name, "runtime", rt, "handler", "index.handler"), 200)
		require.Equal(t, rt, m["runtime"])
	}
	for _, rt := range []string{"Python 3.12", "Node.js 18.15", "Java 17", "python3.12", "Rust1.0"} {
		h.fail("POST", "/fgs/functions", fnBody("bad", "runtime", rt), 400, "FSS.1005")
	}
}

// Point 6, metadata: the SDKs' PUT /config bodies. Python (otcextensions functional
// test_function.py) sends no func_name; OTC's Go acceptance test changes the runtime
// and sends "package": "".
func TestPutConfigAsTheSDKsSendIt(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	u := "/fgs/functions/" + urn7("fn") + "/config"
	py := map[string]any{"memory_size": 768, "handler": "index.handler", "runtime": "Python3.9", "timeout": 40,
		"mount_config": map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": -1}}}
	m := h.obj("PUT", u, py, 200)
	require.EqualValues(t, 768, m["memory_size"])
	require.Equal(t, "fn", m["func_name"])

	goBody := map[string]any{"func_name": "fn", "runtime": "Python3.6", "timeout": 10, "handler": "index.py", "memory_size": 128, "package": ""}
	m = h.obj("PUT", u, goBody, 200)
	require.Equal(t, "Python3.6", m["runtime"], "the runtime change is applied")
	requireTypesWherePresent(t, "put config", sdkFunction, m)
	require.Equal(t, "Python3.6", h.obj("GET", u, nil, 200)["runtime"])
	// a func_name that is not the function's is still refused
	h.fail("PUT", u, cfgBody("other"), 400, "FSS.1002")

	// UpdateMaxInstances: {"max_instance_num": 200} → strategy_config.concurrency 200
	mi := h.obj("PUT", "/fgs/functions/"+urn7("fn")+"/config-max-instance", map[string]any{"max_instance_num": 200}, 200)
	require.EqualValues(t, 200, mi["strategy_config"].(map[string]any)["concurrency"])
}

// Point 6, lists: OTC's Go SDK pages the function list with "max_items", not "maxitems".
func TestListFunctionsMaxItems(t *testing.T) {
	h := newHarness(t)
	h.create("a")
	h.create("b")
	m := h.obj("GET", "/fgs/functions?max_items=1", nil, 200)
	require.Len(t, m["functions"], 1)
	require.EqualValues(t, 1, m["next_marker"])
	requireTypesWherePresent(t, "list", map[string]any{"functions": []any{sdkFunction}, "next_marker": "number", "count": "number"}, m)
	h.fail("GET", "/fgs/functions?max_items=-1", nil, 400, "FSS.1001")
}

// Point 6, bodies with explicit nulls: the Go SDK sends "sys_tags": null with tags and
// "idle_mode": null, "tactics_config": null with reserved instances.
func TestGoSDKNullFields(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	tags := map[string]any{"action": "create", "tags": []any{map[string]any{"key": "test", "value": "test-2"}}, "sys_tags": nil}
	h.nc("POST", "/functions/"+urn7("fn")+"/tags/create", tags)
	tags["action"] = "delete"
	h.nc("DELETE", "/functions/"+urn7("fn")+"/tags/delete", tags)

	r := h.obj("PUT", "/fgs/functions/"+urn7("fn")+"/reservedinstances", map[string]any{"count": 1, "idle_mode": nil, "tactics_config": nil}, 200)
	require.EqualValues(t, 1, r["count"])
	requireTypesWherePresent(t, "reserved", map[string]any{"tactics_config": "object", "idle_mode": "bool", "count": "number"}, r)
}

// Point 6, answers: every answer the Go SDK decodes has the field types it declares.
func TestAnswersDecodeAsTheGoSDKReads(t *testing.T) {
	h := newHarness(t)
	h.obj("POST", "/fgs/dependencies/version", map[string]any{"name": "d", "runtime": "Python3.9", "depend_type": "obs",
		"depend_link": "https://bucket.obs.example.com/d.zip"}, 200)
	dep := h.obj("GET", "/fgs/dependencies?dependency_type=private", nil, 200)["dependencies"].([]any)[0].(map[string]any)
	depVer := h.obj("GET", "/fgs/dependencies/"+dep["id"].(string)+"/version/1", nil, 200)
	requireTypesWherePresent(t, "dependency version", sdkDependency, depVer)

	h.create("fn", "depend_version_list", []any{depVer["id"]})
	f := urn7("fn")
	requireTypesWherePresent(t, "config", sdkFunction, h.obj("GET", "/fgs/functions/"+f+"/config", nil, 200))
	requireTypesWherePresent(t, "code", sdkFunctionCode, h.obj("GET", "/fgs/functions/"+f+"/code", nil, 200))
	pub := h.obj("POST", "/fgs/functions/"+f+"/versions", map[string]any{"version": "v1"}, 200)
	requireTypesWherePresent(t, "publish", sdkFunction, pub)
	requireTypesWherePresent(t, "versions", map[string]any{"versions": []any{sdkFunction}, "next_marker": "number", "count": "number"},
		h.obj("GET", "/fgs/functions/"+f+"/versions", nil, 200))

	alias := map[string]any{"name": "string", "version": "string", "description": "string", "last_modified": "string",
		"alias_urn": "string", "additional_version_weights": "object"}
	requireTypesWherePresent(t, "alias", alias, h.obj("POST", "/fgs/functions/"+f+"/aliases", map[string]any{"name": "live", "version": "v1"}, 200))
	requireTypesWherePresent(t, "aliases", []any{alias}, h.arr("GET", "/fgs/functions/"+f+"/aliases", 200))

	ev := h.obj("POST", "/fgs/functions/"+f+"/events", map[string]any{"name": "e1", "content": "e30="}, 200)
	requireTypesWherePresent(t, "event", map[string]any{"id": "string", "name": "string"}, ev)
	event := map[string]any{"id": "string", "content": "string", "last_modified": "number", "name": "string"}
	requireTypesWherePresent(t, "events", map[string]any{"events": []any{event}, "next_marker": "number", "count": "number"},
		h.obj("GET", "/fgs/functions/"+f+"/events", nil, 200))
	requireTypesWherePresent(t, "event get", event, h.obj("GET", "/fgs/functions/"+f+"/events/"+ev["id"].(string), nil, 200))

	async := h.obj("PUT", "/fgs/functions/"+f+"/async-invoke-config", map[string]any{"max_async_event_age_in_seconds": 60, "max_async_retry_attempts": 1}, 200)
	requireTypesWherePresent(t, "async", map[string]any{"func_urn": "string", "max_async_event_age_in_seconds": "number",
		"max_async_retry_attempts": "number", "destination_config": "object", "created_time": "string", "last_modified": "string",
		"enable_async_status_log": "bool"}, async)

	trigger := map[string]any{"trigger_id": "string", "trigger_type_code": "string", "trigger_status": "string",
		"event_data": "object", "last_updated_time": "string", "created_time": "string"}
	requireTypesWherePresent(t, "trigger", trigger, h.obj("POST", "/fgs/triggers/"+f, map[string]any{"trigger_type_code": "TIMER",
		"trigger_status": "ACTIVE", "event_data": map[string]any{"name": "t", "schedule": "3m", "schedule_type": "Rate"}}, 201))
	requireTypesWherePresent(t, "triggers", []any{trigger}, h.arr("GET", "/fgs/triggers/"+f, 200))

	q := h.obj("GET", "/fgs/quotas", nil, 200)
	requireTypesWherePresent(t, "quotas", map[string]any{"quotas": map[string]any{"resources": []any{
		map[string]any{"quota": "number", "used": "number", "type": "string", "unit": "string"}}}}, q)

	h.obj("PUT", "/fgs/functions/"+f+"/reservedinstances", map[string]any{"count": 1}, 200)
	pageInfo := map[string]any{"next_marker": "number", "previous_marker": "number", "current_count": "number"}
	requireTypesWherePresent(t, "reserved configs", map[string]any{"reserved_instances": []any{map[string]any{"func_urn": "string",
		"qualifier_type": "string", "qualifier_name": "string", "min_count": "number", "idle_mode": "bool",
		"tactics_config": "object", "count": "number"}}, "page_info": pageInfo, "count": "number"},
		h.obj("GET", "/fgs/functions/reservedinstanceconfigs", nil, 200))
}
