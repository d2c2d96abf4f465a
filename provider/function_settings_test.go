package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// snapshotPath matches the snapshot start routes of the API reference (5.6.9, 5.6.10).
var snapshotPath = regexp.MustCompile(`^/v2/([^/]+)/fgs/functions/([^/]+)/snapshots/(enable|disable|state)$`)

// snapshotFake serves snapshot start in front of the emulator, which does not emulate it: a state per
// function, and for a function the emulator does not know, the emulator's own answer to GET .../config
// (404 FSS.1051, as the reference documents). It counts the requests it served.
type snapshotFake struct {
	mu       sync.Mutex
	enabled  map[string]bool
	requests int
}

func (s *snapshotFake) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := snapshotPath.FindStringSubmatch(r.URL.Path)
		if m == nil {
			next.ServeHTTP(w, r)
			return
		}
		probe := httptest.NewRequest(http.MethodGet, "/v2/"+m[1]+"/fgs/functions/"+m[2]+"/config", nil)
		probe.Header = r.Header.Clone()
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, probe)
		if rec.Code != http.StatusOK {
			w.WriteHeader(rec.Code)
			_, _ = io.Copy(w, rec.Body)
			return
		}
		urn := fgs.UnqualifiedURN(m[2])
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests++
		switch {
		case m[3] == "state" && r.Method == http.MethodGet:
			state := map[bool]string{true: "enable", false: "disable"}[s.enabled[urn]]
			_ = json.NewEncoder(w).Encode(map[string]string{"state": state})
		case m[3] != "state" && r.Method == http.MethodPost:
			s.enabled[urn] = m[3] == "enable"
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
}

func (s *snapshotFake) state(urn string) (bool, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enabled[urn], s.requests
}

// newSnapshotCloud is a test cloud whose emulator answers snapshot start through snapshotFake.
func newSnapshotCloud(t *testing.T) (*testCloud, *snapshotFake) {
	fake := &snapshotFake{enabled: map[string]bool{}}
	return newTestCloudWith(t, fake.wrap), fake
}

func tracingOf(ak, sk string) map[string]any {
	return map[string]any{"accessKey": ak, "secretKey": property.New(sk).WithSecret(true)}
}

// Tracing is set at create, changed in place, seen changed or disabled behind Pulumi's back, requested only
// when it changes, and disabled when the block goes; the secret key stays secret in state.
func TestFunctionTracing(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	api, ctx := c.apiClient(t), context.Background()
	fn := c.resource(t, "Function", "traced")
	inputs := merged(baseFunction(t), map[string]any{"name": "traced", "tracing": tracingOf("ak-1", "sk-1")})

	c.step(t, "create", func(t *testing.T) {
		fn.mustCreate(props(inputs))
		routes, _ := c.fgsRequests()
		assert.Equal(t, 1, routes["PUT /v2/{project_id}/fgs/functions/{function_urn}/tracing"], "one PUT sets tracing")
		c.requests()
		live, err := api.Tracing.Get(ctx, fn.id)
		require.NoError(t, err)
		assert.Equal(t, "ak-1", live.TracingAK)
		sk := fn.state.Get("tracing").AsMap().Get("secretKey")
		assert.True(t, sk.Secret() || fn.state.Get("tracing").Secret(), "the secret key is secret in state")
	})
	c.step(t, "an import leaves tracing out: its secret key cannot be read", func(t *testing.T) {
		c.requests()
		read := c.importID(t, "Function", fn.id)
		_, hasTracing := read.Inputs.GetOk("tracing")
		assert.False(t, hasTracing)
		routes, _ := c.fgsRequests()
		assert.Zero(t, routes["GET /v2/{project_id}/fgs/functions/{function_urn}/tracing"])
	})
	c.step(t, "an update of something else makes no tracing request", func(t *testing.T) {
		c.requests()
		_, checked := fn.diff(props(merged(inputs, map[string]any{"timeout": 60})))
		require.NoError(t, fn.update(checked))
		routes, _ := c.fgsRequests()
		for route := range routes {
			assert.NotContains(t, route, "/tracing")
		}
		c.requests()
	})
	c.step(t, "a refresh sees the access key changed, and keeps the secret key", func(t *testing.T) {
		require.NoError(t, api.Tracing.Put(ctx, fn.id, &fgs.TracingConfig{TracingAK: "ak-other", TracingSK: "sk-other"}))
		read := fn.read()
		assert.Equal(t, "ak-other", str(read.Inputs, "tracing", "accessKey"))
		assert.Equal(t, "sk-1", plain(read.Inputs.Get("tracing")).AsMap().Get("secretKey").AsString())
		d, _ := fn.diff(props(merged(inputs, map[string]any{"timeout": 60})))
		assert.Contains(t, diffKinds(d), "tracing", "the next up puts the declared keys back")
	})
	c.step(t, "change in place", func(t *testing.T) {
		inputs = merged(inputs, map[string]any{"timeout": 60, "tracing": tracingOf("ak-2", "sk-2")})
		d, checked := fn.diff(props(inputs))
		assert.Equal(t, map[string]p.DiffKind{"tracing": p.Update}, diffKinds(d))
		require.NoError(t, fn.update(checked))
		live, err := api.Tracing.Get(ctx, fn.id)
		require.NoError(t, err)
		assert.Equal(t, "ak-2", live.TracingAK)
		c.requests()
	})
	c.step(t, "a refresh sees tracing disabled behind Pulumi's back", func(t *testing.T) {
		require.NoError(t, api.Tracing.Disable(ctx, fn.id))
		read := fn.read()
		assert.False(t, read.Inputs.Get("tracing").IsMap(), "tracing read back as gone: %v", read.Inputs.Get("tracing"))
		fn.ins = fn.ins.Set("tracing", toValue(tracingOf("ak-2", "sk-2")))
		fn.state = fn.state.Set("tracing", toValue(tracingOf("ak-2", "sk-2")))
		require.NoError(t, api.Tracing.Put(ctx, fn.id, &fgs.TracingConfig{TracingAK: "ak-2", TracingSK: "sk-2"}))
		c.requests()
	})
	c.step(t, "removing the block disables tracing", func(t *testing.T) {
		delete(inputs, "tracing")
		d, checked := fn.diff(props(inputs))
		assert.Equal(t, map[string]p.DiffKind{"tracing": p.Delete}, diffKinds(d))
		require.NoError(t, fn.update(checked))
		_, err := api.Tracing.Get(ctx, fn.id)
		assert.ErrorIs(t, err, fgs.ErrNotFound, "tracing is disabled")
	})
}

// Snapshot start is turned on at create, read from the live state, turned off in place; Check keeps it to
// Java runtimes.
func TestFunctionSnapshot(t *testing.T) {
	t.Parallel()
	c, fake := newSnapshotCloud(t)
	fn := c.resource(t, "Function", "snap")
	inputs := merged(baseFunction(t), map[string]any{"name": "snap", "runtime": "Java11", "handler": "com.example.App.handle",
		"enableSnapshot": true, "restoreHook": map[string]any{"handler": "com.example.App.restore", "timeout": 10}})

	c.step(t, "create turns it on", func(t *testing.T) {
		fn.mustCreate(props(inputs))
		on, n := fake.state(fn.id)
		assert.True(t, on)
		assert.Equal(t, 1, n, "one POST .../snapshots/enable")
		assert.Equal(t, "com.example.App.restore", str(fn.state, "restoreHook", "handler"))
	})
	c.step(t, "a refresh reports the live state", func(t *testing.T) {
		fake.mu.Lock()
		fake.enabled[fn.id] = false
		fake.mu.Unlock()
		read := fn.read()
		assert.False(t, read.Inputs.Get("enableSnapshot").AsBool())
		d, checked := fn.diff(props(inputs))
		assert.Equal(t, map[string]p.DiffKind{"enableSnapshot": p.Update}, diffKinds(d))
		require.NoError(t, fn.update(checked), "the next up turns it on again")
		on, _ := fake.state(fn.id)
		assert.True(t, on)
	})
	c.step(t, "a refresh sees the restore hook changed behind Pulumi's back", func(t *testing.T) {
		cfg, err := c.apiClient(t).Functions.GetConfig(context.Background(), fn.id)
		require.NoError(t, err)
		req := configRequest(cfg, nil, FunctionArgs{Handler: cfg.Handler, MemorySize: fgs.Ptr(cfg.MemorySize.Int()), Timeout: fgs.Ptr(cfg.Timeout.Int()),
			RestoreHook: &Hook{Handler: "com.example.App.other", Timeout: 20}})
		_, err = c.apiClient(t).Functions.UpdateConfig(context.Background(), fn.id, req)
		require.NoError(t, err)
		read := fn.read()
		assert.Equal(t, "com.example.App.other", str(read.Inputs, "restoreHook", "handler"))
	})
	c.step(t, "an import of a Java function reads the snapshot state", func(t *testing.T) {
		read := c.importID(t, "Function", fn.id)
		assert.True(t, read.Inputs.Get("enableSnapshot").AsBool())
		assert.Equal(t, "com.example.App.other", str(read.Inputs, "restoreHook", "handler"), "the live hook, changed out of band above")
	})
	c.step(t, "off in place", func(t *testing.T) {
		_, before := fake.state(fn.id)
		inputs = merged(inputs, map[string]any{"enableSnapshot": false})
		d, checked := fn.diff(props(inputs))
		assert.Contains(t, diffKinds(d), "restoreHook", "the hook goes back to the declared one")
		require.NoError(t, fn.update(checked))
		on, after := fake.state(fn.id)
		assert.False(t, on)
		assert.Equal(t, before+1, after, "one POST .../snapshots/disable, and no state read")
		assert.Equal(t, "com.example.App.restore", str(fn.read().Inputs, "restoreHook", "handler"))
	})
	t.Run("Check: Java only", func(t *testing.T) {
		resp := fn.check(props(merged(baseFunction(t), map[string]any{"enableSnapshot": true})))
		require.Len(t, resp.Failures, 1)
		assert.Equal(t, "enableSnapshot", resp.Failures[0].Property)
		assert.Contains(t, resp.Failures[0].Reason, "Java")
	})
}

// codeUrlHash forces the upload from an unchanged codeUrl when it changes, and only then.
func TestFunctionCodeURLHash(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	fn := c.resource(t, "Function", "obs")
	const putCode = "PUT /v2/{project_id}/fgs/functions/{function_urn}/code"
	inputs := map[string]any{"name": "obs", "runtime": "Python3.9", "handler": "index.handler",
		"codeUrl": "https://bucket.obs.eu-de.otc.t-systems.com/code.zip", "codeUrlHash": "etag-1"}
	fn.mustCreate(props(inputs))
	c.requests()

	c.step(t, "a changed hash uploads the code again", func(t *testing.T) {
		inputs = merged(inputs, map[string]any{"codeUrlHash": "etag-2"})
		d, checked := fn.diff(props(inputs))
		assert.Equal(t, map[string]p.DiffKind{"codeUrlHash": p.Update}, diffKinds(d))
		require.NoError(t, fn.update(checked))
		routes, total := c.fgsRequests()
		assert.Equal(t, 1, routes[putCode])
		assert.Equal(t, 1, total, "only the code upload")
		c.requests()
	})
	c.step(t, "another change leaves the code alone", func(t *testing.T) {
		_, checked := fn.diff(props(merged(inputs, map[string]any{"timeout": 60})))
		require.NoError(t, fn.update(checked))
		routes, _ := c.fgsRequests()
		assert.Zero(t, routes[putCode])
		c.requests()
	})
	t.Run("Check: with codeUrl only", func(t *testing.T) {
		resp := fn.check(props(merged(baseFunction(t), map[string]any{"codeUrlHash": "x"})))
		require.Len(t, resp.Failures, 1)
		assert.Equal(t, "codeUrlHash", resp.Failures[0].Property)
		_, total := c.fgsRequests()
		assert.Zero(t, total)
	})
}

// codeBodies keeps the bodies of the PUT .../code requests that pass through it.
type codeBodies struct {
	mu     sync.Mutex
	bodies []string
}

var codePath = regexp.MustCompile(`/fgs/functions/[^/]+/code$`)

func (b *codeBodies) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && codePath.MatchString(r.URL.Path) {
			raw, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(raw))
			b.mu.Lock()
			b.bodies = append(b.bodies, string(raw))
			b.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// Removing every dependency sends the empty list explicitly (OTC #3425: the service keeps the dependencies
// when the list is missing), and the function ends with none; a code change that keeps them sends them.
func TestFunctionRemovingEveryDependency(t *testing.T) {
	t.Parallel()
	bodies := &codeBodies{}
	c := newTestCloudWith(t, bodies.wrap)
	dep := c.resource(t, "DependencyVersion", "libs")
	dep.mustCreate(dependencyInputs(libraryDir(t, "X = 1\n"), nil))
	versionID := str(dep.state, "versionId")
	fn := c.resource(t, "Function", "uses")
	withDeps := merged(baseFunction(t), map[string]any{"name": "uses", "dependencyVersions": []any{versionID}})
	fn.mustCreate(props(withDeps))
	live := func() []string {
		f, err := c.apiClient(t).Functions.GetConfig(context.Background(), fn.id)
		require.NoError(t, err)
		return f.DependVersionList
	}
	require.Equal(t, []string{versionID}, live())

	for _, tc := range []struct {
		name   string
		inputs map[string]any
	}{
		{"removing the input", baseFunction(t)},
		{"an empty list", merged(baseFunction(t), map[string]any{"dependencyVersions": []any{}})},
	} {
		c.step(t, tc.name, func(t *testing.T) {
			bodies.bodies = nil
			in := merged(tc.inputs, map[string]any{"name": "uses"})
			_, checked := fn.diff(props(in))
			require.NoError(t, fn.update(checked))
			require.Len(t, bodies.bodies, 1, "one code upload")
			assert.Contains(t, bodies.bodies[0], `"depend_version_list":[]`)
			assert.Empty(t, live(), "the function has no dependency left")
			if deps := fn.read().Inputs.Get("dependencyVersions"); deps.IsArray() {
				assert.Empty(t, deps.AsArray().AsSlice(), "a refresh reads none")
			}

			_, checked = fn.diff(props(withDeps))
			require.NoError(t, fn.update(checked), "put the dependency back for the next case")
			require.Equal(t, []string{versionID}, live())
		})
	}
	c.step(t, "a code change keeps them", func(t *testing.T) {
		bodies.bodies = nil
		_, checked := fn.diff(props(merged(withDeps, map[string]any{"code": codeDir(t, "def handler(e, c):\n    return 2\n")})))
		require.NoError(t, fn.update(checked))
		require.Len(t, bodies.bodies, 1)
		assert.Contains(t, bodies.bodies[0], `"depend_version_list":["`+versionID+`"]`)
		assert.Equal(t, []string{versionID}, live())
	})
}
