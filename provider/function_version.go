package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// functionVersionDoc is the resource's description in the schema and the SDKs, and the source of
// docs/function-version.md.
//
//go:embed function_version.md
var functionVersionDoc string

// FunctionVersion publishes a function's current code and configuration as an immutable version.
type FunctionVersion struct{}

// FunctionVersionArgs are the inputs of a FunctionVersion.
//
// The version's name is the input `name`, not `version`: pulumi-go-provider's Diff drops an input named
// `version` (infer/resource.go: "We ignore version input from the engine"), so a change of it would go unseen.
type FunctionVersionArgs struct {
	FunctionURN string  `pulumi:"functionUrn"`
	Name        *string `pulumi:"name,optional"`
	Description *string `pulumi:"description,optional"`
	Digest      *string `pulumi:"digest,optional"`
}

// FunctionVersionState is what a FunctionVersion records. It lists the inputs again rather than embedding
// them, because `digest` is an optional input but an always-known output.
type FunctionVersionState struct {
	FunctionURN  string  `pulumi:"functionUrn"`
	Name         *string `pulumi:"name,optional"`
	Version      string  `pulumi:"version"`
	Description  *string `pulumi:"description,optional"`
	Digest       string  `pulumi:"digest"`
	InputDigest  *string `pulumi:"inputDigest,optional"`
	QualifiedURN string  `pulumi:"qualifiedUrn"`
	CodeSize     int     `pulumi:"codeSize"`
	LastModified string  `pulumi:"lastModified"`
}

var _ = (infer.Annotated)((*FunctionVersion)(nil))

// Annotate describes the FunctionVersion resource.
func (v *FunctionVersion) Annotate(a infer.Annotator) {
	a.Describe(v, functionVersionDoc)
	a.SetToken("index", "FunctionVersion")
}

var _ = (infer.Annotated)((*FunctionVersionArgs)(nil))

// Annotate describes the FunctionVersion's inputs.
func (a *FunctionVersionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The unqualified URN of the function to publish (the Function's `functionUrn` output); "+
		"a qualified URN is refused. Changing it publishes a new version.")
	an.Describe(&a.Name, "The version's name: up to 42 letters, digits, `.`, `_` and `-`, starting with a letter or digit (not `latest`). "+
		"Defaults to a name the service generates, `vYYYYMMDD-HHMMSS`. Changing it publishes a new version. "+
		"Leave it unset when you pass `digest`: a code change then publishes a new version, moves the aliases that take it "+
		"from `version`, and deletes the old one; with a fixed name the old version must be deleted first, which the service "+
		"refuses while an alias routes to it.")
	an.Describe(&a.Description, "A description of the version, at most 512 characters. Changing it publishes a new version.")
	an.Describe(&a.Digest, "The digest of the code to publish: pass the Function's `digest` output, so that a code change publishes "+
		"a new version and the service refuses to publish code other than the one expected. Changing it publishes a new version.")
}

var _ = (infer.Annotated)((*FunctionVersionState)(nil))

// Annotate describes the FunctionVersion's outputs.
func (s *FunctionVersionState) Annotate(a infer.Annotator) {
	a.Describe(&s.FunctionURN, "The unqualified URN of the function.")
	a.Describe(&s.Name, "The version's name, as given.")
	a.Describe(&s.Version, "The version's name, as given in `name` or as the service generated it.")
	a.Describe(&s.Description, "The version's description.")
	a.Describe(&s.Digest, "The SHA-512 digest of the version's code package.")
	a.Describe(&s.InputDigest, "The `digest` input the version was published with.")
	a.Describe(&s.QualifiedURN, "The version's URN, `<functionUrn>:<version>`, also its ID: the `functionUrn` of a Trigger bound to this version.")
	a.Describe(&s.CodeSize, "The size of the version's code package in bytes.")
	a.Describe(&s.LastModified, "When the version was published, as the service reports it.")
}

var _ = (infer.CustomCheck[FunctionVersionArgs])((*FunctionVersion)(nil))

// Check rejects a bad version name, description or URN before anything is sent.
func (v *FunctionVersion) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[FunctionVersionArgs], error) {
	args, failures, err := infer.DefaultCheck[FunctionVersionArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[FunctionVersionArgs]{Inputs: args, Failures: failures}, err
	}
	return infer.CheckResponse[FunctionVersionArgs]{Inputs: args, Failures: checkFunctionVersion(req.NewInputs, args)}, nil
}

var _ = (infer.CustomDiff[FunctionVersionArgs, FunctionVersionState])((*FunctionVersion)(nil))

// Diff: every input replaces. A fixed version name is deleted before its replacement is published, as the
// service refuses a second version of the same name.
func (v *FunctionVersion) Diff(ctx context.Context, req infer.DiffRequest[FunctionVersionArgs, FunctionVersionState]) (infer.DiffResponse, error) {
	diff := diffInputs(req.State.inputs(), req.Inputs, []string{"functionUrn", "name", "description", "digest"}, nil)
	resp := infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}
	if resp.HasChanges && req.Inputs.Name != nil && *req.Inputs.Name == req.State.Version {
		resp.DeleteBeforeReplace = true
	}
	return resp, nil
}

var _ = (infer.CustomCreate[FunctionVersionArgs, FunctionVersionState])((*FunctionVersion)(nil))

// Create publishes the version. The service refuses to publish an unchanged function (FSS.1016): the error
// says what to change.
func (v *FunctionVersion) Create(ctx context.Context, req infer.CreateRequest[FunctionVersionArgs]) (infer.CreateResponse[FunctionVersionState], error) {
	args := req.Inputs
	if req.DryRun {
		return infer.CreateResponse[FunctionVersionState]{Output: unpublishedVersion(args)}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[FunctionVersionState]{}, err
	}
	live, err := client.Versions.Publish(ctx, args.FunctionURN, publishRequest(args))
	if err = forResource(req.Name, err); err != nil {
		return infer.CreateResponse[FunctionVersionState]{}, publishError(args, err)
	}
	state := publishedVersion(args, live)
	if state.Version == "" || state.Version == "latest" {
		// The answer named the head rather than the new version (as the reference's example does).
		return infer.CreateResponse[FunctionVersionState]{}, fmt.Errorf("publishing a version of %s: the service did not say which version it published", args.FunctionURN)
	}
	return infer.CreateResponse[FunctionVersionState]{ID: state.QualifiedURN, Output: state}, nil
}

var _ = (infer.CustomRead[FunctionVersionArgs, FunctionVersionState])((*FunctionVersion)(nil))

// Read finds the version in the function's version list; a version gone is an empty ID.
func (v *FunctionVersion) Read(ctx context.Context, req infer.ReadRequest[FunctionVersionArgs, FunctionVersionState]) (infer.ReadResponse[FunctionVersionArgs, FunctionVersionState], error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{}, err
	}
	urn, version, err := parseVersionID(req.ID)
	if err != nil {
		return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{}, err
	}
	live, err := client.Versions.Get(ctx, urn, version)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{}, fmt.Errorf("reading version %s: %w", req.ID, err)
	}
	inputs, state := readBackVersion(urn, version, req.Inputs, req.State, live)
	return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{ID: state.QualifiedURN, Inputs: inputs, State: state}, nil
}

var _ = (infer.CustomDelete[FunctionVersionState])((*FunctionVersion)(nil))

// Delete removes the version (DELETE .../functions/{urn}:{version}). A version still routed to by an alias
// cannot be deleted: the error says so.
func (v *FunctionVersion) Delete(ctx context.Context, req infer.DeleteRequest[FunctionVersionState]) (infer.DeleteResponse, error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	urn, version, err := parseVersionID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Functions.Delete(ctx, versionID(urn, version))
	if err == nil || errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, nil
	}
	return infer.DeleteResponse{}, deleteVersionError(urn, version, err)
}
