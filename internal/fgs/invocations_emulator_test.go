package fgs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// The client's Invoke and InvokeAsync read what the emulator's real execution answers.
func TestInvokeAgainstTheEmulator(t *testing.T) {
	em, err := emulator.New(emulator.DefaultConfig())
	require.NoError(t, err)
	t.Cleanup(func() { _ = em.Close() })
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	c, err := NewClient(Options{Region: "eu-de", AuthURL: srv.URL + "/v3", DomainName: "fgs-demo", UserName: "fgs-user",
		Password: "fgs-emulator-password", ProjectName: "eu-de", RetryBaseDelay: time.Millisecond, RetryMaxDelay: 10 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()
	src := "def handler(event, context):\n    print('log line')\n    return {'sum': event['a'] + event['b']}\n"
	created, err := c.Functions.Create(ctx, &CreateFunctionRequest{FuncName: "adder", Package: "default", Runtime: "Python3.9",
		Handler: "index.handler", MemorySize: 128, Timeout: 30, CodeType: "inline",
		FuncCode: &FuncCode{File: base64.StdEncoding.EncodeToString([]byte(src))}})
	require.NoError(t, err)
	urn := UnqualifiedURN(created.FuncURN)

	res, err := c.Invocations.Invoke(ctx, urn, map[string]int{"a": 2, "b": 3}, &InvokeOptions{LogType: "tail"})
	require.NoError(t, err)
	var out map[string]int
	require.NoError(t, json.Unmarshal([]byte(res.Result), &out))
	require.Equal(t, 5, out["sum"])
	require.EqualValues(t, 200, res.Status)
	require.NotEmpty(t, res.RequestID)
	require.Contains(t, string(res.Log), "log line")
	require.Contains(t, res.Summary, "memorySize")

	id, err := c.Invocations.InvokeAsync(ctx, urn, map[string]int{"a": 1, "b": 1})
	require.NoError(t, err)
	require.NotEmpty(t, id)

	_, err = c.Invocations.Invoke(ctx, BuildURN("eu-de", emulator.DefaultProjectID, "default", "missing", ""), nil, nil)
	require.ErrorIs(t, err, ErrNotFound)
}
