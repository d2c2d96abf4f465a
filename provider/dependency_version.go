package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/infer/types"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// DependencyVersion is one immutable version of a dependency package that functions can share.
type DependencyVersion struct{}

// DependencyVersionArgs are the inputs of a DependencyVersion.
type DependencyVersionArgs struct {
	Name        string                `pulumi:"name"`
	Runtime     Runtime               `pulumi:"runtime"`
	Description *string               `pulumi:"description,optional"`
	Code        *types.AssetOrArchive `pulumi:"code,optional"`
	Link        *string               `pulumi:"link,optional"`
}

// DependencyVersionState is what a DependencyVersion records.
type DependencyVersionState struct {
	DependencyVersionArgs
	VersionID      string `pulumi:"versionId"`
	DependencyID   string `pulumi:"dependencyId"`
	Version        int    `pulumi:"version"`
	Etag           string `pulumi:"etag"`
	Size           int    `pulumi:"size"`
	FileName       string `pulumi:"fileName"`
	Owner          string `pulumi:"owner"`
	SourceCodeHash string `pulumi:"sourceCodeHash,optional"`
}

//go:embed dependency_version.md
var dependencyVersionDoc string

// Annotate describes the DependencyVersion resource.
func (d *DependencyVersion) Annotate(an infer.Annotator) {
	an.Describe(d, dependencyVersionDoc)
	an.SetToken("index", "DependencyVersion")
}

// Annotate describes the DependencyVersion's inputs.
func (a *DependencyVersionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "The dependency's name: up to 96 letters, digits, `_`, `.` and `-`, starting with a letter and ending with a letter or digit. "+
		"Versions of the same name are versions of one dependency. Changing it replaces the version.")
	an.Describe(&a.Runtime, "The runtime the package is for, as the API spells it (the same values as a Function's `runtime`). Changing it replaces the version.")
	an.Describe(&a.Description, "A description of the version, at most 512 characters. Changing it replaces the version.")
	an.Describe(&a.Code, "The package: a directory or zip `FileArchive`, an `AssetArchive`, or a zip `FileAsset`; zipped deterministically like "+
		"a Function's code, at most 50 MB. Exactly one of `code` and `link` must be set. Changing the contents replaces the version.")
	an.Describe(&a.Link, "The OBS URL of a zip package (for example `https://bucket.obs.eu-de.otc.t-systems.com/deps/pandas.zip`). "+
		"Exactly one of `code` and `link` must be set. Changing it replaces the version; the service copies the package, so a change "+
		"of the object behind the same URL is not seen.")
}

// Annotate describes the DependencyVersion's outputs.
func (s *DependencyVersionState) Annotate(an infer.Annotator) {
	an.Describe(&s.VersionID, "The version's ID: what a Function's `dependencyVersions` takes.")
	an.Describe(&s.DependencyID, "The ID of the dependency the version belongs to.")
	an.Describe(&s.Version, "The version's number within the dependency, counted by the service from 1.")
	an.Describe(&s.Etag, "The service's fingerprint of the stored package.")
	an.Describe(&s.Size, "The size of the stored package in bytes.")
	an.Describe(&s.FileName, "The stored package's file name.")
	an.Describe(&s.Owner, "The owner of the dependency (the account's domain ID; `public` for the service's own).")
	an.Describe(&s.SourceCodeHash, "The SHA-256 of the package Pulumi sent, in hex; empty for `link`.")
}

var _ = (infer.CustomCheck[DependencyVersionArgs])((*DependencyVersion)(nil))

// Check rejects a bad name, runtime, description or package before anything is sent.
func (d *DependencyVersion) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[DependencyVersionArgs], error) {
	return checkInputs(ctx, req, checkDependencyVersion)
}

var _ = (infer.CustomDiff[DependencyVersionArgs, DependencyVersionState])((*DependencyVersion)(nil))

// Diff: versions are immutable, so every change replaces, the new version created before the old is
// deleted (a second version of a name is simply the next number). After an import neither `code` nor
// `link` is recorded (the service never returns the package): the declared one is added by an update
// that only records it (see Update), so that later changes of it are seen.
func (d *DependencyVersion) Diff(ctx context.Context, req infer.DiffRequest[DependencyVersionArgs, DependencyVersionState]) (infer.DiffResponse, error) {
	olds, news := req.State.DependencyVersionArgs, req.Inputs
	imported := olds.Code == nil && olds.Link == nil
	skip := map[string]bool{"code": true, "link": imported}
	diff := diffInputs(olds, news, []string{"name", "runtime", "description", "link"}, skip)
	switch {
	case !imported && dependencyCodeChanged(req.State, news):
		diff["code"] = p.PropertyDiff{Kind: changeKind(olds.Code != nil, news.Code != nil, true), InputDiff: true}
	case imported && len(diff) > 0: // replaced anyway: the new version gets the declared package
	case imported && news.Code != nil:
		diff["code"] = p.PropertyDiff{Kind: p.Add, InputDiff: true}
	case imported && news.Link != nil:
		diff["link"] = p.PropertyDiff{Kind: p.Add, InputDiff: true}
	}
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

var _ = (infer.CustomUpdate[DependencyVersionArgs, DependencyVersionState])((*DependencyVersion)(nil))

// Update is only asked for after an import, to record the declared package; it sends nothing. A package
// whose MD5 is not the version's etag is refused: the version holds other bytes and must be replaced.
func (d *DependencyVersion) Update(ctx context.Context, req infer.UpdateRequest[DependencyVersionArgs, DependencyVersionState]) (infer.UpdateResponse[DependencyVersionState], error) {
	state := req.State
	state.DependencyVersionArgs = req.Inputs
	if req.Inputs.Code == nil || !hasContents(req.Inputs.Code) {
		return infer.UpdateResponse[DependencyVersionState]{Output: state}, nil
	}
	pkg, err := buildDependencyPackage(req.Inputs)
	if err != nil {
		return infer.UpdateResponse[DependencyVersionState]{}, fmt.Errorf("packaging dependency %s: %w", state.Name, err)
	}
	if sum := md5Hex(pkg.data); etagIsMD5(state.Etag) && sum != state.Etag {
		return infer.UpdateResponse[DependencyVersionState]{}, fmt.Errorf("dependency %s version %d holds another package than the declared "+
			"code (MD5 %s, the version's etag %s); versions are immutable: run `pulumi up --replace <this resource's URN>` to publish "+
			"the declared code as a new version", state.Name, state.Version, sum, state.Etag)
	}
	state.SourceCodeHash = pkg.SHA256
	return infer.UpdateResponse[DependencyVersionState]{Output: state}, nil
}

var _ = (infer.CustomCreate[DependencyVersionArgs, DependencyVersionState])((*DependencyVersion)(nil))

// Create uploads the package (or points the service at the OBS object) as a new version.
func (d *DependencyVersion) Create(ctx context.Context, req infer.CreateRequest[DependencyVersionArgs]) (infer.CreateResponse[DependencyVersionState], error) {
	args := req.Inputs
	state := DependencyVersionState{DependencyVersionArgs: args}
	if req.DryRun {
		return infer.CreateResponse[DependencyVersionState]{Output: state}, nil
	}
	body, sum, err := dependencyVersionBody(args)
	if err != nil {
		return infer.CreateResponse[DependencyVersionState]{}, fmt.Errorf("packaging dependency %s: %w", args.Name, err)
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[DependencyVersionState]{}, err
	}
	live, err := client.Dependencies.CreateVersion(ctx, body)
	if err != nil {
		return infer.CreateResponse[DependencyVersionState]{}, fmt.Errorf("creating a version of dependency %s: %w", args.Name, err)
	}
	state.setOutputs(live)
	state.SourceCodeHash = sum
	return infer.CreateResponse[DependencyVersionState]{ID: dependencyVersionID(state.DependencyID, state.Version), Output: state}, nil
}

var _ = (infer.CustomRead[DependencyVersionArgs, DependencyVersionState])((*DependencyVersion)(nil))

// Read refreshes the version's metadata; a version deleted elsewhere is an empty ID. The package itself is
// never returned by the service, so `code` and `link` keep what was recorded.
func (d *DependencyVersion) Read(ctx context.Context, req infer.ReadRequest[DependencyVersionArgs, DependencyVersionState]) (infer.ReadResponse[DependencyVersionArgs, DependencyVersionState], error) {
	depID, version, err := parseDependencyVersionID(req.ID)
	if err != nil {
		return infer.ReadResponse[DependencyVersionArgs, DependencyVersionState]{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[DependencyVersionArgs, DependencyVersionState]{}, err
	}
	live, err := client.Dependencies.GetVersion(ctx, depID, int64(version))
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[DependencyVersionArgs, DependencyVersionState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[DependencyVersionArgs, DependencyVersionState]{}, fmt.Errorf("reading dependency version %s: %w", req.ID, err)
	}
	state := dependencyVersionFromAPI(live, req.State)
	if state.DependencyID == "" {
		state.DependencyID = depID // the answer may leave dep_id out; the ID has it
	}
	return infer.ReadResponse[DependencyVersionArgs, DependencyVersionState]{
		ID: dependencyVersionID(state.DependencyID, state.Version), Inputs: state.DependencyVersionArgs, State: state,
	}, nil
}

var _ = (infer.CustomDelete[DependencyVersionState])((*DependencyVersion)(nil))

// Delete removes the version. The service refuses while a function uses it (FSS.1033); the error then
// names the functions, so that the user knows what to change first.
func (d *DependencyVersion) Delete(ctx context.Context, req infer.DeleteRequest[DependencyVersionState]) (infer.DeleteResponse, error) {
	depID, version, err := parseDependencyVersionID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Dependencies.DeleteVersion(ctx, depID, int64(version))
	if err == nil || errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, nil
	}
	var ae *fgs.APIError
	if errors.As(err, &ae) && ae.Code == "FSS.1033" {
		return infer.DeleteResponse{}, dependencyInUseError(ctx, client, req.State, err)
	}
	return infer.DeleteResponse{}, fmt.Errorf("deleting version %d of dependency %s: %w", version, req.State.Name, err)
}

// dependencyInUseError names the functions (and published versions) that still use the version. Versions
// are listed only when no function's latest code uses it, as a published version is the rarer case.
func dependencyInUseError(ctx context.Context, client *fgs.Client, state DependencyVersionState, cause error) error {
	what := fmt.Sprintf("deleting version %d of dependency %s", state.Version, state.Name)
	fns, err := client.Functions.List(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: a function still uses it (FSS.1033; listing the functions to name them failed: %v): %w", what, err, cause)
	}
	users := functionsUsing(fns, state.VersionID, false)
	for i := 0; len(users) == 0 && i < len(fns); i++ {
		versions, err := client.Versions.List(ctx, fgs.UnqualifiedURN(fns[i].FuncURN), nil)
		if err == nil {
			users = functionsUsing(versions, state.VersionID, true)
		}
	}
	if len(users) == 0 {
		return fmt.Errorf("%s: a function still uses it (FSS.1033): %w", what, cause)
	}
	return fmt.Errorf("%s: still used by %s; remove %s from their dependencyVersions, or delete the published versions that use it, "+
		"first (Pulumi orders this itself when dependencyVersions takes this resource's versionId): %w", what, joinQuoted(users), state.VersionID, cause)
}
