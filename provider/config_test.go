package provider

import (
	"bytes"
	"context"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func ptr[T any](v T) *T { return &v }

func TestConfigFallsBackToEnvironment(t *testing.T) {
	s, err := (&Config{}).resolve(envOf(map[string]string{
		"OS_REGION_NAME": "eu-nl", "OS_USERNAME": "u", "OS_PASSWORD": "secret-pw", "OS_USER_DOMAIN_NAME": "dom",
		"OS_TENANT_NAME": "eu-nl_proj", "OS_INSECURE": "true", "FGS_ENDPOINT": "http://127.0.0.1:1",
	}))
	require.NoError(t, err)
	assert.Equal(t, "eu-nl", s.Region)
	assert.Equal(t, "eu-nl_proj", s.ProjectName)
	assert.Equal(t, "dom", s.DomainName)
	assert.True(t, s.Insecure)
	assert.Equal(t, "https://iam.eu-nl.otc.t-systems.com/v3", s.AuthURL)
	assert.Equal(t, "http://127.0.0.1:1", s.Endpoint)
	assert.Equal(t, 0, s.MaxRetries, "unset: the client's default")
	assert.Zero(t, s.Timeout, "unset: the client's default")
	assert.NotNil(t, s.OnRetry, "retries are shown to the user")
}

func TestExplicitConfigWinsOverEnvironment(t *testing.T) {
	c := &Config{Region: ptr("eu-ch2"), AccessKey: ptr("AK"), SecretKey: ptr("SK"), MaxRetries: ptr(2)}
	s, err := c.resolve(envOf(map[string]string{"OS_REGION_NAME": "eu-de", "OS_ACCESS_KEY": "other"}))
	require.NoError(t, err)
	assert.Equal(t, "eu-ch2", s.Region)
	assert.Equal(t, "AK", s.AccessKey)
	assert.Equal(t, "eu-ch2", s.ProjectName, "the region's default project")
	assert.Equal(t, "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3", s.AuthURL)
	assert.Equal(t, 2, s.MaxRetries)

	s, err = (&Config{Region: ptr("eu-de"), Token: ptr("tok"), RequestTimeout: ptr(90)}).resolve(envOf(nil))
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, s.Timeout)
}

// fgs.Options reads MaxRetries 0 as "the default" and a negative count as "none": fgs:maxRetries 0 means none.
func TestConfigMaxRetriesZeroMeansNoRetries(t *testing.T) {
	opts, err := (&Config{Region: ptr("eu-de"), Token: ptr("tok"), MaxRetries: ptr(0)}).resolve(envOf(nil))
	require.NoError(t, err)
	assert.Equal(t, -1, opts.MaxRetries)
	assert.Equal(t, providerLogger{}, opts.Logger, "the client's request lines go to the engine")
}

func TestConfigListsEverythingMissingWithoutSecrets(t *testing.T) {
	_, err := (&Config{}).resolve(envOf(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fgs:region")
	assert.Contains(t, err.Error(), "fgs:accessKey and fgs:secretKey, or fgs:userName, fgs:password and fgs:domainName")

	_, err = (&Config{Region: ptr("eu-de"), UserName: ptr("u"), Password: ptr("hunter2-secret")}).resolve(envOf(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fgs:domainName or fgs:domainId")
	assert.NotContains(t, err.Error(), "hunter2-secret")

	_, err = (&Config{Region: ptr("eu-de"), SecretKey: ptr("sk-secret-value")}).resolve(envOf(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "both fgs:accessKey and fgs:secretKey")
	assert.NotContains(t, err.Error(), "sk-secret-value")

	_, err = (&Config{Region: ptr("eu-de"), Token: ptr("tok"), MaxRetries: ptr(99)}).resolve(envOf(nil))
	assert.ErrorContains(t, err, "fgs:maxRetries must be between 0 and 50")

	_, err = (&Config{Region: ptr("eu-de"), Token: ptr("tok"), RequestTimeout: ptr(0)}).resolve(envOf(nil))
	assert.ErrorContains(t, err, "fgs:requestTimeout must be between 1 and 3600 seconds, not 0")

	_, err = (&Config{Region: ptr("eu-de"), Token: ptr("tok")}).resolve(envOf(map[string]string{"OS_INSECURE": "maybe"}))
	assert.ErrorContains(t, err, "OS_INSECURE")
}

func TestConfigReadsCloudsYAMLMergedWithSecureYAML(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clouds.yaml"), []byte(`
clouds:
  otc:
    region_name: eu-de
    auth:
      auth_url: https://iam.example/v3
      username: cloud-user
      user_domain_name: OTC-EU-DE-1
      project_name: eu-de_team
  other:
    region_name: eu-nl
`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secure.yaml"), []byte(`
clouds:
  otc:
    auth:
      password: from-secure-yaml
`), 0o600))
	env := envOf(map[string]string{
		"OS_CLOUD":              "otc",
		"OS_CLIENT_CONFIG_FILE": filepath.Join(dir, "clouds.yaml"),
		"OS_CLIENT_SECURE_FILE": filepath.Join(dir, "secure.yaml"),
		"OS_USERNAME":           "env-user",
	})
	s, err := (&Config{}).resolve(env)
	require.NoError(t, err)
	assert.Equal(t, "env-user", s.UserName, "the environment wins over clouds.yaml")
	assert.Equal(t, "from-secure-yaml", s.Password)
	assert.Equal(t, "OTC-EU-DE-1", s.DomainName)
	assert.Equal(t, "eu-de_team", s.ProjectName)
	assert.Equal(t, "https://iam.example/v3", s.AuthURL)

	_, err = (&Config{Cloud: ptr("missing")}).resolve(env)
	assert.ErrorContains(t, err, `has no such cloud (it has: otc, other)`)
}

func TestConfigChangeUpdatesAndNeverReplaces(t *testing.T) {
	c := &Config{}
	resp, err := c.Diff(context.Background(), infer.DiffRequest[*Config, *Config]{
		State:  &Config{Region: ptr("eu-de"), Password: ptr("old"), Endpoint: ptr("http://a")},
		Inputs: &Config{Region: ptr("eu-de"), Password: ptr("new"), Endpoint: ptr("http://b")},
	})
	require.NoError(t, err)
	assert.True(t, resp.HasChanges)
	assert.False(t, resp.DeleteBeforeReplace)
	assert.Equal(t, map[string]p.PropertyDiff{
		"password": {Kind: p.Update, InputDiff: true},
		"endpoint": {Kind: p.Update, InputDiff: true},
	}, resp.DetailedDiff)

	resp, err = c.Diff(context.Background(), infer.DiffRequest[*Config, *Config]{
		State: &Config{Region: ptr("eu-de")}, Inputs: &Config{Region: ptr("eu-de")},
	})
	require.NoError(t, err)
	assert.False(t, resp.HasChanges)
}

// Through the provider server, as the engine calls it: a changed key updates the provider, never replaces it.
func TestProviderConfigChangeIsAnUpdateThroughTheServer(t *testing.T) {
	c := newTestCloud(t)
	olds := props(map[string]any{"region": "eu-de", "maxRetries": 2, "endpoint": c.url})
	news := props(map[string]any{"region": "eu-de", "maxRetries": 3, "endpoint": c.url})
	resp, err := c.server.DiffConfig(p.DiffRequest{Urn: urnOf("Function", "x"), State: olds, OldInputs: olds, Inputs: news})
	require.NoError(t, err)
	assert.True(t, resp.HasChanges)
	assert.False(t, resp.DeleteBeforeReplace)
	for k, d := range resp.DetailedDiff {
		assert.NotContains(t, string(d.Kind), "replace", "%s would replace the provider", k)
	}
	assert.Contains(t, resp.DetailedDiff, "maxRetries")
}

// The client's retry messages reach the user as the operation's status, at info level (without an engine,
// pulumi-go-provider writes them to slog, marked as status).
func TestRetryMessagesAreInfoStatus(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	opts, err := (&Config{Region: ptr("eu-de"), Token: ptr("tok")}).resolve(envOf(nil))
	require.NoError(t, err)
	opts.OnRetry(context.Background(), "retrying POST /fgs/functions after 429, attempt 3 in 1s")
	assert.Contains(t, buf.String(), `level=INFO msg="retrying POST /fgs/functions after 429, attempt 3 in 1s"`)
	assert.Contains(t, buf.String(), "kind=status")
}

// Bad configuration is refused with the key at fault and the reason, before any request.
func TestConfigRefusesMalformedValues(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.crt")
	require.NoError(t, os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o600))
	base := func() *Config { return &Config{Region: ptr("eu-de"), Token: ptr("tok")} }
	cases := []struct {
		name   string
		change func(c *Config)
		want   string
	}{
		{"endpoint without scheme", func(c *Config) { c.Endpoint = ptr("functiongraph.eu-de.otc.t-systems.com") },
			`fgs:endpoint (or FGS_ENDPOINT) "functiongraph.eu-de.otc.t-systems.com" is not an absolute http(s) URL: it must start with https://`},
		{"endpoint of another scheme", func(c *Config) { c.Endpoint = ptr("ftp://example.com") }, `fgs:endpoint (or FGS_ENDPOINT) "ftp://example.com" is not an absolute http(s) URL`},
		{"endpoint without host", func(c *Config) { c.Endpoint = ptr("https://") }, "is not an absolute http(s) URL: it has no host"},
		{"endpoint that does not parse", func(c *Config) { c.Endpoint = ptr("https://exa mple.com") }, "is not an absolute http(s) URL: it cannot be parsed"},
		{"authUrl without scheme", func(c *Config) { c.AuthURL = ptr("iam.eu-de.otc.t-systems.com/v3") },
			`fgs:authUrl (or OS_AUTH_URL) "iam.eu-de.otc.t-systems.com/v3" is not an absolute http(s) URL`},
		{"authUrl with credentials", func(c *Config) { c.AuthURL = ptr("https://user:hunter2-pw@iam.example/v3") },
			`fgs:authUrl (or OS_AUTH_URL) "https://iam.example/v3" (credentials removed) is not an absolute http(s) URL: it must not carry credentials`},
		{"malformed region", func(c *Config) { c.Region = ptr("EU DE") }, `fgs:region (or OS_REGION_NAME) "EU DE" is not a region name such as eu-de or eu-nl`},
		{"region with an underscore", func(c *Config) { c.Region = ptr("eu_de") }, `fgs:region (or OS_REGION_NAME) "eu_de" is not a region name`},
		{"caCertFile that is not PEM", func(c *Config) { c.CACertFile = ptr(notPEM) }, `fgs:caCertFile (or OS_CACERT) "` + notPEM + `" holds no PEM certificate`},
		{"caCertFile that does not exist", func(c *Config) { c.CACertFile = ptr(filepath.Join(dir, "missing.pem")) }, "cannot be read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.change(c)
			_, err := c.resolve(envOf(nil))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "hunter2-pw")
			assert.NotContains(t, err.Error(), "; ", "one problem, one message (none for the region's default IAM URL)")
		})
	}
	_, err := (&Config{Region: ptr("eu-de"), Token: ptr("tok")}).resolve(envOf(map[string]string{"FGS_ENDPOINT": "localhost:8990"}))
	assert.ErrorContains(t, err, `fgs:endpoint (or FGS_ENDPOINT) "localhost:8990" is not an absolute http(s) URL`, "from the environment too")
}

func TestConfigAcceptsGoodValuesAndWarnsOfUnknownRegions(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	for _, region := range []string{"eu-de", "eu-nl", "eu-ch2"} {
		opts, err := (&Config{Region: ptr(region), Token: ptr("tok"), CACertFile: ptr(caFile)}).resolve(envOf(nil))
		require.NoError(t, err, region)
		assert.Empty(t, configWarnings(opts), region)
	}
	opts, err := (&Config{Region: ptr("ap-southeast-1"), Token: ptr("tok")}).resolve(envOf(nil))
	require.NoError(t, err, "a well-formed region of another cloud is not an error")
	require.Len(t, configWarnings(opts), 1)
	assert.Contains(t, configWarnings(opts)[0], `fgs:region "ap-southeast-1" is not an Open Telekom Cloud region (eu-ch2, eu-de, eu-nl)`)

	opts, err = (&Config{Region: ptr("local"), Token: ptr("tok"), Endpoint: ptr("http://127.0.0.1:8990")}).resolve(envOf(nil))
	require.NoError(t, err, "with an endpoint the region names no host")
	assert.Empty(t, configWarnings(opts))
}

// Through the provider server: a bad endpoint fails Configure, and not one request reaches the service.
func TestBadConfigFailsBeforeAnyRequest(t *testing.T) {
	c := newTestCloud(t)
	prov, err := New()
	require.NoError(t, err)
	server, err := integration.NewServer(context.Background(), Name, semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	err = server.Configure(p.ConfigureRequest{Args: property.NewMap(map[string]property.Value{
		"region":   property.New(c.cfg.Region),
		"token":    property.New("tok").WithSecret(true),
		"authUrl":  property.New(c.url + "/v3"),
		"endpoint": property.New(strings.TrimPrefix(c.url, "http://")),
	})})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fgs:endpoint (or FGS_ENDPOINT)")
	assert.Empty(t, c.em.Counts(), "no request, not even to IAM")
}
