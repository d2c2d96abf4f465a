package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Invocation (API reference 5.1.1 and 5.1.2). Platform errors (unknown function, disabled
// function, oversized or non-JSON body, execution off, runtime not executable) are FSS error
// answers. A failed execution (timeout, handler not found, initializer or handler raised) is
// an answer of 200 whose headers say X-Is-Func-Err: true and X-Func-Err-Code, and whose
// result is the error object, as the vendor's acceptance tests read it (CONTRADICTIONS.md).

const (
	maxInvokeBody = 6 << 20 // 6 MB request body of a synchronous invocation
	logTailBody   = 4096    // X-Cff-Log-Type: tail → the last 4 KB in the v1 body's log
	logTailHeader = 2000    // … and the last 2,000 bytes, Base64, in X-Cff-Function-Log
)

// afterRequest retires instances whose function changed, and starts timers and reserved
// instances; called after every request that may have changed the state (not invocations).
func (e *Emulator) afterRequest(method, path string) {
	if strings.HasSuffix(path, "/invocations") || strings.HasSuffix(path, "/invocations-async") {
		return
	}
	if method != http.MethodGet && e.exec != nil {
		e.exec.syncWithState()
		e.ensureTimers()
		e.warmReserved()
	}
}

// prepareInvocation checks the request of an invocation and resolves its URN.
func (e *Emulator) prepareInvocation(c *reqCtx) (*instanceSpec, json.RawMessage, *apiError) {
	if len(c.body) > maxInvokeBody {
		return nil, nil, errf(413, "FSS.1201", "The request body is too large: %d bytes, the limit is 6 MB.", len(c.body))
	}
	return e.prepareInvocationFor(c.p("function_urn"), c.p("project_id"), c.body)
}

// prepareInvocationFor resolves a URN (routing alias traffic by weight) and checks
// everything that fails before any code runs.
func (e *Emulator) prepareInvocationFor(urn, project string, body []byte) (*instanceSpec, json.RawMessage, *apiError) {
	event := json.RawMessage(bytes.TrimSpace(body))
	if len(event) == 0 {
		event = json.RawMessage("{}")
	}
	if !json.Valid(event) {
		return nil, nil, errf(406, "FSS.0406", "Not acceptable: the request body is not JSON.")
	}
	e.mu.Lock()
	t, aerr := e.resolveLocked(urn, project)
	if aerr != nil {
		e.mu.Unlock()
		return nil, nil, aerr
	}
	ver, aliasName := t.ver, ""
	if t.alias != nil {
		aliasName = t.alias.Name
		if v := t.fn.version(e.exec.pickWeighted(t.alias.Version, t.alias.Weights)); v != nil {
			ver = v
		}
	}
	spec := e.specLocked(t.fn, ver, t.qualKey(), aliasName)
	e.mu.Unlock()

	if spec.conf.Strategy.Concurrency == 0 {
		return nil, nil, errf(403, "FSS.0403", "Forbidden: the function is disabled (its maximum number of instances is 0).")
	}
	if e.cfg.NoExec {
		return nil, nil, errf(501, "FSS.0501", "Function execution is turned off in this emulator (--no-exec).")
	}
	if !execSupported {
		return nil, nil, errf(501, "FSS.0501", "Function execution is not available on %s: the emulator runs functions on Linux and macOS.", runtime.GOOS)
	}
	if spec.lang == nil || (spec.conf.CustomImage != nil && spec.conf.CustomImage.Enabled) {
		return nil, nil, errf(501, "FSS.0501", "Cannot execute runtime %s in the emulator: it runs Python 3, Node.js and Custom (bootstrap) functions only.", spec.conf.Runtime)
	}
	if spec.code.CodeType == "obs" {
		return nil, nil, errf(501, "FSS.0501", "Cannot execute code stored in OBS (%s) in the emulator: upload it as zip or inline code.", spec.code.CodeURL)
	}
	return spec, event, nil
}

// specLocked describes the instances that run version ver of f; callers hold e.mu.
func (e *Emulator) specLocked(f *function, ver *funcVersion, qual, aliasName string) *instanceSpec {
	spec := &instanceSpec{
		key: f.ID + "|" + ver.Version, funcID: f.ID, qual: qual, urn: e.qualURN(f, ver.Version),
		fingerprint: specFingerprint(ver), lang: languageFor(ver.Conf.Runtime),
		projectID: e.cfg.ProjectID, pkg: f.Package, funcName: f.Name, version: ver.Version, alias: aliasName,
		conf: ver.Conf, code: ver.Code, userEnv: userEnv(ver.Conf),
	}
	// The instance limit is a setting of the function (PUT config-max-instance acts on it).
	spec.conf.Strategy = f.Head.Conf.Strategy
	return spec
}

// execute runs one invocation to its end (cold start included).
func (e *Emulator) execute(spec *instanceSpec, reqID string, event json.RawMessage) (*outcome, *apiError) {
	in, boot, aerr := e.exec.acquire(spec)
	if aerr != nil {
		if aerr.Code == "FSS.0429" {
			e.recordRejection(spec)
		}
		return nil, aerr
	}
	if in == nil {
		if boot == nil {
			return nil, errf(500, "FSS.0500", "Internal server error: the function instance did not start.")
		}
		return boot, nil
	}
	out := in.invoke(reqID, spec.alias, event)
	if boot != nil {
		out.log = boot.log + out.log
		out.cold = true
	}
	if out.err != nil && out.err.ErrorCode == errCodeTimeout {
		e.exec.discard(in)
	} else {
		e.exec.release(in)
	}
	return out, nil
}

func (e *Emulator) invokeSync(c *reqCtx) {
	spec, event, aerr := e.prepareInvocation(c)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	reqID := uuid()
	start := e.now()
	out, aerr := e.execute(spec, reqID, event)
	if aerr != nil {
		if strings.Contains(aerr.Msg, errNoInterpreter.Error()) {
			aerr = errf(501, "FSS.0501", "Cannot execute runtime %s in the emulator: %s", spec.conf.Runtime, aerr.Msg)
		}
		c.fail(aerr)
		return
	}
	e.recordInvocation(spec, reqID, start, out, false)
	e.writeInvocation(c, spec, reqID, start, out)
}

// writeInvocation renders a finished execution: v1 (JSON, what SDKs ask for) or v0 (the result as text).
func (e *Emulator) writeInvocation(c *reqCtx, spec *instanceSpec, reqID string, start time.Time, out *outcome) {
	result := out.result
	if out.err != nil {
		b, _ := json.Marshal(out.err)
		result = string(b)
	}
	log := fullLog(reqID, spec, start, e.now(), out)
	ms := float64(out.duration.Microseconds()) / 1000
	billing := int(math.Ceil(ms))
	summary, _ := json.Marshal(map[string]any{
		"funcDigest": "", "duration": ms, "billingDuration": billing,
		"memorySize": spec.conf.MemorySize, "memoryUsed": math.Round(out.memoryMB*1000) / 1000,
	})
	h := c.w.Header()
	h.Set("X-Cff-Request-Id", reqID)
	h.Set("X-Cff-Invoke-Summary", string(summary))
	h.Set("X-CFF-Billing-Duration", strconv.Itoa(billing))
	if out.err != nil {
		h.Set("X-Func-Err-Code", out.err.ErrorCode)
		h.Set("X-Is-Func-Err", "true")
	} else {
		h.Set("X-Func-Err-Code", "0")
		h.Set("X-Is-Func-Err", "false")
	}
	tail := strings.EqualFold(c.r.Header.Get("X-Cff-Log-Type"), "tail")
	if tail {
		h.Set("X-Cff-Function-Log", base64.StdEncoding.EncodeToString([]byte(lastBytes(log, logTailHeader))))
	}
	if strings.EqualFold(c.r.Header.Get("X-CFF-Request-Version"), "v1") {
		h.Set("X-Cff-Response-Version", "v1")
		body := map[string]any{"request_id": reqID, "result": result, "log": "", "status": out.status}
		if tail {
			body["log"] = lastBytes(log, logTailBody)
		}
		c.ok(200, body)
		return
	}
	// v0 (also without the header, as before the header existed): the result itself.
	h.Set("X-Cff-Response-Version", "v0")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	c.w.WriteHeader(200)
	_, _ = c.w.Write([]byte(result))
}

// fullLog frames the function's output with the service's start and finish lines.
func fullLog(reqID string, spec *instanceSpec, start, end time.Time, out *outcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s Start invoke request '%s', version: %s\n", start.UTC().Format(time.RFC3339), reqID, spec.version)
	b.WriteString(out.log)
	if out.log != "" && !strings.HasSuffix(out.log, "\n") {
		b.WriteByte('\n')
	}
	if out.err != nil {
		fmt.Fprintf(&b, "%s %s: %s\n", end.UTC().Format(time.RFC3339), out.err.ErrorType, out.err.ErrorMessage)
	}
	ms := float64(out.duration.Microseconds()) / 1000
	fmt.Fprintf(&b, "%s Finish invoke request '%s', duration: %.3fms, billing duration: %dms, memory used: %.3fMB, billing memory: %dMB",
		end.UTC().Format(time.RFC3339), reqID, ms, int(math.Ceil(ms)), out.memoryMB, spec.conf.MemorySize)
	return b.String()
}

func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
