package fgs

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTLSOptions(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"quotas": map[string]any{"resources": []any{}}})
	}))
	t.Cleanup(srv.Close)
	base := Options{Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: srv.URL}
	ctx := context.Background()

	c, err := NewClient(base)
	require.NoError(t, err)
	sleeps := recordSleeps(c)
	_, err = c.Quotas.List(ctx)
	require.Error(t, err, "unknown CA is rejected")
	assert.Empty(t, *sleeps, "TLS trust failures are not retried")

	insecure := base
	insecure.Insecure = true
	c, err = NewClient(insecure)
	require.NoError(t, err)
	_, err = c.Quotas.List(ctx)
	assert.NoError(t, err)

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	withCA := base
	withCA.CACertFile = caFile
	c, err = NewClient(withCA)
	require.NoError(t, err)
	_, err = c.Quotas.List(ctx)
	assert.NoError(t, err)

	bad := base
	bad.CACertFile = filepath.Join(t.TempDir(), "missing.pem")
	_, err = NewClient(bad)
	assert.Error(t, err)
}
