package emulator

// Function logs (API reference §5.9): LTS routes answered without real log groups.

func (e *Emulator) enableLTS(c *reqCtx) {
	e.mu.Lock()
	e.st.LTSEnabled = true
	e.persistLocked()
	e.mu.Unlock()
	c.ok(200, map[string]any{})
}

// ltsLogDetail (5.9.1): the log group and stream bound with log_config (empty when none).
func (e *Emulator) ltsLogDetail(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	lc := t.ver.Conf.LogConfig
	if lc == nil {
		lc = &logConfig{}
	}
	c.ok(200, map[string]any{"group_name": lc.GroupName, "group_id": lc.GroupID, "stream_name": lc.StreamName, "stream_id": lc.StreamID})
}
