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
