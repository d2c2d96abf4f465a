package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The page docs/functions.md: every provider function of the schema (fgs:index:get*, invokeFunction) in one
// page, each as a resource page has it: its description with the examples labelled by language, then tables
// of its inputs and outputs, and at the end the types the functions' answers use.

// functionsPage is the page's path relative to the repository root.
const functionsPage = docsDir + "/functions.md"

func renderFunctionsPage(spec schema.PackageSpec) []byte {
	tokens := make([]string, 0, len(spec.Functions))
	for token := range spec.Functions {
		tokens = append(tokens, token)
	}
	sort.Strings(tokens)

	var b strings.Builder
	fmt.Fprintf(&b, "# %s functions\n\n%s\n\n", spec.Name, docsMarker)
	b.WriteString("Provider functions read what exists in the cloud, made inside the stack or outside it, and call functions. " +
		"Every language calls them as any Pulumi function (`fgs.getFunctions(...)` in TypeScript, `fgs.get_functions(...)` " +
		"in Python, `fgs.GetFunctions(ctx, ...)` in Go, `fn::invoke` in YAML); lists are read to their last page.\n\n")
	var types []schema.TypeSpec
	for _, token := range tokens {
		fmt.Fprintf(&b, "- [`%s`](#%s)\n", token, strings.ToLower(typeName(token)))
	}
	for _, token := range tokens {
		fn := spec.Functions[token]
		fmt.Fprintf(&b, "\n## %s\n\n", typeName(token))
		fmt.Fprintf(&b, "Token: `%s`.\n\n", token)
		b.WriteString(demoteHeadings(renderDescription(fn.Description)))
		b.WriteString("\n\n### Inputs\n\n")
		inputs := fn.Inputs
		if inputs == nil {
			inputs = &schema.ObjectTypeSpec{}
		}
		writeProperties(&b, "input", "required", inputs.Properties, inputs.Required)
		b.WriteString("\n### Outputs\n\n")
		outputs := functionOutputs(fn)
		writeProperties(&b, "output", "always set", outputs.Properties, outputs.Required)
		types = append(types, append(propertyTypes(inputs.Properties), propertyTypes(outputs.Properties)...)...)
	}
	writeTypes(&b, spec, referencedTypes(spec, types), "##")
	return []byte(b.String())
}

// demoteHeadings moves every heading outside code one level down, so that a function's description sits
// under the function's own heading.
func demoteHeadings(md string) string {
	lines := strings.Split(md, "\n")
	inFence := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, "#") {
			lines[i] = "#" + line
		}
	}
	return strings.Join(lines, "\n")
}

// functionOutputs is the object a function returns: schema.json's "outputs", which the schema package reads
// into ReturnType.
func functionOutputs(fn schema.FunctionSpec) schema.ObjectTypeSpec {
	switch {
	case fn.ReturnType != nil && fn.ReturnType.ObjectTypeSpec != nil:
		return *fn.ReturnType.ObjectTypeSpec
	case fn.Outputs != nil:
		return *fn.Outputs
	}
	return schema.ObjectTypeSpec{}
}
