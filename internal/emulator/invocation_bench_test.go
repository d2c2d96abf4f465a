package emulator

import (
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkInvokeWarmPython measures warm synchronous calls of a trivial Python handler through
// the HTTP handler, one after another (p50/p99 and calls/s reported as metrics);
// BenchmarkInvokeColdPython a first call each time; BenchmarkInvokeThroughputPython warm calls
// from parallel clients. `make bench` runs them.
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
	reportThroughput(b, lat)
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

// BenchmarkInvokeThroughputPython: warm calls from 4 clients per CPU at once, each instance serving
// one call at a time as on the service (so as many instances as clients): calls/s over the run, and
// p50/p99 under that load.
func BenchmarkInvokeThroughputPython(b *testing.B) {
	t := &testing.T{}
	h := newHarness(t)
	defer h.e.Close()
	h.t = t
	h.inlineFn("bench", "Python3.9", "def handler(event, context):\n    return {'ok': 1}\n")
	clients := 4 * runtime.GOMAXPROCS(0)
	var warm sync.WaitGroup
	for i := 0; i < clients; i++ {
		warm.Add(1)
		go func() { defer warm.Done(); h.invoke(urn7("bench"), nil) }()
	}
	warm.Wait()
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s := time.Now()
			a := h.invoke(urn7("bench"), nil)
			d := time.Since(s)
			if a.status != 200 || a.header["X-Is-Func-Err"] != "false" {
				b.Error(a.raw)
				return
			}
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	reportPercentiles(b, lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "calls/s")
}

// reportThroughput reports sequential calls per second, from the calls' own latencies.
func reportThroughput(b *testing.B, lat []time.Duration) {
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	if sum > 0 {
		b.ReportMetric(float64(len(lat))/sum.Seconds(), "calls/s")
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pick := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pick(0.5), "p50-ms")
	b.ReportMetric(pick(0.99), "p99-ms")
}
