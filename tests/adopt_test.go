package tests

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adoptedProject is a project made outside Pulumi, through the API: two functions in two apps, a TIMER and an
// APIG trigger, a published version, a weighted alias and a test event, and the rest the provider has: async
// settings and reserved instances on the alias, a dependency version one function uses (left out of the
// import, with a note: its package is never returned). It returns the two function URNs.
func adoptedProject(t *testing.T, c *cloud) (orders, invoices string) {
	t.Helper()
	create := func(app, name string, deps []string) string {
		status, body := c.api(t, "POST", "/fgs/functions", map[string]any{"depend_version_list": deps,
			"func_name": name, "package": app, "runtime": "Python3.9", "handler": "index.handler", "memory_size": 256, "timeout": 30,
			"code_type": "zip", "code_filename": "index.zip", "description": "made in the console",
			"user_data": `{"STAGE":"prod"}`,
			"func_code": map[string]any{"file": base64.StdEncoding.EncodeToString(zipOf(t, "index.py", "def handler(event, context):\n    return '"+name+"'\n"))},
		})
		require.Equal(t, 200, status, string(body))
		var f struct {
			URN string `json:"func_urn"`
		}
		require.NoError(t, json.Unmarshal(body, &f))
		return strings.TrimSuffix(f.URN, ":latest")
	}
	must := func(status int, body []byte) {
		t.Helper()
		require.Contains(t, []int{200, 201}, status, string(body))
	}
	status, body := c.api(t, "POST", "/fgs/dependencies/version", map[string]any{"name": "shared-libs", "runtime": "Python3.9",
		"depend_type": "zip", "depend_file": base64.StdEncoding.EncodeToString(zipOf(t, "python/helpers.py", "X = 1\n"))})
	require.Equal(t, 200, status, string(body))
	var dep struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &dep))
	orders, invoices = create("shop", "orders", nil), create("billing", "invoices", []string{dep.ID})
	must(c.api(t, "POST", "/fgs/triggers/"+orders, map[string]any{"trigger_type_code": "TIMER", "trigger_status": "ACTIVE",
		"event_data": map[string]any{"name": "every-5m", "schedule_type": "Rate", "schedule": "5m"}}))
	must(c.api(t, "POST", "/fgs/triggers/"+invoices, map[string]any{"trigger_type_code": "APIG", "event_data": map[string]any{
		"group_id": "a9ad0d5df4d7475c9bc35a7c17d89304", "env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "env_name": "RELEASE",
		"name": "API_invoices", "path": "/invoices", "auth": "NONE", "protocol": "HTTPS", "req_method": "ANY", "match_mode": "SWA", "timeout": 5000}}))
	must(c.api(t, "POST", "/fgs/functions/"+orders+"/versions", map[string]any{"version": "v1", "description": "first release"}))
	must(c.api(t, "POST", "/fgs/functions/"+orders+"/aliases", map[string]any{"name": "live", "version": "v1",
		"additional_version_weights": map[string]any{"latest": 10}}))
	must(c.api(t, "PUT", "/fgs/functions/"+orders+":!live/async-invoke-config", map[string]any{"max_async_retry_attempts": 2, "max_async_event_age_in_seconds": 600}))
	must(c.api(t, "PUT", "/fgs/functions/"+orders+":!live/reservedinstances", map[string]any{"count": 1}))
	must(c.api(t, "POST", "/fgs/functions/"+orders+"/events", map[string]any{"name": "sample-order", "content": base64.StdEncoding.EncodeToString([]byte(`{"orderId":42}`))}))
	return orders, invoices
}

// runAdopt builds fgs-adopt and runs it against the cloud, writing the import file into dir.
func runAdopt(t *testing.T, c *cloud, dir string) (file, output string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fgs-adopt")
	runIn(t, repoRoot, nil, "go", "build", "-o", bin, "./cmd/fgs-adopt")
	file = filepath.Join(dir, "import.json")
	cmd := exec.Command(bin, "--out", file)
	cmd.Env = append(os.Environ(), c.env()...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "fgs-adopt:\n%s", out)
	t.Logf("fgs-adopt:\n%s", out)
	return file, string(out)
}

// newEmptyStack is a new stack of a project holding only the files given.
func newEmptyStack(t *testing.T, c *cloud, files map[string]string) *stack {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return newStack(t, dir, c, providerBin)
}

// adoptInto imports the file into the stack, writing the generated program to program, and checks that the
// program refers to the imported functions instead of repeating their URNs.
func adoptInto(t *testing.T, s *stack, importFile, program string, orders, invoices string) string {
	t.Helper()
	out := s.run("import", "--file", importFile, "--out", program, "--yes", "--protect=false")
	assert.NotContains(t, out, "error")
	raw, err := os.ReadFile(filepath.Join(s.dir, program))
	require.NoError(t, err)
	code := string(raw)
	t.Logf("generated %s:\n%s", program, code)
	for _, urn := range []string{orders, invoices} {
		assert.NotContains(t, code, urn+"\"", "a dependent refers to the function, not to its URN")
	}
	return code
}

// A project made outside Pulumi, adopted in a YAML stack: fgs-adopt writes the file, `pulumi import --file`
// imports it and generates the program, which previews with no change and destroys everything. (TypeScript
// is not covered: the pinned nodejs language host, built from sdk v3.68.0, answers `pulumi import --out
// index.ts` with "method GenerateProgram not implemented".)
func TestAdoptIntoYAML(t *testing.T) {
	c := startCloud(t)
	orders, invoices := adoptedProject(t, c)
	s := newEmptyStack(t, c, map[string]string{"Pulumi.yaml": "name: adopted\nruntime: yaml\ndescription: An existing FunctionGraph project, adopted.\n"})
	file, out := runAdopt(t, c, s.dir)
	assert.Contains(t, out, "note: dependency shared-libs version 1", "the dependency version is named, not imported")

	// Written beside the project first: the CLI opens --out before it runs the (empty) program, and the YAML
	// host would read an empty Main.yaml. Main.yaml is where a YAML project keeps its resources.
	code := adoptInto(t, s, file, "Main.yaml.new", orders, invoices)
	require.NoError(t, os.Rename(filepath.Join(s.dir, "Main.yaml.new"), filepath.Join(s.dir, "Main.yaml")))
	assert.Equal(t, 5, strings.Count(code, "functionUrn: ${orders.id}"),
		"the version, the alias, the timer, the test event and the reserved instances name the function by reference")
	assert.Contains(t, code, "functionUrn: ${invoices.id}")
	assert.Contains(t, code, "functionVersion: ${ordersV1.name}", "the alias names the version by reference")
	assert.Contains(t, code, "qualifierName: ${ordersLiveAlias.name}", "the reserved instances name the alias by reference")
	assert.NotContains(t, code, "code:", "the imported functions leave their code alone")
	state := s.run("stack", "export")
	for _, typ := range []string{"fgs:index:Function", "fgs:index:Trigger", "fgs:index:FunctionVersion", "fgs:index:Alias", "fgs:index:TestEvent",
		"fgs:index:AsyncInvokeConfig", "fgs:index:ReservedInstances"} {
		assert.Contains(t, state, `"type": "`+typ+`"`)
	}

	s.run("preview", "--expect-no-changes")
	// pulumi import records no dependencies between what it imports; the up that follows it (README) writes
	// them from the program and changes nothing, so that destroy deletes an alias before its version.
	c.ResetCounts()
	s.run("up", "--yes", "--skip-preview")
	assert.Empty(t, onlyWrites(c.Counts()), "the up after the import changes nothing")
	var exported struct {
		Deployment struct {
			Resources []struct {
				URN          string   `json:"urn"`
				Dependencies []string `json:"dependencies"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.run("stack", "export")), &exported))
	aliasDeps := "(no alias in the state)"
	for _, r := range exported.Deployment.Resources {
		if strings.HasSuffix(r.URN, "::ordersLiveAlias") {
			aliasDeps = strings.Join(r.Dependencies, " ")
		}
	}
	assert.Contains(t, aliasDeps, "::ordersV1", "the alias depends on its version now")
	s.run("destroy", "--yes", "--skip-preview")
	assert.Empty(t, c.functionNames(t), "destroy removes everything the stack adopted")
}
