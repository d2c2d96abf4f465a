package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// What the provider functions (fgs:index:get*, invokeFunction) share: each is a small type with an
// Annotate and an Invoke that hands its work to lookup, which gets the configured client and names the
// function in every error, so that a failed `fn::invoke` says which call failed.

// lookup runs one provider function against the configured client.
func lookup[O any](ctx context.Context, token string, run func(*fgs.Client) (O, error)) (infer.FunctionResponse[O], error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.FunctionResponse[O]{}, fmt.Errorf("%s: %w", token, err)
	}
	out, err := run(client)
	if err != nil {
		return infer.FunctionResponse[O]{}, fmt.Errorf("%s: %w", token, err)
	}
	return infer.FunctionResponse[O]{Output: out}, nil
}

// mapItems maps every item; the result is never nil, so that an empty list is `[]` to a program, not null.
func mapItems[T, U any](items []T, f func(*T) U) []U {
	out := make([]U, 0, len(items))
	for i := range items {
		out = append(out, f(&items[i]))
	}
	return out
}

// requireURN refuses an empty or malformed function URN before any request, naming the input.
func requireURN(name, urn string) error {
	if urn == "" {
		return fmt.Errorf("%s is required", name)
	}
	if _, err := fgs.ParseURN(urn); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
