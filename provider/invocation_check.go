package provider

import (
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// checkInvocation returns the failures of an Invocation's inputs; a value not yet known (preview) is never a
// failure.
func checkInvocation(inputs property.Map, args InvocationArgs) []p.CheckFailure {
	c := &checker{inputs: inputs}
	if c.known("functionUrn") {
		if _, err := fgs.ParseURN(args.FunctionURN); err != nil {
			c.fail("functionUrn", "not a function URN: use a Function's `functionUrn`, a FunctionVersion's `qualifiedUrn` or an Alias's `aliasUrn`")
		}
	}
	if c.known("input") {
		if _, err := eventFromJSONText(deref(args.Input)); err != nil {
			c.fail("input", "not valid JSON text: give the event as JSON (JSON.stringify, json.dumps or fn::toJSON)")
		}
	}
	return c.failures
}
