package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Custom runtime (user guide "Custom Runtime"): the package's executable `bootstrap` is the
// runtime. It polls GET http://$RUNTIME_API_ADDR/v1/runtime/invocation/request for an event
// (the body; the request id in X-Cff-Request-Id) and answers with
// POST .../invocation/response/{request_id} or .../invocation/error/{request_id}. The emulator
// serves that API on a loopback port of its own for each instance (X-CFF-Invoke-Type is always
// "sync"; the credential headers are absent, there is no agency). The instance is ready when
// bootstrap first polls; what it prints is the log of the request under way (its output goes
// through a pipe while its answer comes over HTTP, so the emulator waits for the output to
// pause, 5 ms, before it closes a call's log).

var langCustom = &language{name: "custom"}

type apiEvent struct {
	id, invokeType string
	body           []byte
}

type apiResult struct {
	body  []byte
	isErr bool
}

// runtimeAPI is the runtime API of one custom-runtime instance.
type runtimeAPI struct {
	ln       net.Listener
	srv      *http.Server
	events   chan apiEvent
	polled   chan struct{} // closed at bootstrap's first poll
	pollOnce sync.Once
	stop     chan struct{}
	mu       sync.Mutex
	waiting  map[string]chan apiResult
}

func newRuntimeAPI() (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &runtimeAPI{ln: ln, events: make(chan apiEvent, 1), polled: make(chan struct{}), stop: make(chan struct{}),
		waiting: map[string]chan apiResult{}}
	a.srv = &http.Server{Handler: http.HandlerFunc(a.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = a.srv.Serve(ln) }()
	return a, nil
}

func (a *runtimeAPI) serve(w http.ResponseWriter, r *http.Request) {
	const base = "/v1/runtime/invocation/"
	switch {
	case r.Method == http.MethodGet && r.URL.Path == base+"request":
		a.pollOnce.Do(func() { close(a.polled) })
		select {
		case ev := <-a.events:
			w.Header().Set("X-Cff-Request-Id", ev.id)
			w.Header().Set("X-CFF-Invoke-Type", ev.invokeType)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(ev.body)
		case <-r.Context().Done():
		case <-a.stop:
			http.Error(w, "the instance is stopping", http.StatusServiceUnavailable)
		}
	case r.Method == http.MethodPost && (strings.HasPrefix(r.URL.Path, base+"response/") || strings.HasPrefix(r.URL.Path, base+"error/")):
		isErr := strings.HasPrefix(r.URL.Path, base+"error/")
		id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxInvokeBody+1))
		a.mu.Lock()
		ch := a.waiting[id]
		delete(a.waiting, id)
		a.mu.Unlock()
		if ch == nil {
			http.Error(w, `{"error":"unknown request id"}`, http.StatusNotFound)
			return
		}
		ch <- apiResult{body: body, isErr: isErr}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	default:
		http.NotFound(w, r)
	}
}

func (a *runtimeAPI) close() {
	select {
	case <-a.stop:
	default:
		close(a.stop)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = a.srv.Shutdown(ctx)
}

// startCustom launches bootstrap and waits for its first poll.
func (x *executor) startCustom(s *instanceSpec, dir, codeDir, home string) (*instance, *outcome, error) {
	boot := filepath.Join(codeDir, "bootstrap")
	if st, err := os.Stat(boot); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		os.RemoveAll(dir)
		return nil, &outcome{status: 500, err: &funcError{ErrorCode: errCodeHandler, ErrorType: "HandlerNotFound", StackTrace: []string{},
			ErrorMessage: "the code package has no executable file named bootstrap"}}, nil
	}
	api, err := newRuntimeAPI()
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	cmd := exec.Command(boot)
	cmd.Dir = codeDir
	cmd.Env = append(instanceEnv(s, codeDir, home), "RUNTIME_API_ADDR="+api.ln.Addr().String())
	in := &instance{spec: s, cmd: cmd, dir: dir, api: api, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &in.stray, &in.stray
	cmd.WaitDelay = time.Second
	cmd.SysProcAttr = instanceProcAttr()
	if err := cmd.Start(); err != nil {
		api.close()
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("start bootstrap: %v", err)
	}
	x.mu.Lock()
	x.started = append(x.started, cmd.Process.Pid)
	x.mu.Unlock()
	go func() { _ = cmd.Wait(); close(in.done) }()
	initTimeout := s.conf.InitializerTimeout
	if initTimeout <= 0 {
		initTimeout = s.conf.Timeout
	}
	limit := loadTimeout + time.Duration(initTimeout)*time.Second
	started := time.Now()
	out := &outcome{status: 200}
	select {
	case <-api.polled:
		in.stray.settle(5*time.Millisecond, 50*time.Millisecond)
		out.log = in.stray.take()
	case <-in.done:
		out.err = &funcError{ErrorCode: errCodeHandler, ErrorType: "RuntimeExited", StackTrace: []string{},
			ErrorMessage: "bootstrap exited before polling for an event: " + in.cmd.ProcessState.String()}
	case <-time.After(limit):
		out.err = &funcError{ErrorCode: errCodeTimeout, ErrorType: "TimeoutError", StackTrace: []string{},
			ErrorMessage: fmt.Sprintf("bootstrap did not poll for an event within %s", limit)}
	}
	out.duration = time.Since(started)
	if out.err != nil {
		out.status = 500
		in.kill()
		out.log = in.stray.take()
		return nil, out, nil
	}
	return in, out, nil
}

// invokeCustom hands one event to bootstrap and waits for its answer.
func (in *instance) invokeCustom(id string, event json.RawMessage, timeout time.Duration) *outcome {
	a := in.api
	ch := make(chan apiResult, 1)
	a.mu.Lock()
	a.waiting[id] = ch
	a.mu.Unlock()
	in.stray.take() // output between calls belongs to no request
	out := &outcome{status: 200}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case a.events <- apiEvent{id: id, invokeType: "sync", body: event}:
	case <-in.done:
	case <-timer.C:
	}
	select {
	case res := <-ch:
		in.stray.settle(5*time.Millisecond, 50*time.Millisecond)
		out.log = in.stray.take()
		if !res.isErr {
			out.result = string(res.body)
			return out
		}
		fe := &funcError{}
		if json.Unmarshal(res.body, fe) != nil || (fe.ErrorMessage == "" && fe.ErrorType == "") {
			fe = &funcError{ErrorMessage: string(res.body), ErrorType: "FunctionError"}
		}
		fe.ErrorCode = errCodeException
		if fe.StackTrace == nil {
			fe.StackTrace = []string{}
		}
		out.err, out.status = fe, 500
	case <-in.done:
		out.log = in.stray.take()
		out.err = &funcError{ErrorCode: errCodeException, ErrorType: "RuntimeExited", StackTrace: []string{},
			ErrorMessage: "bootstrap exited: " + in.cmd.ProcessState.String()}
		out.status = 500
	case <-timer.C:
		in.kill()
		out.log = in.stray.take()
		out.err = &funcError{ErrorCode: errCodeTimeout, ErrorType: "TimeoutError", StackTrace: []string{},
			ErrorMessage: fmt.Sprintf("invocation timed out after %s", timeout.Round(time.Millisecond))}
		out.status = 408
	}
	return out
}
