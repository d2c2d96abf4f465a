package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCountsAndOperatorEndpoints(t *testing.T) {
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	h := newHarness(t, func(c *Config) { c.Logger = log.New(lockedWriter{&logBuf, &logMu}, "", 0); c.FaultSeed = 7 })
	h.create("fn")
	h.obj("PUT", "/fgs/functions/"+urn7("fn")+"/config", cfgBody("fn"), 200)
	h.obj("PUT", "/fgs/functions/fn/config", cfgBody("fn"), 200)
	h.do("GET", "/fgs/functions/nope/config", nil)
	c := h.e.Counts()
	require.Equal(t, 1, c["POST /v3/auth/tokens"])
	require.Equal(t, 1, c["POST /v2/{project_id}/fgs/functions"])
	require.Equal(t, 2, c["PUT /v2/{project_id}/fgs/functions/{function_urn}/config"])
	require.Equal(t, 1, c["GET /v2/{project_id}/fgs/functions/{function_urn}/config"])

	rec := h.raw("GET", "/_emulator/requests", nil, nil)
	require.Equal(t, 200, rec.Code)
	var got map[string]int
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	require.Equal(t, c, got, "operator endpoints are not counted")
	require.Equal(t, 204, h.raw("DELETE", "/_emulator/requests", nil, nil).Code)
	require.Empty(t, h.e.Counts())

	rec = h.raw("PUT", "/_emulator/faults", map[string]any{"rate": 0.2, "kinds": []string{"429", "drop"}}, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	rec = h.raw("GET", "/_emulator/faults", nil, nil)
	require.JSONEq(t, `{"rate":0.2,"kinds":["429","drop"],"rules":[],"seed":7,"hang_max":"5m0s","hanging":0,"injected":{}}`, rec.Body.String())
	require.Equal(t, 400, h.raw("PUT", "/_emulator/faults", map[string]any{"rate": 2}, nil).Code)
	require.Equal(t, 400, h.raw("PUT", "/_emulator/faults", map[string]any{"rate": 0.1, "kinds": []string{"418"}}, nil).Code)
	h.e.SetFaults(0, nil)

	require.Equal(t, 204, h.raw("POST", "/_emulator/reset", nil, nil).Code)
	h.fail("GET", "/fgs/functions/fn/config", nil, 404, "FSS.1051") // the token survives a reset
	m := h.obj("GET", "/fgs/dependencies?dependency_type=public", nil, 200)
	require.NotZero(t, m["count"], "public dependencies are re-seeded")
	h.e.Reset()
	require.Empty(t, h.e.Counts())

	logMu.Lock()
	out := logBuf.String()
	logMu.Unlock()
	require.Contains(t, out, "POST /v2/"+pid+"/fgs/functions 200")
	require.Contains(t, out, "GET /v2/"+pid+"/fgs/functions/nope/config 404")
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestFaultInjection(t *testing.T) {
	for _, kind := range []struct {
		kind   string
		status int
		code   string
	}{{"429", 429, "FSS.0429"}, {"500", 500, "FSS.0500"}, {"503", 503, "FSS.0503"}} {
		t.Run(kind.kind, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.FaultRate, c.FaultKinds = 1, []string{kind.kind} })
			rec := h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": h.token})
			requireErr(t, rec.Code, rec.Body.Bytes(), kind.status, kind.code)
			if kind.kind == "429" {
				require.Equal(t, "1", rec.Header().Get("Retry-After"))
			}
			// IAM and operator routes are never faulted
			require.Equal(t, 201, h.raw("POST", "/v3/auth/tokens", passwordAuth(nil), nil).Code)
			require.Equal(t, 200, h.raw("GET", "/_emulator/requests", nil, nil).Code)
			require.Equal(t, 1, h.e.Counts()["GET /v2/{project_id}/fgs/functions"], "faulted requests are counted")
		})
	}
	// drop: the connection is closed without an answer
	h := newHarness(t, func(c *Config) { c.FaultRate, c.FaultKinds = 1, []string{"drop"} })
	srv := httptest.NewServer(h.e)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/v2/"+pid+"/fgs/functions", nil)
	req.Header.Set("X-Auth-Token", h.token)
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	// a partial rate faults some requests only
	h.e.SetFaults(0.5, []string{"500"})
	faults := 0
	for i := 0; i < 200; i++ {
		if h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": h.token}).Code == 500 {
			faults++
		}
	}
	require.Greater(t, faults, 50)
	require.Less(t, faults, 150)
	_, err = New(Config{FaultRate: 2})
	require.Error(t, err)
	_, err = New(Config{FaultKinds: []string{"404"}})
	require.Error(t, err)
}

func TestLatency(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Latency = [2]time.Duration{20 * time.Millisecond, 30 * time.Millisecond} })
	start := time.Now()
	h.do("GET", "/fgs/functions", nil)
	require.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestPersistenceAcrossRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	h := newHarness(t, func(c *Config) { c.StateFile = file })
	created := h.create("persisted", "user_data", `{"a":"b"}`)
	h.obj("POST", "/fgs/functions/persisted/versions", map[string]any{"version": "v1"}, 200)
	h.obj("POST", "/fgs/functions/persisted/aliases", map[string]any{"name": "prod", "version": "v1"}, 200)
	h.obj("POST", "/fgs/triggers/persisted", trig("TIMER", map[string]any{"name": "t", "schedule_type": "Rate", "schedule": "3m"}), 201)
	h.nc("POST", "/functions/"+urn7("persisted")+"/tags/create", map[string]any{"tags": []any{map[string]any{"key": "k", "value": "v"}}})
	_, err := os.Stat(file)
	require.NoError(t, err)
	entries, _ := os.ReadDir(filepath.Dir(file))
	require.Len(t, entries, 1, "no temp files left behind")

	cfg := DefaultConfig()
	cfg.StateFile, cfg.Now = file, h.clk.Now
	e2, err := New(cfg)
	require.NoError(t, err)
	h2 := &harness{t: t, e: e2, clk: h.clk, token: h.token} // tokens persist too
	g := h2.obj("GET", "/fgs/functions/persisted/config", nil, 200)
	require.Equal(t, created["digest"], g["digest"])
	require.Equal(t, `{"a":"b"}`, g["user_data"])
	require.Len(t, h2.arr("GET", "/fgs/functions/persisted/aliases", 200), 1)
	require.Len(t, h2.arr("GET", "/fgs/triggers/persisted", 200), 1)
	v := h2.obj("GET", "/fgs/functions/persisted/versions", nil, 200)
	require.EqualValues(t, 2, v["count"])
	h2.fail("POST", "/fgs/functions/persisted/versions", nil, 400, "FSS.1016")
	pub := h2.obj("GET", "/fgs/dependencies?dependency_type=public", nil, 200)
	require.EqualValues(t, 3, pub["count"], "public dependencies are not duplicated on reload")

	require.NoError(t, os.WriteFile(file, []byte("{not json"), 0o600))
	_, err = New(cfg)
	require.Error(t, err)
}

func TestConcurrentRequests(t *testing.T) {
	h := newHarness(t)
	srv := httptest.NewServer(h.e)
	defer srv.Close()
	client := srv.Client()
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	call := func(method, path string, body any) (int, error) {
		req, _ := http.NewRequest(method, srv.URL+"/v2/"+pid+path, bytes.NewReader(encodeBody(body)))
		req.Header.Set("X-Auth-Token", h.token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("c%d", i)
			if code, err := call("POST", "/fgs/functions", fnBody(name)); err != nil || code != 200 {
				errs <- fmt.Errorf("create %s: %d %v", name, code, err)
				return
			}
			for _, step := range []struct {
				m, p string
				b    any
				want int
			}{
				{"GET", "/fgs/functions/" + name + "/config", nil, 200},
				{"PUT", "/fgs/functions/" + name + "/config", cfgBody(name, "timeout", 9), 200},
				{"POST", "/fgs/functions/" + name + "/versions", nil, 200},
				{"GET", "/fgs/functions?maxitems=5", nil, 200},
				{"GET", "/fgs/quotas", nil, 200},
			} {
				if code, err := call(step.m, step.p, step.b); err != nil || code != step.want {
					errs <- fmt.Errorf("%s %s: %d %v", step.m, step.p, code, err)
				}
			}
		}(i)
	}
	// a second writer that tries to create the same names: exactly one create per name wins
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			code, err := call("POST", "/fgs/functions", fnBody(fmt.Sprintf("c%d", i)))
			if err != nil || (code != 200 && code != 409) {
				errs <- fmt.Errorf("dup create: %d %v", code, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	var msgs []string
	for err := range errs {
		msgs = append(msgs, err.Error())
	}
	// The racing duplicate may win the create; the first goroutine then gets 409: tolerate only that.
	for _, m := range msgs {
		require.True(t, strings.HasPrefix(m, "create c") && strings.Contains(m, ": 409"), m)
	}
	m := h.obj("GET", "/fgs/functions?maxitems=400", nil, 200)
	require.EqualValues(t, 100, m["count"])
	require.Equal(t, 200, h.e.Counts()["POST /v2/{project_id}/fgs/functions"], "every create attempt is counted")
}

// Operator patterns take one path segment for their {param}: nothing more, nothing less.
func TestOperatorPathParam(t *testing.T) {
	const fire = "/_emulator/triggers/{trigger_id}/fire"
	for path, want := range map[string]string{
		"/_emulator/triggers/t-1/fire":   "t-1",
		"/_emulator/triggers//fire":      "",
		"/_emulator/triggers/a/b/fire":   "",
		"/_emulator/triggers/t-1/firex":  "",
		"/_emulator/deliveries":          "",
		"/_emulator/triggers/t-1/fire/x": "",
	} {
		require.Equal(t, want, pathParam(path, fire), path)
	}
	h := newHarness(t)
	require.Equal(t, 404, h.raw("POST", "/_emulator/triggers/a/b/fire", nil, nil).Code)
	require.Equal(t, 404, h.raw("GET", "/_emulator/triggers/t-1/fire", nil, nil).Code, "the method matters")
}
