package emulator

import "strings"

// Function tracing configuration (API reference §5.5).

func (e *Emulator) getTracing(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if t.fn.Tracing == nil {
		c.fail(errf(404, "FSS.0404", "can not find tracing aksk"))
		return
	}
	c.ok(200, map[string]any{"tracing_ak": t.fn.Tracing.AK, "tracing_sk": "*****"})
}

// putTracing: an unknown function is 400 FSS.1128 "function[xxx] not existed" (§5.5.2),
// as documented for this API only. Empty AK and SK disable tracing.
func (e *Emulator) putTracing(c *reqCtx) {
	var in struct {
		AK *string `json:"tracing_ak"`
		SK *string `json:"tracing_sk"`
	}
	if !c.decodeOrFail(&in, true) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, aerr := e.resolveLocked(c.p("function_urn"), c.p("project_id"))
	if aerr != nil {
		if aerr.Code == "FSS.1051" {
			ref, _ := parseURN(c.p("function_urn"), c.p("project_id"))
			aerr = errf(400, "FSS.1128", "function[%s] not existed", ref.Name)
		}
		c.fail(aerr)
		return
	}
	ak, sk := str(in.AK), str(in.SK)
	switch {
	case ak == "" && sk == "":
		t.fn.Tracing = nil
	case ak == "" || sk == "":
		c.fail(errf(400, "FSS.0400", "Invalid parameter: tracing_ak and tracing_sk go together."))
		return
	default:
		t.fn.Tracing = &tracing{AK: ak, SK: sk}
	}
	e.persistLocked()
	c.ok(200, map[string]any{"tracing_ak": ak, "tracing_sk": strings.Repeat("*", min(5, len(sk)))})
}
