package tests

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// installVersion is the version of this module the go-install test publishes to its own module proxy.
const installVersion = "v0.0.1-e2e"

// `go install github.com/fgs-iac/pulumi-fgs/cmd/fgs-emulator@VERSION` works: this repository's tracked files
// are published, as a tag would publish them, to a module proxy in a directory, and `go install` fetches the
// module from it (the dependencies' go.mod files from the local module cache, in the same proxy layout) and
// builds the emulator. `go install PKG@VERSION` refuses a module whose go.mod has replace or exclude
// directives, and needs every nested module (sdk/go, examples/go) kept out of the root module's zip.
func TestGoInstallEmulatorAtAVersion(t *testing.T) {
	proxy := t.TempDir()
	dir := filepath.Join(proxy, "github.com", "fgs-iac", "pulumi-fgs", "@v")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, installVersion+".mod"), gomod, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, installVersion+".info"), []byte(`{"Version":"`+installVersion+`","Time":"2026-01-01T00:00:00Z"}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "list"), []byte(installVersion+"\n"), 0o644))
	writeModuleZip(t, filepath.Join(dir, installVersion+".zip"))

	modCache := strings.TrimSpace(runIn(t, repoRoot, nil, "go", "env", "GOMODCACHE"))
	gobin := t.TempDir()
	env := []string{
		"GOPROXY=file://" + filepath.ToSlash(proxy) + ",file://" + filepath.ToSlash(filepath.Join(modCache, "cache", "download")),
		"GOMODCACHE=" + t.TempDir(), // the published module is not mixed into the real cache
		"GOFLAGS=-modcacherw", "GOSUMDB=off", "GOWORK=off", "GOTOOLCHAIN=local", "GOBIN=" + gobin,
	}
	out := runIn(t, t.TempDir(), env, "go", "install", "github.com/fgs-iac/pulumi-fgs/cmd/fgs-emulator@"+installVersion)
	t.Logf("go install: %s", out)

	help := exec.Command(filepath.Join(gobin, "fgs-emulator"), "--help")
	text, err := help.CombinedOutput()
	require.NoError(t, err, "%s", text)
	assert.Contains(t, string(text), "Usage: fgs-emulator [flags]")
}

// writeModuleZip writes the module zip of this repository's tracked files, leaving out nested modules.
func writeModuleZip(t *testing.T, path string) {
	t.Helper()
	files := strings.Fields(runIn(t, repoRoot, nil, "git", "ls-files"))
	var nested []string
	for _, f := range files {
		if filepath.Base(f) == "go.mod" && f != "go.mod" {
			nested = append(nested, filepath.Dir(f)+"/")
		}
	}
	require.NotEmpty(t, nested, "sdk/go is a module of its own")
	zf, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(zf)
	prefix := "github.com/fgs-iac/pulumi-fgs@" + installVersion + "/"
next:
	for _, f := range files {
		for _, n := range nested {
			if strings.HasPrefix(f, n) {
				continue next
			}
		}
		raw, err := os.ReadFile(filepath.Join(repoRoot, f))
		if os.IsNotExist(err) {
			continue // deleted in the working tree, not yet committed
		}
		require.NoError(t, err)
		w, err := zw.Create(prefix + f)
		require.NoError(t, err)
		_, err = w.Write(raw)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, zf.Close())
}
