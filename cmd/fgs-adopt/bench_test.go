package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// fill creates n functions with triggers timers each, through the API, with 32 requests in flight (the
// emulator's latency is a sleep, so a parallel set-up takes a fraction of a serial one).
func (p *testProject) fill(t testing.TB, n, triggers int) {
	t.Helper()
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			urn := p.newFunction(t, fmt.Sprintf("app%d", i%4), fmt.Sprintf("fn-%03d", i))
			for j := 0; j < triggers; j++ {
				p.timer(t, urn, fmt.Sprintf("every-%d", j+1))
			}
		}(i)
	}
	wg.Wait()
}

// BenchmarkAdopt400Functions lists 400 functions with 2 TIMER triggers each against the emulator with 50 ms
// of latency per request, as `fgs-adopt` does with its default --parallel 8, and builds the import file.
// Run it with: go test -run '^$' -bench Adopt -benchtime 1x ./cmd/fgs-adopt/
func BenchmarkAdopt400Functions(b *testing.B) {
	cfg := emulator.DefaultConfig()
	cfg.Latency = [2]time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	p := newTestProject(b, cfg, nil)
	setup := time.Now()
	p.fill(b, 400, 2)
	b.Logf("set-up: 400 functions and 800 triggers in %.1fs", time.Since(setup).Seconds())
	p.em.ResetCounts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		proj, err := discover(context.Background(), p.client, "", 8)
		require.NoError(b, err)
		doc, _, _ := buildDocument(proj, "", false)
		elapsed := time.Since(start)
		require.Len(b, doc.Resources, 1200)
		requests := 0
		for _, n := range p.em.Counts() {
			requests += n
		}
		p.em.ResetCounts()
		b.ReportMetric(elapsed.Seconds(), "s/list")
		b.ReportMetric(float64(requests), "requests/list")
		fmt.Printf("fgs-adopt: 400 functions + 800 triggers listed in %.1fs (%d requests, 50 ms latency, 8 in flight)\n", elapsed.Seconds(), requests)
	}
}

// The listing keeps at most --parallel requests in flight, and does use them.
func TestAdoptBoundsItsRequests(t *testing.T) {
	var inFlight, peak atomic.Int32
	cfg := emulator.DefaultConfig()
	p := newTestProject(t, cfg, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			next.ServeHTTP(w, r)
		})
	})
	p.fill(t, 12, 1)
	peak.Store(0)
	proj, err := discover(context.Background(), p.client, "", 3)
	require.NoError(t, err)
	assert.Len(t, proj.functions, 12)
	assert.LessOrEqual(t, peak.Load(), int32(3), "never more than --parallel in flight")
	assert.Greater(t, peak.Load(), int32(1), "requests run in parallel")
}
