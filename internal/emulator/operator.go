package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The operator side: request counts, fault injection, latency, reset and the /_emulator endpoints.

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
