package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checked-in schema.json and SDKs must be exactly what the provider's code generates now.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := Generate(context.Background())
	require.NoError(t, err)

	var stale []string
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil || string(got) != string(want) {
			stale = append(stale, name)
		}
	}
	// Files in the generated trees that the generator no longer writes.
	for _, dir := range SDKDirs {
		err := filepath.Walk(filepath.Join(root, dir), func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if info.IsDir() {
				if oneOfPrefix(rel, "sdk/nodejs/node_modules", "sdk/nodejs/bin") || strings.HasSuffix(rel, "__pycache__") || strings.HasSuffix(rel, ".egg-info") {
					return filepath.SkipDir
				}
				return nil
			}
			if _, ok := files[rel]; !ok {
				stale = append(stale, rel+" (no longer generated)")
			}
			return nil
		})
		require.NoError(t, err)
	}
	sort.Strings(stale)
	assert.Empty(t, stale, "schema.json or the SDKs are stale: run `make sdks` and commit the result")
}

func TestSchemaTokensAndMetadata(t *testing.T) {
	spec, err := Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fgs", spec.Name)
	assert.Empty(t, spec.Version, "schema.json carries no version; the release sets it")
	assert.Equal(t, "github://api.github.com/fgs-iac/pulumi-fgs", spec.PluginDownloadURL)
	assert.Equal(t, "Apache-2.0", spec.License)
	assert.Equal(t, "fgs-iac", spec.Namespace)
	require.NotEmpty(t, spec.Resources)
	for token, res := range spec.Resources {
		assert.True(t, strings.HasPrefix(token, "fgs:index:"), "token %s", token)
		assert.NotEmpty(t, res.Description, "%s has no description", token)
		for name, prop := range res.InputProperties {
			assert.NotEmpty(t, prop.Description, "%s input %s has no description", token, name)
		}
		for name, prop := range res.Properties {
			assert.NotEmpty(t, prop.Description, "%s output %s has no description", token, name)
		}
	}
	for token, typ := range spec.Types {
		assert.True(t, strings.HasPrefix(token, "fgs:index:"), "type token %s", token)
		for name, prop := range typ.Properties {
			assert.NotEmpty(t, prop.Description, "%s property %s has no description", token, name)
		}
	}
	for name, prop := range spec.Config.Variables {
		assert.NotEmpty(t, prop.Description, "config %s has no description", name)
	}
	assert.Contains(t, string(spec.Language["nodejs"]), `"@fgs-iac/fgs"`)
	assert.Contains(t, string(spec.Language["python"]), `"pulumi_fgs"`)
	assert.Contains(t, string(spec.Language["go"]), `"github.com/fgs-iac/pulumi-fgs/sdk/go/fgs"`)
}

func oneOfPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// The SDKs ask for the plugin version that `make build` gives the provider.
func TestSDKVersionMatchesTheMakefile(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^VERSION\s*\?=\s*(\S+)`).FindSubmatch(raw)
	require.NotNil(t, m, "the Makefile sets no VERSION")
	assert.Equal(t, SDKVersion, string(m[1]))
}
