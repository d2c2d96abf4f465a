package tests

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requestCounts returns the emulator's FunctionGraph request counts since the last reset, and resets them.
func requestCounts(c *cloud) (map[string]int, int) {
	counts := map[string]int{}
	total := 0
	for route, n := range c.Counts() {
		if strings.Contains(route, " /v2/") {
			counts[route] = n
			total += n
		}
	}
	c.ResetCounts()
	return counts, total
}

func logCounts(t *testing.T, c *cloud, op string) map[string]int {
	counts, total := requestCounts(c)
	routes := make([]string, 0, len(counts))
	for r, n := range counts {
		routes = append(routes, r+" x"+strconv.Itoa(n))
	}
	sort.Strings(routes)
	t.Logf("API requests for %s: %d (%s)", op, total, strings.Join(routes, ", "))
	return counts
}

// The Function lifecycle through the pulumi CLI, with the YAML example, against the emulator.
func TestFunctionEndToEndYAML(t *testing.T) {
	c := startCloud(t)
	s := newStack(t, filepath.Join(repoRoot, "examples", "yaml"), c, providerBin)
	c.ResetCounts()

	s.run("up", "--yes", "--skip-preview")
	logCounts(t, c, "create")
	out := s.outputs()
	urn, _ := out["functionUrn"].(string)
	name, _ := out["functionName"].(string)
	require.True(t, strings.HasPrefix(name, "hello-"), "auto-named from the resource name: %q", name)
	assert.Equal(t, "urn:fss:eu-de:"+c.cfg.ProjectID+":function:default:"+name, urn)
	assert.Len(t, out["digest"], 128, "SHA-512 digest of the stored package")
	assert.Equal(t, []string{name}, c.functionNames(t))
	assert.Equal(t, urn+":!live", out["aliasUrn"])
	assert.Regexp(t, `^v\d{8}-\d{6}$`, out["version"], "the service names unnamed versions")
	var triggers []map[string]any
	status, body := c.api(t, "GET", "/fgs/triggers/"+urn, nil)
	require.Equal(t, 200, status, string(body))
	require.NoError(t, json.Unmarshal(body, &triggers))
	require.Len(t, triggers, 1)
	assert.Equal(t, "TIMER", triggers[0]["trigger_type_code"])
	assert.Equal(t, map[string]any{"latest": 10.0}, aliasWeights(t, c, urn, "live"))
	versionID, _ := out["dependencyVersionId"].(string)
	numpyID, _ := out["numpyVersionId"].(string)
	require.NotEmpty(t, numpyID, "getDependencies found the public numpy package")
	assert.Equal(t, []any{versionID, numpyID}, liveConfig(t, c, urn)["depend_version_list"], "the function uses the DependencyVersion and numpy")
	// The Invocation's result is what examples/yaml/app/index.py returns for GREETING=hello.
	var smoke struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	require.NoError(t, json.Unmarshal([]byte(out["smokeTestResult"].(string)), &smoke), "smokeTestResult: %v", out["smokeTestResult"])
	assert.Equal(t, 200, smoke.StatusCode)
	assert.Equal(t, "application/json", smoke.Headers["Content-Type"])
	assert.JSONEq(t, `{"message": "hello from FunctionGraph"}`, smoke.Body)
	assert.Equal(t, map[string]string{"sample-greeting": `{"name":"world"}`}, testEvents(t, c, urn))
	assert.Equal(t, 2, int(asyncConfig(t, c, urn+":!live")["max_async_retry_attempts"].(float64)))
	assert.Equal(t, 1, reservedCount(t, c, urn, "live"))
	cli := checkYAMLInvocations(t, c, s, out)

	// Nothing changed: a clean preview, and a refresh that reads without writing.
	s.run("preview", "--expect-no-changes")
	s.run("refresh", "--yes", "--expect-no-changes")
	counts := logCounts(t, c, "preview + no-op refresh")
	for route := range counts {
		assert.True(t, strings.HasPrefix(route, "GET ") || strings.Contains(route, "resource-instances"), "preview/refresh must not mutate: %s", route)
	}

	// The provider's request log reaches `--debug` output, attributed to the resource, with no secret in it.
	debug := s.run("refresh", "--yes", "--debug")
	assert.Regexp(t, `fgs: GET /v2/\S+/fgs/functions/\S+/config -> 200`, debug)
	for _, secret := range []string{c.cfg.Password, "not-a-real-key"} {
		assert.NotContains(t, debug, secret)
	}

	// A memory change is an in-place update.
	s.run("config", "set", "memorySize", "512")
	preview := s.run("preview", "--diff")
	assert.Contains(t, preview, "~ fgs:index:Function")
	assert.Contains(t, preview, "memorySize")
	assert.NotContains(t, preview, "replace")
	s.run("up", "--yes", "--skip-preview")
	counts = logCounts(t, c, "memory update")
	assert.NotContains(t, counts, "PUT /v2/{project_id}/fgs/functions/{function_urn}/code", "a memory change uploads no code")
	assert.Equal(t, 512, liveConfig(t, c, urn)["memory_size"])

	// A provider configuration change updates the provider; it replaces nothing.
	s.run("config", "set", "fgs:maxRetries", "3")
	preview = s.run("preview", "--diff")
	assert.NotContains(t, preview, "replace")
	assert.NotContains(t, preview, "fgs:index:", "no resource changes with the provider's configuration")
	s.run("up", "--yes", "--skip-preview")
	c.ResetCounts()

	// A weight shift is an in-place update of the alias alone.
	s.run("config", "set", "canaryWeight", "50")
	preview = s.run("preview", "--diff")
	assert.Contains(t, preview, "~ fgs:index:Alias")
	assert.NotContains(t, preview, "~ fgs:index:Function")
	assert.NotContains(t, preview, "replace")
	c.ResetCounts()
	s.run("up", "--yes", "--skip-preview")
	counts = logCounts(t, c, "alias weight shift")
	assert.Equal(t, map[string]int{"PUT /v2/{project_id}/fgs/functions/{function_urn}/aliases/{alias_name}": 1}, onlyWrites(counts))
	assert.Equal(t, map[string]any{"latest": 50.0}, aliasWeights(t, c, urn, "live"))
	s.run("preview", "--expect-no-changes")

	// An in-place change of each of the function's companions, in one up. (The DependencyVersion has none:
	// versions are immutable, and the published FunctionVersion keeps using the one it was published with.)
	for key, value := range map[string]string{"sampleName": "pulumi", "asyncRetries": "1", "warmInstances": "2"} {
		s.run("config", "set", key, value)
	}
	preview = s.run("preview", "--diff")
	for _, want := range []string{"~ fgs:index:TestEvent: (update)", "~ fgs:index:AsyncInvokeConfig: (update)",
		"~ fgs:index:ReservedInstances: (update)", "~ fgs:index:Invocation: (update)"} {
		assert.Contains(t, preview, want)
	}
	for _, unchanged := range []string{"fgs:index:Function:", "fgs:index:Alias", "fgs:index:DependencyVersion", "replace"} {
		assert.NotContains(t, preview, unchanged)
	}
	s.run("up", "--yes", "--skip-preview")
	counts = logCounts(t, c, "test event, async config, reserved instances")
	assert.Equal(t, map[string]int{"PUT /v2/{project_id}/fgs/functions/{function_urn}/events/{event_id}": 1,
		"PUT /v2/{project_id}/fgs/functions/{function_urn}/async-invoke-config": 1,
		"PUT /v2/{project_id}/fgs/functions/{function_urn}/reservedinstances":   1,
		"POST /v2/{project_id}/fgs/functions/{function_urn}/invocations":        1}, onlyWrites(counts),
		"the Invocation's input follows sampleName, so it calls the alias again")
	assert.Equal(t, map[string]string{"sample-greeting": `{"name":"pulumi"}`}, testEvents(t, c, urn))
	assert.Equal(t, 1, int(asyncConfig(t, c, urn+":!live")["max_async_retry_attempts"].(float64)))
	assert.Equal(t, 2, reservedCount(t, c, urn, "live"))
	s.run("preview", "--expect-no-changes")

	// A code change is an update of `code` only, and publishes a new version for the alias.
	require.NoError(t, os.WriteFile(filepath.Join(s.dir, "app", "index.py"), []byte("def handler(event, context):\n    return 'changed'\n"), 0o644))
	preview = s.run("preview", "--diff")
	assert.Contains(t, preview, "~ code: archive")
	assert.Contains(t, preview, "~ fgs:index:Function: (update)")
	assert.Contains(t, preview, "+-fgs:index:FunctionVersion: (replace)", "new code publishes a new version")
	assert.NotContains(t, preview, "fgs:index:Function: (replace)")
	assert.NotContains(t, preview, "fgs:index:Trigger", "the trigger does not change with the code")
	digestBefore := out["digest"]
	s.run("up", "--yes", "--skip-preview")
	counts = logCounts(t, c, "code update")
	assert.Equal(t, 1, counts["PUT /v2/{project_id}/fgs/functions/{function_urn}/code"])
	assert.NotContains(t, counts, "PUT /v2/{project_id}/fgs/functions/{function_urn}/config", "a code change leaves the configuration alone")
	assert.NotEqual(t, digestBefore, s.outputs()["digest"])
	s.run("preview", "--expect-no-changes")
	assert.Equal(t, "changed", invokeWithCLI(t, s, cli, name), "the new code runs")

	// An out-of-band change shows up on refresh, and the next up puts it back.
	live := liveConfig(t, c, urn)
	live["timeout"] = 99
	status, body = c.api(t, "PUT", "/fgs/functions/"+urn+"/config", live)
	require.Equal(t, 200, status, string(body))
	refresh := s.run("refresh", "--yes", "--diff")
	assert.Contains(t, refresh, "timeout")
	preview = s.run("preview", "--diff")
	assert.Contains(t, preview, "timeout")
	s.run("up", "--yes", "--skip-preview")
	assert.Equal(t, 30, liveConfig(t, c, urn)["timeout"])

	// Code replaced behind Pulumi's back: refresh shows it, and the next up puts the program's code back.
	digestBefore = s.outputs()["digest"]
	status, body = c.api(t, "PUT", "/fgs/functions/"+urn+"/code", map[string]any{
		"code_type": "zip", "code_filename": "index.zip",
		"func_code": map[string]any{"file": base64.StdEncoding.EncodeToString(zipOf(t, "index.py", "def handler(e, c):\n    return 'hacked'\n"))},
	})
	require.Equal(t, 200, status, string(body))
	refresh = s.run("refresh", "--yes", "--diff")
	assert.Contains(t, refresh, "code")
	preview = s.run("preview", "--diff")
	assert.Contains(t, preview, "~ fgs:index:Function: (update)")
	assert.Contains(t, preview, "code")
	s.run("up", "--yes", "--skip-preview")
	assert.Equal(t, digestBefore, s.outputs()["digest"], "the program's package is back")
	s.run("preview", "--expect-no-changes")

	// A runtime change replaces the function (the name is kept, so the old one goes first).
	yml := filepath.Join(s.dir, "Pulumi.yaml")
	raw, err := os.ReadFile(yml)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(yml, []byte(strings.Replace(string(raw), "runtime: Python3.9\n      handler:", "runtime: Python3.6\n      handler:", 1)), 0o644))
	changed, err := os.ReadFile(yml)
	require.NoError(t, err)
	require.NotEqual(t, string(raw), string(changed), "the function's runtime was changed")
	preview = s.run("preview", "--diff")
	assert.Contains(t, preview, "+-")
	assert.Contains(t, preview, "runtime")
	require.NoError(t, os.WriteFile(yml, raw, 0o644))

	// No secret reaches the state in plain text.
	export := s.run("stack", "export")
	assert.NotContains(t, export, "not-a-real-key")
	assert.Contains(t, export, "secretEnvironment")

	// Deleted behind Pulumi's back: refresh drops it from state.
	status, body = c.api(t, "DELETE", "/fgs/functions/"+urn, nil)
	require.Equal(t, 204, status, string(body))
	s.run("refresh", "--yes")
	assert.NotContains(t, s.run("stack", "--show-urns"), "fgs:index:Function::hello")
	s.run("up", "--yes", "--skip-preview")
	assert.Len(t, c.functionNames(t), 1)

	c.ResetCounts()
	s.run("destroy", "--yes", "--skip-preview")
	logCounts(t, c, "destroy (every resource of the example)")
	assert.Empty(t, c.functionNames(t))
	assert.Empty(t, privateDependencies(t, c), "the DependencyVersion is deleted with its dependency")
}

// onlyWrites keeps the requests that change something.
func onlyWrites(counts map[string]int) map[string]int {
	out := map[string]int{}
	for route, n := range counts {
		if !strings.HasPrefix(route, "GET ") {
			out[route] = n
		}
	}
	return out
}

// testEvents are the function's test events, name to decoded content.
func testEvents(t *testing.T, c *cloud, urn string) map[string]string {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/functions/"+urn+"/events", nil)
	require.Equal(t, 200, status, string(body))
	var list struct {
		Events []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(body, &list))
	out := map[string]string{}
	for _, e := range list.Events {
		status, body := c.api(t, "GET", "/fgs/functions/"+urn+"/events/"+e.ID, nil)
		require.Equal(t, 200, status, string(body))
		var ev struct {
			Content string `json:"content"`
		}
		require.NoError(t, json.Unmarshal(body, &ev))
		content, err := base64.StdEncoding.DecodeString(ev.Content)
		require.NoError(t, err)
		out[e.Name] = string(content)
	}
	return out
}

func asyncConfig(t *testing.T, c *cloud, qualifiedURN string) map[string]any {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/functions/"+qualifiedURN+"/async-invoke-config", nil)
	require.Equal(t, 200, status, string(body))
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	return m
}

// reservedCount is the reserved instance count of the function's alias.
func reservedCount(t *testing.T, c *cloud, urn, alias string) int {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/functions/reservedinstanceconfigs?function_urn="+urn, nil)
	require.Equal(t, 200, status, string(body))
	var list struct {
		Items []struct {
			Type  string  `json:"qualifier_type"`
			Name  string  `json:"qualifier_name"`
			Count float64 `json:"min_count"`
		} `json:"reserved_instances"`
	}
	require.NoError(t, json.Unmarshal(body, &list))
	for _, it := range list.Items {
		if it.Type == "alias" && it.Name == alias {
			return int(it.Count)
		}
	}
	return 0
}

// privateDependencies are the names of the account's own dependencies.
func privateDependencies(t *testing.T, c *cloud) []string {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/dependencies?dependency_type=private", nil)
	require.Equal(t, 200, status, string(body))
	var list struct {
		Dependencies []struct {
			Name string `json:"name"`
		} `json:"dependencies"`
	}
	require.NoError(t, json.Unmarshal(body, &list))
	names := []string{}
	for _, d := range list.Dependencies {
		names = append(names, d.Name)
	}
	return names
}

// zipOf is a zip holding one file.
func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	require.NoError(t, err)
	_, err = w.Write([]byte(content))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func aliasWeights(t *testing.T, c *cloud, urn, alias string) map[string]any {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/functions/"+urn+"/aliases/"+alias, nil)
	require.Equal(t, 200, status, string(body))
	var a struct {
		Weights map[string]any `json:"additional_version_weights"`
	}
	require.NoError(t, json.Unmarshal(body, &a))
	return a.Weights
}

// `pulumi import` rebuilds the inputs, and a program that declares the same function then previews clean.
func TestFunctionImportRoundTrip(t *testing.T) {
	c := startCloud(t)
	s := newStack(t, filepath.Join(repoRoot, "tests", "testdata", "release"), c, providerBin)
	yml := filepath.Join(s.dir, "Pulumi.yaml")
	raw, err := os.ReadFile(yml)
	require.NoError(t, err)
	program := strings.Replace(string(raw), "    options:\n      version: PLUGIN_VERSION\n", "", 1)
	require.NoError(t, os.WriteFile(yml, []byte(program), 0o644))

	// Made by Pulumi in one stack, then forgotten by it: a function that exists but that no stack manages.
	s.run("up", "--yes", "--skip-preview")
	urn := s.outputs()["functionUrn"].(string)
	s.run("state", "delete", "--yes", "--all")
	require.Equal(t, []string{"release-check"}, c.functionNames(t))

	out := s.run("import", "fgs:index:Function", "hello", "default:release-check", "--yes", "--skip-preview", "--generate-code=false", "--protect=false")
	assert.NotContains(t, out, "error")
	state := s.run("stack", "export")
	for _, want := range []string{`"runtime": "Python3.9"`, `"handler": "index.handler"`, `"memorySize": 128`, `"timeout": 30`, `"name": "release-check"`, urn} {
		assert.Contains(t, state, want)
	}
	// The program declares the same function from the same code: nothing to change.
	s.run("preview", "--expect-no-changes")
	s.run("destroy", "--yes", "--skip-preview")
	assert.Empty(t, c.functionNames(t))
}

func liveConfig(t *testing.T, c *cloud, urn string) map[string]any {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/functions/"+urn+"/config", nil)
	require.Equal(t, 200, status, string(body))
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	for k, v := range m {
		if f, ok := v.(float64); ok && f == float64(int(f)) {
			m[k] = int(f)
		}
	}
	return m
}
