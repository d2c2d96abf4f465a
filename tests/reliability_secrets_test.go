package tests

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// R3: no secret value in any error or provider log line, even when the service echoes what it was sent.

// echoProxy stands in front of the emulator. While echoing, it refuses every request of a matching path
// prefix that has a body with a 400 whose message repeats the body (as sent, JSON-escaped, Base64- and
// URL-encoded, and each string value in it, also inside strings that hold JSON, in those forms) and the
// credential headers: the worst a service or a gateway could do. Otherwise it passes requests through.
type echoProxy struct {
	URL    string
	prefix atomic.Value // string: "" passes everything through
	echoed atomic.Int64
}

func startEchoProxy(t *testing.T, c *cloud) *echoProxy {
	target, err := url.Parse(c.URL)
	require.NoError(t, err)
	forward := httputil.NewSingleHostReverseProxy(target)
	p := &echoProxy{}
	p.prefix.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix := p.prefix.Load().(string)
		if prefix == "" || !strings.HasPrefix(r.URL.Path, prefix) || r.Method == http.MethodGet || r.Method == http.MethodDelete {
			forward.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		texts := []string{string(body), r.Header.Get("X-Auth-Token"), r.Header.Get("Authorization")}
		var v any
		if json.Unmarshal(body, &v) == nil {
			texts = append(texts, stringLeaves(v)...)
		}
		var msg strings.Builder
		msg.WriteString("request refused: ")
		for _, s := range texts {
			for _, form := range wireForms(s) {
				msg.WriteString(form + " | ")
			}
		}
		p.echoed.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error_code": "FSS.0400", "error_msg": msg.String()})
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// echo makes the proxy refuse and echo the requests under prefix ("" passes everything through).
func (p *echoProxy) echo(prefix string) { p.prefix.Store(prefix) }

// stringLeaves returns every string in a decoded JSON value, and those of strings that hold JSON.
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
		var inner any
		if strings.HasPrefix(strings.TrimSpace(t), "{") && json.Unmarshal([]byte(t), &inner) == nil {
			out = append(out, stringLeaves(inner)...)
		}
	}
	return out
}

// wireForms are the forms a text can take on the wire or in an echo: as it is, JSON-escaped once and twice,
// Base64 and URL-encoded.
func wireForms(s string) []string {
	if s == "" {
		return nil
	}
	once, _ := json.Marshal(s)
	twice, _ := json.Marshal(string(once[1 : len(once)-1]))
	return []string{s, string(once[1 : len(once)-1]), string(twice[1 : len(twice)-1]),
		base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s)}
}

// assertNoSecret fails for every form of every secret found in text.
func assertNoSecret(t *testing.T, what, text string, secrets map[string]string) {
	t.Helper()
	for kind, secret := range secrets {
		for _, form := range wireForms(secret) {
			if i := strings.Index(text, form); i >= 0 {
				lo, hi := max(0, i-200), min(len(text), i+len(form)+50)
				t.Errorf("%s holds the %s in plain text (form %q) near: ...%s...", what, kind, form, text[lo:hi])
			}
		}
	}
}

const secretsProgram = `name: secrets
runtime: yaml
config:
  apiKey:
    type: string
    secret: true
  kafkaPassword:
    type: string
    secret: true
resources:
  fn:
    type: fgs:index:Function
    properties:
      runtime: Python3.9
      handler: index.handler
      code:
        fn::assetArchive:
          index.py:
            fn::stringAsset: "def handler(event, context):\n    return 1\n"
      environment:
        PLAIN: visible
      secretEnvironment:
        API_KEY: ${apiKey}
  queue:
    type: fgs:index:Trigger
    properties:
      functionUrn: ${fn.functionUrn}
      type: KAFKA
      kafka:
        instanceId: 2f1ab0c4-kafka-instance
        topicIds: [orders]
        sslEnable: true
        user: consumer
        password: ${kafkaPassword}
`

// The whole debug output of up, of a failed up whose every write is echoed back, and of a refresh whose
// token request is echoed back (the provider's password), then the state: none holds a secret in any form.
func TestReliabilityR3NoSecretInErrorsOrLogs(t *testing.T) {
	// Values with every character that escaping or encoding changes.
	secrets := map[string]string{
		"provider password":       `pw"1\iam/pass+wörd&=?<x>`,
		"secretEnvironment value": `env"1\api/key+wörd&=?<x>`,
		"Kafka password":          `kfk"1\sasl/pass+wörd&=?<x>`,
		"new secretEnvironment":   `env"2\api/key+wörd&=?<y>`,
		"new Kafka password":      `kfk"2\sasl/pass+wörd&=?<y>`,
	}
	c := startCloudWith(t, func(cfg *emulator.Config) { cfg.Password = secrets["provider password"] })
	proxy := startEchoProxy(t, c)
	s := newStack(t, writeProject(t, secretsProgram), &cloud{Emulator: c.Emulator, URL: proxy.URL, cfg: c.cfg}, providerBin)
	s.run("config", "set", "--secret", "apiKey", secrets["secretEnvironment value"])
	s.run("config", "set", "--secret", "kafkaPassword", secrets["Kafka password"])
	debug := []string{"--debug", "--logflow", "--logtostderr", "-v=9"}

	out := s.run(append([]string{"up", "--yes", "--skip-preview"}, debug...)...)
	assert.Contains(t, out, "fgs: POST /v2/", "the provider's request log is in the output")
	assertNoSecret(t, "the debug output of up", out, secrets)

	// Every write is refused with an echo of what it sent: each new secret travels in a body, the Kafka
	// password in the trigger's update, the environment in the function's (which the trigger waits for).
	proxy.echo("/v2/")
	for _, change := range [][2]string{{"kafkaPassword", "new Kafka password"}, {"apiKey", "new secretEnvironment"}} {
		s.run("config", "set", "--secret", change[0], secrets[change[1]])
		before := proxy.echoed.Load()
		out, err := s.try(append([]string{"up", "--yes", "--skip-preview"}, debug...)...)
		require.Error(t, err, out)
		assert.Contains(t, out, "request refused", "the echo reached the error")
		require.Greater(t, proxy.echoed.Load(), before, "the update carrying the %s was echoed", change[1])
		assertNoSecret(t, "the debug output of an up refused with echoes ("+change[1]+")", out, secrets)
	}

	// The token request is refused with an echo of the password.
	proxy.echo("/v3/")
	before := proxy.echoed.Load()
	out, err := s.try(append([]string{"refresh", "--yes"}, debug...)...)
	require.Error(t, err, out)
	require.Greater(t, proxy.echoed.Load(), before, "the token request was echoed")
	assertNoSecret(t, "the debug output of a refresh whose token request was echoed", out, secrets)

	proxy.echo("")
	export := s.run("stack", "export")
	assertNoSecret(t, "the state", export, secrets)
	for _, key := range []string{"secretEnvironment", "password"} {
		assert.Contains(t, export, key, "the state records %s, encrypted", key)
	}
	s.run("destroy", "--yes", "--skip-preview")
	requireCloudEmpty(t, c)
}
