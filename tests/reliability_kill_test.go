package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// R5: no silent orphans. The provider is killed mid-apply; the next `up` either completes or names every
// function left in the cloud with the command that adopts it. And a stack never takes over another's function.

// startPulumi starts a pulumi command without waiting for it; wait returns its output and error.
func (s *stack) startPulumi(args ...string) (cmd *exec.Cmd, wait func() (string, error)) {
	s.t.Helper()
	var out bytes.Buffer
	cmd = exec.Command("pulumi", append(args, "--non-interactive")...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.dir, s.env, &out, &out
	require.NoError(s.t, cmd.Start())
	return cmd, func() (string, error) {
		err := cmd.Wait()
		return out.String(), err
	}
}

// descendants returns the processes below pid whose executable is named exe.
func descendants(pid int, exe string) []int {
	parent := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 1 {
			parent[p], _ = strconv.Atoi(fields[1])
		}
	}
	var out []int
	for p := range parent {
		for q := parent[p]; q > 1; q = parent[q] {
			if q == pid {
				if target, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(p), "exe")); err == nil && filepath.Base(target) == exe {
					out = append(out, p)
				}
				break
			}
		}
	}
	return out
}

// importCommandRe finds the import commands the provider's "already exists" errors give.
var importCommandRe = regexp.MustCompile("`(pulumi import fgs:index:\\w+ \\S+ [^`]+)`")

// Each run kills the provider after another number of creates were sent (1 to 8 of 10 functions).
func TestReliabilityR5KillMidApply(t *testing.T) {
	runs := reliabilityRuns(t)
	succeeded, completed, named := 0, 0, 0
	for run := 1; run <= runs; run++ {
		killAt := 1 + (run*3)%8
		var secondUpCompleted bool
		if t.Run(fmt.Sprintf("run%02d-kill-after-%d-creates", run, killAt), func(t *testing.T) {
			secondUpCompleted = killRun(t, killAt)
		}) {
			succeeded++
			if secondUpCompleted {
				completed++
			} else {
				named++
			}
		}
	}
	summary := fmt.Sprintf("R5 kill -9 mid-up: %d of %d left no silent orphan (second up completed %d times, named every leftover with its import command %d times)",
		succeeded, runs, completed, named)
	fmt.Println(summary)
	t.Log(summary)
}

// killRun kills the provider once killAt creates were sent, then runs up again; it reports whether that
// second up completed (rather than naming the leftovers, whose import commands it then runs).
func killRun(t *testing.T, killAt int) bool {
	named := []string{"r5-named-a", "r5-named-b"}
	c := startCloudWith(t, func(cfg *emulator.Config) {
		cfg.Latency = [2]time.Duration{300 * time.Millisecond, 600 * time.Millisecond}
	})
	s := newStack(t, writeProject(t, fleetProgram("killed", 8, named...)), c, providerBin)

	cmd, wait := s.startPulumi("up", "--yes", "--skip-preview", "--parallel", "4")
	deadline := time.Now().Add(4 * time.Minute)
	killed := []int{}
	for len(killed) == 0 {
		require.True(t, time.Now().Before(deadline), "the up never got to %d creates", killAt)
		// Creates under way, counted as they arrive: the last ones are in flight when the provider dies,
		// and the emulator carries them out after their client is gone.
		if c.Counts()["POST /v2/{project_id}/fgs/functions"] >= killAt {
			for _, pid := range descendants(cmd.Process.Pid, "pulumi-resource-fgs") {
				require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
				killed = append(killed, pid)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	out1, err := wait()
	require.Error(t, err, "the up whose provider was killed cannot succeed:\n%s", out1)
	time.Sleep(time.Second) // the creates in flight land
	cp := s.exportState()
	t.Logf("killed provider %v: %d functions in the cloud, %d in state, %d pending operations",
		killed, len(c.functionNames(t)), len(cp.ofType("fgs:index:Function")), len(cp.PendingOperations))

	// The second up, at the default settings.
	out2, err := s.try("up", "--yes", "--skip-preview")
	if err == nil {
		t.Logf("the second up completed")
		requireCloudEqualsState(t, c, s)
		require.Len(t, c.functionNames(t), 10)
		s.run("destroy", "--yes", "--skip-preview")
		requireCloudEmpty(t, c)
		return true
	}
	// It failed: every function in the cloud that the state does not hold is named, with its import command.
	inState := map[string]bool{}
	for _, f := range s.exportState().ofType("fgs:index:Function") {
		inState[f.Outputs["name"].(string)] = true
	}
	leftovers := 0
	for _, name := range c.functionNames(t) {
		if inState[name] {
			continue
		}
		leftovers++
		urn := "urn:fss:" + c.cfg.Region + ":" + c.cfg.ProjectID + ":function:default:" + name
		assert.Regexp(t, "pulumi import fgs:index:Function \\S+ '?"+regexp.QuoteMeta(urn), out2, "leftover %s is not named with its import command", name)
		if !strings.HasPrefix(name, "r5-named-") {
			assert.Contains(t, out2, "Its name is the one this provider derives for "+name[:4]+" in this stack", "the error says what most likely happened")
		}
	}
	commands := map[string]bool{}
	for _, m := range importCommandRe.FindAllStringSubmatch(out2, -1) {
		commands[m[1]] = true
	}
	t.Logf("the second up failed and named %d import commands for %d leftover functions; e.g. %s", len(commands), leftovers, firstLine(out2, "already exists"))
	require.NotEmpty(t, commands, "a failed second up must say how to adopt what it found:\n%s", out2)
	// The commands it gave work as given: after them, up completes and the cloud equals the state.
	for command := range commands {
		args := strings.Fields(strings.ReplaceAll(strings.TrimPrefix(command, "pulumi "), "'", ""))
		s.run(append(args, "--yes", "--generate-code=false", "--protect=false")...)
	}
	s.run("up", "--yes", "--skip-preview")
	requireCloudEqualsState(t, c, s)
	require.Len(t, c.functionNames(t), 10)
	s.run("destroy", "--yes", "--skip-preview")
	requireCloudEmpty(t, c)
	return false
}

// firstLine is the first line of text that holds substr, trimmed.
func firstLine(text, substr string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// Stack A owns taken-name; stack B declares the same function (same code, same settings) and the answer to
// its create is lost after the service refused it. B fails with the import command, adopts nothing, and its
// destroy leaves A's function alone.
func TestReliabilityR5TwoStacksNeverShareAFunction(t *testing.T) {
	c := startCloudWith(t, nil)
	program := fleetProgram("owner", 0, "taken-name")
	a := newStack(t, writeProject(t, program), c, providerBin)
	a.run("up", "--yes", "--skip-preview")
	created := time.Now()
	require.Equal(t, []string{"taken-name"}, c.functionNames(t))

	b := newStack(t, writeProject(t, program), c, providerBin)
	// The ownership check allows the service's clock 5 s of slack: B starts after it, as any real second
	// stack would.
	time.Sleep(time.Until(created.Add(6 * time.Second)))
	require.NoError(t, c.SetFaultRules([]emulator.FaultRule{{Phase: emulator.PhaseAfter, Method: "POST", Route: "/v2/{project_id}/fgs/functions", Rate: 1, Kinds: []string{"drop"}}}))
	c.ResetCounts()
	out, err := b.try("up", "--yes", "--skip-preview")
	require.Error(t, err, out)
	urn := "urn:fss:" + c.cfg.Region + ":" + c.cfg.ProjectID + ":function:default:taken-name"
	assert.Contains(t, out, "already exists")
	assert.Contains(t, out, "pulumi import fgs:index:Function named0 "+urn)
	assert.Empty(t, b.exportState().ofType("fgs:index:Function"), "B adopted nothing")
	c.ClearFaults()

	b.run("destroy", "--yes", "--skip-preview")
	counts, _ := requestCounts(c)
	for route := range counts {
		assert.False(t, strings.HasPrefix(route, "DELETE "), "B deleted something: %v", counts)
	}
	require.Equal(t, []string{"taken-name"}, c.functionNames(t), "A's function is still there")
	a.run("refresh", "--yes", "--expect-no-changes")
	a.run("preview", "--expect-no-changes")
	a.run("destroy", "--yes", "--skip-preview")
	requireCloudEmpty(t, c)
}
