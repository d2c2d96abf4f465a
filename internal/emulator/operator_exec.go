package emulator

import (
	"net/http"
	"strings"
)

// The operator endpoints of function execution (listed in OperatorEndpoints, operator.go).

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
