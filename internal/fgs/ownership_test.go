package fgs

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// functionStore is a tiny stateful FunctionGraph for the functions chapter: POST creates (FSS.1061 for a
// taken name), GET lists and reads the configuration. fault decides, per POST, whether the answer is lost
// after the commit ("drop"), replaced by a 5xx after the commit ("503"), or lost before it ("drop-before",
// "503-before").
type functionStore struct {
	t     *testing.T
	mu    sync.Mutex
	fns   map[string]map[string]any // by name
	posts int
	fault func(post int) string
}

func digestHex(b []byte) string {
	s := sha512.Sum512(b)
	return hex.EncodeToString(s[:])
}

func (s *functionStore) add(name, runtime, handler string, code []byte, created time.Time) {
	s.fns[name] = map[string]any{
		"func_urn": "urn:fss:eu-de:" + testProjectID + ":function:default:" + name + ":latest", "func_name": name, "package": "default",
		"runtime": runtime, "handler": handler, "digest": digestHex(code), "last_modified": created.UTC().Format("2006-01-02 15:04:05"),
	}
}

func newFunctionStore(t *testing.T, fault func(int) string) (*functionStore, *fakeCloud) {
	s := &functionStore{t: t, fns: map[string]map[string]any{}, fault: fault}
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case r.Method == http.MethodPost:
			s.posts++
			fault := ""
			if s.fault != nil {
				fault = s.fault(s.posts)
			}
			switch fault {
			case "drop-before":
				hijackClose(t, w)
				return
			case "503-before":
				fgsError(w, 503, "FSS.0503", "service unavailable")
				return
			}
			body, _ := io.ReadAll(r.Body)
			var req CreateFunctionRequest
			require.NoError(t, json.Unmarshal(body, &req))
			if _, taken := s.fns[req.FuncName]; taken {
				fgsError(w, 409, "FSS.1061", "The function already exists.")
				return
			}
			code, _ := base64.StdEncoding.DecodeString(req.FuncCode.File)
			s.add(req.FuncName, req.Runtime, req.Handler, code, time.Now())
			switch fault {
			case "drop":
				hijackClose(t, w)
			case "503":
				fgsError(w, 503, "FSS.0503", "service unavailable")
			default:
				writeJSON(w, 200, s.fns[req.FuncName])
			}
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/config"):
			name := strings.TrimSuffix(r.URL.Path[strings.LastIndex(r.URL.Path, ":")+1:], "/config")
			if fn, ok := s.fns[name]; ok {
				writeJSON(w, 200, fn)
				return
			}
			fgsError(w, 404, "FSS.1051", "Not found the function")
		case r.Method == http.MethodGet:
			list := []map[string]any{}
			for _, fn := range s.fns {
				list = append(list, fn)
			}
			writeJSON(w, 200, map[string]any{"functions": list, "next_marker": 0, "count": len(list)})
		}
	})
	return s, f
}

func createHello(code string) *CreateFunctionRequest {
	return &CreateFunctionRequest{FuncName: "taken-name", Package: "default", Runtime: "Python3.9", Handler: "index.handler",
		MemorySize: 128, Timeout: 30, CodeType: "zip", CodeFilename: "index.zip",
		FuncCode: &FuncCode{File: base64.StdEncoding.EncodeToString([]byte(code))}}
}

// Stack A owns taken-name; stack B's create of the same name loses its answer. B must not adopt A's function.
func TestCreateFunctionNeverAdoptsAnotherStacksFunction(t *testing.T) {
	for _, tc := range []struct {
		name, fault string
		aCode       string
		aCreated    time.Duration // before B's request
		reason      string
	}{
		{"other code, connection dropped before the service saw it", "drop-before", "stack A's code", -time.Second, "code digest differs"},
		{"same code, created before the request, 503 without a commit", "503-before", "stack B's code", -10 * time.Minute, "before this request started"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store, f := newFunctionStore(t, func(int) string { return tc.fault })
			store.add("taken-name", "Python3.9", "index.handler", []byte(tc.aCode), time.Now().Add(tc.aCreated))
			c := tokenClient(t, f)
			_, err := c.Functions.Create(context.Background(), createHello("stack B's code"))
			require.Error(t, err)
			var ae *AlreadyExistsError
			require.ErrorAs(t, err, &ae)
			assert.ErrorIs(t, err, ErrConflict)
			assert.Equal(t, "Function", ae.Kind)
			assert.Equal(t, "urn:fss:eu-de:"+testProjectID+":function:default:taken-name", ae.ImportID)
			assert.Contains(t, ae.Reason, tc.reason)
			assert.Contains(t, err.Error(), "function taken-name already exists and this request did not create it")
			assert.Contains(t, err.Error(), "`pulumi import fgs:index:Function <resource name> urn:fss:eu-de:"+testProjectID+":function:default:taken-name`")
			assert.Equal(t, "pulumi import fgs:index:Function web urn:fss:eu-de:"+testProjectID+":function:default:taken-name", ae.ImportCommand("web"))
			assert.Equal(t, 1, store.posts, "never resent once something is in the way")
		})
	}
}

// The write happened but the answer was lost or replaced by a 5xx: the function is this request's, adopted once.
func TestCreateFunctionAdoptsWhatThisRequestCreated(t *testing.T) {
	for _, fault := range []string{"drop", "503"} {
		t.Run(fault, func(t *testing.T) {
			store, f := newFunctionStore(t, func(post int) string {
				if post == 1 {
					return fault
				}
				return ""
			})
			c := tokenClient(t, f)
			fn, err := c.Functions.Create(context.Background(), createHello("stack B's code"))
			require.NoError(t, err)
			assert.Equal(t, "taken-name", fn.FuncName)
			assert.Equal(t, digestHex([]byte("stack B's code")), fn.Digest)
			assert.Equal(t, 1, store.posts, "adopted, not created twice")
		})
	}
}

// A create refused with FSS.1061 on its first attempt: the function was there before; the error names it.
func TestCreateFunctionConflictNamesTheFunctionInTheWay(t *testing.T) {
	store, f := newFunctionStore(t, nil)
	store.add("taken-name", "Python3.9", "index.handler", []byte("stack B's code"), time.Now())
	c := tokenClient(t, f)
	_, err := c.Functions.Create(context.Background(), createHello("stack B's code"))
	var ae *AlreadyExistsError
	require.ErrorAs(t, err, &ae, "even the same code, created a moment ago, is not this request's")
	assert.Equal(t, "it was there before this request", ae.Reason)
	var api *APIError
	require.ErrorAs(t, err, &api, "the service's answer stays inspectable")
	assert.Equal(t, "FSS.1061", api.Code)
}

// The first attempt's answer is lost, the lookup does not see the function yet (eventual consistency), the
// resend answers FSS.1061: the function the first attempt created is adopted.
func TestCreateFunctionConflictAfterAmbiguousAttemptAdopts(t *testing.T) {
	var hide sync.Once
	store, f := newFunctionStore(t, func(post int) string {
		if post == 1 {
			return "drop"
		}
		return ""
	})
	c := tokenClient(t, f)
	var lists int
	inner := f.fgs
	f.fgs = func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && !strings.HasSuffix(r.URL.Path, "/config") {
			lists++
			hidden := false
			hide.Do(func() { hidden = true })
			if hidden {
				writeJSON(w, 200, map[string]any{"functions": []any{}, "next_marker": 0, "count": 0})
				return
			}
		}
		inner(w, r)
	}
	fn, err := c.Functions.Create(context.Background(), createHello("stack B's code"))
	require.NoError(t, err)
	assert.Equal(t, "taken-name", fn.FuncName)
	assert.Equal(t, 2, store.posts)
	assert.Equal(t, 2, lists)
}

func TestCreateTriggerAdoptsOnlyATriggerCreatedInTheWindow(t *testing.T) {
	old := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		name    string
		created string
		adopted bool
	}{{"twin created an hour ago", old, false}, {"created now", time.Now().UTC().Format(time.RFC3339), true}} {
		t.Run(tc.name, func(t *testing.T) {
			posts := 0
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					posts++
					fgsError(w, 502, "", "bad gateway")
					return
				}
				writeJSON(w, 200, []map[string]any{{"trigger_id": "t-1", "trigger_type_code": "TIMER", "created_time": tc.created,
					"event_data": map[string]any{"name": "tick", "schedule": "3m", "schedule_type": "Rate"}}})
			})
			c := tokenClient(t, f)
			tr, err := c.Triggers.Create(context.Background(), testURN, &CreateTriggerRequest{TriggerTypeCode: "TIMER",
				EventData: map[string]any{"name": "tick", "schedule": "3m", "schedule_type": "Rate"}})
			assert.Equal(t, 1, posts)
			if tc.adopted {
				require.NoError(t, err)
				assert.Equal(t, "t-1", tr.TriggerID)
				return
			}
			var ae *AlreadyExistsError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, testURN+"/TIMER/t-1", ae.ImportID)
			assert.Contains(t, err.Error(), "pulumi import fgs:index:Trigger <resource name> "+testURN+"/TIMER/t-1")
		})
	}
}

// A publish without a name whose answer was lost: the version with the code's digest published inside the
// window is adopted; an older version of the same code is not in the way.
func TestPublishUnnamedVersionAfterLostAnswer(t *testing.T) {
	var mu sync.Mutex
	now := func() string { return time.Now().UTC().Format("2006-01-02 15:04:05") }
	versions := []map[string]any{
		{"func_urn": testURN + ":latest", "version": "latest", "digest": "d-current"},
		{"func_urn": testURN + ":v-old", "version": "v-old", "digest": "d-current", "last_modified": time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05")},
	}
	posts := 0
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPost {
			posts++
			versions = append(versions, map[string]any{"func_urn": testURN + ":v-new", "version": "v-new", "digest": "d-current", "last_modified": now()})
			hijackClose(t, w)
			return
		}
		writeJSON(w, 200, map[string]any{"versions": versions, "next_marker": 0, "count": len(versions)})
	})
	c := tokenClient(t, f)
	v, err := c.Versions.Publish(context.Background(), testURN, nil)
	require.NoError(t, err)
	assert.Equal(t, "v-new", v.Version)
	assert.Equal(t, 1, posts, "not published twice")
}

func TestPublishNamedVersionOfOtherCodeIsInTheWay(t *testing.T) {
	posts := 0
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts++
			fgsError(w, 500, "FSS.0500", "temporarily abnormal")
			return
		}
		writeJSON(w, 200, map[string]any{"versions": []map[string]any{
			{"version": "latest", "digest": "d-current"},
			{"version": "v1", "digest": "d-other", "last_modified": time.Now().UTC().Format(time.RFC3339)},
		}, "next_marker": 0, "count": 2})
	})
	c := tokenClient(t, f)
	_, err := c.Versions.Publish(context.Background(), testURN, &PublishVersionRequest{Version: "v1", Digest: "d-current"})
	var ae *AlreadyExistsError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, testURN+":v1", ae.ImportID)
	assert.Contains(t, ae.Reason, "code digest differs")
	assert.Equal(t, 1, posts)
}

func TestCreateAliasOfAnotherVersionIsInTheWay(t *testing.T) {
	posts := 0
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts++
			hijackClose(t, w)
			return
		}
		writeJSON(w, 200, map[string]any{"name": "live", "version": "v2", "last_modified": time.Now().UTC().Format(time.RFC3339)})
	})
	c := tokenClient(t, f)
	_, err := c.Aliases.Create(context.Background(), testURN, &CreateAliasRequest{Name: "live", Version: "v1"})
	var ae *AlreadyExistsError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, testURN+"/live", ae.ImportID)
	assert.Equal(t, `it points to version "v2", this request sent "v1"`, ae.Reason)
	assert.Equal(t, 1, posts)
	assert.True(t, errors.Is(err, ErrConflict))
}

func TestCreateWindowAndServiceTimes(t *testing.T) {
	from := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	w := createWindow{from: from, to: from.Add(10 * time.Second), slack: 2 * time.Second}
	for stamp, inside := range map[string]bool{
		"2026-03-01 10:00:05":       true,
		"2026-03-01T18:00:05+08:00": true,
		"1772359205":                true, // 10:00:05 UTC in Unix seconds
		"1772359205000":             true, // and milliseconds
		"2026-03-01 09:59:59":       true, // inside the slack
		"2026-03-01 09:59:50":       false,
		"2026-03-01 10:00:20":       false,
		"":                          true, // not reported: nothing to hold against it
		"yesterday":                 true,
	} {
		assert.Equal(t, inside, w.check(stamp) == "", "%q", stamp)
	}
	assert.NotEmpty(t, createWindow{closed: true}.check(""), "a closed window holds nothing")
}

// The operation's deadline passes while the create is on the wire, after the service committed it: the
// function is adopted by a lookup detached from the ended context, not left behind unrecorded.
func TestCreateFunctionAdoptedWhenTheDeadlinePassesMidRequest(t *testing.T) {
	store, f := newFunctionStore(t, nil)
	inner := f.fgs
	f.fgs = func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			inner(w, r)
			return
		}
		inner(httptest.NewRecorder(), r) // committed, but the answer never comes
		<-r.Context().Done()
	}
	c := tokenClient(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	fn, err := c.Functions.Create(ctx, createHello("stack B's code"))
	require.NoError(t, err)
	assert.Equal(t, "taken-name", fn.FuncName)
	assert.Equal(t, 1, store.posts)

	// Nothing committed: the context's error is the answer.
	store2, f2 := newFunctionStore(t, nil)
	f2.fgs = func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			<-r.Context().Done()
			return
		}
		writeJSON(w, 200, map[string]any{"functions": []any{}, "next_marker": 0, "count": 0})
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	_, err = tokenClient(t, f2).Functions.Create(ctx2, createHello("code"))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 0, store2.posts, "the wrapper answered the POST itself")
}

// What makes a function of the same name not this request's: each field the request sent, and the time.
func TestFunctionMismatch(t *testing.T) {
	req := createHello("my code")
	w := createWindow{from: time.Now().Add(-time.Second), to: time.Now(), slack: 5 * time.Second}
	ours := func() *Function {
		return &Function{FuncName: "taken-name", Package: "default", Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128,
			Timeout: 30, Digest: digestHex([]byte("my code")), LastModified: FlexString(time.Now().UTC().Format(time.RFC3339))}
	}
	assert.Empty(t, functionMismatch(req, ours(), w), "what this request sent")
	for want, change := range map[string]func(f *Function){
		`its app (package) is "other"`:   func(f *Function) { f.Package = "other" },
		`its runtime is "Node.js18.15"`:  func(f *Function) { f.Runtime = "Node.js18.15" },
		`its handler is "main.handler"`:  func(f *Function) { f.Handler = "main.handler" },
		"its memory size is 256 MB":      func(f *Function) { f.MemorySize = 256 },
		"its timeout is 60 s":            func(f *Function) { f.Timeout = 60 },
		"its code digest differs":        func(f *Function) { f.Digest = digestHex([]byte("their code")) },
		"did not report its code digest": func(f *Function) { f.Digest = "" },
		"before this request started": func(f *Function) {
			f.LastModified = FlexString(time.Now().Add(-time.Minute).UTC().Format(time.RFC3339))
		},
	} {
		f := ours()
		change(f)
		assert.Contains(t, functionMismatch(req, f, w), want)
	}
	noCode := createHello("")
	noCode.FuncCode, noCode.CodeType = nil, "inline"
	f := ours()
	f.Digest = "whatever the service computed for its default code"
	assert.Empty(t, functionMismatch(noCode, f, w), "no package sent: the digest is the service's")
}
