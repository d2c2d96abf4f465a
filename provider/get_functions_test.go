package provider

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The list functions through the provider server against the emulator: every page is read, the filters
// reach the service, and a refused input names itself.

// invoke calls a provider function as the engine does, failing the test on an error or a Check failure.
func (c *testCloud) invoke(t *testing.T, fn string, args map[string]any) property.Map {
	t.Helper()
	out, err := c.tryInvoke(fn, args)
	require.NoError(t, err, fn)
	return out
}

func (c *testCloud) tryInvoke(fn string, args map[string]any) (property.Map, error) {
	resp, err := c.server.Invoke(p.InvokeRequest{Token: tokens.Type("fgs:index:" + fn), Args: props(args)})
	if err != nil {
		return property.Map{}, err
	}
	if len(resp.Failures) > 0 {
		return property.Map{}, &checkFailuresError{resp.Failures}
	}
	return resp.Return, nil
}

type checkFailuresError struct{ failures []p.CheckFailure }

func (e *checkFailuresError) Error() string {
	s := "check failures:"
	for _, f := range e.failures {
		s += " " + f.Property + ": " + f.Reason + ";"
	}
	return s
}

// smallPages makes every marker/maxitems list answer at most two items a page, so that a handful of items
// spans several pages.
func smallPages(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Has("maxitems") {
			q.Set("maxitems", "2")
			r.URL.RawQuery = q.Encode()
		}
		h.ServeHTTP(w, r)
	})
}

// items returns the list under key, each element as a map.
func items(t *testing.T, m property.Map, key string) []property.Map {
	t.Helper()
	v := m.Get(key)
	require.True(t, v.IsArray(), "%s is a list: %v", key, v)
	var out []property.Map
	for _, e := range v.AsArray().AsSlice() {
		require.True(t, e.IsMap())
		out = append(out, e.AsMap())
	}
	return out
}

func column(list []property.Map, key string) []string {
	out := make([]string, 0, len(list))
	for _, m := range list {
		out = append(out, str(m, key))
	}
	return out
}

func num(m property.Map, key string) float64 {
	if v := m.Get(key); v.IsNumber() {
		return v.AsNumber()
	}
	return -1
}

func (c *testCloud) newFunctionIn(t *testing.T, app, name string) string {
	t.Helper()
	f, err := c.apiClient(t).Functions.Create(context.Background(), &fgs.CreateFunctionRequest{
		FuncName: name, Package: app, Runtime: "Node.js14.18", Timeout: 15, Handler: "index.handler", MemorySize: 256,
		CodeType: "inline", FuncCode: &fgs.FuncCode{File: base64.StdEncoding.EncodeToString([]byte("exports.handler = async () => 1;\n"))},
	})
	require.NoError(t, err)
	return fgs.UnqualifiedURN(f.FuncURN)
}

func TestGetFunctionsReadsEveryPageAndFiltersByApp(t *testing.T) {
	t.Parallel()
	c := newTestCloudWith(t, smallPages)
	var want []string
	for i := 0; i < 3; i++ {
		c.newFunctionIn(t, "default", "fn"+strconv.Itoa(i))
		want = append(want, "fn"+strconv.Itoa(i))
	}
	otherURN := c.newFunctionIn(t, "other", "in-other")
	c.newFunctionIn(t, "other", "in-other-2")
	c.em.ResetCounts()

	all := items(t, c.invoke(t, "getFunctions", nil), "functions")
	assert.ElementsMatch(t, append(want, "in-other", "in-other-2"), column(all, "name"))
	counts, _ := c.fgsRequests()
	assert.Equal(t, 3, counts["GET /v2/{project_id}/fgs/functions"], "five functions in pages of two")

	other := items(t, c.invoke(t, "getFunctions", map[string]any{"app": "other"}), "functions")
	assert.ElementsMatch(t, []string{"in-other", "in-other-2"}, column(other, "name"))
	for _, f := range other {
		if str(f, "name") != "in-other" {
			continue
		}
		assert.Equal(t, otherURN, str(f, "functionUrn"))
		assert.Equal(t, "other", str(f, "app"))
		assert.Equal(t, "Node.js14.18", str(f, "runtime"))
		assert.Equal(t, "index.handler", str(f, "handler"))
		assert.Equal(t, 256.0, num(f, "memorySize"))
		assert.Equal(t, 15.0, num(f, "timeout"))
		assert.Equal(t, "inline", str(f, "codeType"))
		assert.Equal(t, "latest", str(f, "version"))
		assert.NotEmpty(t, str(f, "lastModified"))
	}

	none := items(t, c.invoke(t, "getFunctions", map[string]any{"app": "empty"}), "functions")
	assert.Empty(t, none, "an app without functions is an empty list, not an error")
}

func TestGetFunctionVersionsAndAliases(t *testing.T) {
	t.Parallel()
	c := newTestCloudWith(t, smallPages)
	urn := c.newFunction(t, "versioned", false)
	api := c.apiClient(t)
	for i := 1; i <= 4; i++ {
		c.changeCode(t, urn, "def handler(event, context):\n    return "+strconv.Itoa(i)+"\n")
		_, err := api.Versions.Publish(context.Background(), urn, &fgs.PublishVersionRequest{Version: "v" + strconv.Itoa(i), Description: "release " + strconv.Itoa(i)})
		require.NoError(t, err)
	}
	_, err := api.Aliases.Create(context.Background(), urn, &fgs.CreateAliasRequest{Name: "live", Version: "v3", AdditionalVersionWeights: map[string]int{"v4": 10}})
	require.NoError(t, err)
	_, err = api.Aliases.Create(context.Background(), urn, &fgs.CreateAliasRequest{Name: "old", Version: "v1", Description: "the first"})
	require.NoError(t, err)
	c.em.ResetCounts()

	c.step(t, "versions, every page", func(t *testing.T) {
		vs := items(t, c.invoke(t, "getFunctionVersions", map[string]any{"functionUrn": urn}), "versions")
		assert.ElementsMatch(t, []string{"latest", "v1", "v2", "v3", "v4"}, column(vs, "version"))
		counts, _ := c.fgsRequests()
		assert.Equal(t, 3, counts["GET /v2/{project_id}/fgs/functions/{function_urn}/versions"], "five versions in pages of two")
		for _, v := range vs {
			assert.Equal(t, urn+":"+str(v, "version"), str(v, "qualifiedUrn"))
			assert.NotEmpty(t, str(v, "digest"))
			if str(v, "version") == "v2" {
				assert.Equal(t, "release 2", str(v, "description"))
			}
		}
	})
	c.step(t, "a qualified URN lists the same versions", func(t *testing.T) {
		vs := items(t, c.invoke(t, "getFunctionVersions", map[string]any{"functionUrn": urn + ":v1"}), "versions")
		assert.Len(t, vs, 5)
	})
	c.step(t, "aliases", func(t *testing.T) {
		as := items(t, c.invoke(t, "getFunctionAliases", map[string]any{"functionUrn": urn}), "aliases")
		require.ElementsMatch(t, []string{"live", "old"}, column(as, "name"))
		for _, a := range as {
			assert.Equal(t, urn+":!"+str(a, "name"), str(a, "aliasUrn"))
			switch str(a, "name") {
			case "live":
				assert.Equal(t, "v3", str(a, "functionVersion"))
				assert.Equal(t, 10.0, num(a.Get("additionalVersionWeights").AsMap(), "v4"))
			case "old":
				assert.Equal(t, "v1", str(a, "functionVersion"))
				assert.Equal(t, "the first", str(a, "description"))
				assert.Equal(t, 0, a.Get("additionalVersionWeights").AsMap().Len())
			}
		}
	})
	c.step(t, "a missing function is an error naming the call", func(t *testing.T) {
		missing := fgs.UnqualifiedURN(urn) + "-gone"
		_, err := c.tryInvoke("getFunctionVersions", map[string]any{"functionUrn": missing})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "getFunctionVersions")
		_, err = c.tryInvoke("getFunctionAliases", map[string]any{"functionUrn": "not-a-urn"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "functionUrn")
	})
}

func TestGetFunctionTriggersLeavesSecretsOut(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "triggered", false)
	api := c.apiClient(t)
	timer, err := api.Triggers.Create(context.Background(), urn+":latest", &fgs.CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE",
		EventData: map[string]any{"name": "tick", "schedule_type": "Rate", "schedule": "3m"}})
	require.NoError(t, err)
	_, err = api.Triggers.Create(context.Background(), urn+":latest", &fgs.CreateTriggerRequest{TriggerTypeCode: "KAFKA", TriggerStatus: "ACTIVE",
		EventData: map[string]any{"instance_id": "kafka-1", "topic_ids": []any{"t1"}, "kafka_user": "u", "kafka_password": "pa55-w0rd-value"}})
	require.NoError(t, err)

	ts := items(t, c.invoke(t, "getFunctionTriggers", map[string]any{"functionUrn": urn + ":latest"}), "triggers")
	require.ElementsMatch(t, []string{"TIMER", "KAFKA"}, column(ts, "type"))
	for _, tr := range ts {
		data := tr.Get("eventData").AsMap()
		switch str(tr, "type") {
		case "TIMER":
			assert.Equal(t, timer.TriggerID, str(tr, "triggerId"))
			assert.Equal(t, "ACTIVE", str(tr, "status"))
			assert.Equal(t, "3m", str(data, "schedule"))
		case "KAFKA":
			assert.Equal(t, "kafka-1", str(data, "instance_id"))
			assert.False(t, data.Get("kafka_password").IsString(), "a secret key is not copied: %v", data)
		}
	}
}

func TestEventDataWithoutSecretsDropsSecretKeysAtAnyDepth(t *testing.T) {
	got := eventDataWithoutSecrets(map[string]any{
		"name": "n", "db_passwd": "x", "token": "x", "private_key": "x",
		"nested": map[string]any{"access_sk": "x", "keep": 1.0},
		"list":   []any{map[string]any{"password": "x", "keep": "y"}},
	})
	assert.Equal(t, map[string]any{
		"name": "n", "nested": map[string]any{"keep": 1.0}, "list": []any{map[string]any{"keep": "y"}},
	}, got)
}

func TestGetDependenciesFiltersAndGivesTheLatestVersionID(t *testing.T) {
	t.Parallel()
	c := newTestCloudWith(t, smallPages)
	api := c.apiClient(t)
	var mine *fgs.Dependency
	for _, name := range []string{"mylib", "mylib", "mylib", "otherlib"} {
		d, err := api.Dependencies.CreateVersion(context.Background(), &fgs.CreateDependencyVersionRequest{
			Name: name, Runtime: "Python3.9", DependType: "obs", DependLink: "https://bucket.obs.example.com/" + name + ".zip"})
		require.NoError(t, err)
		if name == "mylib" {
			mine = d
		}
	}
	c.em.ResetCounts()

	c.step(t, "all, every page", func(t *testing.T) {
		ds := items(t, c.invoke(t, "getDependencies", nil), "dependencies")
		assert.Len(t, ds, 5, "three public and two private")
		counts, _ := c.fgsRequests()
		assert.Equal(t, 3, counts["GET /v2/{project_id}/fgs/dependencies"], "five dependencies in pages of two")
	})
	c.step(t, "a public dependency by name", func(t *testing.T) {
		ds := items(t, c.invoke(t, "getDependencies", map[string]any{"name": "numpy", "owner": "public"}), "dependencies")
		require.Len(t, ds, 1)
		assert.Equal(t, "numpy-1.19.5", str(ds[0], "name"))
		assert.Equal(t, "public", str(ds[0], "owner"))
		assert.Equal(t, "2f9c3a6e-7f3b-4c1e-8a2d-4b5e6f708192", str(ds[0], "dependencyId"))
		assert.Equal(t, "2d7a7c9e-5f55-4f2e-9a3c-0f6a8a0b6e02", str(ds[0], "versionId"))
	})
	c.step(t, "private ones, with their latest version", func(t *testing.T) {
		ds := items(t, c.invoke(t, "getDependencies", map[string]any{"owner": "private"}), "dependencies")
		require.ElementsMatch(t, []string{"mylib", "otherlib"}, column(ds, "name"))
		for _, d := range ds {
			if str(d, "name") == "mylib" {
				assert.Equal(t, mine.DepID, str(d, "dependencyId"))
				assert.Equal(t, mine.ID, str(d, "versionId"), "the third version, the latest")
				assert.Equal(t, 3.0, num(d, "version"))
			}
		}
	})
	c.step(t, "by runtime", func(t *testing.T) {
		ds := items(t, c.invoke(t, "getDependencies", map[string]any{"runtime": "Node.js14.18"}), "dependencies")
		assert.Equal(t, []string{"moment-2.29.1"}, column(ds, "name"))
	})
	c.step(t, "a bad owner is refused, naming the input", func(t *testing.T) {
		c.em.ResetCounts()
		_, err := c.tryInvoke("getDependencies", map[string]any{"owner": "mine"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `owner: "mine" is not one of public, private, all`)
		_, total := c.fgsRequests()
		assert.Zero(t, total, "no request is sent")
	})
	c.step(t, "the versions of a dependency, every page", func(t *testing.T) {
		c.em.ResetCounts()
		vs := items(t, c.invoke(t, "getDependencyVersions", map[string]any{"dependencyId": mine.DepID}), "versions")
		assert.Len(t, vs, 3)
		assert.Contains(t, column(vs, "versionId"), mine.ID)
		for _, v := range vs {
			assert.Equal(t, mine.DepID, str(v, "dependencyId"))
			assert.Equal(t, "mylib", str(v, "name"))
		}
		counts, _ := c.fgsRequests()
		assert.Equal(t, 2, counts["GET /v2/{project_id}/fgs/dependencies/{depend_id}/version"], "three versions in pages of two")
	})
	c.step(t, "the versions of a missing dependency is an error naming it", func(t *testing.T) {
		_, err := c.tryInvoke("getDependencyVersions", map[string]any{"dependencyId": "no-such-dependency"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no-such-dependency")
	})
}

func TestGetQuotasReportsUse(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	c.newFunction(t, "one", false)
	c.newFunction(t, "two", false)
	qs := items(t, c.invoke(t, "getQuotas", nil), "quotas")
	byType := map[string]property.Map{}
	for _, q := range qs {
		byType[str(q, "type")] = q
	}
	require.Contains(t, byType, "fgs_func_num")
	assert.Equal(t, 2.0, num(byType["fgs_func_num"], "used"))
	assert.Equal(t, float64(c.cfg.FunctionQuota), num(byType["fgs_func_num"], "quota"))
	assert.Equal(t, "MB", str(byType["fgs_func_code_size"], "unit"))
}
