package provider

import (
	"context"
	_ "embed"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

//go:embed get_quotas.md
var getQuotasDoc string

// GetQuotas reads the project's quotas and their use.
type GetQuotas struct{}

// GetQuotasArgs: getQuotas takes no inputs.
type GetQuotasArgs struct{}

// GetQuotasResult is the answer of getQuotas.
type GetQuotasResult struct {
	Quotas []QuotaUsage `pulumi:"quotas"`
}

// QuotaUsage is one quota and how much of it is used.
type QuotaUsage struct {
	Type  string `pulumi:"type"`
	Quota int    `pulumi:"quota"`
	Used  int    `pulumi:"used"`
	Unit  string `pulumi:"unit"`
}

var _ = (infer.Annotated)((*GetQuotas)(nil))

// Annotate describes getQuotas.
func (f *GetQuotas) Annotate(a infer.Annotator) {
	a.Describe(f, getQuotasDoc)
	a.SetToken("index", "getQuotas")
}

// Annotate describes the answer of getQuotas.
func (r *GetQuotasResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Quotas, "One entry per quota.")
}

// Annotate describes one quota.
func (q *QuotaUsage) Annotate(an infer.Annotator) {
	an.Describe(&q.Type, "What the quota limits, for example `fgs_func_num` (functions) or `fgs_func_code_size` (total code size).")
	an.Describe(&q.Quota, "The limit.")
	an.Describe(&q.Used, "How much of it is in use.")
	an.Describe(&q.Unit, "The unit of `quota` and `used`, when they are not counts (for example `MB`); empty otherwise.")
}

var _ = (infer.Fn[GetQuotasArgs, GetQuotasResult])((*GetQuotas)(nil))

// Invoke reads the quotas.
func (*GetQuotas) Invoke(ctx context.Context, _ infer.FunctionRequest[GetQuotasArgs]) (infer.FunctionResponse[GetQuotasResult], error) {
	return lookup(ctx, "getQuotas", func(client *fgs.Client) (GetQuotasResult, error) {
		qs, err := client.Quotas.List(ctx)
		if err != nil {
			return GetQuotasResult{}, err
		}
		return GetQuotasResult{Quotas: mapItems(qs, func(q *fgs.Quota) QuotaUsage {
			return QuotaUsage{Type: q.Type, Quota: q.Quota.Int(), Used: q.Used.Int(), Unit: q.Unit}
		})}, nil
	})
}
