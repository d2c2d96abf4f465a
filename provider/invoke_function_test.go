package provider

import (
	"context"
	"testing"
	"time"

	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"
)

// invokeFunction through the provider server, against handlers the emulator really runs
// (invocation_handlers_test.go): each answer is what the handler's code computes from the payload.

func TestInvokeFunction(t *testing.T) {
	t.Parallel()
	c, urns := newInvocationCloud(t)

	c.step(t, "an object payload: the answer, parsed, with the log's tail", func(t *testing.T) {
		got := c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["adder"] + ":latest", "payload": map[string]any{"a": 1.0, "b": 2.0}})
		assert.Equal(t, 1, c.invocations())
		assert.Equal(t, true, got.Get("invoked").AsBool())
		assert.JSONEq(t, `{"sum": 3}`, str(got, "result"), "1 + 2, computed by the handler")
		assert.Equal(t, 3.0, num(got.Get("resultJson").AsMap(), "sum"))
		assert.Equal(t, 200.0, num(got, "status"))
		assert.Regexp(t, `^[0-9a-f-]{36}$`, str(got, "requestId"))
		assert.Contains(t, str(got, "log"), "adding 1 and 2", "what the handler printed")
		assert.Contains(t, str(got, "log"), "Finish invoke request '"+str(got, "requestId")+"'")
		assert.False(t, got.Get("errorCode").IsString(), "no error code when the function succeeded")
		assert.False(t, got.Get("errorMessage").IsString())
	})
	c.step(t, "a string payload: JSON text as that JSON, other text as a JSON string", func(t *testing.T) {
		got := c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["echo"], "payload": `{"k": [1, 2]}`})
		assert.JSONEq(t, `{"event": {"k": [1, 2]}}`, str(got, "result"), "the handler got the object")
		got = c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["echo"], "payload": "hello"})
		assert.JSONEq(t, `{"event": "hello"}`, str(got, "result"), "the handler got the string")
		assert.Equal(t, "hello", got.Get("resultJson").AsMap().Get("event").AsString())
		got = c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["echo"]})
		assert.JSONEq(t, `{"event": {}}`, str(got, "result"), "no payload is {}")
	})
	c.step(t, "a text result has no resultJson", func(t *testing.T) {
		got := c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["texter"]})
		assert.Equal(t, "hello, world", str(got, "result"))
		v, ok := got.GetOk("resultJson")
		assert.False(t, ok && !v.IsNull(), "resultJson: %v", v)
	})
	c.step(t, "a handler that raised: errorCode and errorMessage, not an error", func(t *testing.T) {
		got := c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["raiser"]})
		assert.Equal(t, "FSS.0500", str(got, "errorCode"), "the service's code of an uncaught exception")
		assert.Equal(t, "division by zero", str(got, "errorMessage"))
		assert.Equal(t, "ZeroDivisionError", got.Get("resultJson").AsMap().Get("errorType").AsString(), "the runtime's error type stays in the result")
		assert.Equal(t, 500.0, num(got, "status"))
		assert.True(t, got.Get("invoked").AsBool())
		assert.Contains(t, str(got, "log"), "ZeroDivisionError")
	})
	c.step(t, "a handler whose process died: its code and message", func(t *testing.T) {
		got := c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["crasher"]})
		assert.Equal(t, "FSS.0500", str(got, "errorCode"))
		assert.Equal(t, "the function instance exited: exit status 3", str(got, "errorMessage"))
		assert.Equal(t, 500.0, num(got, "status"))
	})
	c.step(t, "a handler that outlives its timeout: the timeout error, in time", func(t *testing.T) {
		start := time.Now()
		got := c.invoke(t, "invokeFunction", map[string]any{"functionUrn": urns["sleeper"]})
		assert.Less(t, time.Since(start), 10*time.Second, "the 3 s timeout ends the call, not the handler's 30 s sleep")
		assert.Equal(t, "FSS.0408", str(got, "errorCode"))
		assert.NotEmpty(t, str(got, "errorMessage"))
		assert.Equal(t, 408.0, num(got, "status"))
	})
	c.step(t, "a function that does not exist is an error of the call", func(t *testing.T) {
		_, err := c.tryInvoke("invokeFunction", map[string]any{"functionUrn": urns["adder"] + "-gone"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "invokeFunction")
		assert.Contains(t, err.Error(), "FSS.1051")
	})
	c.step(t, "a bad URN is refused before any call, naming the input", func(t *testing.T) {
		before := c.invocations()
		_, err := c.tryInvoke("invokeFunction", map[string]any{"functionUrn": "adder"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "invokeFunction: functionUrn")
		assert.Equal(t, before, c.invocations())
	})
}

// The engine's preview flag reaches invokeFunction through the plugin's gRPC server (Serve): a preview does
// not call the function unless invokeDuringPreview is set; an update does.
func TestInvokeFunctionInPreview(t *testing.T) {
	t.Parallel()
	c, urns := newInvocationCloud(t)
	prov, err := New()
	require.NoError(t, err)
	srv, err := newPreviewAwareServer(prov, "0.1.0", nil)
	require.NoError(t, err)
	ctx := context.Background()
	cfg := marshal(t, presource.PropertyMap{
		"region": presource.NewProperty(c.cfg.Region), "projectName": presource.NewProperty(c.cfg.ProjectName),
		"domainName": presource.NewProperty(c.cfg.DomainName), "userName": presource.NewProperty(c.cfg.UserName),
		"password": presource.NewProperty(c.cfg.Password), "authUrl": presource.NewProperty(c.url + "/v3"),
		"endpoint": presource.NewProperty(c.url),
	})
	_, err = srv.Configure(ctx, &rpc.ConfigureRequest{Args: cfg, AcceptSecrets: true})
	require.NoError(t, err)

	call := func(t *testing.T, preview bool, args presource.PropertyMap) presource.PropertyMap {
		t.Helper()
		resp, err := srv.Invoke(ctx, &rpc.InvokeRequest{Tok: "fgs:index:invokeFunction", Args: marshal(t, args), Preview: preview})
		require.NoError(t, err)
		require.Empty(t, resp.GetFailures())
		out, err := plugin.UnmarshalProperties(resp.GetReturn(), plugin.MarshalOptions{KeepSecrets: true})
		require.NoError(t, err)
		return out
	}
	args := presource.PropertyMap{"functionUrn": presource.NewProperty(urns["adder"]), "payload": presource.NewProperty(presource.PropertyMap{
		"a": presource.NewProperty(2.0), "b": presource.NewProperty(5.0)})}

	c.step(t, "a preview does not call the function", func(t *testing.T) {
		out := call(t, true, args)
		assert.Equal(t, 0, c.invocations())
		assert.False(t, out["invoked"].BoolValue())
		assert.Equal(t, "", out["result"].StringValue())
	})
	c.step(t, "an update calls it", func(t *testing.T) {
		out := call(t, false, args)
		assert.Equal(t, 1, c.invocations())
		assert.True(t, out["invoked"].BoolValue())
		assert.JSONEq(t, `{"sum": 7}`, out["result"].StringValue(), "2 + 5, computed by the handler")
	})
	c.step(t, "a preview calls it when invokeDuringPreview is set", func(t *testing.T) {
		opted := args.Copy()
		opted["invokeDuringPreview"] = presource.NewProperty(true)
		out := call(t, true, opted)
		assert.Equal(t, 2, c.invocations())
		assert.True(t, out["invoked"].BoolValue())
	})
}

func marshal(t *testing.T, m presource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepSecrets: true})
	require.NoError(t, err)
	return s
}
