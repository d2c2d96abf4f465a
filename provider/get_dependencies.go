package provider

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// getDependencies and getDependencyVersions: dependency packages, public and private, and their versions, so
// that a program can put a public dependency's version ID into a Function's `dependencyVersions` by name.

//go:embed get_dependencies.md
var getDependenciesDoc string

//go:embed get_dependency_versions.md
var getDependencyVersionsDoc string

// GetDependencies lists the dependency packages.
type GetDependencies struct{}

// GetDependenciesArgs are the filters of getDependencies.
type GetDependenciesArgs struct {
	Name    *string `pulumi:"name,optional"`
	Runtime *string `pulumi:"runtime,optional"`
	Owner   *string `pulumi:"owner,optional"`
}

// GetDependenciesResult is the answer of getDependencies.
type GetDependenciesResult struct {
	Dependencies []DependencySummary `pulumi:"dependencies"`
}

// DependencySummary is one dependency version: in getDependencies the latest of its dependency.
type DependencySummary struct {
	DependencyID string `pulumi:"dependencyId"`
	VersionID    string `pulumi:"versionId"`
	Version      int    `pulumi:"version"`
	Name         string `pulumi:"name"`
	Runtime      string `pulumi:"runtime"`
	Owner        string `pulumi:"owner"`
	Description  string `pulumi:"description"`
	Link         string `pulumi:"link"`
	Etag         string `pulumi:"etag"`
	Size         int    `pulumi:"size"`
	FileName     string `pulumi:"fileName"`
	LastModified string `pulumi:"lastModified"`
}

var _ = (infer.Annotated)((*GetDependencies)(nil))

// Annotate describes getDependencies.
func (f *GetDependencies) Annotate(a infer.Annotator) {
	a.Describe(f, getDependenciesDoc)
	a.SetToken("index", "getDependencies")
}

// Annotate describes the filters of getDependencies.
func (a *GetDependenciesArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "Only dependencies whose name contains this text.")
	an.Describe(&a.Runtime, "Only dependencies for this runtime, for example `Python3.9`.")
	an.Describe(&a.Owner, "`public` (the service's own packages), `private` (the project's) or `all` (the default).")
}

// Annotate describes the answer of getDependencies.
func (r *GetDependenciesResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Dependencies, "The dependencies that match, each with its latest version, every page of the service's list.")
}

// Annotate describes one dependency version.
func (s *DependencySummary) Annotate(an infer.Annotator) {
	an.Describe(&s.DependencyID, "The dependency's ID (the same for all its versions).")
	an.Describe(&s.VersionID, "The version's ID: what a Function's `dependencyVersions` takes.")
	an.Describe(&s.Version, "The version number.")
	an.Describe(&s.Name, "The dependency's name.")
	an.Describe(&s.Runtime, "The runtime the dependency is for.")
	an.Describe(&s.Owner, "`public` for the service's own packages, otherwise the owning account's domain ID.")
	an.Describe(&s.Description, "The description.")
	an.Describe(&s.Link, "Where the package is stored (an OBS URL).")
	an.Describe(&s.Etag, "The MD5 digest of the package.")
	an.Describe(&s.Size, "The package's size in bytes.")
	an.Describe(&s.FileName, "The package's file name.")
	an.Describe(&s.LastModified, "When the version was created, as the service reports it.")
}

var _ = (infer.Fn[GetDependenciesArgs, GetDependenciesResult])((*GetDependencies)(nil))

// Invoke lists the matching dependencies, then reads the latest version of each for its ID (the list
// carries the dependency's ID and the latest version's number only).
func (*GetDependencies) Invoke(ctx context.Context, req infer.FunctionRequest[GetDependenciesArgs]) (infer.FunctionResponse[GetDependenciesResult], error) {
	in := req.Input
	return lookup(ctx, "getDependencies", func(client *fgs.Client) (GetDependenciesResult, error) {
		owner := orDefault(deref(in.Owner), "all")
		if owner != "public" && owner != "private" && owner != "all" {
			return GetDependenciesResult{}, fmt.Errorf("owner: %q is not one of public, private, all", owner)
		}
		ds, err := client.Dependencies.List(ctx, &fgs.ListDependenciesOptions{DependencyType: owner, Runtime: deref(in.Runtime), Name: deref(in.Name)})
		if err != nil {
			return GetDependenciesResult{}, err
		}
		out := make([]DependencySummary, 0, len(ds))
		for i := range ds {
			depID := orDefault(ds[i].DepID, ds[i].ID)
			latest, err := client.Dependencies.GetVersion(ctx, depID, int64(ds[i].Version))
			if err != nil {
				return GetDependenciesResult{}, fmt.Errorf("reading version %d of dependency %s (%s): %w", ds[i].Version, ds[i].Name, depID, err)
			}
			out = append(out, dependencySummary(depID, latest))
		}
		return GetDependenciesResult{Dependencies: out}, nil
	})
}

// GetDependencyVersions lists the versions of one dependency.
type GetDependencyVersions struct{}

// GetDependencyVersionsArgs are the inputs of getDependencyVersions.
type GetDependencyVersionsArgs struct {
	DependencyID string `pulumi:"dependencyId"`
}

// GetDependencyVersionsResult is the answer of getDependencyVersions.
type GetDependencyVersionsResult struct {
	Versions []DependencySummary `pulumi:"versions"`
}

var _ = (infer.Annotated)((*GetDependencyVersions)(nil))

// Annotate describes getDependencyVersions.
func (f *GetDependencyVersions) Annotate(a infer.Annotator) {
	a.Describe(f, getDependencyVersionsDoc)
	a.SetToken("index", "getDependencyVersions")
}

// Annotate describes the inputs of getDependencyVersions.
func (a *GetDependencyVersionsArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.DependencyID, "The dependency's ID (a `dependencyId` of getDependencies).")
}

// Annotate describes the answer of getDependencyVersions.
func (r *GetDependencyVersionsResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Versions, "The dependency's versions, every page of the service's list.")
}

var _ = (infer.Fn[GetDependencyVersionsArgs, GetDependencyVersionsResult])((*GetDependencyVersions)(nil))

// Invoke lists the versions, following the pages to the end.
func (*GetDependencyVersions) Invoke(ctx context.Context, req infer.FunctionRequest[GetDependencyVersionsArgs]) (infer.FunctionResponse[GetDependencyVersionsResult], error) {
	id := req.Input.DependencyID
	return lookup(ctx, "getDependencyVersions", func(client *fgs.Client) (GetDependencyVersionsResult, error) {
		if id == "" {
			return GetDependencyVersionsResult{}, fmt.Errorf("dependencyId is required")
		}
		vs, err := client.Dependencies.ListVersions(ctx, id)
		if err != nil {
			return GetDependencyVersionsResult{}, fmt.Errorf("dependency %s: %w", id, err)
		}
		return GetDependencyVersionsResult{Versions: mapItems(vs, func(v *fgs.Dependency) DependencySummary { return dependencySummary(id, v) })}, nil
	})
}

// dependencySummary maps a dependency version answer, whose `id` is the version's ID.
func dependencySummary(depID string, v *fgs.Dependency) DependencySummary {
	return DependencySummary{
		DependencyID: depID, VersionID: v.ID, Version: v.Version.Int(), Name: v.Name, Runtime: v.Runtime, Owner: v.Owner,
		Description: v.Description, Link: v.Link, Etag: v.Etag, Size: v.Size.Int(), FileName: v.FileName, LastModified: v.LastModified.String(),
	}
}
