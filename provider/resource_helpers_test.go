package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkCase is one bad input of a Check catalogue and the property it must be reported on.
type checkCase struct {
	name string
	in   property.Map
	path string
}

// checkCatalogue checks each case's inputs: exactly one failure, on the expected property, and no API
// request for the whole catalogue.
func (c *testCloud) checkCatalogue(t *testing.T, typ string, cases []checkCase) {
	t.Helper()
	c.em.ResetCounts()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.resource(t, typ, "bad").check(tc.in)
			require.Len(t, resp.Failures, 1, "%v", resp.Failures)
			assert.Equal(t, tc.path, resp.Failures[0].Property)
			t.Logf("%s: %s", tc.path, resp.Failures[0].Reason)
		})
	}
	_, total := c.fgsRequests()
	assert.Zero(t, total, "Check makes no API request")
}

// readUnchanged refreshes r and asserts that nothing drifted, with the given number of API requests.
func (r *resource) readUnchanged(requests int) {
	r.t.Helper()
	before := r.ins
	resp := r.read()
	require.Equal(r.t, r.id, resp.ID)
	assert.Equal(r.t, before, resp.Inputs)
	assert.Equal(r.t, requests, r.c.logRequests(r.t, r.typ+" read"))
}

// archiveOf writes files (slash-separated paths) to a new directory and returns it as a FileArchive value.
func archiveOf(t *testing.T, files map[string]string) property.Value {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	}
	a, err := archive.FromPath(dir)
	require.NoError(t, err)
	return property.New(a)
}
