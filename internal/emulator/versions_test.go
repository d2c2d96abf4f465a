package emulator

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestVersionsPublishAndList(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	m := h.obj("POST", "/fgs/functions/fn/versions", nil, 200)
	require.Equal(t, "v20261122-083000", m["version"])
	require.Equal(t, urn7("fn")+":v20261122-083000", m["func_urn"])
	h.fail("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v2"}, 400, "FSS.1016")

	h.obj("PUT", "/fgs/functions/fn/config", cfgBody("fn", "timeout", 10), 200)
	m = h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v2", "description": "second"}, 200)
	require.Equal(t, "second", m["version_description"])
	require.EqualValues(t, 10, m["timeout"])
	h.obj("PUT", "/fgs/functions/fn/config", cfgBody("fn", "timeout", 11), 200)
	h.fail("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v2"}, 409, "FSS.1062")
	h.fail("POST", "/fgs/functions/fn/versions", map[string]any{"version": "latest"}, 400, "FSS.1015")
	h.fail("POST", "/fgs/functions/fn/versions", map[string]any{"version": "bad name!"}, 400, "FSS.1015")
	h.fail("POST", "/fgs/functions/fn/versions", map[string]any{"digest": "deadbeef"}, 400, "FSS.0400")
	h.fail("POST", "/fgs/functions/nope/versions", nil, 404, "FSS.1051")
	h.fail("PUT", "/fgs/functions/"+pid+":default:fn:v2/config", cfgBody("fn"), 400, "FSS.1015")
	h.fail("PUT", "/fgs/functions/"+pid+":default:fn:v2/code", map[string]any{"code_type": "inline", "func_code": map[string]any{}}, 400, "FSS.1015")
	h.clk.Advance(time.Second)
	cfg := h.obj("GET", "/fgs/functions/fn/config", nil, 200)
	h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"digest": cfg["digest"]}, 200)

	// the published version keeps its configuration
	v2 := h.obj("GET", "/fgs/functions/"+urn7("fn")+":v2/config", nil, 200)
	require.EqualValues(t, 10, v2["timeout"])
	require.Equal(t, "v2", v2["version"])

	all := h.obj("GET", "/fgs/functions/fn/versions", nil, 200)
	require.EqualValues(t, 4, all["count"])
	vs := all["versions"].([]any)
	require.Equal(t, "latest", vs[0].(map[string]any)["version"])
	require.Contains(t, vs[0].(map[string]any), "concurrency")
	page := h.obj("GET", "/fgs/functions/fn/versions?marker=1&maxitems=2", nil, 200)
	require.Len(t, page["versions"], 2)
	require.EqualValues(t, 3, page["next_marker"])
	h.fail("GET", "/fgs/functions/fn/versions?maxitems=-5", nil, 400, "FSS.1001")
}

func TestAliases(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	for i := 1; i <= 3; i++ {
		h.obj("PUT", "/fgs/functions/fn/config", cfgBody("fn", "timeout", 10+i), 200)
		h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": fmt.Sprintf("v%d", i)}, 200)
	}
	a := h.obj("POST", "/fgs/functions/fn/aliases", map[string]any{"name": "prod", "version": "v1",
		"additional_version_weights": map[string]int{"v2": 20}}, 200)
	require.Equal(t, "prod", a["name"])
	require.Equal(t, "v1", a["version"])
	require.Equal(t, urn7("fn")+":!prod", a["alias_urn"])
	require.Equal(t, "2026-11-22 08:30:00", a["last_modified"])
	require.EqualValues(t, 20, a["additional_version_weights"].(map[string]any)["v2"])

	bad := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"bad name", map[string]any{"name": "1x", "version": "v1"}, 400, "FSS.1014"},
		{"latest name", map[string]any{"name": "latest", "version": "v1"}, 400, "FSS.1014"},
		{"missing version", map[string]any{"name": "x"}, 400, "FSS.0400"},
		{"unknown version", map[string]any{"name": "x", "version": "v9"}, 404, "FSS.1052"},
		{"exists", map[string]any{"name": "prod", "version": "v1"}, 409, "FSS.1063"},
		{"weight unknown version", map[string]any{"name": "x", "version": "v1", "additional_version_weights": map[string]int{"v9": 10}}, 400, "FSS.1091"},
		{"weight > 100", map[string]any{"name": "x", "version": "v1", "additional_version_weights": map[string]int{"v2": 101}}, 400, "FSS.1092"},
		{"weights sum > 100", map[string]any{"name": "x", "version": "v1", "additional_version_weights": map[string]int{"v2": 60, "v3": 50}}, 400, "FSS.1092"},
		{"weight on primary", map[string]any{"name": "x", "version": "v1", "additional_version_weights": map[string]int{"v1": 10}}, 400, "FSS.1093"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) { h.fail("POST", "/fgs/functions/fn/aliases", c.body, c.status, c.code) })
	}
	h.obj("POST", "/fgs/functions/fn/aliases", map[string]any{"name": "dev", "version": "latest"}, 200)
	list := h.arr("GET", "/fgs/functions/fn/aliases", 200)
	require.Len(t, list, 2)

	g := h.obj("GET", "/fgs/functions/fn/aliases/prod", nil, 200)
	require.Equal(t, "v1", g["version"])
	h.fail("GET", "/fgs/functions/fn/aliases/nope", nil, 404, "FSS.1053")

	// a version used by an alias cannot be deleted (main and additional)
	h.fail("DELETE", "/fgs/functions/"+urn7("fn")+":v1", nil, 403, "FSS.1094")
	h.fail("DELETE", "/fgs/functions/"+urn7("fn")+":v2", nil, 403, "FSS.1094")
	h.nc("DELETE", "/fgs/functions/"+urn7("fn")+":v3", nil)
	h.fail("GET", "/fgs/functions/"+urn7("fn")+":v3/config", nil, 404, "FSS.1052")

	u := h.obj("PUT", "/fgs/functions/fn/aliases/prod", map[string]any{"version": "v2", "description": "moved"}, 200)
	require.Equal(t, "v2", u["version"])
	require.Empty(t, u["additional_version_weights"], "PUT replaces the weights")
	h.fail("PUT", "/fgs/functions/fn/aliases/prod", map[string]any{"description": "no version"}, 400, "FSS.0400")
	h.fail("PUT", "/fgs/functions/fn/aliases/prod", map[string]any{"version": "v2", "additional_version_weights": map[string]int{"v2": 5}}, 400, "FSS.1093")
	h.nc("DELETE", "/fgs/functions/"+urn7("fn")+":v1", nil)

	// alias with a trigger cannot be deleted
	h.obj("POST", "/fgs/triggers/"+urn7("fn")+":!prod", map[string]any{"trigger_type_code": "TIMER",
		"event_data": map[string]any{"name": "t", "schedule_type": "Rate", "schedule": "1h"}}, 201)
	h.fail("DELETE", "/fgs/functions/fn/aliases/prod", nil, 403, "FSS.1154")
	h.nc("DELETE", "/fgs/triggers/"+urn7("fn")+":!prod", nil)
	h.nc("DELETE", "/fgs/functions/fn/aliases/prod", nil)
	h.fail("DELETE", "/fgs/functions/fn/aliases/prod", nil, 404, "FSS.1053")
	require.Len(t, h.arr("GET", "/fgs/functions/fn/aliases", 200), 1)

	// a version cannot take an alias's name
	h.obj("PUT", "/fgs/functions/fn/config", cfgBody("fn", "timeout", 44), 200)
	h.fail("POST", "/fgs/functions/fn/versions", map[string]any{"version": "dev"}, 409, "FSS.1062")

	// alias quota
	for i := 0; i < 9; i++ {
		h.obj("POST", "/fgs/functions/fn/aliases", map[string]any{"name": fmt.Sprintf("a%d", i), "version": "latest"}, 200)
	}
	h.fail("POST", "/fgs/functions/fn/aliases", map[string]any{"name": "more", "version": "latest"}, 403, "FSS.1043")
}
