package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// aliasDoc is the resource's description in the schema and the SDKs, and the source of docs/alias.md.
//
//go:embed alias.md
var aliasDoc string

// Alias is a named pointer to a function version, optionally splitting traffic with other versions.
type Alias struct{}

// AliasArgs are the inputs of an Alias.
//
// The target version is `functionVersion`, not `version`: pulumi-go-provider's Diff drops an input named
// `version` (infer/resource.go: "We ignore version input from the engine"), so an input of that name could
// never be compared or updated.
type AliasArgs struct {
	FunctionURN              string         `pulumi:"functionUrn"`
	Name                     string         `pulumi:"name"`
	FunctionVersion          string         `pulumi:"functionVersion"`
	Description              *string        `pulumi:"description,optional"`
	AdditionalVersionWeights map[string]int `pulumi:"additionalVersionWeights,optional"`
}

// AliasState is what an Alias records.
type AliasState struct {
	AliasArgs
	AliasURN     string `pulumi:"aliasUrn"`
	LastModified string `pulumi:"lastModified"`
}

var _ = (infer.Annotated)((*Alias)(nil))

// Annotate describes the Alias resource.
func (a *Alias) Annotate(an infer.Annotator) {
	an.Describe(a, aliasDoc)
	an.SetToken("index", "Alias")
}

var _ = (infer.Annotated)((*AliasArgs)(nil))

// Annotate describes the Alias's inputs.
func (a *AliasArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The unqualified URN of the function (the Function's `functionUrn` output); a qualified URN is refused. "+
		"Changing it replaces the alias.")
	an.Describe(&a.Name, "The alias's name: up to 63 letters, digits, `_` and `-`, starting with a letter (not `latest`). "+
		"Changing it replaces the alias.")
	an.Describe(&a.FunctionVersion, "The version the alias points to (for example a FunctionVersion's `version` output, or `latest`). Updated in place.")
	an.Describe(&a.Description, "A description of the alias, at most 512 characters. Updated in place.")
	an.Describe(&a.AdditionalVersionWeights, "Other versions that receive part of the alias's traffic, with their share in percent: "+
		"each 0 to 100, together at most 100; the rest goes to `functionVersion`, which cannot be listed here. For example "+
		"`{\"v2\": 10}` sends 10% to v2. Updated in place.")
}

var _ = (infer.Annotated)((*AliasState)(nil))

// Annotate describes the Alias's outputs.
func (s *AliasState) Annotate(an infer.Annotator) {
	an.Describe(&s.AliasURN, "The alias's URN, `<functionUrn>:!<name>`: the `functionUrn` of a Trigger bound to the alias.")
	an.Describe(&s.LastModified, "When the alias was last changed, as the service reports it.")
}

var _ = (infer.CustomCheck[AliasArgs])((*Alias)(nil))

// Check rejects a bad name, version or weights before anything is sent.
func (a *Alias) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AliasArgs], error) {
	args, failures, err := infer.DefaultCheck[AliasArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[AliasArgs]{Inputs: args, Failures: failures}, err
	}
	return infer.CheckResponse[AliasArgs]{Inputs: args, Failures: checkAlias(req.NewInputs, args)}, nil
}

var _ = (infer.ExplicitDependencies[AliasArgs, AliasState])((*Alias)(nil))

// WireDependencies keeps `aliasUrn` known in the preview of an in-place update (it only changes with the
// function and the name), so that a weight shift does not make the triggers bound to the alias look replaced.
func (a *Alias) WireDependencies(f infer.FieldSelector, args *AliasArgs, state *AliasState) {
	f.OutputField(&state.AliasURN).DependsOn(f.InputField(&args.FunctionURN).Computed(), f.InputField(&args.Name).Computed())
	f.OutputField(&state.LastModified).DependsOn(f.InputField(args).Computed())
}

var _ = (infer.CustomDiff[AliasArgs, AliasState])((*Alias)(nil))

// Diff replaces the alias for a new function or name, and updates the rest in place.
func (a *Alias) Diff(ctx context.Context, req infer.DiffRequest[AliasArgs, AliasState]) (infer.DiffResponse, error) {
	diff := diffInputs(req.State.AliasArgs, req.Inputs, []string{"functionUrn", "name"}, nil)
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

var _ = (infer.CustomCreate[AliasArgs, AliasState])((*Alias)(nil))

// Create creates the alias.
func (a *Alias) Create(ctx context.Context, req infer.CreateRequest[AliasArgs]) (infer.CreateResponse[AliasState], error) {
	args := req.Inputs
	state := AliasState{AliasArgs: args}
	if req.DryRun {
		return infer.CreateResponse[AliasState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[AliasState]{}, err
	}
	live, err := client.Aliases.Create(ctx, args.FunctionURN, createAliasRequest(args))
	if err = forResource(req.Name, err); err != nil {
		return infer.CreateResponse[AliasState]{}, aliasError("creating", args, err)
	}
	state.setOutputs(live)
	return infer.CreateResponse[AliasState]{ID: aliasID(args.FunctionURN, args.Name), Output: state}, nil
}

var _ = (infer.CustomRead[AliasArgs, AliasState])((*Alias)(nil))

// Read refreshes the version, description and weights; an alias gone is an empty ID.
func (a *Alias) Read(ctx context.Context, req infer.ReadRequest[AliasArgs, AliasState]) (infer.ReadResponse[AliasArgs, AliasState], error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[AliasArgs, AliasState]{}, err
	}
	urn, name, err := parseAliasID(req.ID)
	if err != nil {
		return infer.ReadResponse[AliasArgs, AliasState]{}, err
	}
	live, err := client.Aliases.Get(ctx, urn, name)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[AliasArgs, AliasState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[AliasArgs, AliasState]{}, fmt.Errorf("reading alias %s: %w", req.ID, err)
	}
	state := readBackAlias(urn, name, req.State.AliasArgs, live)
	return infer.ReadResponse[AliasArgs, AliasState]{ID: aliasID(urn, name), Inputs: state.AliasArgs, State: state}, nil
}

var _ = (infer.CustomUpdate[AliasArgs, AliasState])((*Alias)(nil))

// Update points the alias at its new version, description and weights (PUT replaces all three).
func (a *Alias) Update(ctx context.Context, req infer.UpdateRequest[AliasArgs, AliasState]) (infer.UpdateResponse[AliasState], error) {
	news := req.Inputs
	state := req.State
	state.AliasArgs = news
	if req.DryRun {
		return infer.UpdateResponse[AliasState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.UpdateResponse[AliasState]{}, err
	}
	live, err := client.Aliases.Update(ctx, news.FunctionURN, news.Name, updateAliasRequest(news))
	if err != nil {
		return infer.UpdateResponse[AliasState]{}, aliasError("updating", news, err)
	}
	state.setOutputs(live)
	return infer.UpdateResponse[AliasState]{Output: state}, nil
}

var _ = (infer.CustomDelete[AliasState])((*Alias)(nil))

// Delete removes the alias; triggers bound to it must go first (FSS.1154), which Pulumi does when their
// `functionUrn` comes from this alias's `aliasUrn`.
func (a *Alias) Delete(ctx context.Context, req infer.DeleteRequest[AliasState]) (infer.DeleteResponse, error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	urn, name, err := parseAliasID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Aliases.Delete(ctx, urn, name)
	if err == nil || errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, nil
	}
	return infer.DeleteResponse{}, deleteAliasError(urn, name, err)
}
