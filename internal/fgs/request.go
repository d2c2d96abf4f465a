package fgs

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
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

	noAuth     bool              // IAM token requests
	headers    map[string]string // extra request headers
	respHeader *http.Header      // receives the response headers of the successful attempt
	// secretBody: the request body must never be logged (IAM password, token).
	secretBody bool

	// POST retry safety (see doc.go "Retries"). GET, PUT and DELETE are
	// retried on every retryable failure. A POST is retried blindly only when
	// the failure proves that it was not carried out (connection refused, 429,
	// 503). After an ambiguous failure (connection dropped after sending, 500,
	// 502, 504) the POST is retried only if recover is set: recover looks the
	// object up; if it exists (found=true, and recover filled out) the call
	// succeeds, otherwise the POST is sent again.
	idempotent bool
	recover    func(ctx context.Context) (found bool, err error)

	// noRetry: a single attempt (best-effort lookups).
	noRetry bool

	// signOnly: with noAuth, still sign the request with AK/SK (IAM project lookup).
	signOnly bool

	// triggerGone: a final 500 FSS.0500 / 401 FSS.0401 means "trigger gone".
	triggerGone bool
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

func (c *Client) do(ctx context.Context, spec reqSpec) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var sess *session
	var err error
	if !spec.noAuth {
		if sess, err = c.session(ctx, nil); err != nil {
			return err
		}
	}

	var body []byte
	if spec.body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(spec.body); err != nil {
			return fmt.Errorf("fgs: encoding %s %s request: %w", spec.method, spec.path, err)
		}
		body = bytes.TrimRight(buf.Bytes(), "\n")
	} else if spec.method == http.MethodPost || spec.method == http.MethodPut {
		body = []byte("{}")
	}
	idempotent := spec.idempotent || spec.method != http.MethodPost
	reqSecrets := secretValues(body)

	refreshed := false
	// ambiguous: an earlier attempt may have been carried out (connection
	// dropped after sending, 500/502/504). A DELETE that then answers "not
	// found" has done its job.
	ambiguousBefore := false
	var lastErr error
	maxRetries := c.maxRetries
	if spec.noRetry {
		maxRetries = 0
	}
	for attempt := 0; attempt <= maxRetries; attempt++ {
		if err := ctx.Err(); err != nil {
			if lastErr != nil {
				return fmt.Errorf("%w (gave up: %w)", lastErr, err)
			}
			return err
		}
		fullURL, logPath := c.requestURL(sess, spec)
		r := c.http.R().SetHeader("Content-Type", "application/json").SetHeader("Accept", "application/json")
		for k, v := range spec.headers {
			r.SetHeader(k, v)
		}
		if body != nil {
			r.SetBody(body)
		}
		rctx := ctx
		si := &signInfo{}
		if spec.noAuth && spec.signOnly && c.kind == authAKSK {
			rctx = context.WithValue(ctx, signCtxKey{}, si)
		}
		if !spec.noAuth {
			switch c.kind {
			case authAKSK:
				si.projectID = sess.projectID
				rctx = context.WithValue(ctx, signCtxKey{}, si)
			default:
				r.SetHeader("X-Auth-Token", sess.token)
			}
		}
		r.SetContext(rctx)

		start := time.Now()
		resp, herr := r.Execute(spec.method, fullURL)
		dur := time.Since(start).Round(time.Millisecond)
		secrets := reqSecrets
		if si.signature != "" {
			secrets = append(append([]string(nil), reqSecrets...), si.signature)
		}

		if herr != nil {
			if ctx.Err() != nil {
				c.debugfWith(ctx, secrets, "fgs: %s %s -> canceled after %s (attempt %d/%d)", spec.method, logPath, dur, attempt+1, maxRetries+1)
				return fmt.Errorf("fgs: %s %s: %w", spec.method, logPath, ctx.Err())
			}
			c.debugfWith(ctx, secrets, "fgs: %s %s -> transport error after %s (attempt %d/%d): %v", spec.method, logPath, dur, attempt+1, maxRetries+1, herr)
			lastErr = fmt.Errorf("fgs: %s %s: %s", spec.method, logPath, c.scrubWith(herr.Error(), secrets))
			lastErr = &transportError{msg: lastErr.Error(), err: herr}
			notSent := isNotSentError(herr)
			if isPermanentTransportError(herr) || (!notSent && !isRetryableTransportError(herr)) {
				return lastErr
			}
			if !notSent {
				ambiguousBefore = true
			}
			if !notSent && !idempotent {
				found, done, rerr := c.tryRecover(ctx, spec, lastErr)
				if done {
					if found {
						return nil
					}
					return rerr
				}
			}
			if attempt < maxRetries && !c.sleep(ctx.Done(), c.backoff(attempt)) {
				return fmt.Errorf("%w (gave up: %w)", lastErr, ctx.Err())
			}
			continue
		}

		status := resp.StatusCode()
		raw := resp.Body()
		c.logResponse(ctx, spec, logPath, resp, dur, attempt, maxRetries+1, body, secrets)

		if status >= 200 && status < 300 {
			if spec.respHeader != nil {
				*spec.respHeader = resp.Header()
			}
			if spec.rawOut != nil {
				*spec.rawOut = raw
			}
			return decodeBody(raw, spec.out, spec.method, logPath)
		}

		apiErr := c.newAPIError(spec, logPath, resp, secrets)
		lastErr = apiErr
		if spec.method == http.MethodDelete && ambiguousBefore && errors.Is(c.finalAPIError(spec, apiErr), ErrNotFound) {
			c.debugf(ctx, "fgs: %s %s: gone after an ambiguous earlier attempt; the delete took effect", spec.method, logPath)
			return nil
		}

		if status == http.StatusUnauthorized && !spec.noAuth && c.kind == authToken && !refreshed && c.canRefresh() {
			refreshed = true
			ns, serr := c.session(ctx, sess)
			if serr != nil {
				return serr
			}
			sess = ns
			attempt-- // the refresh retry does not use up the retry budget
			continue
		}

		retry, ambiguous := retryableStatus(status, apiErr.Code)
		if !retry {
			return c.finalAPIError(spec, apiErr)
		}
		if ambiguous {
			ambiguousBefore = true
		}
		if ambiguous && !idempotent {
			found, done, rerr := c.tryRecover(ctx, spec, apiErr)
			if done {
				if found {
					return nil
				}
				if rerr == error(apiErr) {
					return c.finalAPIError(spec, apiErr)
				}
				return rerr
			}
		}
		if attempt < maxRetries {
			wait := c.backoff(attempt)
			if ra, ok := parseRetryAfter(resp.Header().Get("Retry-After"), c.now()); ok {
				wait = min(ra, c.maxRetryAfter)
			}
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
				// Waiting would outlive the caller's deadline: give up now.
				return fmt.Errorf("%w (not retried: the next attempt, in %s, would be after the deadline: %w)",
					c.finalAPIError(spec, apiErr), wait.Round(time.Millisecond), context.DeadlineExceeded)
			}
			if !c.sleep(ctx.Done(), wait) {
				return fmt.Errorf("%w (gave up: %w)", apiErr, ctx.Err())
			}
		}
	}
	var ae *APIError
	if errors.As(lastErr, &ae) {
		return c.finalAPIError(spec, ae)
	}
	return lastErr
}

// tryRecover handles an ambiguous failure of a non-idempotent request.
// done=false means "retry the request"; done=true ends the call with found
// (success) or err.
func (c *Client) tryRecover(ctx context.Context, spec reqSpec, cause error) (found, done bool, err error) {
	if spec.recover == nil {
		return false, true, cause
	}
	found, rerr := spec.recover(ctx)
	if rerr != nil {
		return false, true, fmt.Errorf("%w (and looking up whether the request took effect failed: %v)", cause, rerr)
	}
	if found {
		c.debugf(ctx, "fgs: %s %s failed ambiguously but the object exists; treating as success", spec.method, spec.path)
		return true, true, nil
	}
	return false, false, nil
}

func (c *Client) finalAPIError(spec reqSpec, e *APIError) error {
	if spec.triggerGone && ((e.Status == 500 && e.Code == "FSS.0500") || (e.Status == 401 && e.Code == "FSS.0401")) {
		e.triggerGone = true
	}
	return e
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
	return &APIError{
		service:   svc,
		Status:    resp.StatusCode(),
		Code:      code,
		Message:   c.scrubWith(msg, secrets),
		RequestID: rid,
		Method:    spec.method,
		Path:      logPath,
	}
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

// retryableStatus: retry says whether the answer may be retried at all;
// ambiguous says whether a non-idempotent request may have been carried out.
func retryableStatus(status int, code string) (retry, ambiguous bool) {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true, false
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return true, true
	case http.StatusInternalServerError:
		if code == "FSS.0500" || code == "FSS.1162" {
			return true, true
		}
	}
	return false, false
}

// backoff: exponential with full jitter.
func (c *Client) backoff(attempt int) time.Duration {
	ceil := c.baseDelay << min(attempt, 30)
	if ceil <= 0 || ceil > c.maxDelay {
		ceil = c.maxDelay
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// parseRetryAfter reads delta-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// isPermanentTransportError: retrying cannot help (unknown host, TLS trust).
func isPermanentTransportError(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return true
	}
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// isNotSentError: the request certainly did not reach the server.
func isNotSentError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// isRetryableTransportError: resets, EOF, broken pipes, timeouts.
func isRetryableTransportError(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "EOF") || strings.Contains(s, "broken pipe") ||
		strings.Contains(s, "server closed") || strings.Contains(s, "connection refused")
}
