package emulator

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIG triggers answer HTTP on the emulator: a request to /_apig/{group_id}{path} reaches the
// ACTIVE APIG trigger of that group and path (match_mode SWA: the path is a prefix; NORMAL:
// exact), invokes its function with an APIG event, and maps the answer
// {statusCode, headers, body, isBase64Encoded} back to HTTP. The trigger's invoke_url keeps the
// cloud's form; only its path is served here. No authentication is checked (auth NONE).

const apigPrefix = "/_apig/"

func (e *Emulator) serveAPIG(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, apigPrefix)
	group, path, _ := strings.Cut(rest, "/")
	path = "/" + path
	e.mu.Lock()
	var f *function
	var tr *trigger
	best := -1
	for _, fn := range e.st.Functions {
		for _, t := range fn.Triggers {
			if t.TypeCode != "APIG" || t.Status != "ACTIVE" || str0(t.EventData, "group_id", "") != group {
				continue
			}
			p := str0(t.EventData, "path", "/")
			method := strings.ToUpper(str0(t.EventData, "req_method", "ANY"))
			if method != "ANY" && method != r.Method {
				continue
			}
			exact := path == p
			prefix := str0(t.EventData, "match_mode", "SWA") == "SWA" &&
				(p == "/" || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/"))
			if (exact || prefix) && len(p) > best {
				f, tr, best = fn, t, len(p)
			}
		}
	}
	var trCopy trigger
	if tr != nil {
		trCopy = *tr
	}
	e.mu.Unlock()
	if tr == nil {
		writeErr(w, http.StatusNotFound, "FSS.1138", "The APIG trigger does not exist.")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxInvokeBody+1))
	headers := map[string]string{}
	for k := range r.Header {
		headers[strings.ToLower(k)] = r.Header.Get(k)
	}
	query := map[string]string{}
	for k, v := range r.URL.Query() {
		query[k] = v[0]
	}
	ev, _ := json.Marshal(map[string]any{
		"httpMethod": r.Method, "path": path, "headers": headers, "queryStringParameters": query,
		"pathParameters": map[string]string{}, "body": base64.StdEncoding.EncodeToString(body), "isBase64Encoded": true,
		"requestContext": map[string]any{"apiId": str0(trCopy.EventData, "api_id", ""), "requestId": uuid(),
			"stage": str0(trCopy.EventData, "env_name", "RELEASE"), "sourceIp": strings.Split(r.RemoteAddr, ":")[0]},
	})
	out, _, _, aerr := e.fireTrigger(&trCopy, f, ev)
	if aerr != nil {
		writeJSON(w, aerr.Status, aerr)
		return
	}
	if out.err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error_code": out.err.ErrorCode, "error_msg": out.err.ErrorMessage})
		return
	}
	var resp struct {
		StatusCode      int               `json:"statusCode"`
		Headers         map[string]string `json:"headers"`
		Body            string            `json:"body"`
		IsBase64Encoded bool              `json:"isBase64Encoded"`
	}
	if json.Unmarshal([]byte(out.result), &resp) != nil || resp.StatusCode == 0 {
		writeErr(w, http.StatusInternalServerError, "FSS.1202", "The response body or callback body is invalid because they do not contain any status code.")
		return
	}
	payload := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			writeErr(w, http.StatusInternalServerError, "FSS.1202", "The response body is marked isBase64Encoded but is not Base64.")
			return
		}
		payload = b
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" && utf8.Valid(payload) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(payload)
}
