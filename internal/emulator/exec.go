package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Execution model: an instance is one long-lived interpreter process (python3 or node from
// PATH) running an embedded wrapper around the user's module. The emulator talks to it in
// one-JSON-object-per-line messages: requests on the child's fd 3, answers on its fd 4.
// Instances of one function version are pooled; an idle instance is reused (warm start),
// reaped after Config.InstanceIdleTimeout, and killed (its whole process group) on timeout,
// when its code or configuration changes, when the function goes away and on Close.

// instanceSpec is what an instance runs; instances with equal key and fingerprint are interchangeable.
type instanceSpec struct {
	key         string // function id | version
	funcID      string
	qual        string // the qualifier the URN named ("latest", a version or "!alias")
	urn         string // the URN of the version that runs
	fingerprint string // code and configuration the instance was started with
	lang        *language
	projectID   string
	pkg         string
	funcName    string
	version     string
	alias       string
	conf        funcConfig
	code        funcCode
	userEnv     map[string]string
}

// childMsg is one line the wrapper writes on fd 4.
type childMsg struct {
	Type     string     `json:"type"` // ready, log, result
	ID       string     `json:"id"`
	Text     string     `json:"text"`
	OK       bool       `json:"ok"`
	Result   string     `json:"result"`
	Error    *funcError `json:"error"`
	MemoryMB float64    `json:"memory_mb"`
}

// funcError is the error a function invocation reports (the result of a failed call).
type funcError struct {
	ErrorCode    string   `json:"errorCode"`
	ErrorMessage string   `json:"errorMessage"`
	ErrorType    string   `json:"errorType"`
	StackTrace   []string `json:"stackTrace"`
}

// Error codes of a failed execution (X-Func-Err-Code and result.errorCode), all from table 6-2.
const (
	errCodeTimeout     = "FSS.0408" // Request timeout: the handler or the initializer ran out of time
	errCodeHandler     = "FSS.1003" // Invalid function handler: module or function not found, import failed
	errCodeInitializer = "FSS.1404" // Invalid function initializer: the initializer raised
	errCodeException   = "FSS.0500" // the handler raised, or the instance died
)

// lockedBuffer collects what the process writes on its real stdout/stderr (interpreter crashes).
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written int64 // bytes ever written, to see whether output is still arriving
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.written += int64(len(p))
	if b.buf.Len() < 64<<10 {
		b.buf.Write(p)
	}
	return len(p), nil
}

// settle waits until no output has arrived for quiet (at most max): what a process printed
// just before answering on another channel may still be in the pipe.
func (b *lockedBuffer) settle(quiet, max time.Duration) {
	deadline := time.Now().Add(max)
	b.mu.Lock()
	last := b.written
	b.mu.Unlock()
	for time.Now().Before(deadline) {
		time.Sleep(quiet)
		b.mu.Lock()
		n := b.written
		b.mu.Unlock()
		if n == last {
			return
		}
		last = n
	}
}

// take returns what was written since the last take and forgets it.
func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type instance struct {
	spec     *instanceSpec
	cmd      *exec.Cmd
	dir      string
	reqW     *os.File      // wrapper protocol (Python, Node.js)
	msgs     chan childMsg // wrapper protocol
	api      *runtimeAPI   // custom runtime (custom.go)
	done     chan struct{} // closed when the process has exited
	stray    lockedBuffer
	lastUsed time.Time
	killOnce sync.Once
}

// outcome is what one execution produced.
type outcome struct {
	result   string     // the handler's return value, serialised
	err      *funcError // non-nil when the execution failed
	status   int        // execution status of the v1 body
	log      string     // the function's own output
	duration time.Duration
	memoryMB float64
	cold     bool
}

// start launches an instance and waits until the handler is loaded and the initializer ran.
func (x *executor) start(s *instanceSpec) (*instance, *outcome, error) {
	var interp string
	if s.lang != langCustom {
		var err error
		if interp, err = x.interpreter(s.lang); err != nil {
			return nil, nil, err
		}
	}
	base, err := x.workDir()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp(base, "instance-")
	if err != nil {
		return nil, nil, err
	}
	codeDir, home := filepath.Join(dir, "code"), filepath.Join(dir, "tmp")
	for _, d := range []string{codeDir, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
	}
	if err := unpackCode(s.code, s.conf.Runtime, codeDir); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	if s.lang == langCustom {
		return x.startCustom(s, dir, codeDir, home)
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	ansR, ansW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	args := []string{filepath.Join(base, s.lang.filename)}
	if s.lang == langNode && s.conf.MemorySize > 0 {
		// RLIMIT_AS does not work for V8 (it reserves far more address space than it uses);
		// the heap limit is the closest unprivileged equivalent.
		args = append([]string{"--max-old-space-size=" + strconv.Itoa(s.conf.MemorySize)}, args...)
	}
	cmd := exec.Command(interp, args...)
	cmd.Dir = codeDir
	cmd.Env = instanceEnv(s, codeDir, home)
	cmd.ExtraFiles = []*os.File{reqR, ansW} // fd 3, fd 4
	in := &instance{spec: s, cmd: cmd, dir: dir, reqW: reqW, msgs: make(chan childMsg, 64), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &in.stray, &in.stray
	// A process the handler detached may hold the output pipe open: do not wait for it.
	cmd.WaitDelay = time.Second
	cmd.SysProcAttr = instanceProcAttr() // its own process group (proc_*.go)
	if err := cmd.Start(); err != nil {
		reqR.Close()
		reqW.Close()
		ansR.Close()
		ansW.Close()
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("start %s: %v", interp, err)
	}
	reqR.Close()
	ansW.Close()
	x.mu.Lock()
	x.started = append(x.started, cmd.Process.Pid)
	if len(x.started) > 1000 {
		x.started = x.started[len(x.started)-1000:]
	}
	x.mu.Unlock()
	go in.readAnswers(ansR)
	go func() { _ = cmd.Wait(); close(in.done) }()

	limit := int64(0)
	if s.lang == langPython && s.conf.MemorySize > 0 {
		limit = int64(s.conf.MemorySize) << 20
	}
	initTimeout := s.conf.InitializerTimeout
	if initTimeout <= 0 {
		initTimeout = s.conf.Timeout
	}
	conf := map[string]any{
		"handler": s.conf.Handler, "initializer": s.conf.InitializerHandler,
		"initializer_timeout_ms": initTimeout * 1000, "code_dir": codeDir, "memory_limit_bytes": limit,
		"meta": map[string]any{
			"function_name": s.funcName, "version": s.version, "package": s.pkg, "project_id": s.projectID,
			"memory_size": s.conf.MemorySize, "cpu_number": cpuNumber(s.conf.MemorySize), "timeout": s.conf.Timeout,
			"user_data": s.userEnv,
		},
	}
	started := time.Now()
	// Loading the module is not the initializer's time: it gets its own allowance.
	out := in.exchange(conf, "", loadTimeout, "loaded")
	if out.err != nil && out.err.ErrorCode == errCodeTimeout {
		out.err.ErrorMessage = fmt.Sprintf("the function module did not load within %s", loadTimeout)
	}
	if out.err == nil {
		rest := in.exchange(nil, "", time.Duration(initTimeout)*time.Second, "ready")
		if rest.err != nil && rest.err.ErrorCode == errCodeTimeout {
			rest.err.ErrorMessage = fmt.Sprintf("the initializer did not finish within %ds", initTimeout)
		}
		rest.log = out.log + rest.log
		out = rest
	}
	out.duration = time.Since(started)
	if out.err != nil {
		in.kill()
		return nil, out, nil
	}
	return in, out, nil
}

func (in *instance) readAnswers(r *os.File) {
	defer close(in.msgs)
	defer r.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var m childMsg
			if json.Unmarshal(line, &m) == nil {
				in.msgs <- m
			}
		}
		if err != nil {
			return
		}
	}
}

// loadTimeout bounds the interpreter's start and the loading of the user's module.
const loadTimeout = 10 * time.Second

// exchange sends one message (none if msg is nil) and collects log lines until the answer of type want arrives,
// the process dies or the timeout passes (then the process group is killed).
func (in *instance) exchange(msg any, id string, timeout time.Duration, want string) *outcome {
	werr := make(chan error, 1)
	if msg != nil {
		b, _ := json.Marshal(msg)
		go func() { _, err := in.reqW.Write(append(b, '\n')); werr <- err }()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var log bytes.Buffer
	out := &outcome{status: 200}
	for {
		select {
		case m, ok := <-in.msgs:
			if !ok {
				select {
				case <-in.done:
				case <-time.After(2 * time.Second):
				}
				out.log = log.String() + in.stray.String()
				msg := "the function instance exited"
				if st := in.cmd.ProcessState; st != nil {
					msg += ": " + st.String()
				}
				out.err = &funcError{ErrorCode: errCodeException, ErrorMessage: msg, ErrorType: "RuntimeExited", StackTrace: []string{}}
				out.status = 500
				return out
			}
			switch {
			case m.Type == "log":
				log.WriteString(m.Text)
			case m.Type == "ready" && want == "loaded" && m.Error != nil, // the handler did not load
				m.Type == want && (want != "result" || m.ID == id):
				out.log, out.memoryMB = log.String(), m.MemoryMB
				if m.Type == "ready" && m.Error != nil {
					m.Error.ErrorCode = errCodeHandler
					if m.Error.ErrorType == "InitializerError" {
						m.Error.ErrorCode = errCodeInitializer
					}
					out.err, out.status = m.Error, 500
				} else if want == "result" && !m.OK {
					if m.Error == nil {
						m.Error = &funcError{ErrorMessage: "unknown error", ErrorType: "Error"}
					}
					m.Error.ErrorCode = errCodeException
					out.err, out.status = m.Error, 500
				}
				if out.err != nil && out.err.StackTrace == nil {
					out.err.StackTrace = []string{}
				}
				out.result = m.Result
				return out
			}
		case err := <-werr:
			if err != nil {
				in.kill()
			}
			werr = nil
		case <-timer.C:
			in.kill()
			out.log = log.String()
			out.err = &funcError{ErrorCode: errCodeTimeout, ErrorType: "TimeoutError", StackTrace: []string{},
				ErrorMessage: fmt.Sprintf("invocation timed out after %s", timeout.Round(time.Millisecond))}
			out.status = 408
			return out
		}
	}
}

// invoke runs one request on an idle instance; alias is the alias the call came through.
func (in *instance) invoke(id, alias string, event json.RawMessage) *outcome {
	timeout := time.Duration(in.spec.conf.Timeout) * time.Second
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	started := time.Now()
	if in.api != nil {
		out := in.invokeCustom(id, event, timeout)
		out.duration = time.Since(started)
		return out
	}
	req := map[string]any{"type": "invoke", "id": id, "alias": alias, "event": event, "deadline_ms": started.Add(timeout).UnixMilli()}
	out := in.exchange(req, id, timeout, "result")
	out.duration = time.Since(started)
	return out
}

// kill ends the instance's process group and removes its directory. It returns once the
// process is gone (or after two seconds), so no process survives the call that caused it.
func (in *instance) kill() {
	in.killOnce.Do(func() {
		if p := in.cmd.Process; p != nil {
			killProcessTree(p)
		}
		if in.reqW != nil {
			in.reqW.Close()
			// Unblock the reader, which may be waiting to hand over lines nobody will read now.
			go func() {
				for range in.msgs {
				}
			}()
		}
		if in.api != nil {
			in.api.close()
		}
		select {
		case <-in.done:
		case <-time.After(2 * time.Second):
		}
		os.RemoveAll(in.dir)
	})
}

func (in *instance) alive() bool {
	select {
	case <-in.done:
		return false
	default:
		return true
	}
}

// errNoInterpreter wraps a missing python3/node.
var errNoInterpreter = errors.New("interpreter not available")

func (x *executor) interpreter(l *language) (string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if r, ok := x.interp[l]; ok {
		return r.path, r.err
	}
	p, err := resolveInterpreter(l)
	if err != nil {
		err = fmt.Errorf("%w: %v", errNoInterpreter, err)
	}
	x.interp[l] = interpResult{p, err}
	return p, err
}

// workDir is the emulator's temp directory holding the wrappers and one directory per instance.
func (x *executor) workDir() (string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.baseDir != "" {
		return x.baseDir, nil
	}
	d, err := os.MkdirTemp("", "fgs-emulator-")
	if err != nil {
		return "", err
	}
	for _, l := range []*language{langPython, langNode} {
		if err := os.WriteFile(filepath.Join(d, l.filename), l.wrapper, 0o644); err != nil {
			os.RemoveAll(d)
			return "", err
		}
	}
	x.baseDir = d
	return d, nil
}

var _ io.Writer = (*lockedBuffer)(nil)
