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
	assert.NotContains(t, err.Error(), "interrupted", "a name the user chose is no sign of an interrupted run")
	assert.Empty(t, r.id, "nothing was created, so nothing is recorded")
	_, deletes := c.em.Counts()[routeDelete]
	assert.False(t, deletes, "the other function is never touched")
}

// The provider was killed after the service created an auto-named function and before the engine recorded it:
// the next create of the same resource finds it, adopts nothing, and says what most likely happened.
func TestCreateOverAnInterruptedEarlierCreateSaysWhatHappened(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	first := c.resource(t, "Function", "api")
	first.mustCreate(props(autoNamed(t)))
	again := c.resource(t, "Function", "api") // the same resource, with a state that forgot the first create
	err := again.create(props(autoNamed(t)))
	require.Error(t, err)
	assert.ErrorIs(t, err, fgs.ErrConflict)
	assert.Contains(t, err.Error(), "`pulumi import fgs:index:Function api "+first.id+"`")
	assert.Contains(t, err.Error(), "most likely an earlier `pulumi up` that was interrupted")
	assert.Empty(t, again.id, "nothing is adopted")
}
