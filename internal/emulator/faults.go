package emulator

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault injection: rules that pick requests by method, route and rate, the deterministic draws
// that decide which requests they strike, and the answers they put in place of the real one.

// Fault phases.
const (
	// PhaseBefore strikes before the handler runs: nothing is committed.
	PhaseBefore = "before"
	// PhaseAfter runs the handler, so its write is committed (and persisted), then loses the answer.
	PhaseAfter = "after"
)

// Fault kinds. "drop" closes the connection without an answer; "hang" accepts the request and
// never answers until the client gives up, the emulator is closed or Config.HangMax passes.
var phaseKinds = map[string][]string{
	PhaseBefore: {"429", "500", "502", "503", "504", "drop", "hang"},
	// A throttling answer after the work was done is not something a service does: no 429 here.
	PhaseAfter: {"500", "502", "503", "504", "drop", "hang"},
}

// FaultRule injects faults into the requests it matches.
type FaultRule struct {
	Phase string `json:"phase"` // PhaseBefore (default) or PhaseAfter
	// Method is the HTTP method; "" or "*" matches every method.
	Method string `json:"method,omitempty"`
	// Route is a route pattern as in Counts' keys (e.g. "/v2/{project_id}/fgs/functions"); a trailing
	// "*" matches every pattern with that prefix. "" or "*" matches every /v2 request, like
	// Config.FaultRate; IAM (/v3) routes are struck only when named.
	Route string   `json:"route,omitempty"`
	Rate  float64  `json:"rate"`  // 0..1, drawn per matching request
	Kinds []string `json:"kinds"` // one is picked per struck request
}

// String is the flag form: "PHASE METHOD ROUTE RATE KINDS".
func (r FaultRule) String() string {
	m, rt := r.Method, r.Route
	if m == "" {
		m = "*"
	}
	if rt == "" {
		rt = "*"
	}
	return fmt.Sprintf("%s %s %s %s %s", r.Phase, m, rt, strconv.FormatFloat(r.Rate, 'g', -1, 64), strings.Join(r.Kinds, ","))
}

// ParseFaultRule parses the flag form "PHASE METHOD ROUTE RATE KINDS",
// e.g. "after POST /v2/{project_id}/fgs/functions 0.3 503,drop" or "before * * 0.1 hang".
func ParseFaultRule(s string) (FaultRule, error) {
	f := strings.Fields(s)
	if len(f) != 5 {
		return FaultRule{}, fmt.Errorf("fault rule %q: want \"PHASE METHOD ROUTE RATE KINDS\", e.g. \"after POST /v2/{project_id}/fgs/functions 0.3 503,drop\"", s)
	}
	rate, err := strconv.ParseFloat(f[3], 64)
	if err != nil {
		return FaultRule{}, fmt.Errorf("fault rule %q: rate %q is not a number", s, f[3])
	}
	return FaultRule{Phase: f[0], Method: f[1], Route: f[2], Rate: rate, Kinds: strings.Split(f[4], ",")}, nil
}

var faultMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true}

// normalize checks a rule against the registered routes and returns it in canonical form.
func (r FaultRule) normalize(routes []route) (FaultRule, error) {
	if r.Phase == "" {
		r.Phase = PhaseBefore
	}
	allowed, ok := phaseKinds[r.Phase]
	if !ok {
		return r, fmt.Errorf("fault phase %q: want %q or %q", r.Phase, PhaseBefore, PhaseAfter)
	}
	if r.Method == "*" {
		r.Method = ""
	}
	r.Method = strings.ToUpper(r.Method)
	if r.Method != "" && !faultMethods[r.Method] {
		return r, fmt.Errorf("fault method %q: want GET, POST, PUT, DELETE, PATCH or *", r.Method)
	}
	if r.Route == "*" {
		r.Route = ""
	}
	if r.Route != "" {
		found := false
		for _, rt := range routes {
			if routeMatches(r.Route, rt.pattern) {
				found = true
				break
			}
		}
		if !found {
			return r, fmt.Errorf("fault route %q matches no route of the emulator (the keys of GET /_emulator/requests show the patterns)", r.Route)
		}
	}
	if !(r.Rate >= 0 && r.Rate <= 1) {
		return r, fmt.Errorf("fault rate %v outside 0..1", r.Rate)
	}
	if len(r.Kinds) == 0 {
		return r, fmt.Errorf("fault rule %q: no kinds", r.String())
	}
	kinds := make([]string, len(r.Kinds))
	for i, k := range r.Kinds {
		k = strings.TrimSpace(k)
		if !contains(allowed, k) {
			return r, fmt.Errorf("fault kind %q is not possible %s the handler (want one of %s)", k, r.Phase, strings.Join(allowed, ", "))
		}
		kinds[i] = k
	}
	r.Kinds = kinds
	return r, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func routeMatches(rule, pattern string) bool {
	if p, ok := strings.CutSuffix(rule, "*"); ok {
		return strings.HasPrefix(pattern, p)
	}
	return rule == pattern
}

func (r *FaultRule) matches(method, pattern string, isV2 bool) bool {
	if r.Method != "" && r.Method != method {
		return false
	}
	if r.Route == "" {
		return isV2
	}
	return routeMatches(r.Route, pattern)
}

// fault is the decision for one request.
type fault struct {
	phase, kind string
}

// drawFault decides whether a request is struck. Each rule (and the global rate) keeps one
// stream of draws per route key, numbered from the last change of the fault settings, and the
// n-th draw of a stream depends only on the seed: the n-th POST /fgs/functions meets the same
// fate in every run with the same seed, however other routes' requests interleave.
func (e *Emulator) drawFault(method, key, pattern string, isV2 bool) *fault {
	e.fmu.Lock()
	defer e.fmu.Unlock()
	try := func(stream string, rate float64, phase string, kinds []string) *fault {
		if rate <= 0 || len(kinds) == 0 {
			return nil
		}
		u, v := e.drawLocked(stream + "|" + key)
		if u >= rate {
			return nil
		}
		f := &fault{phase: phase, kind: kinds[int(v*float64(len(kinds)))%len(kinds)]}
		e.injected[phase+" "+f.kind+" "+key]++
		return f
	}
	if isV2 {
		if f := try("global", e.faultRate, PhaseBefore, e.faultKinds); f != nil {
			return f
		}
	}
	for i := range e.faultRules {
		r := &e.faultRules[i]
		if r.matches(method, pattern, isV2) {
			if f := try("rule"+strconv.Itoa(i), r.Rate, r.Phase, r.Kinds); f != nil {
				return f
			}
		}
	}
	return nil
}

// drawLocked returns the next two uniform numbers in [0,1) of a stream.
func (e *Emulator) drawLocked(stream string) (float64, float64) {
	n := e.draws[stream]
	e.draws[stream] = n + 1
	h := fnv.New64a()
	_, _ = h.Write([]byte(stream))
	x := splitmix(uint64(e.faultSeed) ^ h.Sum64() ^ splitmix(n))
	return unit(x), unit(splitmix(x))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func unit(x uint64) float64 { return float64(x>>11) / (1 << 53) }

// answerFault writes the fault's answer in place of the real one.
func (e *Emulator) answerFault(w http.ResponseWriter, r *http.Request, kind string) {
	switch kind {
	case "429":
		w.Header().Set("Retry-After", "1")
		writeErr(w, http.StatusTooManyRequests, "FSS.0429", "api is busy now")
	case "500":
		writeErr(w, http.StatusInternalServerError, "FSS.0500", "Internal server error.")
	case "502":
		// 502 and 504 come from the API gateway in front of the service, in the gateway's codes.
		writeErr(w, http.StatusBadGateway, "APIG.0202", "Backend unavailable.")
	case "503":
		writeErr(w, http.StatusServiceUnavailable, "FSS.0503", "Service unavailable.")
	case "504":
		writeErr(w, http.StatusGatewayTimeout, "APIG.0203", "Backend timeout.")
	case "drop":
		dropConnection(w)
	case "hang":
		e.hang(w, r)
	}
}

// dropConnection closes the connection without writing anything.
func dropConnection(w http.ResponseWriter) {
	if h, ok := w.(http.Hijacker); ok {
		if conn, _, err := h.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (e.g. httptest.ResponseRecorder): fall back to a 503.
	writeErr(w, http.StatusServiceUnavailable, "FSS.0503", "Service unavailable.")
}

// hang holds the request without an answer until the client gives up (nothing to answer then),
// the emulator is closed or HangMax passes (the connection is dropped then).
func (e *Emulator) hang(w http.ResponseWriter, r *http.Request) {
	// The server notices a client that goes away only once the body has been read.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
	t := time.NewTimer(e.cfg.HangMax)
	e.hanging.Add(1)
	select {
	case <-r.Context().Done():
	case <-e.closed:
	case <-t.C:
	}
	// Released before the drop, so that a client seeing the close sees the count down too.
	e.hanging.Add(-1)
	t.Stop()
	if r.Context().Err() != nil {
		if rec, ok := w.(*statusRecorder); ok {
			rec.status, rec.note = -1, rec.note+", until the client gave up"
		}
		return
	}
	dropConnection(w)
}

// Hanging reports how many requests a "hang" fault holds right now.
func (e *Emulator) Hanging() int { return int(e.hanging.Load()) }

// heldAnswer keeps the handler's answer of a request struck after the handler.
type heldAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldAnswer) Header() http.Header { return h.header }

func (h *heldAnswer) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}

func (h *heldAnswer) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}

// loseAnswer answers the fault in place of the held answer, which is discarded.
func (e *Emulator) loseAnswer(w http.ResponseWriter, r *http.Request, f *fault, held *heldAnswer) {
	st := held.status
	if st == 0 {
		st = http.StatusOK
	}
	if rec, ok := w.(*statusRecorder); ok {
		rec.note = fmt.Sprintf("fault after handler (%d): %s", st, f.kind)
	}
	e.answerFault(w, r, f.kind)
}

// Close releases every request a "hang" fault holds (their connections are dropped) and makes
// later hangs end at once. The emulator keeps answering otherwise.
func (e *Emulator) Close() error {
	e.closeOnce.Do(func() { close(e.closed) })
	return nil
}
