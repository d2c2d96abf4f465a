package emulator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// shapes reads testdata/response-shapes.json: for each answer of the API reference the
// emulator reproduces, its keys and their JSON types (see the file's "about").
func shapes(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "response-shapes.json"))
	require.NoError(t, err)
	var doc struct {
		Shapes map[string]any `json:"shapes"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Shapes)
	return doc.Shapes
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// requireShape asserts that every key of the documented shape is in our answer, with the
// documented JSON type, recursively (an array's shape is that of its items). A null in the
// shape accepts any value.
func requireShape(t *testing.T, path string, shape, got any, skip map[string]bool) {
	t.Helper()
	if shape == nil || got == nil || skip[path] {
		return
	}
	switch d := shape.(type) {
	case string:
		require.Equal(t, d, kind(got), "type of %s", path)
	case map[string]any:
		require.Equal(t, "object", kind(got), "type of %s", path)
		g := got.(map[string]any)
		for k, dv := range d {
			p := path + "." + k
			if skip[p] {
				continue
			}
			gv, ok := g[k]
			require.True(t, ok, "missing %s", p)
			requireShape(t, p, dv, gv, skip)
		}
	case []any:
		require.Equal(t, "array", kind(got), "type of %s", path)
		g := got.([]any)
		if len(d) > 0 {
			require.NotEmpty(t, g, "empty %s", path)
			requireShape(t, path+"[]", d[0], g[0], skip)
		}
	default:
		t.Fatalf("bad shape at %s: %v", path, shape)
	}
}

func TestResponsesMatchDocumentedShapes(t *testing.T) {
	fx := shapes(t)
	h := newHarness(t)
	h.create("test", "runtime", "Node.js6.10", "handler", "test.handler", "initializer_handler", "index.initializer", "initializer_timeout", 3)
	h.nc("POST", "/functions/"+urn7("test")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "team", "value": "core"}}})
	tc := map[string]any{"cron_configs": []any{map[string]any{"name": "nightly", "cron": "0 1 * * * *", "count": 15, "start_time": 1658073600, "expired_time": 1658160000}},
		"metric_configs": []any{map[string]any{"name": "busy", "type": "Concurrency", "threshold": 90, "min": 12}}}
	h.obj("PUT", "/fgs/functions/test/reservedinstances", map[string]any{"count": 10, "idle_mode": false, "tactics_config": tc}, 200)
	dest := map[string]any{"on_success": map[string]any{"destination": "FunctionGraph", "param": `{"func_urn":"x"}`},
		"on_failure": map[string]any{"destination": "FunctionGraph", "param": `{"func_urn":"x"}`}}
	asyncAns := h.obj("PUT", "/fgs/functions/test/async-invoke-config", map[string]any{"max_async_event_age_in_seconds": 60, "max_async_retry_attempts": 1, "destination_config": dest}, 200)
	// A create from OBS code, as chapter 4 of the reference sends it. (Its answer there also
	// carries a "StrategyConfig" key, a typo of the example, left out of the shape.)
	obsCreate := map[string]any{"code_type": "obs", "code_url": "https://bucket.obs.example.com/hello-python.zip", "func_name": "from_obs",
		"handler": "index.handler", "memory_size": 256, "package": "default", "runtime": "Python2.7", "timeout": 30}
	timer := map[string]any{"trigger_type_code": "TIMER", "trigger_status": "ACTIVE",
		"event_data": map[string]any{"name": "every-3m", "schedule": "3m", "schedule_type": "Rate"}}

	cases := []struct {
		title string
		got   func() any
		skip  map[string]bool
	}{
		{"function model, as a list item (§5.6.1)", func() any { return h.obj("GET", "/fgs/functions", nil, 200) }, nil},
		{"§5.6.1 query functions: 200", func() any { return h.obj("GET", "/fgs/functions", nil, 200) }, nil},
		{"§5.6.2 create a function: 200", func() any { return h.create("created") }, nil},
		{"§4 create a function from OBS code: 200", func() any { return h.obj("POST", "/fgs/functions", obsCreate, 200) }, nil},
		{"§5.6.4 query the code of a function: 200", func() any { return h.obj("GET", "/fgs/functions/test/code", nil, 200) }, nil},
		{"§5.6.6 query the metadata of a function: 200", func() any { return h.obj("GET", "/fgs/functions/test/config", nil, 200) }, nil},
		{"§5.2.1 query tenant quotas: 200 (the table's object form)", func() any { return h.obj("GET", "/fgs/quotas", nil, 200) }, nil},
		{"§5.6.11 query resource tags: 200", func() any { return h.obj("GET", "/functions/tags", nil, 200) }, nil},
		{"§5.6.12 query resources by filter: 200", func() any {
			return h.obj("POST", "/functions/resource-instances/filter", map[string]any{}, 200)
		}, map[string]bool{".resources[].resource_detail.code_size": true}}, // documented as the string "247"
		{"§5.7.6 query the versions of a function: 200", func() any { return h.obj("GET", "/fgs/functions/test/versions", nil, 200) }, nil},
		{"§5.10.1 query reserved instance configurations: 200", func() any { return h.obj("GET", "/fgs/functions/reservedinstanceconfigs", nil, 200) }, nil},
		{"§5.12.3 create a TIMER trigger: 201", func() any { return h.obj("POST", "/fgs/triggers/test", timer, 201) }, nil},
		{"§5.13.1 and §5.13.3 async invoke configuration: 200", func() any { return asyncAns }, nil},
		{"§5.13.4 async invoke configurations of all versions: 200", func() any { return h.obj("GET", "/fgs/functions/test/async-invoke-configs", nil, 200) }, nil},
	}
	require.Len(t, fx, len(cases), "every shape in testdata has a case")
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			shape, ok := fx[c.title]
			require.True(t, ok, "shape %q not found in testdata/response-shapes.json", c.title)
			requireShape(t, "", shape, c.got(), c.skip)
		})
	}
	// The quota types are the documented ones.
	var types []string
	for _, r := range h.obj("GET", "/fgs/quotas", nil, 200)["quotas"].(map[string]any)["resources"].([]any) {
		types = append(types, r.(map[string]any)["type"].(string))
	}
	require.ElementsMatch(t, []string{"fgs_func_scale_down_timeout", "fgs_func_occurs", "fgs_func_pat_idle_time", "fgs_func_num", "fgs_func_code_size", "fgs_workflow_num"}, types)
}
