// Package provider is the Pulumi layer of pulumi-fgs: the provider builder, its configuration and one file
// per resource. It talks to FunctionGraph only through internal/fgs.
package provider

import (
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
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
	return infer.NewProviderBuilder().
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
