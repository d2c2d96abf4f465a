package provider

import (
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A function declared without code, codeUrl or customImage is one whose code Pulumi leaves alone: what
// `pulumi import` generates for an existing function. Check accepts it, an import previews with no change,
// an update of its configuration never touches the package, and only creating one is refused, naming code.
func TestFunctionWithoutCodeLeavesTheCodeAlone(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "adopted", false)
	before := c.liveConfig(t, urn)

	noCode := map[string]any{"name": "adopted", "runtime": "Python3.9", "handler": "index.handler"}

	c.step(t, "check accepts a function without code", func(t *testing.T) {
		c.em.ResetCounts()
		resp := c.resource(t, "Function", "probe").check(props(noCode))
		assert.Empty(t, resp.Failures)
		_, total := c.fgsRequests()
		assert.Zero(t, total, "Check must not call the API")
	})

	c.step(t, "create without code fails in preview, naming code", func(t *testing.T) {
		chk := c.resource(t, "Function", "fresh").check(props(map[string]any{"name": "fresh", "runtime": "Python3.9", "handler": "index.handler"}))
		require.Empty(t, chk.Failures)
		for _, dry := range []bool{true, false} {
			_, err := c.server.Create(p.CreateRequest{Urn: urnOf("Function", "fresh"), Properties: chk.Inputs, DryRun: dry})
			require.Error(t, err, "dry run %v", dry)
			assert.Contains(t, err.Error(), "code:")
			assert.Contains(t, err.Error(), "codeUrl")
		}
		_, total := c.fgsRequests()
		assert.Zero(t, total, "the refusal comes before any API call")
	})

	r := c.resource(t, "Function", "adopted")
	c.step(t, "import, then the generated inputs diff clean", func(t *testing.T) {
		imp := c.importID(t, "Function", urn)
		require.Equal(t, urn, imp.ID)
		_, hasCode := imp.Inputs.GetOk("code")
		assert.False(t, hasCode, "the import cannot know the local archive")
		r.id, r.state, r.ins = imp.ID, imp.Properties, imp.Inputs
		diff, _ := r.diff(imp.Inputs)
		assert.False(t, diff.HasChanges, "detailed diff: %+v", diff.DetailedDiff)
	})

	c.step(t, "a configuration update sends no code", func(t *testing.T) {
		c.em.ResetCounts()
		diff, checked := r.diff(props(merged(noCode, map[string]any{"memorySize": 256})))
		require.True(t, diff.HasChanges)
		assert.NotContains(t, diffKinds(diff), "code")
		require.NoError(t, r.update(checked))
		counts, _ := c.fgsRequests()
		assert.NotEmpty(t, counts, "the update was sent")
		for route := range counts {
			assert.False(t, strings.HasPrefix(route, "PUT ") && strings.HasSuffix(route, "/code"), "no code upload: %s", route)
		}
		after := c.liveConfig(t, urn)
		assert.Equal(t, 256.0, after["memory_size"])
		assert.Equal(t, before["digest"], after["digest"], "the package is the one deployed outside Pulumi")
	})

	c.step(t, "changing dependencyVersions without code is refused with the way out", func(t *testing.T) {
		_, checked := r.diff(props(merged(noCode, map[string]any{"memorySize": 256, "dependencyVersions": []any{"dep-version-1"}})))
		err := r.update(checked)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "dependencyVersions")
		assert.Contains(t, err.Error(), "set code or codeUrl")
	})
}
