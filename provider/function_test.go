package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Function's scenarios run through the shared resource helper (trigger_test.go), each test on its own
// emulator.

const (
	routeConfig      = "PUT /v2/{project_id}/fgs/functions/{function_urn}/config"
	routeGetConfig   = "GET /v2/{project_id}/fgs/functions/{function_urn}/config"
	routeCode        = "PUT /v2/{project_id}/fgs/functions/{function_urn}/code"
	routeMaxInstance = "PUT /v2/{project_id}/fgs/functions/{function_urn}/config-max-instance"
	routeCreate      = "POST /v2/{project_id}/fgs/functions"
	routeTagsCreate  = "POST /v2/{project_id}/functions/{resource_id}/tags/create"
	routeTagsDelete  = "DELETE /v2/{project_id}/functions/{resource_id}/tags/delete"
	routeDelete      = "DELETE /v2/{project_id}/fgs/functions/{function_urn}"
)

// codeDir writes a small Python app and returns it as an archive property value.
func codeDir(t *testing.T, body string) property.Value {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.py"), []byte(body), 0o644))
	a, err := archive.FromPath(dir)
	require.NoError(t, err)
	return property.New(a)
}

func baseFunction(t *testing.T) map[string]any {
	return map[string]any{
		"name":    "hello",
		"runtime": "Python3.9",
		"handler": "index.handler",
		"code":    codeDir(t, "def handler(e, c):\n    return 1\n"),
	}
}

// liveConfig is the function's configuration as the API answers it, wire keys and all.
func (c *testCloud) liveConfig(t *testing.T, urn string) map[string]any {
	t.Helper()
	var m map[string]any
	status := c.call(t, "GET", "/fgs/functions/"+urn+"/config", nil, &m)
	require.Equal(t, 200, status)
	return m
}

// call sends one raw FunctionGraph request with a fresh token, as an out-of-band actor would.
func (c *testCloud) call(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	cfg := c.cfg
	tokenReq := fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":%q,"password":%q,"domain":{"name":%q}}}},"scope":{"project":{"name":%q}}}}`,
		cfg.UserName, cfg.Password, cfg.DomainName, cfg.ProjectName)
	resp, err := http.Post(c.url+"/v3/auth/tokens", "application/json", strings.NewReader(tokenReq))
	require.NoError(t, err)
	resp.Body.Close()
	var raw []byte
	if body != nil {
		raw, err = json.Marshal(body)
		require.NoError(t, err)
	}
	req, err := http.NewRequest(method, c.url+"/v2/"+cfg.ProjectID+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", resp.Header.Get("X-Subject-Token"))
	r, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer r.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(r.Body).Decode(out))
	}
	return r.StatusCode
}

// refusing answers status and body to the requests match selects while on is set, and passes the rest.
func refusing(on *atomic.Bool, match func(*http.Request) bool, status int, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if on.Load() && match(r) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(body))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestFunctionLifecycleWithEveryInputGroup(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inputs := baseFunction(t)
	for k, v := range map[string]any{
		"app": "billing", "memorySize": 256, "timeout": 60, "description": "all input groups",
		"environment":       map[string]any{"GREETING": "hi"},
		"secretEnvironment": map[string]any{"API_KEY": property.New("s3cr3t-value").WithSecret(true)},
		"agency":            "fgs-agency", "appAgency": "fgs-app-agency",
		"initializer": map[string]any{"handler": "index.init", "timeout": 10},
		"vpc": map[string]any{"vpcId": "vpc-1", "subnetId": "subnet-1", "securityGroupIds": []any{"sg-1"},
			"vpcName": "vpc", "subnetName": "subnet", "cidr": "192.168.0.0/24", "gateway": "192.168.0.1"},
		"network":                map[string]any{"disablePublicNetwork": true, "triggerAccessVpcs": []any{map[string]any{"vpcId": "vpc-2"}}},
		"mounts":                 map[string]any{"userId": -1, "userGroupId": -1, "fileSystems": []any{map[string]any{"type": "sfsTurbo", "resourceId": "fs-1", "localPath": "/mnt/data"}}},
		"logConfig":              map[string]any{"groupId": "lg-1", "streamId": "ls-1", "groupName": "group"},
		"maxInstances":           50,
		"concurrencyPerInstance": 10,
		"ephemeralStorage":       10240,
		"enableAuthInHeader":     true,
		"isStatefulFunction":     true,
		"tags":                   map[string]any{"team": "platform", "env": "test"},
	} {
		inputs[k] = v
	}
	r := c.resource(t, "Function", "fn")

	t.Run("create", func(t *testing.T) {
		r.mustCreate(props(inputs))
		counts, total := c.fgsRequests()
		t.Logf("create: %d requests %v", total, counts)
		assert.Equal(t, 1, counts[routeCreate])
		assert.Equal(t, 1, counts[routeConfig], "config-only fields follow the POST")
		assert.Equal(t, 1, counts[routeMaxInstance])
		assert.Equal(t, 1, counts[routeTagsCreate])
		assert.Regexp(t, `:function:billing:hello$`, r.id)
		assert.Equal(t, r.id, str(r.state, "functionUrn"))
		assert.Len(t, str(r.state, "digest"), 128)
		assert.Equal(t, 400.0, r.state.Get("cpu").AsNumber(), "256 MB gives 400 millicores")
		assert.True(t, r.state.Get("secretEnvironment").Secret(), "secret environment stays secret in state")
		assert.True(t, r.state.Get("secretEnvironment").AsMap().Get("API_KEY").Secret(), "and so does each value")

		live := c.liveConfig(t, r.id)
		assert.Equal(t, 256.0, live["memory_size"])
		assert.Equal(t, `{"GREETING":"hi"}`, live["user_data"])
		assert.Equal(t, "index.init", live["initializer_handler"])
		assert.Equal(t, "lg-1", live["log_group_id"])
		assert.Equal(t, 50.0, live["strategy_config"].(map[string]any)["concurrency"])
		assert.Equal(t, 10.0, live["strategy_config"].(map[string]any)["concurrent_num"])
	})

	t.Run("no-op refresh", func(t *testing.T) {
		c.em.ResetCounts()
		checked := r.ins
		read := r.read()
		counts, total := c.fgsRequests()
		t.Logf("no-op refresh: %d requests %v", total, counts)
		assert.Equal(t, r.id, read.ID)
		for _, key := range []string{"memorySize", "timeout", "environment", "initializer", "vpc", "mounts", "maxInstances", "concurrencyPerInstance", "tags", "logConfig"} {
			assert.Equal(t, checked.Get(key), read.Inputs.Get(key), "refresh changed %s", key)
		}
		assert.Equal(t, "s3cr3t-value", str(read.Properties, "secretEnvironment", "API_KEY"), "secrets are kept from state, not read from the API")
	})

	t.Run("removing the initializer unsets it", func(t *testing.T) {
		c.em.ResetCounts()
		delete(inputs, "initializer")
		inputs["memorySize"] = 512
		_, checked := r.diff(props(inputs))
		c.em.ResetCounts()
		require.NoError(t, r.update(checked))
		counts, total := c.fgsRequests()
		t.Logf("memory update: %d requests %v", total, counts)
		assert.Equal(t, map[string]int{routeGetConfig: 1, routeConfig: 1}, counts, "a configuration change is one read and one write")
		live := c.liveConfig(t, r.id)
		assert.Equal(t, 512.0, live["memory_size"])
		assert.Empty(t, live["initializer_handler"])
		assert.Equal(t, 50.0, live["strategy_config"].(map[string]any)["concurrency"], "max instances survive a configuration update")
	})

	t.Run("delete", func(t *testing.T) {
		c.em.ResetCounts()
		require.NoError(t, r.delete())
		counts, _ := c.fgsRequests()
		assert.Equal(t, map[string]int{routeDelete: 1}, counts)
		assert.Equal(t, 404, c.call(t, "GET", "/fgs/functions/"+r.id+"/config", nil, nil))
	})

	t.Run("deleting what is already gone succeeds", func(t *testing.T) {
		require.NoError(t, r.delete())
		assert.Empty(t, r.read().ID, "a gone function reads as an empty ID")
	})
}

func TestFunctionUpdateRouting(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inputs := baseFunction(t)
	inputs["tags"] = map[string]any{"a": "1", "b": "2"}
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))

	for _, step := range []struct {
		name   string
		change map[string]any
		want   map[string]int
	}{
		{"code", map[string]any{"code": codeDir(t, "def handler(e, c):\n    return 2\n")}, map[string]int{routeCode: 1}},
		{"max instances", map[string]any{"maxInstances": 20}, map[string]int{routeMaxInstance: 1}},
		{"tags", map[string]any{"tags": map[string]any{"a": "1", "b": "3", "c": "4"}}, map[string]int{routeTagsCreate: 1}},
		{"tag removal", map[string]any{"tags": map[string]any{"a": "1"}}, map[string]int{routeTagsDelete: 1}},
		{"description", map[string]any{"description": "x"}, map[string]int{routeGetConfig: 1, routeConfig: 1}},
	} {
		t.Run(step.name, func(t *testing.T) {
			inputs = merged(inputs, step.change)
			_, checked := r.diff(props(inputs))
			c.em.ResetCounts()
			require.NoError(t, r.update(checked))
			counts, total := c.fgsRequests()
			t.Logf("%s: %d requests %v", step.name, total, counts)
			assert.Equal(t, step.want, counts)
		})
	}

	var tags struct {
		Resources []struct {
			Tags []struct{ Key, Value string } `json:"tags"`
		} `json:"resources"`
	}
	require.Equal(t, 200, c.call(t, "POST", "/functions/resource-instances/filter",
		map[string]any{"action": "filter", "matches": []map[string]string{{"key": "resource_name", "value": "hello"}}}, &tags))
	require.Len(t, tags.Resources, 1)
	assert.Equal(t, []struct{ Key, Value string }{{"a", "1"}}, tags.Resources[0].Tags)
}

// An out-of-band change to max instances and to the log configuration survives an unrelated update.
func TestFunctionReadModifyWriteKeepsOutOfBandChanges(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inputs := baseFunction(t)
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))

	require.Equal(t, 200, c.call(t, "PUT", "/fgs/functions/"+r.id+"/config-max-instance", map[string]any{"max_instance_num": 7}, nil))
	live := c.liveConfig(t, r.id)
	live["log_config"] = map[string]any{"group_id": "oob-group", "stream_id": "oob-stream"}
	require.Equal(t, 200, c.call(t, "PUT", "/fgs/functions/"+r.id+"/config", live, nil))
	require.Equal(t, "oob-group", c.liveConfig(t, r.id)["log_group_id"])

	inputs["description"] = "unrelated change"
	_, checked := r.diff(props(inputs))
	require.NoError(t, r.update(checked))
	live = c.liveConfig(t, r.id)
	assert.Equal(t, "unrelated change", live["description"])
	assert.Equal(t, 7.0, live["strategy_config"].(map[string]any)["concurrency"])
	assert.Equal(t, "oob-group", live["log_group_id"])
	assert.Equal(t, "oob-stream", live["log_stream_id"])
}

// A failure after the POST returns the ID, so the function is recorded, not leaked.
func TestFunctionPartialFailureKeepsTheID(t *testing.T) {
	t.Parallel()
	var on atomic.Bool
	on.Store(true)
	c := newTestCloudWith(t, refusing(&on, func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/config-max-instance")
	}, http.StatusBadRequest, `{"error_code":"FSS.1026","error_msg":"Invalid Concurrency."}`))
	inputs := baseFunction(t)
	inputs["maxInstances"] = 5
	r := c.resource(t, "Function", "fn")
	chk := r.check(props(inputs))
	require.Empty(t, chk.Failures)
	resp, err := c.server.Create(p.CreateRequest{Urn: urnOf("Function", "fn"), Properties: chk.Inputs})
	require.Error(t, err)
	assert.NotEmpty(t, resp.ID, "the ID of the created function comes back with the error")
	require.NotNil(t, resp.PartialState)
	assert.Contains(t, strings.Join(resp.PartialState.Reasons, " "), "FSS.1026")
	assert.Equal(t, 200, c.call(t, "GET", "/fgs/functions/"+resp.ID+"/config", nil, nil))
}

// An update that uploads the code and is then refused the configuration reports a partial update: the state
// records the new code and the old configuration, so that the next update applies only the rest.
func TestFunctionPartialUpdateRecordsWhatWasApplied(t *testing.T) {
	t.Parallel()
	var on atomic.Bool
	c := newTestCloudWith(t, refusing(&on, func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/config")
	}, http.StatusBadRequest, `{"error_code":"FSS.1051","error_msg":"The configuration was refused."}`))
	inputs := baseFunction(t)
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))
	oldHash := str(r.state, "sourceCodeHash")

	on.Store(true)
	inputs = merged(inputs, map[string]any{"code": codeDir(t, "def handler(e, c):\n    return 2\n"), "memorySize": 512})
	_, checked := r.diff(props(inputs))
	resp, err := c.server.Update(p.UpdateRequest{ID: r.id, Urn: urnOf("Function", "fn"), State: r.state, Inputs: checked, OldInputs: r.ins})
	require.Error(t, err)
	require.NotNil(t, resp.PartialState, "a partly applied update must be reported with its state, not as a plain error")
	reasons := strings.Join(resp.PartialState.Reasons, " ")
	assert.Contains(t, reasons, "FSS.1051")
	assert.Contains(t, reasons, "partly updated")
	partial := resp.Properties
	assert.NotEqual(t, oldHash, str(partial, "sourceCodeHash"), "the uploaded code is recorded")
	assert.Equal(t, c.liveConfig(t, r.id)["digest"], str(partial, "digest"), "the state's digest is the stored package's")
	assert.Equal(t, 128.0, partial.Get("memorySize").AsNumber(), "the refused memory change is not recorded")

	on.Store(false)
	r.state = partial
	d, checked := r.diff(props(inputs))
	assert.Equal(t, map[string]p.DiffKind{"memorySize": p.Update}, diffKinds(d), "the next update applies only what was refused")
	c.em.ResetCounts()
	require.NoError(t, r.update(checked))
	counts, _ := c.fgsRequests()
	assert.Equal(t, map[string]int{routeGetConfig: 1, routeConfig: 1}, counts, "the code is not uploaded twice")
	assert.Equal(t, 512.0, c.liveConfig(t, r.id)["memory_size"])
}

// A refresh that finds a user_data it cannot read keeps the recorded environment and warns, instead of
// showing every variable removed.
func TestFunctionRefreshKeepsAnUnreadableEnvironment(t *testing.T) {
	t.Parallel()
	var on atomic.Bool
	c := newTestCloudWith(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !on.Load() || r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/config") {
				next.ServeHTTP(w, r)
				return
			}
			rec := &bodyRecorder{header: http.Header{}}
			next.ServeHTTP(rec, r)
			var m map[string]any
			if err := json.Unmarshal(rec.body.Bytes(), &m); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			m["user_data"] = "GREETING=hi" // not the JSON object the API documents
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(m)
		})
	})
	inputs := baseFunction(t)
	inputs["environment"] = map[string]any{"GREETING": "hi"}
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))
	want := r.ins.Get("environment")
	on.Store(true)
	read := r.read()
	require.NotEmpty(t, read.ID)
	assert.Equal(t, want, read.Inputs.Get("environment"), "an unreadable user_data is not \"no environment\"")
}

// bodyRecorder captures an answer to rewrite it.
type bodyRecorder struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (b *bodyRecorder) Header() http.Header            { return b.header }
func (b *bodyRecorder) Write(data []byte) (int, error) { return b.body.Write(data) }
func (b *bodyRecorder) WriteHeader(status int)         { b.status = status }

func TestFunctionImportRebuildsInputs(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inputs := baseFunction(t)
	inputs["environment"] = map[string]any{"A": "1"}
	inputs["tags"] = map[string]any{"team": "x"}
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))

	for _, importID := range []string{r.id, "default:hello", "hello"} {
		t.Run(importID, func(t *testing.T) {
			read := c.importID(t, "Function", importID)
			assert.Equal(t, r.id, read.ID)
			for _, key := range []string{"name", "app", "runtime", "handler", "memorySize", "timeout", "environment", "tags"} {
				assert.Equal(t, r.ins.Get(key), read.Inputs.Get(key), key)
			}
			// The program's code matches the stored package, by the service's digest: no diff after import.
			imported := c.resource(t, "Function", "imported")
			imported.id, imported.state, imported.ins = read.ID, read.Properties, read.Inputs
			diff, _ := imported.diff(read.Inputs.Set("code", r.ins.Get("code")))
			assert.False(t, diff.HasChanges, "import then preview must show no changes: %v", diff.DetailedDiff)
		})
	}
}

func TestFunctionDiff(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inputs := baseFunction(t)
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))
	diff := func(change map[string]any) p.DiffResponse {
		t.Helper()
		d, _ := r.diff(props(merged(inputs, change)))
		return d
	}
	assert.False(t, diff(nil).HasChanges)
	assert.False(t, diff(map[string]any{"code": codeDir(t, "def handler(e, c):\n    return 1\n")}).HasChanges, "the same files elsewhere are the same code")

	d := diff(map[string]any{"runtime": "Python3.6"})
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["runtime"].Kind)
	assert.True(t, d.DeleteBeforeReplace, "a fixed name must be freed before the replacement is created")
	assert.Equal(t, p.UpdateReplace, diff(map[string]any{"app": "other"}).DetailedDiff["app"].Kind)
	assert.Equal(t, p.UpdateReplace, diff(map[string]any{"functionGraphVersion": "v1"}).DetailedDiff["functionGraphVersion"].Kind)
	d = diff(map[string]any{"memorySize": 1024})
	assert.Equal(t, map[string]p.PropertyDiff{"memorySize": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
	d = diff(map[string]any{"code": codeDir(t, "changed")})
	assert.Equal(t, map[string]p.PropertyDiff{"code": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
	assert.Equal(t, p.Add, diff(map[string]any{"tags": map[string]any{"a": "b"}}).DetailedDiff["tags"].Kind)
}

// Every input the service would reject fails Check on its property, before any request is made.
func TestFunctionCheckRejectsBadInputs(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	cases := []struct {
		name, property string
		change         map[string]any
		remove         string
	}{
		{"name starts with a digit", "name", map[string]any{"name": "1abc"}, ""},
		{"name has a dot", "name", map[string]any{"name": "a.b"}, ""},
		{"name too long", "name", map[string]any{"name": "a" + strings.Repeat("b", 60)}, ""},
		{"app with a space", "app", map[string]any{"app": "my app"}, ""},
		{"runtime display name", "runtime", map[string]any{"runtime": "Python 3.9"}, ""},
		{"runtime without a version", "runtime", map[string]any{"runtime": "Ruby"}, ""},
		{"runtime in lower case", "runtime", map[string]any{"runtime": "python3.9"}, ""},
		{"handler without dot", "handler", map[string]any{"handler": "handler"}, ""},
		{"memory not a size", "memorySize", map[string]any{"memorySize": 300}, ""},
		{"memory too large", "memorySize", map[string]any{"memorySize": 8192}, ""},
		{"timeout too short", "timeout", map[string]any{"timeout": 2}, ""},
		{"timeout too long", "timeout", map[string]any{"timeout": 901}, ""},
		{"description too long", "description", map[string]any{"description": strings.Repeat("d", 513)}, ""},
		{"platform v3", "functionGraphVersion", map[string]any{"functionGraphVersion": "v3"}, ""},
		{"two code sources", "codeUrl", map[string]any{"codeUrl": "https://b.obs.eu-de.otc.t-systems.com/c.zip"}, ""},
		{"codeUrl not a URL", "codeUrl", map[string]any{"codeUrl": "bucket/code.zip"}, "code"},
		{"custom image with Python", "customImage", map[string]any{"customImage": map[string]any{"image": "swr/x:1"}}, "code"},
		{"too many env vars", "environment", map[string]any{"environment": manyVars(21)}, ""},
		{"env too large", "environment", map[string]any{"environment": map[string]any{"BIG": strings.Repeat("x", 4100)}}, ""},
		{"env var name", "environment", map[string]any{"environment": map[string]any{"1BAD": "x"}}, ""},
		{"plain and secret", "secretEnvironment", map[string]any{"environment": map[string]any{"K": "a"}, "secretEnvironment": map[string]any{"K": "b"}}, ""},
		{"initializer handler", "initializer.handler", map[string]any{"initializer": map[string]any{"handler": "init", "timeout": 3}}, ""},
		{"initializer timeout", "initializer.timeout", map[string]any{"initializer": map[string]any{"handler": "index.init", "timeout": 301}}, ""},
		{"max instances", "maxInstances", map[string]any{"maxInstances": 1001}, ""},
		{"max instances v1", "maxInstances", map[string]any{"maxInstances": 5, "functionGraphVersion": "v1"}, ""},
		{"concurrency zero", "concurrencyPerInstance", map[string]any{"concurrencyPerInstance": 0}, ""},
		{"gpu step", "gpuMemory", map[string]any{"gpuMemory": 1500}, ""},
		{"gpu on python", "gpuMemory", map[string]any{"gpuMemory": 1024}, ""},
		{"ephemeral storage", "ephemeralStorage", map[string]any{"ephemeralStorage": 1024}, ""},
		{"stateful on v1", "isStatefulFunction", map[string]any{"isStatefulFunction": true, "functionGraphVersion": "v1"}, ""},
		{"mount user 1000", "mounts.userId", map[string]any{"mounts": map[string]any{"userId": 1000, "userGroupId": -1, "fileSystems": []any{map[string]any{"type": "sfs", "resourceId": "r", "localPath": "/mnt/a"}}}}, ""},
		{"ecs mount without share", "mounts.fileSystems[0].sharePath", map[string]any{"mounts": map[string]any{"userId": -1, "userGroupId": -1, "fileSystems": []any{map[string]any{"type": "ecs", "resourceId": "r", "localPath": "/mnt/a"}}}}, ""},
		{"relative mount path", "mounts.fileSystems[0].localPath", map[string]any{"mounts": map[string]any{"userId": -1, "userGroupId": -1, "fileSystems": []any{map[string]any{"type": "sfs", "resourceId": "r", "localPath": "data"}}}}, ""},
		{"empty vpc id", "vpc.vpcId", map[string]any{"vpc": map[string]any{"vpcId": "", "subnetId": "s"}}, ""},
		{"too many tags", "tags", map[string]any{"tags": manyVars(21)}, ""},
		{"tag key over 36 characters", "tags", map[string]any{"tags": map[string]any{strings.Repeat("k", 37): "v"}}, ""},
		{"tag value over 43 characters", "tags.k", map[string]any{"tags": map[string]any{"k": strings.Repeat("v", 44)}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inputs := baseFunction(t)
			for k, v := range tc.change {
				inputs[k] = v
			}
			if tc.remove != "" {
				delete(inputs, tc.remove)
			}
			c.em.ResetCounts()
			resp := c.resource(t, "Function", "fn").check(props(inputs))
			var paths []string
			for _, f := range resp.Failures {
				paths = append(paths, f.Property)
				assert.NotEmpty(t, f.Reason)
			}
			assert.Contains(t, paths, tc.property, "failures: %+v", resp.Failures)
			_, total := c.fgsRequests()
			assert.Zero(t, total, "Check must not call the API")
		})
	}
}

// Values unknown during preview are not failures.
func TestFunctionCheckAcceptsUnknowns(t *testing.T) {
	t.Parallel()
	inputs := baseFunction(t)
	inputs["memorySize"] = property.New(property.Computed)
	inputs["handler"] = property.New(property.Computed)
	delete(inputs, "code")
	inputs["codeUrl"] = property.New(property.Computed)
	resp, err := checkServer(t).Check(p.CheckRequest{Urn: urnOf("Function", "fn"), Inputs: props(inputs)})
	require.NoError(t, err)
	assert.Empty(t, resp.Failures)
}

func TestAutoNamesFollowTheServiceRules(t *testing.T) {
	t.Parallel()
	server := checkServer(t)
	inputs := autoNamed(t)
	resp, err := server.Check(p.CheckRequest{Urn: urnOf("Function", "my.api_handler"), Inputs: props(inputs)})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	name := resp.Inputs.Get("name").AsString()
	assert.Regexp(t, `^my-api_handler-[0-9a-f]{7}$`, name)
	again, err := server.Check(p.CheckRequest{Urn: urnOf("Function", "my.api_handler"), Inputs: props(inputs), State: resp.Inputs})
	require.NoError(t, err)
	assert.Equal(t, name, again.Inputs.Get("name").AsString(), "the name chosen once is kept")
}

func manyVars(n int) map[string]any {
	m := map[string]any{}
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("K%d", i)] = "v"
	}
	return m
}

// In the preview of an in-place update, outputs the change cannot touch stay known: resources that use the
// function's URN must not look replaced because its memory or code changes.
func TestFunctionPreviewKeepsUntouchedOutputsKnown(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inputs := baseFunction(t)
	r := c.resource(t, "Function", "fn")
	r.mustCreate(props(inputs))
	c.em.ResetCounts()
	preview := func(change map[string]any) property.Map {
		t.Helper()
		_, checked := r.diff(props(merged(inputs, change)))
		return r.preview(checked)
	}
	out := preview(map[string]any{"memorySize": 512})
	assert.False(t, out.Get("functionUrn").IsComputed())
	assert.False(t, out.Get("digest").IsComputed(), "a memory change leaves the code alone")
	assert.True(t, out.Get("cpu").IsComputed(), "the CPU share follows the memory")

	out = preview(map[string]any{"code": codeDir(t, "changed")})
	assert.False(t, out.Get("functionUrn").IsComputed())
	assert.True(t, out.Get("digest").IsComputed(), "new code, new digest")
	_, total := c.fgsRequests()
	assert.Zero(t, total, "a preview calls no API")
}
