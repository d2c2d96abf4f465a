package emulator

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

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

// PUT /code keeps the dependencies when depend_version_list is left out, and removes them only on an
// explicit [] (CONTRADICTIONS.md E14): {"code_type":"inline","func_code":{...}} vs {..., "depend_version_list": []}.
func TestCodeUpdateKeepsDependenciesUnlessTheListIsEmpty(t *testing.T) {
	h := newHarness(t)
	zip := base64.StdEncoding.EncodeToString([]byte("PK\x03\x04dep"))
	v := h.obj("POST", "/fgs/dependencies/version", map[string]any{"depend_file": zip, "depend_type": "zip", "runtime": "Python3.9", "name": "kept"}, 200)
	h.create("withdep", "depend_version_list", []string{v["id"].(string)})
	code := map[string]any{"code_type": "inline", "func_code": map[string]any{"file": base64.StdEncoding.EncodeToString([]byte("def handler(e, c):\n    return 2\n"))}}
	h.obj("PUT", "/fgs/functions/"+urn7("withdep")+"/code", code, 200)
	got := h.obj("GET", "/fgs/functions/"+urn7("withdep")+"/code", nil, 200)
	require.Equal(t, []any{v["id"]}, got["depend_version_list"], "a list left out keeps the dependencies")
	code["depend_version_list"] = []string{}
	h.obj("PUT", "/fgs/functions/"+urn7("withdep")+"/code", code, 200)
	got = h.obj("GET", "/fgs/functions/"+urn7("withdep")+"/code", nil, 200)
	require.Equal(t, []any{}, got["depend_version_list"], "an explicit [] removes them")
}
