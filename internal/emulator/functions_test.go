package emulator

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCreateFunctionShape(t *testing.T) {
	h := newHarness(t)
	code := []byte("def handler(event, context):\n    return 'ok'\n")
	m := h.create("hello", "memory_size", 256, "func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(code)},
		"user_data", `{"k":"v"}`, "description", "d", "log_config", map[string]any{"group_id": "g1", "stream_id": "s1"},
		"func_vpc", map[string]any{"vpc_id": "vpc-1", "subnet_id": "sub-1"})
	sum := sha512.Sum512(code)
	require.Equal(t, urn7("hello")+":latest", m["func_urn"])
	require.Equal(t, hex.EncodeToString(sum[:]), m["digest"])
	require.Len(t, m["digest"], 128)
	require.EqualValues(t, len(code), m["code_size"])
	require.EqualValues(t, 400, m["cpu"]) // 256/128*100+200
	require.Equal(t, "latest", m["version"])
	require.Equal(t, "index.py", m["code_filename"])
	require.Equal(t, "2026-11-22 08:30:00", m["last_modified"])
	require.Equal(t, `{"k":"v"}`, m["user_data"])
	require.Equal(t, pid, m["namespace"])
	require.Equal(t, DefaultDomainID, m["domain_id"])
	require.Equal(t, "eu-de", m["project_name"])
	require.Equal(t, "g1", m["log_group_id"])
	require.Equal(t, "vpc-1", m["func_vpc_id"])
	require.Equal(t, "v2", m["type"])
	require.Equal(t, "0", m["enterprise_project_id"])
	require.EqualValues(t, -1, m["strategy_config"].(map[string]any)["concurrency"])
	require.Nil(t, m["mount_config"])
	require.Regexp(t, `^latest-261122083000@[0-9a-f]{5}$`, m["image_name"])

	cfg := h.obj("GET", "/fgs/functions/"+urn7("hello")+"/config", nil, 200)
	require.Equal(t, urn7("hello")+":latest", cfg["func_urn"])
	require.Equal(t, m["digest"], cfg["digest"])
	require.EqualValues(t, 512, cfg["ephemeral_storage"])

	gc := h.obj("GET", "/fgs/functions/hello/code", nil, 200)
	require.Equal(t, "", gc["func_code"].(map[string]any)["file"], "GET code does not return the file")
	require.Equal(t, m["digest"], gc["digest"])

	// cpu for every memory size
	for _, mem := range []int{128, 512, 1024, 4096} {
		f := h.create(fmt.Sprintf("m%d", mem), "memory_size", mem)
		require.EqualValues(t, mem/128*100+200, f["cpu"])
	}
	// inline without a file gets default code
	d := h.create("defcode")
	require.NotZero(t, d["code_size"])
	// duplicate
	h.fail("POST", "/fgs/functions", fnBody("hello"), 409, "FSS.1061")
	// same name in another package is fine
	h.create("hello", "package", "other")
}

func TestFunctionValidation(t *testing.T) {
	h := newHarness(t)
	h.create("exists")
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString([]byte(strings.Repeat("a", n))) }
	many := map[string]string{}
	for i := 0; i < 21; i++ {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	manyJSON, _ := jsonString(many)
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"bad json", "{", 406, "FSS.0406"},
		{"wrong type", fnBody("f", "timeout", "30"), 400, "FSS.0400"},
		{"missing runtime", fnBody("f", "runtime", nil), 400, "FSS.0400"},
		{"missing func_name", fnBody("f", "func_name", nil), 400, "FSS.0400"},
		{"name starts with digit", fnBody("1abc"), 400, "FSS.1002"},
		{"name with dot", fnBody("a.b"), 400, "FSS.1002"},
		{"name too long", fnBody("a" + strings.Repeat("b", 60)), 400, "FSS.1002"},
		{"bad package", fnBody("f", "package", "bad pkg"), 400, "FSS.1004"},
		{"display runtime", fnBody("f", "runtime", "Python 3.9"), 400, "FSS.1005"},
		{"unknown runtime", fnBody("f", "runtime", "Rust1.0"), 400, "FSS.1005"},
		{"handler without period", fnBody("f", "handler", "handler"), 400, "FSS.1003"},
		{"memory not in set", fnBody("f", "memory_size", 100), 400, "FSS.1007"},
		{"memory too big", fnBody("f", "memory_size", 8192), 400, "FSS.1007"},
		{"timeout 2", fnBody("f", "timeout", 2), 400, "FSS.1008"},
		{"timeout 901", fnBody("f", "timeout", 901), 400, "FSS.1008"},
		{"code type", fnBody("f", "code_type", "git"), 400, "FSS.1006"},
		{"zip without filename", fnBody("f", "code_type", "zip", "func_code", map[string]any{"file": "UEsDBA=="}), 400, "FSS.1012"},
		{"zip without file", fnBody("f", "code_type", "zip", "code_filename", "a.zip"), 400, "FSS.1012"},
		{"zip not a zip", fnBody("f", "code_type", "zip", "code_filename", "a.zip", "func_code", map[string]any{"file": b64(10)}), 400, "FSS.1011"},
		{"obs without url", fnBody("f", "code_type", "obs"), 400, "FSS.1012"},
		{"obs bad url", fnBody("f", "code_type", "obs", "code_url", "ftp:/x"), 400, "FSS.1010"},
		{"bad base64", fnBody("f", "func_code", map[string]any{"file": "!!!"}), 400, "FSS.1011"},
		{"inline too large", fnBody("f", "func_code", map[string]any{"file": b64(10*1024 + 1)}), 413, "FSS.1072"},
		{"user_data not json", fnBody("f", "user_data", "k=v"), 400, "FSS.1009"},
		{"user_data array", fnBody("f", "user_data", `["a"]`), 400, "FSS.1009"},
		{"user_data too many", fnBody("f", "user_data", manyJSON), 400, "FSS.1017"},
		{"user_data too big", fnBody("f", "user_data", `{"k":"`+strings.Repeat("x", 4100)+`"}`), 400, "FSS.1018"},
		{"description too long", fnBody("f", "description", strings.Repeat("d", 513)), 400, "FSS.1019"},
		{"initializer handler", fnBody("f", "initializer_handler", "init"), 400, "FSS.1404"},
		{"initializer timeout 0", fnBody("f", "initializer_handler", "index.init", "initializer_timeout", 0), 400, "FSS.1405"},
		{"initializer timeout 301", fnBody("f", "initializer_handler", "index.init", "initializer_timeout", 301), 400, "FSS.1405"},
		{"gpu not custom", fnBody("f", "gpu_memory", 1024), 400, "FSS.0400"},
		{"gpu step", fnBody("f", "runtime", "Custom", "handler", "bootstrap", "gpu_memory", 1500), 400, "FSS.0400"},
		{"ephemeral", fnBody("f", "ephemeral_storage", 1024), 400, "FSS.0400"},
		{"type v3", fnBody("f", "type", "v3"), 400, "FSS.0400"},
		{"vpc without subnet", fnBody("f", "func_vpc", map[string]any{"vpc_id": "v"}), 400, "FSS.0400"},
		{"duplicate", fnBody("exists"), 409, "FSS.1061"},
		{"unknown dependency", fnBody("f", "depend_version_list", []string{"nope"}), 400, "FSS.1024"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.fail("POST", "/fgs/functions", c.body, c.status, c.code)
		})
	}
	// Custom runtime accepts a handler without a period and GPU memory.
	m := h.create("gpu", "runtime", "Custom", "handler", "bootstrap", "gpu_memory", 2048)
	require.EqualValues(t, 2048, m["gpu_memory"])
	// quota
	q := newHarness(t, func(c *Config) { c.FunctionQuota = 2 })
	q.create("a")
	q.create("b")
	q.fail("POST", "/fgs/functions", fnBody("c"), 403, "FSS.1041")
	// code size quota (1 MB here)
	cq := newHarness(t, func(c *Config) { c.CodeSizeQuotaMB = 1 })
	half := base64.StdEncoding.EncodeToString(append([]byte("PK"), make([]byte, 600<<10)...))
	cq.create("z1", "code_type", "zip", "code_filename", "a.zip", "func_code", map[string]any{"file": half})
	cq.fail("POST", "/fgs/functions", fnBody("z2", "code_type", "zip", "code_filename", "a.zip", "func_code", map[string]any{"file": half}), 403, "FSS.1042")
	// replacing z1's own code by one of the same size stays within the quota
	cq.obj("PUT", "/fgs/functions/z1/code", map[string]any{"code_type": "zip", "code_filename": "b.zip", "func_code": map[string]any{"file": half}}, 200)
	// publishing copies the package: it counts too
	cq.fail("POST", "/fgs/functions/z1/versions", nil, 403, "FSS.1042")
}

func jsonString(v any) (string, error) {
	b, err := jsonMarshal(v)
	return string(b), err
}

func TestPutConfigReplacesMetadata(t *testing.T) {
	h := newHarness(t)
	h.create("fn", "user_data", `{"a":"b"}`, "description", "keep?", "xrole", "agency")
	u := "/fgs/functions/" + urn7("fn") + "/config"
	m := h.obj("PUT", u, cfgBody("fn", "timeout", 60, "memory_size", 512,
		"strategy_config", map[string]any{"concurrency": 5, "concurrent_num": 2},
		"mount_config", map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": "-1"},
			"func_mounts": []any{map[string]any{"mount_type": "sfsTurbo", "mount_resource": "r1", "local_mount_path": "/mnt/data"}}},
		"encrypted_user_data", `{"secret":"s"}`, "custom_image", map[string]any{"enabled": false, "image": ""},
		"domain_names", "a.example", "enable_dynamic_memory", true, "ephemeral_storage", 10240), 200)
	require.Equal(t, urn7("fn"), m["func_urn"], "PUT config answers with the unqualified URN")
	require.EqualValues(t, 60, m["timeout"])
	require.EqualValues(t, 600, m["cpu"])
	require.Equal(t, "", m["user_data"], "absent user_data is reset")
	require.Equal(t, "", m["description"])
	require.Equal(t, "", m["xrole"])
	require.Equal(t, "", m["encrypted_user_data"], "never returned in plain text")
	require.EqualValues(t, 5, m["strategy_config"].(map[string]any)["concurrency"])
	require.EqualValues(t, -1, m["mount_config"].(map[string]any)["mount_user"].(map[string]any)["user_id"])
	require.Equal(t, "-1", m["mount_config"].(map[string]any)["mount_user"].(map[string]any)["user_group_id"])
	require.Equal(t, true, m["enable_dynamic_memory"])
	require.EqualValues(t, 10240, m["ephemeral_storage"])

	g := h.obj("GET", u, nil, 200)
	require.Equal(t, "a.example", g["domain_names"])
	// a second PUT without strategy/mount resets them
	m = h.obj("PUT", u, cfgBody("fn"), 200)
	require.EqualValues(t, -1, m["strategy_config"].(map[string]any)["concurrency"])
	require.Nil(t, m["mount_config"])
	require.EqualValues(t, 512, m["ephemeral_storage"])

	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"missing timeout", cfgBody("fn", "timeout", nil), 400, "FSS.0400"},
		{"rename", cfgBody("other"), 400, "FSS.1002"},
		{"concurrency", cfgBody("fn", "strategy_config", map[string]any{"concurrency": 1001, "concurrent_num": 1}), 400, "FSS.1026"},
		{"concurrent_num", cfgBody("fn", "strategy_config", map[string]any{"concurrency": 1, "concurrent_num": 1001}), 400, "FSS.1026"},
		{"mount user 0", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": 0, "user_group_id": -1}}), 400, "FSS.1075"},
		{"mount user 1000", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": "1000", "user_group_id": -1}}), 400, "FSS.1075"},
		{"mount user 70000", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": 70000, "user_group_id": -1}}), 400, "FSS.1075"},
		{"mount path", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": -1},
			"func_mounts": []any{map[string]any{"mount_type": "sfs", "mount_resource": "r", "local_mount_path": "/tmp/x"}}}), 400, "FSS.1039"},
		{"mount type", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": -1},
			"func_mounts": []any{map[string]any{"mount_type": "nfs", "mount_resource": "r", "local_mount_path": "/mnt/x"}}}), 400, "FSS.0400"},
		{"ecs without share path", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": -1},
			"func_mounts": []any{map[string]any{"mount_type": "ecs", "mount_resource": "r", "local_mount_path": "/mnt/x"}}}), 400, "FSS.0400"},
		{"duplicate mount", cfgBody("fn", "mount_config", map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": -1},
			"func_mounts": []any{map[string]any{"mount_type": "sfs", "mount_resource": "r", "local_mount_path": "/mnt/x"},
				map[string]any{"mount_type": "sfs", "mount_resource": "r2", "local_mount_path": "/mnt/x"}}}), 400, "FSS.1038"},
		{"custom image url", cfgBody("fn", "custom_image", map[string]any{"enabled": true, "image": "not an image"}), 400, "FSS.1034"},
		{"restore hook timeout", cfgBody("fn", "restore_hook_handler", "a.b", "restore_hook_timeout", 301), 400, "FSS.0400"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) { h.fail("PUT", u, c.body, c.status, c.code) })
	}
	h.fail("PUT", "/fgs/functions/nope/config", cfgBody("nope"), 404, "FSS.1051")
}

func TestPutCodeAndMaxInstance(t *testing.T) {
	h := newHarness(t)
	first := h.create("fn")
	newCode := []byte("print('v2')\n")
	m := h.obj("PUT", "/fgs/functions/fn/code", map[string]any{"code_type": "inline",
		"func_code": map[string]any{"file": base64.StdEncoding.EncodeToString(newCode)}}, 200)
	require.NotEqual(t, first["digest"], m["digest"])
	require.Equal(t, base64.StdEncoding.EncodeToString(newCode), m["func_code"].(map[string]any)["file"])
	require.EqualValues(t, len(newCode), m["code_size"])
	h.fail("PUT", "/fgs/functions/fn/code", map[string]any{"code_type": "inline"}, 400, "FSS.1012")
	h.fail("PUT", "/fgs/functions/fn/code", map[string]any{"code_type": "svn", "func_code": map[string]any{}}, 400, "FSS.1006")

	mi := h.obj("PUT", "/fgs/functions/fn/config-max-instance", map[string]any{"max_instance_num": 10}, 200)
	require.EqualValues(t, 10, mi["strategy_config"].(map[string]any)["concurrency"])
	h.fail("PUT", "/fgs/functions/fn/config-max-instance", map[string]any{"max_instance_num": 1001}, 400, "FSS.1026")
	h.fail("PUT", "/fgs/functions/fn/config-max-instance", map[string]any{"max_instance_num": -2}, 400, "FSS.1026")
	v1 := newHarness(t)
	v1.create("old", "type", "v1")
	v1.fail("PUT", "/fgs/functions/old/config-max-instance", map[string]any{"max_instance_num": 5}, 400, "FSS.1026")
	v1.obj("PUT", "/fgs/functions/old/config-max-instance", map[string]any{"max_instance_num": 0}, 200)
}

func TestListFunctionsPagination(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 5; i++ {
		h.create(fmt.Sprintf("f%d", i))
	}
	h.create("other", "package", "app2")
	var names []string
	marker := 0
	for pages := 0; pages < 10; pages++ {
		m := h.obj("GET", fmt.Sprintf("/fgs/functions?marker=%d&maxitems=2&-=", marker), nil, 200)
		require.EqualValues(t, 6, m["count"])
		fs := m["functions"].([]any)
		for _, f := range fs {
			fm := f.(map[string]any)
			names = append(names, fm["func_name"].(string))
			require.False(t, strings.HasSuffix(fm["func_urn"].(string), ":latest"), "list returns unqualified URNs")
		}
		next := jsonNum(m["next_marker"])
		if len(fs) == 0 || next >= jsonNum(m["count"]) {
			break
		}
		marker = next
	}
	require.Equal(t, []string{"f0", "f1", "f2", "f3", "f4", "other"}, names)
	m := h.obj("GET", "/fgs/functions?package_name=app2", nil, 200)
	require.EqualValues(t, 1, m["count"])
	m = h.obj("GET", "/fgs/functions?maxitems=0", nil, 200)
	require.Len(t, m["functions"], 6)
	h.fail("GET", "/fgs/functions?maxitems=-1", nil, 400, "FSS.1001")
	h.fail("GET", "/fgs/functions?marker=abc", nil, 400, "FSS.1001")
}

func TestURNForms(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.create("pk", "package", "app1")
	h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v1"}, 200)
	h.obj("POST", "/fgs/functions/fn/aliases", map[string]any{"name": "dev", "version": "v1"}, 200)
	cases := []struct {
		urn     string
		status  int
		code    string
		version string
	}{
		{"fn", 200, "", "latest"},
		{"default:fn", 200, "", "latest"},
		{pid + ":default:fn", 200, "", "latest"},
		{pid + ":default:fn:v1", 200, "", "v1"},
		{pid + ":default:fn:dev", 200, "", "v1"},
		{urn7("fn"), 200, "", "latest"},
		{urn7("fn") + ":latest", 200, "", "latest"},
		{urn7("fn") + ":v1", 200, "", "v1"},
		{urn7("fn") + ":!dev", 200, "", "v1"},
		{urn7("fn") + ":dev", 200, "", "v1"},
		{urn7("fn") + "!dev", 200, "", "v1"},
		{"fn!dev", 200, "", "v1"},
		{"app1:pk", 200, "", "latest"},
		{urn7("fn") + ":v9", 404, "FSS.1052", ""},
		{urn7("fn") + ":!v1", 404, "FSS.1053", ""},
		{urn7("nope"), 404, "FSS.1051", ""},
		{"ffffffffffffffffffffffffffffffff:default:fn", 404, "FSS.1051", ""},
		{"a:b:c:d:e", 400, "FSS.1309", ""},
		{"a:b:c:d:e:f", 400, "FSS.1309", ""},
		{"urn:xyz:eu-de:" + pid + ":function:default:fn", 400, "FSS.1309", ""},
		{"urn:fss:eu-de:" + pid + ":func:default:fn", 400, "FSS.1309", ""},
		{urn7("fn") + ":", 400, "FSS.1309", ""},
		{urn7("fn") + ":v1:x", 400, "FSS.1309", ""},
		{"fn!", 400, "FSS.1309", ""},
	}
	for _, c := range cases {
		t.Run(c.urn, func(t *testing.T) {
			code, b := h.do("GET", "/fgs/functions/"+c.urn+"/config", nil)
			if c.status != 200 {
				requireErr(t, code, b, c.status, c.code)
				return
			}
			require.Equal(t, 200, code, string(b))
			require.Contains(t, string(b), `"version":"`+c.version+`"`)
		})
	}
	// percent-encoded URN on the wire
	code, b := h.do("GET", "/fgs/functions/"+strings.ReplaceAll(urn7("fn"), ":", "%3A")+"%3A%21dev/config", nil)
	require.Equal(t, 200, code, string(b))
}

func TestDeleteFunctionCascades(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.create("keep")
	h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v1"}, 200)
	h.obj("POST", "/fgs/functions/fn/aliases", map[string]any{"name": "dev", "version": "v1"}, 200)
	h.obj("POST", "/fgs/triggers/fn", map[string]any{"trigger_type_code": "TIMER", "event_data": map[string]any{"name": "t", "schedule_type": "Rate", "schedule": "5m"}}, 201)
	h.nc("POST", "/functions/"+urn7("fn")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "env", "value": "dev"}}})
	h.obj("POST", "/fgs/functions/fn/events", map[string]any{"name": "e1", "content": "{}"}, 200)
	h.obj("PUT", "/fgs/functions/fn/async-invoke-config", map[string]any{"max_async_retry_attempts": 2}, 200)
	h.obj("PUT", "/fgs/functions/"+urn7("fn")+":v1/reservedinstances", map[string]any{"count": 2}, 200)
	h.obj("PUT", "/fgs/functions/fn/tracing", map[string]any{"tracing_ak": "ak", "tracing_sk": "sk"}, 200)

	h.fail("DELETE", "/fgs/functions/"+urn7("fn")+":latest", nil, 400, "FSS.1015")
	h.nc("DELETE", "/fgs/functions/"+urn7("fn"), nil)
	h.fail("GET", "/fgs/functions/fn/config", nil, 404, "FSS.1051")
	h.fail("DELETE", "/fgs/functions/"+urn7("fn"), nil, 404, "FSS.1051")
	h.fail("GET", "/fgs/triggers/fn", nil, 404, "FSS.1051")
	r := h.obj("GET", "/fgs/functions/reservedinstances", nil, 200)
	require.EqualValues(t, 0, r["count"])
	tags := h.obj("GET", "/functions/tags", nil, 200)
	require.Empty(t, tags["tags"])
	// recreating gives a clean function
	h.create("fn")
	require.Empty(t, h.arr("GET", "/fgs/functions/fn/aliases", 200))
	require.Empty(t, h.arr("GET", "/fgs/triggers/fn", 200))
	v := h.obj("GET", "/fgs/functions/fn/versions", nil, 200)
	require.EqualValues(t, 1, v["count"])
	h.fail("GET", "/fgs/functions/fn/tracing", nil, 404, "FSS.0404")
	h.obj("GET", "/fgs/functions/keep/config", nil, 200)
}
