package fgs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// reqSpec describes one API call. Every call of the package goes through
// Client.do, the single request path: URL building, auth (token header or
// AK/SK signature), JSON encoding and decoding, retries, logging, error mapping.
type reqSpec struct {
	method string
	// path is relative to {endpoint}/v2/{project_id} (e.g. "/fgs/functions/" + urn)
	// unless abs is set, then it is a complete URL (IAM calls).
	path  string
	abs   bool
	query url.Values
	body  any // marshalled to JSON; nil -> no body (POST/PUT send "{}")
	out   any // decoded from JSON when non-nil and the body is not empty/null
	// rawOut receives the undecoded body of the successful answer.
	rawOut *[]byte
	// stream is the code package a FuncCode.Source in body stands for, streamed into the body (body.go).
	stream CodeSource

	noAuth     bool              // IAM token requests
	headers    map[string]string // extra request headers
	respHeader *http.Header      // receives the response headers of the successful attempt
	// secretBody: the request body must never be logged (IAM password, token).
	secretBody bool

	// POST retry safety (retryHTTPCheck in retry.go). GET, PUT and DELETE are
	// retried on every retryable failure. A POST is resent blindly only when
	// the failure proves that it was not carried out (connection refused, 429).
	// After an ambiguous failure (connection dropped after sending, a timeout,
	// any 5xx) it is looked up first, if recover is set, and it is never resent
	// without one. recover looks for the object the request creates: nil when
	// there is none, else the object (filled into out) as an *AlreadyExistsError
	// whose Reason says why it is not this request's, "" when it is (ownership.go).
	// recover also turns the service's "already exists" answer into an
	// *AlreadyExistsError that names the object in the way.
	idempotent bool
	recover    func(ctx context.Context, w createWindow) (*AlreadyExistsError, error)

	// noRetry: a single attempt (best-effort lookups).
	noRetry bool

	// signOnly: with noAuth, still sign the request with AK/SK (IAM project lookup).
	signOnly bool

	// notFound reports answers that mean "not found" for this call although their code says otherwise:
	// a service's knowledge of its API's quirks (see TriggersService). Such an answer matches ErrNotFound.
	notFound func(*APIError) bool
}

type signCtxKey struct{}

type signInfo struct {
	projectID string
	signature string // set by preRequest, scrubbed from logs and errors
}

// preRequest runs inside resty right before the request is sent: it signs
// AK/SK requests (it sees the final URL, headers and body) and then adds the
// unsigned headers.
func (c *Client) preRequest(_ *resty.Client, r *http.Request) error {
	si, ok := r.Context().Value(signCtxKey{}).(*signInfo)
	if !ok {
		return nil
	}
	var body []byte
	if r.GetBody != nil {
		rc, err := r.GetBody()
		if err != nil {
			return err
		}
		body, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	if err := c.signer.Sign(r, body, c.now()); err != nil {
		return err
	}
	if a := r.Header.Get("Authorization"); strings.Contains(a, "Signature=") {
		si.signature = a[strings.LastIndex(a, "Signature=")+len("Signature="):]
	}
	if si.projectID != "" {
		r.Header.Set("X-Project-Id", si.projectID)
	}
	if c.opts.SecurityToken != "" {
		r.Header.Set("X-Security-Token", c.opts.SecurityToken)
	}
	return nil
}

// call is one request across its attempts.
type call struct {
	spec       reqSpec
	sess       *session // nil for noAuth requests
	body       []byte   // the body; with stream, the JSON that the debug log shows, the file as its size
	stream     *streamedBody
	secrets    []string // the secret values of body, scrubbed from logs and errors
	idempotent bool
	retries    int // retries allowed after the first attempt
	// mayHaveHappened: an earlier attempt may have been carried out (see retryHTTPCheck).
	mayHaveHappened bool
	start           time.Time // the first attempt's start, on the client's clock (Options.Now)
	deadline        time.Time // the end of the retry budget (Options.RetryBudget), shared with its lookups
	refreshed       bool      // the token was refreshed once after a 401
}

// do runs spec: one attempt, then as many retries as the policy of retry.go allows. Every call of the
// package goes through it.
func (c *Client) do(ctx context.Context, spec reqSpec) error {
	if ctx == nil {
		return fmt.Errorf("fgs: %s %s: %w", spec.method, spec.path, errNilContext)
	}
	cl, err := c.newCall(ctx, spec)
	if err != nil {
		return err
	}
	var lastErr error
	for attempt := 0; ; {
		if err := ctx.Err(); err != nil {
			if lastErr != nil {
				return fmt.Errorf("%w (gave up: %w)", lastErr, err)
			}
			return err
		}
		header, err := c.attempt(ctx, cl, attempt)
		if err == nil {
			return nil
		}
		lastErr = err
		if ctx.Err() != nil && !cl.idempotent && spec.recover != nil {
			return c.lookUpAfterCancel(ctx, cl, err)
		}
		if spec.method == http.MethodDelete && cl.mayHaveHappened && errors.Is(err, ErrNotFound) {
			_, logPath := c.requestURL(cl.sess, spec)
			c.debugf(ctx, "fgs: %s %s: gone after an ambiguous earlier attempt; the delete took effect", spec.method, logPath)
			return nil
		}
		if errors.Is(err, ErrConflict) && spec.recover != nil {
			return c.conflict(ctx, cl, err)
		}
		if c.mustRefreshToken(cl, err) {
			cl.refreshed = true
			if cl.sess, err = c.session(ctx, cl.sess); err != nil {
				return err
			}
			continue // the refresh retry does not use up the retry budget
		}
		action, mayHaveHappened := retryHTTPCheck(cl.idempotent, err)
		cl.mayHaveHappened = cl.mayHaveHappened || mayHaveHappened
		switch action {
		case retryStop:
			return err
		case retryLookUpFirst, retryLookUpOnly:
			if done, err := c.lookUp(ctx, cl, err); done {
				return err
			}
			if action == retryLookUpOnly {
				return err
			}
		}
		if attempt >= cl.retries {
			return err
		}
		wait, ok := c.retryHTTPBackoff(ctx, attempt, header)
		if !ok {
			return fmt.Errorf("%w (not retried: the next attempt, in %s, would be after the deadline: %w)",
				err, wait.Round(time.Millisecond), context.DeadlineExceeded)
		}
		if c.now().Add(wait).After(cl.deadline) {
			return fmt.Errorf("%w (not retried: the next attempt, in %s, would be after this request's retry budget of %s)",
				err, wait.Round(time.Millisecond), c.budget)
		}
		c.status(ctx, cl, fmt.Sprintf("retrying %s %s after %s, attempt %d in %s",
			spec.method, statusPath(spec), retryReason(err), attempt+2, wait.Round(time.Millisecond)))
		if !c.sleep(ctx.Done(), wait) {
			return fmt.Errorf("%w (gave up: %w)", err, ctx.Err())
		}
		attempt++
	}
}

// newCall authenticates (unless spec.noAuth) and encodes the body once for every attempt.
func (c *Client) newCall(ctx context.Context, spec reqSpec) (*call, error) {
	cl := &call{spec: spec, idempotent: spec.idempotent || spec.method != http.MethodPost, retries: c.maxRetries, start: c.now()}
	cl.deadline = cl.start.Add(c.budget)
	if parent, ok := ctx.Value(budgetKey{}).(time.Time); ok && parent.Before(cl.deadline) {
		cl.deadline = parent // a lookup spends the budget of the request it looks up for
	}
	if spec.noRetry {
		cl.retries = 0
	}
	if !spec.noAuth {
		var err error
		if cl.sess, err = c.session(ctx, nil); err != nil {
			return nil, err
		}
	}
	if spec.body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(spec.body); err != nil {
			return nil, fmt.Errorf("fgs: encoding %s %s request: %w", spec.method, spec.path, err)
		}
		cl.body = bytes.TrimRight(buf.Bytes(), "\n")
		if spec.stream != nil {
			var err error
			if cl.stream, cl.body, err = splitStream(spec.stream, cl.body); err != nil {
				return nil, err
			}
		}
	} else if spec.method == http.MethodPost || spec.method == http.MethodPut {
		cl.body = []byte("{}")
	}
	cl.secrets = secretValues(cl.body)
	return cl, nil
}

// attempt sends the request once. It returns nil once a 2xx answer is decoded into spec.out; otherwise an
// *APIError (with the answer's headers, for Retry-After), a *transportError when no answer came, the
// context's error when ctx ended the attempt, or a decoding error.
func (c *Client) attempt(ctx context.Context, cl *call, attempt int) (http.Header, error) {
	spec := cl.spec
	fullURL, logPath := c.requestURL(cl.sess, spec)
	r := c.http.R().SetHeader("Content-Type", "application/json").SetHeader("Accept", "application/json")
	for k, v := range spec.headers {
		r.SetHeader(k, v)
	}
	rctx := ctx
	if cl.stream != nil {
		var release func()
		var err error
		if rctx, release, err = cl.stream.set(rctx, r, c.kind == authAKSK); err != nil {
			return nil, err
		}
		defer release()
	} else if cl.body != nil {
		r.SetBody(cl.body)
	}
	si := &signInfo{}
	if spec.noAuth && spec.signOnly && c.kind == authAKSK {
		rctx = context.WithValue(rctx, signCtxKey{}, si)
	}
	if !spec.noAuth {
		switch c.kind {
		case authAKSK:
			si.projectID = cl.sess.projectID
			rctx = context.WithValue(rctx, signCtxKey{}, si)
		default:
			r.SetHeader("X-Auth-Token", cl.sess.token)
		}
	}
	r.SetContext(rctx)

	start := time.Now()
	resp, herr := r.Execute(spec.method, fullURL)
	dur := time.Since(start).Round(time.Millisecond)
	secrets := cl.secrets
	if si.signature != "" {
		secrets = append(append([]string(nil), cl.secrets...), si.signature)
	}
	attempts := cl.retries + 1

	if herr != nil {
		if ctx.Err() != nil {
			c.debugfWith(ctx, secrets, "fgs: %s %s -> canceled after %s (attempt %d/%d)", spec.method, logPath, dur, attempt+1, attempts)
			return nil, fmt.Errorf("fgs: %s %s: %w", spec.method, logPath, ctx.Err())
		}
		c.debugfWith(ctx, secrets, "fgs: %s %s -> transport error after %s (attempt %d/%d): %v", spec.method, logPath, dur, attempt+1, attempts, herr)
		return nil, &transportError{msg: fmt.Sprintf("fgs: %s %s: %s", spec.method, logPath, c.scrubWith(herr.Error(), secrets)), err: herr}
	}

	c.logResponse(ctx, spec, logPath, resp, dur, attempt, attempts, cl.body, secrets)
	c.noteServerTime(resp.Header())
	if status := resp.StatusCode(); status >= 200 && status < 300 {
		if spec.respHeader != nil {
			*spec.respHeader = resp.Header()
		}
		if spec.rawOut != nil {
			*spec.rawOut = resp.Body()
		}
		return nil, decodeBody(resp.Body(), spec.out, spec.method, logPath)
	}
	return resp.Header(), c.newAPIError(spec, logPath, resp, secrets)
}

// mustRefreshToken: a 401 to a token this client obtained itself earns one new token and one more attempt.
func (c *Client) mustRefreshToken(cl *call, err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized &&
		!cl.spec.noAuth && c.kind == authToken && !cl.refreshed && c.canRefresh()
}

// lookUp runs spec.recover after an ambiguous failure (cause) of a non-idempotent request. done: the call
// ends with err (nil: the object is this request's and was adopted). Not done: nothing was created.
func (c *Client) lookUp(ctx context.Context, cl *call, cause error) (done bool, err error) {
	spec := cl.spec
	if spec.recover == nil {
		return true, cause
	}
	c.status(ctx, cl, fmt.Sprintf("%s %s failed after %s, which does not prove that nothing was created: looking it up",
		spec.method, statusPath(spec), retryReason(cause)))
	found, rerr := spec.recover(context.WithValue(ctx, budgetKey{}, cl.deadline), c.window(cl))
	switch {
	case rerr != nil:
		return true, fmt.Errorf("%w (and looking up whether the request took effect failed: %w)", cause, rerr)
	case found == nil:
		return false, nil
	case found.Reason == "":
		c.debugf(ctx, "fgs: %s %s failed ambiguously, but this request's object exists (%s); treating as success", spec.method, spec.path, found.ImportID)
		return true, nil
	}
	found.Err = cause
	return true, found
}

// cancelLookupGrace bounds the lookup after the operation's context ended during a create.
const cancelLookupGrace = 30 * time.Second

// lookUpAfterCancel: the operation's context ended (cancelled, or past its deadline) while a create was on the
// wire, so the service may have carried it out. A short lookup, detached from the ended context, adopts this
// request's object rather than leave it behind unrecorded; the call still fails if there is none.
func (c *Client) lookUpAfterCancel(ctx context.Context, cl *call, cause error) error {
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelLookupGrace)
	defer cancel()
	if done, err := c.lookUp(lctx, cl, cause); done {
		return err
	}
	return cause
}

// conflict handles the service's "already exists" answer to a create. After an ambiguous earlier attempt
// the object may be this request's: adopted if it is. Otherwise the answer becomes an *AlreadyExistsError
// naming the object in the way (the service's answer when the lookup finds nothing or fails).
func (c *Client) conflict(ctx context.Context, cl *call, cause error) error {
	w := c.window(cl)
	w.closed = !cl.mayHaveHappened
	found, rerr := cl.spec.recover(context.WithValue(ctx, budgetKey{}, cl.deadline), w)
	switch {
	case rerr != nil || found == nil:
		return cause
	case found.Reason == "":
		c.debugf(ctx, "fgs: %s %s: already exists, created by an earlier attempt of this request (%s)", cl.spec.method, cl.spec.path, found.ImportID)
		return nil
	}
	found.Err = cause
	return found
}

// window is the time window of cl on the service's clock (learnt from the Date headers of its answers).
func (c *Client) window(cl *call) createWindow {
	skew, known := c.serverSkew()
	slack := 5 * time.Minute // the service's clock is unknown: allow for a clock that is off by minutes
	if known {
		// A Date header is exact to the second; the rest allows for the service's hosts not agreeing on
		// the time to the second, while an object made a little earlier (another stack's) stays outside.
		slack = 5 * time.Second
	}
	return createWindow{from: cl.start.Add(skew), to: c.now().Add(skew), slack: slack}
}

// serverSkew is how far the service's clock is ahead of the client's, from the last Date header seen.
func (c *Client) serverSkew() (time.Duration, bool) {
	return time.Duration(c.skew.Load()), c.skewKnown.Load()
}

func (c *Client) noteServerTime(h http.Header) {
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		c.skew.Store(int64(d.Sub(c.now())))
		c.skewKnown.Store(true)
	}
}

// budgetKey carries a request's retry deadline into the requests of its lookup.
type budgetKey struct{}

// status tells Options.OnRetry, redacted.
func (c *Client) status(ctx context.Context, cl *call, msg string) {
	if c.opts.OnRetry != nil {
		c.opts.OnRetry(ctx, c.scrubWith(msg, cl.secrets))
	}
}

// statusPath is the request's path for the user: relative to the project ("/fgs/functions"), or the IAM path.
func statusPath(spec reqSpec) string {
	if spec.abs {
		if u, err := url.Parse(spec.path); err == nil {
			return u.Path
		}
	}
	return spec.path
}

// transportError is a network-level failure (no HTTP answer).
type transportError struct {
	msg string
	err error
}

func (e *transportError) Error() string { return e.msg }
func (e *transportError) Unwrap() error { return e.err }

func (c *Client) requestURL(sess *session, spec reqSpec) (full, logPath string) {
	if spec.abs {
		full = spec.path
		if u, err := url.Parse(spec.path); err == nil {
			logPath = u.Path
		} else {
			logPath = spec.path
		}
	} else {
		full = sess.endpoint + "/v2/" + sess.projectID + spec.path
		logPath = "/v2/{project}" + spec.path
	}
	if len(spec.query) > 0 {
		sep := "?"
		if strings.Contains(full, "?") {
			sep = "&"
		}
		full += sep + spec.query.Encode()
	}
	return full, logPath
}

func decodeBody(raw []byte, out any, method, path string) error {
	if out == nil {
		return nil
	}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil
	}
	if err := json.Unmarshal(t, out); err != nil {
		return fmt.Errorf("fgs: decoding the answer to %s %s: %w", method, path, err)
	}
	return nil
}

func (c *Client) newAPIError(spec reqSpec, logPath string, resp *resty.Response, secrets []string) *APIError {
	code, msg := parseErrorBody(resp.Body())
	h := resp.Header()
	rid := h.Get("X-Request-Id")
	if rid == "" {
		rid = h.Get("X-Cff-Request-Id")
	}
	if rid == "" {
		rid = h.Get("X-Openstack-Request-Id")
	}
	if msg == "" && code == "" {
		msg = http.StatusText(resp.StatusCode())
	}
	svc := ""
	if spec.abs {
		svc = "IAM"
	}
	e := &APIError{
		service:   svc,
		Status:    resp.StatusCode(),
		Code:      code,
		Message:   c.scrubWith(msg, secrets),
		RequestID: rid,
		Method:    spec.method,
		Path:      logPath,
	}
	e.notFoundForCall = spec.notFound != nil && spec.notFound(e)
	return e
}

func (c *Client) logResponse(ctx context.Context, spec reqSpec, logPath string, resp *resty.Response, dur time.Duration, attempt, attempts int, reqBody []byte, secrets []string) {
	if c.log == nil {
		return
	}
	extra := ""
	if resp.StatusCode() >= 300 {
		code, msg := parseErrorBody(resp.Body())
		extra = " " + strings.TrimSpace(code+" "+msg)
	}
	b := ""
	if len(reqBody) > 0 && string(reqBody) != "{}" {
		if spec.secretBody {
			b = " body=<redacted>"
		} else {
			b = " body=" + redactJSON(reqBody)
		}
	}
	if len(spec.query) > 0 {
		logPath += "?" + spec.query.Encode()
	}
	c.debugfWith(ctx, secrets, "fgs: %s %s -> %d in %s (attempt %d/%d)%s%s", spec.method, logPath, resp.StatusCode(), dur, attempt+1, attempts, extra, b)
}
