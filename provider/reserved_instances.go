package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// ReservedInstances keeps instances of a function version or alias warm, optionally scaled by schedule or
// by load.
type ReservedInstances struct{}

// QualifierType says whether a qualifier names a version or an alias.
type QualifierType string

// Values lists the qualifier types.
func (QualifierType) Values() []infer.EnumValue[QualifierType] {
	return []infer.EnumValue[QualifierType]{
		{Name: "Version", Value: "version", Description: "A published version, or `latest`."},
		{Name: "Alias", Value: "alias", Description: "An alias."},
	}
}

// ReservedInstancesArgs are the inputs of a ReservedInstances.
type ReservedInstancesArgs struct {
	FunctionURN    string                 `pulumi:"functionUrn"`
	QualifierType  QualifierType          `pulumi:"qualifierType"`
	QualifierName  string                 `pulumi:"qualifierName"`
	Count          int                    `pulumi:"count"`
	IdleMode       *bool                  `pulumi:"idleMode,optional"`
	CronPolicies   []ReservedCronPolicy   `pulumi:"cronPolicies,optional"`
	MetricPolicies []ReservedMetricPolicy `pulumi:"metricPolicies,optional"`
}

// ReservedCronPolicy reserves another number of instances on a schedule, inside a time window.
type ReservedCronPolicy struct {
	Name        string `pulumi:"name"`
	Cron        string `pulumi:"cron"`
	Count       int    `pulumi:"count"`
	StartTime   int    `pulumi:"startTime"`
	ExpiredTime int    `pulumi:"expiredTime"`
}

// ReservedMetricPolicy adds reserved instances when a metric crosses a threshold.
type ReservedMetricPolicy struct {
	Name      string `pulumi:"name"`
	Type      string `pulumi:"type"`
	Threshold int    `pulumi:"threshold"`
	Min       int    `pulumi:"min"`
}

// ReservedInstancesState is what a ReservedInstances records.
type ReservedInstancesState struct {
	ReservedInstancesArgs
	QualifiedURN string `pulumi:"qualifiedUrn"`
}

//go:embed reserved_instances.md
var reservedInstancesDoc string

// Annotate describes the ReservedInstances resource.
func (r *ReservedInstances) Annotate(an infer.Annotator) {
	an.Describe(r, reservedInstancesDoc)
	an.SetToken("index", "ReservedInstances")
}

// Annotate describes the ReservedInstances' inputs.
func (a *ReservedInstancesArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The unqualified URN of the function. Changing it replaces the reservation.")
	an.Describe(&a.QualifierType, "Whether `qualifierName` is a `version` or an `alias`. Changing it replaces the reservation.")
	an.Describe(&a.QualifierName, "The version (for example `latest` or a FunctionVersion's `version`) or alias (an Alias's `name`) whose "+
		"instances are reserved. Changing it replaces the reservation.")
	an.Describe(&a.Count, "How many instances are kept ready, 0 to 1000 (0 only together with policies that add instances). Updated in place.")
	an.Describe(&a.IdleMode, "Whether reserved instances that receive no requests are put in idle mode (cheaper, slower to wake). Default false. Updated in place.")
	an.Describe(&a.CronPolicies, "Scheduled policies: each reserves `count` instances when its cron schedule fires, between `startTime` and "+
		"`expiredTime`. Names are unique; the order does not matter. Updated in place.")
	an.Describe(&a.MetricPolicies, "Load policies: each adds reserved instances when its metric crosses `threshold`, keeping at least `min`. "+
		"Names are unique; the order does not matter. Updated in place.")
}

// Annotate describes a scheduled policy.
func (p *ReservedCronPolicy) Annotate(an infer.Annotator) {
	an.Describe(&p.Name, "The policy's name, unique among the cron policies.")
	an.Describe(&p.Cron, "When the policy applies: `second minute hour day-of-month month day-of-week`, for example `0 0 8 * * MON-FRI`.")
	an.Describe(&p.Count, "How many instances the policy reserves, 0 to 1000.")
	an.Describe(&p.StartTime, "When the policy starts to apply, in Unix seconds.")
	an.Describe(&p.ExpiredTime, "When the policy stops applying, in Unix seconds; after startTime.")
}

// Annotate describes a load policy.
func (p *ReservedMetricPolicy) Annotate(an infer.Annotator) {
	an.Describe(&p.Name, "The policy's name, unique among the metric policies.")
	an.Describe(&p.Type, "The metric, for example `Concurrency` (the share of reserved instances in use).")
	an.Describe(&p.Threshold, "The metric's threshold in percent, 1 to 100.")
	an.Describe(&p.Min, "The fewest reserved instances the policy keeps, 0 to 1000.")
}

// Annotate describes the ReservedInstances' outputs.
func (s *ReservedInstancesState) Annotate(an infer.Annotator) {
	an.Describe(&s.QualifiedURN, "The URN of the version or alias whose instances are reserved.")
}

var _ = (infer.CustomCheck[ReservedInstancesArgs])((*ReservedInstances)(nil))

// Check rejects a bad target, count or policy before anything is sent.
func (r *ReservedInstances) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[ReservedInstancesArgs], error) {
	return checkInputs(ctx, req, checkReservedInstances)
}

var _ = (infer.ExplicitDependencies[ReservedInstancesArgs, ReservedInstancesState])((*ReservedInstances)(nil))

// WireDependencies: the qualified URN follows from the three replace keys only.
func (r *ReservedInstances) WireDependencies(f infer.FieldSelector, args *ReservedInstancesArgs, state *ReservedInstancesState) {
	f.OutputField(&state.QualifiedURN).DependsOn(f.InputField(&args.FunctionURN).Computed(), f.InputField(&args.QualifierType).Computed(),
		f.InputField(&args.QualifierName).Computed())
}

var _ = (infer.CustomDiff[ReservedInstancesArgs, ReservedInstancesState])((*ReservedInstances)(nil))

// Diff replaces the reservation for another target; the rest is updated in place. Policies are compared
// as sets (sorted by name) and idle mode with its default, so another order or spelling is no change.
func (r *ReservedInstances) Diff(ctx context.Context, req infer.DiffRequest[ReservedInstancesArgs, ReservedInstancesState]) (infer.DiffResponse, error) {
	diff := diffInputs(reservedCanonical(req.State.ReservedInstancesArgs), reservedCanonical(req.Inputs),
		[]string{"functionUrn", "qualifierType", "qualifierName"}, nil)
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

var _ = (infer.CustomCreate[ReservedInstancesArgs, ReservedInstancesState])((*ReservedInstances)(nil))

// Create sets the reservation (one PUT).
func (r *ReservedInstances) Create(ctx context.Context, req infer.CreateRequest[ReservedInstancesArgs]) (infer.CreateResponse[ReservedInstancesState], error) {
	args := req.Inputs
	state := ReservedInstancesState{ReservedInstancesArgs: args, QualifiedURN: reservedQualifiedURN(args)}
	if req.DryRun {
		return infer.CreateResponse[ReservedInstancesState]{Output: state}, nil
	}
	if err := putReservedInstances(ctx, state.QualifiedURN, reservedInstancesBody(args)); err != nil {
		return infer.CreateResponse[ReservedInstancesState]{}, err
	}
	return infer.CreateResponse[ReservedInstancesState]{ID: reservedInstancesID(args), Output: state}, nil
}

func putReservedInstances(ctx context.Context, urn string, body *fgs.UpdateReservedInstancesRequest) error {
	client, err := clientFrom(ctx)
	if err != nil {
		return err
	}
	_, err = client.ReservedInstances.Update(ctx, urn, body)
	if errors.Is(err, fgs.ErrNotFound) {
		return fmt.Errorf("setting the reserved instances of %s (count %d): the function, version or alias does not exist: %w", urn, body.Count, err)
	}
	if err != nil {
		return fmt.Errorf("setting the reserved instances of %s (count %d): %w", urn, body.Count, err)
	}
	return nil
}

var _ = (infer.CustomRead[ReservedInstancesArgs, ReservedInstancesState])((*ReservedInstances)(nil))

// Read finds the reservation among the function's; none (or count 0 without policies) is an empty ID.
func (r *ReservedInstances) Read(ctx context.Context, req infer.ReadRequest[ReservedInstancesArgs, ReservedInstancesState]) (infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState], error) {
	target, err := parseReservedInstancesID(req.ID)
	if err != nil {
		return infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState]{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState]{}, err
	}
	configs, err := client.ReservedInstances.ListConfigs(ctx, target.FunctionURN)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState]{}, nil // the function is gone
	}
	if err != nil {
		return infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState]{}, fmt.Errorf("reading reserved instances %s: %w", req.ID, err)
	}
	live := findReservedConfig(configs, target)
	if live == nil {
		return infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState]{}, nil
	}
	inputs := reservedInstancesFromAPI(target, live, req.State.ReservedInstancesArgs)
	state := ReservedInstancesState{ReservedInstancesArgs: inputs, QualifiedURN: reservedQualifiedURN(inputs)}
	return infer.ReadResponse[ReservedInstancesArgs, ReservedInstancesState]{ID: req.ID, Inputs: inputs, State: state}, nil
}

var _ = (infer.CustomUpdate[ReservedInstancesArgs, ReservedInstancesState])((*ReservedInstances)(nil))

// Update puts the new count, idle mode and policies (the PUT replaces all three).
func (r *ReservedInstances) Update(ctx context.Context, req infer.UpdateRequest[ReservedInstancesArgs, ReservedInstancesState]) (infer.UpdateResponse[ReservedInstancesState], error) {
	state := ReservedInstancesState{ReservedInstancesArgs: req.Inputs, QualifiedURN: reservedQualifiedURN(req.Inputs)}
	if req.DryRun {
		return infer.UpdateResponse[ReservedInstancesState]{Output: state}, nil
	}
	if err := putReservedInstances(ctx, state.QualifiedURN, reservedInstancesBody(req.Inputs)); err != nil {
		return infer.UpdateResponse[ReservedInstancesState]{}, err
	}
	return infer.UpdateResponse[ReservedInstancesState]{Output: state}, nil
}

var _ = (infer.CustomDelete[ReservedInstancesState])((*ReservedInstances)(nil))

// Delete sets the count to 0 and sends empty policy lists (the API has no DELETE), so that no schedule
// reserves instances afterwards. A target already gone is not an error.
func (r *ReservedInstances) Delete(ctx context.Context, req infer.DeleteRequest[ReservedInstancesState]) (infer.DeleteResponse, error) {
	target, err := parseReservedInstancesID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	_, err = client.ReservedInstances.Update(ctx, reservedQualifiedURN(target), reservedInstancesBody(target))
	if err != nil && !errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, fmt.Errorf("releasing the reserved instances of %s: %w", reservedQualifiedURN(target), err)
	}
	return infer.DeleteResponse{}, nil
}
