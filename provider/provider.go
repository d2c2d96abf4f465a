// Package provider is the Pulumi layer of pulumi-fgs: the provider builder, its configuration and one file
// per resource. It talks to FunctionGraph only through internal/fgs.
package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Name is the Pulumi package name: resource tokens are fgs:index:<Name>.
const Name = "fgs"

// Version is set at build time with
// -ldflags "-X github.com/fgs-iac/pulumi-fgs/provider.Version=1.2.3".
var Version string

const repository = "https://github.com/fgs-iac/pulumi-fgs"

// New builds the provider.
func New() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithDisplayName("FunctionGraph").
		WithDescription("A native Pulumi provider for FunctionGraph (FGS), the serverless functions service of Open Telekom Cloud and Huawei Cloud.").
		WithNamespace("fgs-iac").
		WithPublisher("fgs-iac").
		WithHomepage(repository).
		WithRepository(repository).
		WithLicense("Apache-2.0").
		WithKeywords("pulumi", "fgs", "functiongraph", "serverless", "opentelekomcloud", "otc", "huaweicloud", "category/cloud", "kind/native").
		WithPluginDownloadURL("github://api.github.com/fgs-iac/pulumi-fgs").
		WithGoImportPath("github.com/fgs-iac/pulumi-fgs/sdk/go/fgs").
		WithLanguageMap(languageMap()).
		WithConfig(infer.Config(&Config{})).
		WithResources(
			infer.Resource(&Function{}),
			infer.Resource(&Trigger{}),
			infer.Resource(&FunctionVersion{}),
			infer.Resource(&Alias{}),
			infer.Resource(&TestEvent{}),
			infer.Resource(&AsyncInvokeConfig{}),
			infer.Resource(&DependencyVersion{}),
			infer.Resource(&ReservedInstances{}),
			infer.Resource(&Invocation{}),
		).
		WithFunctions(
			infer.Function(&GetFunction{}),
			infer.Function(&GetFunctions{}),
			infer.Function(&GetFunctionTriggers{}),
			infer.Function(&GetFunctionVersions{}),
			infer.Function(&GetFunctionAliases{}),
			infer.Function(&GetDependencies{}),
			infer.Function(&GetDependencyVersions{}),
			infer.Function(&GetQuotas{}),
			infer.Function(&InvokeFunction{}),
		).
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"provider": "index"}).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	return withCheckedURN(withRuntimeAsString(prov)), nil
}

// withCheckedURN hands each Check the URN of its resource through the context (see checkedURN).
func withCheckedURN(prov p.Provider) p.Provider {
	check := prov.Check
	prov.Check = func(ctx context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		return check(context.WithValue(ctx, checkedURNKey{}, string(req.Urn)), req)
	}
	return prov
}

func languageMap() map[string]any {
	return map[string]any{
		"go": map[string]any{
			"importBasePath":                 "github.com/fgs-iac/pulumi-fgs/sdk/go/fgs",
			"generateResourceContainerTypes": true,
			"respectSchemaVersion":           true,
		},
		"nodejs": map[string]any{
			"packageName":          "@fgs-iac/fgs",
			"respectSchemaVersion": true,
			"dependencies":         map[string]string{"@pulumi/pulumi": "^3.259.0"},
		},
		"python": map[string]any{
			"packageName":          "pulumi_fgs",
			"respectSchemaVersion": true,
			"requires":             map[string]string{"pulumi": ">=3.259.0,<4.0.0"},
			"pyproject":            map[string]any{"enabled": true},
		},
	}
}

// withRuntimeAsString declares every resource's runtime (Function, DependencyVersion) in the schema as a string or the Runtime enum (as
// pulumi-aws does for Lambda's runtime), so that every language, Pulumi YAML's type checker included,
// accepts a runtime released after this provider; infer has no annotation for a union type, so the schema
// it generates is rewritten.
// The schema is built on the first GetSchema (infer does so, and caches it) and rewritten once: every later
// call answers from memory.
func withRuntimeAsString(prov p.Provider) p.Provider {
	getSchema := prov.GetSchema
	var mu sync.Mutex
	rewritten := map[int]string{} // by the requested schema version
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		mu.Lock()
		defer mu.Unlock()
		if s, ok := rewritten[req.Version]; ok {
			return p.GetSchemaResponse{Schema: s}, nil
		}
		resp, err := getSchema(ctx, req)
		if err != nil {
			return resp, err
		}
		if resp.Schema, err = runtimeAsString(resp.Schema); err == nil {
			rewritten[req.Version] = resp.Schema
		}
		return resp, err
	}
	return prov
}

func runtimeAsString(raw string) (string, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		return "", err
	}
	const ref = "#/types/fgs:index:Runtime"
	rewritten := 0
	for _, res := range spec.Resources {
		for _, props := range []map[string]schema.PropertySpec{res.InputProperties, res.Properties} {
			if prop, ok := props["runtime"]; ok && prop.Ref == ref {
				prop.TypeSpec = schema.TypeSpec{Type: "string", OneOf: []schema.TypeSpec{{Type: "string"}, {Type: "string", Ref: ref}}}
				props["runtime"] = prop
				rewritten++
			}
		}
	}
	if rewritten == 0 {
		return "", fmt.Errorf("no resource has a runtime of the Runtime enum any more")
	}
	out, err := json.Marshal(spec)
	return string(out), err
}
