package tests

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A wrong -X path would leave the version empty and the build would still succeed: check the binary.
func TestProviderBinaryReportsInjectedVersion(t *testing.T) {
	out, err := exec.Command(filepath.Join(providerBin, "pulumi-resource-fgs"), "--version").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, testVersion, strings.TrimSpace(string(out)))
}

// The engine sees the same version in the schema the plugin serves.
func TestPluginServesSchemaWithItsVersion(t *testing.T) {
	cmd := exec.Command("pulumi", "package", "get-schema", filepath.Join(providerBin, "pulumi-resource-fgs"))
	cmd.Env = append(cmd.Environ(), "PULUMI_HOME="+t.TempDir(), "PULUMI_SKIP_UPDATE_CHECK=true")
	out, err := cmd.Output()
	require.NoError(t, err)
	var spec struct {
		Name      string         `json:"name"`
		Version   string         `json:"version"`
		Resources map[string]any `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(out, &spec))
	assert.Equal(t, "fgs", spec.Name)
	assert.Equal(t, testVersion, spec.Version)
	assert.Contains(t, spec.Resources, "fgs:index:Function")
}
