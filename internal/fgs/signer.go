package fgs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// AK/SK request signing, "SDK-HMAC-SHA256" with the Credential= form (the
// variant Open Telekom Cloud's own Go SDK sends), step by step and with its test
// vectors in docs/signing.md. Headers added after signing (X-Project-Id,
// X-Security-Token) are not signed.

const (
	signAlgorithm  = "SDK-HMAC-SHA256"
	sdkDateHeader  = "X-Sdk-Date"
	sdkDateFormat  = "20060102T150405Z"
	sdkContentHash = "X-Sdk-Content-Sha256"
	signTerminator = "sdk_request"
)

// Signer signs requests with an access key / secret key pair.
type Signer struct {
	AccessKey string
	SecretKey string
	// Region and Service go into the credential scope; the OTC SDK leaves both
	// empty ("20261122///sdk_request"), and so does the client.
	Region  string
	Service string
}

// Sign adds Host, X-Sdk-Date and Authorization to req. body must be the exact
// bytes that will be sent (nil or empty for no body).
func (s Signer) Sign(req *http.Request, body []byte, now time.Time) error {
	if s.AccessKey == "" || s.SecretKey == "" {
		return fmt.Errorf("fgs: AK/SK signing needs both an access key and a secret key")
	}
	stamp := now.UTC().Format(sdkDateFormat)
	date := stamp[:8]
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	req.Host = host
	req.Header.Set("Host", host)
	req.Header.Set(sdkDateHeader, stamp)

	canonical, signed := canonicalRequest(req, body)
	scope := date + "/" + s.Region + "/" + s.Service + "/" + signTerminator
	hashed := sha256.Sum256([]byte(canonical))
	stringToSign := signAlgorithm + "\n" + stamp + "\n" + scope + "\n" + hex.EncodeToString(hashed[:])

	k := hmacSHA256([]byte("SDK"+s.SecretKey), date)
	k = hmacSHA256(k, s.Region)
	k = hmacSHA256(k, s.Service)
	k = hmacSHA256(k, signTerminator)
	sig := hex.EncodeToString(hmacSHA256(k, stringToSign))

	req.Header.Set("Authorization", fmt.Sprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		signAlgorithm, s.AccessKey, scope, signed, sig))
	// Go's transport takes the Host from req.Host, never from the header map.
	req.Header.Del("Host")
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalRequest returns the canonical request and the signed header list.
func canonicalRequest(req *http.Request, body []byte) (string, string) {
	var contentHash string
	if h := req.Header.Get(sdkContentHash); h != "" {
		contentHash = h
	} else {
		payload := body
		if req.Method == http.MethodPost && len(body) == 0 {
			// Quirk of the reference signer: a POST without a body hashes the query.
			payload = []byte(req.URL.RawQuery)
		}
		sum := sha256.Sum256(payload)
		contentHash = hex.EncodeToString(sum[:])
	}

	// canonical URI: decoded path, re-encoded byte by byte, trailing slash.
	p := req.URL.Path
	if p == "" {
		p = "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	uri := signEscape(p, false)
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}

	// canonical query
	q := req.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := strings.ToLower(keys[i]), strings.ToLower(keys[j])
		if a == b {
			return keys[i] < keys[j]
		}
		return a < b
	})
	var qparts []string
	for _, k := range keys {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			qparts = append(qparts, signEscape(k, true)+"="+signEscape(v, true))
		}
	}

	// canonical headers
	names := make([]string, 0, len(req.Header))
	values := map[string]string{}
	for k, vs := range req.Header {
		lk := strings.ToLower(collapseSpaces(k))
		if _, seen := values[lk]; !seen {
			names = append(names, lk)
		}
		v := collapseSpaces(strings.Join(vs, ","))
		if old, ok := values[lk]; ok && old != "" {
			v = old + "," + v
		}
		values[lk] = v
	}
	sort.Strings(names)
	var hb strings.Builder
	for _, n := range names {
		hb.WriteString(n + ":" + values[n] + "\n")
	}
	signed := strings.Join(names, ";")

	canonical := strings.Join([]string{
		req.Method, uri, strings.Join(qparts, "&"), hb.String(), signed, contentHash,
	}, "\n")
	return canonical, signed
}

func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// signEscape percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ (and / when
// keepSlash... i.e. when encodeSlash is false) as %XX with upper-case hex.
func signEscape(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
