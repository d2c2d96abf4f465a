package emulator

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"path"
	"strconv"
)

// exportFunction (5.11.1): GET .../export answers a download. The reference documents only
// the query and the 404; the answer's shape is the emulator's choice (CONTRADICTIONS.md):
//   - code only (type=code, code=true, or no selector): the stored package, byte for byte;
//   - with the configuration (type=config or config=true): a ZIP archive holding
//     config.json (the GET .../config answer) and, with the code, code/<code_filename>.
func (e *Emulator) exportFunction(c *reqCtx) {
	q := c.r.URL.Query()
	flag := func(name string) (bool, bool) {
		v := q.Get(name)
		if v == "" {
			return false, true
		}
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	wantCode, ok1 := flag("code")
	wantConfig, ok2 := flag("config")
	if !ok1 || !ok2 {
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: code and config are true or false."))
		return
	}
	switch q.Get("type") {
	case "":
	case "code":
		wantCode = true
	case "config":
		wantConfig = true
	default:
		c.fail(errf(400, "FSS.1001", "Invalid query parameter: type must be code or config."))
		return
	}
	if !wantCode && !wantConfig {
		wantCode = true
	}
	e.mu.Lock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		e.mu.Unlock()
		return
	}
	code := t.ver.Code
	name := t.fn.Name
	conf := e.renderFunction(t.fn, t.ver, e.qualURN(t.fn, t.ver.Version))
	e.mu.Unlock()

	if wantCode && code.CodeType == "obs" {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: the code of %s is in OBS (%s); the emulator holds no copy to export.", name, code.CodeURL))
		return
	}
	filename := code.CodeFilename
	if filename == "" {
		filename = name
	}
	if !wantConfig {
		ct := "application/octet-stream"
		if bytes.HasPrefix(code.Package, []byte("PK\x03\x04")) {
			ct = "application/zip"
		}
		e.writeDownload(c, ct, path.Base(filename), code.Package)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	cb, _ := json.MarshalIndent(conf, "", "  ")
	if w, err := zw.Create("config.json"); err == nil {
		_, _ = w.Write(cb)
	}
	if wantCode {
		if w, err := zw.Create("code/" + path.Base(filename)); err == nil {
			_, _ = w.Write(code.Package)
		}
	}
	if err := zw.Close(); err != nil {
		c.fail(errf(500, "FSS.0500", "Internal server error: %v", err))
		return
	}
	e.writeDownload(c, "application/zip", name+".zip", buf.Bytes())
}

func (e *Emulator) writeDownload(c *reqCtx, contentType, filename string, b []byte) {
	h := c.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(b)
}
