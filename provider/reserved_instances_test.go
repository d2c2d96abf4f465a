package provider

import (
	"context"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

var (
	morning = map[string]any{"name": "mornings", "cron": "0 0 8 * * MON-FRI", "count": 10, "startTime": 1767225600, "expiredTime": 1798761600}
	evening = map[string]any{"name": "evenings", "cron": "0 0 18 * * *", "count": 4, "startTime": 1767225600, "expiredTime": 1798761600}
	busy    = map[string]any{"name": "busy", "type": "Concurrency", "threshold": 80, "min": 2}
	calm    = map[string]any{"name": "calm", "type": "Concurrency", "threshold": 20, "min": 1}
)

func reservedInputs(urn string, extra map[string]any) map[string]any {
	return merged(map[string]any{"functionUrn": urn, "qualifierType": "alias", "qualifierName": "prod", "count": 2}, extra)
}

func TestReservedInstancesLifecycle(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn, aliasURN := c.aliasedFunction(t, "warm")
	api := c.apiClient(t)
	ctx := context.Background()
	liveConfig := func() *fgs.ReservedInstanceConfig {
		t.Helper()
		configs, err := api.ReservedInstances.ListConfigs(ctx, urn)
		require.NoError(t, err)
		c.requests()
		return findReservedConfig(configs, ReservedInstancesArgs{QualifierType: "alias", QualifierName: "prod"})
	}

	full := reservedInputs(urn, map[string]any{"idleMode": true, "cronPolicies": []any{morning, evening}, "metricPolicies": []any{busy}})
	r := c.resource(t, "ReservedInstances", "prod-warm")
	r.mustCreate(props(full))
	assert.Equal(t, urn+"/alias/prod", r.id)
	assert.Equal(t, aliasURN, str(r.state, "qualifiedUrn"))
	assert.Equal(t, 1, c.logRequests(t, "ReservedInstances create"))
	live := liveConfig()
	require.NotNil(t, live)
	assert.Equal(t, 2, live.MinCount.Int())
	assert.True(t, bool(live.IdleMode))
	require.NotNil(t, live.TacticsConfig)
	assert.Equal(t, []fgs.CronConfig{
		{Name: "mornings", Cron: "0 0 8 * * MON-FRI", Count: 10, StartTime: 1767225600, ExpiredTime: 1798761600},
		{Name: "evenings", Cron: "0 0 18 * * *", Count: 4, StartTime: 1767225600, ExpiredTime: 1798761600},
	}, live.TacticsConfig.CronConfigs)
	assert.Equal(t, []fgs.MetricConfig{{Name: "busy", Type: "Concurrency", Threshold: 80, Min: 2}}, live.TacticsConfig.MetricConfigs)

	t.Run("read without drift", func(t *testing.T) {
		r.readUnchanged(1)
	})

	t.Run("policies in another order are no change", func(t *testing.T) {
		d, _ := r.diff(props(merged(full, map[string]any{"cronPolicies": []any{evening, morning}})))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
		c.requests()
	})

	t.Run("count, idle mode and policies in place", func(t *testing.T) {
		next := merged(full, map[string]any{"count": 5, "idleMode": false, "cronPolicies": []any{morning}, "metricPolicies": []any{calm, busy}})
		d, checked := r.diff(props(next))
		assert.Equal(t, map[string]p.DiffKind{"count": p.Update, "idleMode": p.Update, "cronPolicies": p.Update, "metricPolicies": p.Update}, diffKinds(d))
		assert.Equal(t, aliasURN, str(r.preview(checked), "qualifiedUrn"))
		c.requests()
		require.NoError(t, r.update(checked))
		assert.Equal(t, 1, c.logRequests(t, "ReservedInstances update"))
		live := liveConfig()
		assert.Equal(t, 5, live.MinCount.Int())
		assert.False(t, bool(live.IdleMode))
		assert.Len(t, live.TacticsConfig.CronConfigs, 1)
		assert.Len(t, live.TacticsConfig.MetricConfigs, 2)
		full = next
	})

	t.Run("removing every policy removes them", func(t *testing.T) {
		next := reservedInputs(urn, map[string]any{"count": 5})
		d, checked := r.diff(props(next))
		assert.Equal(t, map[string]p.DiffKind{"cronPolicies": p.Delete, "metricPolicies": p.Delete}, diffKinds(d), "idleMode false and unset are the same")
		require.NoError(t, r.update(checked))
		live := liveConfig()
		assert.Empty(t, live.TacticsConfig.CronConfigs)
		assert.Empty(t, live.TacticsConfig.MetricConfigs)
		full = next
	})

	t.Run("another target replaces", func(t *testing.T) {
		for key, value := range map[string]any{"qualifierType": "version", "qualifierName": "staging", "functionUrn": urn + "x"} {
			d, _ := r.diff(props(merged(full, map[string]any{key: value})))
			assert.Equal(t, map[string]p.DiffKind{key: p.UpdateReplace}, diffKinds(d), key)
		}
		c.requests()
	})

	t.Run("refresh sees an out-of-band change", func(t *testing.T) {
		_, err := api.ReservedInstances.Update(ctx, aliasURN, &fgs.UpdateReservedInstancesRequest{Count: 7, TacticsConfig: &fgs.TacticsConfig{
			MetricConfigs: []fgs.MetricConfig{{Name: "console", Type: "Concurrency", Threshold: 50, Min: 3}},
		}})
		require.NoError(t, err)
		c.requests()
		resp := r.read()
		assert.Equal(t, 7.0, resp.Inputs.Get("count").AsNumber())
		assert.Equal(t, 1, resp.Inputs.Get("metricPolicies").AsArray().Len())
		d, _ := r.diff(props(full))
		assert.Equal(t, map[string]p.DiffKind{"count": p.Update, "metricPolicies": p.Delete}, diffKinds(d))
		c.requests()
	})

	t.Run("import", func(t *testing.T) {
		imp := c.importID(t, "ReservedInstances", urn+"/alias/prod")
		require.Equal(t, urn+"/alias/prod", imp.ID)
		assert.Equal(t, "alias", str(imp.Inputs, "qualifierType"))
		assert.Equal(t, "prod", str(imp.Inputs, "qualifierName"))
		assert.Equal(t, urn, str(imp.Inputs, "functionUrn"))
		assert.Equal(t, 7.0, imp.Inputs.Get("count").AsNumber())
		assert.Equal(t, 1, c.logRequests(t, "ReservedInstances import"))
		assert.Equal(t, "", c.importID(t, "ReservedInstances", urn+"/version/latest").ID, "nothing reserved on latest")
		c.requests()
	})

	t.Run("delete sets the count to 0", func(t *testing.T) {
		require.NoError(t, r.delete())
		assert.Equal(t, 1, c.logRequests(t, "ReservedInstances delete"))
		assert.Nil(t, liveConfig(), "nothing reserved any more")
		counts, err := api.ReservedInstances.ListCounts(ctx, urn)
		require.NoError(t, err)
		for _, n := range counts {
			assert.Zero(t, n.Count.Int(), n.FuncURN)
		}
		assert.Equal(t, "", r.read().ID, "a released reservation reads as gone")
	})
}

// A reservation on a version, and a count 0 kept up by a schedule alone.
func TestReservedInstancesOnVersionWithScheduleOnly(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn, _ := c.aliasedFunction(t, "scheduled")
	r := c.resource(t, "ReservedInstances", "v1-schedule")
	r.mustCreate(props(map[string]any{"functionUrn": urn, "qualifierType": "version", "qualifierName": "v1", "count": 0, "cronPolicies": []any{morning}}))
	assert.Equal(t, urn+":v1", str(r.state, "qualifiedUrn"))
	resp := r.read()
	require.Equal(t, urn+"/version/v1", resp.ID, "count 0 with a policy is a reservation")
	assert.Equal(t, 0.0, resp.Inputs.Get("count").AsNumber())

	err := c.resource(t, "ReservedInstances", "missing").create(props(map[string]any{"functionUrn": urn, "qualifierType": "alias", "qualifierName": "nope", "count": 1}))
	require.Error(t, err)
	t.Logf("missing alias: %v", err)
	assert.Contains(t, err.Error(), "does not exist")
}

func TestReservedInstancesCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := "urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello"
	with := func(extra map[string]any) property.Map { return props(reservedInputs(urn, extra)) }
	cron := func(change map[string]any) map[string]any {
		return map[string]any{"cronPolicies": []any{merged(morning, change)}}
	}
	metric := func(change map[string]any) map[string]any {
		return map[string]any{"metricPolicies": []any{merged(busy, change)}}
	}
	c.checkCatalogue(t, "ReservedInstances", []checkCase{
		{"qualified urn", with(map[string]any{"functionUrn": urn + ":!prod"}), "functionUrn"},
		{"unknown qualifier type", with(map[string]any{"qualifierType": "tag"}), "qualifierType"},
		{"latest is no alias", with(map[string]any{"qualifierName": "latest"}), "qualifierName"},
		{"bad alias name", with(map[string]any{"qualifierName": "1prod"}), "qualifierName"},
		{"bad version name", with(map[string]any{"qualifierType": "version", "qualifierName": "-v1"}), "qualifierName"},
		{"negative count", with(map[string]any{"count": -1}), "count"},
		{"count over 1000", with(map[string]any{"count": 1001}), "count"},
		{"count 0 with no policy", with(map[string]any{"count": 0}), "count"},
		{"cron not a cron", with(cron(map[string]any{"cron": "every morning"})), "cronPolicies[0].cron"},
		{"cron of five fields", with(cron(map[string]any{"cron": "0 8 * * *"})), "cronPolicies[0].cron"},
		{"cron hour out of range", with(cron(map[string]any{"cron": "0 0 25 * * *"})), "cronPolicies[0].cron"},
		{"cron expiring before it starts", with(cron(map[string]any{"expiredTime": 1767225500})), "cronPolicies[0].expiredTime"},
		{"cron without a start", with(cron(map[string]any{"startTime": 0})), "cronPolicies[0].startTime"},
		{"duplicate cron names", with(map[string]any{"cronPolicies": []any{morning, merged(evening, map[string]any{"name": "mornings"})}}), "cronPolicies[1].name"},
		{"metric threshold 0", with(metric(map[string]any{"threshold": 0})), "metricPolicies[0].threshold"},
		{"metric min negative", with(metric(map[string]any{"min": -1})), "metricPolicies[0].min"},
		{"metric without a type", with(metric(map[string]any{"type": ""})), "metricPolicies[0].type"},
	})

	unknown := c.resource(t, "ReservedInstances", "preview").check(property.NewMap(map[string]property.Value{
		"functionUrn": property.New(urn), "qualifierType": property.New("alias"), "qualifierName": property.New(property.Computed),
		"count": property.New(0.0), "cronPolicies": property.New(property.Computed),
	}))
	assert.Empty(t, unknown.Failures, "unknown values are not flagged")
}

func TestReservedInstancesAPIMapping(t *testing.T) {
	urn := "urn:fss:eu-de:p:function:default:hello"
	a := ReservedCronPolicy{Name: "a", Cron: "0 0 8 * * *", Count: 1, StartTime: 10, ExpiredTime: 20}
	b := ReservedCronPolicy{Name: "b", Cron: "0 0 9 * * *", Count: 2, StartTime: 10, ExpiredTime: 20}
	m := ReservedMetricPolicy{Name: "m", Type: "Concurrency", Threshold: 80, Min: 1}
	args := ReservedInstancesArgs{FunctionURN: urn, QualifierType: "alias", QualifierName: "prod", Count: 3, CronPolicies: []ReservedCronPolicy{b, a}, MetricPolicies: []ReservedMetricPolicy{m}}

	body := reservedInstancesBody(args)
	assert.Equal(t, 3, body.Count)
	assert.False(t, *body.IdleMode, "idle mode is sent explicitly")
	assert.Equal(t, []fgs.CronConfig{{Name: "b", Cron: "0 0 9 * * *", Count: 2, StartTime: 10, ExpiredTime: 20}, {Name: "a", Cron: "0 0 8 * * *", Count: 1, StartTime: 10, ExpiredTime: 20}}, body.TacticsConfig.CronConfigs)
	empty := reservedInstancesBody(ReservedInstancesArgs{})
	assert.Equal(t, &fgs.TacticsConfig{CronConfigs: []fgs.CronConfig{}, MetricConfigs: []fgs.MetricConfig{}}, empty.TacticsConfig, "empty lists are sent as []")

	live := &fgs.ReservedInstanceConfig{QualifierType: "alias", QualifierName: "prod", MinCount: 3, TacticsConfig: &fgs.TacticsConfig{
		CronConfigs: body.TacticsConfig.CronConfigs[1:], MetricConfigs: body.TacticsConfig.MetricConfigs,
	}}
	live.TacticsConfig.CronConfigs = append(live.TacticsConfig.CronConfigs, body.TacticsConfig.CronConfigs[0]) // service order: a, b
	back := reservedInstancesFromAPI(ReservedInstancesArgs{FunctionURN: urn, QualifierType: "alias", QualifierName: "prod"}, live, args)
	assert.Equal(t, args, back, "read-back keeps the recorded order (b, a)")
	imported := reservedInstancesFromAPI(ReservedInstancesArgs{FunctionURN: urn, QualifierType: "alias", QualifierName: "prod"}, live, ReservedInstancesArgs{})
	assert.Equal(t, []ReservedCronPolicy{a, b}, imported.CronPolicies, "nothing recorded: by name")
	assert.Nil(t, imported.IdleMode)

	assert.Equal(t, reservedCanonical(args), reservedCanonical(ReservedInstancesArgs{FunctionURN: urn, QualifierType: "alias", QualifierName: "prod", Count: 3,
		CronPolicies: []ReservedCronPolicy{a, b}, MetricPolicies: []ReservedMetricPolicy{m}, IdleMode: new(bool)}))
	assert.Equal(t, []ReservedCronPolicy{b, a}, args.CronPolicies, "canonical form does not reorder the caller's list")

	assert.Nil(t, findReservedConfig([]fgs.ReservedInstanceConfig{{QualifierType: "alias", QualifierName: "prod"}}, args), "count 0, no policies: released")
	assert.Nil(t, findReservedConfig([]fgs.ReservedInstanceConfig{{QualifierType: "version", QualifierName: "prod", MinCount: 1}}, args), "another qualifier type")

	for id, ok := range map[string]bool{urn + "/alias/prod": true, urn + "/version/latest": true, urn + "/tag/x": false, urn + "/alias/": false, urn + ":v1/version/v1": false, "prod": false} {
		_, err := parseReservedInstancesID(id)
		assert.Equal(t, ok, err == nil, id)
	}
	assert.Equal(t, urn+":!prod", reservedQualifiedURN(args))
	assert.Equal(t, urn+":v1", reservedQualifiedURN(ReservedInstancesArgs{FunctionURN: urn, QualifierType: "version", QualifierName: "v1"}))
}
