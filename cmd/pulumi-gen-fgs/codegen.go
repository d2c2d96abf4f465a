package main

// The generator proper: it emits schema.json and the Go, TypeScript and Python SDKs from the provider, in process.
// `pulumi package gen-sdk` cannot be used on these machines: the language hosts that can be built here
// predate GeneratePackage (see docs/toolchain.md), so the generators are called directly.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"

	"github.com/blang/semver"
	pgo "github.com/pulumi/pulumi-go-provider"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/fgs-iac/pulumi-fgs/provider"
)

const tool = "pulumi-gen-fgs"

// SDKVersion is the version the checked-in SDKs carry, and so the plugin version they ask the engine for. It is
// the version `make build` gives the provider, so the SDKs in this repository work with the plugin built from it;
// a release regenerates them with its own version.
const SDKVersion = "0.1.0-dev"

// SDKDirs are the generated trees, relative to the repository root.
var SDKDirs = []string{"sdk/go/fgs", "sdk/nodejs", "sdk/python"}

// Schema returns the provider's schema, without a version (the plugin's version is set at release).
func Schema(ctx context.Context) (schema.PackageSpec, error) {
	prov, err := provider.New()
	if err != nil {
		return schema.PackageSpec{}, err
	}
	spec, err := pgo.GetSchema(ctx, provider.Name, "0.0.0", prov)
	if err != nil {
		return schema.PackageSpec{}, err
	}
	spec.Version = ""
	return spec, nil
}

// Generate returns every generated file, keyed by its path relative to the repository root.
func Generate(ctx context.Context) (map[string][]byte, error) {
	spec, err := Schema(ctx)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	raw, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, err
	}
	files["schema.json"] = append(raw, '\n')

	// Each generator mutates the bound package's language info, so each gets a fresh binding.
	generators := []struct {
		dir string
		gen func(*schema.Package) (map[string][]byte, error)
	}{
		{"sdk/go", func(pkg *schema.Package) (map[string][]byte, error) { return gogen.GeneratePackage(tool, pkg, nil) }},
		{"sdk/nodejs", func(pkg *schema.Package) (map[string][]byte, error) {
			return nodejs.GeneratePackage(tool, pkg, nil, nil, true, noLoader{})
		}},
		{"sdk/python", func(pkg *schema.Package) (map[string][]byte, error) {
			return python.GeneratePackage(tool, pkg, nil, noLoader{})
		}},
	}
	versioned := spec
	versioned.Version = SDKVersion
	for _, g := range generators {
		pkg, diags, err := schema.BindSpec(versioned, noLoader{}, schema.ValidationOptions{})
		if err != nil {
			return nil, fmt.Errorf("binding schema: %w", err)
		}
		if diags.HasErrors() {
			return nil, fmt.Errorf("binding schema: %s", diags.Error())
		}
		out, err := g.gen(pkg)
		if err != nil {
			return nil, fmt.Errorf("generating %s: %w", g.dir, err)
		}
		for name, content := range out {
			files[path.Join(g.dir, name)] = content
		}
	}
	return files, nil
}

// GoMod is the Go SDK's own module file as first written; `go mod tidy` (make sdks) completes it and its go.sum.
func GoMod() []byte {
	var b bytes.Buffer
	b.WriteString("module github.com/fgs-iac/pulumi-fgs/sdk/go\n\ngo 1.25.0\n\n")
	b.WriteString("require github.com/pulumi/pulumi/sdk/v3 v3.259.0\n")
	return b.Bytes()
}

// noLoader answers that no other package exists: the schema references none.
type noLoader struct{}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("package %s is not available to the generator", pkg)
}

func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("package %s is not available to the generator", d.Name)
}

func (noLoader) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("package %s is not available to the generator", pkg)
}

func (noLoader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, fmt.Errorf("package %s is not available to the generator", d.Name)
}
