package emulator

import (
	"net/http"
	"strings"
)

// serveExecOperator answers the operator endpoints of function execution (no auth):
//
//	GET  /_emulator/exports/{id}           the download behind an export's code_url
//	GET  /_emulator/deliveries             async destination notifications
//	GET  /_emulator/logs?function=NAME     the logs of the recorded invocations (package:NAME or NAME)
//	POST /_emulator/triggers/{id}/fire     fire a trigger once (body: the event, else the type's sample)
//
// It reports whether it handled the request.
func (e *Emulator) serveExecOperator(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/_emulator/exports/") && r.Method == http.MethodGet:
		e.serveExport(w, strings.TrimPrefix(p, "/_emulator/exports/"))
	case p == "/_emulator/deliveries" && r.Method == http.MethodGet:
		e.serveDeliveries(w)
	case p == "/_emulator/logs" && r.Method == http.MethodGet:
		e.serveLogs(w, r)
	case strings.HasPrefix(p, "/_emulator/triggers/") && strings.HasSuffix(p, "/fire") && r.Method == http.MethodPost:
		e.serveFire(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/_emulator/triggers/"), "/fire"))
	default:
		return false
	}
	return true
}

func (e *Emulator) serveLogs(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("function")
	pkg := "default"
	if a, b, ok := strings.Cut(name, ":"); ok {
		pkg, name = a, b
	}
	recs := e.exec.records.snapshot(func(x *invocationRecord) bool {
		return name == "" || (x.FuncName == name && x.Package == pkg)
	})
	out := make([]map[string]any, 0, len(recs))
	for _, x := range recs {
		out = append(out, map[string]any{
			"function": x.Package + ":" + x.FuncName, "version": x.Version, "request_id": x.RequestID,
			"time": x.Time.UTC().Format("2006-01-02T15:04:05Z"), "duration_ms": float64(x.Duration.Microseconds()) / 1000,
			"failed": x.Failed, "async": x.Async, "log": x.Log,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"invocations": out})
}
