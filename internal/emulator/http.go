package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// HTTP plumbing: dispatch, routing, body decoding and the answer helpers.

// decode parses a JSON body. Malformed JSON is 406 FSS.0406 (table 6-2: "request body may
// not be in the required JSON format"); a wrong JSON type is 400 FSS.0400.
// decodeOrFail decodes the body into v, or answers the error and reports false, as resolve does for URNs.
func (c *reqCtx) decodeOrFail(v any, allowEmpty bool) bool {
	if aerr := c.decode(v, allowEmpty); aerr != nil {
		c.fail(aerr)
		return false
	}
	return true
}

func (c *reqCtx) decode(v any, allowEmpty bool) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		if allowEmpty {
			return nil
		}
		return errf(400, "FSS.0400", "Invalid parameter: the request body is required.")
	}
	err := json.Unmarshal(c.body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errf(400, "FSS.0400", "Invalid parameter: %s must be of type %s.", te.Field, te.Type.String())
	}
	return errf(406, "FSS.0406", "Not acceptable: the request body is not valid JSON.")
}

// statusRecorder captures the status code for logging.
type statusRecorder struct {
	http.ResponseWriter
	status int
	note   string // an injected fault, for the log line
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("hijacking not supported")
	}
	s.status = -1
	return h.Hijack()
}

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	e.serve(rec, r)
	if e.cfg.Logger != nil {
		st := rec.status
		if st == 0 {
			st = http.StatusOK
		}
		stText := fmt.Sprint(st)
		if st == -1 {
			stText = "dropped"
		}
		if rec.note != "" {
			stText += " (" + rec.note + ")"
		}
		e.cfg.Logger.Printf("%s %s %s %s", r.Method, r.URL.RequestURI(), stText, time.Since(start).Round(time.Microsecond))
	}
}

func (e *Emulator) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if strings.HasPrefix(path, "/_emulator/") || path == "/_emulator" {
		e.serveOperator(w, r)
		return
	}
	if path == "/" && r.Method == http.MethodGet {
		e.serveVersions(w, r)
		return
	}
	isV2 := strings.HasPrefix(path, "/v2/")
	isV3 := path == "/v3" || strings.HasPrefix(path, "/v3/")
	if !isV2 && !isV3 {
		writeErr(w, http.StatusNotFound, "FSS.0404", "The specified resource was not found.")
		return
	}
	rt, params, methodMismatch := e.match(r.Method, path)
	pattern := path
	if rt != nil {
		pattern = rt.pattern
	}
	key := r.Method + " " + pattern
	e.mu.Lock()
	e.counts[key]++
	e.mu.Unlock()
	// Every answer of the service carries a request id (real services send X-Request-Id).
	w.Header().Set("X-Request-Id", randHex(16))

	e.sleepLatency()
	if f := e.drawFault(r.Method, key, pattern, isV2); f != nil {
		if f.phase == PhaseBefore {
			if rec, ok := w.(*statusRecorder); ok {
				rec.note = "fault before handler: " + f.kind
			}
			e.answerFault(w, r, f.kind)
			return
		}
		// After the handler: it answers into held, the fault answers the client.
		held := &heldAnswer{header: http.Header{}}
		defer e.loseAnswer(w, r, f, held)
		w = held
	}
	if rt == nil {
		if methodMismatch {
			writeErr(w, http.StatusMethodNotAllowed, "FSS.0405", "Method not allowed.")
			return
		}
		if isV3 {
			writeKeystoneErr(w, http.StatusNotFound, "Not Found", "The resource could not be found.")
			return
		}
		writeErr(w, http.StatusNotFound, "FSS.0404", "The specified resource was not found.")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "FSS.0400", "Failed to read the request body.")
		return
	}
	if len(body) > maxBody {
		writeErr(w, http.StatusRequestEntityTooLarge, "FSS.0413", "The request body is too large.")
		return
	}
	c := &reqCtx{w: w, r: r, body: body, params: params, e: e}
	if isV2 {
		if !e.authenticateV2(c) {
			return
		}
	}
	rt.handler(c)
}

const maxBody = 64 << 20

type route struct {
	method  string
	pattern string
	segs    []string
	handler func(*reqCtx)
}

type reqCtx struct {
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	params map[string]string
	e      *Emulator
	token  *token // set for token-authenticated /v2 and /v3 requests
}

func (c *reqCtx) p(name string) string { return c.params[name] }

func (e *Emulator) handle(rs *[]route, method, pattern string, h func(*reqCtx)) {
	*rs = append(*rs, route{method: method, pattern: pattern, segs: strings.Split(strings.Trim(pattern, "/"), "/"), handler: h})
}

// match finds the first route whose segments match. Literal routes are registered
// before parameterised ones, so /fgs/functions/reservedinstances never reaches
// {function_urn}.
func (e *Emulator) match(method, path string) (*route, map[string]string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	mismatch := false
	for i := range e.routes {
		rt := &e.routes[i]
		if len(rt.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for j, s := range rt.segs {
			if strings.HasPrefix(s, "{") {
				if segs[j] == "" {
					ok = false
					break
				}
				params[strings.Trim(s, "{}")] = segs[j]
				continue
			}
			if s != segs[j] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if rt.method != method {
			mismatch = true
			continue
		}
		return rt, params, false
	}
	return nil, nil, mismatch
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error_code":"FSS.0500","error_msg":"Internal server error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// apiError is the FunctionGraph error body (§3.3).
type apiError struct {
	Status int    `json:"-"`
	Code   string `json:"error_code"`
	Msg    string `json:"error_msg"`
}

func (a *apiError) Error() string { return a.Code + ": " + a.Msg }

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, &apiError{Code: code, Msg: msg})
}

func (c *reqCtx) fail(err *apiError) { writeJSON(c.w, err.Status, err) }

func (c *reqCtx) ok(status int, v any) { writeJSON(c.w, status, v) }

func (c *reqCtx) noContent() { c.w.WriteHeader(http.StatusNoContent) }

// Keystone error body: {"error":{"code":401,"message":"...","title":"Unauthorized"}}.
func writeKeystoneErr(w http.ResponseWriter, status int, title, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg, "title": title}})
}
