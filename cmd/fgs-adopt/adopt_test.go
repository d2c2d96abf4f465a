package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// testProject is an emulator served on loopback, with a client for set-up and the environment fgs-adopt
// reads its credentials from.
type testProject struct {
	em     *emulator.Emulator
	url    string
	cfg    emulator.Config
	client *fgs.Client
}

func newTestProject(t testing.TB, cfg emulator.Config, wrap func(http.Handler) http.Handler) *testProject {
	t.Helper()
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	var h http.Handler = em
	if wrap != nil {
		h = wrap(em)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	p := &testProject{em: em, url: srv.URL, cfg: cfg}
	p.client, err = fgs.NewClient(fgs.Options{Region: cfg.Region, AuthURL: srv.URL + "/v3", Endpoint: srv.URL, ProjectName: cfg.ProjectName,
		DomainName: cfg.DomainName, UserName: cfg.UserName, Password: cfg.Password, MaxRetries: -1})
	require.NoError(t, err)
	return p
}

func (p *testProject) lookupEnv(name string) (string, bool) {
	v, ok := map[string]string{
		"OS_AUTH_URL": p.url + "/v3", "OS_REGION_NAME": p.cfg.Region, "OS_PROJECT_NAME": p.cfg.ProjectName,
		"OS_DOMAIN_NAME": p.cfg.DomainName, "OS_USERNAME": p.cfg.UserName, "OS_PASSWORD": p.cfg.Password, "FGS_ENDPOINT": p.url,
	}[name]
	return v, ok
}

// adopt runs the command and returns its stdout and stderr.
func (p *testProject) adopt(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut, p.lookupEnv)
	return out.String(), errOut.String(), err
}

func zipOf(t testing.TB, name, content string) []byte {
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

func (p *testProject) newFunction(t testing.TB, app, name string) string {
	t.Helper()
	f, err := p.client.Functions.Create(context.Background(), &fgs.CreateFunctionRequest{
		FuncName: name, Package: app, Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128, Timeout: 30,
		CodeType: "zip", CodeFilename: "index.zip",
		FuncCode: &fgs.FuncCode{File: base64.StdEncoding.EncodeToString(zipOf(t, "index.py", "def handler(e, c):\n    return '"+name+"'\n"))},
	})
	require.NoError(t, err)
	return fgs.UnqualifiedURN(f.FuncURN)
}

func (p *testProject) timer(t testing.TB, urn, name string) {
	t.Helper()
	_, err := p.client.Triggers.Create(context.Background(), urn, &fgs.CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE",
		EventData: map[string]any{"name": name, "schedule_type": "Rate", "schedule": "5m"}})
	require.NoError(t, err)
}

// TestAdoptWritesTheImportFile: two apps, every kind of resource the provider has, and the secrets the
// service does not return; the file names each with its documented import ID and a readable, unique name.
func TestAdoptWritesTheImportFile(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), nil)
	ctx := context.Background()
	orders := p.newFunction(t, "shop", "orders")
	billing := p.newFunction(t, "billing", "orders") // the same function name in another app
	p.timer(t, orders, "every-5m")
	_, err := p.client.Triggers.Create(ctx, billing, &fgs.CreateTriggerRequest{TriggerTypeCode: "APIG", EventData: map[string]any{
		"group_id": "a9ad0d5df4d7475c9bc35a7c17d89304", "env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "env_name": "RELEASE",
		"name": "API_orders", "path": "/orders", "auth": "NONE", "protocol": "HTTPS", "req_method": "ANY", "match_mode": "SWA", "timeout": 5000}})
	require.NoError(t, err)
	_, err = p.client.Triggers.Create(ctx, orders, &fgs.CreateTriggerRequest{TriggerTypeCode: "KAFKA", TriggerStatus: "ACTIVE", EventData: map[string]any{
		"instance_id": "kafka-1", "topic_ids": []any{"t1"}, "kafka_user": "app", "kafka_password": "pw-never-returned", "batch_size": 10}})
	require.NoError(t, err)
	_, err = p.client.Versions.Publish(ctx, orders, &fgs.PublishVersionRequest{Version: "v1"})
	require.NoError(t, err)
	_, err = p.client.Aliases.Create(ctx, orders, &fgs.CreateAliasRequest{Name: "live", Version: "v1", AdditionalVersionWeights: map[string]int{"latest": 10}})
	require.NoError(t, err)
	ev, err := p.client.TestEvents.Create(ctx, orders, &fgs.CreateTestEventRequest{Name: "sample-order", Content: `{"id":1}`})
	require.NoError(t, err)
	_, err = p.client.AsyncConfig.Put(ctx, orders+":!live", &fgs.PutAsyncInvokeConfigRequest{MaxAsyncRetryAttempts: fgs.Ptr(2)})
	require.NoError(t, err)
	_, err = p.client.ReservedInstances.Update(ctx, orders+":!live", &fgs.UpdateReservedInstancesRequest{Count: 1})
	require.NoError(t, err)
	require.NoError(t, p.client.Tracing.Put(ctx, billing, &fgs.TracingConfig{TracingAK: "AKEXAMPLE", TracingSK: "sk-never-returned"}))
	p.em.ResetCounts()

	out := filepath.Join(t.TempDir(), "import.json")
	stdout, stderr, err := p.adopt(t, "--out", out, "--name-prefix", "legacy")
	require.NoError(t, err, stderr)
	for route := range p.em.Counts() {
		assert.True(t, strings.HasPrefix(route, "GET ") || strings.HasSuffix(route, "/v3/auth/tokens"), "fgs-adopt only reads: %s", route)
	}
	assert.NotContains(t, stdout+stderr, "pw-never-returned")
	assert.NotContains(t, stdout+stderr, "sk-never-returned")

	raw, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc importFile
	require.NoError(t, json.Unmarshal(raw, &doc))
	got := map[string]string{}
	for _, r := range doc.Resources {
		_, dup := got[r.Name]
		require.False(t, dup, "name %s used twice", r.Name)
		got[r.Name] = r.Type + " " + r.ID
	}
	byType := func(typ string) []string {
		var ids []string
		for _, r := range doc.Resources {
			if r.Type == typ {
				ids = append(ids, r.ID)
			}
		}
		sort.Strings(ids)
		return ids
	}
	assert.Equal(t, typeFunction+" "+orders, got["legacyShopOrders"], "same function name in two apps: the app tells them apart")
	assert.Equal(t, typeFunction+" "+billing, got["legacyBillingOrders"])
	assert.Equal(t, typeVersion+" "+orders+":v1", got["legacyShopOrdersV1"])
	assert.Equal(t, typeAlias+" "+orders+"/live", got["legacyShopOrdersLiveAlias"])
	assert.Equal(t, typeTestEvent+" "+orders+"/"+ev.ID, got["legacyShopOrdersSampleOrderEvent"])
	assert.Equal(t, typeAsyncConfig+" "+orders+":!live", got["legacyShopOrdersLiveAliasAsync"])
	assert.Equal(t, typeReserved+" "+orders+"/alias/live", got["legacyShopOrdersLiveReserved"])
	triggers := byType(typeTrigger)
	require.Len(t, triggers, 3)
	assert.Regexp(t, "^"+billing+"/APIG/[^/]+$", triggers[0])
	for _, name := range []string{"legacyShopOrdersTimerEvery5m", "legacyBillingOrdersApigApiOrders", "legacyShopOrdersKafkaKafka1"} {
		assert.Contains(t, got, name, "trigger names come from the event data: %v", got)
	}
	assert.Len(t, doc.Resources, 10)

	assert.Contains(t, stdout, typeTrigger)
	assert.Regexp(t, `fgs:index:Trigger\s+3\n`, stdout)
	assert.Contains(t, stderr, "legacyShopOrdersKafkaKafka1: set kafka.password")
	assert.Contains(t, stderr, "legacyBillingOrders: set tracing.secretKey")
}

// --dry-run prints the counts and writes nothing; --app keeps one app.
func TestAdoptDryRunAndApp(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), nil)
	a := p.newFunction(t, "shop", "a")
	p.newFunction(t, "billing", "b")
	p.timer(t, a, "t1")
	p.timer(t, a, "t2")
	dir := t.TempDir()
	out := filepath.Join(dir, "import.json")

	stdout, _, err := p.adopt(t, "--dry-run", "--out", out)
	require.NoError(t, err)
	assert.Regexp(t, `fgs:index:Function\s+2\n`, stdout)
	assert.Regexp(t, `fgs:index:Trigger\s+2\n`, stdout)
	assert.Regexp(t, `total\s+4\n`, stdout)
	_, err = os.Stat(out)
	assert.True(t, os.IsNotExist(err), "a dry run writes nothing")

	stdout, _, err = p.adopt(t, "--dry-run", "--app", "billing")
	require.NoError(t, err)
	assert.Regexp(t, `fgs:index:Function\s+1\n`, stdout)
	assert.Regexp(t, `fgs:index:Trigger\s+0\n`, stdout)
}

// Bad flags and missing credentials are refused before any request.
func TestAdoptRefusesBadInput(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), nil)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--parallel", "0"}, "--parallel"},
		{[]string{"--name-prefix", "--"}, "--name-prefix"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		_, _, err := p.adopt(t, tc.args...)
		require.Error(t, err, tc.args)
		assert.Contains(t, err.Error(), tc.want)
	}
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"--dry-run"}, &bytes.Buffer{}, &stderr, func(string) (string, bool) { return "", false })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "OS_REGION_NAME")
	assert.Empty(t, p.em.Counts(), "no request without credentials")
}

// --download-code saves the package the export API returns (the emulator has no export: the test serves
// it in front of the emulator), and reports a function whose code lives in OBS with what to set instead.
func TestAdoptDownloadsCode(t *testing.T) {
	pkg := zipOf(t, "index.py", "def handler(e, c):\n    return 'exported'\n")
	p := newTestProject(t, emulator.DefaultConfig(), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/export") && strings.Contains(r.URL.Path, ":function:shop:zipped") && r.URL.Query().Get("type") == "code" {
				w.Header().Set("Content-Type", "application/zip")
				_, _ = w.Write(pkg)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	p.newFunction(t, "shop", "zipped")
	_, err := p.client.Functions.Create(context.Background(), &fgs.CreateFunctionRequest{
		FuncName: "in-obs", Package: "shop", Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128, Timeout: 30,
		CodeType: "obs", CodeURL: "https://bucket.obs.eu-de.otc.t-systems.com/code.zip", CodeFilename: "code.zip"})
	require.NoError(t, err)

	dir := filepath.Join(t.TempDir(), "code")
	stdout, stderr, err := p.adopt(t, "--out", filepath.Join(t.TempDir(), "import.json"), "--download-code", dir)
	require.NoError(t, err, stderr)
	saved, err := os.ReadFile(filepath.Join(dir, "zipped.zip"))
	require.NoError(t, err, stdout+stderr)
	assert.Equal(t, pkg, saved)
	assert.Contains(t, stderr, "inObs: code not saved: its package is in OBS at https://bucket.obs.eu-de.otc.t-systems.com/code.zip: point codeUrl at it")
	assert.Contains(t, stdout, "1 package(s) saved")
}

func TestCamelNames(t *testing.T) {
	for in, want := range map[string][]string{
		"ordersApiV1":       {"orders-api", "v1"},
		"helloTimerEvery5m": {"hello", "TIMER", "every-5m"},
		"myFunc":            {"", "my_func"},
		"aB":                {"a", "b"},
	} {
		assert.Equal(t, in, camel(want...), want)
	}
	n := &namer{used: map[string]bool{}}
	assert.Equal(t, "hello", n.name("hello"))
	assert.Equal(t, "hello2", n.name("hello"))
	assert.Equal(t, "r1st", n.name("1st"))
}

// A dependency version a function uses is left out with a note (its package is never returned, so the
// program could not declare it as generated), and imported by <dependencyId>/<version> on request.
func TestAdoptDependencyVersions(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), nil)
	ctx := context.Background()
	dep, err := p.client.Dependencies.CreateVersion(ctx, &fgs.CreateDependencyVersionRequest{Name: "shared-libs", Runtime: "Python3.9",
		DependType: "zip", DependFile: base64.StdEncoding.EncodeToString(zipOf(t, "python/x.py", "X = 1\n"))})
	require.NoError(t, err)
	_, err = p.client.Functions.Create(ctx, &fgs.CreateFunctionRequest{FuncName: "uses-libs", Package: "default", Runtime: "Python3.9",
		Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "zip", CodeFilename: "index.zip", DependVersionList: []string{dep.ID},
		FuncCode: &fgs.FuncCode{File: base64.StdEncoding.EncodeToString(zipOf(t, "index.py", "def handler(e, c):\n    return 1\n"))}})
	require.NoError(t, err)
	depID := dep.DepID
	if depID == "" {
		deps, err := p.client.Dependencies.List(ctx, &fgs.ListDependenciesOptions{DependencyType: "private", Name: "shared-libs"})
		require.NoError(t, err)
		require.Len(t, deps, 1)
		depID = deps[0].ID
	}
	wantID := fmt.Sprintf("%s/%d", depID, dep.Version.Int())

	out := filepath.Join(t.TempDir(), "import.json")
	_, stderr, err := p.adopt(t, "--out", out)
	require.NoError(t, err)
	assert.Contains(t, stderr, "note: dependency shared-libs version 1 (import ID "+wantID+") is not in the file")
	raw, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), typeDependency)

	_, stderr, err = p.adopt(t, "--out", out, "--with-dependencies")
	require.NoError(t, err)
	raw, err = os.ReadFile(out)
	require.NoError(t, err)
	var doc importFile
	require.NoError(t, json.Unmarshal(raw, &doc))
	assert.Contains(t, doc.Resources, importSpec{Type: typeDependency, Name: "sharedLibsV1", ID: wantID})
	assert.Contains(t, stderr, "sharedLibsV1: set code (or link)")
}

// --cloud takes the credentials from a clouds.yaml entry, as the provider's fgs:cloud does; flags win over it.
func TestAdoptReadsCloudsYAML(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), nil)
	p.newFunction(t, "default", "from-clouds")
	clouds := filepath.Join(t.TempDir(), "clouds.yaml")
	require.NoError(t, os.WriteFile(clouds, []byte(`clouds:
  emulator:
    region_name: `+p.cfg.Region+`
    auth:
      auth_url: `+p.url+`/v3
      username: `+p.cfg.UserName+`
      password: `+p.cfg.Password+`
      user_domain_name: `+p.cfg.DomainName+`
      project_name: `+p.cfg.ProjectName+`
`), 0o600))
	env := map[string]string{"OS_CLIENT_CONFIG_FILE": clouds}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"--cloud", "emulator", "--endpoint", p.url, "--dry-run"}, &stdout, &stderr,
		func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	require.NoError(t, err, stderr.String())
	assert.Regexp(t, `fgs:index:Function\s+1\n`, stdout.String())
}

// A trigger bound to a version or an alias is imported under that qualifier's URN, named after it.
func TestAdoptTriggersOfVersionsAndAliases(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), nil)
	ctx := context.Background()
	urn := p.newFunction(t, "default", "hello")
	_, err := p.client.Versions.Publish(ctx, urn, &fgs.PublishVersionRequest{Version: "v1"})
	require.NoError(t, err)
	_, err = p.client.Aliases.Create(ctx, urn, &fgs.CreateAliasRequest{Name: "prod", Version: "v1"})
	require.NoError(t, err)
	p.timer(t, urn, "on-latest")
	p.timer(t, urn+":v1", "on-version")
	p.timer(t, urn+":!prod", "on-alias")

	proj, err := discover(ctx, p.client, "", 4)
	require.NoError(t, err)
	doc, _, _ := buildDocument(proj, "", false)
	triggers := map[string]string{}
	for _, r := range doc.Resources {
		if r.Type == typeTrigger {
			triggers[r.Name] = r.ID[:strings.Index(r.ID, "/TIMER/")]
		}
	}
	assert.Equal(t, map[string]string{
		"helloTimerOnLatest":         urn,
		"helloV1TimerOnVersion":      urn + ":v1",
		"helloProdAliasTimerOnAlias": urn + ":!prod",
	}, triggers)
}

// A list the service refuses stops the run with what was being listed, and no file is written: a file
// missing resources would import a project only in part.
func TestAdoptStopsOnARefusedList(t *testing.T) {
	p := newTestProject(t, emulator.DefaultConfig(), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/aliases") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"error_code":"FSS.0403","error_msg":"no permission"}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	for i := 0; i < 5; i++ {
		p.newFunction(t, "default", fmt.Sprintf("fn%d", i))
	}
	out := filepath.Join(t.TempDir(), "import.json")
	_, _, err := p.adopt(t, "--out", out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "listing the aliases of urn:fss:")
	assert.Contains(t, err.Error(), "FSS.0403")
	_, statErr := os.Stat(out)
	assert.True(t, os.IsNotExist(statErr), "no file on failure")
}

// The secrets the service does not give back, each with the property to set; values are never repeated.
func TestSecretsToFillIn(t *testing.T) {
	f := &functionFound{fn: fgs.Function{EncryptedUserData: fgs.FlexString(`{"DB_PASSWORD":"****","API_KEY":"****"}`)}, tracing: &fgs.TracingConfig{TracingAK: "AK"}}
	got := functionSecrets(f, "orders")
	require.Len(t, got, 2)
	assert.Equal(t, "orders: set secretEnvironment (the function has encrypted environment variables (API_KEY, DB_PASSWORD); their values are never returned)", got[0].String())
	assert.Equal(t, "tracing.secretKey", got[1].property)
	assert.Empty(t, functionSecrets(&functionFound{}, "plain"), "nothing encrypted, no tracing: nothing to fill in")

	assert.Equal(t, []warning{{"dds", "dds.password", "the service never returns trigger passwords"}},
		triggerSecrets(fgs.Trigger{TriggerTypeCode: "DDS", EventData: map[string]any{"db_user": "app"}}, "dds"))
	assert.Empty(t, triggerSecrets(fgs.Trigger{TriggerTypeCode: "KAFKA", EventData: map[string]any{"instance_id": "k"}}, "k"), "no user, no password")
	raw := triggerSecrets(fgs.Trigger{TriggerTypeCode: "RABBITMQ", EventData: map[string]any{"instance_id": "r", "password": "", "vhost": "/"}}, "rmq")
	require.Len(t, raw, 1)
	assert.Equal(t, "eventData.password", raw[0].property)
}
