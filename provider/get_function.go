package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

//go:embed get_function.md
var getFunctionDoc string

// GetFunction reads one function, by URN or by name, with every field the Function resource reports.
type GetFunction struct{}

// GetFunctionArgs say which function: functionUrn, or name within app.
type GetFunctionArgs struct {
	FunctionURN *string `pulumi:"functionUrn,optional"`
	Name        *string `pulumi:"name,optional"`
	App         *string `pulumi:"app,optional"`
}

// GetFunctionResult is the function as a Function resource would record it on import: its inputs, read from
// the service, and its outputs.
type GetFunctionResult struct {
	FunctionState
}

var _ = (infer.Annotated)((*GetFunction)(nil))

// Annotate describes getFunction.
func (f *GetFunction) Annotate(a infer.Annotator) {
	a.Describe(f, getFunctionDoc)
	a.SetToken("index", "getFunction")
}

var _ = (infer.Annotated)((*GetFunctionArgs)(nil))

// Annotate describes the inputs of getFunction.
func (a *GetFunctionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The function's URN; a version URN (`:v1`) reads that version. Give this or `name`.")
	an.Describe(&a.Name, "The function's name, looked up in `app`. Give this or `functionUrn`.")
	an.Describe(&a.App, "The app to look `name` up in.")
	an.SetDefault(&a.App, "default")
}

var _ = (infer.Fn[GetFunctionArgs, GetFunctionResult])((*GetFunction)(nil))

// Invoke finds the function and reads its configuration and tags, as Function's Read does on import.
func (*GetFunction) Invoke(ctx context.Context, req infer.FunctionRequest[GetFunctionArgs]) (infer.FunctionResponse[GetFunctionResult], error) {
	in := req.Input
	return lookup(ctx, "getFunction", func(client *fgs.Client) (GetFunctionResult, error) {
		urn, err := in.resolve(ctx, client)
		if err != nil {
			return GetFunctionResult{}, err
		}
		live, err := client.Functions.GetConfig(ctx, urn)
		if errors.Is(err, fgs.ErrNotFound) {
			return GetFunctionResult{}, fmt.Errorf("there is no function %s: %w", urn, err)
		}
		if err != nil {
			return GetFunctionResult{}, fmt.Errorf("reading function %s: %w", urn, err)
		}
		tags, err := client.Tags.ForFunction(ctx, fgs.UnqualifiedURN(live.FuncURN))
		if err != nil {
			return GetFunctionResult{}, fmt.Errorf("reading the tags of %s: %w", urn, err)
		}
		state, warnings := functionFromLive(live, tags)
		for _, w := range warnings {
			p.GetLogger(ctx).Warning(fmt.Sprintf("getFunction %s: %s", urn, w))
		}
		return GetFunctionResult{FunctionState: state}, nil
	})
}

// resolve returns the URN to read: functionUrn as given, or the URN of the function called name in app.
func (a GetFunctionArgs) resolve(ctx context.Context, client *fgs.Client) (string, error) {
	urn, name, app := deref(a.FunctionURN), deref(a.Name), orDefault(deref(a.App), "default")
	switch {
	case urn != "" && name != "":
		return "", errors.New("functionUrn and name: give one of them, not both")
	case urn != "":
		return urn, requireURN("functionUrn", urn)
	case name == "":
		return "", errors.New("functionUrn or name is required")
	}
	fs, err := client.Functions.List(ctx, &fgs.ListFunctionsOptions{PackageName: app})
	if err != nil {
		return "", err
	}
	for i := range fs {
		if fs[i].FuncName == name && fs[i].Package == app {
			return fgs.UnqualifiedURN(fs[i].FuncURN), nil
		}
	}
	return "", fmt.Errorf("name: there is no function named %q in app %q", name, app)
}

// functionFromLive is a Function's state built from the service's answer alone, through the mapping the
// Function resource's import uses (readInputs, fromTags, setOutputs), so that the two never disagree; the
// warnings are readInputs' (a malformed answer it could not read back).
func functionFromLive(live *fgs.Function, tags []fgs.Tag) (FunctionState, []string) {
	inputs, warnings := readInputs(FunctionArgs{}, live, true)
	state := FunctionState{FunctionArgs: inputs}
	state.Tags = fromTags(tags)
	if len(state.Tags) == 0 {
		state.Tags = nil
	}
	state.setOutputs(live)
	return state, warnings
}
