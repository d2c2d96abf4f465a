package provider

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// invocationFake answers the synchronous invocation API (POST .../functions/{urn}/invocations) in front of
// the emulator, which does not run code on this branch, in the shapes the client reads
// (internal/fgs/invocations.go): the v1 JSON answer {request_id, result, log, status}, or an error answer.
// What a function answers depends on its name:
//
//   - adder: returns {"sum": a+b} of its event's a and b;
//   - echo: returns its event as it came, as JSON text, or raises the event's "fail" as its error message;
//   - texter: returns plain text;
//   - raiser: the handler raised: status 500 in the answer, the runtime's errorType and errorMessage as result;
//   - crasher: the service answers HTTP 500 FSS.0500 for the invocation.
//
// Any other function goes on to the emulator. Every call is recorded.
type invocationFake struct {
	mu    sync.Mutex
	calls []fakeCall
}

type fakeCall struct {
	function string // the URN, as sent
	event    string
	logType  string
}

func (f *invocationFake) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.EscapedPath()
		if r.Method != http.MethodPost || !strings.HasSuffix(path, "/invocations") || !strings.Contains(path, "/fgs/functions/") {
			next.ServeHTTP(w, r)
			return
		}
		seg := strings.TrimSuffix(path[strings.Index(path, "/fgs/functions/")+len("/fgs/functions/"):], "/invocations")
		urn, _ := url.PathUnescape(seg)
		u, err := fgs.ParseURN(urn)
		if err != nil || !oneOf(u.Name, "adder", "echo", "texter", "raiser", "crasher") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.calls = append(f.calls, fakeCall{function: urn, event: string(body), logType: r.Header.Get("X-Cff-Log-Type")})
		n := len(f.calls)
		f.mu.Unlock()
		requestID := "req-" + strconv.Itoa(n)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Cff-Request-Id", requestID)
		answer := func(status int, v any) {
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(v)
		}
		v1 := func(result string, status int) {
			answer(http.StatusOK, map[string]any{"request_id": requestID, "result": result, "status": status,
				"log": "Start invoke request '" + requestID + "'\nFinish invoke request '" + requestID + "'"})
		}
		switch u.Name {
		case "adder":
			var ev struct{ A, B float64 }
			_ = json.Unmarshal(body, &ev)
			raw, _ := json.Marshal(map[string]any{"sum": ev.A + ev.B})
			v1(string(raw), 200)
		case "echo":
			var ev struct{ Fail string }
			if json.Unmarshal(body, &ev) == nil && ev.Fail != "" {
				v1(`{"errorMessage": "`+ev.Fail+`", "errorType": "RuntimeError"}`, 500)
				return
			}
			v1(string(body), 200)
		case "texter":
			v1("hello, world", 200)
		case "raiser":
			v1(`{"errorMessage": "division by zero", "errorType": "ZeroDivisionError", "stackTrace": ["index.py:2"]}`, 500)
		case "crasher":
			answer(http.StatusInternalServerError, map[string]any{"error_code": "FSS.0500", "error_msg": "function invocation exception: out of memory"})
		}
	})
}

func (f *invocationFake) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *invocationFake) last(t *testing.T) fakeCall {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("the function was not called")
	}
	return f.calls[len(f.calls)-1]
}

// newInvocationCloud is a test cloud whose functions adder, echo, texter, raiser and crasher (made in the
// emulator, so that every other API works on them) answer through the fake; it returns their URNs by name.
func newInvocationCloud(t *testing.T) (*testCloud, *invocationFake, map[string]string) {
	t.Helper()
	fake := &invocationFake{}
	c := newTestCloudWith(t, fake.wrap)
	urns := map[string]string{}
	for _, name := range []string{"adder", "echo", "texter", "raiser", "crasher", "silent"} {
		urns[name] = c.newFunction(t, name, false)
	}
	return c, fake, urns
}
