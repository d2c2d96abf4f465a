package fgs

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
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

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// secretValues collects the string values held under secret keys in a JSON
// body, so that a service echoing them back (in an error message) can be scrubbed.
func secretValues(b []byte) []string {
	var v any
	if len(b) == 0 || json.Unmarshal(b, &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				walk(val, secret || IsSecretKey(k))
			}
		case []any:
			for _, val := range t {
				walk(val, secret)
			}
		case string:
			if secret && len(t) >= 4 {
				out = append(out, t)
			}
		}
	}
	walk(v, false)
	return out
}
