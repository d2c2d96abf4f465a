package provider

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkServer is a provider server without a cloud: Check needs none.
func checkServer(t *testing.T) integration.Server {
	t.Helper()
	prov, err := New()
	require.NoError(t, err)
	server, err := integration.NewServer(context.Background(), Name, semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	return server
}

func autoNamed(t *testing.T) map[string]any {
	inputs := baseFunction(t)
	delete(inputs, "name")
	return inputs
}

// The suffix of an automatic name follows the resource's URN: the preview, the update and a re-run after a
// crash check the same URN and get the same name; another stack gets another name; a name once chosen is
// kept.
func TestAutoNameFollowsTheURN(t *testing.T) {
	t.Parallel()
	server := checkServer(t)
	inputs := props(autoNamed(t))
	name := func(urn presource.URN, olds property.Map) string {
		t.Helper()
		resp, err := server.Check(p.CheckRequest{Urn: urn, Inputs: inputs, State: olds})
		require.NoError(t, err)
		require.Empty(t, resp.Failures)
		return resp.Inputs.Get("name").AsString()
	}
	dev := urnOf("Function", "hello")
	prod := presource.URN(strings.Replace(string(dev), "::test::", "::prod::", 1))
	require.NotEqual(t, dev, prod)
	preview, update := name(dev, property.Map{}), name(dev, property.Map{})
	assert.Regexp(t, `^hello-[0-9a-f]{7}$`, preview)
	assert.Equal(t, preview, update, "the preview and the update must show the same name")
	assert.NotEqual(t, preview, name(prod, property.Map{}), "another stack must get another name")
	recorded := property.NewMap(map[string]property.Value{"name": property.New("hello-1234567")})
	assert.Equal(t, "hello-1234567", name(dev, recorded), "a second up keeps the recorded name")
}

// The same through the gRPC server the engine talks to: the URN reaches Check there too.
func TestAutoNameFollowsTheURNThroughGRPC(t *testing.T) {
	t.Parallel()
	prov, err := New()
	require.NoError(t, err)
	server, err := p.RawServer(Name, "0.1.0", prov)(nil)
	require.NoError(t, err)
	news, err := plugin.MarshalProperties(presource.ToResourcePropertyMap(props(autoNamed(t))), plugin.MarshalOptions{KeepSecrets: true})
	require.NoError(t, err)
	name := func(urn presource.URN) string {
		t.Helper()
		resp, err := server.Check(context.Background(), &rpc.CheckRequest{Urn: string(urn), News: news})
		require.NoError(t, err)
		require.Empty(t, resp.Failures)
		return resp.Inputs.Fields["name"].GetStringValue()
	}
	a, b := urnOf("Function", "hello"), urnOf("Function", "other")
	assert.Equal(t, name(a), name(a), "preview and update must agree")
	assert.NotEqual(t, strings.TrimPrefix(name(a), "hello-"), strings.TrimPrefix(name(b), "other-"))
}

// Today's runtimes pass Check; a well-formed runtime this provider does not know yet passes with a warning;
// anything else fails on runtime.
func TestFunctionCheckRuntimes(t *testing.T) {
	var logs bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(previous) })
	server := checkServer(t)
	check := func(runtime string) p.CheckResponse {
		t.Helper()
		logs.Reset()
		inputs := baseFunction(t)
		inputs["runtime"] = runtime
		resp, err := server.Check(p.CheckRequest{Urn: urnOf("Function", "fn"), Inputs: props(inputs)})
		require.NoError(t, err)
		return resp
	}
	for _, runtime := range []string{"Python3.10", "Python3.12", "Java17", "Java21", "Node.js18.15", "Node.js20.15",
		"C#(.NET Core 8.0)", "PHP8.3", "Cangjie1.0", "Go1.x"} {
		t.Run(runtime, func(t *testing.T) {
			assert.Empty(t, check(runtime).Failures)
			assert.NotContains(t, logs.String(), "WARN", "a known runtime gives no warning")
		})
	}
	for _, runtime := range []string{"Python3.13", "Node.js22.15", "Ruby3.2", "C#(.NET Core 10.0)"} {
		t.Run("unknown "+runtime, func(t *testing.T) {
			assert.Empty(t, check(runtime).Failures, "a well-formed runtime needs no provider release")
			assert.Contains(t, logs.String(), "WARN")
			assert.Contains(t, logs.String(), runtime)
		})
	}
	for _, runtime := range []string{"Python 3.9", "python3.9", "Ruby", "3.9", "Python3.9 "} {
		t.Run("malformed "+runtime, func(t *testing.T) {
			resp := check(runtime)
			require.Len(t, resp.Failures, 1, "%+v", resp.Failures)
			assert.Equal(t, "runtime", resp.Failures[0].Property)
		})
	}
	assert.Contains(t, check("python3.9").Failures[0].Reason, "did you mean Python3.9?")
}

// The schema declares runtime as a string or the Runtime enum, so that Pulumi YAML's type checker lets a
// runtime outside the enum reach Check; the enum lists today's runtimes.
func TestFunctionSchemaRuntimeIsStringOrEnum(t *testing.T) {
	t.Parallel()
	spec := generatedSchema(t)
	res := spec.Resources["fgs:index:Function"]
	for where, prop := range map[string]struct {
		typ   string
		ref   string
		oneOf int
	}{
		"inputProperties": {res.InputProperties["runtime"].Type, res.InputProperties["runtime"].Ref, len(res.InputProperties["runtime"].OneOf)},
		"properties":      {res.Properties["runtime"].Type, res.Properties["runtime"].Ref, len(res.Properties["runtime"].OneOf)},
	} {
		assert.Equal(t, "string", prop.typ, where)
		assert.Empty(t, prop.ref, where)
		assert.Equal(t, 2, prop.oneOf, where)
	}
	oneOf := res.InputProperties["runtime"].OneOf
	assert.Equal(t, "string", oneOf[0].Type)
	assert.Empty(t, oneOf[0].Ref)
	assert.Equal(t, "#/types/fgs:index:Runtime", oneOf[1].Ref)
	var values []string
	for _, v := range spec.Types["fgs:index:Runtime"].Enum {
		values = append(values, v.Value.(string))
	}
	for _, want := range []string{"Python3.10", "Python3.12", "Java17", "Java21", "Node.js16.17", "Node.js18.15", "Node.js20.15",
		"C#(.NET Core 6.0)", "C#(.NET Core 8.0)", "PHP8.3", "Cangjie1.0", "Custom", "http"} {
		assert.Contains(t, values, want)
	}
}
