package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pulumiSDKVersion is the version of the language SDKs that matches the pinned CLI.
const pulumiSDKVersion = "3.259.0"

func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
	return string(out)
}

func TestGoSDKBuilds(t *testing.T) {
	runIn(t, filepath.Join(repoRoot, "sdk", "go"), []string{"GOFLAGS=-mod=readonly"}, "go", "build", "./...")
	runIn(t, filepath.Join(repoRoot, "sdk", "go"), []string{"GOFLAGS=-mod=readonly"}, "go", "vet", "./...")
}

func TestTypeScriptSDKCompiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nodejs")
	require.NoError(t, copyTree(filepath.Join(repoRoot, "sdk", "nodejs"), dir))
	runIn(t, dir, nil, "npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error",
		"@pulumi/pulumi@"+pulumiSDKVersion)
	runIn(t, dir, nil, "npx", "--no-install", "tsc", "--noEmitOnError", "--outDir", "bin")
	_, err := os.Stat(filepath.Join(dir, "bin", "function.js"))
	require.NoError(t, err, "tsc wrote no function.js")
	_, err = os.Stat(filepath.Join(dir, "bin", "function.d.ts"))
	require.NoError(t, err, "tsc wrote no declarations")
}

func TestPythonSDKInstallsAndImports(t *testing.T) {
	venv := filepath.Join(t.TempDir(), "venv")
	runIn(t, repoRoot, nil, "python3", "-m", "venv", venv)
	py := filepath.Join(venv, "bin", "python")
	// Installed from a copy: building in place would leave build/ and *.egg-info in sdk/python.
	src := filepath.Join(t.TempDir(), "python")
	require.NoError(t, copyTree(filepath.Join(repoRoot, "sdk", "python"), src))
	runIn(t, repoRoot, nil, py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
		"pulumi=="+pulumiSDKVersion, src)
	out := runIn(t, repoRoot, nil, py, "-c",
		"import pulumi_fgs, pulumi_fgs.config; print(pulumi_fgs.Function.__name__, pulumi_fgs.Runtime.PYTHON3_9.value)")
	require.Equal(t, "Function Python3.9", strings.TrimSpace(out))
}
