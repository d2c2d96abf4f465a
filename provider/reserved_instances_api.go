package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The mapping between ReservedInstances inputs and PUT .../reservedinstances and GET
// reservedinstanceconfigs (5.10). The API has no DELETE: count 0 with no policies releases the instances.

func reservedQualifiedURN(a ReservedInstancesArgs) string {
	if a.QualifierType == "alias" {
		return a.FunctionURN + ":!" + a.QualifierName
	}
	return a.FunctionURN + ":" + a.QualifierName
}

func reservedInstancesID(a ReservedInstancesArgs) string {
	return a.FunctionURN + "/" + string(a.QualifierType) + "/" + a.QualifierName
}

// parseReservedInstancesID splits `{functionUrn}/{qualifierType}/{qualifierName}` into the target fields.
func parseReservedInstancesID(id string) (ReservedInstancesArgs, error) {
	parts := strings.Split(id, "/")
	if len(parts) == 3 && oneOf(parts[1], "version", "alias") && parts[2] != "" {
		if u, err := fgs.ParseURN(parts[0]); err == nil && u.Qualifier == "" {
			return ReservedInstancesArgs{FunctionURN: parts[0], QualifierType: QualifierType(parts[1]), QualifierName: parts[2]}, nil
		}
	}
	return ReservedInstancesArgs{}, fmt.Errorf("%q is not a ReservedInstances ID: use <functionUrn>/version/<version> or <functionUrn>/alias/<alias>", id)
}

// reservedInstancesBody sends the count, the idle mode and both policy lists, empty ones included.
func reservedInstancesBody(a ReservedInstancesArgs) *fgs.UpdateReservedInstancesRequest {
	idle := deref(a.IdleMode)
	tc := &fgs.TacticsConfig{CronConfigs: []fgs.CronConfig{}, MetricConfigs: []fgs.MetricConfig{}}
	for _, p := range a.CronPolicies {
		tc.CronConfigs = append(tc.CronConfigs, fgs.CronConfig{Name: p.Name, Cron: p.Cron, Count: fgs.FlexInt(p.Count),
			StartTime: fgs.FlexInt(p.StartTime), ExpiredTime: fgs.FlexInt(p.ExpiredTime)})
	}
	for _, p := range a.MetricPolicies {
		tc.MetricConfigs = append(tc.MetricConfigs, fgs.MetricConfig{Name: p.Name, Type: p.Type, Threshold: fgs.FlexInt(p.Threshold), Min: fgs.FlexInt(p.Min)})
	}
	return &fgs.UpdateReservedInstancesRequest{Count: a.Count, IdleMode: &idle, TacticsConfig: tc}
}

// findReservedConfig picks the target's entry; count 0 with no policies is no reservation.
func findReservedConfig(configs []fgs.ReservedInstanceConfig, target ReservedInstancesArgs) *fgs.ReservedInstanceConfig {
	for i := range configs {
		c := &configs[i]
		if c.QualifierType != string(target.QualifierType) || c.QualifierName != target.QualifierName {
			continue
		}
		if c.MinCount == 0 && (c.TacticsConfig == nil || len(c.TacticsConfig.CronConfigs)+len(c.TacticsConfig.MetricConfigs) == 0) {
			return nil
		}
		return c
	}
	return nil
}

// reservedInstancesFromAPI reads a reservation back as inputs. Policies come in the recorded order where
// they match by name, so that a refresh does not reorder the program's lists; idle mode off stays unset
// when the program left it unset.
func reservedInstancesFromAPI(target ReservedInstancesArgs, live *fgs.ReservedInstanceConfig, olds ReservedInstancesArgs) ReservedInstancesArgs {
	out := target
	out.Count = live.MinCount.Int()
	if idle := bool(live.IdleMode); idle || olds.IdleMode != nil {
		out.IdleMode = &idle
	}
	if tc := live.TacticsConfig; tc != nil {
		for _, c := range tc.CronConfigs {
			out.CronPolicies = append(out.CronPolicies, ReservedCronPolicy{Name: c.Name, Cron: c.Cron, Count: c.Count.Int(),
				StartTime: c.StartTime.Int(), ExpiredTime: c.ExpiredTime.Int()})
		}
		for _, m := range tc.MetricConfigs {
			out.MetricPolicies = append(out.MetricPolicies, ReservedMetricPolicy{Name: m.Name, Type: m.Type, Threshold: m.Threshold.Int(), Min: m.Min.Int()})
		}
	}
	out.CronPolicies = inRecordedOrder(out.CronPolicies, olds.CronPolicies, func(p ReservedCronPolicy) string { return p.Name })
	out.MetricPolicies = inRecordedOrder(out.MetricPolicies, olds.MetricPolicies, func(p ReservedMetricPolicy) string { return p.Name })
	if out.CronPolicies == nil && olds.CronPolicies != nil {
		out.CronPolicies = []ReservedCronPolicy{}
	}
	if out.MetricPolicies == nil && olds.MetricPolicies != nil {
		out.MetricPolicies = []ReservedMetricPolicy{}
	}
	return out
}

// inRecordedOrder orders live like recorded (by name), the policies recorded nowhere last, by name.
func inRecordedOrder[T any](live, recorded []T, name func(T) string) []T {
	rank := map[string]int{}
	for i, p := range recorded {
		rank[name(p)] = i
	}
	sort.SliceStable(live, func(i, j int) bool {
		ri, iok := rank[name(live[i])]
		rj, jok := rank[name(live[j])]
		switch {
		case iok && jok:
			return ri < rj
		case iok != jok:
			return iok
		}
		return name(live[i]) < name(live[j])
	})
	return live
}

// reservedCanonical is the form Diff compares: policies sorted by name (then by every field, should two
// share a name), idle mode with its default.
func reservedCanonical(a ReservedInstancesArgs) ReservedInstancesArgs {
	idle := deref(a.IdleMode)
	a.IdleMode = &idle
	a.CronPolicies = append([]ReservedCronPolicy(nil), a.CronPolicies...)
	sort.Slice(a.CronPolicies, func(i, j int) bool {
		return fmt.Sprint(a.CronPolicies[i]) < fmt.Sprint(a.CronPolicies[j])
	})
	a.MetricPolicies = append([]ReservedMetricPolicy(nil), a.MetricPolicies...)
	sort.Slice(a.MetricPolicies, func(i, j int) bool {
		return fmt.Sprint(a.MetricPolicies[i]) < fmt.Sprint(a.MetricPolicies[j])
	})
	return a
}
