package emulator

import "time"

// Asynchronous invocation records (API reference §5.13.5, §5.13.6). No code runs, so the lists are always
// empty.

func (e *Emulator) resolveAsyncInv(c *reqCtx) *target {
	t, aerr := e.resolveLocked(c.p("function_urn"), c.p("project_id"))
	if aerr != nil {
		if aerr.Code == "FSS.1051" {
			aerr = errf(404, "FSS.0404", "can not find function")
		}
		c.fail(aerr)
		return nil
	}
	return t
}

const asyncQueryTime = "2006-01-02T15:04:05"

func (e *Emulator) listAsyncInvocations(c *reqCtx) {
	q := c.r.URL.Query()
	switch q.Get("status") {
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
	if n, ok := queryInt(q, "limit", 100); !ok || n < 0 || n > 500 {
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: limit (0-500)."))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resolveAsyncInv(c) == nil {
		return
	}
	c.ok(200, map[string]any{"invocations": []any{}, "count": 0, "next_marker": 0})
}

func (e *Emulator) cancelAsyncInvocation(c *reqCtx) {
	var in struct {
		RequestID *string `json:"request_id"`
		Type      *string `json:"type"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resolveAsyncInv(c) == nil {
		return
	}
	if in.Type != nil && *in.Type != "force" && *in.Type != "recursive" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: type must be force or recursive."))
		return
	}
	// No invocation exists in the emulator: every request id is unknown (§5.13.6).
	c.fail(errf(400, "FSS.0400", "Invalid RequestId"))
}
