package provider

import (
	"context"
	"strconv"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twoVersions creates a function with published versions v1 and v2 (different code) through the provider.
func (c *testCloud) twoVersions(t *testing.T, name string) (urn string, v1, v2 *resource) {
	t.Helper()
	urn = c.newFunction(t, name, false)
	v1 = c.resource(t, "FunctionVersion", "v1")
	v1.mustCreate(props(map[string]any{"functionUrn": urn, "name": "v1"}))
	c.changeCode(t, urn, "def handler(event, context):\n    return 'v2'\n")
	v2 = c.resource(t, "FunctionVersion", "v2")
	v2.mustCreate(props(map[string]any{"functionUrn": urn, "name": "v2"}))
	c.em.ResetCounts()
	return urn, v1, v2
}

func aliasInputs(urn, version string, weights map[string]any, desc string) property.Map {
	m := map[string]any{"functionUrn": urn, "name": "prod", "functionVersion": version}
	if weights != nil {
		m["additionalVersionWeights"] = weights
	}
	if desc != "" {
		m["description"] = desc
	}
	return props(m)
}

func TestAliasLifecycle(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn, _, _ := c.twoVersions(t, "aliased")
	a := c.resource(t, "Alias", "prod")

	c.step(t, "create", func(t *testing.T) {
		a.mustCreate(aliasInputs(urn, "v1", nil, "production"))
		assert.Equal(t, urn+"/prod", a.id)
		assert.Equal(t, urn+":!prod", str(a.state, "aliasUrn"))
		assert.NotEmpty(t, str(a.state, "lastModified"))
		assert.Equal(t, 1, c.logRequests(t, "Alias create"))
	})

	c.step(t, "refresh and diff are no-ops", func(t *testing.T) {
		before := a.ins
		resp := a.read()
		require.Equal(t, a.id, resp.ID)
		assert.Equal(t, before, resp.Inputs)
		d, _ := a.diff(aliasInputs(urn, "v1", nil, "production"))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
		assert.Equal(t, 1, c.logRequests(t, "Alias no-op read"))
	})

	for _, shift := range []struct {
		weight int
		kind   p.DiffKind
	}{{10, p.Add}, {50, p.Update}} {
		c.step(t, "canary: "+strconv.Itoa(shift.weight)+"% to v2, in place", func(t *testing.T) {
			d, checked := a.diff(aliasInputs(urn, "v1", map[string]any{"v2": shift.weight}, "production"))
			assert.Equal(t, map[string]p.DiffKind{"additionalVersionWeights": shift.kind}, diffKinds(d))
			id := a.id
			pv := a.preview(checked)
			assert.Equal(t, urn+":!prod", str(pv, "aliasUrn"), "the preview keeps aliasUrn known: triggers bound to it do not look replaced")
			c.requests()
			require.NoError(t, a.update(checked))
			assert.Equal(t, id, a.id, "in place")
			assert.Equal(t, 1, c.logRequests(t, "Alias weight shift"))
			live, err := c.apiClient(t).Aliases.Get(context.Background(), urn, "prod")
			require.NoError(t, err)
			assert.Equal(t, map[string]int{"v2": shift.weight}, live.AdditionalVersionWeights)
			c.requests()
		})
	}

	c.step(t, "promote v2: the version moves, the weights go, the description is cleared, in place", func(t *testing.T) {
		d, checked := a.diff(aliasInputs(urn, "v2", nil, ""))
		assert.Equal(t, map[string]p.DiffKind{"functionVersion": p.Update, "additionalVersionWeights": p.Delete, "description": p.Delete}, diffKinds(d))
		require.NoError(t, a.update(checked))
		live, err := c.apiClient(t).Aliases.Get(context.Background(), urn, "prod")
		require.NoError(t, err)
		assert.Equal(t, "v2", live.Version)
		assert.Empty(t, live.AdditionalVersionWeights)
		assert.Equal(t, "", live.Description)
		c.requests()
	})

	c.step(t, "a new name replaces", func(t *testing.T) {
		d, _ := a.diff(props(map[string]any{"functionUrn": urn, "name": "staging", "functionVersion": "v2"}))
		assert.Equal(t, p.UpdateReplace, diffKinds(d)["name"])
	})

	c.step(t, "import by each ID form", func(t *testing.T) {
		for _, id := range []string{urn + "/prod", urn + "!prod", urn + ":!prod"} {
			imp := c.importID(t, "Alias", id)
			require.Equal(t, urn+"/prod", imp.ID, id)
			assert.Equal(t, "prod", str(imp.Inputs, "name"))
			assert.Equal(t, "v2", str(imp.Inputs, "functionVersion"))
			assert.Equal(t, urn, str(imp.Inputs, "functionUrn"))
		}
		c.requests()
	})

	c.step(t, "delete", func(t *testing.T) {
		require.NoError(t, a.delete())
		assert.Equal(t, 1, c.logRequests(t, "Alias delete"))
		assert.Equal(t, "", a.read().ID, "a deleted alias reads as gone")
	})
}

// Pulumi deletes the alias before the versions it routes to (the alias depends on them); the other order is
// refused by the service, and the error explains it. Likewise triggers bound to an alias go before the alias.
func TestAliasDeletionOrder(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn, v1, v2 := c.twoVersions(t, "order")
	a := c.resource(t, "Alias", "prod")
	a.mustCreate(aliasInputs(urn, "v1", map[string]any{"v2": 20}, ""))
	tr := c.resource(t, "Trigger", "on-alias")

	c.step(t, "a version the alias routes to cannot be deleted", func(t *testing.T) {
		for _, v := range []*resource{v1, v2} {
			err := v.delete()
			require.Error(t, err, "a version an alias routes to cannot be deleted")
			t.Logf("version before alias: %v", err)
			assert.Contains(t, err.Error(), "FSS.1094")
			assert.Contains(t, err.Error(), "an alias still routes to it")
		}
	})

	c.step(t, "an alias with triggers cannot be deleted", func(t *testing.T) {
		tr.mustCreate(withBase(str(a.state, "aliasUrn"), "TIMER", triggerInputs(urn)["TIMER"]))
		err := a.delete()
		require.Error(t, err, "an alias with triggers cannot be deleted")
		t.Logf("alias before its trigger: %v", err)
		assert.Contains(t, err.Error(), "FSS.1154")
	})

	c.step(t, "the right order: trigger, alias, versions", func(t *testing.T) {
		require.NoError(t, tr.delete())
		require.NoError(t, a.delete())
		require.NoError(t, v2.delete())
		require.NoError(t, v1.delete())
	})
}

func TestAliasCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := testFunctionURN
	cases := []struct {
		name string
		in   property.Map
		path string
	}{
		{"bad name", props(map[string]any{"functionUrn": urn, "name": "1prod", "functionVersion": "v1"}), "name"},
		{"latest name", props(map[string]any{"functionUrn": urn, "name": "latest", "functionVersion": "v1"}), "name"},
		{"empty version", props(map[string]any{"functionUrn": urn, "name": "prod", "functionVersion": ""}), "functionVersion"},
		{"qualified urn", props(map[string]any{"functionUrn": urn + ":!prod", "name": "prod", "functionVersion": "v1"}), "functionUrn"},
		{"weight too high", aliasInputs(urn, "v1", map[string]any{"v2": 101}, ""), "additionalVersionWeights.v2"},
		{"negative weight", aliasInputs(urn, "v1", map[string]any{"v2": -1}, ""), "additionalVersionWeights.v2"},
		{"primary in weights", aliasInputs(urn, "v1", map[string]any{"v1": 10}, ""), "additionalVersionWeights.v1"},
		{"total over 100", aliasInputs(urn, "v1", map[string]any{"v2": 60, "v3": 50}, ""), "additionalVersionWeights"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.resource(t, "Alias", "bad").check(tc.in)
			require.Len(t, resp.Failures, 1, "%v", resp.Failures)
			assert.Equal(t, tc.path, resp.Failures[0].Property)
		})
	}
	_, total := c.fgsRequests()
	assert.Zero(t, total, "Check makes no API request")

	// Unknown weights (a version name not known until apply) are not flagged.
	resp := c.resource(t, "Alias", "preview").check(property.NewMap(map[string]property.Value{
		"functionUrn":              property.New(urn),
		"name":                     property.New("prod"),
		"functionVersion":          property.New(property.Computed),
		"additionalVersionWeights": property.New(property.Computed),
	}))
	assert.Empty(t, resp.Failures)
}
