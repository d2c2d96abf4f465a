package fgs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorSentinels(t *testing.T) {
	cases := []struct {
		status   int
		code     string
		sentinel error
	}{
		{404, "", ErrNotFound},
		{404, "FSS.1051", ErrNotFound},
		{404, "FSS.1052", ErrNotFound},
		{404, "FSS.1053", ErrNotFound},
		{401, "FSS.1053", ErrNotFound}, // the alias GET example
		{400, "FSS.1128", ErrNotFound}, // tracing PUT on a missing function
		{404, "FSS.1070", ErrNotFound},
		{409, "FSS.1061", ErrConflict},
		{409, "", ErrConflict},
		{403, "FSS.1073", ErrConflict}, // duplicate test event name
		{409, "FSS.1147", ErrConflict},
		{429, "FSS.0429", ErrThrottled},
		{401, "FSS.0401", ErrUnauthorized},
		{403, "FSS.0403", ErrUnauthorized},
	}
	all := []error{ErrNotFound, ErrConflict, ErrThrottled, ErrUnauthorized}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d_%s", tc.status, tc.code), func(t *testing.T) {
			err := fmt.Errorf("wrapped: %w", &APIError{Status: tc.status, Code: tc.code})
			for _, s := range all {
				assert.Equal(t, s == tc.sentinel, errors.Is(err, s), "sentinel %v", s)
			}
		})
	}
	assert.False(t, errors.Is(&APIError{Status: 500, Code: "FSS.0500"}, ErrNotFound), "500 is not globally not-found")
	assert.False(t, errors.Is(&APIError{Status: 400, Code: "FSS.1002"}, ErrNotFound))
}

func TestParseErrorBodies(t *testing.T) {
	cases := []struct{ body, code, msg string }{
		{`{"error_code":"FSS.1051","error_msg":"Not found the function"}`, "FSS.1051", "Not found the function"},
		{`{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`, "401", "Unauthorized: The request you have made requires authentication."},
		{`{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}}`, "APIGW.0301", "Incorrect IAM authentication information"},
		{`{"code":"FSS.0001","message":"oops"}`, "FSS.0001", "oops"},
		{"<html><body>\n502 Bad Gateway\n</body></html>", "", "<html><body> 502 Bad Gateway </body></html>"},
		{"", "", ""},
	}
	for _, tc := range cases {
		code, msg := parseErrorBody([]byte(tc.body))
		assert.Equal(t, tc.code, code, tc.body)
		assert.Equal(t, tc.msg, msg, tc.body)
	}
}

func TestAPIErrorFromServer(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("case") {
		default:
			w.Header().Set("X-Cff-Request-Id", "cff-42")
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(404)
			_, _ = w.Write([]byte("no such thing"))
		}
	})
	c := tokenClient(t, f)
	urn := testURN + ":!dev"
	_, err := c.Aliases.Get(context.Background(), testURN, "dev")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotFound)
	var ae *APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "cff-42", ae.RequestID)
	assert.Equal(t, http.MethodGet, ae.Method)
	assert.Equal(t, "FunctionGraph rejected GET /v2/{project}/fgs/functions/"+testURN+"/aliases/dev: no such thing (HTTP 404, request id cff-42)", err.Error())
	_ = urn

	// the wire keeps ':' and '!' of a URN literal
	_, _ = c.Functions.GetConfig(context.Background(), urn)
	reqs := f.requests()
	assert.Equal(t, "GET /v2/"+testProjectID+"/fgs/functions/"+urn+"/config", reqs[len(reqs)-1])
}

func TestErrorWithoutBody(t *testing.T) {
	e := &APIError{Status: 502, Method: "GET", Path: "/v2/{project}/fgs/quotas"}
	assert.Equal(t, "FunctionGraph rejected GET /v2/{project}/fgs/quotas: no error details (HTTP 502)", e.Error())
}

// A nil context is a caller's bug: every entry point reports it, and nothing is sent.
func TestNilContextIsAnError(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) { okFunction(w) })
	var nilCtx context.Context
	for name, call := range map[string]func(c *Client) error{
		"Functions.GetConfig": func(c *Client) error { _, err := c.Functions.GetConfig(nilCtx, testURN); return err },
		"Triggers.Delete":     func(c *Client) error { return c.Triggers.Delete(nilCtx, testURN, "TIMER", "t-1") },
		"ProjectID":           func(c *Client) error { _, err := c.ProjectID(nilCtx); return err },
		"Endpoint":            func(c *Client) error { _, err := c.Endpoint(nilCtx); return err },
	} {
		for kind, opts := range map[string]Options{"token": {Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: f.srv.URL},
			"password": f.passwordOptions()} {
			c, err := NewClient(opts)
			require.NoError(t, err)
			err = call(c)
			assert.ErrorIs(t, err, errNilContext, "%s with %s auth", name, kind)
			assert.ErrorContains(t, err, "nil context.Context (a programming error", "%s with %s auth", name, kind)
		}
	}
	assert.Empty(t, f.requests(), "nothing is sent with a nil context")
}
