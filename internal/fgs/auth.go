package fgs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// session is what the client learned from authentication: the token (token
// auth only), its expiry, the project id and the FunctionGraph endpoint root.
type session struct {
	token     string
	expiresAt time.Time // zero: unknown / never (given token, AK/SK)
	refreshAt time.Time // when to fetch a new token (zero: never)
	projectID string
	endpoint  string
}

type sessionFlight struct {
	done chan struct{}
	s    *session
	err  error
}

func (c *Client) currentToken() string {
	c.sessMu.Lock()
	defer c.sessMu.Unlock()
	if c.sess == nil {
		return ""
	}
	return c.sess.token
}

// canRefresh: a 401 can be cured by fetching a new token only when the client
// has a password (a given token cannot be renewed).
func (c *Client) canRefresh() bool { return c.opts.Password != "" }

// session returns the cached session, loading it when missing or about to
// expire. stale != nil forces a reload unless another goroutine has already
// replaced stale. Concurrent callers share one load (one IAM call).
func (c *Client) session(ctx context.Context, stale *session) (*session, error) {
	if ctx == nil {
		return nil, fmt.Errorf("fgs: authenticating: %w", errNilContext)
	}
	c.sessMu.Lock()
	if s := c.sess; s != nil && (stale == nil || s != stale) && c.fresh(s) {
		c.sessMu.Unlock()
		return s, nil
	}
	f := c.inflight
	if f == nil {
		f = &sessionFlight{done: make(chan struct{})}
		c.inflight = f
		// The load runs detached from the first caller's ctx so that its
		// cancellation does not fail the other waiters; it is bounded by the
		// HTTP timeout and the retry limit.
		go func(lctx context.Context) {
			s, err := c.loadSession(lctx)
			c.sessMu.Lock()
			if err == nil {
				c.sess = s
			}
			c.inflight = nil
			c.sessMu.Unlock()
			f.s, f.err = s, err
			close(f.done)
		}(context.WithoutCancel(ctx))
	}
	c.sessMu.Unlock()
	select {
	case <-f.done:
		return f.s, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *Client) fresh(s *session) bool {
	if s.refreshAt.IsZero() {
		return true
	}
	return c.now().Before(s.refreshAt)
}

// setExpiry records the expiry and schedules the refresh TokenRefreshMargin
// before it, but never earlier than half-way through the token's life (so
// that short-lived tokens are not fetched again on every request).
func (c *Client) setExpiry(s *session, issued, expires time.Time) {
	s.expiresAt = expires
	s.refreshAt = expires.Add(-c.margin)
	if half := issued.Add(expires.Sub(issued) / 2); s.refreshAt.Before(half) {
		s.refreshAt = half
	}
}

func (c *Client) authURL() string {
	u := strings.TrimRight(c.opts.AuthURL, "/")
	if u == "" {
		u = "https://iam." + c.opts.Region + ".otc.t-systems.com/v3"
	}
	if !strings.HasSuffix(u, "/v3") {
		u += "/v3"
	}
	return u
}

func (c *Client) loadSession(ctx context.Context) (*session, error) {
	switch {
	case c.kind == authAKSK:
		return c.loadAKSKSession(ctx)
	case c.opts.Password != "":
		return c.issueToken(ctx, true)
	default: // given token
		if c.opts.ProjectID != "" && (c.opts.Endpoint != "" || c.opts.Region != "") {
			return &session{token: c.opts.Token, projectID: c.opts.ProjectID, endpoint: c.fallbackEndpoint()}, nil
		}
		if c.opts.AuthURL == "" && c.opts.Region == "" {
			return nil, fmt.Errorf("fgs: a token without a project id needs an auth URL or a region to look the project up")
		}
		s, err := c.issueToken(ctx, false)
		if err != nil {
			return nil, err
		}
		// Keep using the given token: the one IAM handed back is equivalent, but
		// the user gave us this one.
		s.token = c.opts.Token
		s.expiresAt, s.refreshAt = time.Time{}, time.Time{}
		return s, nil
	}
}

func (c *Client) fallbackEndpoint() string {
	if c.opts.Endpoint != "" {
		return normaliseEndpoint(c.opts.Endpoint)
	}
	return "https://functiongraph." + c.opts.Region + ".otc.t-systems.com"
}

// normaliseEndpoint strips a trailing slash and any "/v2/<project_id>..." (or
// "/v2") suffix, leaving the endpoint root.
func normaliseEndpoint(u string) string {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	if i := strings.Index(u, "/v2/"); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimSuffix(u, "/v2")
	return strings.TrimRight(u, "/")
}

type iamScope struct {
	Project *iamProjectRef `json:"project,omitempty"`
}

type iamProjectRef struct {
	ID     string     `json:"id,omitempty"`
	Name   string     `json:"name,omitempty"`
	Domain *iamDomain `json:"domain,omitempty"`
}

type iamDomain struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

type iamAuthRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User struct {
					ID       string     `json:"id,omitempty"`
					Name     string     `json:"name,omitempty"`
					Password string     `json:"password"`
					Domain   *iamDomain `json:"domain,omitempty"`
				} `json:"user"`
			} `json:"password,omitempty"`
			Token *struct {
				ID string `json:"id"`
			} `json:"token,omitempty"`
		} `json:"identity"`
		Scope *iamScope `json:"scope,omitempty"`
	} `json:"auth"`
}

// CatalogEntry is one service of the IAM token catalog.
type CatalogEntry struct {
	Type      string            `json:"type"`
	Name      string            `json:"name"`
	ID        string            `json:"id"`
	Endpoints []CatalogEndpoint `json:"endpoints"`
}

// CatalogEndpoint is one endpoint of a catalog entry.
type CatalogEndpoint struct {
	Region    string `json:"region"`
	RegionID  string `json:"region_id"`
	Interface string `json:"interface"`
	URL       string `json:"url"`
}

type iamTokenResponse struct {
	Token struct {
		ExpiresAt string   `json:"expires_at"`
		Methods   []string `json:"methods"`
		Project   *struct {
			ID     string     `json:"id"`
			Name   string     `json:"name"`
			Domain *iamDomain `json:"domain"`
		} `json:"project"`
		Catalog []CatalogEntry `json:"catalog"`
	} `json:"token"`
}

func (c *Client) projectScope() *iamScope {
	switch {
	case c.opts.ProjectID != "":
		return &iamScope{Project: &iamProjectRef{ID: c.opts.ProjectID}}
	case c.opts.ProjectName != "" || c.opts.Region != "":
		name := c.opts.ProjectName
		if name == "" {
			name = c.opts.Region
		}
		p := &iamProjectRef{Name: name}
		switch {
		case c.opts.DomainID != "":
			p.Domain = &iamDomain{ID: c.opts.DomainID}
		case c.opts.DomainName != "":
			p.Domain = &iamDomain{Name: c.opts.DomainName}
		}
		return &iamScope{Project: p}
	}
	return nil
}

// issueToken calls POST {authURL}/auth/tokens with the password method
// (password=true) or the token method, scoped to the project.
func (c *Client) issueToken(ctx context.Context, password bool) (*session, error) {
	var body iamAuthRequest
	if password {
		body.Auth.Identity.Methods = []string{"password"}
		pw := &body.Auth.Identity.Password
		*pw = &struct {
			User struct {
				ID       string     `json:"id,omitempty"`
				Name     string     `json:"name,omitempty"`
				Password string     `json:"password"`
				Domain   *iamDomain `json:"domain,omitempty"`
			} `json:"user"`
		}{}
		u := &(*pw).User
		u.Password = c.opts.Password
		if c.opts.UserID != "" {
			u.ID = c.opts.UserID
		} else {
			u.Name = c.opts.UserName
			if c.opts.DomainID != "" {
				u.Domain = &iamDomain{ID: c.opts.DomainID}
			} else {
				u.Domain = &iamDomain{Name: c.opts.DomainName}
			}
		}
	} else {
		body.Auth.Identity.Methods = []string{"token"}
		body.Auth.Identity.Token = &struct {
			ID string `json:"id"`
		}{ID: c.opts.Token}
	}
	body.Auth.Scope = c.projectScope()
	if body.Auth.Scope == nil {
		return nil, fmt.Errorf("fgs: token authentication needs a project id, a project name or a region")
	}

	var out iamTokenResponse
	var hdr http.Header
	spec := reqSpec{
		method: http.MethodPost, path: c.authURL() + "/auth/tokens", abs: true, noAuth: true,
		body: &body, out: &out, respHeader: &hdr, secretBody: true,
		idempotent: true, // issuing a token has no side effect worth guarding
	}
	if !password {
		spec.headers = map[string]string{"X-Auth-Token": c.opts.Token}
	}
	if err := c.do(ctx, spec); err != nil {
		return nil, fmt.Errorf("fgs: IAM authentication failed: %w", err)
	}
	tok := hdr.Get("X-Subject-Token")
	if tok == "" {
		return nil, errors.New("fgs: IAM answered without an X-Subject-Token header")
	}
	s := &session{token: tok}
	issued := c.now()
	if t, err := time.Parse(time.RFC3339Nano, out.Token.ExpiresAt); err == nil {
		c.setExpiry(s, issued, t)
	} else {
		c.setExpiry(s, issued, issued.Add(24*time.Hour)) // tokens last 24 h
	}
	s.projectID = c.opts.ProjectID
	if s.projectID == "" && out.Token.Project != nil {
		s.projectID = out.Token.Project.ID
	}
	if s.projectID == "" {
		return nil, errors.New("fgs: the IAM token carries no project; set a project id or name")
	}
	if c.opts.Endpoint != "" {
		s.endpoint = normaliseEndpoint(c.opts.Endpoint)
	} else if ep := FindEndpoint(out.Token.Catalog, c.opts.Region); ep != "" {
		s.endpoint = ep
	} else if c.opts.Region != "" {
		s.endpoint = c.fallbackEndpoint()
	} else {
		return nil, errors.New("fgs: no FunctionGraph endpoint in the IAM catalog; set a region or an endpoint")
	}
	c.debugf(ctx, "fgs: authenticated with IAM (project %s, endpoint %s, token expires %s)", s.projectID, s.endpoint, s.expiresAt.Format(time.RFC3339))
	return s, nil
}

// FindEndpoint returns the public FunctionGraph endpoint root for region in an
// IAM catalog ("" when there is none). With an empty region the first public
// FunctionGraph endpoint is taken.
func FindEndpoint(catalog []CatalogEntry, region string) string {
	for _, e := range catalog {
		if !strings.EqualFold(e.Type, "functiongraph") && !strings.EqualFold(e.Name, "functiongraph") {
			continue
		}
		for _, ep := range e.Endpoints {
			if ep.Interface != "" && !strings.EqualFold(ep.Interface, "public") {
				continue
			}
			if region != "" && ep.Region != region && ep.RegionID != region {
				continue
			}
			if ep.URL == "" {
				continue
			}
			return normaliseEndpoint(ep.URL)
		}
	}
	return ""
}

func (c *Client) loadAKSKSession(ctx context.Context) (*session, error) {
	s := &session{projectID: c.opts.ProjectID, endpoint: c.fallbackEndpoint()}
	if c.opts.Endpoint == "" && c.opts.AuthURL != "" {
		// Best effort: the signed catalog may name the regional endpoint; on
		// any failure the region fallback stays.
		var cat struct {
			Catalog []CatalogEntry `json:"catalog"`
		}
		err := c.do(ctx, reqSpec{method: http.MethodGet, path: c.authURL() + "/auth/catalog", abs: true, out: &cat,
			noAuth: true, signOnly: true, noRetry: true})
		if ep := FindEndpoint(cat.Catalog, c.opts.Region); err == nil && ep != "" {
			s.endpoint = ep
		} else if err != nil {
			c.debugf(ctx, "fgs: IAM catalog not available with AK/SK (%v); using %s", err, s.endpoint)
		}
	}
	if s.projectID != "" {
		return s, nil
	}
	name := c.opts.ProjectName
	if name == "" {
		name = c.opts.Region
	}
	if name == "" {
		return nil, errors.New("fgs: AK/SK authentication needs a project id or a project name")
	}
	var out struct {
		Projects []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"projects"`
	}
	q := url.Values{"name": {name}}
	err := c.do(ctx, reqSpec{
		method: http.MethodGet, path: c.authURL() + "/projects", abs: true, query: q, out: &out,
		// signed, but without X-Project-Id (the project is what we are looking for)
		noAuth: true, signOnly: true,
	})
	if err != nil {
		return nil, fmt.Errorf("fgs: looking up project %q: %w", name, err)
	}
	for _, p := range out.Projects {
		if p.Name == name {
			s.projectID = p.ID
			return s, nil
		}
	}
	return nil, fmt.Errorf("fgs: project %q not found in IAM", name)
}
