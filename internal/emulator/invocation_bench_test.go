package emulator

import (
	"sort"
	"strconv"
	"testing"
	"time"
)

// BenchmarkInvokeWarmPython measures warm synchronous calls of a trivial Python handler through
// the HTTP handler (p50/p99 reported as metrics); BenchmarkInvokeColdPython a first call each time.
//
//	go test ./internal/emulator/ -run '^$' -bench Invoke -benchtime 2000x
func BenchmarkInvokeWarmPython(b *testing.B) {
	t := &testing.T{}
	h := newHarness(t)
	defer h.e.Close()
	h.t = t
	h.inlineFn("bench", "Python3.9", "def handler(event, context):\n    return {'ok': 1}\n")
	h.invoke(urn7("bench"), nil)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := time.Now()
		if a := h.invoke(urn7("bench"), nil); a.status != 200 || a.header["X-Is-Func-Err"] != "false" || a.body["result"] != `{"ok": 1}` {
			b.Fatal(a.raw)
		}
		lat = append(lat, time.Since(s))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func BenchmarkInvokeColdPython(b *testing.B) {
	t := &testing.T{}
	h := newHarness(t)
	defer h.e.Close()
	h.t = t
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		name := "cold" + strconv.Itoa(i)
		h.inlineFn(name, "Python3.9", "def handler(event, context):\n    return {'ok': 1}\n")
		s := time.Now()
		if a := h.invoke(urn7(name), nil); a.status != 200 || a.header["X-Is-Func-Err"] != "false" {
			b.Fatal(a.raw)
		}
		lat = append(lat, time.Since(s))
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pick := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pick(0.5), "p50-ms")
	b.ReportMetric(pick(0.99), "p99-ms")
}
