// Package emulator is an in-memory FunctionGraph (FGS) + IAM service for offline
// development and tests. It is written from the API reference
// (shared/seeds/002_ccc8fd3378e70380.txt) and deliberately shares no code with the
// provider or the REST client: it is a second, independent implementation.
//
// Choices where the reference contradicts itself are documented next to the code
// and collected in CONTRADICTIONS.md.
package emulator

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Config configures an Emulator. Zero values are replaced by DefaultConfig values.
type Config struct {
	Region, ProjectID, ProjectName, DomainID, DomainName, UserID, UserName, Password, AccessKey, SecretKey string

	TokenTTL   time.Duration    // default 24h
	ClockSkew  time.Duration    // AK/SK X-Sdk-Date window, default 15m
	StateFile  string           // optional: loaded at New, written atomically after every mutation
	Latency    [2]time.Duration // min,max added per request (0,0 = none)
	FaultRate  float64          // 0..1 probability of injecting a fault on a /v2 request
	FaultKinds []string         // of "429","500","503","drop"
	Now        func() time.Time // optional clock for tests
	Logger     *log.Logger      // one line per request; nil = silent

	// FunctionQuota is the fgs_func_num quota (default 400, the figure of FSS.1041).
	FunctionQuota int
	// AuthErrorsAs403 answers a missing, invalid or expired credential the way the reference's
	// examples do (403 FSS.0403 "invalid token", L3414) instead of table 6-2's 401 FSS.0401.
	AuthErrorsAs403 bool
	// CodeSizeQuotaMB is the fgs_func_code_size quota over all stored packages (default 10240, FSS.1042).
	CodeSizeQuotaMB int

	// Function execution (exec.go): NoExec answers invocations with 501; ExecSeed seeds the
	// alias traffic split (0 = random); InstanceIdleTimeout reaps idle instances (default 5m).
	NoExec              bool
	ExecSeed            int64
	InstanceIdleTimeout time.Duration
}

// Default identity values: fixed so that the demo needs no set-up.
const (
	DefaultRegion      = "eu-de"
	DefaultProjectID   = "0c4a9a1e2b3f4d5e6f708192a3b4c5d6"
	DefaultProjectName = "eu-de"
	DefaultDomainName  = "fgs-demo"
	DefaultDomainID    = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	DefaultUserName    = "fgs-user"
	DefaultUserID      = "3f2e1d0c9b8a79685746352413021f0e"
	DefaultPassword    = "fgs-emulator-password"
	DefaultAccessKey   = "FGSEMULATORACCESSKEY"
	DefaultSecretKey   = "fgsEmulatorSecretKey0123456789abcdefGHIJ"
)

// DefaultConfig returns the fixed demo identity and default timings.
func DefaultConfig() Config {
	return Config{
		Region: DefaultRegion, ProjectID: DefaultProjectID, ProjectName: DefaultProjectName,
		DomainID: DefaultDomainID, DomainName: DefaultDomainName,
		UserID: DefaultUserID, UserName: DefaultUserName, Password: DefaultPassword,
		AccessKey: DefaultAccessKey, SecretKey: DefaultSecretKey,
		TokenTTL: 24 * time.Hour, ClockSkew: 15 * time.Minute,
		FunctionQuota: 400, CodeSizeQuotaMB: 10240,
	}
}

func (c *Config) fill() {
	d := DefaultConfig()
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	set(&c.Region, d.Region)
	set(&c.ProjectID, d.ProjectID)
	set(&c.ProjectName, d.ProjectName)
	set(&c.DomainID, d.DomainID)
	set(&c.DomainName, d.DomainName)
	set(&c.UserID, d.UserID)
	set(&c.UserName, d.UserName)
	set(&c.Password, d.Password)
	set(&c.AccessKey, d.AccessKey)
	set(&c.SecretKey, d.SecretKey)
	if c.TokenTTL <= 0 {
		c.TokenTTL = d.TokenTTL
	}
	if c.ClockSkew <= 0 {
		c.ClockSkew = d.ClockSkew
	}
	if c.FunctionQuota <= 0 {
		c.FunctionQuota = d.FunctionQuota
	}
	if c.CodeSizeQuotaMB <= 0 {
		c.CodeSizeQuotaMB = d.CodeSizeQuotaMB
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Emulator is an http.Handler serving /v3 (IAM), /v2 (FunctionGraph) and /_emulator (operator).
type Emulator struct {
	cfg Config

	mu     sync.Mutex // guards st and persistence
	st     *state
	counts map[string]int

	fmu        sync.Mutex // guards faults and rnd
	faultRate  float64
	faultKinds []string
	rnd        *rand.Rand

	routes []route
	exec   *executor // function instances (pool.go)
}

// New builds an emulator, loading cfg.StateFile if it exists.
func New(cfg Config) (*Emulator, error) {
	cfg.fill()
	if cfg.FaultRate < 0 || cfg.FaultRate > 1 {
		return nil, fmt.Errorf("fault rate %v outside 0..1", cfg.FaultRate)
	}
	if err := validKinds(cfg.FaultKinds); err != nil {
		return nil, err
	}
	if cfg.Latency[1] < cfg.Latency[0] {
		cfg.Latency[1] = cfg.Latency[0]
	}
	e := &Emulator{
		cfg:        cfg,
		st:         newState(),
		counts:     map[string]int{},
		faultRate:  cfg.FaultRate,
		faultKinds: append([]string(nil), cfg.FaultKinds...),
		rnd:        rand.New(rand.NewSource(time.Now().UnixNano())),
	}
	if cfg.StateFile != "" {
		st, err := loadState(cfg.StateFile)
		if err != nil {
			return nil, err
		}
		if st != nil {
			e.st = st
		}
	}
	e.seedPublicDependencies()
	e.routes = e.buildRoutes()
	e.exec = newExecutor(e)
	e.ensureTimers() // TIMER triggers of a loaded state file
	return e, nil
}

func validKinds(kinds []string) error {
	for _, k := range kinds {
		switch k {
		case "429", "500", "503", "drop":
		default:
			return fmt.Errorf("unknown fault kind %q (want 429, 500, 503 or drop)", k)
		}
	}
	return nil
}

// Counts returns a copy of the per-route request counts, keyed "METHOD /route/pattern".
func (e *Emulator) Counts() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.counts))
	for k, v := range e.counts {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the per-route counts.
func (e *Emulator) ResetCounts() {
	e.mu.Lock()
	e.counts = map[string]int{}
	e.mu.Unlock()
}

// SetFaults changes the fault injection rate and kinds at run time.
// An invalid rate is clamped to 0..1; unknown kinds are dropped.
func (e *Emulator) SetFaults(rate float64, kinds []string) {
	if rate < 0 {
		rate = 0
	}
	if rate > 1 {
		rate = 1
	}
	var ks []string
	for _, k := range kinds {
		if validKinds([]string{k}) == nil {
			ks = append(ks, k)
		}
	}
	e.fmu.Lock()
	e.faultRate, e.faultKinds = rate, ks
	e.fmu.Unlock()
}

// Reset drops all service state (functions, dependencies, ...) and the counts.
// Issued IAM tokens stay valid so that running clients keep working.
func (e *Emulator) Reset() {
	e.mu.Lock()
	tokens := e.st.Tokens
	e.st = newState()
	e.st.Tokens = tokens
	e.counts = map[string]int{}
	e.mu.Unlock()
	e.seedPublicDependencies()
	e.mu.Lock()
	e.persistLocked()
	e.mu.Unlock()
	e.afterRequest(http.MethodPost, "/_emulator/reset")
}

func (e *Emulator) now() time.Time { return e.cfg.Now().UTC() }

// statusRecorder captures the status code for logging.
type statusRecorder struct {
	http.ResponseWriter
	status int
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
		e.cfg.Logger.Printf("%s %s %s %s", r.Method, r.URL.RequestURI(), stText, time.Since(start).Round(time.Microsecond))
	}
}

func (e *Emulator) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if strings.HasPrefix(path, "/_emulator/") || path == "/_emulator" {
		e.serveOperator(w, r)
		return
	}
	if strings.HasPrefix(path, apigPrefix) {
		e.serveAPIG(w, r) // APIG triggers (apig.go)
		return
	}
	isV2 := strings.HasPrefix(path, "/v2/")
	isV3 := strings.HasPrefix(path, "/v3/")
	if !isV2 && !isV3 {
		writeErr(w, http.StatusNotFound, "FSS.0404", "The specified resource was not found.")
		return
	}
	rt, params, methodMismatch := e.match(r.Method, path)
	key := r.Method + " " + path
	if rt != nil {
		key = r.Method + " " + rt.pattern
	}
	e.mu.Lock()
	e.counts[key]++
	e.mu.Unlock()
	// Every answer of the service carries a request id (real services send X-Request-Id).
	w.Header().Set("X-Request-Id", randHex(16))

	e.sleepLatency()
	if isV2 && e.injectFault(w) {
		return
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
	e.afterRequest(r.Method, path)
}

const maxBody = 64 << 20

func (e *Emulator) sleepLatency() {
	lo, hi := e.cfg.Latency[0], e.cfg.Latency[1]
	if hi <= 0 {
		return
	}
	d := lo
	if hi > lo {
		e.fmu.Lock()
		d += time.Duration(e.rnd.Int63n(int64(hi - lo + 1)))
		e.fmu.Unlock()
	}
	time.Sleep(d)
}

// injectFault answers with a fault with probability faultRate; reports whether it did.
func (e *Emulator) injectFault(w http.ResponseWriter) bool {
	e.fmu.Lock()
	rate, kinds := e.faultRate, e.faultKinds
	hit := rate > 0 && len(kinds) > 0 && e.rnd.Float64() < rate
	kind := ""
	if hit {
		kind = kinds[e.rnd.Intn(len(kinds))]
	}
	e.fmu.Unlock()
	if !hit {
		return false
	}
	switch kind {
	case "429":
		w.Header().Set("Retry-After", "1")
		writeErr(w, http.StatusTooManyRequests, "FSS.0429", "api is busy now")
	case "500":
		writeErr(w, http.StatusInternalServerError, "FSS.0500", "Internal server error.")
	case "503":
		writeErr(w, http.StatusServiceUnavailable, "FSS.0503", "Service unavailable.")
	case "drop":
		if h, ok := w.(http.Hijacker); ok {
			if conn, _, err := h.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		// Not hijackable (e.g. httptest.ResponseRecorder): fall back to a 503.
		writeErr(w, http.StatusServiceUnavailable, "FSS.0503", "Service unavailable.")
	}
	return true
}

// serveOperator handles /_emulator/*: no auth, no counting, no faults.
func (e *Emulator) serveOperator(w http.ResponseWriter, r *http.Request) {
	if e.serveExecOperator(w, r) {
		return
	}
	switch {
	case r.URL.Path == "/_emulator/requests" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, e.Counts())
	case r.URL.Path == "/_emulator/requests" && r.Method == http.MethodDelete:
		e.ResetCounts()
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/_emulator/faults" && r.Method == http.MethodGet:
		e.fmu.Lock()
		out := map[string]any{"rate": e.faultRate, "kinds": nonNil(e.faultKinds)}
		e.fmu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case r.URL.Path == "/_emulator/faults" && r.Method == http.MethodPut:
		var in struct {
			Rate  *float64 `json:"rate"`
			Kinds []string `json:"kinds"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Rate == nil || *in.Rate < 0 || *in.Rate > 1 {
			writeErr(w, http.StatusBadRequest, "FSS.0400", "body must be {\"rate\":0..1,\"kinds\":[...]}")
			return
		}
		if err := validKinds(in.Kinds); err != nil {
			writeErr(w, http.StatusBadRequest, "FSS.0400", err.Error())
			return
		}
		e.SetFaults(*in.Rate, in.Kinds)
		writeJSON(w, http.StatusOK, map[string]any{"rate": *in.Rate, "kinds": nonNil(in.Kinds)})
	case r.URL.Path == "/_emulator/reset" && r.Method == http.MethodPost:
		e.Reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeErr(w, http.StatusNotFound, "FSS.0404", "The specified resource was not found.")
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ---- routing ----

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

// ---- response helpers ----

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

// apiError is the FunctionGraph error body (002 L696-L705).
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
