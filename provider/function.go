package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/infer/types"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// functionDescription is the resource's description in the schema and the SDKs: what it manages, how it
// changes, and the examples in four languages.
//
//go:embed function.md
var functionDescription string

// Function manages a FunctionGraph function: its code, its configuration, its maximum instances and its tags.
type Function struct{}

// FunctionArgs are the inputs of a Function.
type FunctionArgs struct {
	Name                 *string               `pulumi:"name,optional"`
	App                  *string               `pulumi:"app,optional"`
	Runtime              Runtime               `pulumi:"runtime"`
	Handler              string                `pulumi:"handler"`
	MemorySize           *int                  `pulumi:"memorySize,optional"`
	Timeout              *int                  `pulumi:"timeout,optional"`
	Description          *string               `pulumi:"description,optional"`
	FunctionGraphVersion *FunctionGraphVersion `pulumi:"functionGraphVersion,optional"`

	Code         *types.AssetOrArchive `pulumi:"code,optional"`
	CodeURL      *string               `pulumi:"codeUrl,optional"`
	CodeFilename *string               `pulumi:"codeFilename,optional"`
	CustomImage  *CustomImage          `pulumi:"customImage,optional"`
	CodeURLHash  *string               `pulumi:"codeUrlHash,optional"`

	Environment       map[string]string `pulumi:"environment,optional"`
	SecretEnvironment map[string]string `pulumi:"secretEnvironment,optional" provider:"secret"`

	Agency                 *string           `pulumi:"agency,optional"`
	AppAgency              *string           `pulumi:"appAgency,optional"`
	Initializer            *Hook             `pulumi:"initializer,optional"`
	RestoreHook            *Hook             `pulumi:"restoreHook,optional"`
	EnableSnapshot         *bool             `pulumi:"enableSnapshot,optional"`
	Tracing                *Tracing          `pulumi:"tracing,optional"`
	Vpc                    *FunctionVpc      `pulumi:"vpc,optional"`
	Network                *Network          `pulumi:"network,optional"`
	Mounts                 *Mounts           `pulumi:"mounts,optional"`
	LogConfig              *LogConfig        `pulumi:"logConfig,optional"`
	MaxInstances           *int              `pulumi:"maxInstances,optional"`
	ConcurrencyPerInstance *int              `pulumi:"concurrencyPerInstance,optional"`
	GpuMemory              *int              `pulumi:"gpuMemory,optional"`
	EphemeralStorage       *int              `pulumi:"ephemeralStorage,optional"`
	EnableDynamicMemory    *bool             `pulumi:"enableDynamicMemory,optional"`
	EnableAuthInHeader     *bool             `pulumi:"enableAuthInHeader,optional"`
	IsStatefulFunction     *bool             `pulumi:"isStatefulFunction,optional"`
	DomainNames            *string           `pulumi:"domainNames,optional"`
	DependencyVersions     []string          `pulumi:"dependencyVersions,optional"`
	Tags                   map[string]string `pulumi:"tags,optional"`
	EnterpriseProjectID    *string           `pulumi:"enterpriseProjectId,optional"`
}

// FunctionState is what a Function records: its inputs, resolved, and what the service computed.
type FunctionState struct {
	FunctionArgs
	FunctionURN    string `pulumi:"functionUrn"`
	Version        string `pulumi:"version"`
	Digest         string `pulumi:"digest"`
	CodeSize       int    `pulumi:"codeSize"`
	CodeType       string `pulumi:"codeType"`
	SourceCodeHash string `pulumi:"sourceCodeHash,optional"`
	CPU            int    `pulumi:"cpu"`
	LastModified   string `pulumi:"lastModified"`
	ImageName      string `pulumi:"imageName,optional"`
	DomainID       string `pulumi:"domainId,optional"`
	ProjectID      string `pulumi:"projectId,optional"`
	LogGroupID     string `pulumi:"logGroupId,optional"`
	LogStreamID    string `pulumi:"logStreamId,optional"`
}

var _ = (infer.Annotated)((*Function)(nil))

// Annotate describes the Function resource, from function.md.
func (f *Function) Annotate(a infer.Annotator) {
	a.Describe(f, functionDescription)
	a.SetToken("index", "Function")
}

var _ = (infer.Annotated)((*FunctionArgs)(nil))

// Annotate describes the Function's inputs.
func (a *FunctionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "The function's name: letters, digits, `_` and `-`, starting with a letter, at most 60 characters. "+
		"Defaults to the Pulumi resource name followed by a suffix derived from the resource's URN (the same in preview and update). Changing it replaces the function.")
	an.Describe(&a.App, "The application (the API's `package`) the function belongs to. Defaults to `default`. Changing it replaces the function.")
	an.SetDefault(&a.App, "default")
	an.Describe(&a.Runtime, "The runtime, as the API spells it (for example `Python3.9`, `Node.js14.18`, `Java11`, `Go1.x`, `Custom`, `http`). Changing it replaces the function.")
	an.Describe(&a.Handler, "The entry point, `file.function` for most runtimes (for example `index.handler`); for Java, `package.Class.method`; for Go, the executable name.")
	an.Describe(&a.MemorySize, "Memory in MB: 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584 or 4096. Defaults to 128. The CPU share follows it.")
	an.SetDefault(&a.MemorySize, 128)
	an.Describe(&a.Timeout, "Maximum run time of one invocation, in seconds, 3 to 900. Defaults to 30.")
	an.SetDefault(&a.Timeout, 30)
	an.Describe(&a.Description, "A description of the function, at most 512 characters.")
	an.Describe(&a.FunctionGraphVersion, "The platform generation, `v1` or `v2`. Defaults to `v2`. Changing it replaces the function.")
	an.SetDefault(&a.FunctionGraphVersion, "v2")
	an.Describe(&a.Code, "The function's code: a `FileArchive` of a directory or zip file, an `AssetArchive`, or a single `FileAsset`/`StringAsset`. "+
		"Archives are zipped deterministically, so the same files give the same package on every machine. "+
		"At most one of `code`, `codeUrl` and `customImage`; with none, Pulumi leaves an existing function's code as it is (creating a function needs one).")
	an.Describe(&a.CodeURL, "The OBS URL of a zip package holding the code (for example `https://bucket.obs.eu-de.otc.t-systems.com/code.zip`). "+
		"At most one of `code`, `codeUrl` and `customImage`; with none, Pulumi leaves an existing function's code as it is (creating a function needs one).")
	an.Describe(&a.CodeFilename, "The name of the package file (for example `index.zip` or `app.jar`). Defaults to `index.zip` for archives; for a single asset, the asset's file name.")
	an.Describe(&a.CodeURLHash, "Any value that changes when the object at `codeUrl` changes, for example its ETag or SHA-256: a change uploads the code "+
		"from `codeUrl` again, though the URL stayed the same (FunctionGraph copies the object when the code is set, and never looks at it again). "+
		"It is never sent to the service, so a refresh sees no drift in it; set it only with `codeUrl`.")
	an.Describe(&a.CustomImage, "Runs the function from a container image in SWR. At most one of `code`, `codeUrl` and `customImage`; with none, Pulumi leaves an existing function's code as it is (creating a function needs one).")
	an.Describe(&a.Environment, "Environment variables (the API's `user_data`): at most 20 keys and 4 KB in all, together with `secretEnvironment`.")
	an.Describe(&a.SecretEnvironment, "Environment variables whose values are stored encrypted by FunctionGraph (the API's `encrypted_user_data`) and kept secret in Pulumi state. "+
		"The service never returns them, so drift in these values is not detected.")
	an.Describe(&a.Agency, "The IAM agency the function runs with, to call other cloud services (the API's `xrole`).")
	an.Describe(&a.AppAgency, "The IAM agency used while the function executes, when it differs from `agency` (the API's `app_xrole`).")
	an.Describe(&a.Initializer, "An initializer run once per instance before the first invocation.")
	an.Describe(&a.RestoreHook, "A hook run when an instance is restored from a snapshot (Java only; it takes effect with `enableSnapshot`). "+
		"A refresh reads it from the function's configuration where the service returns it (`restore_hook_handler`); "+
		"where the answer leaves it out, the recorded hook is kept and its drift cannot be seen.")
	an.Describe(&a.EnableSnapshot, "Starts instances from a snapshot taken after initialization, for faster cold starts (Java runtimes only; "+
		"the API's snapshots/enable and snapshots/disable). Changes in place; removing it, or false, turns snapshot start off. A refresh reads the live state.")
	an.Describe(&a.Tracing, "Sends traces to APM with an access key pair (API 5.5). Removing the block disables tracing. "+
		"A refresh sees the access key changed or tracing disabled; the secret key comes back masked, so its drift cannot be seen. "+
		"An import leaves the block out: declare it, and the next update sets it.")
	an.Describe(&a.Vpc, "Attaches the function to a VPC subnet; needs an agency with VPC permissions.")
	an.Describe(&a.Network, "Network controls: public network access, and the VPCs from which triggers may reach the function. "+
		"A refresh reads them from the function's configuration where the service returns them (`network_controller`); "+
		"where the answer leaves them out, the recorded value is kept and their drift cannot be seen.")
	an.Describe(&a.Mounts, "File systems to mount, and the user and group to mount them as.")
	an.Describe(&a.LogConfig, "The LTS log group and stream to send logs to.")
	an.Describe(&a.MaxInstances, "The maximum number of instances: -1 for unlimited, 0 to disable the function, otherwise 1 to 1000 (v1 functions accept only -1 and 0).")
	an.Describe(&a.ConcurrencyPerInstance, "Concurrent requests one instance serves (v2 only): -1 for the platform default, otherwise 1 to 1000.")
	an.Describe(&a.GpuMemory, "GPU memory in MB, 1024 to 16384 in steps of 1024 (Custom and http runtimes only).")
	an.Describe(&a.EphemeralStorage, "Ephemeral disk space in MB: 512 or 10240.")
	an.Describe(&a.EnableDynamicMemory, "Lets invocations ask for a memory size of their own (v2 only).")
	an.Describe(&a.EnableAuthInHeader, "Passes the caller's authentication in the request header to the function.")
	an.Describe(&a.IsStatefulFunction, "Makes the function stateful (v2 only).")
	an.Describe(&a.DomainNames, "Private domain names the function resolves, as the API expects them (a JSON string). "+
		"A refresh reads the value the service returns (`domain_names`), so a change or a removal behind Pulumi's back shows as drift.")
	an.Describe(&a.DependencyVersions, "IDs of dependency versions (packages) the function uses, for example a `DependencyVersion`'s `versionId`. "+
		"An empty list, or removing the input, removes every dependency from the function.")
	an.Describe(&a.Tags, "Tags on the function.")
	an.Describe(&a.EnterpriseProjectID, "The enterprise project the function belongs to. Changing it replaces the function.")
}

var _ = (infer.Annotated)((*FunctionState)(nil))

// Annotate describes the Function's outputs.
func (s *FunctionState) Annotate(a infer.Annotator) {
	a.Describe(&s.FunctionURN, "The function's unqualified URN, `urn:fss:<region>:<project>:function:<app>:<name>`; also the resource ID.")
	a.Describe(&s.Version, "The version the URN designates: `latest`.")
	a.Describe(&s.Digest, "The SHA-512 digest of the code package the service stores; it changes when the code changes.")
	a.Describe(&s.CodeSize, "The size of the stored code package in bytes.")
	a.Describe(&s.CodeType, "How the code was given: `zip`, `jar`, `obs` or `inline`.")
	a.Describe(&s.SourceCodeHash, "The SHA-256 of the code package Pulumi sent, in hex; empty for `codeUrl` and `customImage`.")
	a.Describe(&s.CPU, "The CPU share in millicores, derived from the memory size.")
	a.Describe(&s.LastModified, "When the function was last changed, as the service reports it.")
	a.Describe(&s.ImageName, "The service's internal name of the function's current version.")
	a.Describe(&s.DomainID, "The ID of the account (domain) that owns the function.")
	a.Describe(&s.ProjectID, "The ID of the project the function is in.")
	a.Describe(&s.LogGroupID, "The LTS log group the function logs to.")
	a.Describe(&s.LogStreamID, "The LTS log stream the function logs to.")
}

var _ = (infer.ExplicitDependencies[FunctionArgs, FunctionState])((*Function)(nil))

// WireDependencies says which outputs an in-place update can change, so that a preview keeps the others
// known: a memory or code change must not make resources that use functionUrn look replaced. The outputs
// each input can change are declared in functionInputs.
func (f *Function) WireDependencies(fs infer.FieldSelector, args *FunctionArgs, state *FunctionState) {
	deps := map[string][]infer.InputField{}
	for _, in := range functionInputs {
		for _, out := range in.outputs {
			field := fs.InputField(fieldByName(reflect.ValueOf(args).Elem(), in.key).Addr().Interface())
			deps[out] = append(deps[out], field.Computed())
		}
	}
	for out, ins := range deps {
		fs.OutputField(fieldByName(reflect.ValueOf(state).Elem(), out).Addr().Interface()).DependsOn(ins...)
	}
	fs.OutputField(&state.Version).DependsOn()
	fs.OutputField(&state.LastModified).DependsOn(fs.InputField(args).Computed())
	fs.OutputField(&state.ImageName).DependsOn(fs.InputField(args).Computed())
}

// functionReplaceKeys are the inputs FunctionGraph cannot change in place.
var functionReplaceKeys = []string{"name", "app", "runtime", "functionGraphVersion", "enterpriseProjectId"}

var _ = (infer.CustomDiff[FunctionArgs, FunctionState])((*Function)(nil))

// Diff names every changed input; a change of code is a change of the package it builds to, not of the
// archive's paths. Replacing keeps the name when it is fixed, so the old function goes first.
func (f *Function) Diff(ctx context.Context, req infer.DiffRequest[FunctionArgs, FunctionState]) (infer.DiffResponse, error) {
	olds, news := req.State.FunctionArgs, req.Inputs
	diff := diffInputs(olds, news, functionReplaceKeys, map[string]bool{"code": true})
	if codeChanged(req.State, news) {
		diff["code"] = p.PropertyDiff{Kind: changeKind(olds.Code != nil, news.Code != nil, false), InputDiff: true}
	}
	resp := infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}
	for _, d := range diff {
		if strings.HasSuffix(string(d.Kind), "replace") {
			resp.DeleteBeforeReplace = deref(olds.Name) == deref(news.Name)
		}
	}
	return resp, nil
}

var _ = (infer.CustomResource[FunctionArgs, FunctionState])((*Function)(nil))

// Create posts the function, then applies what the create body cannot carry: the configuration-only
// fields (PUT .../config), max instances and tags. Once the POST succeeded, a later failure still returns
// the ID, so that the engine records the function and the next update finishes the job.
func (f *Function) Create(ctx context.Context, req infer.CreateRequest[FunctionArgs]) (infer.CreateResponse[FunctionState], error) {
	args := req.Inputs
	state := FunctionState{FunctionArgs: args}
	if err := needsCodeToCreate(args); err != nil {
		return infer.CreateResponse[FunctionState]{}, err
	}
	if req.DryRun {
		return infer.CreateResponse[FunctionState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[FunctionState]{}, err
	}
	body, pkg, err := createRequest(args)
	if err != nil {
		return infer.CreateResponse[FunctionState]{}, err
	}
	defer pkg.Close()
	created, err := client.Functions.Create(ctx, body)
	if err = forResource(req.Name, err); err != nil {
		return infer.CreateResponse[FunctionState]{}, fmt.Errorf("creating function %s: %w%s", deref(args.Name), err, interruptedCreateHint(req.Name, deref(args.Name), err))
	}
	urn := fgs.UnqualifiedURN(created.FuncURN)
	if pkg != nil {
		state.SourceCodeHash = pkg.SHA256
	}
	live, err := f.finishCreate(ctx, client, urn, args, created)
	if live != nil {
		state.setOutputs(live)
	}
	state.FunctionURN = urn
	if err != nil {
		return infer.CreateResponse[FunctionState]{ID: urn, Output: state}, infer.ResourceInitFailedError{
			Reasons: []string{fmt.Sprintf("function %s was created but not fully configured: %v", urn, err)},
		}
	}
	return infer.CreateResponse[FunctionState]{ID: urn, Output: state}, nil
}

func (f *Function) finishCreate(ctx context.Context, client *fgs.Client, urn string, args FunctionArgs, created *fgs.Function) (*fgs.Function, error) {
	live := created
	if needsConfigAfterCreate(args) {
		updated, err := client.Functions.UpdateConfig(ctx, urn, configRequest(live, nil, args))
		if err != nil {
			return live, fmt.Errorf("applying the configuration: %w", err)
		}
		live = updated
	}
	if args.MaxInstances != nil {
		if n, ok := live.MaxInstances(); !ok || n != *args.MaxInstances {
			updated, err := client.Functions.UpdateMaxInstances(ctx, urn, *args.MaxInstances)
			if err != nil {
				return live, fmt.Errorf("setting max instances: %w", err)
			}
			live = updated
		}
	}
	if err := createSettings(ctx, client, urn, args); err != nil {
		return live, err
	}
	if len(args.Tags) > 0 {
		if err := client.Tags.Create(ctx, urn, toTags(args.Tags)); err != nil {
			return live, fmt.Errorf("tagging: %w", err)
		}
	}
	return live, nil
}

var _ = (infer.CustomRead[FunctionArgs, FunctionState])((*Function)(nil))

// Read refreshes every input the user set from the live function, detects code drift through the service's
// digest, and, on import (no prior state), rebuilds the inputs a program needs to declare it.
func (f *Function) Read(ctx context.Context, req infer.ReadRequest[FunctionArgs, FunctionState]) (infer.ReadResponse[FunctionArgs, FunctionState], error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, err
	}
	live, err := client.Functions.GetConfig(ctx, req.ID)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, fmt.Errorf("reading function %s: %w", req.ID, err)
	}
	importing := req.State.FunctionURN == ""
	olds := req.State.FunctionArgs
	if importing {
		olds = req.Inputs
	}
	settings, err := readSettings(ctx, client, fgs.UnqualifiedURN(live.FuncURN), olds, live, importing)
	if err != nil {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, fmt.Errorf("reading function %s: %w", req.ID, err)
	}
	inputs, warnings := readInputsWith(olds, live, settings, importing)
	for _, w := range warnings {
		p.GetLogger(ctx).Warning(fmt.Sprintf("function %s: %s", req.ID, w))
	}
	if olds.Tags != nil || importing {
		tags, err := client.Tags.ForFunction(ctx, fgs.UnqualifiedURN(live.FuncURN))
		if err != nil {
			return infer.ReadResponse[FunctionArgs, FunctionState]{}, fmt.Errorf("reading the tags of %s: %w", req.ID, err)
		}
		inputs.Tags = fromTags(tags)
		if importing && len(inputs.Tags) == 0 {
			inputs.Tags = nil
		}
	}
	state := req.State
	state.FunctionArgs = inputs
	state.FunctionURN = fgs.UnqualifiedURN(live.FuncURN)
	if !importing && req.State.Digest != "" && live.Digest != req.State.Digest {
		// The stored package changed behind Pulumi's back: forget the code so that refresh shows the change and
		// the next update uploads it again. sourceCodeHash, what Pulumi last sent, stays: it marks the drift.
		state.Code, inputs.Code = nil, nil
	}
	state.setOutputs(live)
	return infer.ReadResponse[FunctionArgs, FunctionState]{ID: state.FunctionURN, Inputs: inputs, State: state}, nil
}

var _ = (infer.CustomUpdate[FunctionArgs, FunctionState])((*Function)(nil))

// Update uploads code only when the package changed, rewrites the configuration from the live one plus the
// user's changes, then sets max instances and the tag delta. The state it returns holds the old inputs
// until each step succeeds, so that a failure after a first write records what was applied (infer keeps
// the state of a ResourceInitFailedError) and the next update applies the rest.
func (f *Function) Update(ctx context.Context, req infer.UpdateRequest[FunctionArgs, FunctionState]) (infer.UpdateResponse[FunctionState], error) {
	olds, news := req.State.FunctionArgs, req.Inputs
	if req.DryRun {
		state := req.State
		state.FunctionArgs = news
		return infer.UpdateResponse[FunctionState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.UpdateResponse[FunctionState]{}, err
	}
	u := &functionUpdate{client: client, urn: req.ID, state: req.State, olds: olds, news: news}
	if err := u.apply(ctx); err != nil {
		err = fmt.Errorf("%w of function %s", err, u.urn)
		if !u.wrote {
			return infer.UpdateResponse[FunctionState]{}, err
		}
		return infer.UpdateResponse[FunctionState]{Output: u.state}, infer.ResourceInitFailedError{Reasons: []string{
			fmt.Sprintf("function %s was partly updated; the state records what was applied and the next update applies the rest: %v", u.urn, err)}}
	}
	u.state.FunctionArgs = news
	return infer.UpdateResponse[FunctionState]{Output: u.state}, nil
}

// functionUpdate is one Update in progress: state holds what the service has been told so far.
type functionUpdate struct {
	client     *fgs.Client
	urn        string
	state      FunctionState
	olds, news FunctionArgs
	wrote      bool // a write succeeded: a later failure is a partial update
}

func (u *functionUpdate) apply(ctx context.Context) error {
	olds, news := u.olds, u.news
	if codeChanged(u.state, news) || deref(olds.CodeFilename) != deref(news.CodeFilename) || deref(olds.CodeURL) != deref(news.CodeURL) ||
		deref(olds.CodeURLHash) != deref(news.CodeURLHash) || !equalStrings(olds.DependencyVersions, news.DependencyVersions) {
		if err := u.updateCode(ctx); err != nil {
			return err
		}
	}
	var live *fgs.Function
	if configChanged(olds, news) {
		current, err := u.client.Functions.GetConfig(ctx, u.urn)
		if err != nil {
			return fmt.Errorf("reading the configuration: %w", err)
		}
		if live, err = u.client.Functions.UpdateConfig(ctx, u.urn, configRequest(current, &olds, news)); err != nil {
			return fmt.Errorf("updating the configuration: %w", err)
		}
		u.applied(func(f functionInput) bool { return f.config })
	}
	if news.MaxInstances != nil && (olds.MaxInstances == nil || *olds.MaxInstances != *news.MaxInstances) {
		updated, err := u.client.Functions.UpdateMaxInstances(ctx, u.urn, *news.MaxInstances)
		if err != nil {
			return fmt.Errorf("setting max instances: %w", err)
		}
		live = updated
		u.applied(func(f functionInput) bool { return f.key == "maxInstances" })
	}
	if live != nil {
		u.state.setOutputs(live)
	}
	if err := u.updateSettings(ctx); err != nil {
		return err
	}
	return u.updateTags(ctx)
}

func (u *functionUpdate) updateCode(ctx context.Context) error {
	body, pkg, err := codeRequest(u.news)
	if err != nil {
		return err
	}
	if body == nil {
		// No code declared: Pulumi leaves the package alone, and the dependency list travels only with one.
		if u.news.CustomImage == nil && !equalStrings(u.olds.DependencyVersions, u.news.DependencyVersions) {
			return errors.New("updating dependencyVersions: FunctionGraph takes them only with the code, and this function " +
				"declares none (Pulumi leaves its code alone); set code or codeUrl to change them")
		}
		return nil
	}
	if len(u.news.DependencyVersions) == 0 && len(u.olds.DependencyVersions) > 0 {
		body.DependVersionList = []string{} // sent as []: a missing list keeps the dependencies (OTC #3425)
	}
	defer pkg.Close()
	code, err := u.client.Functions.UpdateCode(ctx, u.urn, body)
	if err != nil {
		return fmt.Errorf("updating the code: %w", err)
	}
	u.state.Digest, u.state.CodeSize, u.state.LastModified = code.Digest, code.CodeSize.Int(), code.LastModified.String()
	u.state.SourceCodeHash = ""
	if pkg != nil {
		u.state.SourceCodeHash = pkg.SHA256
	}
	u.applied(func(f functionInput) bool {
		return oneOf(f.key, "code", "codeUrl", "codeUrlHash", "codeFilename", "dependencyVersions")
	})
	return nil
}

func (u *functionUpdate) updateTags(ctx context.Context) error {
	removed, changed := tagDelta(u.olds.Tags, u.news.Tags)
	if len(removed) > 0 {
		if err := u.client.Tags.Delete(ctx, u.urn, removed); err != nil {
			return fmt.Errorf("removing tags: %w", err)
		}
		u.wrote = true
	}
	if len(changed) > 0 {
		if err := u.client.Tags.Create(ctx, u.urn, changed); err != nil {
			return fmt.Errorf("setting tags: %w", err)
		}
	}
	u.applied(func(f functionInput) bool { return f.key == "tags" })
	return nil
}

// applied records in the state the new value of every input the selected rows hold.
func (u *functionUpdate) applied(which func(functionInput) bool) {
	u.wrote = true
	for _, f := range functionInputs {
		if which(f) {
			fieldByName(reflect.ValueOf(&u.state.FunctionArgs).Elem(), f.key).Set(fieldByName(reflect.ValueOf(&u.news).Elem(), f.key))
		}
	}
}

var _ = (infer.CustomDelete[FunctionState])((*Function)(nil))

// Delete removes the function with its versions, aliases and triggers; a function already gone is deleted.
func (f *Function) Delete(ctx context.Context, req infer.DeleteRequest[FunctionState]) (infer.DeleteResponse, error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Functions.Delete(ctx, fgs.UnqualifiedURN(req.ID))
	if err != nil && !errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting function %s: %w", req.ID, err)
	}
	return infer.DeleteResponse{}, nil
}
