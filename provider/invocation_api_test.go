package provider

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

func TestEventFromPayload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload any
		want    string
	}{
		{"none is {}", nil, `{}`},
		{"an object as JSON", map[string]any{"k": "v", "n": 1.0}, `{"k":"v","n":1}`},
		{"a list as JSON", []any{1.0, "a"}, `[1,"a"]`},
		{"JSON text as that JSON", ` {"k": [1, 2]} `, `{"k": [1, 2]}`},
		{"a number in text as the number", "42", `42`},
		{"other text as a JSON string", "hello", `"hello"`},
		{"an empty string as a JSON string", "", `""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := eventFromPayload(tc.payload)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
}

func TestEventFromJSONText(t *testing.T) {
	got, err := eventFromJSONText("  ")
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(got))
	got, err = eventFromJSONText(` {"a": 1} `)
	require.NoError(t, err)
	assert.Equal(t, `{"a": 1}`, string(got))
	_, err = eventFromJSONText(`{a: 1}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "input: not valid JSON")
}

func TestOutcomeOf(t *testing.T) {
	for _, tc := range []struct {
		name     string
		res      *fgs.InvokeResult
		err      error
		want     invocationOutcome
		wantJSON bool
	}{
		{name: "a JSON result", res: &fgs.InvokeResult{RequestID: "r", Result: `{"x": 1}`, Status: 200, Log: "l"},
			want: invocationOutcome{Result: `{"x": 1}`, ResultJSON: map[string]any{"x": 1.0}, Status: 200, RequestID: "r", Log: "l"}},
		{name: "a text result (the v0 answer)", res: &fgs.InvokeResult{Result: "plain"},
			want: invocationOutcome{Result: "plain"}},
		{name: "a raised error", res: &fgs.InvokeResult{RequestID: "r", Result: `{"errorMessage": "boom", "errorType": "ValueError"}`, Status: 500},
			want: invocationOutcome{Result: `{"errorMessage": "boom", "errorType": "ValueError"}`, Status: 500, RequestID: "r",
				ResultJSON: map[string]any{"errorMessage": "boom", "errorType": "ValueError"}, ErrorCode: "ValueError", ErrorMessage: "boom"}},
		{name: "a failure with a text result", res: &fgs.InvokeResult{Result: "killed", Status: 502},
			want: invocationOutcome{Result: "killed", Status: 502, ErrorCode: "502", ErrorMessage: "killed"}},
		{name: "a failure with no result", res: &fgs.InvokeResult{Status: 502},
			want: invocationOutcome{Status: 502, ErrorCode: "502", ErrorMessage: "the function failed with status 502"}},
		{name: "the service reports the invocation failed", err: &fgs.APIError{Status: 500, Code: "FSS.0500", Message: "oom", RequestID: "r"},
			want: invocationOutcome{Status: 500, RequestID: "r", ErrorCode: "FSS.0500", ErrorMessage: "oom"}},
		{name: "the invocation timed out", err: &fgs.APIError{Status: 408},
			want: invocationOutcome{Status: 408, ErrorCode: "408", ErrorMessage: "the invocation failed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := outcomeOf(tc.res, tc.err)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want.ErrorCode != "", got.failed())
		})
	}
	for _, err := range []error{&fgs.APIError{Status: 404, Code: "FSS.1051"}, &fgs.APIError{Status: 403}, &fgs.APIError{Status: 413}, errors.New("dial tcp: refused")} {
		_, got := outcomeOf(nil, err)
		assert.Equal(t, err, got, "an error of the call stays an error: %v", err)
	}
}

func TestSameJSON(t *testing.T) {
	assert.True(t, sameJSON(`{"a": 1, "b": [1, 2]}`, `{"b":[1,2],"a":1}`))
	assert.True(t, sameJSON(``, `{}`), "no input is {}")
	assert.False(t, sameJSON(`{"a": 1}`, `{"a": 2}`))
	assert.False(t, sameJSON(`{a: 1}`, `{"a": 1}`), "text that is not JSON compares as text")
}
