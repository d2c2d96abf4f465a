package tests

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// What the reliability suite shares: an emulator with chosen faults, generated programs, and the comparison of
// the cloud with a stack's state.

// startCloudWith is startCloud with a configuration of the test's own (faults, seed, latency). Functions are
// never executed: the suite is about the management API, and a TIMER must not spawn interpreters mid-run.
func startCloudWith(t *testing.T, configure func(*emulator.Config)) *cloud {
	t.Helper()
	cfg := emulator.DefaultConfig()
	cfg.NoExec = true
	if configure != nil {
		configure(&cfg)
	}
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(em)
	t.Cleanup(func() {
		_ = em.Close() // releases hanging requests before the server waits for them
		srv.Close()
	})
	return &cloud{Emulator: em, URL: srv.URL, cfg: cfg}
}

// reliabilityRuns is how many runs a repeated scenario makes: 1 in `make test`, FGS_RELIABILITY_RUNS
// (`make reliability` sets 10) otherwise.
func reliabilityRuns(t *testing.T) int {
	v := os.Getenv("FGS_RELIABILITY_RUNS")
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "FGS_RELIABILITY_RUNS")
	require.Positive(t, n, "FGS_RELIABILITY_RUNS")
	return n
}

// writeProject writes a YAML program into a fresh directory and returns it.
func writeProject(t *testing.T, program string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(program), 0o644))
	return dir
}

// fleetProgram is a YAML program of n auto-named functions, each with a TIMER trigger, and named extra
// functions with the given names. Every function has its own code, so no two share a digest.
func fleetProgram(project string, n int, named ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nruntime: yaml\nresources:\n", project)
	fn := func(res, name string, i int) {
		fmt.Fprintf(&b, "  %s:\n    type: fgs:index:Function\n    properties:\n", res)
		if name != "" {
			fmt.Fprintf(&b, "      name: %s\n", name)
		}
		fmt.Fprintf(&b, "      runtime: Python3.9\n      handler: index.handler\n      memorySize: 128\n      timeout: 30\n")
		fmt.Fprintf(&b, "      description: member %d of the fleet\n", i)
		fmt.Fprintf(&b, "      code:\n        fn::assetArchive:\n          index.py:\n            fn::stringAsset: |\n")
		fmt.Fprintf(&b, "              def handler(event, context):\n                  return %d\n", i)
	}
	for i := 0; i < n; i++ {
		res := fmt.Sprintf("fn%02d", i)
		fn(res, "", i)
		fmt.Fprintf(&b, "  tick%02d:\n    type: fgs:index:Trigger\n    properties:\n      functionUrn: ${%s.functionUrn}\n", i, res)
		fmt.Fprintf(&b, "      type: TIMER\n      timer:\n        name: tick%02d\n        scheduleType: Rate\n        schedule: 60m\n", i)
	}
	for i, name := range named {
		fn("named"+strconv.Itoa(i), name, n+i)
	}
	return b.String()
}

// stateResource is one resource of a stack's checkpoint.
type stateResource struct {
	URN     string         `json:"urn"`
	Type    string         `json:"type"`
	ID      string         `json:"id"`
	Outputs map[string]any `json:"outputs"`
}

type checkpoint struct {
	Resources         []stateResource   `json:"resources"`
	PendingOperations []json.RawMessage `json:"pending_operations"`
}

// exportState reads the stack's checkpoint.
func (s *stack) exportState() checkpoint {
	s.t.Helper()
	var dep struct {
		Deployment checkpoint `json:"deployment"`
	}
	out := s.run("stack", "export")
	require.NoError(s.t, json.Unmarshal([]byte(out), &dep), out)
	return dep.Deployment
}

// ofType returns the resources of one type in the checkpoint.
func (cp checkpoint) ofType(typ string) []stateResource {
	var out []stateResource
	for _, r := range cp.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// functions returns, per function name, the functions the emulator holds (a name twice would be a duplicate).
func (c *cloud) functions(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, n := range c.functionNames(t) {
		out[n]++
	}
	return out
}

// triggerIDs lists the trigger IDs of a function.
func (c *cloud) triggerIDs(t *testing.T, functionURN string) []string {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/triggers/"+functionURN, nil)
	require.Equal(t, 200, status, string(body))
	var list []struct {
		ID string `json:"trigger_id"`
	}
	require.NoError(t, json.Unmarshal(body, &list), string(body))
	ids := []string{}
	for _, tr := range list {
		ids = append(ids, tr.ID)
	}
	sort.Strings(ids)
	return ids
}

// requireCloudEqualsState checks that every function and trigger of the state exists exactly once in the
// emulator and that the emulator holds nothing else: no duplicates, no orphans, no pending operations.
func requireCloudEqualsState(t *testing.T, c *cloud, s *stack) {
	t.Helper()
	cp := s.exportState()
	require.Empty(t, cp.PendingOperations, "pending operations left in the state")
	want := map[string]int{}
	wantTriggers := map[string][]string{} // function URN -> trigger IDs
	for _, f := range cp.ofType("fgs:index:Function") {
		name, _ := f.Outputs["name"].(string)
		require.NotEmpty(t, name, "function %s has no name in state", f.URN)
		want[name]++
		urn, _ := f.Outputs["functionUrn"].(string)
		wantTriggers[urn] = []string{}
	}
	for _, tr := range cp.ofType("fgs:index:Trigger") {
		urn, _ := tr.Outputs["functionUrn"].(string)
		id, _ := tr.Outputs["triggerId"].(string)
		require.NotEmpty(t, id, "trigger %s has no triggerId in state", tr.URN)
		wantTriggers[urn] = append(wantTriggers[urn], id)
	}
	require.Equal(t, want, c.functions(t), "the functions in the emulator (count per name) against the state")
	for urn, ids := range wantTriggers {
		sort.Strings(ids)
		require.Equal(t, ids, c.triggerIDs(t, urn), "the triggers of %s against the state", urn)
	}
}

// requireCloudEmpty checks that the emulator holds no function (and so no trigger, version or alias).
func requireCloudEmpty(t *testing.T, c *cloud) {
	t.Helper()
	require.Empty(t, c.functionNames(t), "functions left in the emulator")
}

// timed runs f and returns how long it took.
func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
