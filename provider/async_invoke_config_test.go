package provider

import (
	"context"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// aliasedFunction creates a function with a version v1 and an alias prod through the API, and returns both
// URNs. It takes testing.TB (unlike newFunction) so that benchmarks can use it too.
func (c *testCloud) aliasedFunction(t testing.TB, name string) (urn, aliasURN string) {
	t.Helper()
	cfg := emulator.DefaultConfig()
	api, err := fgs.NewClient(fgs.Options{
		Region: cfg.Region, AuthURL: c.url + "/v3", Endpoint: c.url, ProjectName: cfg.ProjectName,
		DomainName: cfg.DomainName, UserName: cfg.UserName, Password: cfg.Password, MaxRetries: -1,
	})
	require.NoError(t, err)
	fn, err := api.Functions.Create(context.Background(), &fgs.CreateFunctionRequest{
		FuncName: name, Package: "default", Runtime: "Python3.9", Timeout: 30, Handler: "index.handler", MemorySize: 128,
		CodeType: "inline", FuncCode: &fgs.FuncCode{File: "ZGVmIGhhbmRsZXIoZSwgYyk6IHJldHVybiAx"},
	})
	require.NoError(t, err)
	urn = fgs.UnqualifiedURN(fn.FuncURN)
	_, err = api.Versions.Publish(context.Background(), urn, &fgs.PublishVersionRequest{Version: "v1"})
	require.NoError(t, err)
	a, err := api.Aliases.Create(context.Background(), urn, &fgs.CreateAliasRequest{Name: "prod", Version: "v1"})
	require.NoError(t, err)
	c.em.ResetCounts()
	return urn, a.AliasURN
}

func TestAsyncInvokeConfigLifecycle(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn, aliasURN := c.aliasedFunction(t, "async")
	audit := c.newFunction(t, "audit", false)
	topic := "urn:smn:eu-de:" + c.cfg.ProjectID + ":order-failures"
	api := c.apiClient(t)
	ctx := context.Background()
	liveConfig := func() *fgs.AsyncInvokeConfig {
		t.Helper()
		live, err := api.AsyncConfig.Get(ctx, aliasURN)
		require.NoError(t, err)
		c.requests()
		return live
	}

	full := map[string]any{
		"functionUrn": aliasURN, "maxAsyncEventAgeInSeconds": 600, "maxAsyncRetryAttempts": 2, "enableAsyncStatusLog": true,
		"onSuccess": map[string]any{"functionGraph": map[string]any{"functionUrn": audit}},
		"onFailure": map[string]any{"smn": map[string]any{"topicUrn": topic}},
	}
	r := c.resource(t, "AsyncInvokeConfig", "orders")
	r.mustCreate(props(full))
	assert.Equal(t, aliasURN, r.id)
	assert.NotEmpty(t, str(r.state, "createdTime"))
	assert.Equal(t, 1, c.logRequests(t, "AsyncInvokeConfig create"))
	live := liveConfig()
	assert.Equal(t, 600, live.MaxAsyncEventAgeInSeconds.Int())
	assert.Equal(t, 2, live.MaxAsyncRetryAttempts.Int())
	assert.True(t, bool(live.EnableAsyncStatusLog))
	assert.Equal(t, fgs.DestinationConfig{Destination: "FunctionGraph", Param: `{"func_urn":"` + audit + `"}`}, *live.DestinationConfig.OnSuccess)
	assert.Equal(t, fgs.DestinationConfig{Destination: "SMN", Param: `{"topic_urn":"` + topic + `"}`}, *live.DestinationConfig.OnFailure)

	t.Run("read without drift", func(t *testing.T) {
		r.readUnchanged(1)
		d, _ := r.diff(props(full))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
	})

	t.Run("destinations and retries in place", func(t *testing.T) {
		next := merged(full, map[string]any{
			"maxAsyncRetryAttempts": 0,
			"onSuccess":             map[string]any{"obs": map[string]any{"bucket": "order-results", "prefix": "ok/", "expires": 30}},
			"onFailure":             map[string]any{"dis": map[string]any{"streamName": "order-failures"}},
		})
		d, checked := r.diff(props(next))
		assert.Equal(t, map[string]p.DiffKind{"maxAsyncRetryAttempts": p.Update, "onSuccess": p.Update, "onFailure": p.Update}, diffKinds(d))
		created := str(r.state, "createdTime")
		assert.Equal(t, created, str(r.preview(checked), "createdTime"), "the preview keeps createdTime known")
		c.requests()
		require.NoError(t, r.update(checked))
		assert.Equal(t, 1, c.logRequests(t, "AsyncInvokeConfig update"))
		live := liveConfig()
		assert.Equal(t, 0, live.MaxAsyncRetryAttempts.Int())
		assert.Equal(t, fgs.DestinationConfig{Destination: "OBS", Param: `{"bucket":"order-results","prefix":"ok/","expires":30}`}, *live.DestinationConfig.OnSuccess)
		assert.Equal(t, fgs.DestinationConfig{Destination: "DIS", Param: `{"stream_name":"order-failures"}`}, *live.DestinationConfig.OnFailure)
		full = next
	})

	t.Run("removing settings removes them", func(t *testing.T) {
		next := merged(full, nil)
		delete(next, "onFailure")
		delete(next, "maxAsyncEventAgeInSeconds")
		delete(next, "enableAsyncStatusLog")
		d, checked := r.diff(props(next))
		assert.Equal(t, map[string]p.DiffKind{"onFailure": p.Delete, "maxAsyncEventAgeInSeconds": p.Update, "enableAsyncStatusLog": p.Update}, diffKinds(d))
		require.NoError(t, r.update(checked))
		live := liveConfig()
		assert.Nil(t, live.DestinationConfig.OnFailure)
		assert.Equal(t, asyncDefaultMaxAge, live.MaxAsyncEventAgeInSeconds.Int())
		assert.False(t, bool(live.EnableAsyncStatusLog))
		resp := r.read()
		assert.Equal(t, checked, resp.Inputs, "settings at their defaults stay unset on refresh")
		c.requests()
		full = next
	})

	t.Run("another urn replaces", func(t *testing.T) {
		d, _ := r.diff(props(merged(full, map[string]any{"functionUrn": urn})))
		assert.Equal(t, map[string]p.DiffKind{"functionUrn": p.UpdateReplace}, diffKinds(d))
		c.requests()
	})

	t.Run("refresh sees an out-of-band change", func(t *testing.T) {
		three := 3
		_, err := api.AsyncConfig.Put(ctx, aliasURN, &fgs.PutAsyncInvokeConfigRequest{MaxAsyncRetryAttempts: &three})
		require.NoError(t, err)
		c.requests()
		resp := r.read()
		assert.Equal(t, 3.0, resp.Inputs.Get("maxAsyncRetryAttempts").AsNumber())
		_, hasSuccess := resp.Inputs.GetOk("onSuccess")
		assert.False(t, hasSuccess, "the destination removed elsewhere is gone")
		d, _ := r.diff(props(full))
		assert.Equal(t, map[string]p.DiffKind{"maxAsyncRetryAttempts": p.Update, "onSuccess": p.Add}, diffKinds(d))
		c.requests()
	})

	t.Run("import by the urn", func(t *testing.T) {
		imp := c.importID(t, "AsyncInvokeConfig", aliasURN)
		require.Equal(t, aliasURN, imp.ID)
		assert.Equal(t, aliasURN, str(imp.Inputs, "functionUrn"))
		assert.Equal(t, 3.0, imp.Inputs.Get("maxAsyncRetryAttempts").AsNumber())
		_, hasAge := imp.Inputs.GetOk("maxAsyncEventAgeInSeconds")
		assert.False(t, hasAge, "a setting at its default is not imported as set")
		assert.Equal(t, 1, c.logRequests(t, "AsyncInvokeConfig import"))
		assert.Equal(t, "", c.importID(t, "AsyncInvokeConfig", urn).ID, "no settings on latest: nothing to import")
		c.requests()
	})

	t.Run("delete", func(t *testing.T) {
		require.NoError(t, r.delete())
		assert.Equal(t, 1, c.logRequests(t, "AsyncInvokeConfig delete"))
		_, err := api.AsyncConfig.Get(ctx, aliasURN)
		assert.ErrorIs(t, err, fgs.ErrNotFound)
		assert.Equal(t, "", r.read().ID, "settings removed read as gone")
		require.NoError(t, r.delete(), "deleting again is not an error")
	})
}

// The unqualified URN (the latest version) works as well, and a missing alias is explained.
func TestAsyncInvokeConfigOnLatestAndMissingTarget(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "latest-async", false)
	r := c.resource(t, "AsyncInvokeConfig", "latest")
	r.mustCreate(props(map[string]any{"functionUrn": urn, "maxAsyncRetryAttempts": 0}))
	resp := r.read()
	assert.Equal(t, urn, resp.ID)
	assert.Equal(t, 0.0, resp.Inputs.Get("maxAsyncRetryAttempts").AsNumber())
	d, _ := r.diff(props(map[string]any{"functionUrn": urn + ":latest", "maxAsyncRetryAttempts": 0}))
	assert.False(t, d.HasChanges, "`:latest` names the same settings: a replacement would delete what it created: %v", diffKinds(d))

	err := c.resource(t, "AsyncInvokeConfig", "missing").create(props(map[string]any{"functionUrn": urn + ":!nope"}))
	require.Error(t, err)
	t.Logf("missing alias: %v", err)
	assert.Contains(t, err.Error(), "does not exist")
}

func TestAsyncInvokeConfigCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := "urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello"
	with := func(extra map[string]any) property.Map {
		return props(merged(map[string]any{"functionUrn": urn + ":!prod"}, extra))
	}
	dest := func(kinds map[string]any) map[string]any { return map[string]any{"onSuccess": kinds} }
	c.checkCatalogue(t, "AsyncInvokeConfig", []checkCase{
		{"not a urn", props(map[string]any{"functionUrn": "hello"}), "functionUrn"},
		{"event age 0", with(map[string]any{"maxAsyncEventAgeInSeconds": 0}), "maxAsyncEventAgeInSeconds"},
		{"event age over a day", with(map[string]any{"maxAsyncEventAgeInSeconds": 86401}), "maxAsyncEventAgeInSeconds"},
		{"negative retries", with(map[string]any{"maxAsyncRetryAttempts": -1}), "maxAsyncRetryAttempts"},
		{"four retries", with(map[string]any{"maxAsyncRetryAttempts": 4}), "maxAsyncRetryAttempts"},
		{"empty destination", with(dest(map[string]any{})), "onSuccess"},
		{"two kinds", with(map[string]any{"onFailure": map[string]any{
			"smn": map[string]any{"topicUrn": "urn:smn:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:t"},
			"dis": map[string]any{"streamName": "s"}}}), "onFailure.dis"},
		{"bad function urn", with(dest(map[string]any{"functionGraph": map[string]any{"functionUrn": "audit"}})), "onSuccess.functionGraph.functionUrn"},
		{"uppercase bucket", with(dest(map[string]any{"obs": map[string]any{"bucket": "Results"}})), "onSuccess.obs.bucket"},
		{"expiry over a year", with(dest(map[string]any{"obs": map[string]any{"bucket": "results", "expires": 366}})), "onSuccess.obs.expires"},
		{"topic not an smn urn", with(dest(map[string]any{"smn": map[string]any{"topicUrn": "order-failures"}})), "onSuccess.smn.topicUrn"},
		{"stream name with a space", with(dest(map[string]any{"dis": map[string]any{"streamName": "my stream"}})), "onSuccess.dis.streamName"},
	})

	unknown := c.resource(t, "AsyncInvokeConfig", "preview").check(property.NewMap(map[string]property.Value{
		"functionUrn": property.New(property.Computed),
		"onSuccess": property.New(property.NewMap(map[string]property.Value{
			"functionGraph": property.New(property.NewMap(map[string]property.Value{"functionUrn": property.New(property.Computed)})),
		})),
		"onFailure": property.New(property.Computed),
	}))
	assert.Empty(t, unknown.Failures, "unknown values are not flagged")
}

func TestAsyncInvokeConfigAPIMapping(t *testing.T) {
	urn := "urn:fss:eu-de:p:function:default:hello:!prod"
	two, zero, days := 2, 0, 7
	prefix := "out/"
	cases := []struct {
		name string
		dest *AsyncDestination
		wire fgs.DestinationConfig
	}{
		{"function", &AsyncDestination{FunctionGraph: &AsyncFunctionGraphDestination{FunctionURN: "urn:f"}}, fgs.DestinationConfig{Destination: "FunctionGraph", Param: `{"func_urn":"urn:f"}`}},
		{"obs in full", &AsyncDestination{Obs: &AsyncObsDestination{Bucket: "b", Prefix: &prefix, Expires: &days}}, fgs.DestinationConfig{Destination: "OBS", Param: `{"bucket":"b","prefix":"out/","expires":7}`}},
		{"obs expiry 0 is sent", &AsyncDestination{Obs: &AsyncObsDestination{Bucket: "b", Expires: &zero}}, fgs.DestinationConfig{Destination: "OBS", Param: `{"bucket":"b","expires":0}`}},
		{"obs bucket only", &AsyncDestination{Obs: &AsyncObsDestination{Bucket: "b"}}, fgs.DestinationConfig{Destination: "OBS", Param: `{"bucket":"b"}`}},
		{"smn", &AsyncDestination{Smn: &AsyncSmnDestination{TopicURN: "urn:smn:t"}}, fgs.DestinationConfig{Destination: "SMN", Param: `{"topic_urn":"urn:smn:t"}`}},
		{"dis", &AsyncDestination{Dis: &AsyncDisDestination{StreamName: "s"}}, fgs.DestinationConfig{Destination: "DIS", Param: `{"stream_name":"s"}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := AsyncInvokeConfigArgs{FunctionURN: urn, MaxAsyncRetryAttempts: &two, OnFailure: tc.dest}
			body := asyncInvokeConfigBody(args)
			assert.Equal(t, tc.wire, *body.DestinationConfig.OnFailure)
			assert.Nil(t, body.DestinationConfig.OnSuccess)
			assert.Equal(t, asyncDefaultMaxAge, *body.MaxAsyncEventAgeInSeconds, "defaults are sent explicitly")
			assert.False(t, *body.EnableAsyncStatusLog)

			live := &fgs.AsyncInvokeConfig{MaxAsyncEventAgeInSeconds: asyncDefaultMaxAge, MaxAsyncRetryAttempts: 2,
				DestinationConfig: &fgs.AsyncDestinationConfig{OnFailure: &tc.wire}}
			back, err := asyncInvokeConfigFromAPI(urn, live, args)
			require.NoError(t, err)
			assert.Equal(t, args, back, "read-back gives the inputs that were sent")
		})
	}

	_, err := asyncInvokeConfigFromAPI(urn, &fgs.AsyncInvokeConfig{DestinationConfig: &fgs.AsyncDestinationConfig{
		OnSuccess: &fgs.DestinationConfig{Destination: "Kafka", Param: "{}"}}}, AsyncInvokeConfigArgs{})
	assert.ErrorContains(t, err, `"Kafka"`)
	_, err = asyncInvokeConfigFromAPI(urn, &fgs.AsyncInvokeConfig{DestinationConfig: &fgs.AsyncDestinationConfig{
		OnSuccess: &fgs.DestinationConfig{Destination: "OBS", Param: "not json"}}}, AsyncInvokeConfigArgs{})
	assert.ErrorContains(t, err, "on_success")

	// The service may send numbers as strings; expires "5" reads as 5.
	back, err := asyncInvokeConfigFromAPI(urn, &fgs.AsyncInvokeConfig{DestinationConfig: &fgs.AsyncDestinationConfig{
		OnSuccess: &fgs.DestinationConfig{Destination: "OBS", Param: `{"bucket":"b","expires":"5"}`}}}, AsyncInvokeConfigArgs{})
	require.NoError(t, err)
	assert.Equal(t, 5, *back.OnSuccess.Obs.Expires)
}
