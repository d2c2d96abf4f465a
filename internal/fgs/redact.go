package fgs

import (
	"bytes"
	"encoding/json"
	"strings"
)

const redacted = "<redacted>"

// IsSecretKey is the one rule for what is secret on the wire (log redaction, and
// what the provider never copies from the service into state): passwords (IAM, Kafka,
// DDS, RabbitMQ trigger event data), secret keys (tracing_sk), tokens and
// encrypted user data.
func IsSecretKey(k string) bool {
	k = strings.ToLower(k)
	switch k {
	case "encrypted_user_data", "encrypted_use_r_data", "tracing_sk", "sk", "secret_key", "secretkey",
		"token", "auth_token", "security_token", "securitytoken", "access_token", "signature":
		return true
	}
	return strings.Contains(k, "password") || strings.Contains(k, "passwd") || strings.Contains(k, "secret") ||
		strings.HasSuffix(k, "_sk") || strings.HasSuffix(k, "_token") || strings.Contains(k, "private_key")
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
