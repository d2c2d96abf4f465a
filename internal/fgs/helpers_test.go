package fgs

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	testProjectID = "0c4a9a1e2b3f4d5e6f708192a3b4c5d6"
	testPassword  = "s3cr3t-Passw0rd!"
	testSK        = "fgsTestSecretKey0123456789abcdefGHIJKL"
	testAK        = "FGSTESTACCESSKEY0001"
)

// fakeCloud is an httptest server with a tiny IAM (/v3/auth/tokens, /v3/projects)
// and a pluggable FunctionGraph handler under /v2/.
type fakeCloud struct {
	t         *testing.T
	srv       *httptest.Server
	iamCalls  atomic.Int32
	tokenSeq  atomic.Int32
	iamDelay  time.Duration
	expiresIn time.Duration
	now       func() time.Time
	catalog   func(base string) []CatalogEntry

	mu      sync.Mutex
	valid   map[string]bool
	fgs     http.HandlerFunc
	reqs    []string // "METHOD RequestURI"
	bodies  []string
	headers []http.Header
}

func newFakeCloud(t *testing.T, fgs http.HandlerFunc) *fakeCloud {
	f := &fakeCloud{t: t, fgs: fgs, valid: map[string]bool{}, expiresIn: 24 * time.Hour, now: time.Now}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, r.Method+" "+r.RequestURI)
	f.bodies = append(f.bodies, string(body))
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v3/auth/tokens":
		f.iamCalls.Add(1)
		if f.iamDelay > 0 {
			time.Sleep(f.iamDelay)
		}
		var req iamAuthRequest
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, `{"error":{"code":400,"message":"bad json","title":"Bad Request"}}`, 400)
			return
		}
		if pw := req.Auth.Identity.Password; pw != nil && pw.User.Password != testPassword {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`)
			return
		}
		tok := fmt.Sprintf("MIItoken-%d-%s", f.tokenSeq.Add(1), strings.Repeat("x", 40))
		f.mu.Lock()
		f.valid[tok] = true
		f.mu.Unlock()
		w.Header().Set("X-Subject-Token", tok)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		cat := []CatalogEntry{{Type: "functiongraph", Name: "functiongraph", Endpoints: []CatalogEndpoint{
			{Region: "eu-de", RegionID: "eu-de", Interface: "public", URL: f.srv.URL + "/v2/" + testProjectID},
		}}}
		if f.catalog != nil {
			cat = f.catalog(f.srv.URL)
		}
		var resp iamTokenResponse
		resp.Token.ExpiresAt = f.now().Add(f.expiresIn).UTC().Format("2006-01-02T15:04:05.000000Z")
		resp.Token.Methods = req.Auth.Identity.Methods
		resp.Token.Project = &struct {
			ID     string     `json:"id"`
			Name   string     `json:"name"`
			Domain *iamDomain `json:"domain"`
		}{ID: testProjectID, Name: "eu-de"}
		resp.Token.Catalog = cat
		_ = json.NewEncoder(w).Encode(resp)
	case r.Method == http.MethodGet && r.URL.Path == "/v3/auth/catalog" && f.catalog != nil:
		f.iamCalls.Add(1)
		writeJSON(w, 200, map[string]any{"catalog": f.catalog(f.srv.URL)})
	case r.Method == http.MethodGet && r.URL.Path == "/v3/projects":
		f.iamCalls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"projects":[{"id":"other","name":"eu-nl"},{"id":%q,"name":%q,"domain_id":"d"}],"links":{}}`, testProjectID, r.URL.Query().Get("name"))
	default:
		f.fgs(w, r)
	}
}

func (f *fakeCloud) tokenValid(tok string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.valid[tok]
}

func (f *fakeCloud) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.valid = map[string]bool{}
}

func (f *fakeCloud) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reqs...)
}

func (f *fakeCloud) countPrefix(p string) int {
	n := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, p) {
			n++
		}
	}
	return n
}

// passwordOptions returns options for password auth against the fake IAM.
func (f *fakeCloud) passwordOptions() Options {
	return Options{
		Region: "eu-de", AuthURL: f.srv.URL + "/v3", DomainName: "fgs-demo", UserName: "fgs-user",
		Password: testPassword, ProjectName: "eu-de", RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fgsError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error_code": code, "error_msg": msg})
}

// hijackClose drops the connection without an answer (connection reset / EOF).
func hijackClose(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	require.True(t, ok)
	conn, _, err := hj.Hijack()
	require.NoError(t, err)
	_ = conn.Close()
}

type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Debugf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *captureLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// recordSleeps replaces the client's sleep with a recorder that does not wait.
func recordSleeps(c *Client) *[]time.Duration {
	var mu sync.Mutex
	var got []time.Duration
	c.sleep = func(done <-chan struct{}, d time.Duration) bool {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
		select {
		case <-done:
			return false
		default:
			return true
		}
	}
	return &got
}
