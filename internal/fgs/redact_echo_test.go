package fgs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoingService is a hostile service: every request is refused with an error message that repeats the
// request (body, headers) in every form a service or proxy might use: as it came, JSON-escaped, Base64- and
// URL-encoded, and each string value of the body (also inside strings that hold JSON) on its own in those forms.
// extra are further texts to repeat the same way (the credentials a broken gateway might echo).
func echoingService(t *testing.T, extra ...string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		texts := append([]string{string(body), r.Header.Get("X-Auth-Token"), r.Header.Get("Authorization"), r.Header.Get("X-Security-Token")}, extra...)
		var v any
		if json.Unmarshal(body, &v) == nil {
			texts = append(texts, stringLeaves(v)...)
		}
		var msg strings.Builder
		msg.WriteString("request refused: ")
		for _, s := range texts {
			if s == "" {
				continue
			}
			quoted, _ := json.Marshal(s)
			for _, form := range []string{s, string(quoted), base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s)} {
				msg.WriteString(form + " | ")
			}
		}
		fgsError(w, 400, "FSS.0400", msg.String())
	}))
	t.Cleanup(srv.Close)
	return srv
}

func stringLeaves(v any) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		for _, val := range t {
			out = append(out, stringLeaves(val)...)
		}
	case []any:
		for _, val := range t {
			out = append(out, stringLeaves(val)...)
		}
	case string:
		out = append(out, t)
		if inner, ok := jsonInString(t); ok {
			out = append(out, stringLeaves(inner)...)
		}
	}
	return out
}

// leakForms are the forms of a secret that must never be seen: raw, JSON-escaped once and twice, Base64, URL-encoded.
func leakForms(secret string) map[string]string {
	once := jsonEscape(secret, false)
	return map[string]string{
		"raw": secret, "JSON-escaped": once, "JSON-escaped twice": jsonEscape(once, false),
		"Base64": base64.StdEncoding.EncodeToString([]byte(secret)), "URL-encoded": url.QueryEscape(secret),
	}
}

// A value with every character that changes under escaping and encoding.
const trickySecret = `s3cr"t\pa/ss+wörd&=?<x>`

// One test per kind of secret: each goes through the echoing service; neither the error nor the debug log
// may hold it in any form.
func TestNoSecretSurvivesAnEchoingService(t *testing.T) {
	urn := "urn:fss:eu-de:" + testProjectID + ":function:default:hello"
	cases := []struct {
		kind   string
		secret string
		echo   bool // the service also repeats the secret itself (it is never sent)
		opts   func(srv string) Options
		call   func(c *Client) error
	}{
		{kind: "IAM password", secret: "pw-" + trickySecret,
			opts: func(srv string) Options {
				return Options{Region: "eu-de", AuthURL: srv + "/v3", DomainName: "dom", UserName: "user", Password: "pw-" + trickySecret,
					ProjectID: testProjectID, Endpoint: srv}
			},
			call: func(c *Client) error { _, err := c.Functions.GetConfig(context.Background(), urn); return err }},
		{kind: "secret key (SK)", secret: "sk-" + trickySecret, echo: true,
			opts: func(srv string) Options {
				return Options{AccessKey: testAK, SecretKey: "sk-" + trickySecret, SecurityToken: "st-" + trickySecret, ProjectID: testProjectID, Endpoint: srv}
			},
			call: func(c *Client) error { _, err := c.Functions.GetConfig(context.Background(), urn); return err }},
		{kind: "security token", secret: "st-" + trickySecret,
			opts: func(srv string) Options {
				return Options{AccessKey: testAK, SecretKey: testSK, SecurityToken: "st-" + trickySecret, ProjectID: testProjectID, Endpoint: srv}
			},
			call: func(c *Client) error { _, err := c.Functions.GetConfig(context.Background(), urn); return err }},
		{kind: "IAM token", secret: "tok-" + trickySecret,
			opts: func(srv string) Options {
				return Options{Token: "tok-" + trickySecret, ProjectID: testProjectID, Endpoint: srv}
			},
			call: func(c *Client) error { _, err := c.Functions.GetConfig(context.Background(), urn); return err }},
		{kind: "encrypted environment value", secret: "env-" + trickySecret,
			call: func(c *Client) error {
				enc, _ := json.Marshal(map[string]string{"API_KEY": "env-" + trickySecret, "MODE": "prod"})
				_, err := c.Functions.UpdateConfig(context.Background(), urn, &UpdateFunctionConfigRequest{FuncName: "hello", Runtime: "Python3.9",
					Handler: "index.handler", MemorySize: 128, Timeout: 3, EncryptedUserData: ptrTo(string(enc))})
				return err
			}},
		{kind: "secret-named plain environment value", secret: "plain-" + trickySecret,
			call: func(c *Client) error {
				ud, _ := json.Marshal(map[string]string{"DB_PASSWORD": "plain-" + trickySecret})
				_, err := c.Functions.Create(context.Background(), &CreateFunctionRequest{FuncName: "hello", Runtime: "Python3.9",
					Handler: "index.handler", MemorySize: 128, Timeout: 3, CodeType: "inline", UserData: string(ud)})
				return err
			}},
		{kind: "trigger password", secret: "kafka-" + trickySecret,
			call: func(c *Client) error {
				_, err := c.Triggers.Create(context.Background(), urn+":latest", &CreateTriggerRequest{TriggerTypeCode: "KAFKA",
					EventData: map[string]any{"instance_id": "i-1", "kafka_user": "user", "kafka_password": "kafka-" + trickySecret}})
				return err
			}},
		{kind: "tracing SK", secret: "trace-" + trickySecret,
			call: func(c *Client) error {
				return c.Tracing.Put(context.Background(), urn, &TracingConfig{TracingAK: "AK", TracingSK: "trace-" + trickySecret})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			var extra []string
			if tc.echo {
				extra = append(extra, tc.secret)
			}
			srv := echoingService(t, extra...)
			opts := Options{Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: srv.URL}
			if tc.opts != nil {
				opts = tc.opts(srv.URL)
			}
			log := &captureLogger{}
			opts.Logger, opts.MaxRetries = log, -1
			c, err := NewClient(opts)
			require.NoError(t, err)
			err = tc.call(c)
			require.Error(t, err)
			require.Contains(t, err.Error(), "request refused", "the echo reached the error")
			for form, leak := range leakForms(tc.secret) {
				assert.NotContains(t, err.Error(), leak, "%s, %s, in the error", tc.kind, form)
				assert.NotContains(t, log.all(), leak, "%s, %s, in the debug log", tc.kind, form)
			}
			assert.NotContains(t, err.Error(), "wörd", "no part of the secret survives")
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

// The forms themselves: a value in JSON in a JSON string is found however deep, and inside a larger Base64 text.
func TestSecretFormsCoverNestingAndBase64Alignment(t *testing.T) {
	secret := "api-" + trickySecret
	inner, _ := json.Marshal(map[string]string{"API_KEY": secret})
	body, _ := json.Marshal(map[string]any{"encrypted_user_data": string(inner), "user_data": `{"x":"y"}`})
	forms := secretValues(body)
	scrub := func(s string) string {
		for _, f := range forms {
			s = strings.ReplaceAll(s, f, "***")
		}
		return s
	}
	outer, _ := json.Marshal(map[string]string{"error_msg": string(body)})
	for _, text := range []string{string(body), string(outer)} {
		assert.NotContains(t, scrub(text), "wörd")
		assert.NotContains(t, scrub(text), "w\\u00f6rd")
	}
	for _, prefix := range []string{"", "a", "ab", "abc"} {
		b64 := base64.StdEncoding.EncodeToString([]byte(prefix + secret + "tail"))
		assert.Contains(t, scrub(b64), "***", "Base64 at alignment %d", len(prefix))
	}
	assert.NotContains(t, scrub(`{"x":"y"}`), "***", "plain values stay")
	assert.Contains(t, redactJSON(body), `"user_data":"{\"x\":\"y\"}"`)
	assert.NotContains(t, redactJSON([]byte(`{"user_data":"{\"DB_PASSWORD\":\"hunter22\"}"}`)), "hunter22", "a secret key inside a JSON string is redacted in the log")
}
