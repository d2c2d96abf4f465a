package tests

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Through the engine (the Pulumi CLI and the built plugin): getDependencies finds a public dependency by name
// and its version ID reaches the Function; invokeFunction is not called in a preview (the engine's preview
// flag reaches it) but in every update; the Invocation calls on create only. The emulator runs the adder
// handler of testdata/invoke/app ({"sum": a+b} of its event): the results are the sums of the inputs.
func TestProviderFunctionsAndInvocationEndToEnd(t *testing.T) {
	c := startCloud(t)
	t.Cleanup(func() { _ = c.Close() })
	calls := func() int { return c.Counts()[syncInvocationRoute] }
	s := newStack(t, filepath.Join(repoRoot, "tests", "testdata", "invoke"), c, providerBin)

	s.run("up", "--yes")
	out := s.outputs()
	require.NotEmpty(t, out["numpyVersionId"])
	assert.Equal(t, []any{out["numpyVersionId"]}, out["dependencyVersions"], "the public dependency, by name")
	assert.Equal(t, true, out["smokeInvoked"])
	assert.JSONEq(t, `{"sum": 3}`, out["smokeResult"].(string), "1 + 2")
	assert.Equal(t, map[string]any{"sum": 42.0}, out["seedResult"], "20 + 22")
	assert.Equal(t, 2, calls(), "up: invokeFunction once in the update (not in its preview), the Invocation once")

	preview := s.run("preview", "--diff")
	assert.Equal(t, 2, calls(), "a preview calls nothing:\n%s", preview)
	assert.Regexp(t, `smokeInvoked\s*: true => false`, preview, "the preview shows the call skipped")

	s.run("up", "--yes")
	assert.Equal(t, 3, calls(), "a second up calls invokeFunction again, the unchanged Invocation not")
	out = s.outputs()
	assert.Equal(t, map[string]any{"sum": 42.0}, out["seedResult"])
	assert.JSONEq(t, `{"sum": 3}`, out["smokeResult"].(string))
}
