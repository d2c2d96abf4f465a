package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// AsyncInvokeConfig is the asynchronous-invocation settings of a function, a version or an alias: how long
// and how often an event is retried, and where the results go.
type AsyncInvokeConfig struct{}

// AsyncInvokeConfigArgs are the inputs of an AsyncInvokeConfig.
type AsyncInvokeConfigArgs struct {
	FunctionURN               string            `pulumi:"functionUrn"`
	MaxAsyncEventAgeInSeconds *int              `pulumi:"maxAsyncEventAgeInSeconds,optional"`
	MaxAsyncRetryAttempts     *int              `pulumi:"maxAsyncRetryAttempts,optional"`
	EnableAsyncStatusLog      *bool             `pulumi:"enableAsyncStatusLog,optional"`
	OnSuccess                 *AsyncDestination `pulumi:"onSuccess,optional"`
	OnFailure                 *AsyncDestination `pulumi:"onFailure,optional"`
}

// AsyncDestination is where the result of an asynchronous invocation goes: exactly one of its fields.
type AsyncDestination struct {
	FunctionGraph *AsyncFunctionGraphDestination `pulumi:"functionGraph,optional"`
	Obs           *AsyncObsDestination           `pulumi:"obs,optional"`
	Smn           *AsyncSmnDestination           `pulumi:"smn,optional"`
	Dis           *AsyncDisDestination           `pulumi:"dis,optional"`
}

// AsyncFunctionGraphDestination invokes another function with the result.
type AsyncFunctionGraphDestination struct {
	FunctionURN string `pulumi:"functionUrn"`
}

// AsyncObsDestination writes the result as an object to an OBS bucket.
type AsyncObsDestination struct {
	Bucket  string  `pulumi:"bucket"`
	Prefix  *string `pulumi:"prefix,optional"`
	Expires *int    `pulumi:"expires,optional"`
}

// AsyncSmnDestination publishes the result to an SMN topic.
type AsyncSmnDestination struct {
	TopicURN string `pulumi:"topicUrn"`
}

// AsyncDisDestination writes the result to a DIS stream.
type AsyncDisDestination struct {
	StreamName string `pulumi:"streamName"`
}

// AsyncInvokeConfigState is what an AsyncInvokeConfig records.
type AsyncInvokeConfigState struct {
	AsyncInvokeConfigArgs
	CreatedTime  string `pulumi:"createdTime"`
	LastModified string `pulumi:"lastModified"`
}

//go:embed async_invoke_config.md
var asyncInvokeConfigDoc string

// Annotate describes the AsyncInvokeConfig resource.
func (r *AsyncInvokeConfig) Annotate(an infer.Annotator) {
	an.Describe(r, asyncInvokeConfigDoc)
	an.SetToken("index", "AsyncInvokeConfig")
}

// Annotate describes the AsyncInvokeConfig's inputs.
func (a *AsyncInvokeConfigArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The URN the settings apply to: a function's unqualified URN (its `latest` version), a version's "+
		"(`...:<version>`) or an alias's (`...:!<alias>`, an Alias's `aliasUrn`). Changing it replaces the settings.")
	an.Describe(&a.MaxAsyncEventAgeInSeconds, "How long an event may wait to be processed, 1 to 86400 seconds. Default 3600. Updated in place.")
	an.Describe(&a.MaxAsyncRetryAttempts, "How often a failed asynchronous invocation is retried, 0 to 3. Default 1. Updated in place.")
	an.Describe(&a.EnableAsyncStatusLog, "Whether the status of each asynchronous invocation is kept (to be queried later). Default false. Updated in place.")
	an.Describe(&a.OnSuccess, "Where the result of a successful invocation goes. Updated in place; removing it removes the destination.")
	an.Describe(&a.OnFailure, "Where the result of a failed invocation goes (after the last retry). Updated in place; removing it removes the destination.")
}

// Annotate describes a destination.
func (d *AsyncDestination) Annotate(an infer.Annotator) {
	an.Describe(d, "A destination of asynchronous-invocation results: set exactly one of `functionGraph`, `obs`, `smn` and `dis`.")
	an.Describe(&d.FunctionGraph, "Invoke another function with the result.")
	an.Describe(&d.Obs, "Write the result to an OBS bucket.")
	an.Describe(&d.Smn, "Publish the result to an SMN topic.")
	an.Describe(&d.Dis, "Write the result to a DIS stream.")
}

// Annotate describes a function destination.
func (d *AsyncFunctionGraphDestination) Annotate(an infer.Annotator) {
	an.Describe(&d.FunctionURN, "The URN of the function to invoke (unqualified, version or alias URN); not the function whose results these are.")
}

// Annotate describes an OBS destination.
func (d *AsyncObsDestination) Annotate(an infer.Annotator) {
	an.Describe(&d.Bucket, "The bucket's name: 3 to 63 lowercase letters, digits, `-` and `.`.")
	an.Describe(&d.Prefix, "The object directory the results are written under, for example `results/`.")
	an.Describe(&d.Expires, "After how many days the result objects expire, 0 to 365; 0 (the default) keeps them.")
}

// Annotate describes an SMN destination.
func (d *AsyncSmnDestination) Annotate(an infer.Annotator) {
	an.Describe(&d.TopicURN, "The topic's URN, `urn:smn:<region>:<project_id>:<topic>`.")
}

// Annotate describes a DIS destination.
func (d *AsyncDisDestination) Annotate(an infer.Annotator) {
	an.Describe(&d.StreamName, "The stream's name: 1 to 64 letters, digits, `_` and `-`.")
}

// Annotate describes the AsyncInvokeConfig's outputs.
func (s *AsyncInvokeConfigState) Annotate(an infer.Annotator) {
	an.Describe(&s.CreatedTime, "When the settings were first made, as the service reports it.")
	an.Describe(&s.LastModified, "When the settings were last changed, as the service reports it.")
}

var _ = (infer.CustomCheck[AsyncInvokeConfigArgs])((*AsyncInvokeConfig)(nil))

// Check rejects out-of-range settings and ill-formed destinations before anything is sent.
func (r *AsyncInvokeConfig) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AsyncInvokeConfigArgs], error) {
	return checkInputs(ctx, req, checkAsyncInvokeConfig)
}

var _ = (infer.ExplicitDependencies[AsyncInvokeConfigArgs, AsyncInvokeConfigState])((*AsyncInvokeConfig)(nil))

// WireDependencies keeps `createdTime` known in the preview of an in-place change.
func (r *AsyncInvokeConfig) WireDependencies(f infer.FieldSelector, args *AsyncInvokeConfigArgs, state *AsyncInvokeConfigState) {
	f.OutputField(&state.CreatedTime).DependsOn(f.InputField(&args.FunctionURN).Computed())
	f.OutputField(&state.LastModified).DependsOn(f.InputField(args).Computed())
}

var _ = (infer.CustomDiff[AsyncInvokeConfigArgs, AsyncInvokeConfigState])((*AsyncInvokeConfig)(nil))

// Diff replaces the settings for another URN; everything else is updated in place. Settings are compared
// with the service's defaults filled in: leaving out a setting that is at its default is no change.
func (r *AsyncInvokeConfig) Diff(ctx context.Context, req infer.DiffRequest[AsyncInvokeConfigArgs, AsyncInvokeConfigState]) (infer.DiffResponse, error) {
	olds := asyncEffective(req.State.AsyncInvokeConfigArgs)
	if sameAsyncTarget(olds.FunctionURN, req.Inputs.FunctionURN) {
		olds.FunctionURN = req.Inputs.FunctionURN // another spelling of the same settings, which a replacement would delete
	}
	diff := diffInputs(olds, asyncEffective(req.Inputs), []string{"functionUrn"}, nil)
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

var _ = (infer.CustomCreate[AsyncInvokeConfigArgs, AsyncInvokeConfigState])((*AsyncInvokeConfig)(nil))

// Create puts the settings (one PUT creates or replaces them).
func (r *AsyncInvokeConfig) Create(ctx context.Context, req infer.CreateRequest[AsyncInvokeConfigArgs]) (infer.CreateResponse[AsyncInvokeConfigState], error) {
	state := AsyncInvokeConfigState{AsyncInvokeConfigArgs: req.Inputs}
	if req.DryRun {
		return infer.CreateResponse[AsyncInvokeConfigState]{Output: state}, nil
	}
	if err := putAsyncInvokeConfig(ctx, &state); err != nil {
		return infer.CreateResponse[AsyncInvokeConfigState]{}, err
	}
	return infer.CreateResponse[AsyncInvokeConfigState]{ID: state.FunctionURN, Output: state}, nil
}

func putAsyncInvokeConfig(ctx context.Context, state *AsyncInvokeConfigState) error {
	client, err := clientFrom(ctx)
	if err != nil {
		return err
	}
	live, err := client.AsyncConfig.Put(ctx, state.FunctionURN, asyncInvokeConfigBody(state.AsyncInvokeConfigArgs))
	if errors.Is(err, fgs.ErrNotFound) {
		return fmt.Errorf("configuring asynchronous invocation of %s: the function, version or alias does not exist: %w", state.FunctionURN, err)
	}
	if err != nil {
		return fmt.Errorf("configuring asynchronous invocation of %s: %w", state.FunctionURN, err)
	}
	state.CreatedTime, state.LastModified = live.CreatedTime.String(), live.LastModified.String()
	return nil
}

var _ = (infer.CustomRead[AsyncInvokeConfigArgs, AsyncInvokeConfigState])((*AsyncInvokeConfig)(nil))

// Read refreshes every setting; settings removed elsewhere (or a function gone) are an empty ID.
func (r *AsyncInvokeConfig) Read(ctx context.Context, req infer.ReadRequest[AsyncInvokeConfigArgs, AsyncInvokeConfigState]) (infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState], error) {
	if _, err := fgs.ParseURN(req.ID); err != nil {
		return infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState]{}, fmt.Errorf("%q is not an AsyncInvokeConfig ID: use the function, version or alias URN", req.ID)
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState]{}, err
	}
	live, err := client.AsyncConfig.Get(ctx, req.ID)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState]{}, fmt.Errorf("reading asynchronous invocation settings of %s: %w", req.ID, err)
	}
	inputs, err := asyncInvokeConfigFromAPI(req.ID, live, req.State.AsyncInvokeConfigArgs)
	if err != nil {
		return infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState]{}, fmt.Errorf("reading asynchronous invocation settings of %s: %w", req.ID, err)
	}
	state := AsyncInvokeConfigState{AsyncInvokeConfigArgs: inputs, CreatedTime: live.CreatedTime.String(), LastModified: live.LastModified.String()}
	return infer.ReadResponse[AsyncInvokeConfigArgs, AsyncInvokeConfigState]{ID: req.ID, Inputs: inputs, State: state}, nil
}

var _ = (infer.CustomUpdate[AsyncInvokeConfigArgs, AsyncInvokeConfigState])((*AsyncInvokeConfig)(nil))

// Update puts the whole new settings: every field is sent, so nothing removed from the program survives.
func (r *AsyncInvokeConfig) Update(ctx context.Context, req infer.UpdateRequest[AsyncInvokeConfigArgs, AsyncInvokeConfigState]) (infer.UpdateResponse[AsyncInvokeConfigState], error) {
	state := req.State
	state.AsyncInvokeConfigArgs = req.Inputs
	if req.DryRun {
		return infer.UpdateResponse[AsyncInvokeConfigState]{Output: state}, nil
	}
	if err := putAsyncInvokeConfig(ctx, &state); err != nil {
		return infer.UpdateResponse[AsyncInvokeConfigState]{}, err
	}
	return infer.UpdateResponse[AsyncInvokeConfigState]{Output: state}, nil
}

var _ = (infer.CustomDelete[AsyncInvokeConfigState])((*AsyncInvokeConfig)(nil))

// Delete removes the settings; settings (or a function) already gone are not an error.
func (r *AsyncInvokeConfig) Delete(ctx context.Context, req infer.DeleteRequest[AsyncInvokeConfigState]) (infer.DeleteResponse, error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	if err := client.AsyncConfig.Delete(ctx, req.ID); err != nil && !errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, fmt.Errorf("removing asynchronous invocation settings of %s: %w", req.ID, err)
	}
	return infer.DeleteResponse{}, nil
}
