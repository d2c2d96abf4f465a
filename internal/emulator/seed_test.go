package emulator

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// outcomes sends n GETs of the function list and returns their status codes.
func outcomes(h *harness, n int, between func()) []int {
	out := make([]int, n)
	for i := range out {
		out[i], _ = h.do("GET", "/fgs/functions", nil)
		if between != nil {
			between()
		}
	}
	return out
}

func seeded(t *testing.T, seed int64) *harness {
	return newHarness(t, func(c *Config) {
		c.FaultSeed = seed
		c.FaultRate, c.FaultKinds = 0.3, []string{"429", "500", "503"}
		c.FaultRules = []FaultRule{{Phase: PhaseAfter, Rate: 0.3, Kinds: []string{"502", "504"}}}
	})
}

func TestFaultSeedMakesTheDrawsReproducible(t *testing.T) {
	a := outcomes(seeded(t, 42), 200, nil)
	require.Equal(t, a, outcomes(seeded(t, 42), 200, nil), "same seed, same faults on the same requests")
	kinds := map[int]int{}
	for _, c := range a {
		kinds[c]++
	}
	for _, c := range []int{200, 429, 500, 503, 502, 504} {
		require.NotZero(t, kinds[c], "status %d drawn at least once in %v", c, kinds)
	}
	require.NotEqual(t, a, outcomes(seeded(t, 43), 200, nil), "another seed, other draws")

	// the n-th request of a route meets the same fate however other routes' requests interleave
	h := seeded(t, 42)
	interleaved := outcomes(h, 200, func() { h.do("GET", "/fgs/quotas", nil); h.do("GET", "/fgs/dependencies", nil) })
	require.Equal(t, a, interleaved)

	// a random seed is reported, and repeating it repeats the run
	r := newHarness(t, func(c *Config) {
		c.FaultRate, c.FaultKinds = 0.3, []string{"429", "500", "503"}
		c.FaultRules = []FaultRule{{Phase: PhaseAfter, Rate: 0.3, Kinds: []string{"502", "504"}}}
	})
	var view struct {
		Seed int64 `json:"seed"`
	}
	require.NoError(t, json.Unmarshal(r.raw("GET", "/_emulator/faults", nil, nil).Body.Bytes(), &view))
	require.NotZero(t, view.Seed)
	require.Equal(t, outcomes(r, 100, nil), outcomes(seeded(t, view.Seed), 100, nil))

	// PUT /_emulator/faults with a seed starts the draws again from that seed
	p := newHarness(t)
	rec := p.raw("PUT", "/_emulator/faults", map[string]any{"rate": 0.3, "kinds": []string{"429", "500", "503"}, "seed": 42,
		"rules": []any{map[string]any{"phase": "after", "rate": 0.3, "kinds": []string{"502", "504"}}}}, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Equal(t, a[:50], outcomes(p, 50, nil))
	// changing the faults starts every stream again, so the same settings give the same draws
	rec = p.raw("PUT", "/_emulator/faults", map[string]any{"rate": 0.3, "kinds": []string{"429", "500", "503"},
		"rules": []any{map[string]any{"phase": "after", "rate": 0.3, "kinds": []string{"502", "504"}}}}, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"seed":42`, "the seed stays when the PUT names none")
	require.Equal(t, a[:50], outcomes(p, 50, nil))
}

// The draws are fair: a rule strikes at its rate and picks its kinds evenly.
func TestFaultDrawsHoldTheirRate(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.FaultSeed = 9
		c.FaultRules = []FaultRule{{Method: "GET", Route: fnsRoute, Rate: 0.3, Kinds: []string{"500", "503"}}}
	})
	const n = 4000
	got := map[int]int{}
	for _, c := range outcomes(h, n, nil) {
		got[c]++
	}
	struck := got[500] + got[503]
	require.InDelta(t, 0.3, float64(struck)/n, 0.03, "%v", got)
	require.InDelta(t, 0.5, float64(got[500])/float64(struck), 0.05, "%v", got)
	require.Equal(t, map[string]int{"before 500 GET " + fnsRoute: got[500], "before 503 GET " + fnsRoute: got[503]}, h.e.InjectedFaults())
	t.Logf("%d GETs at rate 0.3: %d struck (500: %d, 503: %d)", n, struck, got[500], got[503])
}
