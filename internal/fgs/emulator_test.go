package fgs

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// TestEmulatorRoundTrip runs create / get / update / delete of a function
// against the emulator with token (password) and AK/SK authentication.
func TestEmulatorRoundTrip(t *testing.T) {
	em, err := emulator.New(emulator.DefaultConfig())
	require.NoError(t, err)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)

	auths := map[string]Options{
		"token": {Region: "eu-de", AuthURL: srv.URL + "/v3", DomainName: "fgs-demo", UserName: "fgs-user",
			Password: "fgs-emulator-password", ProjectName: "eu-de"},
		"aksk": {Region: "eu-de", AuthURL: srv.URL + "/v3", Endpoint: srv.URL, ProjectName: "eu-de",
			AccessKey: "FGSEMULATORACCESSKEY", SecretKey: "fgsEmulatorSecretKey0123456789abcdefGHIJ"},
		// endpoint from the signed IAM catalog, project id given
		"aksk-catalog": {Region: "eu-de", AuthURL: srv.URL + "/v3", ProjectID: "0c4a9a1e2b3f4d5e6f708192a3b4c5d6",
			AccessKey: "FGSEMULATORACCESSKEY", SecretKey: "fgsEmulatorSecretKey0123456789abcdefGHIJ"},
		// a token obtained elsewhere; project learnt through the token method
		"given-token": {Region: "eu-de", AuthURL: srv.URL + "/v3", Token: issueEmulatorToken(t, srv.URL)},
	}
	for name, opts := range auths {
		t.Run(name, func(t *testing.T) {
			opts.RetryBaseDelay, opts.RetryMaxDelay = time.Millisecond, 10*time.Millisecond
			log := &captureLogger{}
			opts.Logger = log
			c, err := NewClient(opts)
			require.NoError(t, err)
			ctx := context.Background()
			pid, err := c.ProjectID(ctx)
			require.NoError(t, err)
			assert.Equal(t, "0c4a9a1e2b3f4d5e6f708192a3b4c5d6", pid)

			fname := "roundtrip-" + name
			code := base64.StdEncoding.EncodeToString([]byte("def handler(event, context):\n    return 'ok'\n"))
			created, err := c.Functions.Create(ctx, &CreateFunctionRequest{FuncName: fname, Package: "default", Runtime: "Python3.9",
				Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "inline", FuncCode: &FuncCode{File: code},
				Description: "first", UserData: `{"k":"v"}`})
			require.NoError(t, err)
			urn := UnqualifiedURN(created.FuncURN)
			assert.Equal(t, BuildURN("eu-de", pid, "default", fname, ""), urn)

			_, err = c.Functions.Create(ctx, &CreateFunctionRequest{FuncName: fname, Package: "default", Runtime: "Python3.9",
				Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "inline", FuncCode: &FuncCode{File: code}})
			assert.ErrorIs(t, err, ErrConflict, "duplicate create")

			got, err := c.Functions.GetConfig(ctx, urn)
			require.NoError(t, err)
			assert.Equal(t, fname, got.FuncName)
			assert.Equal(t, 128, got.MemorySize.Int())
			assert.Equal(t, "first", got.Description)
			assert.JSONEq(t, `{"k":"v"}`, got.UserData.String())

			upd, err := c.Functions.UpdateConfig(ctx, urn, &UpdateFunctionConfigRequest{FuncName: fname, Runtime: "Python3.9",
				Handler: "index.handler", MemorySize: 256, Timeout: 60, Description: Ptr("second"), UserData: Ptr(got.UserData.String())})
			require.NoError(t, err)
			assert.Equal(t, 256, upd.MemorySize.Int())

			got, err = c.Functions.GetConfig(ctx, urn)
			require.NoError(t, err)
			assert.Equal(t, 256, got.MemorySize.Int())
			assert.Equal(t, 60, got.Timeout.Int())
			assert.Equal(t, "second", got.Description)

			_, err = c.Functions.UpdateMaxInstances(ctx, urn, 10)
			require.NoError(t, err)

			fns, err := c.Functions.List(ctx, nil)
			require.NoError(t, err)
			found := false
			for _, f := range fns {
				found = found || f.FuncName == fname
			}
			assert.True(t, found, "listed")

			require.NoError(t, c.Functions.Delete(ctx, urn))
			_, err = c.Functions.GetConfig(ctx, urn)
			assert.ErrorIs(t, err, ErrNotFound)
			err = c.Functions.Delete(ctx, urn)
			assert.ErrorIs(t, err, ErrNotFound)

			assert.NotContains(t, log.all(), "fgs-emulator-password")
			assert.NotContains(t, log.all(), "fgsEmulatorSecretKey0123456789abcdefGHIJ")
		})
	}
}

func issueEmulatorToken(t *testing.T, base string) string {
	req, err := http.NewRequest(http.MethodPost, base+"/v3/auth/tokens", strings.NewReader(`{"auth":{"identity":{"methods":["password"],
		"password":{"user":{"name":"fgs-user","password":"fgs-emulator-password","domain":{"name":"fgs-demo"}}}},"scope":{"project":{"name":"eu-de"}}}}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	tok := resp.Header.Get("X-Subject-Token")
	require.NotEmpty(t, tok)
	return tok
}

// TestEmulatorServices exercises every service of the client once against the
// emulator (password auth).
func TestEmulatorServices(t *testing.T) {
	em, err := emulator.New(emulator.DefaultConfig())
	require.NoError(t, err)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{Region: "eu-de", AuthURL: srv.URL + "/v3", DomainName: "fgs-demo", UserName: "fgs-user",
		Password: "fgs-emulator-password", ProjectName: "eu-de", RetryBaseDelay: time.Millisecond, RetryMaxDelay: 10 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()

	code := base64.StdEncoding.EncodeToString([]byte("def handler(event, context):\n    return 'ok'\n"))
	fn, err := c.Functions.Create(ctx, &CreateFunctionRequest{FuncName: "svc", Package: "default", Runtime: "Python3.9",
		Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "inline", FuncCode: &FuncCode{File: code}})
	require.NoError(t, err)
	urn := UnqualifiedURN(fn.FuncURN)

	t.Run("code", func(t *testing.T) {
		_, err := c.Functions.UpdateCode(ctx, urn, &UpdateFunctionCodeRequest{CodeType: "inline", FuncCode: FuncCode{File: base64.StdEncoding.EncodeToString([]byte("x = 1\n"))}})
		require.NoError(t, err)
		fc, err := c.Functions.GetCode(ctx, urn)
		require.NoError(t, err)
		assert.NotEmpty(t, fc.Digest)
	})
	t.Run("versions and aliases", func(t *testing.T) {
		v, err := c.Versions.Publish(ctx, urn, &PublishVersionRequest{Version: "v1", Description: "first"})
		require.NoError(t, err)
		assert.Equal(t, "v1", v.Version)
		vs, err := c.Versions.List(ctx, urn, nil)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(vs), 1)
		_, err = c.Versions.Get(ctx, urn, "v1")
		require.NoError(t, err)
		_, err = c.Versions.Get(ctx, urn, "v9")
		assert.ErrorIs(t, err, ErrNotFound)

		a, err := c.Aliases.Create(ctx, urn, &CreateAliasRequest{Name: "dev", Version: "v1"})
		require.NoError(t, err)
		assert.Equal(t, "dev", a.Name)
		_, err = c.Aliases.Create(ctx, urn, &CreateAliasRequest{Name: "dev", Version: "v1"})
		assert.ErrorIs(t, err, ErrConflict)
		a, err = c.Aliases.Update(ctx, urn, "dev", &UpdateAliasRequest{Version: "latest", Description: Ptr("moved")})
		require.NoError(t, err)
		a, err = c.Aliases.Get(ctx, urn, "dev")
		require.NoError(t, err)
		assert.Equal(t, "latest", a.Version)
		as, err := c.Aliases.List(ctx, urn)
		require.NoError(t, err)
		assert.Len(t, as, 1)
		require.NoError(t, c.Aliases.Delete(ctx, urn, "dev"))
		_, err = c.Aliases.Get(ctx, urn, "dev")
		assert.ErrorIs(t, err, ErrNotFound)
	})
	t.Run("triggers", func(t *testing.T) {
		q := urn + ":latest"
		tr, err := c.Triggers.Create(ctx, q, &CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE", EventTypeCode: "MessageCreated",
			EventData: map[string]any{"name": "tick", "schedule_type": "Rate", "schedule": "3m"}})
		require.NoError(t, err)
		require.NotEmpty(t, tr.TriggerID)
		got, err := c.Triggers.Get(ctx, q, "TIMER", tr.TriggerID)
		require.NoError(t, err)
		assert.True(t, MatchTrigger(got, &CreateTriggerRequest{TriggerTypeCode: "TIMER", EventData: map[string]any{"name": "tick", "schedule": "3m"}}))
		_, err = c.Triggers.Update(ctx, q, "TIMER", tr.TriggerID, &UpdateTriggerRequest{TriggerStatus: "DISABLED"})
		require.NoError(t, err)
		ts, err := c.Triggers.List(ctx, q)
		require.NoError(t, err)
		assert.Len(t, ts, 1)
		require.NoError(t, c.Triggers.Delete(ctx, q, "TIMER", tr.TriggerID))
		_, err = c.Triggers.Get(ctx, q, "TIMER", tr.TriggerID)
		assert.ErrorIs(t, err, ErrNotFound)
		require.NoError(t, c.Triggers.DeleteAll(ctx, urn))
	})
	t.Run("tags", func(t *testing.T) {
		require.NoError(t, c.Tags.Create(ctx, urn, []Tag{{Key: "env", Value: "dev"}, {Key: "team", Value: "a"}}))
		tags, err := c.Tags.ForFunction(ctx, urn)
		require.NoError(t, err)
		assert.ElementsMatch(t, []Tag{{Key: "env", Value: "dev"}, {Key: "team", Value: "a"}}, tags)
		require.NoError(t, c.Tags.Delete(ctx, urn, []Tag{{Key: "team", Value: "a"}}))
		tags, err = c.Tags.ForFunction(ctx, urn)
		require.NoError(t, err)
		assert.Equal(t, []Tag{{Key: "env", Value: "dev"}}, tags)
	})
	t.Run("test events", func(t *testing.T) {
		ev, err := c.TestEvents.Create(ctx, urn, &CreateTestEventRequest{Name: "ev1", Content: "eyJrIjoidiJ9"})
		require.NoError(t, err)
		_, err = c.TestEvents.Update(ctx, urn, ev.ID, "e30=")
		require.NoError(t, err)
		got, err := c.TestEvents.Get(ctx, urn, ev.ID)
		require.NoError(t, err)
		assert.Equal(t, "e30=", got.Content)
		es, err := c.TestEvents.List(ctx, urn)
		require.NoError(t, err)
		assert.Len(t, es, 1)
		require.NoError(t, c.TestEvents.Delete(ctx, urn, ev.ID))
		_, err = c.TestEvents.Get(ctx, urn, ev.ID)
		assert.ErrorIs(t, err, ErrNotFound)
	})
	t.Run("async config, tracing, reserved", func(t *testing.T) {
		q := urn + ":latest"
		_, err := c.AsyncConfig.Get(ctx, q)
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = c.AsyncConfig.Put(ctx, q, &PutAsyncInvokeConfigRequest{MaxAsyncEventAgeInSeconds: Ptr(3600), MaxAsyncRetryAttempts: Ptr(2)})
		require.NoError(t, err)
		ac, err := c.AsyncConfig.Get(ctx, q)
		require.NoError(t, err)
		assert.Equal(t, 2, ac.MaxAsyncRetryAttempts.Int())
		all, err := c.AsyncConfig.ListAll(ctx, urn)
		require.NoError(t, err)
		assert.NotEmpty(t, all)
		require.NoError(t, c.AsyncConfig.Delete(ctx, q))

		require.NoError(t, c.Tracing.Put(ctx, urn, &TracingConfig{TracingAK: "AKAK", TracingSK: "SKSKSKSK"}))
		tc, err := c.Tracing.Get(ctx, urn)
		require.NoError(t, err)
		assert.Equal(t, "AKAK", tc.TracingAK)

		_, err = c.ReservedInstances.Update(ctx, q, &UpdateReservedInstancesRequest{Count: 1})
		require.NoError(t, err)
		cfgs, err := c.ReservedInstances.ListConfigs(ctx, q)
		require.NoError(t, err)
		assert.NotEmpty(t, cfgs)
		_, err = c.ReservedInstances.ListCounts(ctx, "")
		require.NoError(t, err)
		_, err = c.ReservedInstances.Update(ctx, q, &UpdateReservedInstancesRequest{Count: 0})
		require.NoError(t, err)
	})
	t.Run("dependencies and quotas", func(t *testing.T) {
		zip := base64.StdEncoding.EncodeToString([]byte("PK\x05\x06" + string(make([]byte, 18))))
		dv, err := c.Dependencies.CreateVersion(ctx, &CreateDependencyVersionRequest{Name: "mydep", Runtime: "Python3.9", DependType: "zip", DependFile: zip})
		require.NoError(t, err)
		got, err := c.Dependencies.GetVersion(ctx, dv.DepID, int64(dv.Version))
		require.NoError(t, err)
		assert.Equal(t, "mydep", got.Name)
		vs, err := c.Dependencies.ListVersions(ctx, dv.DepID)
		require.NoError(t, err)
		assert.Len(t, vs, 1)
		_, err = c.Dependencies.List(ctx, &ListDependenciesOptions{DependencyType: "private"})
		require.NoError(t, err)
		require.NoError(t, c.Dependencies.DeleteVersion(ctx, dv.DepID, int64(dv.Version)))

		qs, err := c.Quotas.List(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, qs)
		// Invocations are covered by services_test.go: the emulator has no
		// invocation routes yet.
	})
	require.NoError(t, c.Functions.Delete(ctx, urn))
}

// TestEmulatorWithFaults drives creates, updates and deletes through an
// emulator that fails 30% of the /v2 requests with 429, 500, 503 or a dropped
// connection: the retries (and the lookups after ambiguous POST failures)
// must make every operation succeed exactly once.
func TestEmulatorWithFaults(t *testing.T) {
	cfg := emulator.DefaultConfig()
	cfg.FaultRate = 0.3
	cfg.FaultKinds = []string{"429", "500", "503", "drop"}
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{Region: "eu-de", AuthURL: srv.URL + "/v3", DomainName: "fgs-demo", UserName: "fgs-user",
		Password: "fgs-emulator-password", ProjectName: "eu-de", MaxRetries: 12,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 2 * time.Millisecond, MaxRetryAfter: 2 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()
	code := base64.StdEncoding.EncodeToString([]byte("def handler(event, context):\n    return 'ok'\n"))

	const n = 8
	urns := make([]string, 0, n)
	for i := 0; i < n; i++ {
		fn, err := c.Functions.Create(ctx, &CreateFunctionRequest{FuncName: "faulty" + string(rune('a'+i)), Package: "default", Runtime: "Python3.9",
			Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "inline", FuncCode: &FuncCode{File: code}})
		require.NoError(t, err, "create %d", i)
		urns = append(urns, UnqualifiedURN(fn.FuncURN))
	}
	for _, urn := range urns {
		_, err := c.Triggers.Create(ctx, urn+":latest", &CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE",
			EventData: map[string]any{"name": "tick", "schedule_type": "Rate", "schedule": "3m"}})
		require.NoError(t, err)
		u, err := ParseURN(urn)
		require.NoError(t, err)
		_, err = c.Functions.UpdateConfig(ctx, urn, &UpdateFunctionConfigRequest{FuncName: u.Name,
			Runtime: "Python3.9", Handler: "index.handler", MemorySize: 256, Timeout: 30})
		require.NoError(t, err)
	}
	em.SetFaults(0, nil)
	fns, err := c.Functions.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, fns, n, "no duplicates, none missing")
	for _, urn := range urns {
		ts, err := c.Triggers.List(ctx, urn+":latest")
		require.NoError(t, err)
		assert.Len(t, ts, 1, "exactly one trigger per function")
		got, err := c.Functions.GetConfig(ctx, urn)
		require.NoError(t, err)
		assert.Equal(t, 256, got.MemorySize.Int())
	}
	em.SetFaults(0.3, []string{"429", "500", "503", "drop"})
	for _, urn := range urns {
		require.NoError(t, c.Functions.Delete(ctx, urn))
	}
	em.SetFaults(0, nil)
	fns, err = c.Functions.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, fns)
}
