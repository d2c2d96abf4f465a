package emulator

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func hangRule(phase, method, route string) FaultRule {
	return FaultRule{Phase: phase, Method: method, Route: route, Rate: 1, Kinds: []string{"hang"}}
}

// hangServer is a harness behind a real server; cleanups close the emulator before the server,
// which waits for its handlers.
func hangServer(t *testing.T, mut ...func(*Config)) (*harness, *httptest.Server) {
	h := newHarness(t, mut...)
	srv := httptest.NewServer(h.e)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { _ = h.e.Close() })
	return h, srv
}

func timedCall(t *testing.T, srv *httptest.Server, h *harness, timeout time.Duration, method, path string, body any) (time.Duration, error) {
	t.Helper()
	start := time.Now() // before the deadline starts to run
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+"/v2/"+pid+path, bytes.NewReader(encodeBody(body)))
	require.NoError(t, err)
	req.Header.Set("X-Auth-Token", h.token)
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return time.Since(start), err
}

func TestHangHoldsTheRequestUntilTheClientGivesUp(t *testing.T) {
	h, srv := hangServer(t, func(c *Config) { c.FaultRules = []FaultRule{hangRule(PhaseBefore, "GET", fnsRoute)} })
	took, err := timedCall(t, srv, h, 200*time.Millisecond, "GET", "/fgs/functions", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.GreaterOrEqual(t, took, 200*time.Millisecond)
	require.Eventually(t, func() bool { return h.e.Hanging() == 0 }, 5*time.Second, 5*time.Millisecond,
		"the held request is released once the client has gone")
	// other methods are not held
	h.create("fn")

	// while held, the operator sees it
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v2/"+pid+"/fgs/functions", nil)
		req.Header.Set("X-Auth-Token", h.token)
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	require.Eventually(t, func() bool { return h.e.Hanging() == 1 }, 5*time.Second, 5*time.Millisecond)
	require.Contains(t, h.raw("GET", "/_emulator/faults", nil, nil).Body.String(), `"hanging":1`)
	select {
	case err := <-done:
		t.Fatalf("answered while held: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Eventually(t, func() bool { return h.e.Hanging() == 0 }, 5*time.Second, 5*time.Millisecond)
}

func TestCloseReleasesHangingRequests(t *testing.T) {
	h, srv := hangServer(t, func(c *Config) { c.FaultRules = []FaultRule{hangRule(PhaseBefore, "", "")} })
	const n = 3
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := timedCall(t, srv, h, 0, "GET", "/fgs/functions", nil)
			errs <- err
		}()
	}
	require.Eventually(t, func() bool { return h.e.Hanging() == n }, 5*time.Second, 5*time.Millisecond)
	start := time.Now()
	require.NoError(t, h.e.Close())
	for i := 0; i < n; i++ {
		select {
		case err := <-errs:
			require.Error(t, err, "the connection is dropped, not answered")
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not release a hanging request")
		}
	}
	require.Less(t, time.Since(start), 2*time.Second)
	require.Equal(t, 0, h.e.Hanging())
	// after Close a hang ends at once; the emulator still answers everything else
	took, err := timedCall(t, srv, h, 0, "GET", "/fgs/functions", nil)
	require.Error(t, err)
	require.Less(t, took, 2*time.Second)
	require.NoError(t, h.e.Close(), "Close twice is harmless")
	require.Equal(t, 201, h.raw("POST", "/v3/auth/tokens", passwordAuth(nil), nil).Code)
}

func TestHangEndsAfterHangMax(t *testing.T) {
	h, srv := hangServer(t, func(c *Config) {
		c.HangMax = 150 * time.Millisecond
		c.FaultRules = []FaultRule{hangRule(PhaseBefore, "GET", fnsRoute)}
	})
	took, err := timedCall(t, srv, h, 0, "GET", "/fgs/functions", nil)
	require.Error(t, err, "dropped after HangMax, never answered")
	require.GreaterOrEqual(t, took, 150*time.Millisecond)
	require.Less(t, took, 5*time.Second)
	require.Equal(t, 0, h.e.Hanging())
	require.Contains(t, h.raw("GET", "/_emulator/faults", nil, nil).Body.String(), `"hang_max":"150ms"`)
	require.Equal(t, 5*time.Minute, DefaultConfig().HangMax)
}

// A hang after the handler: committed, never answered. A hang before it: nothing committed.
func TestHangAfterCommitAndBefore(t *testing.T) {
	h, srv := hangServer(t, func(c *Config) {
		c.FaultRules = []FaultRule{hangRule(PhaseAfter, "POST", fnsRoute), hangRule(PhaseBefore, "DELETE", fnsRoute+"/{function_urn}")}
	})
	_, err := timedCall(t, srv, h, 200*time.Millisecond, "POST", "/fgs/functions", fnBody("slow"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	h.obj("GET", "/fgs/functions/slow/config", nil, 200)
	_, err = timedCall(t, srv, h, 200*time.Millisecond, "DELETE", "/fgs/functions/slow", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	h.obj("GET", "/fgs/functions/slow/config", nil, 200)
	require.Eventually(t, func() bool { return h.e.Hanging() == 0 }, 5*time.Second, 5*time.Millisecond)
	require.Equal(t, map[string]int{"after hang POST " + fnsRoute: 1, "before hang DELETE " + fnsRoute + "/{function_urn}": 1}, h.e.InjectedFaults())
}
