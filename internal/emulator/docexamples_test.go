package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Request bodies of the API reference's examples (chapters 4 and 5, with their JSON syntax
// repaired where the reference's is broken) and the kinds of answers it documents.
func TestReferenceExamples(t *testing.T) {
	h := newHarness(t)

	// ch. 4, create a function from OBS (§4.3) → 200 with the code URL echoed.
	m := h.obj("POST", "/fgs/functions", `{
    "code_type": "obs",
    "code_url": "https://test.obs.xxx.xxx.com/fss_examples_python2.7.zip",
    "func_name": "create_function_from_obs",
"handler": "index.handler",
"memory_size": 256,
"package": "default",
"runtime": "Python2.7",
"timeout": 30
}`, 200)
	require.Equal(t, "fss_examples_python2.7.zip", m["code_filename"])
	require.EqualValues(t, 400, m["cpu"])
	require.Equal(t, urn7("create_function_from_obs")+":latest", m["func_urn"])

	// ch. 4 "download_file_from_obs" flow: create, then PUT config with user_data and xrole (§4.1).
	h.create("download_file_from_obs", "runtime", "Python2.7", "memory_size", 256, "code_filename", "index.zip")
	m = h.obj("PUT", "/fgs/functions/"+urn7("download_file_from_obs")+":latest/config", `{
  "func_name": "download_file_from_obs",
  "handler": "index.handler",
  "memory_size": 256,
  "runtime": "Python2.7",
  "timeout": 30,
  "user_data": "{\"obs_address\":\"obs.xxx.xxx.com\",\"srcBucket\":\"xxx\",\"srcObjName\":\"xxx\"}",
  "xrole": "xxx"
}`, 200)
	require.Equal(t, "xxx", m["xrole"])
	require.Contains(t, m["user_data"], "srcBucket")

	// 5.6.7 examples (§5.6.7).
	h.create("fgsSdkTest-20220831080525", "runtime", "Node.js6.10", "handler", "index.handler")
	m = h.obj("PUT", "/fgs/functions/fgsSdkTest-20220831080525/config", `{
    "func_name" : "fgsSdkTest-20220831080525",
    "handler" : "index.handler",
    "memory_size" : 768,
    "runtime" : "Node.js6.10",
    "timeout" : 40
}`, 200)
	require.EqualValues(t, 800, m["cpu"])
	h.create("test_GPU", "runtime", "Custom", "handler", "bootstrap")
	m = h.obj("PUT", "/fgs/functions/test_GPU/config", `{
    "func_name" : "test_GPU",
    "handler" : "bootstrap",
    "memory_size" : 4096,
    "runtime" : "Custom",
    "timeout" : 40,
    "gpu_memory" : 1024
}`, 200)
	require.EqualValues(t, 1024, m["gpu_memory"])

	// 5.6.8 (§5.6.8): max instances.
	m = h.obj("PUT", "/fgs/functions/test_GPU/config-max-instance", `{"max_instance_num" : 3}`, 200)
	require.EqualValues(t, 3, m["strategy_config"].(map[string]any)["concurrency"])

	// 5.4.2 and 5.4.5 (§5.4.2, §5.4.5): test events.
	ev := h.obj("POST", "/fgs/functions/test_GPU/events", `{
    "name" : "event-xx",
    "content" : "{\"k\":\"v\"}"
}`, 200)
	h.obj("PUT", "/fgs/functions/test_GPU/events/"+ev["id"].(string), `{
  "content" : "{\"k\":\"v\"}"
}`, 200)

	// 5.5.2 (§5.5.2): tracing.
	h.obj("PUT", "/fgs/functions/test_GPU/tracing", `{
    "tracing_ak" : "xxx",
    "tracing_sk" : "yyy"
}`, 200)

	// 5.7.7 + 5.7.2 (§5.7.2): alias of v1; 5.7.5 (§5.7.5): weights.
	h.obj("POST", "/fgs/functions/test_GPU/versions", `{"version":"v1"}`, 200)
	a := h.obj("POST", "/fgs/functions/test_GPU/aliases", `{
  "name" : "a1",
  "version" : "v1"
}`, 200)
	require.Equal(t, "v1", a["version"])
	a = h.obj("PUT", "/fgs/functions/test_GPU/aliases/a1", `{
  "version" : "latest",
  "description" : "",
  "additional_version_weights" : {
    "v1" : 50
  }
}`, 200)
	require.EqualValues(t, 50, a["additional_version_weights"].(map[string]any)["v1"])

	// 5.12.3 TIMER (JSON syntax repaired) → 201.
	tm := h.obj("POST", "/fgs/triggers/test_GPU", `{
    "trigger_type_code": "TIMER",
    "trigger_status": "ACTIVE",
    "event_data": {
      "name": "Timer-l8v2",
      "schedule": "3m",
      "schedule_type": "Rate"
    }
  }`, 201)
	require.Equal(t, "ACTIVE", tm["trigger_status"])
	// 5.12.6 (§5.12.6): status update.
	h.obj("PUT", "/fgs/triggers/test_GPU/TIMER/"+tm["trigger_id"].(string), `{
    "trigger_status" : "ACTIVE"
}`, 200)
	// 5.12.3 OBS (§5.12.3) → 201.
	h.obj("POST", "/fgs/triggers/test_GPU", `{
    "trigger_type_code" : "OBS",
    "trigger_status" : "ACTIVE",
    "event_data" : {
        "bucket" : "input-picture2",
        "events" : [ "s3:ObjectCreated:*" ],
        "name" : "obs-event-1ec7"
    }
}`, 201)
	// ch. 4 APIG trigger (§4.2) → 201 with the enrichment of §4.2.
	ap := h.obj("POST", "/fgs/triggers/test_GPU", `{
    "event_data": {
        "group_id": "a9ad0d5df4d7475c9bc35a7c17d89304",
        "env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID",
        "auth": "NONE",
        "protocol": "HTTP",
        "name": "API_GetHtml",
        "path": "/test",
        "match_mode": "SWA",
        "req_method": "ANY",
        "backend_type": "FUNCTION",
        "sl_domain": "a9ad0d5df4d7475c9bc35a7c17d89304.apig.xxx.xxxxapis.com",
        "type": 1,
        "env_name": "RELEASE"
    },
    "event_type_code": "APICreated",
    "trigger_status": "ACTIVE",
    "trigger_type_code": "APIG"
}`, 201)
	ed := ap["event_data"].(map[string]any)
	require.Equal(t, "http://a9ad0d5df4d7475c9bc35a7c17d89304.apig.xxx.xxxxapis.com/test", ed["invoke_url"])
	require.Equal(t, "sync", ed["func_info"].(map[string]any)["invocation_type"])

	// 5.13.3 (§5.13.3): async config.
	as := h.obj("PUT", "/fgs/functions/test_GPU/async-invoke-config", `{
    "max_async_event_age_in_seconds" : 10,
    "max_async_retry_attempts" : 3,
    "enable_async_status_log" : true
}`, 200)
	require.Equal(t, true, as["enable_async_status_log"])

	// 5.10.2 (§5.10.2): reserved instances.
	r := h.obj("PUT", "/fgs/functions/test_GPU/reservedinstances", `{
  "count" : 3
}`, 200)
	require.EqualValues(t, 3, r["count"])

	// 5.3.3 OBS dependency version (§5.3.3).
	d := h.obj("POST", "/fgs/dependencies/version", `{
    "depend_link" : "https://{{bucket}}.{{obs_endpoint}}/depends/***/4f4ae4eb-dcdc-4dd3-bffd-79600bd972b3.zip",
    "depend_type" : "obs",
    "runtime" : "Node.js8.10",
    "name" : "xxx"
}`, 200)
	require.Equal(t, "4f4ae4eb-dcdc-4dd3-bffd-79600bd972b3.zip", d["file_name"])
	// The 5.3.3 zip example's depend_file "xxx" is not Base64: a real service rejects it too.
	h.fail("POST", "/fgs/dependencies/version", `{
    "depend_file" : "xxx",
    "depend_type" : "zip",
    "runtime" : "Node.js8.10",
    "name" : "xxx"
}`, 400, "FSS.1024")

	// 5.6.12 filter (§5.6.12 sends limit as a number).
	fl := h.obj("POST", "/functions/resource-instances/filter", `{
  "without_any_tag" : false,
  "limit" : 5,
  "offset" : "0",
  "matches" : [ { "key" : "resource_name", "value" : "test_GPU" } ]
}`, 200)
	require.EqualValues(t, 1, fl["total_count"])

	// 5.6.2 example request: runtime Python2.7 with handler "index.py" is accepted (it has a period)
	// and the doc's placeholder code "xxxxx" is not Base64 → FSS.1011 on the real grammar.
	h.fail("POST", "/fgs/functions", `{
    "func_name" : "xxx",
    "package" : "xxx",
    "runtime" : "Python2.7",
    "handler" : "index.py",
    "memory_size" : 128,
    "code_type" : "inline",
    "timeout" : 3,
    "func_code" : {
        "file" : "xxxxx",
        "link" : ""
    }
}`, 400, "FSS.1011")
}
