package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

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

// Annotate describes the FunctionVersion resource.
func (v *FunctionVersion) Annotate(a infer.Annotator) {
	a.Describe(v, "A published, immutable version of a function: a snapshot of its code and configuration that aliases and "+
		"triggers can point to.\n\n"+
		"Every input replaces the version. Pass the Function's `digest` output as `digest` so that a code change publishes "+
		"a new version. FunctionGraph refuses to publish a function that has not changed since its last published version "+
		"(FSS.1016). A version cannot be deleted while an alias routes traffic to it: an Alias that takes the version from "+
		"this resource's `version` output is deleted (or moved) first.\n\n"+versionExamples+
		"\n\n## Import\n\nImport by `<functionUrn>:<version>`:\n\n"+
		"```sh\n$ pulumi import fgs:index:FunctionVersion v1 urn:fss:eu-de:<project_id>:function:default:hello:v1\n```\n")
	a.SetToken("index", "FunctionVersion")
}

// Annotate describes the FunctionVersion's inputs.
func (a *FunctionVersionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The unqualified URN of the function to publish. Changing it publishes a new version.")
	an.Describe(&a.Name, "The version's name: up to 42 letters, digits, `.`, `_` and `-`, starting with a letter or digit (not `latest`). "+
		"Defaults to a name the service generates, `vYYYYMMDD-HHMMSS`. Changing it publishes a new version. "+
		"Leave it unset when you pass `digest`: a code change then publishes a new version, moves the aliases that take it "+
		"from `version`, and deletes the old one; with a fixed name the old version must be deleted first, which the service "+
		"refuses while an alias routes to it.")
	an.Describe(&a.Description, "A description of the version, at most 512 characters. Changing it publishes a new version.")
	an.Describe(&a.Digest, "The digest of the code to publish: pass the Function's `digest` output, so that a code change publishes "+
		"a new version and the service refuses to publish code other than the one expected. Changing it publishes a new version.")
}

// Annotate describes the FunctionVersion's outputs.
func (s *FunctionVersionState) Annotate(a infer.Annotator) {
	a.Describe(&s.FunctionURN, "The unqualified URN of the function.")
	a.Describe(&s.Name, "The version's name, as given.")
	a.Describe(&s.Version, "The version's name, as given in `name` or as the service generated it.")
	a.Describe(&s.Description, "The version's description.")
	a.Describe(&s.Digest, "The SHA-512 digest of the version's code package.")
	a.Describe(&s.InputDigest, "The `digest` input the version was published with.")
	a.Describe(&s.QualifiedURN, "The version's URN, `<functionUrn>:<version>`: the `functionUrn` of a Trigger bound to this version.")
	a.Describe(&s.CodeSize, "The size of the version's code package in bytes.")
	a.Describe(&s.LastModified, "When the version was published, as the service reports it.")
}

const versionExamples = `## Example Usage

{{% examples %}}
{{% example %}}
### Publish a version whenever the code changes

` + "```typescript\n" + `import * as fgs from "@fgs-iac/fgs";

const v = new fgs.FunctionVersion("release", {
    functionUrn: hello.functionUrn,
    digest: hello.digest,
    description: "published by Pulumi",
});
export const qualifiedUrn = v.qualifiedUrn;
` + "```\n```python\n" + `import pulumi
import pulumi_fgs as fgs

v = fgs.FunctionVersion("release",
    function_urn=hello.function_urn,
    digest=hello.digest,
    description="published by Pulumi")
pulumi.export("qualifiedUrn", v.qualified_urn)
` + "```\n```go\n" + `v, err := fgs.NewFunctionVersion(ctx, "release", &fgs.FunctionVersionArgs{
	FunctionUrn: hello.FunctionUrn,
	Digest:      hello.Digest,
	Description: pulumi.String("published by Pulumi"),
})
if err != nil {
	return err
}
ctx.Export("qualifiedUrn", v.QualifiedUrn)
` + "```\n```yaml\n" + `resources:
  release:
    type: fgs:index:FunctionVersion
    properties:
      functionUrn: ${hello.functionUrn}
      digest: ${hello.digest}
      description: published by Pulumi
outputs:
  qualifiedUrn: ${release.qualifiedUrn}
` + "```\n" + `{{% /example %}}
{{% /examples %}}`

var versionNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,41}$`)

// Check rejects a bad version name, description or URN before anything is sent.
func (v *FunctionVersion) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[FunctionVersionArgs], error) {
	args, failures, err := infer.DefaultCheck[FunctionVersionArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[FunctionVersionArgs]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	if c.known("functionUrn") {
		checkUnqualifiedURN(c, "functionUrn", args.FunctionURN)
	}
	if args.Name != nil && c.known("name") {
		switch {
		case strings.EqualFold(*args.Name, "latest"):
			c.fail("name", "`latest` is the function's head, not a version that can be published; choose another name")
		default:
			c.match("name", *args.Name, versionNameRe, "use 1 to 42 letters, digits, `.`, `_` and `-`, starting with a letter or digit")
		}
	}
	if c.known("description") {
		c.maxLen("description", args.Description, maxDescription)
	}
	return infer.CheckResponse[FunctionVersionArgs]{Inputs: args, Failures: c.failures}, nil
}

// checkUnqualifiedURN fails when s is not a 7-field function URN.
func checkUnqualifiedURN(c *checker, path, s string) {
	u, err := fgs.ParseURN(s)
	switch {
	case err != nil:
		c.fail(path, "%q is not a function URN: use urn:fss:<region>:<project_id>:function:<app>:<name> (the Function's `functionUrn`)", s)
	case u.Qualifier != "":
		c.fail(path, "%q is qualified with %q: use the function's unqualified URN, urn:fss:<region>:<project_id>:function:<app>:<name>", s, u.Qualifier)
	}
}

// Diff: every input replaces. A fixed version name is deleted before its replacement is published, as the
// service refuses a second version of the same name.
func (v *FunctionVersion) Diff(ctx context.Context, req infer.DiffRequest[FunctionVersionArgs, FunctionVersionState]) (infer.DiffResponse, error) {
	olds := FunctionVersionArgs{FunctionURN: req.State.FunctionURN, Name: req.State.Name, Description: req.State.Description, Digest: req.State.InputDigest}
	diff := diffInputs(olds, req.Inputs, []string{"functionUrn", "name", "description", "digest"}, nil)
	resp := infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}
	if resp.HasChanges && req.Inputs.Name != nil && *req.Inputs.Name == req.State.Version {
		resp.DeleteBeforeReplace = true
	}
	return resp, nil
}

func (s *FunctionVersionState) setOutputs(urn string, live *fgs.Function) {
	s.FunctionURN = urn
	if live.Version != "" {
		s.Version = live.Version
	}
	s.QualifiedURN = urn + ":" + s.Version
	s.Digest = live.Digest
	s.CodeSize = live.CodeSize.Int()
	s.LastModified = live.LastModified.String()
}

// Create publishes the version. The service refuses to publish an unchanged function (FSS.1016): the error
// says what to change.
func (v *FunctionVersion) Create(ctx context.Context, req infer.CreateRequest[FunctionVersionArgs]) (infer.CreateResponse[FunctionVersionState], error) {
	args := req.Inputs
	state := FunctionVersionState{FunctionURN: args.FunctionURN, Name: args.Name, Version: deref(args.Name), Description: args.Description, InputDigest: args.Digest}
	if req.DryRun {
		return infer.CreateResponse[FunctionVersionState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[FunctionVersionState]{}, err
	}
	live, err := client.Versions.Publish(ctx, args.FunctionURN, &fgs.PublishVersionRequest{
		Version: deref(args.Name), Description: deref(args.Description), Digest: deref(args.Digest),
	})
	if err != nil {
		return infer.CreateResponse[FunctionVersionState]{}, publishError(args, err)
	}
	state.setOutputs(args.FunctionURN, live)
	if state.Version == "" || state.Version == "latest" {
		// The answer named the head rather than the new version (as the reference's example does): find it.
		return infer.CreateResponse[FunctionVersionState]{}, fmt.Errorf("publishing a version of %s: the service did not say which version it published", args.FunctionURN)
	}
	return infer.CreateResponse[FunctionVersionState]{ID: state.QualifiedURN, Output: state}, nil
}

func publishError(args FunctionVersionArgs, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "FSS.1016":
			return fmt.Errorf("publishing a version of %s: FunctionGraph refuses to publish a function that has not changed since "+
				"its last published version (FSS.1016). Change the function's code or configuration first; to publish on code "+
				"changes only, pass the Function's `digest` output as this version's `digest`; or use the existing version "+
				"instead of a new FunctionVersion: %w", args.FunctionURN, err)
		case "FSS.1062":
			if args.Name == nil {
				return fmt.Errorf("publishing a version of %s: the name the service generated (from the time, to the second) "+
					"is taken (FSS.1062); run the update again: %w", args.FunctionURN, err)
			}
			return fmt.Errorf("publishing version %s of %s: a version of that name already exists (FSS.1062); choose another "+
				"`name`, import the existing one, or leave `name` unset to let the service name it: %w", *args.Name, args.FunctionURN, err)
		}
		if args.Digest != nil && ae.Status == 400 {
			return fmt.Errorf("publishing a version of %s: FunctionGraph refused it; if the function's code no longer has the "+
				"digest given as `digest`, pass the Function's current `digest` output: %w", args.FunctionURN, err)
		}
	}
	return fmt.Errorf("publishing a version of %s: %w", args.FunctionURN, err)
}

// parseVersionID splits `{functionUrn}:{version}`.
func parseVersionID(id string) (urn, version string, err error) {
	u, perr := fgs.ParseURN(id)
	if perr != nil || u.Qualifier == "" || u.Alias {
		return "", "", fmt.Errorf("%q is not a function version ID: use <functionUrn>:<version>", id)
	}
	return u.Unqualified(), u.Qualifier, nil
}

// Read finds the version in the function's version list; a version gone is an empty ID.
func (v *FunctionVersion) Read(ctx context.Context, req infer.ReadRequest[FunctionVersionArgs, FunctionVersionState]) (infer.ReadResponse[FunctionVersionArgs, FunctionVersionState], error) {
	urn, version, err := parseVersionID(req.ID)
	if err != nil {
		return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{}, err
	}
	client, err := clientFrom(ctx)
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
	importing := req.State.QualifiedURN == ""
	state := req.State
	state.Version = version
	state.setOutputs(urn, live)
	inputs := req.Inputs
	if importing {
		inputs = FunctionVersionArgs{}
	}
	inputs.FunctionURN = urn
	if importing && !autoVersionName.MatchString(version) {
		// A name the service generated was not chosen by a program: recording it would make the program,
		// which leaves `name` unset, replace the version it just imported.
		name := version
		state.Name = &name
	}
	inputs.Name = state.Name
	if importing {
		// Versions are immutable: only an import takes the description from the service.
		state.Description = nil
		if desc := live.VersionDescription; desc != "" {
			state.Description = &desc
		}
		// The digest a program passes (the function's) matches the one the version was published from.
		state.InputDigest = nil
		if live.Digest != "" {
			d := live.Digest
			state.InputDigest = &d
		}
	}
	inputs.Description = state.Description
	inputs.Digest = state.InputDigest
	return infer.ReadResponse[FunctionVersionArgs, FunctionVersionState]{ID: state.QualifiedURN, Inputs: inputs, State: state}, nil
}

// autoVersionName is the form of the names the service gives versions published without one.
var autoVersionName = regexp.MustCompile(`^v\d{8}-\d{6}$`)

// Delete removes the version (DELETE .../functions/{urn}:{version}). A version still routed to by an alias
// cannot be deleted: the error says so.
func (v *FunctionVersion) Delete(ctx context.Context, req infer.DeleteRequest[FunctionVersionState]) (infer.DeleteResponse, error) {
	urn, version, err := parseVersionID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Functions.Delete(ctx, urn+":"+version)
	if err == nil || errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, nil
	}
	var ae *fgs.APIError
	if errors.As(err, &ae) && (ae.Code == "FSS.1094" || ae.Status == 403 || ae.Status == 409) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting version %s of %s: an alias still routes to it, as its version or in "+
			"`additionalVersionWeights`. Point the alias at another version (or delete it) first; when the Alias takes its "+
			"versions from this resource's `version` output, Pulumi does that in the right order. If this version is being "+
			"replaced under the same fixed `name` (for a new `digest`), give the new version another name or leave `name` unset: %w", version, urn, err)
	}
	return infer.DeleteResponse{}, fmt.Errorf("deleting version %s of %s: %w", version, urn, err)
}
