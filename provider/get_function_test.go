package provider

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

func TestGetFunction(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	api := c.apiClient(t)
	created, err := api.Functions.Create(context.Background(), &fgs.CreateFunctionRequest{
		FuncName: "reporter", Package: "reports", Runtime: "Python3.9", Timeout: 45, Handler: "main.run", MemorySize: 512,
		Description: "Nightly reports.", UserData: `{"STAGE":"prod","LEVEL":"2"}`, CodeType: "inline",
		FuncCode: &fgs.FuncCode{File: base64.StdEncoding.EncodeToString([]byte("def run(event, context):\n    return 'ok'\n"))},
	})
	require.NoError(t, err)
	urn := fgs.UnqualifiedURN(created.FuncURN)
	require.NoError(t, api.Tags.Create(context.Background(), urn, []fgs.Tag{{Key: "team", Value: "data"}}))
	c.newFunction(t, "reporter", false) // the same name in app default

	c.step(t, "by name and app: every field the Function resource reports", func(t *testing.T) {
		got := c.invoke(t, "getFunction", map[string]any{"name": "reporter", "app": "reports"})
		assert.Equal(t, urn, str(got, "functionUrn"))
		assert.Equal(t, "reporter", str(got, "name"))
		assert.Equal(t, "reports", str(got, "app"))
		assert.Equal(t, "main.run", str(got, "handler"))
		assert.Equal(t, 512.0, num(got, "memorySize"))
		assert.Equal(t, 45.0, num(got, "timeout"))
		assert.Equal(t, "Nightly reports.", str(got, "description"))
		assert.Equal(t, "prod", str(got, "environment", "STAGE"))
		assert.Equal(t, "data", str(got, "tags", "team"))
		assert.Equal(t, "latest", str(got, "version"))
		assert.NotEmpty(t, str(got, "digest"))

		// The same mapping as the Function resource's import: every property the import reports, getFunction
		// reports with the same value.
		imported := c.importID(t, "Function", urn)
		require.Greater(t, imported.Properties.Len(), 10)
		for k, v := range imported.Properties.All {
			assert.Equal(t, v, got.Get(k), "property %s", k)
		}
	})
	c.step(t, "by URN", func(t *testing.T) {
		got := c.invoke(t, "getFunction", map[string]any{"functionUrn": urn})
		assert.Equal(t, "reporter", str(got, "name"))
		assert.Equal(t, "reports", str(got, "app"))
	})
	c.step(t, "by name, app defaults to default", func(t *testing.T) {
		got := c.invoke(t, "getFunction", map[string]any{"name": "reporter"})
		assert.Equal(t, "default", str(got, "app"))
		assert.Equal(t, "index.handler", str(got, "handler"))
	})
	c.step(t, "a missing name is an error naming it", func(t *testing.T) {
		_, err := c.tryInvoke("getFunction", map[string]any{"name": "no-such-fn", "app": "reports"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `getFunction: name: there is no function named "no-such-fn" in app "reports"`)
	})
	c.step(t, "a missing URN is an error naming it", func(t *testing.T) {
		missing := urn[:len(urn)-len("reporter")] + "gone"
		_, err := c.tryInvoke("getFunction", map[string]any{"functionUrn": missing})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "there is no function "+missing)
	})
	c.step(t, "both or neither of functionUrn and name are refused before any request", func(t *testing.T) {
		c.em.ResetCounts()
		_, err := c.tryInvoke("getFunction", map[string]any{"functionUrn": urn, "name": "reporter"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "functionUrn and name: give one of them, not both")
		_, err = c.tryInvoke("getFunction", map[string]any{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "functionUrn or name is required")
		_, err = c.tryInvoke("getFunction", map[string]any{"functionUrn": "reporter"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "functionUrn")
		_, total := c.fgsRequests()
		assert.Zero(t, total)
	})
}
