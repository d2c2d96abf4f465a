package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// startCloudAnsweringInvocations is an emulator with the synchronous invocation API answered in front of it,
// as the adder handler of testdata/invoke would answer ({"sum": a+b}), counting the calls: the emulator does
// not run code yet. When it does, this test runs against it and the real handler instead.
func startCloudAnsweringInvocations(t *testing.T) (*cloud, *atomic.Int32) {
	t.Helper()
	cfg := emulator.DefaultConfig()
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/invocations") {
			em.ServeHTTP(w, r)
			return
		}
		calls.Add(1)
		var ev struct{ A, B float64 }
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &ev)
		result, _ := json.Marshal(map[string]any{"sum": ev.A + ev.B})
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"request_id": "req-e2e", "result": string(result), "status": 200, "log": ""})
	}))
	t.Cleanup(srv.Close)
	return &cloud{Emulator: em, URL: srv.URL, cfg: cfg}, &calls
}

// Through the engine (the Pulumi CLI and the built plugin): getDependencies finds a public dependency by name
// and its version ID reaches the Function; invokeFunction is not called in a preview (the engine's preview
// flag reaches it) but in every update; the Invocation calls on create only.
func TestProviderFunctionsAndInvocationEndToEnd(t *testing.T) {
	c, calls := startCloudAnsweringInvocations(t)
	s := newStack(t, filepath.Join(repoRoot, "tests", "testdata", "invoke"), c, providerBin)

	s.run("up", "--yes")
	out := s.outputs()
	require.NotEmpty(t, out["numpyVersionId"])
	assert.Equal(t, []any{out["numpyVersionId"]}, out["dependencyVersions"], "the public dependency, by name")
	assert.Equal(t, true, out["smokeInvoked"])
	assert.JSONEq(t, `{"sum": 3}`, out["smokeResult"].(string))
	assert.Equal(t, map[string]any{"sum": 42.0}, out["seedResult"])
	assert.Equal(t, int32(2), calls.Load(), "up: invokeFunction once in the update (not in its preview), the Invocation once")

	preview := s.run("preview", "--diff")
	assert.Equal(t, int32(2), calls.Load(), "a preview calls nothing:\n%s", preview)
	assert.Regexp(t, `smokeInvoked\s*: true => false`, preview, "the preview shows the call skipped")

	s.run("up", "--yes")
	assert.Equal(t, int32(3), calls.Load(), "a second up calls invokeFunction again, the unchanged Invocation not")
	assert.Equal(t, map[string]any{"sum": 42.0}, s.outputs()["seedResult"])
}
