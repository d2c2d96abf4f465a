package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Alias is a named pointer to a function version, optionally splitting traffic with other versions.
type Alias struct{}

// AliasArgs are the inputs of an Alias.
type AliasArgs struct {
	FunctionURN              string         `pulumi:"functionUrn"`
	Name                     string         `pulumi:"name"`
	FunctionVersion          string         `pulumi:"functionVersion"`
	Description              *string        `pulumi:"description,optional"`
	AdditionalVersionWeights map[string]int `pulumi:"additionalVersionWeights,optional"`
}

// The target version is `functionVersion`, not `version`: pulumi-go-provider's Diff drops an input named
// `version` (infer/resource.go: "We ignore version input from the engine"), so an input of that name could
// never be compared or updated.

// AliasState is what an Alias records.
type AliasState struct {
	AliasArgs
	AliasURN     string `pulumi:"aliasUrn"`
	LastModified string `pulumi:"lastModified"`
}

// Annotate describes the Alias resource.
func (a *Alias) Annotate(an infer.Annotator) {
	an.Describe(a, "An alias of a function: a stable name (`<functionUrn>:!<name>`) that points to a version, and can send a share "+
		"of its traffic to other versions (a canary or blue/green release).\n\n"+
		"Changing `functionUrn` or `name` replaces the alias; `functionVersion`, `description` and `additionalVersionWeights` are "+
		"updated in place, so shifting traffic never interrupts the alias. Take the versions from FunctionVersion outputs: "+
		"Pulumi then deletes or moves the alias before it deletes a version it routes to.\n\n"+aliasExamples+
		"\n\n## Import\n\nImport by `<functionUrn>/<name>` (or `<functionUrn>!<name>`):\n\n"+
		"```sh\n$ pulumi import fgs:index:Alias prod urn:fss:eu-de:<project_id>:function:default:hello/prod\n```\n")
	an.SetToken("index", "Alias")
}

// Annotate describes the Alias's inputs.
func (a *AliasArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The unqualified URN of the function. Changing it replaces the alias.")
	an.Describe(&a.Name, "The alias's name: up to 63 letters, digits, `_` and `-`, starting with a letter (not `latest`). "+
		"Changing it replaces the alias.")
	an.Describe(&a.FunctionVersion, "The version the alias points to (for example a FunctionVersion's `version` output, or `latest`). Updated in place.")
	an.Describe(&a.Description, "A description of the alias, at most 512 characters. Updated in place.")
	an.Describe(&a.AdditionalVersionWeights, "Other versions that receive part of the alias's traffic, with their share in percent: "+
		"each 0 to 100, together at most 100; the rest goes to `functionVersion`, which cannot be listed here. For example "+
		"`{\"v2\": 10}` sends 10% to v2. Updated in place.")
}

// Annotate describes the Alias's outputs.
func (s *AliasState) Annotate(an infer.Annotator) {
	an.Describe(&s.AliasURN, "The alias's URN: the `functionUrn` of a Trigger bound to the alias.")
	an.Describe(&s.LastModified, "When the alias was last changed, as the service reports it.")
}

const aliasExamples = `## Example Usage

{{% examples %}}
{{% example %}}
### A canary: 90% of the traffic to v1, 10% to v2

` + "```typescript\n" + `import * as fgs from "@fgs-iac/fgs";

const prod = new fgs.Alias("prod", {
    functionUrn: hello.functionUrn,
    name: "prod",
    functionVersion: v1.version,
    additionalVersionWeights: v2.version.apply(v => ({ [v]: 10 })),
});
export const aliasUrn = prod.aliasUrn;
` + "```\n```python\n" + `import pulumi
import pulumi_fgs as fgs

prod = fgs.Alias("prod",
    function_urn=hello.function_urn,
    name="prod",
    function_version=v1.version,
    additional_version_weights=v2.version.apply(lambda v: {v: 10}))
pulumi.export("aliasUrn", prod.alias_urn)
` + "```\n```go\n" + `prod, err := fgs.NewAlias(ctx, "prod", &fgs.AliasArgs{
	FunctionUrn:     hello.FunctionUrn,
	Name:            pulumi.String("prod"),
	FunctionVersion: v1.Version,
	AdditionalVersionWeights: v2.Version.ApplyT(func(v string) map[string]int {
		return map[string]int{v: 10}
	}).(pulumi.IntMapOutput),
})
if err != nil {
	return err
}
ctx.Export("aliasUrn", prod.AliasUrn)
` + "```\n```yaml\n" + `resources:
  prod:
    type: fgs:index:Alias
    properties:
      functionUrn: ${hello.functionUrn}
      name: prod
      functionVersion: ${v1.version}
      additionalVersionWeights:
        v2: 10
    options:
      dependsOn:
        - ${v2}
outputs:
  aliasUrn: ${prod.aliasUrn}
` + "```\n" + `{{% /example %}}
{{% /examples %}}`

var aliasNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,62}$`)

// Check rejects a bad name, version or weights before anything is sent.
func (a *Alias) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[AliasArgs], error) {
	args, failures, err := infer.DefaultCheck[AliasArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[AliasArgs]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	if c.known("functionUrn") {
		checkUnqualifiedURN(c, "functionUrn", args.FunctionURN)
	}
	if c.known("name") && args.Name == "latest" {
		c.fail("name", "`latest` is the function's head version, not an alias name")
	} else if c.known("name") {
		c.match("name", args.Name, aliasNameRe, "use 1 to 63 letters, digits, `_` and `-`, starting with a letter")
	}
	if c.known("functionVersion") && strings.TrimSpace(args.FunctionVersion) == "" {
		c.fail("functionVersion", "must not be empty: name a published version or `latest`")
	}
	if c.known("description") {
		c.maxLen("description", args.Description, maxDescription)
	}
	validateWeights(c, args)
	return infer.CheckResponse[AliasArgs]{Inputs: args, Failures: c.failures}, nil
}

// validateWeights: each weight 0-100, in all at most 100, never the primary version (FSS.1092 / FSS.1093).
func validateWeights(c *checker, args AliasArgs) {
	raw, ok := c.inputs.GetOk("additionalVersionWeights")
	if !ok || !raw.IsMap() {
		return
	}
	entries := raw.AsMap()
	versions := make([]string, 0, len(args.AdditionalVersionWeights))
	for v := range args.AdditionalVersionWeights {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	total, allKnown := 0, !raw.IsComputed()
	for _, v := range versions {
		w := args.AdditionalVersionWeights[v]
		path := "additionalVersionWeights." + v
		if e, ok := entries.GetOk(v); !ok || containsUnknowns(e) {
			allKnown = false
			continue
		}
		switch {
		case v == "":
			c.fail("additionalVersionWeights", "a version name must not be empty")
		case c.known("functionVersion") && v == args.FunctionVersion:
			c.fail(path, "%q is the alias's primary version: list only the other versions here; the primary gets the rest of the traffic", v)
		case w < 0 || w > 100:
			c.fail(path, "the weight of %q must be between 0 and 100 (percent), not %d", v, w)
			allKnown = false // the total is not worth a second complaint
		}
		total += w
	}
	if allKnown && total > 100 {
		c.fail("additionalVersionWeights", "the weights add up to %d%%: together they must be at most 100%%", total)
	}
}

// WireDependencies keeps `aliasUrn` known in the preview of an in-place update (it only changes with the
// function and the name), so that a weight shift does not make the triggers bound to the alias look replaced.
func (a *Alias) WireDependencies(f infer.FieldSelector, args *AliasArgs, state *AliasState) {
	f.OutputField(&state.AliasURN).DependsOn(f.InputField(&args.FunctionURN).Computed(), f.InputField(&args.Name).Computed())
	f.OutputField(&state.LastModified).DependsOn(f.InputField(args).Computed())
}

// Diff replaces the alias for a new function or name, and updates the rest in place.
func (a *Alias) Diff(ctx context.Context, req infer.DiffRequest[AliasArgs, AliasState]) (infer.DiffResponse, error) {
	diff := diffInputs(req.State.AliasArgs, req.Inputs, []string{"functionUrn", "name"}, nil)
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

func (s *AliasState) setOutputs(live *fgs.Alias) {
	s.AliasURN = live.AliasURN
	s.LastModified = live.LastModified.String()
}

func aliasID(urn, name string) string { return urn + "/" + name }

// parseAliasID accepts `{functionUrn}/{name}`, `{functionUrn}!{name}` and the alias URN `{functionUrn}:!{name}`.
func parseAliasID(id string) (urn, name string, err error) {
	if i := strings.LastIndex(id, "/"); i > 0 {
		urn, name = id[:i], id[i+1:]
	} else if i := strings.LastIndex(id, "!"); i > 0 {
		urn, name = strings.TrimSuffix(id[:i], ":"), id[i+1:]
	}
	u, perr := fgs.ParseURN(urn)
	if name == "" || perr != nil || u.Qualifier != "" {
		return "", "", fmt.Errorf("%q is not an alias ID: use <functionUrn>/<name> or <functionUrn>!<name>", id)
	}
	return urn, name, nil
}

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
	live, err := client.Aliases.Create(ctx, args.FunctionURN, &fgs.CreateAliasRequest{
		Name: args.Name, Version: args.FunctionVersion, Description: deref(args.Description), AdditionalVersionWeights: args.AdditionalVersionWeights,
	})
	if err != nil {
		return infer.CreateResponse[AliasState]{}, aliasError("creating", args, err)
	}
	state.setOutputs(live)
	return infer.CreateResponse[AliasState]{ID: aliasID(args.FunctionURN, args.Name), Output: state}, nil
}

func aliasError(verb string, args AliasArgs, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "FSS.1052":
			return fmt.Errorf("%s alias %s of %s: version %s (or one of additionalVersionWeights) does not exist; publish it first "+
				"(take it from a FunctionVersion's `version` output): %w", verb, args.Name, args.FunctionURN, args.FunctionVersion, err)
		case "FSS.1063":
			return fmt.Errorf("%s alias %s of %s: the alias already exists; import it with `pulumi import fgs:index:Alias <name> %s`: %w",
				verb, args.Name, args.FunctionURN, aliasID(args.FunctionURN, args.Name), err)
		}
	}
	return fmt.Errorf("%s alias %s of %s: %w", verb, args.Name, args.FunctionURN, err)
}

// Read refreshes the version, description and weights; an alias gone is an empty ID.
func (a *Alias) Read(ctx context.Context, req infer.ReadRequest[AliasArgs, AliasState]) (infer.ReadResponse[AliasArgs, AliasState], error) {
	urn, name, err := parseAliasID(req.ID)
	if err != nil {
		return infer.ReadResponse[AliasArgs, AliasState]{}, err
	}
	client, err := clientFrom(ctx)
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
	olds := req.State.AliasArgs
	inputs := AliasArgs{FunctionURN: urn, Name: name, FunctionVersion: live.Version}
	if live.Description != "" || olds.Description != nil {
		d := live.Description
		inputs.Description = &d
	}
	if len(live.AdditionalVersionWeights) > 0 {
		inputs.AdditionalVersionWeights = live.AdditionalVersionWeights
	} else if olds.AdditionalVersionWeights != nil {
		inputs.AdditionalVersionWeights = map[string]int{}
	}
	state := AliasState{AliasArgs: inputs}
	state.setOutputs(live)
	return infer.ReadResponse[AliasArgs, AliasState]{ID: aliasID(urn, name), Inputs: inputs, State: state}, nil
}

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
	weights := news.AdditionalVersionWeights
	if weights == nil {
		weights = map[string]int{} // sent as {}: removes the weights the alias had
	}
	desc := deref(news.Description)
	live, err := client.Aliases.Update(ctx, news.FunctionURN, news.Name, &fgs.UpdateAliasRequest{
		Version: news.FunctionVersion, Description: &desc, AdditionalVersionWeights: weights,
	})
	if err != nil {
		return infer.UpdateResponse[AliasState]{}, aliasError("updating", news, err)
	}
	state.setOutputs(live)
	return infer.UpdateResponse[AliasState]{Output: state}, nil
}

// Delete removes the alias; triggers bound to it must go first (FSS.1154), which Pulumi does when their
// `functionUrn` comes from this alias's `aliasUrn`.
func (a *Alias) Delete(ctx context.Context, req infer.DeleteRequest[AliasState]) (infer.DeleteResponse, error) {
	urn, name, err := parseAliasID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Aliases.Delete(ctx, urn, name)
	if err == nil || errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, nil
	}
	var ae *fgs.APIError
	if errors.As(err, &ae) && ae.Code == "FSS.1154" {
		return infer.DeleteResponse{}, fmt.Errorf("deleting alias %s of %s: triggers are still bound to it (FSS.1154); delete them first "+
			"(Pulumi does when a Trigger's `functionUrn` is this alias's `aliasUrn`): %w", name, urn, err)
	}
	return infer.DeleteResponse{}, fmt.Errorf("deleting alias %s of %s: %w", name, urn, err)
}
