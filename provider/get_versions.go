package provider

import (
	"context"
	_ "embed"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// getFunctionVersions and getFunctionAliases: what a function has published, and the names pointing at it.

//go:embed get_function_versions.md
var getFunctionVersionsDoc string

//go:embed get_function_aliases.md
var getFunctionAliasesDoc string

// FunctionURNArgs are the inputs of the functions that take one function.
type FunctionURNArgs struct {
	FunctionURN string `pulumi:"functionUrn"`
}

// Annotate describes the input.
func (a *FunctionURNArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The URN of the function (a Function's `functionUrn`); a qualifier (`:v1`, `:!live`) is ignored.")
}

// GetFunctionVersions lists the versions of a function.
type GetFunctionVersions struct{}

// GetFunctionVersionsResult is the answer of getFunctionVersions.
type GetFunctionVersionsResult struct {
	Versions []FunctionVersionSummary `pulumi:"versions"`
}

// FunctionVersionSummary is one version in the answer of getFunctionVersions.
type FunctionVersionSummary struct {
	Version      string `pulumi:"version"`
	QualifiedURN string `pulumi:"qualifiedUrn"`
	Description  string `pulumi:"description"`
	Digest       string `pulumi:"digest"`
	CodeSize     int    `pulumi:"codeSize"`
	Runtime      string `pulumi:"runtime"`
	LastModified string `pulumi:"lastModified"`
}

var _ = (infer.Annotated)((*GetFunctionVersions)(nil))

// Annotate describes getFunctionVersions.
func (f *GetFunctionVersions) Annotate(a infer.Annotator) {
	a.Describe(f, getFunctionVersionsDoc)
	a.SetToken("index", "getFunctionVersions")
}

// Annotate describes the answer of getFunctionVersions.
func (r *GetFunctionVersionsResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Versions, "The versions, `latest` included, every page of the service's list.")
}

// Annotate describes one version of the list.
func (s *FunctionVersionSummary) Annotate(an infer.Annotator) {
	an.Describe(&s.Version, "The version's name, as a FunctionVersion's `version` (`latest` for the function's head).")
	an.Describe(&s.QualifiedURN, "`<functionUrn>:<version>`: the `functionUrn` of a Trigger bound to the version.")
	an.Describe(&s.Description, "The version's description.")
	an.Describe(&s.Digest, "The SHA-512 digest of the version's code package.")
	an.Describe(&s.CodeSize, "The size of the code package in bytes.")
	an.Describe(&s.Runtime, "The runtime of the version.")
	an.Describe(&s.LastModified, "When the version was published (or, for `latest`, last changed).")
}

var _ = (infer.Fn[FunctionURNArgs, GetFunctionVersionsResult])((*GetFunctionVersions)(nil))

// Invoke lists the versions, following the pages to the end.
func (*GetFunctionVersions) Invoke(ctx context.Context, req infer.FunctionRequest[FunctionURNArgs]) (infer.FunctionResponse[GetFunctionVersionsResult], error) {
	return lookup(ctx, "getFunctionVersions", func(client *fgs.Client) (GetFunctionVersionsResult, error) {
		if err := requireURN("functionUrn", req.Input.FunctionURN); err != nil {
			return GetFunctionVersionsResult{}, err
		}
		urn := fgs.UnqualifiedURN(req.Input.FunctionURN)
		vs, err := client.Versions.List(ctx, urn, nil)
		if err != nil {
			return GetFunctionVersionsResult{}, err
		}
		return GetFunctionVersionsResult{Versions: mapItems(vs, func(v *fgs.Function) FunctionVersionSummary {
			version := orDefault(v.Version, "latest")
			return FunctionVersionSummary{
				Version: version, QualifiedURN: urn + ":" + version, Description: orDefault(v.VersionDescription, v.Description),
				Digest: v.Digest, CodeSize: v.CodeSize.Int(), Runtime: v.Runtime, LastModified: v.LastModified.String(),
			}
		})}, nil
	})
}

// GetFunctionAliases lists the aliases of a function.
type GetFunctionAliases struct{}

// GetFunctionAliasesResult is the answer of getFunctionAliases.
type GetFunctionAliasesResult struct {
	Aliases []FunctionAliasSummary `pulumi:"aliases"`
}

// FunctionAliasSummary is one alias in the answer of getFunctionAliases, named as the Alias resource names it.
type FunctionAliasSummary struct {
	Name                     string         `pulumi:"name"`
	FunctionVersion          string         `pulumi:"functionVersion"`
	Description              string         `pulumi:"description"`
	AdditionalVersionWeights map[string]int `pulumi:"additionalVersionWeights"`
	AliasURN                 string         `pulumi:"aliasUrn"`
	LastModified             string         `pulumi:"lastModified"`
}

var _ = (infer.Annotated)((*GetFunctionAliases)(nil))

// Annotate describes getFunctionAliases.
func (f *GetFunctionAliases) Annotate(a infer.Annotator) {
	a.Describe(f, getFunctionAliasesDoc)
	a.SetToken("index", "getFunctionAliases")
}

// Annotate describes the answer of getFunctionAliases.
func (r *GetFunctionAliasesResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Aliases, "The aliases.")
}

// Annotate describes one alias of the list.
func (s *FunctionAliasSummary) Annotate(an infer.Annotator) {
	an.Describe(&s.Name, "The alias's name.")
	an.Describe(&s.FunctionVersion, "The version the alias points to.")
	an.Describe(&s.Description, "The alias's description.")
	an.Describe(&s.AdditionalVersionWeights, "Other versions receiving part of the traffic, with their share in percent (empty when none).")
	an.Describe(&s.AliasURN, "The alias's URN, `<functionUrn>:!<name>`: the `functionUrn` of a Trigger bound to the alias.")
	an.Describe(&s.LastModified, "When the alias was last changed.")
}

var _ = (infer.Fn[FunctionURNArgs, GetFunctionAliasesResult])((*GetFunctionAliases)(nil))

// Invoke lists the aliases (the service answers them in one list, without pages).
func (*GetFunctionAliases) Invoke(ctx context.Context, req infer.FunctionRequest[FunctionURNArgs]) (infer.FunctionResponse[GetFunctionAliasesResult], error) {
	return lookup(ctx, "getFunctionAliases", func(client *fgs.Client) (GetFunctionAliasesResult, error) {
		if err := requireURN("functionUrn", req.Input.FunctionURN); err != nil {
			return GetFunctionAliasesResult{}, err
		}
		as, err := client.Aliases.List(ctx, fgs.UnqualifiedURN(req.Input.FunctionURN))
		if err != nil {
			return GetFunctionAliasesResult{}, err
		}
		return GetFunctionAliasesResult{Aliases: mapItems(as, func(a *fgs.Alias) FunctionAliasSummary {
			weights := a.AdditionalVersionWeights
			if weights == nil {
				weights = map[string]int{}
			}
			return FunctionAliasSummary{
				Name: a.Name, FunctionVersion: a.Version, Description: a.Description, AdditionalVersionWeights: weights,
				AliasURN: a.AliasURN, LastModified: a.LastModified.String(),
			}
		})}, nil
	})
}
