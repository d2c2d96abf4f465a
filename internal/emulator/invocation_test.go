package emulator

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// execHarness is a harness whose instances are killed when the test ends.
func execHarness(t *testing.T, mut ...func(*Config)) *harness {
	t.Helper()
	h := newHarness(t, mut...)
	t.Cleanup(func() { _ = h.e.Close() })
	return h
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// inlineFn creates a function from one source file.
func (h *harness) inlineFn(name, runtime, src string, kv ...any) {
	h.t.Helper()
	args := append([]any{"runtime", runtime, "func_code", map[string]any{"file": b64(src)}}, kv...)
	h.create(name, args...)
}

type invokeAnswer struct {
	status int
	header map[string]string
	body   map[string]any
	raw    string
}

// invoke calls POST .../invocations with v1 and the log tail.
func (h *harness) invoke(urn string, event any) invokeAnswer {
	h.t.Helper()
	rec := h.raw("POST", "/v2/"+pid+"/fgs/functions/"+urn+"/invocations", event, map[string]string{
		"X-Auth-Token": h.token, "X-CFF-Request-Version": "v1", "X-Cff-Log-Type": "tail",
	})
	a := invokeAnswer{status: rec.Code, header: map[string]string{}, raw: rec.Body.String()}
	for k := range rec.Header() {
		a.header[k] = rec.Header().Get(k)
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &a.body)
	return a
}

// result decodes the v1 result of a successful invocation as JSON.
func (a invokeAnswer) result(t *testing.T) map[string]any {
	t.Helper()
	require.Equal(t, 200, a.status, a.raw)
	require.Equal(t, "false", a.header["X-Is-Func-Err"], a.raw)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body["result"].(string)), &m), a.raw)
	return m
}

const pyCompute = `import os
count = 0
inits = 0

def init(context):
    global inits
    inits += 1

def handler(event, context):
    global count
    count += 1
    print("computing", event["n"])
    context.getLogger().info("from the logger")
    return {
        "square": event["n"] * event["n"],
        "count": count,
        "inits": inits,
        "greeting": context.getUserData("GREETING"),
        "secret": context.getUserData("API_KEY"),
        "env_greeting": os.environ.get("GREETING"),
        "env_secret": os.environ.get("API_KEY"),
        "host_secret": os.environ.get("FGS_TEST_HOST_SECRET"),
        "name": context.getFunctionName(),
        "version": context.getVersion(),
        "memory": context.getMemorySize(),
        "cpu": context.getCPUNumber(),
        "project": context.getProjectID(),
        "package": context.getPackage(),
        "timeout": context.getRunningTimeInSeconds(),
        "request_id": context.getRequestID(),
        "remaining_ok": 0 < context.getRemainingTimeInMilliSeconds() <= 30000,
        "runtime_name": os.environ.get("RUNTIME_FUNC_NAME"),
    }
`

func TestInvokePythonHandler(t *testing.T) {
	t.Setenv("FGS_TEST_HOST_SECRET", "must-not-leak")
	h := execHarness(t)
	h.inlineFn("py", "Python3.9", pyCompute, "initializer_handler", "index.init", "initializer_timeout", 10,
		"user_data", `{"GREETING":"hello"}`, "encrypted_user_data", `{"API_KEY":"s3cret"}`)
	for i := 1; i <= 3; i++ {
		a := h.invoke(urn7("py"), map[string]any{"n": 7})
		r := a.result(t)
		require.EqualValues(t, 49, r["square"])
		require.EqualValues(t, i, r["count"], "the module-level counter survives between calls (warm instance)")
		require.EqualValues(t, 1, r["inits"], "the initializer ran once")
		require.Equal(t, "hello", r["greeting"])
		require.Equal(t, "s3cret", r["secret"])
		require.Equal(t, "hello", r["env_greeting"])
		require.Equal(t, "s3cret", r["env_secret"])
		require.Nil(t, r["host_secret"], "the emulator's environment does not reach the function")
		require.Equal(t, "py", r["name"])
		require.Equal(t, "py", r["runtime_name"])
		require.Equal(t, "latest", r["version"])
		require.EqualValues(t, 128, r["memory"])
		require.EqualValues(t, 1, r["cpu"])
		require.Equal(t, pid, r["project"])
		require.Equal(t, "default", r["package"])
		require.EqualValues(t, 30, r["timeout"])
		require.Equal(t, true, r["remaining_ok"])
		require.Equal(t, a.header["X-Cff-Request-Id"], r["request_id"])
		require.Equal(t, a.body["request_id"], r["request_id"])
		require.EqualValues(t, 200, a.body["status"])
		require.Equal(t, "0", a.header["X-Func-Err-Code"])
		log := a.body["log"].(string)
		require.Contains(t, log, "computing 7")
		require.Contains(t, log, "INFO from the logger")
		require.Contains(t, log, "Start invoke request '"+r["request_id"].(string)+"'")
		require.Contains(t, log, "Finish invoke request")
		hl, err := base64.StdEncoding.DecodeString(a.header["X-Cff-Function-Log"])
		require.NoError(t, err)
		require.Contains(t, string(hl), "computing 7")
		var sum map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.header["X-Cff-Invoke-Summary"]), &sum))
		require.EqualValues(t, 128, sum["memorySize"])
	}
}

const nodeCompute = `let count = 0;
exports.handler = async (event, context) => {
  count++;
  console.log("adding", event.a, event.b);
  context.getLogger().warn("careful");
  return {sum: event.a + event.b, count, greeting: context.getUserData("GREETING"),
          secret: process.env.API_KEY, name: context.getFunctionName(), version: context.getVersion(),
          request_id: context.getRequestID(), memory: context.getMemorySize()};
};
exports.cb = (event, context, callback) => {
  setTimeout(() => callback(null, {product: event.a * event.b}), 5);
};
`

func TestInvokeNodeHandler(t *testing.T) {
	h := execHarness(t)
	pkg := zipOf(t, map[string]string{"index.js": nodeCompute})
	h.create("js", "runtime", "Node.js14.18", "code_type", "zip", "code_filename", "index.zip",
		"func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(pkg)},
		"user_data", `{"GREETING":"hi"}`, "encrypted_user_data", `{"API_KEY":"k"}`)
	for i := 1; i <= 2; i++ {
		a := h.invoke(urn7("js"), map[string]any{"a": 2, "b": 40})
		r := a.result(t)
		require.EqualValues(t, 42, r["sum"])
		require.EqualValues(t, i, r["count"])
		require.Equal(t, "hi", r["greeting"])
		require.Equal(t, "k", r["secret"])
		require.Equal(t, "js", r["name"])
		require.Equal(t, "latest", r["version"])
		require.EqualValues(t, 128, r["memory"])
		require.Equal(t, a.header["X-Cff-Request-Id"], r["request_id"])
		require.Contains(t, a.body["log"], "adding 2 40")
		require.Contains(t, a.body["log"], "WARN careful")
	}
	// The callback form.
	h.create("jscb", "runtime", "Node.js12.13", "handler", "index.cb", "code_type", "zip", "code_filename", "index.zip",
		"func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(pkg)})
	require.EqualValues(t, 6, h.invoke(urn7("jscb"), map[string]any{"a": 2, "b": 3}).result(t)["product"])
}

// processGone reports whether no live process of the group is left (zombies waiting for
// their reaper, PID 1 of the container, count as gone: they run no code).
func processGone(pgid int) bool {
	if syscall.Kill(-pgid, 0) == syscall.ESRCH {
		return true
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may contain spaces, so split after the last ')'.
		fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(fields) > 2 && fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" && fields[0] != "X" {
			return false
		}
	}
	return true
}

func TestInvokeTimeoutKillsTheProcessGroup(t *testing.T) {
	h := execHarness(t)
	// The handler starts a grandchild that would outlive a kill of the handler alone.
	h.inlineFn("sleepy", "Python3.9", `import subprocess, time
def handler(event, context):
    subprocess.Popen(["sleep", "60"])
    print("going to sleep")
    time.sleep(60)
`, "timeout", 3)
	start := time.Now()
	a := h.invoke(urn7("sleepy"), map[string]any{})
	took := time.Since(start)
	require.Less(t, took, 4*time.Second, "a 3 s timeout answers within 4 s")
	require.GreaterOrEqual(t, took, 3*time.Second)
	require.Equal(t, 200, a.status, a.raw)
	require.Equal(t, "true", a.header["X-Is-Func-Err"])
	require.Equal(t, errCodeTimeout, a.header["X-Func-Err-Code"])
	require.EqualValues(t, 408, a.body["status"])
	var r funcError
	require.NoError(t, json.Unmarshal([]byte(a.body["result"].(string)), &r))
	require.Equal(t, "TimeoutError", r.ErrorType)
	require.Contains(t, a.body["log"], "going to sleep")
	pgids := h.e.exec.startedGroups()
	require.NotEmpty(t, pgids)
	for _, g := range pgids {
		require.True(t, processGone(g), "process group %d is gone after the timeout", g)
	}
}

func TestInvokeErrors(t *testing.T) {
	h := execHarness(t)
	h.fail("POST", "/fgs/functions/"+urn7("nope")+"/invocations", map[string]any{}, 404, "FSS.1051")
	h.fail("POST", "/fgs/functions/"+urn7("nope")+"/invocations-async", map[string]any{}, 404, "FSS.1051")

	h.inlineFn("raise", "Python3.9", "def handler(event, context):\n    raise ValueError('bad input')\n")
	a := h.invoke(urn7("raise"), map[string]any{})
	require.Equal(t, 200, a.status)
	require.Equal(t, "true", a.header["X-Is-Func-Err"])
	require.Equal(t, errCodeException, a.header["X-Func-Err-Code"])
	var fe funcError
	require.NoError(t, json.Unmarshal([]byte(a.body["result"].(string)), &fe))
	require.Equal(t, "ValueError", fe.ErrorType)
	require.Equal(t, "bad input", fe.ErrorMessage)
	require.NotEmpty(t, fe.StackTrace)

	h.inlineFn("nohandler", "Python3.9", "def other(event, context):\n    return 1\n")
	a = h.invoke(urn7("nohandler"), map[string]any{})
	require.Equal(t, errCodeHandler, a.header["X-Func-Err-Code"], a.raw)
	require.Contains(t, a.body["result"], "HandlerNotFound")

	h.inlineFn("badinit", "Node.js14.18", "exports.init = async () => { throw new Error('no db'); };\nexports.handler = async () => 1;\n",
		"initializer_handler", "index.init", "initializer_timeout", 5)
	a = h.invoke(urn7("badinit"), map[string]any{})
	require.Equal(t, errCodeInitializer, a.header["X-Func-Err-Code"], a.raw)
	require.Contains(t, a.body["result"], "no db")

	// max instances 0 disables the function.
	h.inlineFn("off", "Python3.9", "def handler(event, context):\n    return 1\n")
	h.obj("PUT", "/fgs/functions/"+urn7("off")+"/config-max-instance", map[string]any{"max_instance_num": 0}, 200)
	h.fail("POST", "/fgs/functions/"+urn7("off")+"/invocations", map[string]any{}, 403, "FSS.0403")

	// Payload over 6 MB, and a body that is not JSON.
	big := `{"x":"` + strings.Repeat("a", 6<<20) + `"}`
	h.fail("POST", "/fgs/functions/"+urn7("raise")+"/invocations", big, 413, "FSS.1201")
	h.fail("POST", "/fgs/functions/"+urn7("raise")+"/invocations", "not json", 406, "FSS.0406")

	// Runtimes the emulator cannot execute.
	h.create("java", "runtime", "Java11", "handler", "com.example.Handler::handle")
	code, b := h.do("POST", "/fgs/functions/"+urn7("java")+"/invocations", map[string]any{})
	requireErr(t, code, b, 501, "FSS.0501")
	require.Contains(t, string(b), "execute runtime Java11")
}

func TestInvokeNoExec(t *testing.T) {
	h := execHarness(t, func(c *Config) { c.NoExec = true })
	h.inlineFn("py", "Python3.9", "def handler(event, context):\n    return 1\n")
	code, b := h.do("POST", "/fgs/functions/"+urn7("py")+"/invocations", map[string]any{})
	requireErr(t, code, b, 501, "FSS.0501")
	require.Contains(t, string(b), "--no-exec")
}

// The Python SDK sends the event as a JSON-encoded string; the handler gets that string.
func TestInvokeStringBodyAndV0(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("echo", "Python3.9", "import json\ndef handler(event, context):\n    return {'type': type(event).__name__, 'parsed': json.loads(event) if isinstance(event, str) else event}\n")
	r := h.invoke(urn7("echo"), `"{\"a\": \"b\"}"`).result(t)
	require.Equal(t, "str", r["type"])
	require.Equal(t, map[string]any{"a": "b"}, r["parsed"])
	// Without X-CFF-Request-Version the answer is v0: the result as text.
	rec := h.raw("POST", "/v2/"+pid+"/fgs/functions/"+urn7("echo")+"/invocations", map[string]any{"k": "v"}, map[string]string{"X-Auth-Token": h.token})
	require.Equal(t, 200, rec.Code)
	require.Equal(t, "v0", rec.Header().Get("X-Cff-Response-Version"))
	require.JSONEq(t, `{"type":"dict","parsed":{"k":"v"}}`, rec.Body.String())
	require.NotEmpty(t, rec.Header().Get("X-Cff-Request-Id"))
}

func TestInvokeVersionsAndAliasWeights(t *testing.T) {
	h := execHarness(t, func(c *Config) { c.ExecSeed = 42 })
	src := func(tag string) string {
		return "def handler(event, context):\n    return {'tag': '" + tag + "', 'version': context.getVersion()}\n"
	}
	h.inlineFn("routed", "Python3.9", src("one"))
	h.obj("POST", "/fgs/functions/"+urn7("routed")+"/versions", map[string]any{"version": "v1"}, 200)
	h.obj("PUT", "/fgs/functions/"+urn7("routed")+"/code", map[string]any{"code_type": "inline", "func_code": map[string]any{"file": b64(src("two"))}}, 200)
	h.obj("POST", "/fgs/functions/"+urn7("routed")+"/versions", map[string]any{"version": "v2"}, 200)
	h.obj("PUT", "/fgs/functions/"+urn7("routed")+"/code", map[string]any{"code_type": "inline", "func_code": map[string]any{"file": b64(src("three"))}}, 200)

	require.Equal(t, "one", h.invoke(urn7("routed")+":v1", nil).result(t)["tag"], "a version runs the code it was published with")
	require.Equal(t, "two", h.invoke(urn7("routed")+":v2", nil).result(t)["tag"])
	require.Equal(t, "three", h.invoke(urn7("routed"), nil).result(t)["tag"], "unqualified runs the latest code")
	require.Equal(t, "three", h.invoke(urn7("routed")+":latest", nil).result(t)["tag"])

	h.obj("POST", "/fgs/functions/"+urn7("routed")+"/aliases", map[string]any{"name": "live", "version": "v1",
		"additional_version_weights": map[string]any{"v2": 10}}, 200)
	counts := map[string]int{}
	for i := 0; i < 1000; i++ {
		r := h.invoke(urn7("routed")+":!live", nil).result(t)
		counts[r["tag"].(string)]++
	}
	require.InDelta(t, 900, counts["one"], 50, "%v", counts)
	require.InDelta(t, 100, counts["two"], 50, "%v", counts)
	require.Equal(t, 1000, counts["one"]+counts["two"])
}

func TestInvokeRestartsInstancesOnUpdateAndDelete(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("upd", "Python3.9", "n = 0\ndef handler(event, context):\n    global n\n    n += 1\n    return {'n': n, 'tag': 'a'}\n")
	require.EqualValues(t, 1, h.invoke(urn7("upd"), nil).result(t)["n"])
	require.EqualValues(t, 2, h.invoke(urn7("upd"), nil).result(t)["n"])
	groups := h.e.exec.startedGroups()
	h.obj("PUT", "/fgs/functions/"+urn7("upd")+"/code", map[string]any{"code_type": "inline",
		"func_code": map[string]any{"file": b64("def handler(event, context):\n    return {'n': 1, 'tag': 'b'}\n")}}, 200)
	for _, g := range groups {
		require.Eventually(t, func() bool { return processGone(g) }, 3*time.Second, 20*time.Millisecond, "old instance killed on update")
	}
	require.Equal(t, "b", h.invoke(urn7("upd"), nil).result(t)["tag"])
	groups = h.e.exec.startedGroups()
	h.nc("DELETE", "/fgs/functions/"+urn7("upd"), nil)
	for _, g := range groups {
		require.Eventually(t, func() bool { return processGone(g) }, 3*time.Second, 20*time.Millisecond, "instance killed on delete")
	}
}

func TestInvokeIdleInstancesAreReapedAndCloseKillsAll(t *testing.T) {
	h := execHarness(t, func(c *Config) { c.InstanceIdleTimeout = 300 * time.Millisecond })
	h.inlineFn("idle", "Python3.9", "def handler(event, context):\n    return {}\n")
	h.invoke(urn7("idle"), nil).result(t)
	g := h.e.exec.startedGroups()
	require.Len(t, g, 1)
	require.Eventually(t, func() bool { return processGone(g[0]) }, 5*time.Second, 50*time.Millisecond, "idle instance reaped")

	h.invoke(urn7("idle"), nil).result(t)
	g = h.e.exec.startedGroups()
	dir := h.e.exec.baseDir
	require.NoError(t, h.e.Close())
	for _, x := range g {
		require.True(t, processGone(x))
	}
	_, err := os.Stat(dir)
	require.True(t, os.IsNotExist(err), "the work directory is removed")
	code, b := h.do("POST", "/fgs/functions/"+urn7("idle")+"/invocations", map[string]any{})
	requireErr(t, code, b, 503, "FSS.0503")
}

func TestInvokePythonMemoryLimit(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("hog", "Python3.9", "def handler(event, context):\n    b = bytearray(400 * 1024 * 1024)\n    return len(b)\n")
	a := h.invoke(urn7("hog"), nil)
	require.Equal(t, "true", a.header["X-Is-Func-Err"], a.raw)
	require.Contains(t, a.body["result"], "MemoryError")
}

// exportDownload calls GET .../export and follows its code_url.
func (h *harness) exportDownload(urn, query string) (map[string]any, []byte, string) {
	h.t.Helper()
	m := h.obj("GET", "/fgs/functions/"+urn+"/export"+query, nil, 200)
	u, ok := m["code_url"].(string)
	require.True(h.t, ok, "%v", m)
	i := strings.Index(u, "/_emulator/exports/")
	require.Greater(h.t, i, 0, u)
	rec := h.raw("GET", u[i:], nil, nil)
	require.Equal(h.t, 200, rec.Code, rec.Body.String())
	return m, rec.Body.Bytes(), rec.Header().Get("Content-Type")
}

func TestExportReturnsTheUploadedBytes(t *testing.T) {
	h := execHarness(t)
	pkg := zipOf(t, map[string]string{"index.py": "def handler(event, context):\n    return 1\n"})
	h.create("exp", "code_type", "zip", "code_filename", "exp.zip", "func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(pkg)})
	for _, q := range []string{"", "?type=code", "?code=true"} {
		m, body, ct := h.exportDownload(urn7("exp"), q)
		require.Equal(t, "exp.zip", m["file_name"])
		require.Equal(t, pkg, body, "export%s returns the uploaded bytes", q)
		require.Equal(t, "application/zip", ct)
	}
	m, body, _ := h.exportDownload(urn7("exp"), "?type=code&config=true")
	require.Equal(t, "exp.zip", m["file_name"])
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	names := map[string]*zip.File{}
	for _, f := range zr.File {
		names[f.Name] = f
	}
	require.Contains(t, names, "config.json")
	require.Contains(t, names, "code/exp.zip")
	rc, err := names["config.json"].Open()
	require.NoError(t, err)
	var conf map[string]any
	require.NoError(t, json.NewDecoder(rc).Decode(&conf))
	require.Equal(t, "exp", conf["func_name"])
	h.fail("GET", "/fgs/functions/"+urn7("missing")+"/export", nil, 404, "FSS.1051")
	h.fail("GET", "/fgs/functions/"+urn7("exp")+"/export?type=bogus", nil, 400, "FSS.1001")
	require.Equal(t, 404, h.raw("GET", "/_emulator/exports/nope", nil, nil).Code)
}

// The initializer has its own timeout, apart from the handler's.
func TestInitializerTimeout(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("slowinit", "Python3.9", "import time\ndef init(context):\n    time.sleep(30)\ndef handler(event, context):\n    return 1\n",
		"initializer_handler", "index.init", "initializer_timeout", 1)
	start := time.Now()
	a := h.invoke(urn7("slowinit"), nil)
	require.Less(t, time.Since(start), 3*time.Second)
	require.Equal(t, errCodeTimeout, a.header["X-Func-Err-Code"], a.raw)
	require.Contains(t, a.body["result"], "the initializer did not finish within 1s")
	for _, g := range h.e.exec.startedGroups() {
		require.True(t, processGone(g))
	}
}
