package emulator

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
