package fgs

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLogsAndErrorsCarryNoSecrets drives password auth, function create with
// encrypted user data, a trigger with a password, tracing with an SK, an
// AK/SK client, and error answers that echo secrets; then greps the captured
// debug log and every error message for each secret.
func TestLogsAndErrorsCarryNoSecrets(t *testing.T) {
	const (
		encUserData = "ENCRYPTED-USER-DATA-VALUE-xyz"
		kafkaPass   = "kafka-pa55word-value"
		tracingSK   = "TRACING-SK-SECRET-VALUE-123"
		extraSecret = "db-password-value-987"
		securityTok = "temporary-security-token-value"
	)
	var tokens []string
	var signatures []string
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if tok := r.Header.Get("X-Auth-Token"); tok != "" {
			tokens = append(tokens, tok)
		}
		if a := r.Header.Get("Authorization"); a != "" {
			signatures = append(signatures, a[strings.Index(a, "Signature=")+len("Signature="):])
		}
		b, _ := io.ReadAll(r.Body)
		switch {
		case strings.HasSuffix(r.URL.Path, "/tracing"):
			// a misbehaving service echoing the request back in an error
			fgsError(w, 400, "FSS.0400", "bad tracing config "+string(b)+" token="+r.Header.Get("X-Auth-Token"))
		case strings.Contains(r.URL.Path, "/fgs/triggers/"):
			writeJSON(w, 201, map[string]any{"trigger_id": "t-1", "trigger_type_code": "KAFKA"})
		case strings.HasSuffix(r.URL.Path, "/fgs/functions"):
			okFunction(w)
		default:
			echo := r.Header.Get("Authorization")
			if r.Header.Get("X-Auth-Token") != "" {
				echo = testPassword // a service echoing the caller's own password
			}
			fgsError(w, 403, "FSS.0403", "invalid token "+r.Header.Get("X-Auth-Token")+" "+echo)
		}
	})
	log := &captureLogger{}
	opts := f.passwordOptions()
	opts.Logger = log
	opts.MaxRetries = 1
	c, err := NewClient(opts)
	require.NoError(t, err)
	ctx := context.Background()
	var errs []string

	_, err = c.Functions.Create(ctx, &CreateFunctionRequest{FuncName: "hello", Package: "default", Runtime: "Python3.9", Handler: "index.handler",
		MemorySize: 128, Timeout: 30, CodeType: "inline", EncryptedUserData: encUserData, FuncCode: &FuncCode{File: strings.Repeat("UEsDB", 40)}})
	require.NoError(t, err)
	_, err = c.Triggers.Create(ctx, testURN+":latest", &CreateTriggerRequest{TriggerTypeCode: "KAFKA",
		EventData: map[string]any{"instance_id": "i", "kafka_user": "u", "kafka_password": kafkaPass, "nested": map[string]any{"db_password": extraSecret}}})
	require.NoError(t, err)
	err = c.Tracing.Put(ctx, testURN, &TracingConfig{TracingAK: "AK", TracingSK: tracingSK})
	require.Error(t, err)
	errs = append(errs, err.Error())
	_, err = c.Functions.GetConfig(ctx, testURN)
	require.Error(t, err)
	errs = append(errs, err.Error())

	// IAM with a wrong password
	bad := f.passwordOptions()
	bad.Password = "another-wrong-password"
	bad.Logger = log
	cb, err := NewClient(bad)
	require.NoError(t, err)
	_, err = cb.Quotas.List(ctx)
	require.Error(t, err)
	errs = append(errs, err.Error())

	// AK/SK client
	ak, err := NewClient(Options{AccessKey: testAK, SecretKey: testSK, SecurityToken: securityTok, ProjectID: testProjectID,
		Endpoint: f.srv.URL, Region: "eu-de", Logger: log, MaxRetries: -1})
	require.NoError(t, err)
	_, err = ak.Functions.GetConfig(ctx, testURN)
	require.Error(t, err)
	errs = append(errs, err.Error())

	require.NotEmpty(t, tokens)
	require.NotEmpty(t, signatures)
	logs := log.all()
	require.Contains(t, logs, "POST /v2/{project}/fgs/functions -> 200", "the log has the request lines")
	require.Contains(t, logs, "<redacted>")
	secrets := []string{testPassword, "another-wrong-password", encUserData, kafkaPass, tracingSK, extraSecret, testSK, securityTok}
	secrets = append(secrets, tokens...)
	secrets = append(secrets, signatures...)
	for _, s := range secrets {
		assert.NotContains(t, logs, s, "secret in logs")
		for _, e := range errs {
			assert.NotContains(t, e, s, "secret in error %q", e)
		}
	}
}

func TestRedactJSON(t *testing.T) {
	got := redactJSON([]byte(`{"a":1,"password":"p","x":{"tracing_sk":"s","list":[{"kafka_password":"k","ok":"v"}]},"encrypted_user_data":"","func_code":{"file":"` + strings.Repeat("A", 100) + `"}}`))
	assert.JSONEq(t, `{"a":1,"password":"<redacted>","x":{"tracing_sk":"<redacted>","list":[{"kafka_password":"<redacted>","ok":"v"}]},"encrypted_user_data":"","func_code":{"file":"<100 bytes>"}}`, got)
	assert.Equal(t, "<non-JSON body, 3 bytes>", redactJSON([]byte("abc")))
}

// The one rule for secret keys, used for log redaction and for what the provider never copies into state.
func TestIsSecretKey(t *testing.T) {
	secret := []string{
		"password", "Password", "kafka_password", "db_password", "passwd", "db_passwd", "DB_PASSWD", "pwd", "db_pwd",
		"sk", "tracing_sk", "app_sk", "tracingSk", "SK",
		"token", "auth_token", "security_token", "X-Auth-Token", "accessToken", "tokenValue",
		"private_key", "ssh_private_key", "privateKey", "PRIVATE_KEY",
		"secret", "secret_key", "client_secret", "api_key", "apiKey", "signature",
		"encrypted_user_data", "encrypted_use_r_data",
	}
	plain := []string{
		"name", "key", "value", "user_data", "access_key", "tracing_ak", "kafka_user", "instance_id", "topic_ids",
		"task", "disk", "skip", "ask", "desk_id", "description", "schedule", "passenger", "keyword", "",
	}
	for _, k := range secret {
		assert.True(t, IsSecretKey(k), "%q is secret", k)
	}
	for _, k := range plain {
		assert.False(t, IsSecretKey(k), "%q is not secret", k)
	}
}

// Every key IsSecretKey calls secret is redacted from a logged body, nested or not; the others are kept.
func TestRedactJSONUsesIsSecretKey(t *testing.T) {
	got := redactJSON([]byte(`{"event_data":{"db_passwd":"p1","app_sk":"p2","auth_token":"p3","ssh_private_key":"p4","task":"keep"}}`))
	assert.JSONEq(t, `{"event_data":{"db_passwd":"<redacted>","app_sk":"<redacted>","auth_token":"<redacted>","ssh_private_key":"<redacted>","task":"keep"}}`, got)
	values := secretValues([]byte(`{"a":{"db_passwd":"pass-1","app_sk":"pass-2"},"auth_token":"pass-3","ssh_private_key":"pass-4","task":"keep-this"}`))
	assert.Subset(t, values, []string{"pass-1", "pass-2", "pass-3", "pass-4"}, "the values scrubbed from error messages")
	for _, v := range values {
		assert.NotContains(t, []string{"keep-this", "a2VlcC10aGlz"}, v, "a plain value is not scrubbed, in no form")
	}
}
