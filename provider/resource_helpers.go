package provider

import (
	"context"
	"errors"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// knownAt reports whether the input at a nested path (map keys, top-level first) is set and fully known;
// checker.known answers the same for a top-level input.
func (c *checker) knownAt(path ...string) bool {
	v := property.New(c.inputs)
	for _, k := range path {
		if v.IsComputed() || !v.IsMap() {
			return false
		}
		next, ok := v.AsMap().GetOk(k)
		if !ok {
			return false
		}
		v = next
	}
	return !containsUnknowns(v)
}

// checkInputs is the Check of a resource whose rules need only its decoded inputs: the schema's own
// checks first (types, required fields), then rules, which report on property paths.
func checkInputs[T any](ctx context.Context, req infer.CheckRequest, rules func(*checker, T)) (infer.CheckResponse[T], error) {
	args, failures, err := infer.DefaultCheck[T](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[T]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	rules(c, args)
	for _, w := range c.warnings {
		p.GetLogger(ctx).Warning(w)
	}
	return infer.CheckResponse[T]{Inputs: args, Failures: c.failures}, nil
}

// forResource names the Pulumi resource in an "already exists" error of the client, so that the
// `pulumi import` command its message gives can be run as it is.
func forResource(resourceName string, err error) error {
	var exists *fgs.AlreadyExistsError
	if errors.As(err, &exists) {
		exists.ResourceName = resourceName
	}
	return err
}
