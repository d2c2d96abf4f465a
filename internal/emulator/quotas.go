package emulator

// Tenant quotas (API reference §5.2).

func (e *Emulator) quotas(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	codeBytes := e.codeBytesLocked()
	maxInst := 0
	for _, f := range e.st.Functions {
		if n := f.Head.Conf.Strategy.Concurrency; n > 0 {
			maxInst += n
		}
	}
	codeMB := (codeBytes + (1<<20 - 1)) >> 20
	res := []any{
		map[string]any{"quota": 60, "used": 0, "type": "fgs_func_scale_down_timeout"},
		map[string]any{"quota": 1000, "used": maxInst, "type": "fgs_func_occurs"},
		map[string]any{"quota": 60, "used": 0, "type": "fgs_func_pat_idle_time"},
		map[string]any{"quota": e.cfg.FunctionQuota, "used": len(e.st.Functions), "type": "fgs_func_num"},
		map[string]any{"quota": e.cfg.CodeSizeQuotaMB, "used": codeMB, "type": "fgs_func_code_size", "unit": "MB"},
		map[string]any{"quota": 512, "used": 0, "type": "fgs_workflow_num"},
	}
	// "quotas" is an object per Table 5-30 (the example's array wrapper is a doc error).
	c.ok(200, map[string]any{"quotas": map[string]any{"resources": res}})
}
