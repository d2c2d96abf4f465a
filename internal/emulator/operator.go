package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The operator side: request counts, fault settings, token lifetime, latency, reset and the
// /_emulator endpoints.

func validKinds(kinds []string) error {
	for _, k := range kinds {
		if !contains(phaseKinds[PhaseBefore], k) {
			return fmt.Errorf("unknown fault kind %q (want one of %s)", k, strings.Join(phaseKinds[PhaseBefore], ", "))
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

// ResetCounts zeroes the per-route counts and the counts of injected faults.
func (e *Emulator) ResetCounts() {
	e.mu.Lock()
	e.counts = map[string]int{}
	e.mu.Unlock()
	e.fmu.Lock()
	e.injected = map[string]int{}
	e.fmu.Unlock()
}

// InjectedFaults returns how many faults were injected, keyed "PHASE KIND METHOD /route/pattern".
func (e *Emulator) InjectedFaults() map[string]int {
	e.fmu.Lock()
	defer e.fmu.Unlock()
	out := make(map[string]int, len(e.injected))
	for k, v := range e.injected {
		out[k] = v
	}
	return out
}

// SetFaults changes the fault rate and kinds that strike every /v2 request before the handler.
// An invalid rate is clamped to 0..1; unknown kinds are dropped. The rules stay.
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
	e.draws = map[string]uint64{}
	e.fmu.Unlock()
}

// SetFaultRules replaces the fault rules; an invalid rule rejects them all.
func (e *Emulator) SetFaultRules(rules []FaultRule) error {
	norm, err := e.normalizeRules(rules)
	if err != nil {
		return err
	}
	e.fmu.Lock()
	e.faultRules = norm
	e.draws = map[string]uint64{}
	e.fmu.Unlock()
	return nil
}

func (e *Emulator) normalizeRules(rules []FaultRule) ([]FaultRule, error) {
	norm := make([]FaultRule, 0, len(rules))
	for _, r := range rules {
		n, err := r.normalize(e.routes)
		if err != nil {
			return nil, err
		}
		norm = append(norm, n)
	}
	return norm, nil
}

// FaultRules returns a copy of the fault rules.
func (e *Emulator) FaultRules() []FaultRule {
	e.fmu.Lock()
	defer e.fmu.Unlock()
	return append([]FaultRule{}, e.faultRules...)
}

// ClearFaults turns every fault off: the global rate and all rules.
func (e *Emulator) ClearFaults() {
	e.fmu.Lock()
	e.faultRate, e.faultKinds, e.faultRules = 0, nil, nil
	e.draws = map[string]uint64{}
	e.fmu.Unlock()
}

// SetTokenTTL changes the lifetime of the IAM tokens issued from now on.
func (e *Emulator) SetTokenTTL(d time.Duration) {
	e.fmu.Lock()
	e.tokenTTL = d
	e.fmu.Unlock()
}

func (e *Emulator) currentTokenTTL() time.Duration {
	e.fmu.Lock()
	defer e.fmu.Unlock()
	return e.tokenTTL
}

// ExpireTokens makes every issued IAM token expire now, as if its lifetime had run out.
func (e *Emulator) ExpireTokens() {
	now := e.now()
	e.mu.Lock()
	for _, t := range e.st.Tokens {
		if t.ExpiresAt.After(now) {
			t.ExpiresAt = now
		}
	}
	e.persistLocked()
	e.mu.Unlock()
}

// Reset drops all service state (functions, dependencies, ...) and the counts.
// Issued IAM tokens stay valid so that running clients keep working; the faults stay.
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

// OperatorEndpoint describes one /_emulator endpoint (no auth, not counted, never faulted).
type OperatorEndpoint struct {
	Method, Path, Doc string
}

// OperatorEndpoints lists the /_emulator endpoints; fgs-emulator --help prints them.
func OperatorEndpoints() []OperatorEndpoint {
	return []OperatorEndpoint{
		{"GET", "/_emulator/requests", `request counts per route: {"METHOD /route/pattern": n}`},
		{"DELETE", "/_emulator/requests", "zero the request counts and the counts of injected faults"},
		{"GET", "/_emulator/faults", "fault settings and figures: rate, kinds, rules, seed, hang_max, hanging (requests held now), injected (counts by phase, kind and route)"},
		{"PUT", "/_emulator/faults", `replace the fault settings: {"rate":0.2,"kinds":["429"],"rules":[{"phase":"after","method":"POST","route":"/v2/{project_id}/fgs/functions","rate":0.3,"kinds":["503","drop"]}],"seed":42}; every field optional`},
		{"DELETE", "/_emulator/faults", "turn every fault off (rate and rules)"},
		{"POST", "/_emulator/faults/rules", `add one rule: {"phase":"before","method":"GET","route":"/v2/{project_id}/fgs/functions/*","rate":1,"kinds":["hang"]}`},
		{"GET", "/_emulator/auth", `token lifetime and unexpired tokens: {"token_ttl":"24h0m0s","tokens":1}`},
		{"PUT", "/_emulator/auth", `lifetime of the tokens issued from now on: {"token_ttl":"2s"}`},
		{"POST", "/_emulator/tokens/expire", "every issued token expires now: requests with it answer as after its lifetime"},
		{"POST", "/_emulator/reset", "forget all functions, dependencies, ... and the request counts (tokens and faults stay)"},
		{"GET", "/_emulator/deliveries", "the asynchronous results delivered to OBS, SMN and DIS destinations, in order"},
		{"GET", "/_emulator/logs", "the recorded executions with their log lines; ?function=NAME or PACKAGE:NAME narrows them"},
		{"POST", "/_emulator/triggers/{trigger_id}/fire", "fire the trigger once: the body is the event, else the trigger type's sample event"},
		{"GET", "/_emulator/exports/{id}", "the code package behind an export's code_url, byte for byte"},
	}
}

// operatorHandlers serves OperatorEndpoints, keyed "METHOD /path".
func (e *Emulator) operatorHandlers() map[string]func(http.ResponseWriter, *http.Request) {
	status := func(code int, f func()) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, _ *http.Request) {
			f()
			w.WriteHeader(code)
		}
	}
	return map[string]func(http.ResponseWriter, *http.Request){
		"GET /_emulator/requests": func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, e.Counts())
		},
		"DELETE /_emulator/requests": status(http.StatusNoContent, e.ResetCounts),
		"GET /_emulator/faults": func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, e.faultView())
		},
		"PUT /_emulator/faults":        e.putFaults,
		"DELETE /_emulator/faults":     status(http.StatusNoContent, e.ClearFaults),
		"POST /_emulator/faults/rules": e.addFaultRule,
		"GET /_emulator/auth": func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, e.authView())
		},
		"PUT /_emulator/auth":           e.putAuth,
		"POST /_emulator/tokens/expire": status(http.StatusNoContent, e.ExpireTokens),
		"POST /_emulator/reset":         status(http.StatusNoContent, e.Reset),
		"GET /_emulator/deliveries": func(w http.ResponseWriter, _ *http.Request) {
			e.serveDeliveries(w)
		},
		"GET /_emulator/logs": e.serveLogs,
		"POST /_emulator/triggers/{trigger_id}/fire": func(w http.ResponseWriter, r *http.Request) {
			e.serveFire(w, r, pathParam(r.URL.Path, "/_emulator/triggers/{trigger_id}/fire"))
		},
		"GET /_emulator/exports/{id}": func(w http.ResponseWriter, r *http.Request) {
			e.serveExport(w, pathParam(r.URL.Path, "/_emulator/exports/{id}"))
		},
	}
}

// serveOperator handles /_emulator/*: no auth, no counting, no faults.
func (e *Emulator) serveOperator(w http.ResponseWriter, r *http.Request) {
	for key, h := range e.operatorHandlers() {
		method, pattern, _ := strings.Cut(key, " ")
		if method == r.Method && (pattern == r.URL.Path || pathParam(r.URL.Path, pattern) != "") {
			h(w, r)
			return
		}
	}
	writeErr(w, http.StatusNotFound, "FSS.0404", "The specified resource was not found.")
}

// pathParam is the one {param} segment of an operator pattern in path, or "" when path does not match it.
func pathParam(path, pattern string) string {
	prefix, rest, ok := strings.Cut(pattern, "{")
	if !ok {
		return ""
	}
	_, suffix, _ := strings.Cut(rest, "}")
	if !strings.HasPrefix(path, prefix) || !strings.HasSuffix(path, suffix) || len(path) <= len(prefix)+len(suffix) {
		return ""
	}
	param := path[len(prefix) : len(path)-len(suffix)]
	if strings.Contains(param, "/") {
		return ""
	}
	return param
}

func (e *Emulator) faultView() map[string]any {
	e.fmu.Lock()
	defer e.fmu.Unlock()
	injected := make(map[string]int, len(e.injected))
	for k, v := range e.injected {
		injected[k] = v
	}
	return map[string]any{
		"rate": e.faultRate, "kinds": nonNil(e.faultKinds), "rules": append([]FaultRule{}, e.faultRules...),
		"seed": e.faultSeed, "hang_max": e.cfg.HangMax.String(), "hanging": e.hanging.Load(), "injected": injected,
	}
}

func badOperatorBody(w http.ResponseWriter, msg string) {
	writeErr(w, http.StatusBadRequest, "FSS.0400", msg)
}

func (e *Emulator) putFaults(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Rate  *float64    `json:"rate"`
		Kinds []string    `json:"kinds"`
		Rules []FaultRule `json:"rules"`
		Seed  int64       `json:"seed"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		badOperatorBody(w, "body must be {\"rate\":0..1,\"kinds\":[...],\"rules\":[...],\"seed\":N}: "+err.Error())
		return
	}
	rate := 0.0
	if in.Rate != nil {
		rate = *in.Rate
	} else if len(in.Kinds) > 0 {
		badOperatorBody(w, "rate is required with kinds")
		return
	}
	if rate < 0 || rate > 1 {
		badOperatorBody(w, fmt.Sprintf("rate %v outside 0..1", rate))
		return
	}
	if err := validKinds(in.Kinds); err != nil {
		badOperatorBody(w, err.Error())
		return
	}
	rules, err := e.normalizeRules(in.Rules)
	if err != nil {
		badOperatorBody(w, err.Error())
		return
	}
	e.fmu.Lock()
	e.faultRate, e.faultKinds, e.faultRules = rate, append([]string(nil), in.Kinds...), rules
	if in.Seed != 0 {
		e.faultSeed = in.Seed
	}
	e.draws = map[string]uint64{}
	e.fmu.Unlock()
	writeJSON(w, http.StatusOK, e.faultView())
}

func (e *Emulator) addFaultRule(w http.ResponseWriter, r *http.Request) {
	var in FaultRule
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		badOperatorBody(w, "body must be {\"phase\":...,\"method\":...,\"route\":...,\"rate\":0..1,\"kinds\":[...]}: "+err.Error())
		return
	}
	n, err := in.normalize(e.routes)
	if err != nil {
		badOperatorBody(w, err.Error())
		return
	}
	e.fmu.Lock()
	e.faultRules = append(e.faultRules, n)
	e.fmu.Unlock()
	writeJSON(w, http.StatusOK, e.faultView())
}

func (e *Emulator) authView() map[string]any {
	now := e.now()
	e.mu.Lock()
	n := 0
	for _, t := range e.st.Tokens {
		if now.Before(t.ExpiresAt) {
			n++
		}
	}
	e.mu.Unlock()
	return map[string]any{"token_ttl": e.currentTokenTTL().String(), "tokens": n}
}

func (e *Emulator) putAuth(w http.ResponseWriter, r *http.Request) {
	var in struct {
		TokenTTL string `json:"token_ttl"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		badOperatorBody(w, "body must be {\"token_ttl\":\"2s\"}: "+err.Error())
		return
	}
	d, err := time.ParseDuration(in.TokenTTL)
	if err != nil || d <= 0 {
		badOperatorBody(w, fmt.Sprintf("token_ttl %q: want a positive duration such as \"2s\" or \"15m\"", in.TokenTTL))
		return
	}
	e.SetTokenTTL(d)
	writeJSON(w, http.StatusOK, e.authView())
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
