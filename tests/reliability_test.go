package tests

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// The reliability suite (R1-R5): the pulumi CLI and the built provider against the emulator under injected
// faults, kills, an echoing service and out-of-band changes. `make test` runs each scenario once;
// `make reliability` runs the repeated ones FGS_RELIABILITY_RUNS=10 times and prints "N of 10 succeeded".

const fleetSize = 50

// R1: 50 functions and 50 TIMER triggers under 30% 429 and 10% 503 before the handler: `up` succeeds at the
// default settings, the cloud equals the state, destroy (under the same faults) leaves nothing.
func TestReliabilityR1ThrottlingAndUnavailable(t *testing.T) {
	// One rule at 40%, a 429 three times in four: 30% 429 and 10% 503 of all FunctionGraph requests.
	rules := []emulator.FaultRule{{Phase: emulator.PhaseBefore, Rate: 0.4, Kinds: []string{"429", "429", "429", "503"}}}
	repeatFleet(t, "R1 30% 429 + 10% 503 before the handler", rules)
}

// R1: the same fleet when 30% of all FunctionGraph requests are carried out and then lose their answer
// (the connection drops, or a 500/503 comes back): no duplicate, no orphan, no adoption of a stranger.
func TestReliabilityR1AfterCommitFaults(t *testing.T) {
	rules := []emulator.FaultRule{{Phase: emulator.PhaseAfter, Rate: 0.3, Kinds: []string{"drop", "500", "503"}}}
	repeatFleet(t, "R1 30% after-commit drop/500/503", rules)
}

// repeatFleet runs the fleet scenario reliabilityRuns times, each against a fresh emulator with its own
// fault seed, and reports how many succeeded and how long they took.
func repeatFleet(t *testing.T, label string, rules []emulator.FaultRule) {
	runs := reliabilityRuns(t)
	succeeded := 0
	var ups, destroys []string
	for run := 1; run <= runs; run++ {
		var up, destroy time.Duration
		ok := t.Run(fmt.Sprintf("run%02d", run), func(t *testing.T) {
			up, destroy = fleetRun(t, int64(run), rules)
		})
		if ok {
			succeeded++
			ups = append(ups, fmt.Sprintf("%.0fs", up.Seconds()))
			destroys = append(destroys, fmt.Sprintf("%.0fs", destroy.Seconds()))
		}
	}
	summary := fmt.Sprintf("%s: %d of %d succeeded (up %s; destroy %s)", label, succeeded, runs,
		strings.Join(ups, " "), strings.Join(destroys, " "))
	fmt.Println(summary)
	t.Log(summary)
}

func fleetRun(t *testing.T, seed int64, rules []emulator.FaultRule) (up, destroy time.Duration) {
	c := startCloudWith(t, func(cfg *emulator.Config) {
		cfg.FaultSeed = seed
		cfg.FaultRules = rules
	})
	s := newStack(t, writeProject(t, fleetProgram("fleet", fleetSize)), c, providerBin)
	up = timed(func() { s.run("up", "--yes", "--skip-preview") })
	injected := c.InjectedFaults()
	total := 0
	for _, n := range injected {
		total += n
	}
	t.Logf("up of %d functions and %d triggers: %.1fs, %d faults injected %v", fleetSize, fleetSize, up.Seconds(), total, injected)
	require.Positive(t, total, "the faults must have struck")

	// The faults stay on for the checks' own reads: they go around them, through the emulator's Go API.
	faults := c.FaultRules()
	c.ClearFaults()
	requireCloudEqualsState(t, c, s)
	require.Len(t, c.functionNames(t), fleetSize)
	require.NoError(t, c.SetFaultRules(faults))

	destroy = timed(func() { s.run("destroy", "--yes", "--skip-preview") })
	c.ClearFaults()
	requireCloudEmpty(t, c)
	require.Empty(t, s.exportState().Resources, "destroy leaves an empty state")
	return up, destroy
}

// emulatorRequests reads the request counts from the operator API, as an operator would.
func emulatorRequests(t *testing.T, c *cloud) map[string]int {
	t.Helper()
	resp, err := http.Get(c.URL + "/_emulator/requests")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, 200, resp.StatusCode, string(body))
	counts := map[string]int{}
	require.NoError(t, json.Unmarshal(body, &counts), string(body))
	return counts
}

// R2 at the CLI: a preview with a malformed endpoint or a tag key the service would refuse fails, naming
// the setting or property, and sends no request at all.
func TestReliabilityR2PreviewRejectsWithoutRequests(t *testing.T) {
	c := startCloudWith(t, nil)
	program := strings.Replace(fleetProgram("preview-checks", 1), "      description: member 0 of the fleet\n",
		"      description: member 0 of the fleet\n      tags:\n        "+strings.Repeat("k", 37)+": v\n", 1)

	t.Run("bad endpoint", func(t *testing.T) {
		s := newStack(t, writeProject(t, fleetProgram("preview-checks", 1)), c, providerBin)
		s.run("config", "set", "fgs:endpoint", "http//127.0.0.1:8990")
		c.ResetCounts()
		out, err := s.try("preview")
		require.Error(t, err, out)
		assert.Contains(t, out, "endpoint")
		assert.Contains(t, out, "http//127.0.0.1:8990")
		assert.Empty(t, emulatorRequests(t, c), "a rejected preview sends no request")
	})
	t.Run("tag key over 36 characters", func(t *testing.T) {
		s := newStack(t, writeProject(t, program), c, providerBin)
		c.ResetCounts()
		out, err := s.try("preview")
		require.Error(t, err, out)
		assert.Contains(t, out, "tags")
		assert.Contains(t, out, "36")
		assert.Empty(t, emulatorRequests(t, c), "a rejected preview sends no request")
	})
}
