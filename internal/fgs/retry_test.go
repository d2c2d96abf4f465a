package fgs

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testURN = "urn:fss:eu-de:" + testProjectID + ":function:default:hello"

// tokenClient builds a client with a given token against f (no IAM calls).
func tokenClient(t *testing.T, f *fakeCloud, mod ...func(*Options)) *Client {
	opts := Options{Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: f.srv.URL,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 4 * time.Millisecond}
	for _, m := range mod {
		m(&opts)
	}
	c, err := NewClient(opts)
	require.NoError(t, err)
	return c
}

func okFunction(w http.ResponseWriter) {
	writeJSON(w, 200, map[string]any{"func_urn": testURN + ":latest", "func_name": "hello", "package": "default",
		"memory_size": 128, "timeout": "30", "code_size": "247", "user_data": `{"a":"b"}`, "strategy_config": map[string]any{"concurrency": -1}})
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "3")
			fgsError(w, 429, "FSS.0429", "api is busy now")
		case 2:
			w.Header().Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
			fgsError(w, 429, "FSS.0429", "api is busy now")
		default:
			okFunction(w)
		}
	})
	c := tokenClient(t, f)
	sleeps := recordSleeps(c)
	fn, err := c.Functions.GetConfig(context.Background(), testURN)
	require.NoError(t, err)
	assert.Equal(t, "hello", fn.FuncName)
	assert.Equal(t, int64(247), int64(fn.CodeSize), "string number tolerated")
	assert.Equal(t, 30, fn.Timeout.Int())
	assert.Equal(t, `{"a":"b"}`, fn.UserData.String())
	mi, ok := fn.MaxInstances()
	assert.True(t, ok)
	assert.Equal(t, -1, mi)
	require.Len(t, *sleeps, 2)
	// Retry-After plus a jitter of up to a quarter of it and the base delay (1ms here).
	assert.GreaterOrEqual(t, (*sleeps)[0], 3*time.Second, "Retry-After seconds")
	assert.LessOrEqual(t, (*sleeps)[0], 3*time.Second+750*time.Millisecond+time.Millisecond, "Retry-After seconds, jittered")
	assert.InDelta(t, float64(2*time.Second), float64((*sleeps)[1]), float64(1100*time.Millisecond+500*time.Millisecond), "Retry-After HTTP date")
	assert.Equal(t, int32(3), n.Load())
}

func TestRetry503And5xxThenSuccess(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			fgsError(w, 503, "FSS.0503", "unavailable")
		case 2:
			fgsError(w, 500, "FSS.0500", "temporarily abnormal")
		case 3:
			fgsError(w, 500, "FSS.1162", "cannot take effect immediately")
		case 4:
			w.WriteHeader(502)
		case 5:
			w.WriteHeader(504)
		default:
			okFunction(w)
		}
	})
	c := tokenClient(t, f)
	sleeps := recordSleeps(c)
	_, err := c.Functions.GetConfig(context.Background(), testURN)
	require.NoError(t, err)
	assert.Equal(t, int32(6), n.Load())
	require.Len(t, *sleeps, 5)
	for i, d := range *sleeps {
		assert.LessOrEqual(t, d, 4*time.Millisecond, "backoff %d capped", i)
		assert.GreaterOrEqual(t, d, time.Duration(0))
	}
}

func TestRetryConnectionReset(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			hijackClose(t, w)
			return
		}
		okFunction(w)
	})
	c := tokenClient(t, f)
	_, err := c.Functions.GetConfig(context.Background(), testURN)
	require.NoError(t, err)
	assert.Equal(t, int32(3), n.Load())
}

func TestNoRetryOn400AndPlain500(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if strings.HasSuffix(r.URL.Path, "/config") {
			w.Header().Set("X-Request-Id", "req-1234")
			fgsError(w, 400, "FSS.1002", "invalid memory size")
			return
		}
		fgsError(w, 500, "FSS.0001", "internal")
	})
	c := tokenClient(t, f)
	_, err := c.Functions.UpdateConfig(context.Background(), testURN, &UpdateFunctionConfigRequest{FuncName: "hello", Runtime: "Python3.9", Handler: "index.handler", MemorySize: 100, Timeout: 3})
	require.Error(t, err)
	assert.Equal(t, int32(1), n.Load())
	assert.Equal(t, "FunctionGraph rejected PUT /v2/{project}/fgs/functions/"+testURN+"/config: FSS.1002 invalid memory size (HTTP 400, request id req-1234)", err.Error())
	var ae *APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 400, ae.Status)

	n.Store(0)
	_, err = c.Functions.GetCode(context.Background(), testURN)
	require.Error(t, err)
	assert.Equal(t, int32(1), n.Load(), "a 500 without a retryable code is not retried")
}

func TestRetriesAreBoundedAndThrottledSurfaces(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		fgsError(w, 429, "FSS.0429", "too many requests")
	})
	c := tokenClient(t, f, func(o *Options) { o.MaxRetries = 3 })
	_, err := c.Functions.GetConfig(context.Background(), testURN)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrThrottled)
	assert.Equal(t, int32(4), n.Load(), "1 attempt + 3 retries")

	n.Store(0)
	c2 := tokenClient(t, f, func(o *Options) { o.MaxRetries = -1 })
	_, err = c2.Functions.GetConfig(context.Background(), testURN)
	require.Error(t, err)
	assert.Equal(t, int32(1), n.Load(), "negative MaxRetries disables retries")

	n.Store(0)
	c3 := tokenClient(t, f)
	_, err = c3.Functions.GetConfig(context.Background(), testURN)
	require.Error(t, err)
	assert.Equal(t, int32(DefaultMaxRetries+1), n.Load(), "default: DefaultMaxRetries retries")
	assert.Equal(t, 20, DefaultMaxRetries)
}

func TestRetryStoppedByContext(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "30")
		fgsError(w, 503, "FSS.0503", "busy")
	})
	c := tokenClient(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Functions.GetConfig(ctx, testURN)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second, "ctx stops the Retry-After wait")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ae *APIError
	assert.True(t, errors.As(err, &ae), "the last answer stays inspectable")
	assert.Equal(t, int32(1), n.Load())

	// Without a deadline, cancellation interrupts the wait.
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel2)
	start = time.Now()
	_, err = c.Functions.GetConfig(ctx2, testURN)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestPostNotRetriedBlindly(t *testing.T) {
	t.Run("500 on a POST without lookup is returned", func(t *testing.T) {
		var n atomic.Int32
		f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			fgsError(w, 500, "FSS.0500", "temporarily abnormal")
		})
		c := tokenClient(t, f)
		_, err := c.Dependencies.CreateVersion(context.Background(), &CreateDependencyVersionRequest{Name: "d", Runtime: "Python3.9", DependType: "obs", DependLink: "https://obs/x.zip"})
		require.Error(t, err)
		assert.Equal(t, int32(1), n.Load())
	})
	t.Run("connection dropped after send on a POST without lookup is returned", func(t *testing.T) {
		var n atomic.Int32
		f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			hijackClose(t, w)
		})
		c := tokenClient(t, f)
		_, err := c.Invocations.InvokeAsync(context.Background(), testURN, map[string]any{"k": "v"})
		require.Error(t, err)
		assert.Equal(t, int32(1), n.Load())
	})
	t.Run("429 on a POST proves it did not happen: resent", func(t *testing.T) {
		var n atomic.Int32
		f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
			switch n.Add(1) {
			case 1, 2:
				fgsError(w, 429, "FSS.0429", "busy")
			default:
				writeJSON(w, 202, map[string]string{"request_id": "r-1"})
			}
		})
		c := tokenClient(t, f)
		id, err := c.Invocations.InvokeAsync(context.Background(), testURN, nil)
		require.NoError(t, err)
		assert.Equal(t, "r-1", id)
		assert.Equal(t, int32(3), n.Load())
	})
	t.Run("503 on a POST without lookup is returned: the service may have committed before answering", func(t *testing.T) {
		var n atomic.Int32
		f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			fgsError(w, 503, "FSS.0503", "busy")
		})
		c := tokenClient(t, f)
		_, err := c.Invocations.InvokeAsync(context.Background(), testURN, nil)
		require.Error(t, err)
		assert.Equal(t, int32(1), n.Load())
	})
	t.Run("connection refused is retried (never sent)", func(t *testing.T) {
		f := newFakeCloud(t, nil)
		url := f.srv.URL
		f.srv.Close()
		c, err := NewClient(Options{Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: url, MaxRetries: 2,
			RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
		require.NoError(t, err)
		sleeps := recordSleeps(c)
		_, err = c.Dependencies.CreateVersion(context.Background(), &CreateDependencyVersionRequest{Name: "d"})
		require.Error(t, err)
		assert.Len(t, *sleeps, 2, "refused connections are retried even for POST")
	})
}

func TestCreateFunctionRecoversAfterAmbiguousFailure(t *testing.T) {
	for _, exists := range []bool{true, false} {
		t.Run(map[bool]string{true: "created before the drop", false: "not created"}[exists], func(t *testing.T) {
			var posts, lists atomic.Int32
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
				switch r.Method {
				case http.MethodPost:
					if posts.Add(1) == 1 {
						hijackClose(t, w) // the server may or may not have created it
						return
					}
					okFunction(w)
				case http.MethodGet:
					lists.Add(1)
					assert.Equal(t, "default", r.URL.Query().Get("package_name"))
					fns := []map[string]any{{"func_urn": "urn:fss:eu-de:" + testProjectID + ":function:default:other", "func_name": "other", "package": "default"}}
					if exists {
						fns = append(fns, map[string]any{"func_urn": testURN, "func_name": "hello", "package": "default", "timeout": 30})
					}
					writeJSON(w, 200, map[string]any{"functions": fns, "next_marker": 0, "count": len(fns)})
				}
			})
			c := tokenClient(t, f)
			fn, err := c.Functions.Create(context.Background(), &CreateFunctionRequest{FuncName: "hello", Package: "default", Runtime: "Python3.9",
				Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "inline"})
			require.NoError(t, err)
			assert.Equal(t, testURN, UnqualifiedURN(fn.FuncURN))
			assert.Equal(t, int32(1), lists.Load())
			if exists {
				assert.Equal(t, int32(1), posts.Load(), "found by the lookup: no second POST")
			} else {
				assert.Equal(t, int32(2), posts.Load(), "not found: POST sent again")
			}
		})
	}
}

func TestCreateTriggerRecoversByMatchingEventData(t *testing.T) {
	var posts atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			posts.Add(1)
			fgsError(w, 502, "", "bad gateway")
		case http.MethodGet:
			writeJSON(w, 200, []map[string]any{
				{"trigger_id": "t-other", "trigger_type_code": "TIMER", "trigger_status": "ACTIVE", "event_data": map[string]any{"name": "other", "schedule": "1d", "schedule_type": "Rate"}},
				{"trigger_id": "t-1", "trigger_type_code": "TIMER", "trigger_status": "ACTIVE", "event_data": map[string]any{"name": "tick", "schedule": "3m", "schedule_type": "Rate", "extra": 1}},
			})
		}
	})
	c := tokenClient(t, f)
	tr, err := c.Triggers.Create(context.Background(), testURN+":latest", &CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE",
		EventData: map[string]any{"name": "tick", "schedule": "3m", "schedule_type": "Rate"}})
	require.NoError(t, err)
	assert.Equal(t, "t-1", tr.TriggerID)
	assert.Equal(t, int32(1), posts.Load())
}

func TestTriggerGoneAnswers(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Method == http.MethodGet {
			fgsError(w, 500, "FSS.0500", "internal error")
			return
		}
		fgsError(w, 401, "FSS.0401", "Unauthorized access.")
	})
	c := tokenClient(t, f, func(o *Options) { o.MaxRetries = 1 })
	_, err := c.Triggers.Get(context.Background(), testURN+":latest", "TIMER", "t-1")
	assert.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.ErrorAs(t, err, &ae, "the answer stays inspectable")
	assert.Equal(t, "FSS.0500", ae.Code)
	err = c.Triggers.Delete(context.Background(), testURN+":latest", "TIMER", "t-1")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrUnauthorized)

	// The same answers elsewhere are not "not found".
	_, err = c.Functions.GetConfig(context.Background(), testURN)
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.False(t, IsNotFound(err))
	err = c.Functions.Delete(context.Background(), testURN)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.False(t, IsNotFound(err))
	_, err = c.Triggers.List(context.Background(), testURN+":latest")
	assert.NotErrorIs(t, err, ErrNotFound, "only Get and Delete of one trigger read these answers as gone")
	assert.NotErrorIs(t, &APIError{Status: 500, Code: "FSS.0500"}, ErrNotFound)
}

// A trigger delete whose answer was lost, then 401 FSS.0401 (the function went with it): the delete took effect.
func TestTriggerDeleteGoneAfterAmbiguousAttemptIsSuccess(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			hijackClose(t, w)
			return
		}
		fgsError(w, 401, "FSS.0401", "Unauthorized access.")
	})
	c := tokenClient(t, f)
	require.NoError(t, c.Triggers.Delete(context.Background(), testURN+":latest", "TIMER", "t-1"))
	assert.Equal(t, int32(2), n.Load())
}

func TestDeleteNotFoundAfterAmbiguousAttemptIsSuccess(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			hijackClose(t, w) // deleted, but the answer is lost
			return
		}
		fgsError(w, 404, "FSS.1051", "Not found the function")
	})
	c := tokenClient(t, f)
	require.NoError(t, c.Functions.Delete(context.Background(), testURN))
	assert.Equal(t, int32(2), n.Load())

	// A plain 404 is still reported.
	err := c.Functions.Delete(context.Background(), testURN)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestDebugLogLinePerAttempt(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			fgsError(w, 503, "FSS.0503", "busy")
			return
		}
		okFunction(w)
	})
	log := &captureLogger{}
	c := tokenClient(t, f, func(o *Options) { o.Logger = log })
	_, err := c.Functions.List(context.Background(), &ListFunctionsOptions{PackageName: "default"})
	require.NoError(t, err)
	lines := strings.Split(log.all(), "\n")
	require.Len(t, lines, 2)
	assert.Regexp(t, `^fgs: GET /v2/\{project\}/fgs/functions\?marker=0&maxitems=400&package_name=default -> 503 in \S+ \(attempt 1/21\) FSS\.0503 busy$`, lines[0])
	assert.Regexp(t, `^fgs: GET /v2/\{project\}/fgs/functions\?marker=0&maxitems=400&package_name=default -> 200 in \S+ \(attempt 2/21\)$`, lines[1])
}

// The decision of retry.go for each kind of failed attempt, for a GET (idempotent) and a POST.
func TestRetryHTTPCheck(t *testing.T) {
	api := func(status int, code string) error { return &APIError{Status: status, Code: code} }
	transport := func(err error) error { return &transportError{msg: "fgs: POST /x: " + err.Error(), err: err} }
	cases := []struct {
		name       string
		err        error
		get, post  retryAction
		mayHaveRun bool
	}{
		{"429", api(429, "FSS.0429"), retryResend, retryResend, false},
		{"503", api(503, "FSS.0503"), retryResend, retryLookUpFirst, true},
		{"502", api(502, ""), retryResend, retryLookUpFirst, true},
		{"504", api(504, ""), retryResend, retryLookUpFirst, true},
		{"500 FSS.0500", api(500, "FSS.0500"), retryResend, retryLookUpFirst, true},
		{"500 FSS.1162", api(500, "FSS.1162"), retryResend, retryLookUpFirst, true},
		{"500 other code", api(500, "FSS.0001"), retryStop, retryLookUpOnly, false},
		{"501", api(501, ""), retryStop, retryLookUpOnly, false},
		{"400", api(400, "FSS.1002"), retryStop, retryStop, false},
		{"401", api(401, "FSS.0401"), retryStop, retryStop, false},
		{"404", api(404, "FSS.1051"), retryStop, retryStop, false},
		{"connection refused", transport(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), retryResend, retryResend, false},
		{"reset after sending", transport(&net.OpError{Op: "read", Err: syscall.ECONNRESET}), retryResend, retryLookUpFirst, true},
		{"EOF", transport(&url.Error{Op: "Post", URL: "http://x", Err: io.EOF}), retryResend, retryLookUpFirst, true},
		{"unknown host", transport(&net.OpError{Op: "dial", Err: &net.DNSError{Name: "x", IsNotFound: true}}), retryStop, retryStop, false},
		{"untrusted certificate", transport(x509.UnknownAuthorityError{}), retryStop, retryStop, false},
		{"unclassified transport error", transport(errors.New("malformed HTTP response")), retryStop, retryStop, false},
		{"context ended", fmt.Errorf("fgs: GET /x: %w", context.Canceled), retryStop, retryStop, false},
		{"undecodable answer", errors.New("fgs: decoding the answer to GET /x: unexpected EOF"), retryStop, retryStop, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			action, may := retryHTTPCheck(true, tc.err)
			assert.Equal(t, tc.get, action, "idempotent request")
			assert.Equal(t, tc.mayHaveRun, may, "idempotent request: may have been carried out")
			action, may = retryHTTPCheck(false, tc.err)
			assert.Equal(t, tc.post, action, "POST")
			assert.Equal(t, tc.mayHaveRun || tc.post == retryLookUpOnly, may, "POST: may have been carried out")
		})
	}
}

func TestRetryHTTPBackoff(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c, err := NewClient(Options{Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: "http://127.0.0.1:1",
		RetryBaseDelay: 10 * time.Millisecond, RetryMaxDelay: 40 * time.Millisecond, MaxRetryAfter: 5 * time.Second,
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	ctx := context.Background()

	t.Run("exponential with full jitter, capped", func(t *testing.T) {
		for attempt, ceil := range []time.Duration{10, 20, 40, 40, 40} {
			ceil *= time.Millisecond
			seen := map[time.Duration]bool{}
			for range 200 {
				wait, ok := c.retryHTTPBackoff(ctx, attempt, nil)
				require.True(t, ok)
				require.GreaterOrEqual(t, wait, time.Duration(0))
				require.LessOrEqual(t, wait, ceil, "attempt %d", attempt)
				seen[wait] = true
			}
			assert.Greater(t, len(seen), 1, "attempt %d: the wait is drawn at random", attempt)
		}
		wait, ok := c.retryHTTPBackoff(ctx, 1000, nil)
		assert.True(t, ok)
		assert.LessOrEqual(t, wait, 40*time.Millisecond, "no overflow on a huge attempt number")
	})
	t.Run("Retry-After wins, capped by MaxRetryAfter, with jitter on top", func(t *testing.T) {
		for value, want := range map[string]time.Duration{
			"0":  0,
			"1":  time.Second,
			"30": 5 * time.Second,
			now.Add(2 * time.Second).Format(http.TimeFormat): 2 * time.Second,
			now.Add(-time.Hour).Format(http.TimeFormat):      0,
		} {
			spread := min(want/4+10*time.Millisecond, 40*time.Millisecond)
			seen := map[time.Duration]bool{}
			for range 50 {
				wait, ok := c.retryHTTPBackoff(ctx, 3, http.Header{"Retry-After": {value}})
				assert.True(t, ok)
				assert.GreaterOrEqual(t, wait, want, "Retry-After %q", value)
				assert.LessOrEqual(t, wait, want+spread, "Retry-After %q", value)
				seen[wait] = true
			}
			assert.Greater(t, len(seen), 1, "Retry-After %q: jittered", value)
		}
		wait, _ := c.retryHTTPBackoff(ctx, 0, http.Header{"Retry-After": {"soon"}})
		assert.LessOrEqual(t, wait, 10*time.Millisecond, "an unreadable Retry-After is ignored")
	})
	t.Run("never past the deadline", func(t *testing.T) {
		dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		wait, ok := c.retryHTTPBackoff(dctx, 0, http.Header{"Retry-After": {"1"}})
		assert.False(t, ok, "a 1s wait would end after the deadline")
		assert.GreaterOrEqual(t, wait, time.Second)
		_, ok = c.retryHTTPBackoff(dctx, 0, nil)
		assert.True(t, ok, "a wait of at most 10ms ends before the deadline")
	})
}
