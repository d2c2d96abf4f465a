package emulator

import (
	"strconv"
	"time"
)

// functionStatistics (5.8.3): GET .../statistics/{period} computed from the executions the
// emulator recorded. 002 does not say what {period} counts → minutes back from now (1..10080);
// buckets of one minute up to an hour, of one hour beyond (the example's buckets are an hour
// apart, L7733). Each series holds {timestamp (ms, bucket start), value}; an empty bucket's
// value is -1, as in the example.
func (e *Emulator) functionStatistics(c *reqCtx) {
	minutes, err := strconv.Atoi(c.p("period"))
	if err != nil || minutes < 1 || minutes > 7*24*60 {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: period is a number of minutes, 1-10080."))
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
	bucket := time.Minute
	if minutes > 60 {
		bucket = time.Hour
	}
	end := e.now()
	start := end.Add(-time.Duration(minutes) * time.Minute).Truncate(bucket)
	n := int(end.Sub(start)/bucket) + 1
	type agg struct {
		count, fails, rejects int
		sum, max, min         float64
	}
	aggs := make([]agg, n)
	for _, r := range e.exec.records.snapshot(func(r *invocationRecord) bool { return r.FuncID == funcID }) {
		if r.Time.Before(start) || r.Time.After(end) {
			continue
		}
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
	for _, k := range []string{"count", "duration", "fail_count", "max_duration", "min_duration", "reject_count"} {
		series[k] = make([]map[string]any, 0, n)
	}
	for i, a := range aggs {
		ts := start.Add(time.Duration(i) * bucket).UnixMilli()
		val := func(v float64, has bool) map[string]any {
			if !has {
				v = -1
			}
			return map[string]any{"timestamp": ts, "value": v}
		}
		has := a.count > 0
		avg := 0.0
		if has {
			avg = a.sum / float64(a.count)
		}
		series["count"] = append(series["count"], val(float64(a.count), has || a.rejects > 0))
		series["duration"] = append(series["duration"], val(avg, has))
		series["fail_count"] = append(series["fail_count"], val(float64(a.fails), has))
		series["max_duration"] = append(series["max_duration"], val(a.max, has))
		series["min_duration"] = append(series["min_duration"], val(a.min, has))
		series["reject_count"] = append(series["reject_count"], val(float64(a.rejects), has || a.rejects > 0))
	}
	c.ok(200, series)
}
