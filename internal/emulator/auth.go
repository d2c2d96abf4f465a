package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// token is an IAM token issued by POST /v3/auth/tokens.
type token struct {
	ID        string    `json:"id"`
	Methods   []string  `json:"methods"`
	ProjectID string    `json:"project_id,omitempty"` // empty = domain-scoped
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func randToken() string {
	b := make([]byte, 96)
	_, _ = rand.Read(b)
	// Real tokens are long opaque strings starting with "MII"; keep the look, not the content.
	return "MII" + base64.RawURLEncoding.EncodeToString(b)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func uuid() string {
	h := randHex(16)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// iamTime is the IAM timestamp format, e.g. 2019-02-13T06:52:13.855000Z (§3.3).
const iamTime = "2006-01-02T15:04:05.000000Z"

func (e *Emulator) scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

func (e *Emulator) tokenBody(c *reqCtx, t *token) map[string]any {
	cfg := e.cfg
	domain := map[string]any{"id": cfg.DomainID, "name": cfg.DomainName}
	tok := map[string]any{
		"expires_at": t.ExpiresAt.UTC().Format(iamTime),
		"issued_at":  t.IssuedAt.UTC().Format(iamTime),
		"methods":    t.Methods,
		"user":       map[string]any{"id": cfg.UserID, "name": cfg.UserName, "domain": domain, "password_expires_at": ""},
		"roles":      []any{map[string]any{"id": "0", "name": "op_service"}, map[string]any{"id": randHexFixed(cfg.DomainID), "name": "te_admin"}},
		"catalog":    e.catalog(c.r),
	}
	if _, ok := c.r.URL.Query()["nocatalog"]; ok {
		delete(tok, "catalog") // Keystone's ?nocatalog
	}
	if t.ProjectID != "" {
		tok["project"] = map[string]any{"id": cfg.ProjectID, "name": cfg.ProjectName, "domain": domain}
	} else {
		tok["domain"] = domain
	}
	return map[string]any{"token": tok}
}

func randHexFixed(seed string) string {
	s := sha256.Sum256([]byte("role:" + seed))
	return hex.EncodeToString(s[:16])
}

func (e *Emulator) catalog(r *http.Request) []any {
	base := e.scheme(r) + "://" + r.Host
	ep := func(svc, url string) map[string]any {
		return map[string]any{
			"id":        randHexFixed(svc + e.cfg.Region),
			"interface": "public",
			"region":    e.cfg.Region,
			"region_id": e.cfg.Region,
			"url":       url,
		}
	}
	entry := func(typ, name, url string) map[string]any {
		return map[string]any{"type": typ, "name": name, "id": randHexFixed(typ), "endpoints": []any{ep(typ, url)}}
	}
	return []any{
		entry("functiongraph", "functiongraph", base+"/v2/"+e.cfg.ProjectID),
		// gophertelekomcloud's NewFGSV2 looks the service up under the catalog type "fgsv2".
		entry("fgsv2", "functiongraph", base+"/v2/"+e.cfg.ProjectID),
		// The vendor SDK derives FunctionGraph's address from the volumev2 entry.
		entry("volumev2", "cinderv2", base+"/v2/"+e.cfg.ProjectID),
		entry("identity", "keystone", base+"/v3"),
	}
}

// ---- IAM handlers ----

type authReq struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User struct {
					ID       string `json:"id"`
					Name     string `json:"name"`
					Password string `json:"password"`
					Domain   *struct {
						ID   string `json:"id"`
						Name string `json:"name"`
					} `json:"domain"`
				} `json:"user"`
			} `json:"password"`
			Token *struct {
				ID string `json:"id"`
			} `json:"token"`
		} `json:"identity"`
		Scope *struct {
			Project *struct {
				ID     string `json:"id"`
				Name   string `json:"name"`
				Domain *struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"domain"`
			} `json:"project"`
			Domain *struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

func (e *Emulator) iamCreateToken(c *reqCtx) {
	cfg := e.cfg
	var in authReq
	if err := json.Unmarshal(c.body, &in); err != nil {
		writeKeystoneErr(c.w, http.StatusBadRequest, "Bad Request", "The request body is not valid JSON.")
		return
	}
	id := in.Auth.Identity
	unauth := func(msg string) { writeKeystoneErr(c.w, http.StatusUnauthorized, "Unauthorized", msg) }
	if len(id.Methods) != 1 {
		writeKeystoneErr(c.w, http.StatusBadRequest, "Bad Request", "identity.methods must name exactly one method (password or token).")
		return
	}
	var inherited *token
	switch id.Methods[0] {
	case "password":
		if id.Password == nil {
			writeKeystoneErr(c.w, http.StatusBadRequest, "Bad Request", "identity.password is required.")
			return
		}
		u := id.Password.User
		if u.ID != "" && u.ID != cfg.UserID {
			unauth("The username or password is wrong.")
			return
		}
		if u.ID == "" {
			if u.Name != cfg.UserName {
				unauth("The username or password is wrong.")
				return
			}
			// A user name is only unique inside its domain: the domain is required.
			if u.Domain == nil || (u.Domain.ID == "" && u.Domain.Name == "") {
				writeKeystoneErr(c.w, http.StatusBadRequest, "Bad Request", "user.domain is required when the user is given by name.")
				return
			}
		}
		if u.Domain != nil && !(u.Domain.ID == cfg.DomainID || (u.Domain.ID == "" && u.Domain.Name == cfg.DomainName)) {
			unauth("The username or password is wrong.")
			return
		}
		if u.Password != cfg.Password {
			unauth("The username or password is wrong.")
			return
		}
	case "token":
		if id.Token == nil || id.Token.ID == "" {
			writeKeystoneErr(c.w, http.StatusBadRequest, "Bad Request", "identity.token.id is required.")
			return
		}
		t := e.lookupToken(id.Token.ID)
		if t == nil {
			unauth("The token is invalid or has expired.")
			return
		}
		inherited = t
	default:
		unauth("Unsupported authentication method.")
		return
	}
	now := e.now()
	t := &token{ID: randToken(), Methods: []string{id.Methods[0]}, IssuedAt: now, ExpiresAt: now.Add(e.currentTokenTTL())}
	if inherited != nil {
		// A token obtained from a token never outlives the original.
		t.ExpiresAt = inherited.ExpiresAt
	}
	if s := in.Auth.Scope; s != nil {
		switch {
		case s.Project != nil:
			p := s.Project
			okID := p.ID != "" && p.ID == cfg.ProjectID
			okName := p.ID == "" && p.Name == cfg.ProjectName
			if !okID && !okName {
				unauth("The project in the scope does not exist or is not accessible.")
				return
			}
			t.ProjectID = cfg.ProjectID
		case s.Domain != nil:
			if !(s.Domain.ID == cfg.DomainID || (s.Domain.ID == "" && s.Domain.Name == cfg.DomainName)) {
				unauth("The domain in the scope does not exist or is not accessible.")
				return
			}
		}
	} else if inherited != nil {
		t.ProjectID = inherited.ProjectID
	}
	e.mu.Lock()
	e.st.Tokens[t.ID] = t
	e.pruneTokensLocked(now)
	e.persistLocked()
	e.mu.Unlock()
	c.w.Header().Set("X-Subject-Token", t.ID)
	c.ok(http.StatusCreated, e.tokenBody(c, t))
}

func (e *Emulator) pruneTokensLocked(now time.Time) {
	for id, t := range e.st.Tokens {
		if !now.Before(t.ExpiresAt) {
			delete(e.st.Tokens, id)
		}
	}
}

// lookupToken returns a copy of a valid, unexpired token or nil.
func (e *Emulator) lookupToken(id string) *token {
	if id == "" {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.st.Tokens[id]
	if !ok || !e.now().Before(t.ExpiresAt) {
		return nil
	}
	cp := *t
	return &cp
}

// iamAuth authenticates a /v3 request other than token creation: a token or an AK/SK signature.
func (e *Emulator) iamAuth(c *reqCtx) bool {
	if tok := c.r.Header.Get("X-Auth-Token"); tok != "" {
		if t := e.lookupToken(tok); t != nil {
			c.token = t
			return true
		}
		writeKeystoneErr(c.w, http.StatusUnauthorized, "Unauthorized", "The request you have made requires authentication.")
		return false
	}
	if c.r.Header.Get("Authorization") != "" {
		if err := e.verifySignature(c.r, c.body); err != nil {
			writeKeystoneErr(c.w, http.StatusUnauthorized, "Unauthorized", err.Error())
			return false
		}
		return true
	}
	writeKeystoneErr(c.w, http.StatusUnauthorized, "Unauthorized", "The request you have made requires authentication.")
	return false
}

func (e *Emulator) iamValidateToken(c *reqCtx) {
	if !e.iamAuth(c) {
		return
	}
	t := e.lookupToken(c.r.Header.Get("X-Subject-Token"))
	if t == nil {
		writeKeystoneErr(c.w, http.StatusNotFound, "Not Found", "The token could not be found or has expired.")
		return
	}
	c.w.Header().Set("X-Subject-Token", t.ID)
	c.ok(http.StatusOK, e.tokenBody(c, t))
}

func (e *Emulator) iamCatalog(c *reqCtx) {
	if !e.iamAuth(c) {
		return
	}
	base := e.scheme(c.r) + "://" + c.r.Host
	c.ok(http.StatusOK, map[string]any{"catalog": e.catalog(c.r), "links": map[string]any{"self": base + "/v3/auth/catalog"}})
}

func (e *Emulator) iamProjects(c *reqCtx) {
	if !e.iamAuth(c) {
		return
	}
	cfg := e.cfg
	base := e.scheme(c.r) + "://" + c.r.Host
	q := c.r.URL.Query()
	projects := []any{}
	match := (q.Get("name") == "" || q.Get("name") == cfg.ProjectName) &&
		(q.Get("id") == "" || q.Get("id") == cfg.ProjectID) &&
		(q.Get("domain_id") == "" || q.Get("domain_id") == cfg.DomainID)
	if match {
		projects = append(projects, map[string]any{
			"domain_id":   cfg.DomainID,
			"is_domain":   false,
			"parent_id":   cfg.DomainID,
			"name":        cfg.ProjectName,
			"description": "",
			"links":       map[string]any{"next": nil, "previous": nil, "self": base + "/v3/projects/" + cfg.ProjectID},
			"id":          cfg.ProjectID,
			"enabled":     true,
		})
	}
	c.ok(http.StatusOK, map[string]any{
		"projects": projects,
		"links":    map[string]any{"next": nil, "previous": nil, "self": base + "/v3" + strings.TrimPrefix(c.r.URL.Path, "/v3")},
	})
}

func (e *Emulator) iamDomains(c *reqCtx) {
	if !e.iamAuth(c) {
		return
	}
	cfg := e.cfg
	base := e.scheme(c.r) + "://" + c.r.Host
	domains := []any{}
	if n := c.r.URL.Query().Get("name"); n == "" || n == cfg.DomainName {
		domains = append(domains, map[string]any{
			"id": cfg.DomainID, "name": cfg.DomainName, "enabled": true, "description": "",
			"links": map[string]any{"self": base + "/v3/domains/" + cfg.DomainID},
		})
	}
	c.ok(http.StatusOK, map[string]any{"domains": domains, "links": map[string]any{"self": base + "/v3/auth/domains", "next": nil, "previous": nil}})
}

// ---- /v2 authentication ----

// authenticateV2 accepts an X-Auth-Token scoped to the path's project, or an AK/SK
// signature with X-Project-Id equal to the path's project.
//
// Choice (§3.3, §6.2 vs the §5.5.1 example): a missing, unknown, expired token or a bad
// signature answers 401 FSS.0401 (table 6-2), or 403 FSS.0403 "invalid token" like the
// examples when Config.AuthErrorsAs403 is set; a valid credential for another project
// (or a domain-scoped token) answers 403 FSS.0403.
func (e *Emulator) authenticateV2(c *reqCtx) bool {
	project := c.p("project_id")
	unauth := func(format string, args ...any) bool {
		if e.cfg.AuthErrorsAs403 {
			c.fail(errf(403, "FSS.0403", "invalid token"))
		} else {
			c.fail(errf(401, "FSS.0401", "Unauthorized access: "+format, args...))
		}
		return false
	}
	if tok := c.r.Header.Get("X-Auth-Token"); tok != "" {
		t := e.lookupToken(tok)
		if t == nil {
			return unauth("the token is invalid or has expired.")
		}
		if t.ProjectID != project {
			c.fail(errf(403, "FSS.0403", "Forbidden: the token is not scoped to project %s.", project))
			return false
		}
		c.token = t
		return true
	}
	if c.r.Header.Get("Authorization") != "" {
		// "AK/SK-based authentication supports API requests with a body not larger than 12 MB" (§3.2).
		if len(c.body) > maxSignedBody {
			c.fail(errf(413, "FSS.0413", "The request body is too large: AK/SK-signed requests are limited to 12 MB; use token authentication."))
			return false
		}
		if err := e.verifySignature(c.r, c.body); err != nil {
			return unauth("%s", err.Error())
		}
		pid := c.r.Header.Get("X-Project-Id")
		if pid == "" {
			return unauth("X-Project-Id is required with AK/SK authentication.")
		}
		if pid != project || pid != e.cfg.ProjectID {
			c.fail(errf(403, "FSS.0403", "Forbidden: X-Project-Id does not match project %s.", project))
			return false
		}
		return true
	}
	return unauth("no X-Auth-Token or Authorization header.")
}

// ---- AK/SK signature verification ----
//
// SDK-HMAC-SHA256 (docs/signing.md): the canonical request is method, URI (each path
// segment percent-encoded, ending in "/"), sorted encoded query, the signed headers
// lower-cased as "name:value" lines, their names joined by ";", and the hex SHA-256 of the
// body (of the raw query for a POST without a body). The string to sign is "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex SHA-256 of the
// canonical request; "Access=" signs it with HMAC-SHA256(SK), "Credential=AK/date/region/
// service/sdk_request" inserts the scope and derives the key from "SDK"+SK through the scope.

type sigError string

func (s sigError) Error() string { return string(s) }

var authRe = regexp.MustCompile(`^SDK-HMAC-SHA256\s+(Credential|Access)=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$`)

const sdkDateFormat = "20060102T150405Z"

const maxSignedBody = 12 << 20

// verifySignature recomputes the signature over the request as received.
func (e *Emulator) verifySignature(r *http.Request, body []byte) error {
	m := authRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return sigError("malformed Authorization header")
	}
	form, cred, signed, sig := m[1], m[2], m[3], strings.ToLower(m[4])
	ak, scope := cred, ""
	if form == "Credential" {
		i := strings.Index(cred, "/")
		if i < 0 {
			return sigError("malformed credential")
		}
		ak, scope = cred[:i], cred[i+1:]
	}
	if ak != e.cfg.AccessKey {
		return sigError("unknown access key")
	}
	sdkDate := r.Header.Get("X-Sdk-Date")
	ts, err := time.Parse(sdkDateFormat, sdkDate)
	if err != nil {
		return sigError("missing or malformed X-Sdk-Date")
	}
	now := e.now()
	if d := now.Sub(ts); d > e.cfg.ClockSkew || d < -e.cfg.ClockSkew {
		return sigError("X-Sdk-Date is outside the allowed clock skew")
	}
	signedList := strings.Split(signed, ";")
	hasDate := false
	for _, h := range signedList {
		if h == "x-sdk-date" {
			hasDate = true
		}
	}
	if !hasDate {
		return sigError("x-sdk-date must be signed")
	}
	canon := canonicalRequest(r, body, signedList)
	hash := sha256.Sum256([]byte(canon))
	var expected string
	if form == "Credential" {
		parts := strings.Split(scope, "/")
		if len(parts) != 4 || parts[3] != "sdk_request" || parts[0] != sdkDate[:8] {
			return sigError("malformed credential scope")
		}
		sts := "SDK-HMAC-SHA256\n" + sdkDate + "\n" + scope + "\n" + hex.EncodeToString(hash[:])
		k := hmacSHA256([]byte("SDK"+e.cfg.SecretKey), parts[0])
		k = hmacSHA256(k, parts[1])
		k = hmacSHA256(k, parts[2])
		k = hmacSHA256(k, "sdk_request")
		expected = hex.EncodeToString(hmacSHA256(k, sts))
	} else {
		sts := "SDK-HMAC-SHA256\n" + sdkDate + "\n" + hex.EncodeToString(hash[:])
		expected = hex.EncodeToString(hmacSHA256([]byte(e.cfg.SecretKey), sts))
	}
	if !hmac.Equal([]byte(expected), []byte(sig)) {
		return sigError("signature mismatch")
	}
	return nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func sigEscape(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/') {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

func canonicalRequest(r *http.Request, body []byte, signed []string) string {
	// Canonical URI from the escaped path as sent: decode each segment, re-encode with the signer's rule.
	segs := strings.Split(r.URL.EscapedPath(), "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		segs[i] = sigEscape(s, false)
	}
	uri := strings.Join(segs, "/")
	if !strings.HasPrefix(uri, "/") {
		uri = "/" + uri
	}
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	// Canonical query.
	type kv struct{ k, v string }
	var pairs []kv
	if r.URL.RawQuery != "" {
		for _, part := range strings.Split(r.URL.RawQuery, "&") {
			if part == "" {
				continue
			}
			k, v, _ := strings.Cut(part, "=")
			if uk, err := url.QueryUnescape(k); err == nil {
				k = uk
			}
			if uv, err := url.QueryUnescape(v); err == nil {
				v = uv
			}
			pairs = append(pairs, kv{sigEscape(k, false), sigEscape(v, false)})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return strings.ToLower(pairs[i].k) < strings.ToLower(pairs[j].k) })
	q := make([]string, len(pairs))
	for i, p := range pairs {
		q[i] = p.k + "=" + p.v
	}
	// Canonical headers: exactly the ones listed in SignedHeaders.
	var hb strings.Builder
	for _, h := range signed {
		var v string
		if h == "host" {
			v = r.Host
		} else {
			v = strings.Join(r.Header.Values(h), ",")
		}
		hb.WriteString(h + ":" + collapseSpaces(strings.TrimSpace(v)) + "\n")
	}
	// Content hash.
	var ch string
	if v := r.Header.Get("X-Sdk-Content-Sha256"); v != "" {
		ch = v
	} else if r.Method == http.MethodPost && len(body) == 0 {
		s := sha256.Sum256([]byte(r.URL.RawQuery))
		ch = hex.EncodeToString(s[:])
	} else {
		s := sha256.Sum256(body)
		ch = hex.EncodeToString(s[:])
	}
	return r.Method + "\n" + uri + "\n" + strings.Join(q, "&") + "\n" + hb.String() + "\n" + strings.Join(signed, ";") + "\n" + ch
}

func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }
