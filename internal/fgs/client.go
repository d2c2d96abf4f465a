package fgs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
)

// Logger receives one debug line per HTTP attempt. Secrets are redacted before
// they reach it.
type Logger interface {
	Debugf(format string, args ...any)
}

// ContextLogger is a Logger that can also attribute a line to the call it belongs to: a Pulumi provider sends it
// to the engine as part of the operation on the resource the request was made for.
type ContextLogger interface {
	Logger
	DebugContext(ctx context.Context, msg string)
}

// Options configure a Client. Exactly one credential kind is used, in this
// order of preference: AccessKey+SecretKey, Password (with UserName or UserID),
// Token.
type Options struct {
	// Region, e.g. "eu-de". Used for the catalog lookup, the endpoint fallback
	// https://functiongraph.{region}.otc.t-systems.com, the IAM fallback
	// https://iam.{region}.otc.t-systems.com/v3 and, when neither ProjectID nor
	// ProjectName is set, as the project name (OTC projects are named after regions).
	Region string
	// AuthURL is the IAM (Keystone v3) endpoint, e.g. https://iam.eu-de.otc.t-systems.com/v3.
	// "/v3" is appended when missing.
	AuthURL string
	// Endpoint overrides the FunctionGraph endpoint root (the client appends
	// /v2/{project_id}); it wins over the catalog and the region fallback.
	Endpoint string

	ProjectID   string
	ProjectName string
	DomainID    string
	DomainName  string

	UserID   string
	UserName string
	Password string
	// Token is an existing IAM token. Used directly when no password is given.
	Token string

	AccessKey     string
	SecretKey     string
	SecurityToken string // temporary AK/SK

	Insecure   bool   // skip TLS verification
	CACertFile string // extra PEM CA bundle
	// HTTPClient replaces the underlying *http.Client (transport injection for
	// tests). It is copied, never modified; Insecure and CACertFile do not apply to it.
	HTTPClient *http.Client

	// Now is the clock (signing, token expiry). Default time.Now.
	Now func() time.Time

	// MaxRetries is the number of retries per request after the first attempt.
	// 0 means the default, DefaultMaxRetries; a negative value disables retries.
	MaxRetries int
	// RetryBudget is the time one request may take across its attempts and
	// waits: no retry is started that would end its wait after it. A lookup
	// after an ambiguous failure spends the same budget. Default 5 minutes; the
	// operation's context deadline still wins.
	RetryBudget time.Duration
	// RetryBaseDelay / RetryMaxDelay shape the exponential backoff with full
	// jitter: sleep = rand[0, min(max, base*2^attempt)). Defaults 200ms / 10s.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// MaxRetryAfter caps a server's Retry-After. Default 2 minutes.
	MaxRetryAfter time.Duration
	// OnRetry, when set, is told about every retry before its wait, and about
	// every lookup after an ambiguous failure, in a line for the user
	// ("retrying POST /fgs/functions after 429, attempt 3 in 1.2s"), with the
	// context of the request (the operation it belongs to). Secrets are
	// redacted before it.
	OnRetry func(ctx context.Context, msg string)
	// TokenRefreshMargin: refresh a cached token this long before it expires.
	// Default 5 minutes.
	TokenRefreshMargin time.Duration
	// Timeout of one HTTP attempt. Default 60 seconds (a 50 MB code upload
	// needs about 7 Mbit/s), or HTTPClient.Timeout when set; ctx still wins.
	Timeout time.Duration

	Logger           Logger
	UserAgentVersion string
}

// The defaults of Options. DefaultMaxRetries holds under heavy faults: with 40% of the attempts failing
// (30% 429, 10% 503) a request fails after 21 attempts with probability 0.4^21, about 4e-9 (retry_faults_test.go).
const (
	DefaultMaxRetries  = 20
	DefaultRetryBudget = 5 * time.Minute
	DefaultTimeout     = 60 * time.Second
)

type authKind int

const (
	authToken authKind = iota + 1 // password or given token
	authAKSK
)

// Client talks to FunctionGraph. It is safe for concurrent use.
type Client struct {
	opts   Options
	http   *resty.Client
	log    Logger
	now    func() time.Time
	kind   authKind
	signer Signer

	maxRetries    int
	budget        time.Duration
	baseDelay     time.Duration
	maxDelay      time.Duration
	maxRetryAfter time.Duration
	margin        time.Duration
	sleep         func(ctxDone <-chan struct{}, d time.Duration) bool

	// skew: how far the service's clock is ahead of ours (nanoseconds), from its answers' Date headers.
	skew      atomic.Int64
	skewKnown atomic.Bool

	sessMu   sync.Mutex
	sess     *session
	inflight *sessionFlight

	secrets []string // the credentials in every wire form (secretForms), scrubbed from logs and error messages

	Functions         *FunctionsService
	Versions          *VersionsService
	Aliases           *AliasesService
	Triggers          *TriggersService
	Tags              *TagsService
	TestEvents        *TestEventsService
	AsyncConfig       *AsyncConfigService
	ReservedInstances *ReservedInstancesService
	Dependencies      *DependenciesService
	Tracing           *TracingService
	Invocations       *InvocationsService
	Quotas            *QuotasService
}

type service struct{ c *Client }

// NewClient checks the options and builds a client. It does not call the
// network: authentication, project and endpoint resolution happen on the first
// request (and are cached for the client's lifetime).
func NewClient(opts Options) (*Client, error) {
	c := &Client{opts: opts, log: opts.Logger, now: opts.Now}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case opts.AccessKey != "" || opts.SecretKey != "":
		if opts.AccessKey == "" || opts.SecretKey == "" {
			return nil, fmt.Errorf("fgs: AK/SK authentication needs both an access key and a secret key")
		}
		c.kind = authAKSK
		c.signer = Signer{AccessKey: opts.AccessKey, SecretKey: opts.SecretKey}
	case opts.Password != "":
		if opts.UserName == "" && opts.UserID == "" {
			return nil, fmt.Errorf("fgs: password authentication needs a user name or a user id")
		}
		if opts.UserID == "" && opts.DomainName == "" && opts.DomainID == "" {
			return nil, fmt.Errorf("fgs: password authentication with a user name needs a domain name or domain id")
		}
		c.kind = authToken
	case opts.Token != "":
		c.kind = authToken
	default:
		return nil, fmt.Errorf("fgs: no credentials: set an access key and secret key, a user name and password, or a token")
	}
	if opts.Endpoint == "" && opts.Region == "" && c.kind == authAKSK {
		return nil, fmt.Errorf("fgs: AK/SK authentication needs an endpoint or a region")
	}
	if opts.AuthURL == "" && opts.Region == "" && (c.kind == authToken && opts.Password != "") {
		return nil, fmt.Errorf("fgs: password authentication needs an auth URL or a region")
	}

	c.maxRetries = opts.MaxRetries
	if c.maxRetries == 0 {
		c.maxRetries = DefaultMaxRetries
	} else if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	c.budget = durOr(opts.RetryBudget, DefaultRetryBudget)
	c.baseDelay = durOr(opts.RetryBaseDelay, 200*time.Millisecond)
	c.maxDelay = durOr(opts.RetryMaxDelay, 10*time.Second)
	c.maxRetryAfter = durOr(opts.MaxRetryAfter, 2*time.Minute)
	c.margin = durOr(opts.TokenRefreshMargin, 5*time.Minute)
	c.sleep = sleepCtx

	c.secrets = secretForms(opts.Password, opts.Token, opts.SecretKey, opts.SecurityToken)

	var rc *resty.Client
	if opts.HTTPClient != nil {
		hc := *opts.HTTPClient // resty sets the timeout on it: do not mutate the caller's client
		rc = resty.NewWithClient(&hc)
	} else {
		rc = resty.New()
		tlsCfg := &tls.Config{InsecureSkipVerify: opts.Insecure} //nolint:gosec // opt-in by the user
		if opts.CACertFile != "" {
			pem, err := os.ReadFile(opts.CACertFile)
			if err != nil {
				return nil, fmt.Errorf("fgs: reading CA certificate file: %w", err)
			}
			pool, _ := x509.SystemCertPool()
			if pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("fgs: no PEM certificate found in %s", opts.CACertFile)
			}
			tlsCfg.RootCAs = pool
		}
		rc.SetTLSClientConfig(tlsCfg)
	}
	ua := "pulumi-fgs"
	if opts.UserAgentVersion != "" {
		ua += "/" + strings.TrimPrefix(opts.UserAgentVersion, "v")
	}
	rc.SetHeader("User-Agent", ua)
	rc.SetRetryCount(0)
	rc.SetDisableWarn(true)
	rc.SetLogger(discardLogger{})
	timeout := durOr(opts.Timeout, DefaultTimeout)
	if opts.Timeout == 0 && opts.HTTPClient != nil && opts.HTTPClient.Timeout > 0 {
		timeout = opts.HTTPClient.Timeout
	}
	rc.SetTimeout(timeout)
	rc.SetPreRequestHook(c.preRequest)
	streamThrough(rc) // code uploads stream (body.go)
	c.http = rc

	s := &service{c}
	c.Functions = (*FunctionsService)(s)
	c.Versions = (*VersionsService)(s)
	c.Aliases = (*AliasesService)(s)
	c.Triggers = (*TriggersService)(s)
	c.Tags = (*TagsService)(s)
	c.TestEvents = (*TestEventsService)(s)
	c.AsyncConfig = (*AsyncConfigService)(s)
	c.ReservedInstances = (*ReservedInstancesService)(s)
	c.Dependencies = (*DependenciesService)(s)
	c.Tracing = (*TracingService)(s)
	c.Invocations = (*InvocationsService)(s)
	c.Quotas = (*QuotasService)(s)
	return c, nil
}

func durOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func sleepCtx(done <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...interface{}) {}
func (discardLogger) Warnf(string, ...interface{})  {}
func (discardLogger) Debugf(string, ...interface{}) {}

func (c *Client) debugf(ctx context.Context, format string, args ...any) {
	c.debugfWith(ctx, nil, format, args...)
}

func (c *Client) debugfWith(ctx context.Context, extra []string, format string, args ...any) {
	if c.log == nil {
		return
	}
	msg := c.scrubWith(fmt.Sprintf(format, args...), extra)
	if cl, ok := c.log.(ContextLogger); ok && ctx != nil {
		cl.DebugContext(ctx, msg)
		return
	}
	c.log.Debugf("%s", msg)
}

// scrub removes this client's secrets from s (defence in depth: nothing should
// put them there in the first place).
func (c *Client) scrub(s string) string { return c.scrubWith(s, nil) }

// scrubWith also removes extra, the secrets of the current request (secret
// values of its body in their wire forms, its signature). Longer secrets go
// first, so that a shorter one cannot leave part of a longer one behind.
func (c *Client) scrubWith(s string, extra []string) string {
	all := make([]string, 0, len(extra)+len(c.secrets)+40)
	all = append(append(all, extra...), c.secrets...)
	if tok := c.currentToken(); tok != "" {
		all = append(all, secretForms(tok)...)
	}
	sort.SliceStable(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	for _, sec := range all {
		if len(sec) >= minSecretLen && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// ProjectID returns the project id, resolving it (and authenticating) if needed.
func (c *Client) ProjectID(ctx context.Context) (string, error) {
	s, err := c.session(ctx, nil)
	if err != nil {
		return "", err
	}
	return s.projectID, nil
}

// Endpoint returns the FunctionGraph endpoint root in use (without /v2/...).
func (c *Client) Endpoint(ctx context.Context) (string, error) {
	s, err := c.session(ctx, nil)
	if err != nil {
		return "", err
	}
	return s.endpoint, nil
}

// Region returns the configured region.
func (c *Client) Region() string { return c.opts.Region }
