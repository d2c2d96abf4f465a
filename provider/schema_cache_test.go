package provider

import (
	"context"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The schema is built once; a later GetSchema answers the same document, runtime rewritten.
func TestGetSchemaIsBuiltOnce(t *testing.T) {
	prov, err := New()
	require.NoError(t, err)
	first, err := p.GetSchema(context.Background(), Name, "0.0.0", prov)
	require.NoError(t, err)
	second, err := p.GetSchema(context.Background(), Name, "0.0.0", prov)
	require.NoError(t, err)
	assert.Equal(t, first, second)
	runtime := first.Resources["fgs:index:Function"].InputProperties["runtime"]
	assert.Len(t, runtime.OneOf, 2, "the runtime is a string or the Runtime enum")
}
