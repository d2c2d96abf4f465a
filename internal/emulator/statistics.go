package emulator

import (
	"strconv"
	"strings"
	"time"
)

// Function metrics (API reference §5.8), computed from the invocations the emulator recorded
// (records.go). The shapes are those the vendor's SDKs read (CONTRADICTIONS.md #53, #54).

// metricSeries are the series of a metrics answer: the six of the reference (§5.8.2, §5.8.3) and
// the four more that OTC's Go and Python SDKs read. function_error_count counts the handlers'
// failures; the other three stay empty: the emulator has no system errors, reserved-instance or
// concurrency gauges to report.
var metricSeries = []string{
	"count", "duration", "fail_count", "max_duration", "min_duration", "reject_count",
	"function_error_count", "system_error_count", "reserved_instance_num", "concurrency_num",
}

// statistics answers GET /fgs/functions/statistics. filter=monitor_data puts the series of the
// last hour, over every function, under "monitor_data", the key both vendor SDKs read (the
// reference's table says "statistics"); filter=monthly_report answers the monthly usage lists of
// Table 5-413 (empty: the emulator bills nothing).
func (e *Emulator) statistics(c *reqCtx) {
	switch c.r.URL.Query().Get("filter") {
	case "monitor_data":
		end := e.now()
		c.ok(200, map[string]any{"monitor_data": e.recordedSeries(func(*invocationRecord) bool { return true }, end.Add(-time.Hour), end)})
	case "monthly_report":
		c.ok(200, map[string]any{"count": []any{}, "gbs": []any{}, "gpu_gbs": []any{}})
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: filter must be monitor_data or monthly_report."))
	}
}

// functionStatistics answers GET /fgs/functions/{func_urn}/statistics/{period} (§5.8.3): the
// function's series at the top level. The reference does not say what {period} holds, and the SDKs
// differ: a number of minutes back from now (1-10080), an RFC 3339 start time (OTC's Go acceptance
// test) and "start,end" in Unix seconds (the Python SDK) are all accepted.
func (e *Emulator) functionStatistics(c *reqCtx) {
	start, end, ok := statisticsWindow(c.p("period"), e.now())
	if !ok {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: period is a number of minutes (1-10080), an RFC 3339 time or \"start,end\" in Unix seconds."))
		return
	}
	e.mu.Lock()
	t := e.resolve(c, "function_urn")
	var funcID string
	if t != nil {
		funcID = t.fn.ID
	}
	e.mu.Unlock()
	if t == nil {
		return
	}
	c.ok(200, e.recordedSeries(func(r *invocationRecord) bool { return r.FuncID == funcID }, start, end))
}

func statisticsWindow(period string, now time.Time) (start, end time.Time, ok bool) {
	if minutes, err := strconv.Atoi(period); err == nil {
		if minutes < 1 || minutes > 7*24*60 {
			return start, end, false
		}
		return now.Add(-time.Duration(minutes) * time.Minute), now, true
	}
	if t, err := time.Parse(time.RFC3339, period); err == nil {
		return t, now, !t.After(now)
	}
	if from, to, found := strings.Cut(period, ","); found {
		a, errA := strconv.ParseFloat(from, 64)
		b, errB := strconv.ParseFloat(to, 64)
		if errA == nil && errB == nil {
			if a > b {
				a, b = b, a
			}
			return time.Unix(0, int64(a*1e9)).UTC(), time.Unix(0, int64(b*1e9)).UTC(), true
		}
	}
	return start, end, false
}

// recordedSeries buckets the recorded invocations that keep selects between start and end: one
// bucket per minute up to an hour, per hour beyond (the reference's example buckets are an hour
// apart). Each series holds {timestamp (ms, bucket start), value}; an empty bucket's value is -1,
// as in the example. With no call in the window every series is empty, as the service answers.
func (e *Emulator) recordedSeries(keep func(*invocationRecord) bool, start, end time.Time) map[string]any {
	out := make(map[string]any, len(metricSeries))
	for _, k := range metricSeries {
		out[k] = []any{}
	}
	var recs []invocationRecord
	for _, r := range e.exec.records.snapshot(keep) {
		if !r.Time.Before(start) && !r.Time.After(end) {
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		return out
	}
	bucket := time.Minute
	if end.Sub(start) > time.Hour {
		bucket = time.Hour
	}
	start = start.Truncate(bucket)
	n := int(end.Sub(start)/bucket) + 1
	type agg struct {
		count, fails, rejects int
		sum, max, min         float64
	}
	aggs := make([]agg, n)
	for _, r := range recs {
		a := &aggs[int(r.Time.Sub(start)/bucket)]
		if r.Rejected {
			a.rejects++
			continue
		}
		ms := float64(r.Duration.Microseconds()) / 1000
		if a.count == 0 || ms > a.max {
			a.max = ms
		}
		if a.count == 0 || ms < a.min {
			a.min = ms
		}
		a.count++
		a.sum += ms
		if r.Failed {
			a.fails++
		}
	}
	series := map[string][]map[string]any{}
	for i, a := range aggs {
		ts := start.Add(time.Duration(i) * bucket).UnixMilli()
		add := func(key string, v float64, has bool) {
			if !has {
				v = -1
			}
			series[key] = append(series[key], map[string]any{"timestamp": ts, "value": v})
		}
		has, called := a.count > 0, a.count > 0 || a.rejects > 0
		avg := 0.0
		if has {
			avg = a.sum / float64(a.count)
		}
		add("count", float64(a.count), called)
		add("duration", avg, has)
		add("fail_count", float64(a.fails), has)
		add("function_error_count", float64(a.fails), has)
		add("max_duration", a.max, has)
		add("min_duration", a.min, has)
		add("reject_count", float64(a.rejects), called)
	}
	for k, v := range series {
		out[k] = v
	}
	return out
}
