package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// How users get the plugin: a goreleaser archive installed with `pulumi plugin install --file`, then found
// in the plugin cache, not on PATH. And the emulator: its own archive, whose binary serves the deploy, calls
// the deployed function (`fgs-emulator invoke`) and stops on SIGTERM, as README "Testing your functions
// locally" has a CI job do.
func TestReleaseArchiveInstallsAsPlugin(t *testing.T) {
	dist := filepath.Join(t.TempDir(), "dist")
	cmd := exec.Command("goreleaser", "release", "--snapshot", "--clean", "--skip=publish")
	cmd.Dir = repoRoot
	// goreleaser writes into ./dist; point it elsewhere so that tests leave the tree alone.
	cfg := filepath.Join(t.TempDir(), "goreleaser.yml")
	raw, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, []byte(string(raw)+"\ndist: "+dist+"\n"), 0o644))
	cmd.Args = append(cmd.Args, "--config", cfg)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "goreleaser:\n%s", out)

	var meta struct {
		Version string `json:"version"`
	}
	raw, err = os.ReadFile(filepath.Join(dist, "metadata.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &meta))
	require.NotEmpty(t, meta.Version)
	for _, osArch := range []string{"linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64", "windows-arm64"} {
		_, err := os.Stat(filepath.Join(dist, fmt.Sprintf("pulumi-resource-fgs-v%s-%s.tar.gz", meta.Version, osArch)))
		assert.NoError(t, err, "archive for %s", osArch)
		_, err = os.Stat(filepath.Join(dist, fmt.Sprintf("fgs-emulator-v%s-%s.tar.gz", meta.Version, osArch)))
		assert.NoError(t, err, "emulator archive for %s", osArch)
	}
	archive := filepath.Join(dist, fmt.Sprintf("pulumi-resource-fgs-v%s-%s-%s.tar.gz", meta.Version, runtime.GOOS, runtime.GOARCH))

	// The archived binary reports the release's version: the ldflags path in .goreleaser.yml is right.
	unpacked := t.TempDir()
	runIn(t, unpacked, nil, "tar", "-xzf", archive)
	version := runIn(t, unpacked, nil, filepath.Join(unpacked, "pulumi-resource-fgs"), "--version")
	assert.Equal(t, meta.Version, strings.TrimSpace(version))
	adoptVersion := runIn(t, unpacked, nil, filepath.Join(unpacked, "fgs-adopt"), "--version")
	assert.Equal(t, meta.Version, strings.TrimSpace(adoptVersion), "fgs-adopt ships in the plugin's archive, with the release's version")

	emulatorDir := t.TempDir()
	runIn(t, emulatorDir, nil, "tar", "-xzf", filepath.Join(dist, fmt.Sprintf("fgs-emulator-v%s-%s-%s.tar.gz", meta.Version, runtime.GOOS, runtime.GOARCH)))
	checkEmulatorArchive(t, emulatorDir)
	emulatorBin := filepath.Join(emulatorDir, "fgs-emulator")
	c, released := startReleasedEmulator(t, emulatorBin)
	project := filepath.Join(t.TempDir(), "release")
	require.NoError(t, copyTree(filepath.Join(repoRoot, "tests", "testdata", "release"), project))
	yml := filepath.Join(project, "Pulumi.yaml")
	raw, err = os.ReadFile(yml)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(yml, []byte(strings.ReplaceAll(string(raw), "PLUGIN_VERSION", meta.Version)), 0o644))

	s := newStack(t, project, c)
	s.env = append(s.env, "PATH="+pathWithoutProvider())
	s.run("plugin", "install", "resource", "fgs", meta.Version, "--file", archive)
	assert.Contains(t, s.run("plugin", "ls"), meta.Version)

	up := s.run("up", "--yes", "--skip-preview")
	assert.NotContains(t, up, "from $PATH", "the plugin must come from the plugin cache")
	assert.Equal(t, "urn:fss:eu-de:"+c.cfg.ProjectID+":function:default:release-check", s.outputs()["functionUrn"])
	assert.Equal(t, []string{"release-check"}, c.functionNames(t))
	// testdata/release/app is the examples' handler, with no GREETING set.
	assertHelloAnswer(t, "", invokeReleased(t, emulatorBin, released, "release-check"))
	s.run("destroy", "--yes", "--skip-preview")
	assert.Empty(t, c.functionNames(t))
	printed, code := released.stop(t)
	assert.Equal(t, 0, code, "fgs-emulator exits cleanly on SIGTERM:\n%s", printed)
	assert.Contains(t, printed, "fgs-emulator stopped")

	// The README's CI job, as it stands, with the released emulator and the installed plugin.
	job := runReadmeCIJob(t, s.dir, append(s.env, "PATH="+emulatorDir+string(os.PathListSeparator)+pathWithoutProvider()))
	assertHelloAnswer(t, "", answerLine(t, job))
	assert.NotContains(t, job, "from $PATH", "the plugin comes from the plugin cache")
	emulatorOut, err := os.ReadFile(filepath.Join(s.dir, "emulator.out"))
	require.NoError(t, err)
	assert.Contains(t, string(emulatorOut), "fgs-emulator stopped", "the job stopped the emulator with SIGTERM")
}

// pathWithoutProvider is PATH less every directory that holds a pulumi-resource-fgs binary.
func pathWithoutProvider() string {
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "pulumi-resource-fgs")); err == nil {
			continue
		}
		keep = append(keep, dir)
	}
	return strings.Join(keep, string(os.PathListSeparator))
}
