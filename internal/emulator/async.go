package emulator

import (
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Asynchronous invocation (5.1.2) with the qualifier's async-invoke-config (5.13.3): every
// request is recorded (WAIT → RUNNING → SUCCESS | FAIL | DISCARD), retried up to
// max_async_retry_attempts times (default 1), dropped when older than
// max_async_event_age_in_seconds (default 3600), and its outcome delivered to the
// on_success/on_failure destination: a FunctionGraph destination is invoked; OBS, SMN and
// DIS deliveries are kept and readable at GET /_emulator/deliveries.

const (
	defaultAsyncRetries = 1
	defaultAsyncMaxAge  = 3600
	maxAsyncRecords     = 2000
)

// asyncRetryDelay is the pause between two attempts (the service's back-off is not documented).
var asyncRetryDelay = 200 * time.Millisecond

type asyncRecord struct {
	FuncID       string
	RequestID    string
	Status       string
	ErrorCode    int
	ErrorMessage string
	Start, End   time.Time
	Attempts     int
	cancelled    bool
}

// delivery is one destination notification of an asynchronous invocation.
type delivery struct {
	Destination string          `json:"destination"`
	Param       json.RawMessage `json:"param"`
	Condition   string          `json:"condition"` // Success or RetriesExhausted
	Event       json.RawMessage `json:"event"`
	Time        string          `json:"time"`
}

type asyncStore struct {
	mu         sync.Mutex
	records    []*asyncRecord
	deliveries []delivery
	wg         sync.WaitGroup
}

func (s *asyncStore) add(r *asyncRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = append(s.records, r)
	if len(s.records) > maxAsyncRecords {
		s.records = s.records[len(s.records)-maxAsyncRecords:]
	}
}

func (s *asyncStore) update(r *asyncRecord, f func(*asyncRecord)) {
	s.mu.Lock()
	f(r)
	s.mu.Unlock()
}

// asyncDestination is one side of destination_config.
type asyncDestination struct {
	Destination string `json:"destination"`
	Param       string `json:"param"`
}

type asyncSettings struct {
	retries   int
	maxAge    time.Duration
	onSuccess *asyncDestination
	onFailure *asyncDestination
}

func (e *Emulator) asyncSettingsLocked(f *function, qual string) asyncSettings {
	s := asyncSettings{retries: defaultAsyncRetries, maxAge: defaultAsyncMaxAge * time.Second}
	a := f.findAsync(qual)
	if a == nil {
		return s
	}
	s.retries = a.MaxRetry
	if a.MaxAge > 0 {
		s.maxAge = time.Duration(a.MaxAge) * time.Second
	}
	var d struct {
		OnSuccess *asyncDestination `json:"on_success"`
		OnFailure *asyncDestination `json:"on_failure"`
	}
	if len(a.Destination) > 0 && json.Unmarshal(a.Destination, &d) == nil {
		s.onSuccess, s.onFailure = d.OnSuccess, d.OnFailure
	}
	return s
}

func (e *Emulator) invokeAsync(c *reqCtx) {
	spec, event, aerr := e.prepareInvocation(c)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	e.mu.Lock()
	settings := asyncSettings{retries: defaultAsyncRetries, maxAge: defaultAsyncMaxAge * time.Second}
	for _, f := range e.st.Functions {
		if f.ID == spec.funcID {
			settings = e.asyncSettingsLocked(f, spec.qual)
		}
	}
	e.mu.Unlock()
	rec := &asyncRecord{FuncID: spec.funcID, RequestID: uuid(), Status: "WAIT", Start: e.now()}
	e.exec.async.add(rec)
	e.exec.async.wg.Add(1)
	go e.runAsync(spec, event, rec, settings, time.Now())
	c.ok(202, map[string]any{"request_id": rec.RequestID})
}

func (e *Emulator) runAsync(spec *instanceSpec, event json.RawMessage, rec *asyncRecord, s asyncSettings, queued time.Time) {
	defer e.exec.async.wg.Done()
	var out *outcome
	for attempt := 0; attempt <= s.retries; attempt++ {
		stop := false
		e.exec.async.update(rec, func(r *asyncRecord) {
			stop = r.cancelled
			if !stop && time.Since(queued) > s.maxAge {
				r.Status, r.End, r.ErrorMessage, stop = "DISCARD", e.now(), "the event exceeded max_async_event_age_in_seconds", true
			}
			if !stop {
				r.Status, r.Attempts = "RUNNING", attempt+1
			}
		})
		if stop {
			return
		}
		o, aerr := e.execute(spec, rec.RequestID, event)
		if aerr != nil {
			o = &outcome{status: aerr.Status, err: &funcError{ErrorCode: aerr.Code, ErrorMessage: aerr.Msg, ErrorType: "PlatformError", StackTrace: []string{}}}
		}
		out = o
		e.recordInvocation(spec, rec.RequestID, rec.Start, o, true)
		if o.err == nil {
			break
		}
		if attempt < s.retries {
			time.Sleep(asyncRetryDelay)
		}
	}
	cancelled := false
	e.exec.async.update(rec, func(r *asyncRecord) {
		if cancelled = r.cancelled; cancelled {
			return
		}
		r.End = e.now()
		if out.err == nil {
			r.Status = "SUCCESS"
		} else {
			r.Status, r.ErrorCode, r.ErrorMessage = "FAIL", out.status, out.err.ErrorMessage
		}
	})
	if cancelled {
		return
	}
	dest, cond := s.onSuccess, "Success"
	if out.err != nil {
		dest, cond = s.onFailure, "RetriesExhausted"
	}
	if dest == nil || dest.Destination == "" {
		return
	}
	e.deliver(spec, rec, event, out, dest, cond)
}

// destinationEvent is what a destination receives (the emulator's shape, CONTRADICTIONS.md).
func (e *Emulator) destinationEvent(spec *instanceSpec, rec *asyncRecord, event json.RawMessage, out *outcome, cond string) json.RawMessage {
	var response any = out.result
	if out.err != nil {
		response = out.err
	}
	b, _ := json.Marshal(map[string]any{
		"timestamp": e.now().Format(time.RFC3339),
		"request_context": map[string]any{
			"request_id": rec.RequestID, "function_urn": spec.urn, "condition": cond,
			"approximate_invoke_count": rec.Attempts,
		},
		"request_payload":  event,
		"response_payload": response,
	})
	return b
}

func (e *Emulator) deliver(spec *instanceSpec, rec *asyncRecord, event json.RawMessage, out *outcome, dest *asyncDestination, cond string) {
	ev := e.destinationEvent(spec, rec, event, out, cond)
	param := json.RawMessage(dest.Param)
	if !json.Valid(param) {
		param, _ = json.Marshal(dest.Param)
	}
	e.exec.async.mu.Lock()
	e.exec.async.deliveries = append(e.exec.async.deliveries, delivery{Destination: dest.Destination, Param: param, Condition: cond, Event: ev, Time: e.now().Format(time.RFC3339)})
	e.exec.async.mu.Unlock()
	if dest.Destination != "FunctionGraph" {
		return
	}
	var p struct {
		FuncURN string `json:"func_urn"`
	}
	if json.Unmarshal([]byte(dest.Param), &p) != nil || p.FuncURN == "" {
		return
	}
	target, _, aerr := e.prepareInvocationFor(p.FuncURN, e.cfg.ProjectID, ev)
	if aerr != nil {
		return
	}
	id := uuid()
	start := e.now()
	if o, aerr := e.execute(target, id, ev); aerr == nil {
		e.recordInvocation(target, id, start, o, true)
	}
}

// listAsyncRecords answers 5.13.5 from the records of real asynchronous invocations.
func (e *Emulator) listAsyncRecords(funcID, status, requestID string, limit int) []map[string]any {
	e.exec.async.mu.Lock()
	defer e.exec.async.mu.Unlock()
	var out []map[string]any
	for i := len(e.exec.async.records) - 1; i >= 0; i-- {
		r := e.exec.async.records[i]
		if r.FuncID != funcID || (status != "" && r.Status != status) || (requestID != "" && r.RequestID != requestID) {
			continue
		}
		end := ""
		if !r.End.IsZero() {
			end = r.End.UTC().Format(asyncQueryTime)
		}
		out = append(out, map[string]any{
			"request_id": r.RequestID, "status": r.Status, "error_code": r.ErrorCode, "error_message": r.ErrorMessage,
			"start_time": r.Start.UTC().Format(asyncQueryTime), "end_time": end,
		})
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i]["start_time"].(string) > out[j]["start_time"].(string) })
	return out
}

// listAsyncInvocationRecords (5.13.5) lists the recorded asynchronous invocations of a
// function, newest first. Query checks as in the reference; unknown functions are
// 404 FSS.0404 "can not find function" on this API (L10057).
func (e *Emulator) listAsyncInvocationRecords(c *reqCtx) {
	q := c.r.URL.Query()
	status := q.Get("status")
	switch status {
	case "", "WAIT", "RUNNING", "SUCCESS", "FAIL", "DISCARD":
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: status."))
		return
	}
	for _, k := range []string{"query_begin_time", "query_end_time"} {
		if v := q.Get(k); v != "" {
			if _, err := time.Parse(asyncQueryTime, v); err != nil {
				c.fail(errf(400, "FSS.1001", "Invalid query parameter: %s (YYYY-MM-DD'T'HH:mm:ss).", k))
				return
			}
		}
	}
	limit, ok := queryInt(q, "limit", 100)
	if !ok || limit < 0 || limit > 500 {
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: limit (0-500)."))
		return
	}
	e.mu.Lock()
	t := e.resolveAsyncInv(c)
	var funcID string
	if t != nil {
		funcID = t.fn.ID
	}
	e.mu.Unlock()
	if t == nil {
		return
	}
	list := e.listAsyncRecords(funcID, status, q.Get("request_id"), limit)
	if list == nil {
		list = []map[string]any{}
	}
	c.ok(200, map[string]any{"invocations": list, "count": len(list), "next_marker": 0})
}

// cancelAsyncInvocationRecord (5.13.6) cancels a request that is still waiting (or between
// two attempts); a running attempt finishes, the remaining ones do not run.
func (e *Emulator) cancelAsyncInvocationRecord(c *reqCtx) {
	var in struct {
		RequestID *string `json:"request_id"`
		Type      *string `json:"type"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	t := e.resolveAsyncInv(c)
	e.mu.Unlock()
	if t == nil {
		return
	}
	if in.Type != nil && *in.Type != "force" && *in.Type != "recursive" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: type must be force or recursive."))
		return
	}
	id := ""
	if in.RequestID != nil {
		id = *in.RequestID
	}
	s := &e.exec.async
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if r.RequestID == id && r.FuncID == t.fn.ID {
			if r.Status != "WAIT" && r.Status != "RUNNING" {
				c.fail(errf(400, "FSS.0400", "Invalid RequestId: the invocation already ended (%s).", r.Status))
				return
			}
			r.cancelled = true
			r.Status, r.End, r.ErrorCode, r.ErrorMessage = "DISCARD", e.now(), 4208, "function invocation canceled"
			c.ok(200, map[string]any{})
			return
		}
	}
	c.fail(errf(400, "FSS.0400", "Invalid RequestId"))
}

// serveDeliveries answers GET /_emulator/deliveries: the destination notifications so far.
func (e *Emulator) serveDeliveries(w http.ResponseWriter) {
	s := &e.exec.async
	s.mu.Lock()
	out := append([]delivery{}, s.deliveries...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": out})
}
