package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// alive reports whether a non-zombie process pid exists.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// The invoke subcommand calls a deployed function; SIGTERM of the emulator leaves no instance behind.
func TestInvokeSubcommandAndNoOrphansAfterSIGTERM(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "fgs-emulator")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	p := start(t, bin, "--listen", "127.0.0.1:0", "--quiet")
	tok := token(t, p)
	src := "import os\ndef handler(event, context):\n    print('hi from the log')\n    return {'double': event['n'] * 2, 'pid': os.getpid()}\n"
	code, m := call(t, p, tok, "POST", "/fgs/functions", `{"func_name":"twice","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":30,"code_type":"inline","func_code":{"file":"`+base64.StdEncoding.EncodeToString([]byte(src))+`"}}`)
	require.Equal(t, 200, code, m)

	getenv := func(k string) string { return p.env[k] }
	var out, errb bytes.Buffer
	rc, err := runInvoke([]string{"twice", "--payload", `{"n":21}`, "--log"}, getenv, &out, &errb)
	require.NoError(t, err)
	require.Equal(t, 0, rc)
	var res map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &res), out.String())
	require.EqualValues(t, 42, res["double"])
	require.Contains(t, errb.String(), "hi from the log")
	pid := int(res["pid"].(float64))
	require.True(t, alive(pid), "the warm instance runs")

	// Bad input is refused before any request; a function error exits 1.
	rc, err = runInvoke([]string{"twice", "--payload", "{nope"}, getenv, &out, &errb)
	require.Equal(t, 2, rc)
	require.ErrorContains(t, err, "--payload")
	rc, err = runInvoke([]string{"twice", "--payload", `{}`}, getenv, &out, &errb)
	require.Equal(t, 1, rc)
	require.ErrorContains(t, err, "the function failed")
	rc, err = runInvoke([]string{"twice"}, func(k string) string {
		if k == "OS_REGION_NAME" {
			return ""
		}
		return p.env[k]
	}, &out, &errb)
	require.Equal(t, 2, rc)
	require.ErrorContains(t, err, "OS_REGION_NAME")
	rc, err = runInvoke([]string{"missing"}, getenv, &out, &errb)
	require.Equal(t, 2, rc)
	require.ErrorContains(t, err, "FSS.1051")

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("no graceful shutdown")
	}
	require.False(t, alive(pid), "no function instance outlives the emulator")
}
