package emulator

import (
	"bytes"
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

const fnsRoute = "/v2/{project_id}/fgs/functions"

func afterRule(method, route string, kinds ...string) FaultRule {
	return FaultRule{Phase: PhaseAfter, Method: method, Route: route, Rate: 1, Kinds: kinds}
}

// serverCall sends an authenticated /v2 request through a real HTTP server (drops need a connection).
func serverCall(t *testing.T, srv *httptest.Server, token, method, path string, body any) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+"/v2/"+pid+path, bytes.NewReader(encodeBody(body)))
	require.NoError(t, err)
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func TestAfterCommitFaultAnswersAnErrorButTheWriteHappened(t *testing.T) {
	for _, k := range []struct {
		kind   string
		status int
		code   string
	}{{"500", 500, "FSS.0500"}, {"502", 502, "APIG.0202"}, {"503", 503, "FSS.0503"}, {"504", 504, "APIG.0203"}} {
		t.Run(k.kind, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "state.json")
			h := newHarness(t, func(c *Config) {
				c.StateFile = file
				c.FaultRules = []FaultRule{afterRule("POST", fnsRoute, k.kind)}
			})
			c, b := h.do("POST", "/fgs/functions", fnBody("committed"))
			requireErr(t, c, b, k.status, k.code)
			// The rule names POST only: the GET answers, and finds the function.
			g := h.obj("GET", "/fgs/functions/committed/config", nil, 200)
			require.Equal(t, "committed", g["func_name"])
			// The handler ran once: a second create of the name is refused by the handler (409),
			// and that answer is lost too.
			c, b = h.do("POST", "/fgs/functions", fnBody("committed"))
			requireErr(t, c, b, k.status, k.code)
			require.Equal(t, map[string]int{"after " + k.kind + " POST " + fnsRoute: 2}, h.e.InjectedFaults())
			h.e.ClearFaults()
			h.fail("POST", "/fgs/functions", fnBody("committed"), 409, "FSS.1061")

			// Committed means persisted: a restart from the state file has it.
			cfg := DefaultConfig()
			cfg.StateFile, cfg.Now = file, h.clk.Now
			e2, err := New(cfg)
			require.NoError(t, err)
			h2 := &harness{t: t, e: e2, clk: h.clk, token: h.token}
			h2.obj("GET", "/fgs/functions/committed/config", nil, 200)
		})
	}
}

func TestAfterCommitDropClosesTheConnectionAfterTheWrite(t *testing.T) {
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	h := newHarness(t, func(c *Config) {
		c.Logger = log.New(lockedWriter{&logBuf, &logMu}, "", 0)
		c.FaultRules = []FaultRule{afterRule("POST", fnsRoute, "drop")}
	})
	srv := httptest.NewServer(h.e)
	defer srv.Close()
	_, err := serverCall(t, srv, h.token, "POST", "/fgs/functions", fnBody("lost-answer"))
	require.Error(t, err, "no answer at all")
	h.obj("GET", "/fgs/functions/lost-answer/config", nil, 200)
	resp, err := serverCall(t, srv, h.token, "GET", "/fgs/functions/lost-answer/config", nil)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)

	// The client sees the close before the server writes its log line.
	require.Eventually(t, func() bool {
		logMu.Lock()
		defer logMu.Unlock()
		return strings.Contains(logBuf.String(), "POST /v2/"+pid+"/fgs/functions dropped (fault after handler (200): drop)")
	}, 5*time.Second, 5*time.Millisecond, "log line of the dropped POST")
}

// Faults before the handler never commit anything, whatever their kind and however configured.
func TestBeforeFaultsNeverCommit(t *testing.T) {
	for _, kind := range []string{"429", "500", "502", "503", "504", "drop"} {
		for _, how := range []string{"global", "rule"} {
			t.Run(kind+"/"+how, func(t *testing.T) {
				h := newHarness(t, func(c *Config) {
					if how == "global" {
						c.FaultRate, c.FaultKinds = 1, []string{kind}
					} else {
						c.FaultRules = []FaultRule{{Phase: PhaseBefore, Method: "POST", Route: fnsRoute, Rate: 1, Kinds: []string{kind}}}
					}
				})
				srv := httptest.NewServer(h.e)
				defer srv.Close()
				for i := 0; i < 3; i++ {
					resp, err := serverCall(t, srv, h.token, "POST", "/fgs/functions", fnBody("never"))
					if kind == "drop" {
						require.Error(t, err)
						continue
					}
					require.NoError(t, err)
					require.NotEqual(t, 200, resp.StatusCode)
				}
				h.e.ClearFaults()
				m := h.obj("GET", "/fgs/functions", nil, 200)
				require.EqualValues(t, 0, m["count"], "nothing was created")
				require.Equal(t, 3, h.e.Counts()["POST "+fnsRoute], "struck requests are counted")
				require.Equal(t, map[string]int{"before " + kind + " POST " + fnsRoute: 3}, h.e.InjectedFaults())
			})
		}
	}
}

func TestFaultRulesMatchMethodAndRoute(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FaultSeed = 1 })
	h.create("fn")
	// a trailing * matches a prefix of the pattern: everything under one function, not the list
	require.NoError(t, h.e.SetFaultRules([]FaultRule{{Method: "GET", Route: fnsRoute + "/*", Rate: 1, Kinds: []string{"503"}}}))
	require.Equal(t, PhaseBefore, h.e.FaultRules()[0].Phase, "the phase defaults to before")
	h.fail("GET", "/fgs/functions/fn/config", nil, 503, "FSS.0503")
	h.fail("GET", "/fgs/functions/fn/versions", nil, 503, "FSS.0503")
	h.obj("GET", "/fgs/functions", nil, 200)
	h.obj("PUT", "/fgs/functions/fn/config", cfgBody("fn"), 200)

	// every route of every method under /v2, but IAM only when named
	require.NoError(t, h.e.SetFaultRules([]FaultRule{{Method: "*", Route: "*", Rate: 1, Kinds: []string{"500"}}}))
	h.fail("GET", "/fgs/functions", nil, 500, "FSS.0500")
	h.fail("DELETE", "/fgs/functions/fn", nil, 500, "FSS.0500")
	require.Equal(t, 201, h.raw("POST", "/v3/auth/tokens", passwordAuth(nil), nil).Code)
	require.NoError(t, h.e.SetFaultRules([]FaultRule{{Method: "POST", Route: "/v3/auth/tokens", Rate: 1, Kinds: []string{"503"}}}))
	rec := h.raw("POST", "/v3/auth/tokens", passwordAuth(nil), nil)
	requireErr(t, rec.Code, rec.Body.Bytes(), 503, "FSS.0503")
	h.obj("GET", "/fgs/functions", nil, 200)

	// rules are tried in order; the first that strikes answers
	require.NoError(t, h.e.SetFaultRules([]FaultRule{
		{Method: "GET", Route: fnsRoute, Rate: 0, Kinds: []string{"429"}},
		{Method: "GET", Route: fnsRoute, Rate: 1, Kinds: []string{"502"}},
		{Method: "GET", Route: fnsRoute, Rate: 1, Kinds: []string{"504"}},
	}))
	h.fail("GET", "/fgs/functions", nil, 502, "APIG.0202")
	// a global rate and rules together: the global rate is drawn first
	h.e.SetFaults(1, []string{"429"})
	c, b := h.do("GET", "/fgs/functions", nil)
	requireErr(t, c, b, 429, "FSS.0429")
	h.e.SetFaults(0, nil)
	require.Len(t, h.e.FaultRules(), 3, "SetFaults leaves the rules alone")
	h.e.ClearFaults()
	require.Empty(t, h.e.FaultRules())
	h.obj("GET", "/fgs/functions", nil, 200)
}

func TestFaultRuleValidation(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		rule FaultRule
		want string
	}{
		{FaultRule{Phase: "during", Rate: 1, Kinds: []string{"500"}}, `fault phase "during"`},
		{FaultRule{Method: "FETCH", Rate: 1, Kinds: []string{"500"}}, `fault method "FETCH"`},
		{FaultRule{Route: "/v2/{project_id}/fgs/nope", Rate: 1, Kinds: []string{"500"}}, "matches no route"},
		{FaultRule{Route: "/v2/x*", Rate: 1, Kinds: []string{"500"}}, "matches no route"},
		{FaultRule{Rate: 1.5, Kinds: []string{"500"}}, "outside 0..1"},
		{FaultRule{Rate: -0.1, Kinds: []string{"500"}}, "outside 0..1"},
		{FaultRule{Rate: 1}, "no kinds"},
		{FaultRule{Rate: 1, Kinds: []string{"418"}}, `fault kind "418"`},
		{FaultRule{Phase: PhaseAfter, Rate: 1, Kinds: []string{"429"}}, `fault kind "429" is not possible after the handler`},
	} {
		err := h.e.SetFaultRules([]FaultRule{c.rule})
		require.ErrorContains(t, err, c.want, "%+v", c.rule)
		_, err = New(Config{FaultRules: []FaultRule{c.rule}})
		require.ErrorContains(t, err, c.want)
		rec := h.raw("POST", "/_emulator/faults/rules", c.rule, nil)
		require.Equal(t, 400, rec.Code, "%+v: %s", c.rule, rec.Body.String())
		require.Contains(t, rec.Body.String(), "fault")
	}
	require.Empty(t, h.e.FaultRules(), "a rejected rule changes nothing")

	r, err := ParseFaultRule("after POST /v2/{project_id}/fgs/functions 0.3 503,drop")
	require.NoError(t, err)
	require.Equal(t, FaultRule{Phase: "after", Method: "POST", Route: fnsRoute, Rate: 0.3, Kinds: []string{"503", "drop"}}, r)
	require.Equal(t, "after POST /v2/{project_id}/fgs/functions 0.3 503,drop", r.String())
	r, err = ParseFaultRule("  before * *   1 hang ")
	require.NoError(t, err)
	require.NoError(t, h.e.SetFaultRules([]FaultRule{r}))
	require.Equal(t, FaultRule{Phase: "before", Rate: 1, Kinds: []string{"hang"}}, h.e.FaultRules()[0], "* is stored as empty")
	require.Equal(t, "before * * 1 hang", h.e.FaultRules()[0].String())
	for _, bad := range []string{"", "after POST /v2/{project_id}/fgs/functions 0.3", "after POST /x lots 503", "a b c d e f"} {
		_, err := ParseFaultRule(bad)
		require.Error(t, err, bad)
	}
}

func TestOperatorFaultEndpoints(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FaultSeed = 3 })
	rec := h.raw("PUT", "/_emulator/faults", map[string]any{
		"rate": 0.1, "kinds": []string{"429"},
		"rules": []any{map[string]any{"phase": "after", "method": "post", "route": fnsRoute, "rate": 1, "kinds": []string{"503"}}},
	}, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.JSONEq(t, `{"rate":0.1,"kinds":["429"],"rules":[{"phase":"after","method":"POST","route":"/v2/{project_id}/fgs/functions","rate":1,"kinds":["503"]}],
		"seed":3,"hang_max":"5m0s","hanging":0,"injected":{}}`, rec.Body.String())
	rec = h.raw("POST", "/_emulator/faults/rules", map[string]any{"method": "GET", "route": fnsRoute + "/*", "rate": 1, "kinds": []string{"504"}}, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Len(t, h.e.FaultRules(), 2)
	h.e.SetFaults(0, nil)
	h.fail("POST", "/fgs/functions", fnBody("via-api"), 503, "FSS.0503")
	h.fail("GET", "/fgs/functions/via-api/config", nil, 504, "APIG.0203")
	rec = h.raw("GET", "/_emulator/faults", nil, nil)
	require.Contains(t, rec.Body.String(), `"injected":{"after 503 POST /v2/{project_id}/fgs/functions":1,"before 504 GET /v2/{project_id}/fgs/functions/{function_urn}/config":1}`)
	require.Equal(t, 204, h.raw("DELETE", "/_emulator/requests", nil, nil).Code)
	require.Empty(t, h.e.InjectedFaults(), "DELETE /_emulator/requests zeroes the fault counts too")

	require.Equal(t, 204, h.raw("DELETE", "/_emulator/faults", nil, nil).Code)
	require.Empty(t, h.e.FaultRules())
	h.obj("GET", "/fgs/functions/via-api/config", nil, 200)

	for _, bad := range []any{
		map[string]any{"rate": 2},
		map[string]any{"kinds": []string{"429"}},
		map[string]any{"rate": 0.1, "kinds": []string{"418"}},
		map[string]any{"rules": []any{map[string]any{"route": "/v2/nope", "rate": 1, "kinds": []string{"500"}}}},
		map[string]any{"rate": 0.1, "colour": "red"},
		"{not json",
	} {
		rec := h.raw("PUT", "/_emulator/faults", bad, nil)
		requireErr(t, rec.Code, rec.Body.Bytes(), 400, "FSS.0400")
	}
	require.Equal(t, 404, h.raw("PATCH", "/_emulator/faults", nil, nil).Code)
	require.Equal(t, 404, h.raw("GET", "/_emulator/nope", nil, nil).Code)
}

// Every documented operator endpoint is served, and every served one is documented.
func TestOperatorEndpointsAreDocumented(t *testing.T) {
	h := newHarness(t)
	served := h.e.operatorHandlers()
	documented := map[string]bool{}
	for _, ep := range OperatorEndpoints() {
		key := ep.Method + " " + ep.Path
		documented[key] = true
		require.Contains(t, served, key)
		require.NotEmpty(t, ep.Doc, key)
	}
	for key := range served {
		require.True(t, documented[key], "%s is served but not in OperatorEndpoints", key)
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for key := range documented {
		require.Contains(t, string(readme), "`"+key+"`", "README.md documents %s", key)
	}
}
