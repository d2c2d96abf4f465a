package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveDigest is the function's current code digest, as the Function resource's `digest` output gives it.
func (c *testCloud) liveDigest(t *testing.T, urn string) string {
	t.Helper()
	code, err := c.apiClient(t).Functions.GetCode(context.Background(), urn)
	require.NoError(t, err)
	c.em.ResetCounts()
	return code.Digest
}

func TestFunctionVersionLifecycle(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "versioned", false)
	digest := c.liveDigest(t, urn)
	v1 := c.resource(t, "FunctionVersion", "v1")
	in := props(map[string]any{"functionUrn": urn, "name": "v1", "description": "first", "digest": digest})

	c.step(t, "publish", func(t *testing.T) {
		v1.mustCreate(in)
		assert.Equal(t, urn+":v1", v1.id)
		assert.Equal(t, "v1", str(v1.state, "version"))
		assert.Equal(t, urn+":v1", str(v1.state, "qualifiedUrn"))
		assert.Equal(t, digest, str(v1.state, "digest"))
		assert.Greater(t, v1.state.Get("codeSize").AsNumber(), 0.0)
		assert.Equal(t, 1, c.logRequests(t, "FunctionVersion create"))
	})

	c.step(t, "refresh and diff are no-ops", func(t *testing.T) {
		before := v1.ins
		resp := v1.read()
		require.Equal(t, v1.id, resp.ID)
		assert.Equal(t, before, resp.Inputs)
		d, _ := v1.diff(in)
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
		assert.Equal(t, 1, c.logRequests(t, "FunctionVersion no-op read"))
	})

	c.step(t, "import by <functionUrn>:<version>", func(t *testing.T) {
		imp := c.importID(t, "FunctionVersion", urn+":v1")
		require.Equal(t, urn+":v1", imp.ID)
		assert.Equal(t, urn, str(imp.Inputs, "functionUrn"))
		assert.Equal(t, "v1", str(imp.Inputs, "name"))
		assert.Equal(t, "first", str(imp.Inputs, "description"))
		assert.Equal(t, digest, str(imp.Inputs, "digest"), "the digest the version was published from")
		c.requests()
	})

	// A trigger bound to the version (its qualified URN) goes with it: the service deletes a version's triggers.
	tr := c.resource(t, "Trigger", "on-v1")
	c.step(t, "bind a trigger to the version", func(t *testing.T) {
		tr.mustCreate(withBase(str(v1.state, "qualifiedUrn"), "TIMER", triggerInputs(urn)["TIMER"]))
		assert.True(t, strings.HasPrefix(tr.id, urn+":v1/TIMER/"), tr.id)
		c.requests()
	})

	c.step(t, "delete takes the trigger with it", func(t *testing.T) {
		require.NoError(t, v1.delete())
		assert.Equal(t, 1, c.logRequests(t, "FunctionVersion delete"))
		assert.Equal(t, "", v1.read().ID, "a deleted version reads as gone")
		assert.Equal(t, "", tr.read().ID, "its trigger is gone with it")
		require.NoError(t, tr.delete())
	})
}

// Publishing an unchanged function fails with a message that says what to change; after a code change the
// Function's new digest replaces the version with a newly published one.
func TestFunctionVersionPublishAfterCodeChange(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "republish", false)
	first := c.liveDigest(t, urn)
	v := c.resource(t, "FunctionVersion", "release")

	c.step(t, "publish with a service-generated name", func(t *testing.T) {
		v.mustCreate(props(map[string]any{"functionUrn": urn, "digest": first}))
		assert.Regexp(t, regexp.MustCompile(`^v\d{8}-\d{6}$`), str(v.state, "version"), "service-generated name")
	})

	c.step(t, "an unchanged function is refused with advice", func(t *testing.T) {
		again := c.resource(t, "FunctionVersion", "again")
		err := again.create(props(map[string]any{"functionUrn": urn, "name": "v-again"}))
		require.Error(t, err)
		t.Logf("unchanged publish: %v", err)
		assert.Contains(t, err.Error(), "FSS.1016")
		assert.Contains(t, err.Error(), "has not changed since its last published version")
		assert.Contains(t, err.Error(), "Change the function's code or configuration")
		c.requests()
	})

	second := ""
	c.step(t, "a code change replaces the version", func(t *testing.T) {
		// The code changes: the Function's digest output changes, and with it the version.
		c.changeCode(t, urn, "def handler(event, context):\n    return 'v2'\n")
		second = c.liveDigest(t, urn)
		require.NotEqual(t, first, second)
		d, _ := v.diff(props(map[string]any{"functionUrn": urn, "digest": second}))
		assert.Equal(t, map[string]p.DiffKind{"digest": p.UpdateReplace}, diffKinds(d))
		// (The replacement below is given a name: two service-generated names within one second would clash.)
		assert.False(t, d.DeleteBeforeReplace, "a service-named version is published before the old one is deleted")

		old := *v
		v.mustCreate(props(map[string]any{"functionUrn": urn, "name": "second", "digest": second}))
		assert.Equal(t, second, str(v.state, "digest"))
		assert.NotEqual(t, old.id, v.id)
		require.NoError(t, old.delete())
		c.logRequests(t, "FunctionVersion replace (publish + delete)")
	})

	c.step(t, "a stale digest is refused", func(t *testing.T) {
		stale := c.resource(t, "FunctionVersion", "stale")
		c.changeCode(t, urn, "def handler(event, context):\n    return 'v3'\n")
		err := stale.create(props(map[string]any{"functionUrn": urn, "digest": second}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "pass the Function's current `digest` output")
	})

	c.step(t, "a fixed name that stays is deleted before its replacement", func(t *testing.T) {
		named := c.resource(t, "FunctionVersion", "named")
		named.mustCreate(props(map[string]any{"functionUrn": urn, "name": "stable", "description": "a"}))
		d, _ := named.diff(props(map[string]any{"functionUrn": urn, "name": "stable", "description": "b"}))
		assert.Equal(t, map[string]p.DiffKind{"description": p.UpdateReplace}, diffKinds(d))
		assert.True(t, d.DeleteBeforeReplace, "the name would clash")
		d, _ = named.diff(props(map[string]any{"functionUrn": urn, "name": "stable2", "description": "a"}))
		assert.Equal(t, map[string]p.DiffKind{"name": p.UpdateReplace}, diffKinds(d))
		assert.False(t, d.DeleteBeforeReplace)
	})
}

func TestFunctionVersionCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := testFunctionURN
	cases := []struct {
		name string
		in   map[string]any
		path string
	}{
		{"latest", map[string]any{"functionUrn": urn, "name": "latest"}, "name"},
		{"bad name", map[string]any{"functionUrn": urn, "name": "v 1"}, "name"},
		{"long name", map[string]any{"functionUrn": urn, "name": "v" + strings.Repeat("1", 42)}, "name"},
		{"long description", map[string]any{"functionUrn": urn, "description": strings.Repeat("d", 513)}, "description"},
		{"qualified urn", map[string]any{"functionUrn": urn + ":v1"}, "functionUrn"},
		{"not a urn", map[string]any{"functionUrn": "hello"}, "functionUrn"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.resource(t, "FunctionVersion", "bad").check(props(tc.in))
			require.Len(t, resp.Failures, 1, "%v", resp.Failures)
			assert.Equal(t, tc.path, resp.Failures[0].Property)
		})
	}
	_, total := c.fgsRequests()
	assert.Zero(t, total, "Check makes no API request")
}

// An imported version that the service named, declared as programs declare it (no name, the function's digest),
// previews with no change.
func TestFunctionVersionImportOfAnUnnamedVersionPreviewsClean(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "imported", false)
	digest := c.liveDigest(t, urn)
	v := c.resource(t, "FunctionVersion", "release")
	v.mustCreate(props(map[string]any{"functionUrn": urn, "digest": digest}))

	imp := c.importID(t, "FunctionVersion", v.id)
	require.Equal(t, v.id, imp.ID)
	_, named := imp.Inputs.GetOk("name")
	assert.False(t, named, "a generated name is not an input: %v", imp.Inputs)
	program := props(map[string]any{"functionUrn": urn, "digest": digest})
	d, err := c.server.Diff(p.DiffRequest{ID: imp.ID, Urn: urnOf("FunctionVersion", "imported"), State: imp.Properties, Inputs: program, OldInputs: imp.Inputs})
	require.NoError(t, err)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}
