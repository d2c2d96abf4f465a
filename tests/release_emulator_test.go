package tests

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// releasedEmulator is an fgs-emulator process started as README "Testing your functions locally" starts it:
// on a free port, its environment taken from the export lines it prints.
type releasedEmulator struct {
	cmd    *exec.Cmd
	output strings.Builder // everything it printed after the export lines
	done   chan struct{}
	env    []string // the exported variables, as KEY=VALUE
}

// startReleasedEmulator runs bin and waits for its export lines; the cloud it returns reaches it over HTTP
// (it has no in-process emulator: only the API helpers work on it).
func startReleasedEmulator(t *testing.T, bin string) (*cloud, *releasedEmulator) {
	t.Helper()
	r := &releasedEmulator{cmd: exec.Command(bin, "--listen", "127.0.0.1:0", "--quiet"), done: make(chan struct{})}
	stdout, err := r.cmd.StdoutPipe()
	require.NoError(t, err)
	r.cmd.Stderr = r.cmd.Stdout
	require.NoError(t, r.cmd.Start())
	t.Cleanup(func() {
		_ = r.cmd.Process.Kill()
		select {
		case <-r.done:
		case <-time.After(5 * time.Second):
		}
	})
	lines := bufio.NewReader(stdout)
	vars := map[string]string{}
	for vars["FGS_ENDPOINT"] == "" {
		line, err := lines.ReadString('\n')
		require.NoError(t, err, "fgs-emulator ended before its export lines")
		if kv, ok := strings.CutPrefix(strings.TrimSpace(line), "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
			r.env = append(r.env, kv)
		}
	}
	go func() {
		rest, _ := io.ReadAll(lines)
		r.output.Write(rest)
		_ = r.cmd.Wait()
		close(r.done)
	}()
	cfg := emulator.DefaultConfig()
	require.Equal(t, cfg.ProjectID, vars["OS_PROJECT_ID"], "the binary's defaults are the package's")
	return &cloud{URL: vars["FGS_ENDPOINT"], cfg: cfg}, r
}

// stop sends SIGTERM, as a CI job's last step does, and returns what the emulator printed and its exit code.
func (r *releasedEmulator) stop(t *testing.T) (string, int) {
	t.Helper()
	require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("fgs-emulator did not stop within 10 s of SIGTERM")
	}
	return r.output.String(), r.cmd.ProcessState.ExitCode()
}

// invokeReleased runs `bin invoke TARGET` with the emulator's exported environment and returns its output.
func invokeReleased(t *testing.T, bin string, r *releasedEmulator, target string) string {
	t.Helper()
	cmd := exec.Command(bin, "invoke", target, "--payload", `{"from": "release"}`)
	cmd.Env = r.env
	out, err := cmd.Output()
	require.NoError(t, err, "fgs-emulator invoke %s: %s", target, out)
	return strings.TrimSpace(string(out))
}

// checkEmulatorArchive checks the emulator's archive for this machine: its binary runs and prints its usage.
func checkEmulatorArchive(t *testing.T, unpacked string) {
	t.Helper()
	help, err := exec.Command(unpacked+"/fgs-emulator", "--help").CombinedOutput()
	require.NoError(t, err, "%s", help)
	assert.Contains(t, string(help), "Usage: fgs-emulator [flags]")
	assert.Contains(t, string(help), "fgs-emulator invoke NAME_OR_URN")
}

// readmeCIJob is the shell block of README "Testing your functions locally" that a user's CI job copies.
func readmeCIJob(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(raw), "\n## Testing your functions locally\n")
	require.True(t, ok, "README has the section")
	section, _, _ = strings.Cut(section, "\n## ")
	for _, block := range strings.Split(section, "```sh\n")[1:] {
		body, _, _ := strings.Cut(block, "```")
		if strings.Contains(body, "pulumi up") {
			return body
		}
	}
	t.Fatal("no shell block with `pulumi up` in README's \"Testing your functions locally\"")
	return ""
}

// runReadmeCIJob runs the README's CI job in dir, as it stands, and returns its output.
func runReadmeCIJob(t *testing.T, dir string, env []string) string {
	t.Helper()
	script := filepath.Join(dir, "ci.sh")
	require.NoError(t, os.WriteFile(script, []byte(readmeCIJob(t)), 0o755))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir, cmd.Env = dir, env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README's CI job:\n%s", out)
	t.Logf("the README's CI job (%.1fs)", time.Since(start).Seconds())
	return string(out)
}

// answerLine is the line of output that holds a JSON object (the answer the job echoes).
func answerLine(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "{") {
			return line
		}
	}
	t.Fatalf("no JSON answer in:\n%s", out)
	return ""
}
