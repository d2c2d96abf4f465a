package emulator

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"path"
	"strconv"
)

// exportFunction (5.11.1). The reference documents only the query and the 404; the vendor's
// Python SDK reads {"file_name", "code_url"} from the answer, a link to download the export
// (CONTRADICTIONS.md). The emulator's link is an operator URL, /_emulator/exports/{id}, that
// serves, without auth like a pre-signed OBS link:
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
		e.answerExport(c, exportFile{name: path.Base(filename), contentType: ct, body: code.Package})
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
	e.answerExport(c, exportFile{name: name + ".zip", contentType: "application/zip", body: buf.Bytes()})
}

type exportFile struct {
	name, contentType string
	body              []byte
}

// maxExports bounds the exports kept for download (oldest dropped first).
const maxExports = 32

func (e *Emulator) answerExport(c *reqCtx, f exportFile) {
	id := randHex(16)
	x := e.exec
	x.mu.Lock()
	if x.exports == nil {
		x.exports = map[string]exportFile{}
	}
	x.exports[id] = f
	x.exportOrder = append(x.exportOrder, id)
	if len(x.exportOrder) > maxExports {
		delete(x.exports, x.exportOrder[0])
		x.exportOrder = x.exportOrder[1:]
	}
	x.mu.Unlock()
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	c.ok(200, map[string]any{"file_name": f.name, "code_url": scheme + "://" + c.r.Host + "/_emulator/exports/" + id})
}

// serveExport answers GET /_emulator/exports/{id}.
func (e *Emulator) serveExport(w http.ResponseWriter, id string) {
	x := e.exec
	x.mu.Lock()
	f, ok := x.exports[id]
	x.mu.Unlock()
	if !ok {
		writeErr(w, http.StatusNotFound, "FSS.0404", "The specified resource was not found.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.body)
}
