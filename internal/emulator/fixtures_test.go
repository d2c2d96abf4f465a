package emulator

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fixtures reads the repaired JSON fixtures of shared/fgs-api-map.md §9 (../shared from the
// project root, present on every developer machine and CI run).
func fixtures(t *testing.T) map[string]any {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "fgs-api-map.md"))
	require.NoError(t, err, "shared/fgs-api-map.md must be at ../shared from the project root")
	defer f.Close()
	out := map[string]any{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	title, inJSON := "", false
	var buf strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### Fixture — "):
			title = strings.TrimPrefix(line, "### Fixture — ")
		case title != "" && line == "```json":
			inJSON = true
			buf.Reset()
		case inJSON && line == "```":
			var v any
			require.NoError(t, json.Unmarshal([]byte(buf.String()), &v), title)
			out[title] = v
			inJSON, title = false, ""
		case inJSON:
			buf.WriteString(line + "\n")
		}
	}
	require.NoError(t, sc.Err())
	return out
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

// requireShape asserts that every key of the documented fixture is in our answer, with the
// same JSON type where both are non-null, recursively (first array element).
func requireShape(t *testing.T, path string, doc, got any, skip map[string]bool) {
	t.Helper()
	if doc == nil || got == nil || skip[path] {
		return
	}
	require.Equal(t, kind(doc), kind(got), "type of %s", path)
	switch d := doc.(type) {
	case map[string]any:
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
		g := got.([]any)
		if len(d) > 0 {
			require.NotEmpty(t, g, "empty %s", path)
			requireShape(t, path+"[]", d[0], g[0], skip)
		}
	}
}

func TestResponsesMatchDocumentedShapes(t *testing.T) {
	fx := fixtures(t)
	h := newHarness(t)
	h.create("test", "runtime", "Node.js6.10", "handler", "test.handler", "initializer_handler", "index.initializer", "initializer_timeout", 3)
	h.nc("POST", "/functions/"+urn7("test")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "xxx", "value": "yyy"}}})
	tc := map[string]any{"cron_configs": []any{map[string]any{"name": "cronConfig", "cron": "0 1 * * * *", "count": 15, "start_time": 1658073600, "expired_time": 1658160000}},
		"metric_configs": []any{map[string]any{"name": "metricConfig", "type": "Concurrency", "threshold": 90, "min": 12}}}
	h.obj("PUT", "/fgs/functions/test/reservedinstances", map[string]any{"count": 10, "idle_mode": false, "tactics_config": tc}, 200)
	dest := map[string]any{"on_success": map[string]any{"destination": "FunctionGraph", "param": `{"func_urn":"x"}`},
		"on_failure": map[string]any{"destination": "FunctionGraph", "param": `{"func_urn":"x"}`}}
	asyncAns := h.obj("PUT", "/fgs/functions/test/async-invoke-config", map[string]any{"max_async_event_age_in_seconds": 60, "max_async_retry_attempts": 1, "destination_config": dest}, 200)

	skipStrategy := map[string]bool{".StrategyConfig": true}
	cases := []struct {
		title string
		got   func() any
		doc   func(any) any
		skip  map[string]bool
	}{
		{"Function model / list item (§1.6.1)", func() any { return h.obj("GET", "/fgs/functions", nil, 200) }, nil, nil},
		{"5.6.1 Querying Functions — 200", func() any { return h.obj("GET", "/fgs/functions", nil, 200) }, nil, nil},
		{"5.6.2 Creating a Function — 200", func() any { return h.create("created") }, nil, nil},
		{"Ch.4 create function (OBS code) — request → 200", func() any {
			return h.obj("POST", "/fgs/functions", fx["Ch.4 create function (OBS code) — request → 200"].(map[string]any)["request"], 200)
		}, func(d any) any { return d.(map[string]any)["response"] }, skipStrategy},
		{"5.6.4 Querying the Code of a Function — 200", func() any { return h.obj("GET", "/fgs/functions/test/code", nil, 200) }, nil, nil},
		{"5.6.6 Querying the Metadata of a Function — 200", func() any { return h.obj("GET", "/fgs/functions/test/config", nil, 200) }, nil, nil},
		{"5.2.1 Querying Tenant Quotas — 200 (table-conformant form)", func() any { return h.obj("GET", "/fgs/quotas", nil, 200) }, nil, nil},
		{"5.6.11 Querying Resource Tags — 200", func() any { return h.obj("GET", "/functions/tags", nil, 200) }, nil, nil},
		{"5.6.12 Querying Resources (filter) — 200", func() any {
			return h.obj("POST", "/functions/resource-instances/filter", map[string]any{}, 200)
		}, nil, map[string]bool{".resources[].resource_detail.code_size": true}}, // documented as the string "247"
		{"5.7.6 Querying the Versions of a Function — 200", func() any { return h.obj("GET", "/fgs/functions/test/versions", nil, 200) }, nil, nil},
		{"5.10.1 Reserved instance configs — 200", func() any { return h.obj("GET", "/fgs/functions/reservedinstanceconfigs", nil, 200) }, nil, nil},
		{"5.12.3 Creating a TIMER trigger — request → 201", func() any {
			return h.obj("POST", "/fgs/triggers/test", fx["5.12.3 Creating a TIMER trigger — request → 201"].(map[string]any)["request"], 201)
		}, func(d any) any { return d.(map[string]any)["response"] }, nil},
		{"5.13.1 / 5.13.3 Async invoke config — 200", func() any { return asyncAns }, nil, nil},
		{"5.13.4 All-version async configs — 200", func() any { return h.obj("GET", "/fgs/functions/test/async-invoke-configs", nil, 200) }, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			doc, ok := fx[c.title]
			require.True(t, ok, "fixture %q not found in the map", c.title)
			if c.doc != nil {
				doc = c.doc(doc)
			}
			requireShape(t, "", doc, c.got(), c.skip)
		})
	}
	// The quota types are the documented ones.
	var types []string
	for _, r := range h.obj("GET", "/fgs/quotas", nil, 200)["quotas"].(map[string]any)["resources"].([]any) {
		types = append(types, r.(map[string]any)["type"].(string))
	}
	require.ElementsMatch(t, []string{"fgs_func_scale_down_timeout", "fgs_func_occurs", "fgs_func_pat_idle_time", "fgs_func_num", "fgs_func_code_size", "fgs_workflow_num"}, types)
}
