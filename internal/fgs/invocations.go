package fgs

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// InvocationsService: function invocation (API 5.1).
type InvocationsService service

// InvokeOptions tune a synchronous invocation.
type InvokeOptions struct {
	// LogType "tail" returns the last 4 KB of logs; default none.
	LogType string
}

// InvokeResult is the v1 JSON answer of a synchronous invocation.
type InvokeResult struct {
	RequestID string     `json:"request_id"`
	Result    FlexString `json:"result"`
	Log       FlexString `json:"log"`
	Status    FlexInt    `json:"status"`
	// Summary is the X-Cff-Invoke-Summary header.
	Summary string `json:"-"`
}

// Invoke runs the function synchronously with event (any JSON value;
// json.RawMessage is sent as is). Invocations are POSTs with side effects:
// they are retried only when the answer proves that the function did not run
// (connection refused, 429); a 5xx proves nothing and is returned.
func (s *InvocationsService) Invoke(ctx context.Context, urn string, event any, opts *InvokeOptions) (*InvokeResult, error) {
	var out InvokeResult
	var hdr http.Header
	headers := map[string]string{"X-CFF-Request-Version": "v1"}
	if opts != nil && opts.LogType != "" {
		headers["X-Cff-Log-Type"] = opts.LogType
	}
	if event == nil {
		event = json.RawMessage("{}")
	}
	var raw []byte
	err := s.c.do(ctx, reqSpec{method: http.MethodPost, path: fnPath(urn) + "/invocations", body: event, rawOut: &raw, headers: headers, respHeader: &hdr, secretBody: true})
	if err != nil {
		return nil, err
	}
	// v1 answers are a JSON object; a v0 (text) answer is the function's raw result.
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &out) != nil {
		out = InvokeResult{Result: FlexString(raw)}
	}
	out.Summary = hdr.Get("X-Cff-Invoke-Summary")
	if out.RequestID == "" {
		out.RequestID = hdr.Get("X-Cff-Request-Id")
	}
	return &out, nil
}

// InvokeAsync queues an asynchronous invocation (202) and returns its request id.
func (s *InvocationsService) InvokeAsync(ctx context.Context, urn string, event any) (string, error) {
	var out struct {
		RequestID string `json:"request_id"`
	}
	if event == nil {
		event = json.RawMessage("{}")
	}
	if err := s.c.do(ctx, reqSpec{method: http.MethodPost, path: fnPath(urn) + "/invocations-async", body: event, out: &out, secretBody: true}); err != nil {
		return "", err
	}
	return out.RequestID, nil
}
