package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const pid = DefaultProjectID

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t     *testing.T
	e     *Emulator
	clk   *clock
	token string
}

func newHarness(t *testing.T, mut ...func(*Config)) *harness {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)}
	cfg := DefaultConfig()
	cfg.Now = clk.Now
	for _, m := range mut {
		m(&cfg)
	}
	e, err := New(cfg)
	require.NoError(t, err)
	h := &harness{t: t, e: e, clk: clk}
	t.Cleanup(func() { recordCoverage(e) })
	h.token = h.issueToken(map[string]any{"project": map[string]any{"name": DefaultProjectName}})
	return h
}

func passwordAuth(scope map[string]any) map[string]any {
	a := map[string]any{
		"identity": map[string]any{
			"methods": []string{"password"},
			"password": map[string]any{"user": map[string]any{
				"name": DefaultUserName, "password": DefaultPassword, "domain": map[string]any{"name": DefaultDomainName},
			}},
		},
	}
	if scope != nil {
		a["scope"] = scope
	}
	return map[string]any{"auth": a}
}

func (h *harness) issueToken(scope map[string]any) string {
	h.t.Helper()
	rec := h.raw("POST", "/v3/auth/tokens", passwordAuth(scope), nil)
	require.Equal(h.t, 201, rec.Code, rec.Body.String())
	tok := rec.Header().Get("X-Subject-Token")
	require.NotEmpty(h.t, tok)
	return tok
}

func encodeBody(body any) []byte {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	default:
		out, _ := json.Marshal(b)
		return out
	}
}

// raw sends a request straight to ServeHTTP.
func (h *harness) raw(method, path string, body any, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://fgs.local"+path, bytes.NewReader(encodeBody(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	return rec
}

// do sends an authenticated /v2 request (path relative to /v2/{project_id}).
func (h *harness) do(method, path string, body any) (int, []byte) {
	rec := h.raw(method, "/v2/"+pid+path, body, map[string]string{"X-Auth-Token": h.token})
	return rec.Code, rec.Body.Bytes()
}

func (h *harness) obj(method, path string, body any, want int) map[string]any {
	h.t.Helper()
	code, b := h.do(method, path, body)
	require.Equal(h.t, want, code, "%s %s: %s", method, path, b)
	var m map[string]any
	require.NoError(h.t, json.Unmarshal(b, &m), string(b))
	return m
}

func (h *harness) arr(method, path string, want int) []any {
	h.t.Helper()
	code, b := h.do(method, path, nil)
	require.Equal(h.t, want, code, "%s %s: %s", method, path, b)
	var a []any
	require.NoError(h.t, json.Unmarshal(b, &a), string(b))
	return a
}

// fail asserts an FSS error answer.
func (h *harness) fail(method, path string, body any, status int, code string) {
	h.t.Helper()
	c, b := h.do(method, path, body)
	requireErr(h.t, c, b, status, code)
}

func requireErr(t *testing.T, c int, b []byte, status int, code string) {
	t.Helper()
	require.Equal(t, status, c, string(b))
	var e map[string]any
	require.NoError(t, json.Unmarshal(b, &e), string(b))
	require.Equal(t, code, e["error_code"], string(b))
	require.NotEmpty(t, e["error_msg"])
	require.Len(t, e, 2, "error body has exactly error_code and error_msg")
}

func noContent(t *testing.T, c int, b []byte) {
	t.Helper()
	require.Equal(t, 204, c, string(b))
	require.Empty(t, b)
}

func fnBody(name string, kv ...any) map[string]any {
	m := map[string]any{
		"func_name": name, "package": "default", "runtime": "Python3.9", "handler": "index.handler",
		"memory_size": 128, "timeout": 30, "code_type": "inline",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(m, kv[i].(string))
		} else {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

func (h *harness) create(name string, kv ...any) map[string]any {
	h.t.Helper()
	return h.obj("POST", "/fgs/functions", fnBody(name, kv...), 200)
}

func urn7(name string) string {
	return "urn:fss:eu-de:" + pid + ":function:default:" + name
}

func cfgBody(name string, kv ...any) map[string]any {
	m := fnBody(name, kv...)
	for _, k := range []string{"package", "code_type"} {
		delete(m, k)
	}
	return m
}

func jsonNum(v any) int { return int(v.(float64)) }

func hasPrefix(s any, p string) bool { str, _ := s.(string); return strings.HasPrefix(str, p) }

var _ = http.MethodGet

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func hexHMAC(key []byte, s string) string { return hex.EncodeToString(hmacSHA256(key, s)) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// nc asserts a 204 with an empty body.
func (h *harness) nc(method, path string, body any) {
	h.t.Helper()
	c, b := h.do(method, path, body)
	noContent(h.t, c, b)
}
