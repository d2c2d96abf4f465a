package fgs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

type discardDebug struct{}

func (discardDebug) Debugf(string, ...any) {}

// BenchmarkRequestLogging is one configuration update (a 1 KB body) with and without a logger: the
// difference is what the request line costs the client (formatting, redaction), before the logger sends it.
func BenchmarkRequestLogging(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"func_urn": "x", "memory_size": 256})
	}))
	defer srv.Close()
	body := &UpdateFunctionConfigRequest{FuncName: "hello", Runtime: "Python3.9", Timeout: 30, Handler: "index.handler",
		MemorySize: 256, UserData: Ptr(`{"GREETING":"hello","A":"1","B":"2","C":"3"}`), Description: Ptr("Says hello to whoever calls it.")}
	for _, tc := range []struct {
		name string
		log  Logger
	}{{"no-logger", nil}, {"logger", discardDebug{}}} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := NewClient(Options{Region: "eu-de", Endpoint: srv.URL, ProjectID: testProjectID, Token: "a-given-token", Logger: tc.log})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.Functions.UpdateConfig(context.Background(), "urn:fss:eu-de:p:function:default:hello", body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
