package provider

import (
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/require"
)

// resourceBench is one resource's operations for BenchmarkResourceOperations: inputs to create with, and
// two alternating inputs for an in-place update.
type resourceBench struct {
	typ     string
	create  map[string]any
	updates [2]map[string]any
}

// BenchmarkResourceOperations runs create+delete, refresh and an in-place update of TestEvent,
// AsyncInvokeConfig, DependencyVersion (replace only: create and delete) and ReservedInstances through the
// provider server against the emulator, and reports the API requests each operation makes.
func BenchmarkResourceOperations(b *testing.B) {
	c := newTestCloud(b)
	urn, aliasURN := c.aliasedFunction(b, "bench")
	benches := []resourceBench{
		{typ: "TestEvent", create: map[string]any{"functionUrn": urn, "name": "bench", "content": `{"n": 0}`},
			updates: [2]map[string]any{{"content": `{"n": 1}`}, {"content": `{"n": 2}`}}},
		{typ: "AsyncInvokeConfig", create: map[string]any{"functionUrn": aliasURN, "maxAsyncRetryAttempts": 1},
			updates: [2]map[string]any{{"maxAsyncRetryAttempts": 2}, {"maxAsyncRetryAttempts": 3}}},
		{typ: "DependencyVersion", create: map[string]any{"name": "bench-libs", "runtime": "Python3.9", "code": benchCode(b, "X = 1\n")}},
		{typ: "ReservedInstances", create: map[string]any{"functionUrn": urn, "qualifierType": "alias", "qualifierName": "prod", "count": 1},
			updates: [2]map[string]any{{"count": 2}, {"count": 3}}},
	}
	for _, rb := range benches {
		b.Run(rb.typ, func(b *testing.B) { benchResource(b, c, rb) })
	}
}

func benchResource(b *testing.B, c *testCloud, rb resourceBench) {
	urn := urnOf(rb.typ, "bench")
	check := func(in map[string]any) property.Map {
		resp, err := c.server.Check(p.CheckRequest{Urn: urn, Inputs: props(in)})
		if err != nil || len(resp.Failures) > 0 {
			b.Fatalf("check: %v %v", err, resp.Failures)
		}
		return resp.Inputs
	}
	report := func(b *testing.B) {
		_, total := c.fgsRequests()
		b.ReportMetric(float64(total)/float64(b.N), "requests/op")
	}
	checked := check(rb.create)
	b.Run("create+delete", func(b *testing.B) {
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			resp, err := c.server.Create(p.CreateRequest{Urn: urn, Properties: checked})
			if err != nil {
				b.Fatal(err)
			}
			if err := c.server.Delete(p.DeleteRequest{ID: resp.ID, Urn: urn, Properties: resp.Properties}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	created, err := c.server.Create(p.CreateRequest{Urn: urn, Properties: checked})
	require.NoError(b, err)
	b.Cleanup(func() { _ = c.server.Delete(p.DeleteRequest{ID: created.ID, Urn: urn, Properties: created.Properties}) })
	b.Run("refresh", func(b *testing.B) {
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			if _, err := c.server.Read(p.ReadRequest{ID: created.ID, Urn: urn, Properties: created.Properties, Inputs: checked}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	if rb.updates[0] == nil {
		return
	}
	b.Run("update", func(b *testing.B) {
		state, olds := created.Properties, checked
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			news := check(merged(rb.create, rb.updates[i%2]))
			resp, err := c.server.Update(p.UpdateRequest{ID: created.ID, Urn: urn, State: state, Inputs: news, OldInputs: olds})
			if err != nil {
				b.Fatal(err)
			}
			state, olds = resp.Properties, news
		}
		report(b)
	})
}
