package provider

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"gopkg.in/yaml.v3"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Config is the provider configuration (`fgs:*` keys). Every key is optional here: what is unset falls back
// to the OS_* environment variables and then to clouds.yaml, read in Configure. Env names are deliberately not
// wired with SetDefault: a default that reads the environment would make a changed environment replace
// the provider and every resource it manages.
type Config struct {
	Region        *string `pulumi:"region,optional"`
	ProjectID     *string `pulumi:"projectId,optional"`
	ProjectName   *string `pulumi:"projectName,optional"`
	DomainID      *string `pulumi:"domainId,optional"`
	DomainName    *string `pulumi:"domainName,optional"`
	UserID        *string `pulumi:"userId,optional"`
	UserName      *string `pulumi:"userName,optional"`
	Password      *string `pulumi:"password,optional" provider:"secret"`
	Token         *string `pulumi:"token,optional" provider:"secret"`
	AccessKey     *string `pulumi:"accessKey,optional"`
	SecretKey     *string `pulumi:"secretKey,optional" provider:"secret"`
	SecurityToken *string `pulumi:"securityToken,optional" provider:"secret"`
	AuthURL       *string `pulumi:"authUrl,optional"`
	Endpoint      *string `pulumi:"endpoint,optional"`
	Cloud         *string `pulumi:"cloud,optional"`
	Insecure      *bool   `pulumi:"insecure,optional"`
	CACertFile    *string `pulumi:"caCertFile,optional"`
	MaxRetries    *int    `pulumi:"maxRetries,optional"`
	// RequestTimeout is in seconds.
	RequestTimeout *int `pulumi:"requestTimeout,optional"`

	// conn is shared by every copy of the configuration that infer.GetConfig hands out.
	conn *connection
}

// infer finds these methods by their signatures and silently skips one whose signature is wrong (that is how
// the provider's Diff was lost once): the compiler checks them here.
var (
	_ infer.Annotated                    = (*Config)(nil)
	_ infer.CustomConfigure              = (*Config)(nil)
	_ infer.CustomDiff[*Config, *Config] = (*Config)(nil)
)

// connection holds the client options Configure resolved and the API client built from them on first use.
type connection struct {
	opts   fgs.Options
	once   sync.Once
	client *fgs.Client
	err    error
}

// clientFrom returns the FunctionGraph client of the configured provider, built once on first use.
func clientFrom(ctx context.Context) (*fgs.Client, error) {
	cfg := infer.GetConfig[Config](ctx)
	if cfg.conn == nil {
		return nil, fmt.Errorf("the fgs provider has not been configured")
	}
	conn := cfg.conn
	conn.once.Do(func() { conn.client, conn.err = fgs.NewClient(conn.opts) })
	return conn.client, conn.err
}

// providerLogger sends the client's (already redacted) request lines to the engine's debug log, attributed to
// the resource operation whose context made the request.
type providerLogger struct{}

func (providerLogger) DebugContext(ctx context.Context, msg string) { p.GetLogger(ctx).Debug(msg) }

// RetryStatus shows the client's retries to the user, as the status of the operation that is waiting for them.
func (providerLogger) RetryStatus(ctx context.Context, msg string) { p.GetLogger(ctx).InfoStatus(msg) }

// Debugf is for lines with no operation to belong to; they go to the plugin's own log.
func (providerLogger) Debugf(format string, args ...any) {
	p.GetLogger(context.Background()).Debugf(format, args...)
}

// Annotate describes the configuration keys.
func (c *Config) Annotate(a infer.Annotator) {
	a.Describe(&c.Region, "The region, for example `eu-de` or `eu-nl`. Falls back to OS_REGION_NAME.")
	a.Describe(&c.ProjectID, "The project ID. Falls back to OS_PROJECT_ID (OS_TENANT_ID). Learnt from IAM when only a project name is known.")
	a.Describe(&c.ProjectName, "The project name, for example `eu-de` or `eu-de_myproject`. Falls back to OS_PROJECT_NAME (OS_TENANT_NAME), then to the region.")
	a.Describe(&c.DomainID, "The ID of the account (domain) the user belongs to. Falls back to OS_DOMAIN_ID (OS_USER_DOMAIN_ID).")
	a.Describe(&c.DomainName, "The name of the account (domain) the user belongs to, for example `OTC-EU-DE-000000000010000XXXXX`. Falls back to OS_DOMAIN_NAME (OS_USER_DOMAIN_NAME).")
	a.Describe(&c.UserID, "The IAM user's ID, for password authentication. Falls back to OS_USER_ID.")
	a.Describe(&c.UserName, "The IAM user's name, for password authentication. Falls back to OS_USERNAME.")
	a.Describe(&c.Password, "The IAM user's password. Falls back to OS_PASSWORD.")
	a.Describe(&c.Token, "An IAM token to use instead of a password or AK/SK. Falls back to OS_TOKEN (OS_AUTH_TOKEN).")
	a.Describe(&c.AccessKey, "The access key (AK) for AK/SK request signing. Falls back to OS_ACCESS_KEY.")
	a.Describe(&c.SecretKey, "The secret key (SK) for AK/SK request signing. Falls back to OS_SECRET_KEY.")
	a.Describe(&c.SecurityToken, "The security token of temporary AK/SK credentials. Falls back to OS_SECURITY_TOKEN.")
	a.Describe(&c.AuthURL, "The IAM endpoint. Falls back to OS_AUTH_URL, then to `https://iam.{region}.otc.t-systems.com/v3` (`https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3` for eu-ch2).")
	a.Describe(&c.Endpoint, "The FunctionGraph endpoint, for example `http://127.0.0.1:8990` for the local emulator. Wins over the IAM catalog and the region's default. Falls back to FGS_ENDPOINT.")
	a.Describe(&c.Cloud, "An entry of clouds.yaml (merged with secure.yaml), searched in the current directory, ~/.config/openstack and /etc/openstack. Falls back to OS_CLOUD.")
	a.Describe(&c.Insecure, "Skips TLS certificate verification. Falls back to OS_INSECURE.")
	a.Describe(&c.CACertFile, "A PEM file of CA certificates to trust. Falls back to OS_CACERT.")
	a.Describe(&c.MaxRetries, fmt.Sprintf("How many times one request is retried on throttling, 5xx answers, timeouts and dropped connections "+
		"(a create only when that cannot make a second object), within %s per request and the operation's customTimeouts. Defaults to %d.",
		fgs.DefaultRetryBudget, fgs.DefaultMaxRetries))
	a.Describe(&c.RequestTimeout, fmt.Sprintf("The timeout of one HTTP attempt, in seconds (1 to 3600); a timed-out attempt is retried like a "+
		"dropped connection. Defaults to %d.", int(fgs.DefaultTimeout.Seconds())))
}

// Configure resolves the configuration and checks that it can authenticate. It makes no request: the
// client is built on first use, so that preview of a program with no resources needs no credentials check.
func (c *Config) Configure(ctx context.Context) error {
	opts, err := c.resolve(os.LookupEnv)
	if err != nil {
		return err
	}
	for _, w := range configWarnings(opts) {
		p.GetLogger(ctx).Warning(w)
	}
	c.conn = &connection{opts: *opts}
	return nil
}

// knownRegions are the regions of Open Telekom Cloud, where the endpoint defaults are known to hold.
var knownRegions = map[string]bool{"eu-de": true, "eu-nl": true, "eu-ch2": true}

// regionPattern is the shape of a region name ("eu-de", "ap-southeast-1"): it goes into host names.
var regionPattern = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)

// configWarnings: what is valid but probably a mistake. A region outside knownRegions may be another cloud's,
// so it is a warning, not an error; with an endpoint set, the region names no host and is not checked.
func configWarnings(s *fgs.Options) []string {
	if s.Endpoint == "" && s.Region != "" && regionPattern.MatchString(s.Region) && !knownRegions[s.Region] {
		return []string{fmt.Sprintf("fgs:region %q is not an Open Telekom Cloud region (%s): the default endpoints "+
			"https://functiongraph.%s.otc.t-systems.com and %s may not exist; set fgs:endpoint and fgs:authUrl if this is another cloud",
			s.Region, strings.Join(sortedKeys(knownRegions), ", "), s.Region, defaultAuthURL(s.Region))}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// urlProblem says why u is not an absolute http(s) URL, "" when it is.
func urlProblem(u string) string {
	pu, err := url.Parse(u)
	switch {
	case err != nil:
		return "it cannot be parsed"
	case pu.Scheme != "http" && pu.Scheme != "https":
		return "it must start with https:// (or http:// for a local emulator)"
	case pu.Host == "" || pu.Hostname() == "":
		return "it has no host"
	case pu.User != nil:
		return "it must not carry credentials"
	}
	return ""
}

// showURL shows a URL in an error, without anything that may be a credential.
func showURL(u string) string {
	if pu, err := url.Parse(u); err == nil && pu.User != nil {
		pu.User = nil
		return fmt.Sprintf("%q (credentials removed)", pu.String())
	}
	return fmt.Sprintf("%q", u)
}

// resolve merges the configuration with the environment and clouds.yaml (explicit keys, then environment, then
// clouds.yaml, then defaults) into the client's options, and validates the result.
func (c *Config) resolve(lookupEnv func(string) (string, bool)) (*fgs.Options, error) {
	env := func(names ...string) string {
		for _, n := range names {
			if v, ok := lookupEnv(n); ok && v != "" {
				return v
			}
		}
		return ""
	}
	pick := func(explicit *string, names ...string) string {
		if explicit != nil && *explicit != "" {
			return *explicit
		}
		return env(names...)
	}
	s := &fgs.Options{
		Region:        pick(c.Region, "OS_REGION_NAME"),
		ProjectID:     pick(c.ProjectID, "OS_PROJECT_ID", "OS_TENANT_ID"),
		ProjectName:   pick(c.ProjectName, "OS_PROJECT_NAME", "OS_TENANT_NAME"),
		DomainID:      pick(c.DomainID, "OS_DOMAIN_ID", "OS_USER_DOMAIN_ID"),
		DomainName:    pick(c.DomainName, "OS_DOMAIN_NAME", "OS_USER_DOMAIN_NAME"),
		UserID:        pick(c.UserID, "OS_USER_ID"),
		UserName:      pick(c.UserName, "OS_USERNAME"),
		Password:      pick(c.Password, "OS_PASSWORD"),
		Token:         pick(c.Token, "OS_TOKEN", "OS_AUTH_TOKEN"),
		AccessKey:     pick(c.AccessKey, "OS_ACCESS_KEY"),
		SecretKey:     pick(c.SecretKey, "OS_SECRET_KEY"),
		SecurityToken: pick(c.SecurityToken, "OS_SECURITY_TOKEN"),
		AuthURL:       pick(c.AuthURL, "OS_AUTH_URL"),
		Endpoint:      pick(c.Endpoint, "FGS_ENDPOINT"),
		CACertFile:    pick(c.CACertFile, "OS_CACERT"),

		Logger:           providerLogger{},
		OnRetry:          providerLogger{}.RetryStatus,
		UserAgentVersion: Version,
	}
	if c.Insecure != nil {
		s.Insecure = *c.Insecure
	} else if v := env("OS_INSECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("OS_INSECURE must be true or false, not %q", v)
		}
		s.Insecure = b
	}
	if c.MaxRetries != nil {
		if *c.MaxRetries < 0 || *c.MaxRetries > 50 {
			return nil, fmt.Errorf("fgs:maxRetries must be between 0 and 50, not %d", *c.MaxRetries)
		}
		s.MaxRetries = *c.MaxRetries
		if s.MaxRetries == 0 {
			s.MaxRetries = -1 // fgs.Options reads 0 as "the default"; the user asked for no retries
		}
	}
	if c.RequestTimeout != nil {
		if *c.RequestTimeout < 1 || *c.RequestTimeout > 3600 {
			return nil, fmt.Errorf("fgs:requestTimeout must be between 1 and 3600 seconds, not %d", *c.RequestTimeout)
		}
		s.Timeout = time.Duration(*c.RequestTimeout) * time.Second
	}
	if cloud := pick(c.Cloud, "OS_CLOUD"); cloud != "" {
		entry, err := loadCloud(cloud, lookupEnv)
		if err != nil {
			return nil, err
		}
		entry.fill(s)
	}
	if s.ProjectName == "" && s.ProjectID == "" {
		s.ProjectName = s.Region // OTC's default project in a region carries the region's name
	}
	if s.AuthURL == "" && s.Region != "" {
		s.AuthURL = defaultAuthURL(s.Region)
	}
	return s, validateOptions(s)
}

func defaultAuthURL(region string) string {
	if region == "eu-ch2" {
		return "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3"
	}
	return "https://iam." + region + ".otc.t-systems.com/v3"
}

// validate lists everything missing at once, naming keys and environment variables, never values.
func validateOptions(s *fgs.Options) error {
	var missing []string
	if s.Region == "" {
		missing = append(missing, "set fgs:region (or OS_REGION_NAME)")
	} else if s.Endpoint == "" && !regionPattern.MatchString(s.Region) {
		missing = append(missing, fmt.Sprintf("fgs:region (or OS_REGION_NAME) %q is not a region name such as eu-de or eu-nl", s.Region))
	}
	for _, u := range []struct{ key, value string }{{"fgs:endpoint (or FGS_ENDPOINT)", s.Endpoint}, {"fgs:authUrl (or OS_AUTH_URL)", s.AuthURL}} {
		if u.value == "" || (u.value == defaultAuthURL(s.Region) && s.Region != "") {
			continue // unset, or the region's default: the region's own check speaks for it
		}
		if why := urlProblem(u.value); why != "" {
			missing = append(missing, fmt.Sprintf("%s %s is not an absolute http(s) URL: %s", u.key, showURL(u.value), why))
		}
	}
	hasAKSK := s.AccessKey != "" || s.SecretKey != ""
	switch {
	case hasAKSK:
		if s.AccessKey == "" || s.SecretKey == "" {
			missing = append(missing, "set both fgs:accessKey and fgs:secretKey (or OS_ACCESS_KEY and OS_SECRET_KEY)")
		}
	case s.Token != "":
	case s.Password != "" || s.UserName != "" || s.UserID != "":
		if s.Password == "" {
			missing = append(missing, "set fgs:password (or OS_PASSWORD)")
		}
		if s.UserName == "" && s.UserID == "" {
			missing = append(missing, "set fgs:userName or fgs:userId (or OS_USERNAME or OS_USER_ID)")
		}
		if s.UserID == "" && s.DomainName == "" && s.DomainID == "" {
			missing = append(missing, "set fgs:domainName or fgs:domainId (or OS_DOMAIN_NAME or OS_DOMAIN_ID)")
		}
	default:
		missing = append(missing, "set credentials: fgs:accessKey and fgs:secretKey, or fgs:userName, fgs:password and fgs:domainName, "+
			"or fgs:token (or the OS_* environment variables, or fgs:cloud naming a clouds.yaml entry)")
	}
	if s.CACertFile != "" {
		if pemBytes, err := os.ReadFile(s.CACertFile); err != nil {
			missing = append(missing, fmt.Sprintf("fgs:caCertFile (or OS_CACERT) %q cannot be read", s.CACertFile))
		} else if !x509.NewCertPool().AppendCertsFromPEM(pemBytes) {
			missing = append(missing, fmt.Sprintf("fgs:caCertFile (or OS_CACERT) %q holds no PEM certificate "+
				"(a block starting with -----BEGIN CERTIFICATE-----)", s.CACertFile))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the fgs provider is not configured: %s", strings.Join(missing, "; "))
	}
	return nil
}

// cloudEntry is one entry of clouds.yaml / secure.yaml, in the form OpenStack tools and OTC's examples use.
type cloudEntry struct {
	RegionName string `yaml:"region_name"`
	Auth       struct {
		AuthURL           string `yaml:"auth_url"`
		Username          string `yaml:"username"`
		UserID            string `yaml:"user_id"`
		Password          string `yaml:"password"`
		Token             string `yaml:"token"`
		ProjectID         string `yaml:"project_id"`
		ProjectName       string `yaml:"project_name"`
		DomainID          string `yaml:"domain_id"`
		DomainName        string `yaml:"domain_name"`
		UserDomainID      string `yaml:"user_domain_id"`
		UserDomainName    string `yaml:"user_domain_name"`
		AK                string `yaml:"ak"`
		SK                string `yaml:"sk"`
		AccessKey         string `yaml:"access_key"`
		SecretKey         string `yaml:"secret_key"`
		SecurityToken     string `yaml:"security_token"`
		ProjectDomainName string `yaml:"project_domain_name"`
	} `yaml:"auth"`
	CACert   string `yaml:"cacert"`
	Verify   *bool  `yaml:"verify"`
	Endpoint string `yaml:"functiongraph_endpoint_override"`
}

// fill sets what the configuration and environment left empty.
func (e *cloudEntry) fill(s *fgs.Options) {
	set := func(dst *string, values ...string) {
		if *dst != "" {
			return
		}
		for _, v := range values {
			if v != "" {
				*dst = v
				return
			}
		}
	}
	a := e.Auth
	set(&s.Region, e.RegionName)
	set(&s.AuthURL, a.AuthURL)
	set(&s.UserName, a.Username)
	set(&s.UserID, a.UserID)
	set(&s.Password, a.Password)
	set(&s.Token, a.Token)
	set(&s.ProjectID, a.ProjectID)
	set(&s.ProjectName, a.ProjectName)
	set(&s.DomainID, a.UserDomainID, a.DomainID)
	set(&s.DomainName, a.UserDomainName, a.DomainName, a.ProjectDomainName)
	set(&s.AccessKey, a.AK, a.AccessKey)
	set(&s.SecretKey, a.SK, a.SecretKey)
	set(&s.SecurityToken, a.SecurityToken)
	set(&s.CACertFile, e.CACert)
	set(&s.Endpoint, e.Endpoint)
	if e.Verify != nil && !*e.Verify {
		s.Insecure = true
	}
}

// loadCloud finds the named entry in clouds.yaml and merges secure.yaml's entry of the same name over it.
func loadCloud(name string, lookupEnv func(string) (string, bool)) (*cloudEntry, error) {
	dirs := []string{"."}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".config", "openstack"))
	}
	dirs = append(dirs, "/etc/openstack")
	find := func(file, envName string) string {
		if v, ok := lookupEnv(envName); ok && v != "" {
			return v
		}
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, file)); err == nil {
				return filepath.Join(d, file)
			}
		}
		return ""
	}
	cloudsFile := find("clouds.yaml", "OS_CLIENT_CONFIG_FILE")
	if cloudsFile == "" {
		return nil, fmt.Errorf("fgs:cloud is %q but no clouds.yaml was found in %s", name, strings.Join(dirs, ", "))
	}
	merged := map[string]any{}
	for _, file := range []string{cloudsFile, find("secure.yaml", "OS_CLIENT_SECURE_FILE")} {
		if file == "" {
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		var doc struct {
			Clouds map[string]map[string]any `yaml:"clouds"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", file, err)
		}
		if entry, ok := doc.Clouds[name]; ok {
			deepMerge(merged, entry)
		} else if file == cloudsFile {
			names := make([]string, 0, len(doc.Clouds))
			for n := range doc.Clouds {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("fgs:cloud is %q but %s has no such cloud (it has: %s)", name, file, strings.Join(names, ", "))
		}
	}
	raw, err := yaml.Marshal(merged)
	if err != nil {
		return nil, err
	}
	var e cloudEntry
	if err := yaml.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("cloud %q: %w", name, err)
	}
	return &e, nil
}

func deepMerge(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				deepMerge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

// Diff makes any configuration change an update of the provider, never a replacement: rotating a password
// or pointing at another endpoint must not replace every function the provider manages.
//
// The provider is registered with *Config (Configure must set its connection), so infer looks for
// CustomDiff[*Config, *Config]: this exact signature, or infer silently falls back to replacing.
func (c *Config) Diff(ctx context.Context, req infer.DiffRequest[*Config, *Config]) (infer.DiffResponse, error) {
	olds, news := Config{}, Config{}
	if req.State != nil {
		olds = *req.State
	}
	if req.Inputs != nil {
		news = *req.Inputs
	}
	diff := diffInputs(olds, news, nil, nil)
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}
