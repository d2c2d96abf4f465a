package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The same program in TypeScript, Python and Go, deployed through each language host with the SDK built
// from this repository: up, a clean preview, an update, destroy, and nothing left behind.
func TestExamplesInEveryLanguage(t *testing.T) {
	for _, lang := range []string{"nodejs", "python", "go"} {
		t.Run(lang, func(t *testing.T) {
			c := startCloud(t)
			s := newStack(t, filepath.Join(repoRoot, "examples", lang), c, providerBin)
			prepare[lang](t, s)

			s.run("up", "--yes", "--skip-preview")
			out := s.outputs()
			urn, _ := out["functionUrn"].(string)
			require.True(t, strings.HasPrefix(urn, "urn:fss:eu-de:"+c.cfg.ProjectID+":function:default:hello-"), "functionUrn: %v", out)
			assert.Len(t, c.functionNames(t), 1)
			assert.Equal(t, urn+":!live", out["aliasUrn"], "the alias URN is a stack output")
			assert.Equal(t, map[string]any{"latest": 10.0}, aliasWeights(t, c, urn, "live"))
			assert.Equal(t, []any{out["dependencyVersionId"]}, liveConfig(t, c, urn)["depend_version_list"], "the function uses the DependencyVersion")
			assert.Equal(t, 2, int(asyncConfig(t, c, urn+":!live")["max_async_retry_attempts"].(float64)), "the alias has its async settings")
			checkExampleInvocations(t, c, lang, out)

			s.run("preview", "--expect-no-changes")

			s.run("config", "set", "memorySize", "512")
			s.run("config", "set", "canaryWeight", "30")
			preview := s.run("preview", "--diff")
			assert.Contains(t, preview, "memorySize")
			assert.Contains(t, preview, "additionalVersionWeights")
			assert.NotContains(t, preview, "replace")
			s.run("up", "--yes", "--skip-preview")
			assert.Equal(t, 512, liveConfig(t, c, urn)["memory_size"])
			assert.Equal(t, map[string]any{"latest": 30.0}, aliasWeights(t, c, urn, "live"))
			s.run("preview", "--expect-no-changes")

			s.run("destroy", "--yes", "--skip-preview")
			assert.Empty(t, c.functionNames(t))
			assert.Empty(t, privateDependencies(t, c))
		})
	}
}

// prepare installs each program's dependencies, with the SDK taken from this repository.
var prepare = map[string]func(t *testing.T, s *stack){
	"nodejs": func(t *testing.T, s *stack) {
		sdk := filepath.Join(t.TempDir(), "sdk-nodejs")
		require.NoError(t, copyTree(filepath.Join(repoRoot, "sdk", "nodejs"), sdk))
		replaceInFile(t, filepath.Join(s.dir, "package.json"), "file:../../sdk/nodejs", "file:"+sdk)
		runIn(t, s.dir, nil, "npm", "install", "--install-links", "--no-audit", "--no-fund", "--loglevel=error")
	},
	"python": func(t *testing.T, s *stack) {
		sdk := filepath.Join(t.TempDir(), "sdk-python")
		require.NoError(t, copyTree(filepath.Join(repoRoot, "sdk", "python"), sdk))
		replaceInFile(t, filepath.Join(s.dir, "requirements.txt"), "../../sdk/python", sdk)
		venv := filepath.Join(s.dir, "venv")
		runIn(t, s.dir, nil, "python3", "-m", "venv", venv)
		runIn(t, s.dir, nil, filepath.Join(venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt")
		// The Python host runs the python3 it finds first on PATH: the program's virtual environment.
		s.env = append(s.env, "PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+envValue(s.env, "PATH"), "VIRTUAL_ENV="+venv)
	},
	"go": func(t *testing.T, s *stack) {
		replaceInFile(t, filepath.Join(s.dir, "go.mod"), "=> ../../sdk/go", "=> "+filepath.Join(repoRoot, "sdk", "go"))
		s.env = append(s.env, "GOFLAGS=-mod=mod")
	},
}

func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(raw), old, path)
	require.NoError(t, os.WriteFile(path, []byte(strings.ReplaceAll(string(raw), old, new)), 0o644))
}

// envValue is the last value of name in env (the one a child process sees).
func envValue(env []string, name string) string {
	v := ""
	for _, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			v = strings.TrimPrefix(kv, name+"=")
		}
	}
	return v
}
