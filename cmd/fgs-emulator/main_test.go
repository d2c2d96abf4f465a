package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

func TestParseLatency(t *testing.T) {
	cases := []struct {
		in      string
		want    [2]time.Duration
		wantErr bool
	}{
		{"", [2]time.Duration{}, false},
		{"50ms", [2]time.Duration{50 * time.Millisecond, 50 * time.Millisecond}, false},
		{"20ms-80ms", [2]time.Duration{20 * time.Millisecond, 80 * time.Millisecond}, false},
		{"80ms-20ms", [2]time.Duration{}, true},
		{"fast", [2]time.Duration{}, true},
		{"10ms-x", [2]time.Duration{}, true},
	}
	for _, c := range cases {
		got, err := parseLatency(c.in)
		if c.wantErr {
			require.Error(t, err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, got, c.in)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	require.Error(t, run([]string{"--latency", "x"}, &out, &errb))
	require.Error(t, run([]string{"--fault-rate", "3", "--listen", "127.0.0.1:0"}, &out, &errb))
	require.Error(t, run([]string{"--fault-kinds", "418", "--listen", "127.0.0.1:0"}, &out, &errb))
	require.Error(t, run([]string{"--nope"}, &out, &errb))
}

type proc struct {
	cmd  *exec.Cmd
	base string
	env  map[string]string
}

func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	p := &proc{cmd: cmd, env: map[string]string{}}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	re := regexp.MustCompile(`listening on (http://\S+)`)
	deadline := time.After(10 * time.Second)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "emulator exited before printing FGS_ENDPOINT")
			if m := re.FindStringSubmatch(l); m != nil {
				p.base = m[1]
			}
			if strings.HasPrefix(l, "export ") {
				k, v, _ := strings.Cut(strings.TrimPrefix(l, "export "), "=")
				p.env[k] = v
				if k == "FGS_ENDPOINT" {
					go func() {
						for range lines {
						}
					}()
					return p
				}
			}
		case <-deadline:
			t.Fatal("emulator did not start")
		}
	}
}

func token(t *testing.T, p *proc) string {
	body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"` + p.env["OS_USERNAME"] + `","password":"` +
		p.env["OS_PASSWORD"] + `","domain":{"name":"` + p.env["OS_DOMAIN_NAME"] + `"}}}},"scope":{"project":{"name":"` + p.env["OS_PROJECT_NAME"] + `"}}}}`
	resp, err := http.Post(p.env["OS_AUTH_URL"]+"/auth/tokens", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 201, resp.StatusCode)
	return resp.Header.Get("X-Subject-Token")
}

func call(t *testing.T, p *proc, tok, method, path, body string) (int, map[string]any) {
	req, _ := http.NewRequest(method, p.env["FGS_ENDPOINT"]+"/v2/"+p.env["OS_PROJECT_ID"]+path, strings.NewReader(body))
	req.Header.Set("X-Auth-Token", tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// Build the binary, run it with --state, create a function, kill -9, restart, read it back.
func TestBinaryStateSurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "fgs-emulator")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	state := filepath.Join(dir, "state.json")

	p := start(t, bin, "--listen", "127.0.0.1:0", "--state", state)
	require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, p.base)
	require.NotEqual(t, "http://127.0.0.1:0", p.base)
	require.Equal(t, p.base+"/v3", p.env["OS_AUTH_URL"])
	require.Equal(t, p.base, p.env["FGS_ENDPOINT"])
	d := emulator.DefaultConfig()
	require.Equal(t, map[string]string{
		"OS_AUTH_URL": p.base + "/v3", "OS_REGION_NAME": d.Region, "OS_PROJECT_ID": d.ProjectID, "OS_PROJECT_NAME": d.ProjectName,
		"OS_DOMAIN_NAME": d.DomainName, "OS_USERNAME": d.UserName, "OS_PASSWORD": d.Password, "OS_ACCESS_KEY": d.AccessKey,
		"OS_SECRET_KEY": d.SecretKey, "FGS_ENDPOINT": p.base,
	}, p.env)

	tok := token(t, p)
	code, m := call(t, p, tok, "POST", "/fgs/functions", `{"func_name":"survivor","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":256,"timeout":30,"code_type":"inline"}`)
	require.Equal(t, 200, code, m)
	digest := m["digest"]
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	_ = p.cmd.Wait()

	p2 := start(t, bin, "--listen", "127.0.0.1:0", "--state", state, "--quiet")
	code, m = call(t, p2, token(t, p2), "GET", "/fgs/functions/survivor/config", "")
	require.Equal(t, 200, code, m)
	require.Equal(t, digest, m["digest"])
	require.EqualValues(t, 256, m["memory_size"])

	// graceful shutdown on SIGTERM
	require.NoError(t, p2.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- p2.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("no graceful shutdown")
	}
}

// Custom identity flags reach the emulator.
func TestFlagsConfigureIdentity(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "fgs-emulator")
	build := exec.Command("go", "build", "-o", bin, ".")
	require.NoError(t, build.Run())
	p := start(t, bin, "--listen", "127.0.0.1:0", "--project-id", "11111111111111111111111111111111", "--project-name", "eu-nl",
		"--region", "eu-nl", "--user", "alice", "--password", "pw", "--domain-name", "acme", "--latency", "1ms-2ms", "--fault-rate", "0")
	require.Equal(t, "eu-nl", p.env["OS_REGION_NAME"])
	code, m := call(t, p, token(t, p), "POST", "/fgs/functions", `{"func_name":"f","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":3,"code_type":"inline"}`)
	require.Equal(t, 200, code, m)
	require.Equal(t, "urn:fss:eu-nl:11111111111111111111111111111111:function:default:f:latest", m["func_urn"])
}
