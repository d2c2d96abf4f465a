package provider

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// invocationDoc is the resource's description in the schema and the SDKs, and the source of docs/invocation.md.
//
//go:embed invocation.md
var invocationDoc string

// Invocation calls a function on create and whenever its input or triggers change, and records the answer.
type Invocation struct{}

// InvocationArgs are the inputs of an Invocation.
type InvocationArgs struct {
	FunctionURN string            `pulumi:"functionUrn"`
	Input       *string           `pulumi:"input,optional"`
	Triggers    map[string]string `pulumi:"triggers,optional"`
}

// InvocationState is what an Invocation records: its inputs and the function's answer.
type InvocationState struct {
	InvocationArgs
	Result     string `pulumi:"result"`
	ResultJSON any    `pulumi:"resultJson,optional"`
	Status     int    `pulumi:"status"`
	RequestID  string `pulumi:"requestId"`
}

var _ = (infer.Annotated)((*Invocation)(nil))

// Annotate describes the Invocation resource.
func (i *Invocation) Annotate(a infer.Annotator) {
	a.Describe(i, invocationDoc)
	a.SetToken("index", "Invocation")
}

var _ = (infer.Annotated)((*InvocationArgs)(nil))

// Annotate describes the Invocation's inputs.
func (a *InvocationArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The URN of the function to call: a Function's `functionUrn`, a FunctionVersion's `qualifiedUrn` or an "+
		"Alias's `aliasUrn`. Changing it replaces the invocation, which calls the new function.")
	an.Describe(&a.Input, "The event, as JSON text; `{}` when unset. A change calls the function again.")
	an.Describe(&a.Triggers, "Any values whose change should call the function again, for example the Function's `digest`.")
}

var _ = (infer.Annotated)((*InvocationState)(nil))

// Annotate describes the Invocation's outputs.
func (s *InvocationState) Annotate(an infer.Annotator) {
	an.Describe(&s.Result, "What the function returned on the last call, as text.")
	an.Describe(&s.ResultJSON, "`result` parsed, when it is JSON; unset otherwise.")
	an.Describe(&s.Status, "The execution status of the last call (200).")
	an.Describe(&s.RequestID, "The request ID of the last call, to find its logs.")
}

var _ = (infer.CustomCheck[InvocationArgs])((*Invocation)(nil))

// Check rejects a malformed URN or input before anything is sent.
func (i *Invocation) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[InvocationArgs], error) {
	args, failures, err := infer.DefaultCheck[InvocationArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[InvocationArgs]{Inputs: args, Failures: failures}, err
	}
	return infer.CheckResponse[InvocationArgs]{Inputs: args, Failures: checkInvocation(req.NewInputs, args)}, nil
}

var _ = (infer.ExplicitDependencies[InvocationArgs, InvocationState])((*Invocation)(nil))

// WireDependencies makes the answer unknown in the preview of any change: the call happens in the update.
func (i *Invocation) WireDependencies(f infer.FieldSelector, args *InvocationArgs, state *InvocationState) {
	for _, out := range []any{&state.Result, &state.ResultJSON, &state.Status, &state.RequestID} {
		f.OutputField(out).DependsOn(f.InputField(args).Computed())
	}
}

var _ = (infer.CustomDiff[InvocationArgs, InvocationState])((*Invocation)(nil))

// Diff replaces the invocation for a new function and updates (calls again) for a new input or triggers;
// an input that is the same JSON written differently is no change.
func (i *Invocation) Diff(ctx context.Context, req infer.DiffRequest[InvocationArgs, InvocationState]) (infer.DiffResponse, error) {
	diff := diffInputs(req.State.InvocationArgs, req.Inputs, []string{"functionUrn"}, nil)
	if sameJSON(deref(req.State.Input), deref(req.Inputs.Input)) {
		delete(diff, "input")
	}
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

var _ = (infer.CustomCreate[InvocationArgs, InvocationState])((*Invocation)(nil))

// Create calls the function; a failing function fails the create with its error message.
func (i *Invocation) Create(ctx context.Context, req infer.CreateRequest[InvocationArgs]) (infer.CreateResponse[InvocationState], error) {
	state := InvocationState{InvocationArgs: req.Inputs}
	if req.DryRun {
		return infer.CreateResponse[InvocationState]{Output: state}, nil
	}
	if err := state.invoke(ctx); err != nil {
		return infer.CreateResponse[InvocationState]{}, err
	}
	id := state.RequestID
	if id == "" {
		id = randomID()
	}
	return infer.CreateResponse[InvocationState]{ID: id, Output: state}, nil
}

var _ = (infer.CustomRead[InvocationArgs, InvocationState])((*Invocation)(nil))

// Read keeps the recorded answer: refreshing never calls the function. There is nothing to import: the
// service keeps no record of a call that Read could find.
func (i *Invocation) Read(ctx context.Context, req infer.ReadRequest[InvocationArgs, InvocationState]) (infer.ReadResponse[InvocationArgs, InvocationState], error) {
	if req.State.FunctionURN == "" {
		return infer.ReadResponse[InvocationArgs, InvocationState]{}, errors.New("an Invocation cannot be imported: " +
			"the service keeps no record of a call; declare the resource, and `pulumi up` calls the function")
	}
	return infer.ReadResponse[InvocationArgs, InvocationState]{ID: req.ID, Inputs: req.Inputs, State: req.State}, nil
}

var _ = (infer.CustomUpdate[InvocationArgs, InvocationState])((*Invocation)(nil))

// Update calls the function again with the new input; a failing function fails the update.
func (i *Invocation) Update(ctx context.Context, req infer.UpdateRequest[InvocationArgs, InvocationState]) (infer.UpdateResponse[InvocationState], error) {
	state := req.State
	state.InvocationArgs = req.Inputs
	if req.DryRun {
		return infer.UpdateResponse[InvocationState]{Output: state}, nil
	}
	if err := state.invoke(ctx); err != nil {
		return infer.UpdateResponse[InvocationState]{}, err
	}
	return infer.UpdateResponse[InvocationState]{Output: state}, nil
}

var _ = (infer.CustomDelete[InvocationState])((*Invocation)(nil))

// Delete forgets the invocation: nothing is called, and what the function did stays.
func (i *Invocation) Delete(ctx context.Context, req infer.DeleteRequest[InvocationState]) (infer.DeleteResponse, error) {
	return infer.DeleteResponse{}, nil
}

// invoke calls the function with the state's input and records its answer.
func (s *InvocationState) invoke(ctx context.Context) error {
	client, err := clientFrom(ctx)
	if err != nil {
		return err
	}
	event, err := eventFromJSONText(deref(s.Input))
	if err != nil {
		return err
	}
	out, err := outcomeOf(client.Invocations.Invoke(ctx, s.FunctionURN, event, nil))
	if err != nil {
		return err
	}
	if out.failed() {
		return invocationError(s.FunctionURN, out)
	}
	s.Result, s.ResultJSON, s.Status, s.RequestID = out.Result, out.ResultJSON, out.Status, out.RequestID
	return nil
}

// randomID is the ID of an invocation whose answer carried no request ID.
func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sameJSON reports whether two JSON texts hold the same value (an empty text is `{}`).
func sameJSON(a, b string) bool {
	var va, vb any
	rawA, errA := eventFromJSONText(a)
	rawB, errB := eventFromJSONText(b)
	if errA != nil || errB != nil || json.Unmarshal(rawA, &va) != nil || json.Unmarshal(rawB, &vb) != nil {
		return a == b
	}
	return reflect.DeepEqual(va, vb)
}
