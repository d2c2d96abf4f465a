// Package tests drives the pulumi CLI, the built provider plugin and the emulator end to end.
// It needs the pinned toolchain on PATH (make test / make test-e2e put it there).
package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// testVersion is injected into the provider binary the tests build, and checked.
const testVersion = "0.0.1-e2e"

var (
	repoRoot    string
	providerBin string // directory holding pulumi-resource-fgs built with testVersion
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Dir(filepath.Dir(file))
	if _, err := exec.LookPath("pulumi"); err != nil {
		return 1, fmt.Errorf("the pulumi CLI is not on PATH: run the tests through `make test` (it installs the pinned toolchain)")
	}
	dir, err := os.MkdirTemp("", "fgs-e2e-bin")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "pulumi-resource-fgs"),
		"-ldflags", "-X github.com/fgs-iac/pulumi-fgs/provider.Version="+testVersion, "./cmd/pulumi-resource-fgs")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		return 1, fmt.Errorf("building the provider: %v\n%s", err, out)
	}
	providerBin = dir
	return m.Run(), nil
}

// cloud is an emulator served on loopback for one test.
type cloud struct {
	*emulator.Emulator
	URL string
	cfg emulator.Config
}

func startCloud(t *testing.T) *cloud {
	t.Helper()
	cfg := emulator.DefaultConfig()
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	return &cloud{Emulator: em, URL: srv.URL, cfg: cfg}
}

// env is what a program needs to reach this emulator with password authentication.
func (c *cloud) env() []string {
	return []string{
		"OS_AUTH_URL=" + c.URL + "/v3",
		"OS_REGION_NAME=" + c.cfg.Region,
		"OS_PROJECT_NAME=" + c.cfg.ProjectName,
		"OS_DOMAIN_NAME=" + c.cfg.DomainName,
		"OS_USERNAME=" + c.cfg.UserName,
		"OS_PASSWORD=" + c.cfg.Password,
		"FGS_ENDPOINT=" + c.URL,
	}
}

// api calls the emulator's FunctionGraph API directly, as an out-of-band actor would.
func (c *cloud) api(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	token := c.token(t)
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.URL+"/v2/"+c.cfg.ProjectID+path, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (c *cloud) token(t *testing.T) string {
	t.Helper()
	body := fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":%q,"password":%q,"domain":{"name":%q}}}},"scope":{"project":{"name":%q}}}}`,
		c.cfg.UserName, c.cfg.Password, c.cfg.DomainName, c.cfg.ProjectName)
	resp, err := http.Post(c.URL+"/v3/auth/tokens", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	return resp.Header.Get("X-Subject-Token")
}

// functionNames lists the functions the emulator holds.
func (c *cloud) functionNames(t *testing.T) []string {
	t.Helper()
	status, body := c.api(t, "GET", "/fgs/functions?maxitems=400", nil)
	require.Equal(t, 200, status, string(body))
	var list struct {
		Functions []struct {
			FuncName string `json:"func_name"`
		} `json:"functions"`
	}
	require.NoError(t, json.Unmarshal(body, &list))
	names := []string{}
	for _, f := range list.Functions {
		names = append(names, f.FuncName)
	}
	return names
}

// stack is a Pulumi project copied into a temporary directory, with its own PULUMI_HOME and file backend.
type stack struct {
	t    *testing.T
	dir  string
	env  []string
	name string
}

// newStack copies a project directory and creates a stack in it. extraPath is put first on PATH.
func newStack(t *testing.T, projectDir string, c *cloud, extraPath ...string) *stack {
	t.Helper()
	work := t.TempDir()
	dir := filepath.Join(work, "project")
	require.NoError(t, copyTree(projectDir, dir))
	home := filepath.Join(work, "home")
	state := filepath.Join(work, "state")
	require.NoError(t, os.MkdirAll(state, 0o755))
	path := strings.Join(append(extraPath, os.Getenv("PATH")), string(os.PathListSeparator))
	env := append(os.Environ(),
		"PATH="+path,
		"PULUMI_HOME="+home,
		"PULUMI_BACKEND_URL=file://"+state,
		"PULUMI_CONFIG_PASSPHRASE=e2e",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
	)
	if c != nil {
		env = append(env, c.env()...)
	}
	s := &stack{t: t, dir: dir, env: env, name: "e2e"}
	s.run("stack", "init", s.name)
	return s
}

// run runs a pulumi command that must succeed and returns its output.
func (s *stack) run(args ...string) string {
	s.t.Helper()
	out, err := s.try(args...)
	require.NoError(s.t, err, "pulumi %s:\n%s", strings.Join(args, " "), out)
	return out
}

// try runs a pulumi command and returns its combined output and error.
func (s *stack) try(args ...string) (string, error) {
	s.t.Helper()
	start := time.Now()
	cmd := exec.Command("pulumi", append(args, "--non-interactive")...)
	cmd.Dir = s.dir
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	s.t.Logf("pulumi %s (%.1fs)", strings.Join(args, " "), time.Since(start).Seconds())
	return string(out), err
}

// outputs returns the stack outputs, secrets shown.
func (s *stack) outputs() map[string]any {
	s.t.Helper()
	out := s.run("stack", "output", "--json", "--show-secrets")
	var m map[string]any
	require.NoError(s.t, json.Unmarshal([]byte(out), &m), out)
	return m
}

func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() && (info.Name() == "node_modules" || info.Name() == "venv" || info.Name() == "bin" && rel != ".") {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if strings.HasPrefix(info.Name(), "Pulumi.") && strings.HasSuffix(info.Name(), ".yaml") && info.Name() != "Pulumi.yaml" {
			return nil // stack files of a developer's own runs
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, raw, info.Mode().Perm())
	})
}
