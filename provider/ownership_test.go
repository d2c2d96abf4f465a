package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// A function of the same name that this stack did not create is never adopted: the create fails with
// the one command that adopts it, for this very resource, and the other function is left untouched.
func TestCreateOverSomebodyElsesFunctionNamesTheImportCommand(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	theirs := c.newFunction(t, "hello", false)
	r := c.resource(t, "Function", "api")
	err := r.create(props(baseFunction(t)))
	require.Error(t, err)
	assert.ErrorIs(t, err, fgs.ErrConflict)
	assert.Contains(t, err.Error(), "`pulumi import fgs:index:Function api "+theirs+"`")
	assert.Empty(t, r.id, "nothing was created, so nothing is recorded")
	_, deletes := c.em.Counts()[routeDelete]
	assert.False(t, deletes, "the other function is never touched")
}
