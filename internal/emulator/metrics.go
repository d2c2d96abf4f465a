package emulator

// Function metrics (API reference §5.8).

func (e *Emulator) statistics(c *reqCtx) {
	switch c.r.URL.Query().Get("filter") {
	case "monitor_data", "monthly_report":
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: filter must be monitor_data or monthly_report."))
		return
	}
	empty := []any{}
	c.ok(200, map[string]any{"count": empty, "gbs": empty, "statistics": map[string]any{
		"count": empty, "duration": empty, "fail_count": empty, "max_duration": empty, "min_duration": empty, "reject_count": empty}})
}
