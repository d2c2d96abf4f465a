package tests

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// What the deployed examples answer when they are called: each end-to-end test calls the function its
// `pulumi up` deployed, through the API, and checks the answer against what the handler's code computes.

// syncInvocationRoute is the emulator's request-count key of a synchronous invocation.
const syncInvocationRoute = "POST /v2/{project_id}/fgs/functions/{function_urn}/invocations"

// helloAnswer is what the examples' handler (examples/*/app/index.py) returns: an APIG-style answer whose
// body is the JSON text {"message": "<GREETING> from FunctionGraph"}, GREETING being "hello" when unset.
func helloAnswer(t *testing.T, greeting string) map[string]any {
	t.Helper()
	if greeting == "" {
		greeting = "hello"
	}
	body, err := json.Marshal(map[string]string{"message": greeting + " from FunctionGraph"})
	require.NoError(t, err)
	return map[string]any{"statusCode": 200.0, "headers": map[string]any{"Content-Type": "application/json"}, "body": string(body)}
}

// assertHelloAnswer checks that result (the handler's return value as the service gives it, JSON text) is
// helloAnswer for greeting; the body is compared as JSON, since Python's json.dumps spaces it its own way.
func assertHelloAnswer(t *testing.T, greeting, result string) {
	t.Helper()
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(result), &got), "the answer is JSON: %q", result)
	want := helloAnswer(t, greeting)
	gotBody, _ := got["body"].(string)
	assert.JSONEq(t, want["body"].(string), gotBody, "the body the handler built")
	delete(got, "body")
	delete(want, "body")
	assert.Equal(t, want, got)
}

// liveGreeting is the GREETING variable of the deployed function, as the service stores it (user_data).
func liveGreeting(t *testing.T, c *cloud, urn string) string {
	t.Helper()
	raw, _ := liveConfig(t, c, urn)["user_data"].(string)
	var env map[string]string
	if raw != "" {
		require.NoError(t, json.Unmarshal([]byte(raw), &env), "user_data: %q", raw)
	}
	return env["GREETING"]
}

// checkExampleInvocations calls the function a language example deployed (its stack outputs functionUrn and
// aliasUrn) through the client, unqualified and through the alias, and checks both answers; the TypeScript
// example also calls it itself (invokeFunction) and reads the quotas (getQuotas), and those stack outputs are
// checked too. The emulator is closed at the end of the test, which stops the instances it started.
func checkExampleInvocations(t *testing.T, c *cloud, lang string, out map[string]any) {
	t.Helper()
	defer logElapsed(t, "invocation checks", time.Now())
	t.Cleanup(func() { _ = c.Close() })
	urn, _ := out["functionUrn"].(string)
	greeting := liveGreeting(t, c, urn)
	require.Equal(t, "hello", greeting, "the examples set GREETING")
	cl := apiClient(t, c)
	for _, target := range []string{urn, urn + ":!live"} {
		res, err := cl.Invocations.Invoke(context.Background(), target, map[string]any{"from": lang}, &fgs.InvokeOptions{LogType: "tail"})
		require.NoError(t, err, target)
		assert.Equal(t, 200, res.Status.Int(), "%s: %s", target, res.Result)
		assertHelloAnswer(t, greeting, res.Result.String())
		assert.Contains(t, res.Log.String(), "Finish invoke request '"+res.RequestID+"'")
	}
	if lang != "nodejs" {
		return
	}
	smoke, _ := out["smokeResult"].(string)
	assertHelloAnswer(t, greeting, smoke)
	assert.Equal(t, float64(c.cfg.FunctionQuota), out["functionQuota"], "getQuotas: the function quota")
}

// apiClient is the project's REST client, configured for the emulator as a program would be.
func apiClient(t *testing.T, c *cloud) *fgs.Client {
	t.Helper()
	cl, err := fgs.NewClient(fgs.Options{
		Region: c.cfg.Region, AuthURL: c.URL + "/v3", Endpoint: c.URL, ProjectName: c.cfg.ProjectName,
		DomainName: c.cfg.DomainName, UserName: c.cfg.UserName, Password: c.cfg.Password, MaxRetries: -1,
	})
	require.NoError(t, err)
	return cl
}

// emulatorCLI builds fgs-emulator for one test and returns its path.
func emulatorCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fgs-emulator")
	build := exec.Command("go", "build", "-o", bin, "./cmd/fgs-emulator")
	build.Dir = repoRoot
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building fgs-emulator:\n%s", out)
	return bin
}

// invokeWithCLI runs `fgs-emulator invoke TARGET` with the stack's environment (the OS_* variables and
// FGS_ENDPOINT a user exports, README "Testing your functions locally") and returns what it printed: the
// function's result.
func invokeWithCLI(t *testing.T, s *stack, bin, target string) string {
	t.Helper()
	cmd := exec.Command(bin, "invoke", target, "--payload", `{"from": "cli"}`)
	cmd.Env = s.env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "fgs-emulator invoke %s: %s", target, stderr.String())
	return strings.TrimSuffix(stdout.String(), "\n")
}

// checkYAMLInvocations calls the function examples/yaml deployed with `fgs-emulator invoke`, by name and by
// its alias URN, and checks both answers. It returns the CLI, for later calls in the same test.
func checkYAMLInvocations(t *testing.T, c *cloud, s *stack, out map[string]any) string {
	t.Helper()
	defer logElapsed(t, "invocation checks (with building fgs-emulator)", time.Now())
	t.Cleanup(func() { _ = c.Close() })
	bin := emulatorCLI(t)
	urn, _ := out["functionUrn"].(string)
	greeting := liveGreeting(t, c, urn)
	require.Equal(t, "hello", greeting, "the example sets GREETING")
	before := c.Counts()[syncInvocationRoute]
	assertHelloAnswer(t, greeting, invokeWithCLI(t, s, bin, out["functionName"].(string)))
	assertHelloAnswer(t, greeting, invokeWithCLI(t, s, bin, out["aliasUrn"].(string)))
	assert.Equal(t, 2, c.Counts()[syncInvocationRoute]-before, "each invoke is one call of the function")
	// The test goes on to count the requests of a preview and a refresh: these calls are not theirs.
	c.ResetCounts()
	return bin
}

// logElapsed logs how long the checks took: what they add to the test.
func logElapsed(t *testing.T, what string, start time.Time) {
	t.Helper()
	t.Logf("%s: %.2fs", what, time.Since(start).Seconds())
}
