package emulator

// Function metrics (API reference §5.8). No code runs in the emulator, so every series
// is empty; the shapes are those the vendor's SDKs read (CONTRADICTIONS.md #53, #54).

// metricSeries are the series of a metrics answer: the six of the reference (§5.8.2,
// §5.8.3) and the four more that OTC's Go and Python SDKs read.
var metricSeries = []string{
	"count", "duration", "fail_count", "max_duration", "min_duration", "reject_count",
	"function_error_count", "system_error_count", "reserved_instance_num", "concurrency_num",
}

// metricsBody is a set of empty series: [{timestamp, value}] each, as SlaReportsValue.
func metricsBody() map[string]any {
	m := make(map[string]any, len(metricSeries))
	for _, k := range metricSeries {
		m[k] = []any{}
	}
	return m
}

// statistics answers GET /fgs/functions/statistics. filter=monitor_data puts the series
// under "monitor_data", the key both vendor SDKs read (the reference's table says
// "statistics"); filter=monthly_report answers the monthly usage lists of Table 5-413.
func (e *Emulator) statistics(c *reqCtx) {
	switch c.r.URL.Query().Get("filter") {
	case "monitor_data":
		c.ok(200, map[string]any{"monitor_data": metricsBody()})
	case "monthly_report":
		c.ok(200, map[string]any{"count": []any{}, "gbs": []any{}, "gpu_gbs": []any{}})
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: filter must be monitor_data or monthly_report."))
	}
}

// functionStatistics answers GET /fgs/functions/{func_urn}/statistics/{period} (§5.8.3):
// the series at the top level. period is free text to the SDKs (OTC's Go acceptance test
// sends an RFC 3339 time, the Python SDK "start,end"), so any value is accepted.
func (e *Emulator) functionStatistics(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := e.resolve(c, "function_urn"); t == nil {
		return
	}
	c.ok(200, metricsBody())
}
