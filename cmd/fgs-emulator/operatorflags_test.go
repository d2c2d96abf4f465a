package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

func parseOperatorFlags(t *testing.T, args ...string) (emulator.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	apply := operatorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return emulator.Config{}, err
	}
	var cfg emulator.Config
	return cfg, apply(&cfg)
}

func TestFaultFlag(t *testing.T) {
	cfg, err := parseOperatorFlags(t, "--fault", "after POST /v2/{project_id}/fgs/functions 0.3 503,drop", "--fault", "before GET * 1 hang")
	require.NoError(t, err)
	require.Equal(t, []emulator.FaultRule{
		{Phase: "after", Method: "POST", Route: "/v2/{project_id}/fgs/functions", Rate: 0.3, Kinds: []string{"503", "drop"}},
		{Phase: "before", Method: "GET", Route: "*", Rate: 1, Kinds: []string{"hang"}},
	}, cfg.FaultRules)
	require.Equal(t, 5*time.Minute, cfg.HangMax, "the default")
	cfg, err = parseOperatorFlags(t, "--hang-max", "1500ms")
	require.NoError(t, err)
	require.Equal(t, 1500*time.Millisecond, cfg.HangMax)
	_, err = parseOperatorFlags(t, "--hang-max", "soon")
	require.Error(t, err)
	_, err = parseOperatorFlags(t, "--hang-max", "0s")
	require.ErrorContains(t, err, "--hang-max")
	_, err = parseOperatorFlags(t, "--fault", "after POST /v2/{project_id}/fgs/functions 503")
	require.ErrorContains(t, err, "PHASE METHOD ROUTE RATE KINDS")
	// a rule the emulator cannot apply fails at start
	var out, errb bytes.Buffer
	require.ErrorContains(t, run([]string{"--listen", "127.0.0.1:0", "--fault", "after POST /v2/nope 1 503"}, &out, &errb), "matches no route")
	require.ErrorContains(t, run([]string{"--listen", "127.0.0.1:0", "--fault", "after POST * 1 429"}, &out, &errb), "not possible after")
}

// The binary with --fault: a create answered 503 after the commit is there on the next GET.
func TestBinaryAfterCommitFault(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "fgs-emulator")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	p := start(t, bin, "--listen", "127.0.0.1:0", "--quiet", "--fault", "after POST /v2/{project_id}/fgs/functions 1 503",
		"--fault", "before GET /v2/{project_id}/fgs/quotas 1 hang", "--hang-max", "300ms", "--fault-seed", "5")
	tok := token(t, p)
	code, m := call(t, p, tok, "POST", "/fgs/functions", `{"func_name":"f","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":3,"code_type":"inline"}`)
	require.Equal(t, 503, code, m)
	require.Equal(t, "FSS.0503", m["error_code"])
	code, m = call(t, p, tok, "GET", "/fgs/functions/f/config", "")
	require.Equal(t, 200, code, m)
	// the quotas GET hangs until --hang-max, then the connection is dropped
	begin := time.Now()
	req, _ := http.NewRequest("GET", p.env["FGS_ENDPOINT"]+"/v2/"+p.env["OS_PROJECT_ID"]+"/fgs/quotas", nil)
	req.Header.Set("X-Auth-Token", tok)
	// A fresh connection: Go's transport silently retries an idempotent request dropped on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := fresh.Do(req)
	require.Error(t, err)
	require.GreaterOrEqual(t, time.Since(begin), 300*time.Millisecond)
	resp, err := http.Get(p.base + "/_emulator/faults")
	require.NoError(t, err)
	defer resp.Body.Close()
	var view struct {
		Rules    []emulator.FaultRule `json:"rules"`
		Injected map[string]int       `json:"injected"`
		Seed     int64                `json:"seed"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&view))
	require.Equal(t, []emulator.FaultRule{{Phase: "after", Method: "POST", Route: "/v2/{project_id}/fgs/functions", Rate: 1, Kinds: []string{"503"}},
		{Phase: "before", Method: "GET", Route: "/v2/{project_id}/fgs/quotas", Rate: 1, Kinds: []string{"hang"}}}, view.Rules)
	require.Equal(t, map[string]int{"after 503 POST /v2/{project_id}/fgs/functions": 1, "before hang GET /v2/{project_id}/fgs/quotas": 1}, view.Injected)
	require.EqualValues(t, 5, view.Seed)

	// SIGTERM while a request hangs (default --hang-max, 5 minutes): the emulator lets it go and stops.
	p2 := start(t, bin, "--listen", "127.0.0.1:0", "--quiet", "--fault", "before GET * 1 hang")
	req, _ = http.NewRequest("GET", p2.env["FGS_ENDPOINT"]+"/v2/"+p2.env["OS_PROJECT_ID"]+"/fgs/quotas", nil)
	req.Header.Set("X-Auth-Token", token(t, p2))
	held := make(chan error, 1)
	go func() {
		resp, err := fresh.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		held <- err
	}()
	time.Sleep(200 * time.Millisecond)
	begin = time.Now()
	require.NoError(t, p2.cmd.Process.Signal(syscall.SIGTERM))
	exited := make(chan error, 1)
	go func() { exited <- p2.cmd.Wait() }()
	select {
	case err := <-exited:
		require.NoError(t, err, "clean exit")
	case <-time.After(4 * time.Second):
		t.Fatal("the hanging request held the shutdown")
	}
	require.Less(t, time.Since(begin), 3*time.Second)
	require.Error(t, <-held)
}

func TestFaultSeedFlag(t *testing.T) {
	cfg, err := parseOperatorFlags(t)
	require.NoError(t, err)
	require.Zero(t, cfg.FaultSeed, "random unless given")
	cfg, err = parseOperatorFlags(t, "--fault-seed", "42")
	require.NoError(t, err)
	require.EqualValues(t, 42, cfg.FaultSeed)
	_, err = parseOperatorFlags(t, "--fault-seed", "x")
	require.Error(t, err)
}

func TestTokenTTLFlag(t *testing.T) {
	cfg, err := parseOperatorFlags(t)
	require.NoError(t, err)
	require.Equal(t, 24*time.Hour, cfg.TokenTTL, "the default")
	cfg, err = parseOperatorFlags(t, "--token-ttl", "2s")
	require.NoError(t, err)
	require.Equal(t, 2*time.Second, cfg.TokenTTL)
	for _, bad := range []string{"0s", "-1m"} {
		_, err = parseOperatorFlags(t, "--token-ttl", bad)
		require.ErrorContains(t, err, "--token-ttl")
	}
	_, err = parseOperatorFlags(t, "--token-ttl", "a day")
	require.Error(t, err)
}

// The binary with --token-ttl 1s: the token works, a second later it is refused with 401
// FSS.0401, and a new token works again.
func TestBinaryTokenTTL(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "fgs-emulator")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	p := start(t, bin, "--listen", "127.0.0.1:0", "--quiet", "--token-ttl", "1s")
	tok := token(t, p)
	code, m := call(t, p, tok, "GET", "/fgs/functions", "")
	require.Equal(t, 200, code, m)
	time.Sleep(1100 * time.Millisecond)
	code, m = call(t, p, tok, "GET", "/fgs/functions", "")
	require.Equal(t, 401, code, m)
	require.Equal(t, "FSS.0401", m["error_code"])
	code, m = call(t, p, token(t, p), "GET", "/fgs/functions", "")
	require.Equal(t, 200, code, m)
}

// --help and internal/emulator/README.md document every flag and every operator endpoint.
func TestHelpAndReadmeDocumentFlagsAndEndpoints(t *testing.T) {
	var out, errb bytes.Buffer
	require.ErrorIs(t, run([]string{"--help"}, &out, &errb), flag.ErrHelp)
	help := errb.String()
	readme, err := os.ReadFile(filepath.Join("..", "..", "internal", "emulator", "README.md"))
	require.NoError(t, err)
	// the flags run registers: parse the help's flag lines ("  -name value")
	var flags []string
	for _, line := range strings.Split(help, "\n") {
		if strings.HasPrefix(line, "  -") {
			flags = append(flags, strings.Fields(line)[0][1:])
		}
	}
	require.Subset(t, flags, []string{"listen", "fault", "fault-rate", "fault-kinds", "fault-seed", "hang-max", "token-ttl", "latency", "state", "quiet"})
	for _, f := range flags {
		require.Contains(t, string(readme), "`--"+f+"`", "README.md documents --%s", f)
	}
	for _, ep := range emulator.OperatorEndpoints() {
		require.Contains(t, help, ep.Method+" "+ep.Path)
		require.Contains(t, help, ep.Doc)
	}
	for _, kind := range []string{"429", "500", "502", "503", "504", "drop", "hang"} {
		require.Contains(t, help, kind)
	}
}
