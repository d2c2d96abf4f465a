package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Three signing vectors (method, path, query, headers and body in, signature out; see docs/signing.md), verified at the fixed clock 20261122T083000Z.
func TestSigningVectorsVerify(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)}
	cfg := DefaultConfig()
	cfg.AccessKey, cfg.SecretKey, cfg.Now = "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", clk.Now
	e, err := New(cfg)
	require.NoError(t, err)
	host := "https://functiongraph.eu-de.otc.t-systems.com"
	vectors := []struct {
		method, url, body, sig string
		want                   int
	}{
		{"GET", host + "/v2/" + pid + "/fgs/functions?maxitems=400&marker=0", "",
			"1cd6808cc58608584985d8ce3d14cd79f1414960fa44e4d7a783a75db451a984", 200},
		{"POST", host + "/v2/" + pid + "/fgs/functions",
			`{"func_name":"hello","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":30,"code_type":"inline"}`,
			"ccbd6280c68811b5b8bffd3d58678433a34239c96893d6ad9203aee7d71615c9", 200},
		{"PUT", host + "/v2/" + pid + "/fgs/functions/urn:fss:eu-de:" + pid + ":function:default:hello:latest/config-max-instance",
			`{"max_instance_num":10}`,
			"7e5e2037bef8be6f4f94a3538e8d07db8f0a41494a738c1867edd63c6c16a646", 200},
	}
	send := func(method, url, body, auth string, mutate func(*http.Request)) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, url, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Sdk-Date", "20261122T083000Z")
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Project-Id", pid)
		if mutate != nil {
			mutate(req)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	authOf := func(sig string) string {
		return "SDK-HMAC-SHA256 Credential=QTWAOYTTINDUT2QVKYUC/20261122///sdk_request, SignedHeaders=accept;content-type;host;x-sdk-date, Signature=" + sig
	}
	for i, v := range vectors {
		rec := send(v.method, v.url, v.body, authOf(v.sig), nil)
		require.Equal(t, v.want, rec.Code, "vector %d: %s", i+1, rec.Body.String())
	}
	var cfgOut map[string]any
	rec := send("GET", host+"/v2/"+pid+"/fgs/functions?maxitems=400&marker=0", "", authOf(vectors[0].sig), nil)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &cfgOut))
	require.EqualValues(t, 1, cfgOut["count"])
	require.EqualValues(t, 10, cfgOut["functions"].([]any)[0].(map[string]any)["strategy_config"].(map[string]any)["concurrency"])

	// The same URN path percent-encoded on the wire verifies too (canonical URI from the escaped path).
	rec = send("PUT", host+"/v2/"+pid+"/fgs/functions/urn%3Afss%3Aeu-de%3A"+pid+"%3Afunction%3Adefault%3Ahello%3Alatest/config-max-instance",
		`{"max_instance_num":10}`, authOf(vectors[2].sig), nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())

	failures := []struct {
		name   string
		auth   string
		mutate func(*http.Request)
		status int
		code   string
	}{
		{"bad signature", authOf("00" + vectors[0].sig[2:]), nil, 401, "FSS.0401"},
		{"wrong access key", "SDK-HMAC-SHA256 Credential=AAAAOYTTINDUT2QVKYUC/20261122///sdk_request, SignedHeaders=accept;content-type;host;x-sdk-date, Signature=" + vectors[0].sig, nil, 401, "FSS.0401"},
		{"tampered query", authOf(vectors[0].sig), func(r *http.Request) { r.URL.RawQuery = "maxitems=1&marker=0" }, 401, "FSS.0401"},
		{"tampered signed header", authOf(vectors[0].sig), func(r *http.Request) { r.Header.Set("Accept", "text/plain") }, 401, "FSS.0401"},
		{"malformed header", "Bearer abc", nil, 401, "FSS.0401"},
		{"no project header", authOf(vectors[0].sig), func(r *http.Request) { r.Header.Del("X-Project-Id") }, 401, "FSS.0401"},
		{"other project header", authOf(vectors[0].sig), func(r *http.Request) { r.Header.Set("X-Project-Id", "ffffffffffffffffffffffffffffffff") }, 403, "FSS.0403"},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			rec := send("GET", vectors[0].url, "", f.auth, f.mutate)
			requireErr(t, rec.Code, rec.Body.Bytes(), f.status, f.code)
		})
	}
	// A skewed clock: the same signed request 16 minutes later is rejected, 14 minutes later accepted.
	clk.Advance(14 * time.Minute)
	require.Equal(t, 200, send("GET", vectors[0].url, "", authOf(vectors[0].sig), nil).Code)
	clk.Advance(2 * time.Minute)
	rec = send("GET", vectors[0].url, "", authOf(vectors[0].sig), nil)
	requireErr(t, rec.Code, rec.Body.Bytes(), 401, "FSS.0401")
}

func TestSignedBodyLimit(t *testing.T) {
	h := newHarness(t)
	body := bytes.Repeat([]byte("a"), 12<<20+1)
	req := httptest.NewRequest("POST", "http://fgs.local/v2/"+pid+"/fgs/functions", bytes.NewReader(body))
	req.Header.Set("X-Sdk-Date", "20261122T083000Z")
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+DefaultAccessKey+", SignedHeaders=host;x-sdk-date, Signature=00")
	req.Header.Set("X-Project-Id", pid)
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	requireErr(t, rec.Code, rec.Body.Bytes(), 413, "FSS.0413")
}

// The older "Access=AK" form: string to sign without scope, key = SK.
func TestSigningAccessForm(t *testing.T) {
	h := newHarness(t)
	req := httptest.NewRequest("GET", "http://127.0.0.1:8990/v2/"+pid+"/fgs/functions?-=&marker=0", nil)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Sdk-Date", "20261122T083000Z")
	signed := []string{"content-type", "host", "x-sdk-date"}
	canon := canonicalRequest(req, nil, signed)
	sts := "SDK-HMAC-SHA256\n20261122T083000Z\n" + hexSHA256(canon)
	sig := hexHMAC([]byte(DefaultSecretKey), sts)
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+DefaultAccessKey+", SignedHeaders=content-type;host;x-sdk-date, Signature="+sig)
	req.Header.Set("X-Project-Id", pid)
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code, rec.Body.String())
}

func TestIAMTokens(t *testing.T) {
	h := newHarness(t)
	type tc struct {
		name   string
		body   any
		status int
	}
	user := func(u map[string]any) map[string]any {
		return map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"password"},
			"password": map[string]any{"user": u}}, "scope": map[string]any{"project": map[string]any{"id": pid}}}}
	}
	cases := []tc{
		{"name+domain name, project name", passwordAuth(map[string]any{"project": map[string]any{"name": "eu-de"}}), 201},
		{"project id", passwordAuth(map[string]any{"project": map[string]any{"id": pid}}), 201},
		{"domain scope", passwordAuth(map[string]any{"domain": map[string]any{"name": DefaultDomainName}}), 201},
		{"unscoped", passwordAuth(nil), 201},
		{"user id", user(map[string]any{"id": DefaultUserID, "password": DefaultPassword}), 201},
		{"domain id", user(map[string]any{"name": DefaultUserName, "password": DefaultPassword, "domain": map[string]any{"id": DefaultDomainID}}), 201},
		{"wrong password", user(map[string]any{"name": DefaultUserName, "password": "nope", "domain": map[string]any{"name": DefaultDomainName}}), 401},
		{"wrong user", user(map[string]any{"name": "mallory", "password": DefaultPassword, "domain": map[string]any{"name": DefaultDomainName}}), 401},
		{"wrong domain", user(map[string]any{"name": DefaultUserName, "password": DefaultPassword, "domain": map[string]any{"name": "other"}}), 401},
		{"unknown project", passwordAuth(map[string]any{"project": map[string]any{"name": "eu-nl"}}), 401},
		{"bad json", "{", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := h.raw("POST", "/v3/auth/tokens", c.body, nil)
			require.Equal(t, c.status, rec.Code, rec.Body.String())
			var m map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m))
			if c.status == 201 {
				require.NotEmpty(t, rec.Header().Get("X-Subject-Token"))
				tok := m["token"].(map[string]any)
				require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, tok["expires_at"])
				require.Equal(t, "2026-11-23T08:30:00.000000Z", tok["expires_at"])
				require.Equal(t, []any{"password"}, tok["methods"])
				require.Equal(t, DefaultUserName, tok["user"].(map[string]any)["name"])
				require.NotEmpty(t, tok["catalog"])
			} else if c.status == 401 {
				e := m["error"].(map[string]any)
				require.EqualValues(t, 401, e["code"])
				require.Equal(t, "Unauthorized", e["title"])
				require.NotEmpty(t, e["message"])
			}
		})
	}
	// project-scoped body
	rec := h.raw("POST", "/v3/auth/tokens", passwordAuth(map[string]any{"project": map[string]any{"name": "eu-de"}}), nil)
	var m map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m))
	proj := m["token"].(map[string]any)["project"].(map[string]any)
	require.Equal(t, pid, proj["id"])
	require.Equal(t, "eu-de", proj["name"])
	require.Equal(t, DefaultDomainID, proj["domain"].(map[string]any)["id"])

	// catalog: functiongraph and volumev2 with the request's host
	cat := m["token"].(map[string]any)["catalog"].([]any)
	types := map[string]string{}
	for _, c := range cat {
		cm := c.(map[string]any)
		ep := cm["endpoints"].([]any)[0].(map[string]any)
		require.Equal(t, "public", ep["interface"])
		require.Equal(t, "eu-de", ep["region_id"])
		types[cm["type"].(string)] = ep["url"].(string)
	}
	require.Equal(t, "http://fgs.local/v2/"+pid, types["functiongraph"])
	require.Equal(t, "http://fgs.local/v2/"+pid, types["volumev2"])
	require.Equal(t, "http://fgs.local/v2/"+pid, types["fgsv2"])
	require.Equal(t, "http://fgs.local/v3", types["identity"])

	// token method
	tok := rec.Header().Get("X-Subject-Token")
	rec = h.raw("POST", "/v3/auth/tokens", map[string]any{"auth": map[string]any{"identity": map[string]any{
		"methods": []string{"token"}, "token": map[string]any{"id": tok}}, "scope": map[string]any{"project": map[string]any{"id": pid}}}}, nil)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	require.NotEqual(t, tok, rec.Header().Get("X-Subject-Token"))
	rec = h.raw("POST", "/v3/auth/tokens", map[string]any{"auth": map[string]any{"identity": map[string]any{
		"methods": []string{"token"}, "token": map[string]any{"id": "bogus"}}}}, nil)
	require.Equal(t, 401, rec.Code)

	// validation
	rec = h.raw("GET", "/v3/auth/tokens", nil, map[string]string{"X-Auth-Token": h.token, "X-Subject-Token": tok})
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Equal(t, tok, rec.Header().Get("X-Subject-Token"))
	rec = h.raw("GET", "/v3/auth/tokens?nocatalog=true", nil, map[string]string{"X-Auth-Token": h.token, "X-Subject-Token": tok})
	require.Equal(t, 200, rec.Code)
	require.NotContains(t, rec.Body.String(), `"catalog"`)
	rec = h.raw("GET", "/v3/auth/tokens", nil, map[string]string{"X-Auth-Token": h.token, "X-Subject-Token": "nope"})
	require.Equal(t, 404, rec.Code)
	rec = h.raw("GET", "/v3/auth/tokens", nil, map[string]string{"X-Subject-Token": tok})
	require.Equal(t, 401, rec.Code)

	// catalog, projects, domains
	rec = h.raw("GET", "/v3/auth/catalog", nil, map[string]string{"X-Auth-Token": h.token})
	require.Equal(t, 200, rec.Code)
	require.Contains(t, rec.Body.String(), `"type":"volumev2"`)
	require.Equal(t, 401, h.raw("GET", "/v3/auth/catalog", nil, nil).Code)
	for q, n := range map[string]int{"?name=eu-de": 1, "?name=eu-nl": 0, "": 1, "?name=eu-de&-=": 1} {
		rec = h.raw("GET", "/v3/projects"+q, nil, map[string]string{"X-Auth-Token": h.token})
		require.Equal(t, 200, rec.Code)
		var pm map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pm))
		require.Len(t, pm["projects"], n, q)
		if n == 1 {
			p := pm["projects"].([]any)[0].(map[string]any)
			require.Equal(t, pid, p["id"])
			require.Equal(t, DefaultDomainID, p["domain_id"])
			require.Equal(t, false, p["is_domain"])
			require.Equal(t, true, p["enabled"])
		}
	}
	rec = h.raw("GET", "/v3/auth/projects", nil, map[string]string{"X-Auth-Token": h.token})
	require.Equal(t, 200, rec.Code)
	require.Contains(t, rec.Body.String(), `"id":"`+pid+`"`)
	require.NotEmpty(t, rec.Header().Get("X-Request-Id"))
	for q, n := range map[string]int{"?name=fgs-demo": 1, "?name=x": 0, "": 1} {
		rec = h.raw("GET", "/v3/auth/domains"+q, nil, map[string]string{"X-Auth-Token": h.token})
		require.Equal(t, 200, rec.Code)
		var dm map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &dm))
		require.Len(t, dm["domains"], n)
	}

	// expiry: after TokenTTL the token is gone
	h.clk.Advance(24*time.Hour + time.Second)
	rec = h.raw("GET", "/v3/auth/catalog", nil, map[string]string{"X-Auth-Token": h.token})
	require.Equal(t, 401, rec.Code)
}

func TestV2AuthFailures(t *testing.T) {
	h := newHarness(t)
	domainTok := h.issueToken(map[string]any{"domain": map[string]any{"name": DefaultDomainName}})
	cases := []struct {
		name   string
		path   string
		hdr    map[string]string
		status int
		code   string
	}{
		{"missing", "/v2/" + pid + "/fgs/functions", nil, 401, "FSS.0401"},
		{"unknown token", "/v2/" + pid + "/fgs/functions", map[string]string{"X-Auth-Token": "MIIbogus"}, 401, "FSS.0401"},
		{"other project", "/v2/ffffffffffffffffffffffffffffffff/fgs/functions", map[string]string{"X-Auth-Token": h.token}, 403, "FSS.0403"},
		{"domain-scoped token", "/v2/" + pid + "/fgs/functions", map[string]string{"X-Auth-Token": domainTok}, 403, "FSS.0403"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := h.raw("GET", c.path, nil, c.hdr)
			requireErr(t, rec.Code, rec.Body.Bytes(), c.status, c.code)
		})
	}
	require.Equal(t, 200, h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": h.token}).Code)
	h.clk.Advance(24 * time.Hour)
	rec := h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": h.token})
	requireErr(t, rec.Code, rec.Body.Bytes(), 401, "FSS.0401")
}

var _ = http.StatusOK

// signCredential signs req with the default AK/SK in the Credential= form.
func signCredential(req *http.Request, body []byte, date string) {
	req.Header.Set("X-Sdk-Date", date)
	signed := []string{"content-type", "host", "x-sdk-date"}
	canon := canonicalRequest(req, body, signed)
	scope := date[:8] + "///sdk_request"
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hexSHA256(canon)
	k := hmacSHA256([]byte("SDK"+DefaultSecretKey), date[:8])
	k = hmacSHA256(k, "")
	k = hmacSHA256(k, "")
	k = hmacSHA256(k, "sdk_request")
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Credential="+DefaultAccessKey+"/"+scope+", SignedHeaders=content-type;host;x-sdk-date, Signature="+hexHMAC(k, sts))
}

func TestIAMWithAKSK(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/v3/projects?name=eu-de", "/v3/auth/catalog", "/v3/auth/domains?name=fgs-demo"} {
		req := httptest.NewRequest("GET", "http://iam.local"+path, nil)
		req.Header.Set("Content-Type", "application/json")
		signCredential(req, nil, "20261122T083000Z")
		rec := httptest.NewRecorder()
		h.e.ServeHTTP(rec, req)
		require.Equal(t, 200, rec.Code, "%s: %s", path, rec.Body.String())
		// tampering breaks it
		req.URL.RawQuery += "&x=1"
		rec = httptest.NewRecorder()
		h.e.ServeHTTP(rec, req)
		require.Equal(t, 401, rec.Code, path)
	}
	// a signed POST without a body hashes its query string in place of the body (a rule of the
	// signing algorithm, see docs/signing.md)
	req := httptest.NewRequest("POST", "http://fgs.local/v2/"+pid+"/fgs/functions/enable-lts-logs?a=b", nil)
	req.Header.Set("Content-Type", "application/json")
	signCredential(req, nil, "20261122T083000Z")
	req.Header.Set("X-Project-Id", pid)
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code, rec.Body.String())
}

func TestAuthErrorsAs403(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AuthErrorsAs403 = true })
	for _, hdr := range []map[string]string{nil, {"X-Auth-Token": "MIIbogus"}} {
		rec := h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, hdr)
		requireErr(t, rec.Code, rec.Body.Bytes(), 403, "FSS.0403")
		require.Contains(t, rec.Body.String(), "invalid token")
	}
	require.Equal(t, 200, h.raw("GET", "/v2/"+pid+"/fgs/functions", nil, map[string]string{"X-Auth-Token": h.token}).Code)
}
