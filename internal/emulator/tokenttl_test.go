package emulator

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func tokenTimes(t *testing.T, body []byte) (issued, expires time.Time) {
	t.Helper()
	var m struct {
		Token struct {
			IssuedAt  string `json:"issued_at"`
			ExpiresAt string `json:"expires_at"`
		} `json:"token"`
	}
	require.NoError(t, json.Unmarshal(body, &m))
	issued, err := time.Parse(iamTime, m.Token.IssuedAt)
	require.NoError(t, err)
	expires, err = time.Parse(iamTime, m.Token.ExpiresAt)
	require.NoError(t, err)
	return issued, expires
}

// With a short TokenTTL a token is rejected with the documented answer once its lifetime is over
// (401 FSS.0401, table 6-2; 403 FSS.0403 "invalid token" as in the examples with AuthErrorsAs403),
// and a client that asks for a new token carries on.
func TestTokenExpiresAfterItsTTL(t *testing.T) {
	for _, as403 := range []bool{false, true} {
		h := newHarness(t, func(c *Config) { c.TokenTTL, c.AuthErrorsAs403 = 2*time.Second, as403 })
		rec := h.raw("POST", "/v3/auth/tokens", passwordAuth(map[string]any{"project": map[string]any{"name": DefaultProjectName}}), nil)
		require.Equal(t, 201, rec.Code)
		issued, expires := tokenTimes(t, rec.Body.Bytes())
		require.Equal(t, 2*time.Second, expires.Sub(issued), "expires_at tells the client the lifetime")
		tok := rec.Header().Get("X-Subject-Token")
		v2 := func() (int, []byte) {
			r := h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": tok})
			return r.Code, r.Body.Bytes()
		}

		h.clk.Advance(1999 * time.Millisecond)
		c, b := v2()
		require.Equal(t, 200, c, string(b))
		h.clk.Advance(time.Millisecond)
		c, b = v2()
		if as403 {
			requireErr(t, c, b, 403, "FSS.0403")
			require.Contains(t, string(b), "invalid token")
		} else {
			requireErr(t, c, b, 401, "FSS.0401")
			require.Contains(t, string(b), "expired")
		}
		rec = h.raw("GET", "/v3/auth/catalog", nil, map[string]string{"X-Auth-Token": tok})
		require.Equal(t, 401, rec.Code, "IAM answers in Keystone's shape")
		require.Contains(t, rec.Body.String(), `"title":"Unauthorized"`)
		// a token derived from an expired token is refused too
		tokAuth := map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": tok}}}}
		require.Equal(t, 401, h.raw("POST", "/v3/auth/tokens", tokAuth, nil).Code)
		// refresh: a new token works for another TokenTTL
		h.token = h.issueToken(map[string]any{"project": map[string]any{"name": DefaultProjectName}})
		h.obj("GET", "/fgs/functions", nil, 200)
	}
}

func TestOperatorTokenLifetime(t *testing.T) {
	h := newHarness(t)
	rec := h.raw("GET", "/_emulator/auth", nil, nil)
	require.JSONEq(t, `{"token_ttl":"24h0m0s","tokens":1}`, rec.Body.String())
	rec = h.raw("PUT", "/_emulator/auth", map[string]any{"token_ttl": "3s"}, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.JSONEq(t, `{"token_ttl":"3s","tokens":1}`, rec.Body.String())
	rec = h.raw("POST", "/v3/auth/tokens", passwordAuth(map[string]any{"project": map[string]any{"name": DefaultProjectName}}), nil)
	issued, expires := tokenTimes(t, rec.Body.Bytes())
	require.Equal(t, 3*time.Second, expires.Sub(issued), "tokens issued after the change live 3s")
	short := rec.Header().Get("X-Subject-Token")
	h.clk.Advance(3 * time.Second)
	code := h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": short}).Code
	require.Equal(t, 401, code)
	h.obj("GET", "/fgs/functions", nil, 200) // the token issued before the change keeps its 24h

	// expire every token now: the next request needs a new one
	require.Equal(t, 204, h.raw("POST", "/_emulator/tokens/expire", nil, nil).Code)
	h.fail("GET", "/fgs/functions", nil, 401, "FSS.0401")
	require.JSONEq(t, `{"token_ttl":"3s","tokens":0}`, h.raw("GET", "/_emulator/auth", nil, nil).Body.String())
	h.token = h.issueToken(map[string]any{"project": map[string]any{"name": DefaultProjectName}})
	h.obj("GET", "/fgs/functions", nil, 200)

	for _, bad := range []any{map[string]any{"token_ttl": "soon"}, map[string]any{"token_ttl": "-1s"}, map[string]any{"token_ttl": "0s"},
		map[string]any{}, map[string]any{"ttl": "1s"}, "{"} {
		rec := h.raw("PUT", "/_emulator/auth", bad, nil)
		requireErr(t, rec.Code, rec.Body.Bytes(), 400, "FSS.0400")
	}
	require.JSONEq(t, `{"token_ttl":"3s","tokens":1}`, h.raw("GET", "/_emulator/auth", nil, nil).Body.String())
}
