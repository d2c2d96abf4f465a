package fgs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf16"
)

const redacted = "<redacted>"

// IsSecretKey is the one rule for what is secret on the wire: what the client redacts from its logs, and what
// the provider never copies from the service into state. A key is secret when it contains one of
// secretKeyParts anywhere (any case: kafka_password, db_passwd, X-Auth-Token, accessToken, ssh_private_key,
// client_secret), or when one of its words is one of secretKeyWords (tracing_sk, tracingSk, db_pwd; a word
// because "sk" inside "task" or "disk" is not a secret), or when it is the encrypted user data.
func IsSecretKey(k string) bool {
	lower := strings.ToLower(k)
	for _, part := range secretKeyParts {
		if strings.Contains(lower, part) {
			return true
		}
	}
	for _, w := range keyWords(k) {
		if secretKeyWords[w] {
			return true
		}
	}
	return lower == "encrypted_user_data" || lower == "encrypted_use_r_data"
}

var secretKeyParts = []string{"password", "passwd", "secret", "token", "private_key", "privatekey", "api_key", "apikey", "signature"}

var secretKeyWords = map[string]bool{"sk": true, "pwd": true}

// keyWords splits a key into lower-case words at every non-alphanumeric character and at each lower-to-upper
// case change: "tracing_sk" and "tracingSk" are both [tracing sk].
func keyWords(k string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range k {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				flush()
			}
			cur = append(cur, r)
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
			prevLower = true
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return words
}

// redactJSON returns the compact JSON with every secret value replaced. A body
// that is not JSON is not logged at all.
func redactJSON(b []byte) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "<non-JSON body, " + itoa(len(b)) + " bytes>"
	}
	v = redactValue(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return redacted
	}
	out := bytes.TrimRight(buf.Bytes(), "\n")
	const maxLog = 2048
	if len(out) > maxLog {
		return string(out[:maxLog]) + "...(truncated)"
	}
	return string(out)
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if IsSecretKey(k) {
				if s, ok := val.(string); ok && s == "" {
					continue
				}
				t[k] = redacted
				continue
			}
			// func_code.file is code, not a secret, but it is big and useless in logs.
			if k == "file" || k == "depend_file" {
				if s, ok := val.(string); ok && len(s) > 64 {
					t[k] = "<" + itoa(len(s)) + " bytes>"
					continue
				}
			}
			if str, ok := val.(string); ok {
				t[k] = redactJSONString(str)
				continue
			}
			t[k] = redactValue(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
		return t
	}
	return v
}

// redactJSONString redacts a string that holds JSON (user_data: {"DB_PASSWORD": ...}); others are kept.
func redactJSONString(s string) string {
	inner, ok := jsonInString(s)
	if !ok {
		return s
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(redactValue(inner)) != nil {
		return redacted
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n"))
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// secretValues collects the secret values of a JSON body, so that a service echoing them back (in an error
// message) can be scrubbed: every string (or number) under an IsSecretKey key at any depth, and inside strings
// that hold JSON themselves (user_data, encrypted_user_data: a JSON object in a string, whose values are the
// secrets). Each value is returned with every form it can take on the wire (secretForms).
func secretValues(b []byte) []string {
	var v any
	if len(b) == 0 || json.Unmarshal(b, &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool, depth int)
	walk = func(v any, secret bool, depth int) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				walk(val, secret || IsSecretKey(k), depth)
			}
		case []any:
			for _, val := range t {
				walk(val, secret, depth)
			}
		case float64:
			if secret {
				out = append(out, strconvNumber(t))
			}
		case string:
			if secret {
				out = append(out, t)
			}
			if inner, ok := jsonInString(t); ok && depth < 4 {
				walk(inner, secret, depth+1)
			}
		}
	}
	walk(v, false, 0)
	return secretForms(out...)
}

// jsonInString reads a string that holds a JSON object or array.
func jsonInString(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '{' && t[0] != '[') {
		return nil, false
	}
	var v any
	if json.Unmarshal([]byte(t), &v) != nil {
		return nil, false
	}
	return v, true
}

func strconvNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// minSecretLen: shorter values are not scrubbed (they would blank out ordinary words and numbers).
const minSecretLen = 4

// secretForms returns every form in which the values can appear in what a service or a proxy echoes: the
// raw value; JSON-escaped once, twice and three times (a value in a JSON string inside a JSON string inside
// an error message), also with HTML-safe and ASCII-only escapes; each of these Base64-encoded (standard and
// URL alphabets, as a whole or as part of a larger encoded text, at any of the three byte alignments); and
// URL-encoded (query and path). Longest first, so that no form is cut by a shorter one.
func secretForms(values ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if len(f) >= minSecretLen && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, v := range values {
		if len(v) < minSecretLen {
			continue
		}
		// Each level of escaping may or may not be HTML-safe (Go's json.Marshal writes & < > as \u0026...).
		escaped, level := []string{v}, []string{v}
		for range 3 {
			var next []string
			for _, e := range level {
				next = append(next, jsonEscape(e, false))
				if strings.ContainsAny(e, "<>&") {
					next = append(next, jsonEscape(e, true))
				}
			}
			escaped, level = append(escaped, next...), next
		}
		for _, e := range escaped {
			if a := asciiEscape(e); a != e {
				escaped = append(escaped, a)
			}
		}
		for _, e := range escaped {
			add(e)
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				add(enc.EncodeToString([]byte(e)))
				for _, part := range base64Cores(enc, []byte(e)) {
					add(part)
				}
			}
			add(url.QueryEscape(e))
			add(url.PathEscape(e))
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// jsonEscape is v as it stands between the quotes of a JSON string.
func jsonEscape(v string, htmlSafe bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(htmlSafe)
	_ = enc.Encode(v)
	quoted := string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return quoted[1 : len(quoted)-1]
}

// asciiEscape writes every non-ASCII character as \uXXXX, as JSON encoders with an ASCII-only option do.
func asciiEscape(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, "\\u%04x", u)
		}
	}
	return b.String()
}

// base64Cores are the parts of the Base64 encoding of b that do not depend on what comes before or after b
// in a larger encoded text, for each of the three alignments b can have in it. Too short parts are left out:
// they would match by chance.
func base64Cores(enc *base64.Encoding, b []byte) []string {
	var out []string
	for k := range 3 {
		padded := append(make([]byte, k), b...)
		text := enc.EncodeToString(padded)
		first := (k + 2) / 3 * 4     // the first group made of b's bytes only
		last := (k + len(b)) / 3 * 4 // the end of the last such group
		if last-first >= 8 {
			out = append(out, text[first:last])
		}
	}
	return out
}
