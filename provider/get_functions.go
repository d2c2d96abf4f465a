package provider

import (
	"context"
	_ "embed"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

//go:embed get_functions.md
var getFunctionsDoc string

// GetFunctions lists the functions of the project, optionally of one app.
type GetFunctions struct{}

// GetFunctionsArgs are the inputs of getFunctions.
type GetFunctionsArgs struct {
	App *string `pulumi:"app,optional"`
}

// GetFunctionsResult is the answer of getFunctions.
type GetFunctionsResult struct {
	Functions []FunctionSummary `pulumi:"functions"`
}

// FunctionSummary is one function in the answer of getFunctions.
type FunctionSummary struct {
	FunctionURN  string `pulumi:"functionUrn"`
	Name         string `pulumi:"name"`
	App          string `pulumi:"app"`
	Runtime      string `pulumi:"runtime"`
	Handler      string `pulumi:"handler"`
	MemorySize   int    `pulumi:"memorySize"`
	Timeout      int    `pulumi:"timeout"`
	CodeType     string `pulumi:"codeType"`
	LastModified string `pulumi:"lastModified"`
	Version      string `pulumi:"version"`
}

var _ = (infer.Annotated)((*GetFunctions)(nil))

// Annotate describes getFunctions.
func (f *GetFunctions) Annotate(a infer.Annotator) {
	a.Describe(f, getFunctionsDoc)
	a.SetToken("index", "getFunctions")
}

// Annotate describes the inputs of getFunctions.
func (a *GetFunctionsArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.App, "Only the functions of this app (the Function's `app`, `default` unless set). All functions when unset.")
}

// Annotate describes the answer of getFunctions.
func (r *GetFunctionsResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Functions, "The functions, every page of the service's list.")
}

// Annotate describes one function of the list.
func (s *FunctionSummary) Annotate(an infer.Annotator) {
	an.Describe(&s.FunctionURN, "The unqualified URN of the function: the `functionUrn` of a Trigger, FunctionVersion or Alias.")
	an.Describe(&s.Name, "The function's name.")
	an.Describe(&s.App, "The app (package) the function belongs to.")
	an.Describe(&s.Runtime, "The runtime, for example `Python3.9`.")
	an.Describe(&s.Handler, "The handler, for example `index.handler`.")
	an.Describe(&s.MemorySize, "The memory in MB.")
	an.Describe(&s.Timeout, "The timeout in seconds.")
	an.Describe(&s.CodeType, "How the code is stored: `inline`, `zip`, `obs`, `jar` or `Custom-Image-Swr`.")
	an.Describe(&s.LastModified, "When the function was last changed, as the service reports it.")
	an.Describe(&s.Version, "The version the list shows, `latest`.")
}

var _ = (infer.Fn[GetFunctionsArgs, GetFunctionsResult])((*GetFunctions)(nil))

// Invoke lists every function, following the pages to the end.
func (*GetFunctions) Invoke(ctx context.Context, req infer.FunctionRequest[GetFunctionsArgs]) (infer.FunctionResponse[GetFunctionsResult], error) {
	return lookup(ctx, "getFunctions", func(client *fgs.Client) (GetFunctionsResult, error) {
		fs, err := client.Functions.List(ctx, &fgs.ListFunctionsOptions{PackageName: deref(req.Input.App)})
		if err != nil {
			return GetFunctionsResult{}, err
		}
		return GetFunctionsResult{Functions: mapItems(fs, functionSummary)}, nil
	})
}

func functionSummary(f *fgs.Function) FunctionSummary {
	return FunctionSummary{
		FunctionURN: fgs.UnqualifiedURN(f.FuncURN), Name: f.FuncName, App: f.Package, Runtime: f.Runtime, Handler: f.Handler,
		MemorySize: f.MemorySize.Int(), Timeout: f.Timeout.Int(), CodeType: f.CodeType, LastModified: f.LastModified.String(),
		Version: orDefault(f.Version, "latest"),
	}
}
