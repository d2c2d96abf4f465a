package emulator

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

const customRuntimePy = `import json, os, urllib.request
api = "http://" + os.environ["RUNTIME_API_ADDR"] + "/v1/runtime/invocation/"
count = 0
print("booting", flush=True)
while True:
    with urllib.request.urlopen(api + "request") as r:
        rid = r.headers["X-Cff-Request-Id"]
        ev = json.loads(r.read())
    count += 1
    print("handling", rid, flush=True)
    if ev.get("fail"):
        path, body = "error/", {"errorType": "Boom", "errorMessage": "asked to fail"}
    else:
        path, body = "response/", {"echo": ev, "count": count, "fn": os.environ["RUNTIME_FUNC_NAME"]}
    urllib.request.urlopen(urllib.request.Request(api + path + rid, data=json.dumps(body).encode(), method="POST")).read()
`

// A Custom function's bootstrap serves events through the runtime API.
func TestCustomRuntimeBootstrap(t *testing.T) {
	h := execHarness(t)
	py, err := resolveInterpreter(langPython)
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	require.NoError(t, err)
	_, _ = w.Write([]byte("#!/bin/sh\nexec " + py + " \"$RUNTIME_CODE_ROOT/runtime.py\"\n"))
	w, err = zw.Create("runtime.py")
	require.NoError(t, err)
	_, _ = w.Write([]byte(customRuntimePy))
	require.NoError(t, zw.Close())
	h.create("custom", "runtime", "Custom", "handler", "bootstrap", "code_type", "zip", "code_filename", "custom.zip",
		"func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(buf.Bytes())})

	for i := 1; i <= 2; i++ {
		a := h.invoke(urn7("custom"), map[string]any{"n": i})
		r := a.result(t)
		require.EqualValues(t, i, r["count"], "bootstrap stays up between calls")
		require.Equal(t, map[string]any{"n": float64(i)}, r["echo"])
		require.Equal(t, "custom", r["fn"])
		require.Contains(t, a.body["log"], "handling "+a.header["X-Cff-Request-Id"])
		if i == 1 {
			require.Contains(t, a.body["log"], "booting", "the start-up output is the first call's log")
		}
	}
	a := h.invoke(urn7("custom"), map[string]any{"fail": true})
	require.Equal(t, "true", a.header["X-Is-Func-Err"], a.raw)
	require.Contains(t, a.body["result"], "asked to fail")
	require.Contains(t, a.body["result"], `"errorType":"Boom"`)

	// Without an executable bootstrap the call fails like a missing handler.
	h.create("nobootstrap", "runtime", "Custom", "handler", "bootstrap", "code_type", "zip", "code_filename", "x.zip",
		"func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(zipOf(t, map[string]string{"readme.txt": "x"}))})
	a = h.invoke(urn7("nobootstrap"), nil)
	require.Equal(t, errCodeHandler, a.header["X-Func-Err-Code"], a.raw)
}
