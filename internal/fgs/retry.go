package fgs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The retry policy of Client.do, in two parts (see doc.go "Retries"): retryHTTPCheck decides whether a failed
// attempt is sent again, retryHTTPBackoff how long to wait first.

// retryAction is what retryHTTPCheck concludes about a failed attempt.
type retryAction int

const (
	// retryStop: the failure is the call's answer.
	retryStop retryAction = iota
	// retryResend: send the request again after the backoff. Safe because the request is idempotent, or
	// because the failure proves that nothing was carried out.
	retryResend
	// retryLookUpFirst: a non-idempotent request may have been carried out. Look the object up first
	// (reqSpec.recover): if it exists the call succeeded; only if it does not is the request sent again.
	retryLookUpFirst
	// retryLookUpOnly: a non-idempotent request may have been carried out, and the answer is not one to
	// resend on (a 5xx with a code that means the request itself is at fault). Look the object up; if it is
	// not there the answer is the call's error.
	retryLookUpOnly
)

// retryHTTPCheck classifies the error of one attempt (an *APIError, a *transportError, or anything else, which
// is final). mayHaveHappened reports that the attempt may have been carried out although it failed (the
// connection dropped after sending, a timeout, any 5xx): a DELETE that later answers "not found" has then
// done its job.
//
// A POST is resent blindly only when the failure proves that nothing happened: the connection was refused
// (never sent), 429. A 5xx proves nothing: a gateway or the service may answer 503 after the write committed.
// After an ambiguous failure a POST is looked up first; an idempotent request is resent.
func retryHTTPCheck(idempotent bool, err error) (action retryAction, mayHaveHappened bool) {
	var ae *APIError
	var te *transportError
	switch {
	case errors.As(err, &ae):
		retry, ambiguous := retryableStatus(ae.Status, ae.Code)
		if !retry {
			if !idempotent && ambiguous {
				return retryLookUpOnly, true
			}
			return retryStop, false
		}
		mayHaveHappened = ambiguous
	case errors.As(err, &te):
		switch {
		case isPermanentTransportError(te.err):
			return retryStop, false
		case isNotSentError(te.err):
			return retryResend, false
		case !isRetryableTransportError(te.err):
			return retryStop, false
		}
		mayHaveHappened = true
	default:
		return retryStop, false
	}
	if mayHaveHappened && !idempotent {
		return retryLookUpFirst, true
	}
	return retryResend, mayHaveHappened
}

// retryHTTPBackoff returns the wait before retry number attempt+1: exponential with full jitter,
// rand[0, min(RetryMaxDelay, RetryBaseDelay*2^attempt)], unless the answer's Retry-After (header, nil without
// an answer) says otherwise: then Retry-After, capped at MaxRetryAfter, plus a jitter of up to a quarter of
// it and RetryBaseDelay (at most RetryMaxDelay). ok is false when the wait would end after ctx's deadline: the
// caller gives up now instead of sleeping into a certain failure.
func (c *Client) retryHTTPBackoff(ctx context.Context, attempt int, header http.Header) (wait time.Duration, ok bool) {
	ceil := c.baseDelay << min(attempt, 30)
	if ceil <= 0 || ceil > c.maxDelay {
		ceil = c.maxDelay
	}
	wait = time.Duration(rand.Int64N(int64(ceil) + 1))
	if ra, ok := parseRetryAfter(header.Get("Retry-After"), c.now()); ok {
		// Jitter on top, so that the requests the server turned away together do not all come back together.
		ra = min(ra, c.maxRetryAfter)
		spread := min(ra/4+c.baseDelay, c.maxDelay)
		wait = ra + time.Duration(rand.Int64N(int64(spread)+1))
	}
	if dl, has := ctx.Deadline(); has && time.Until(dl) < wait {
		return wait, false
	}
	return wait, true
}

// retryableStatus: retry says whether the answer may be retried at all; ambiguous says whether a
// non-idempotent request may have been carried out (every 5xx: only 429 proves that nothing happened).
func retryableStatus(status int, code string) (retry, ambiguous bool) {
	switch {
	case status == http.StatusTooManyRequests:
		return true, false
	case status == http.StatusServiceUnavailable, status == http.StatusBadGateway, status == http.StatusGatewayTimeout:
		return true, true
	case status == http.StatusInternalServerError && (code == "FSS.0500" || code == "FSS.1162"):
		return true, true
	case status >= 500:
		return false, true
	}
	return false, false
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

// retryReason names a failed attempt for the user: "429", "503 FSS.0503", "a dropped connection", "a timeout".
func retryReason(err error) string {
	var ae *APIError
	var te *transportError
	switch {
	case errors.As(err, &ae):
		return strings.TrimSpace(strconv.Itoa(ae.Status) + " " + ae.Code)
	case errors.As(err, &te):
		var ne net.Error
		switch {
		case errors.As(te.err, &ne) && ne.Timeout():
			return "a timeout"
		case isNotSentError(te.err):
			return "a refused connection"
		}
		return "a dropped connection"
	}
	return "an error"
}
