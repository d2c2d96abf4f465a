package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repoRoot = "../.."

// currentPages renders the docs pages from the provider's schema as it is now.
func currentPages(t *testing.T) (schema.PackageSpec, map[string][]byte) {
	t.Helper()
	spec, err := Schema(context.Background())
	require.NoError(t, err)
	raw, err := json.Marshal(spec)
	require.NoError(t, err)
	pages, err := docsPages(raw)
	require.NoError(t, err)
	return spec, pages
}

// The checked-in docs pages must be exactly what the generator renders from the provider now, and no page
// the generator wrote may be left behind when its resource goes.
func TestDocsPagesAreCurrent(t *testing.T) {
	_, pages := currentPages(t)
	var stale []string
	for name, want := range pages {
		got, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(name)))
		if err != nil || string(got) != string(want) {
			stale = append(stale, name)
		}
	}
	gone, err := staleDocs(repoRoot, pages)
	require.NoError(t, err)
	for _, name := range gone {
		stale = append(stale, name+" (no longer generated)")
	}
	sort.Strings(stale)
	assert.Empty(t, stale, "docs pages are stale: run `make schema` and commit the result")
}

// Every resource has a page under its usual name, which carries its description, its examples in the four
// languages, and a row for every input and output.
func TestEveryResourceHasACompletePage(t *testing.T) {
	spec, pages := currentPages(t)
	assert.Len(t, pages, len(spec.Resources)+1, "a page per resource, and docs/functions.md")
	for _, name := range []string{"docs/function.md", "docs/trigger.md", "docs/function-version.md", "docs/alias.md"} {
		assert.Contains(t, pages, name, "the README links to it")
	}
	for token, res := range spec.Resources {
		name := token[strings.LastIndex(token, ":")+1:]
		page := string(pages["docs/"+kebab(name)+".md"])
		require.NotEmpty(t, page, token)
		assert.True(t, strings.HasPrefix(page, "# fgs."+name+"\n"), token)
		firstParagraph := strings.SplitN(res.Description, "\n\n", 2)[0]
		assert.Contains(t, page, firstParagraph, token)
		for _, label := range []string{"TypeScript:\n\n```typescript", "Python:\n\n```python", "Go:\n\n```go", "YAML:\n\n```yaml"} {
			assert.Contains(t, page, label, token)
		}
		assert.NotContains(t, page, "{{%", "%s: the docs site's markers do not belong on the page", token)
		for prop := range res.InputProperties {
			assert.Contains(t, page, "| `"+prop+"` |", "%s input %s", token, prop)
		}
		for prop := range res.Properties {
			assert.Contains(t, page, "| `"+prop+"` |", "%s output %s", token, prop)
		}
	}
}

// The functions page carries every function of the schema: its heading, description, examples in the four
// languages (YAML through fn::invoke), and a row for every input and output.
func TestFunctionsPageHasEveryFunction(t *testing.T) {
	spec, pages := currentPages(t)
	require.NotEmpty(t, spec.Functions)
	page := string(pages[functionsPage])
	require.NotEmpty(t, page)
	assert.True(t, strings.HasPrefix(page, "# fgs functions\n\n"+docsMarker+"\n"))
	assert.NotContains(t, page, "{{%", "the docs site's markers do not belong on the page")
	sections := strings.Split(page, "\n## ")
	for token, fn := range spec.Functions {
		name := typeName(token)
		var section string
		for _, s := range sections {
			if strings.HasPrefix(s, name+"\n") {
				section = s
			}
		}
		require.NotEmpty(t, section, "%s has a section", token)
		assert.Contains(t, page, "- [`"+token+"`](#"+strings.ToLower(name)+")", "%s is in the list at the top", token)
		assert.Contains(t, section, strings.SplitN(fn.Description, "\n\n", 2)[0], token)
		for _, label := range []string{"TypeScript:\n\n```typescript", "Python:\n\n```python", "Go:\n\n```go", "YAML:\n\n```yaml"} {
			assert.Contains(t, section, label, token)
		}
		assert.Contains(t, section, "fn::invoke", token)
		assert.Contains(t, section, "function: "+token, "%s: the YAML example invokes it", token)
		if fn.Inputs != nil {
			for prop := range fn.Inputs.Properties {
				assert.Contains(t, section, "| `"+prop+"` |", "%s input %s", token, prop)
			}
		}
		outputs := functionOutputs(fn)
		require.NotEmpty(t, outputs.Properties, token)
		for prop := range outputs.Properties {
			assert.Contains(t, section, "| `"+prop+"` |", "%s output %s", token, prop)
		}
	}
}

func TestRenderFunctionsPage(t *testing.T) {
	spec := schema.PackageSpec{
		Name: "fgs",
		Functions: map[string]schema.FunctionSpec{
			"fgs:index:getThing": {
				Description: "Reads a thing.\n\n{{% examples %}}\n## Example Usage\n{{% example %}}\n### Basic\n```yaml\n# not a heading\n```\n{{% /example %}}\n{{% /examples %}}",
				Inputs: &schema.ObjectTypeSpec{Properties: map[string]schema.PropertySpec{
					"name": {TypeSpec: schema.TypeSpec{Type: "string"}, Description: "The name."}}, Required: []string{"name"}},
				Outputs: &schema.ObjectTypeSpec{Properties: map[string]schema.PropertySpec{
					"parts": {TypeSpec: schema.TypeSpec{Type: "array", Items: &schema.TypeSpec{Ref: "#/types/fgs:index:Part"}}, Description: "Parts."}}},
			},
			"fgs:index:getNothing": {Description: "Nothing.", Outputs: &schema.ObjectTypeSpec{}},
		},
		Types: map[string]schema.ComplexTypeSpec{
			"fgs:index:Part": {ObjectTypeSpec: schema.ObjectTypeSpec{Type: "object", Description: "A part.",
				Properties: map[string]schema.PropertySpec{"size": {TypeSpec: schema.TypeSpec{Type: "integer"}, Description: "Its size."}}}},
		},
	}
	raw, err := json.Marshal(spec)
	require.NoError(t, err)
	pages, err := docsPages(raw)
	require.NoError(t, err)
	page := string(pages[functionsPage])
	rest := page[strings.Index(page, "- [`fgs:index:getNothing`]"):]
	want := "- [`fgs:index:getNothing`](#getnothing)\n- [`fgs:index:getThing`](#getthing)\n" +
		"\n## getNothing\n\nToken: `fgs:index:getNothing`.\n\nNothing.\n\n### Inputs\n\nNo inputs.\n\n### Outputs\n\nNo outputs.\n" +
		"\n## getThing\n\nToken: `fgs:index:getThing`.\n\nReads a thing.\n\n### Example Usage\n#### Basic\n\nYAML:\n\n```yaml\n# not a heading\n```\n\n" +
		"### Inputs\n\n| input | type | meaning |\n|---|---|---|\n| `name` | string, required | The name. |\n" +
		"\n### Outputs\n\n| output | type | meaning |\n|---|---|---|\n| `parts` | list of [Part](#part) | Parts. |\n" +
		"\n## Types\n\n### Part\n\nA part.\n\n| property | type | meaning |\n|---|---|---|\n| `size` | integer | Its size. |\n"
	assert.Equal(t, want, rest)
}

func TestRenderPage(t *testing.T) {
	spec := schema.PackageSpec{
		Name: "fgs",
		Resources: map[string]schema.ResourceSpec{
			"fgs:index:ThingGroup": {
				ObjectTypeSpec: schema.ObjectTypeSpec{
					Description: "A thing.\n\n\n\n{{% examples %}}\n## Example Usage\n{{% example %}}\n### Basic\n" +
						"```typescript\nconst a = 1;\n\n\nconst b = 2;\n```\n```yaml\nresources: {}\n```\n{{% /example %}}\n{{% /examples %}}\n\n" +
						"## Import\n\n```sh\n$ pulumi import fgs:index:ThingGroup x id\n```\n",
					Properties: map[string]schema.PropertySpec{
						"name":  {TypeSpec: schema.TypeSpec{Type: "string"}, Description: "The name."},
						"urn":   {TypeSpec: schema.TypeSpec{Type: "string"}, Description: "The URN."},
						"extra": {TypeSpec: schema.TypeSpec{Type: "integer"}, Description: "Sometimes."},
					},
					Required: []string{"name", "urn"},
				},
				InputProperties: map[string]schema.PropertySpec{
					"name":   {TypeSpec: schema.TypeSpec{Type: "string"}, Description: "The name:\n`a|b` or `c`."},
					"secret": {TypeSpec: schema.TypeSpec{Type: "object", AdditionalProperties: &schema.TypeSpec{Type: "string"}}, Secret: true, Description: "Hidden."},
					"kind":   {TypeSpec: schema.TypeSpec{Ref: "#/types/fgs:index:Kind"}, Description: "The kind."},
					"blocks": {TypeSpec: schema.TypeSpec{Type: "array", Items: &schema.TypeSpec{Ref: "#/types/fgs:index:Block"}}, Description: "Blocks."},
				},
				RequiredInputs: []string{"name"},
			},
		},
		Types: map[string]schema.ComplexTypeSpec{
			"fgs:index:Block": {ObjectTypeSpec: schema.ObjectTypeSpec{Type: "object", Description: "A block.",
				Properties: map[string]schema.PropertySpec{"size": {TypeSpec: schema.TypeSpec{Type: "integer"}, Description: "Its size."}}}},
			"fgs:index:Kind":   {ObjectTypeSpec: schema.ObjectTypeSpec{Type: "string"}, Enum: []schema.EnumValueSpec{{Value: "A", Description: "The first."}}},
			"fgs:index:Unused": {ObjectTypeSpec: schema.ObjectTypeSpec{Type: "object"}},
		},
	}
	raw, err := json.Marshal(spec)
	require.NoError(t, err)
	pages, err := docsPages(raw)
	require.NoError(t, err)
	require.Contains(t, pages, "docs/thing-group.md")
	want := "# fgs.ThingGroup\n\n" + docsMarker + "\n\n" +
		"A thing.\n\n## Example Usage\n### Basic\n\nTypeScript:\n\n```typescript\nconst a = 1;\n\n\nconst b = 2;\n```\n\nYAML:\n\n```yaml\nresources: {}\n```\n\n" +
		"## Import\n\n```sh\n$ pulumi import fgs:index:ThingGroup x id\n```\n\n" +
		"## Inputs\n\n| input | type | meaning |\n|---|---|---|\n" +
		"| `name` | string, required | The name: `a\\|b` or `c`. |\n" +
		"| `blocks` | list of [Block](#block) | Blocks. |\n" +
		"| `kind` | [Kind](#kind) | The kind. |\n" +
		"| `secret` | map of string, secret | Hidden. |\n" +
		"\n## Outputs\n\n| output | type | meaning |\n|---|---|---|\n" +
		"| `urn` | string, always set | The URN. |\n" +
		"| `extra` | integer | Sometimes. |\n" +
		"\n## Types\n\n### Block\n\nA block.\n\n| property | type | meaning |\n|---|---|---|\n| `size` | integer | Its size. |\n" +
		"\n### Kind\n\n| value | meaning |\n|---|---|\n| `A` | The first. |\n"
	assert.Equal(t, want, string(pages["docs/thing-group.md"]))
}

func TestStaleDocsAreOnlyGeneratedPages(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, docsDir), 0o755))
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(root, docsDir, name), []byte(content), 0o644))
	}
	write("kept.md", "# fgs.Kept\n\n"+docsMarker+"\n")
	write("gone.md", "# fgs.Gone\n\n"+docsMarker+"\n")
	write("architecture.md", "# Layout\n\nwritten by hand\n")
	stale, err := staleDocs(root, map[string][]byte{"docs/kept.md": nil})
	require.NoError(t, err)
	assert.Equal(t, []string{"docs/gone.md"}, stale)

	files := map[string][]byte{"schema.json": []byte(`{"name":"fgs","resources":{"fgs:index:Kept":{"description":"Kept."}}}`)}
	n, err := addDocs(root, files)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Contains(t, files, "docs/kept.md")
	assert.NoFileExists(t, filepath.Join(root, docsDir, "gone.md"))
	assert.FileExists(t, filepath.Join(root, docsDir, "architecture.md"))
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{"Function": "function", "FunctionVersion": "function-version", "Alias": "alias"} {
		assert.Equal(t, want, kebab(in))
	}
}
