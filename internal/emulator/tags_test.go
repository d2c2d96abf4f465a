package emulator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
