package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The resource types of the provider, as the import file names them.
const (
	typeFunction    = "fgs:index:Function"
	typeTrigger     = "fgs:index:Trigger"
	typeVersion     = "fgs:index:FunctionVersion"
	typeAlias       = "fgs:index:Alias"
	typeTestEvent   = "fgs:index:TestEvent"
	typeAsyncConfig = "fgs:index:AsyncInvokeConfig"
	typeReserved    = "fgs:index:ReservedInstances"
	typeDependency  = "fgs:index:DependencyVersion"
)

// typeOrder is the order of the summary and of the document: what others refer to comes first.
var typeOrder = []string{typeDependency, typeFunction, typeVersion, typeAlias, typeTrigger, typeTestEvent, typeAsyncConfig, typeReserved}

// importFile is the document `pulumi import --file` reads.
//
// How the generated program refers to other resources: the CLI's code generator turns a string input that
// equals the ID of another resource of the same batch into a reference to that resource's `id` (a value equal
// to the IDs of two resources stays a literal). So each resource is imported by the ID under which the
// provider records it, and the IDs are chosen so that a dependent's input is the ID of what it depends on: a
// Function's ID is its unqualified URN, which is exactly the `functionUrn` of its triggers, test events,
// reserved instances and async config, and a FunctionVersion's ID is the version's URN, the `functionUrn` of
// a trigger or async config bound to that version. Each `name` is also the resource's logical name (no
// `logicalName`): the generator names the reference after the logical name and the declaration after
// `name`, so the two must agree. No `parent` is set: a parent changes URNs, not references.
type importFile struct {
	Resources []importSpec `json:"resources"`
}

type importSpec struct {
	Type string `json:"type"`
	Name string `json:"name"`
	ID   string `json:"id"`
}

// warning is a secret the service does not return, and where the program must set it.
type warning struct {
	resource string // the Pulumi name
	property string
	why      string
}

func (w warning) String() string {
	return fmt.Sprintf("%s: set %s (%s)", w.resource, w.property, w.why)
}

// namer hands out valid, unique, readable Pulumi names: lowerCamelCase words of the service's names, which
// every language's generated program can use as a variable name as it is.
type namer struct {
	prefix string
	used   map[string]bool
}

// name is the prefix and the words; unique, of a name already made (which has the prefix), the words added.
func (n *namer) name(words ...string) string {
	return n.unique(camel(append([]string{n.prefix}, words...)...))
}

func (n *namer) unique(base string) string {
	if base == "" {
		base = "resource"
	}
	if !unicode.IsLetter(rune(base[0])) {
		base = "r" + base
	}
	name := base
	for i := 2; n.used[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	n.used[name] = true
	return name
}

// camel joins the words' letters and digits in lowerCamelCase: "orders-api", "v1" -> "ordersApiV1",
// "TIMER", "every-5m" -> "timerEvery5m".
func camel(words ...string) string {
	var b strings.Builder
	for _, w := range words {
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if strings.ToUpper(part) == part { // TIMER, API: a word, not an acronym to keep
				part = part[:1] + strings.ToLower(part[1:])
			}
			if b.Len() == 0 {
				b.WriteString(strings.ToLower(part[:1]) + part[1:])
			} else {
				b.WriteString(strings.ToUpper(part[:1]) + part[1:])
			}
		}
	}
	return b.String()
}

// buildDocument turns what was found into the import file and the secrets the user must fill in. Dependency
// versions are left out unless withDependencies is set, each with a note: the service never returns their
// package, and a DependencyVersion without `code` or `link` fails Check, so the generated program would not
// preview until the user declared it.
func buildDocument(proj *project, prefix string, withDependencies bool) (importFile, []warning, []string) {
	n := &namer{prefix: prefix, used: map[string]bool{}}
	var doc importFile
	var warns []warning
	var notes []string
	add := func(typ, name, id string) string {
		doc.Resources = append(doc.Resources, importSpec{Type: typ, Name: name, ID: id})
		return name
	}

	depIDs := make([]string, 0, len(proj.dependencies))
	for id := range proj.dependencies {
		depIDs = append(depIDs, id)
	}
	sort.Slice(depIDs, func(i, j int) bool {
		return proj.dependencies[depIDs[i]].importID() < proj.dependencies[depIDs[j]].importID()
	})
	for _, id := range depIDs {
		d := proj.dependencies[id]
		if !withDependencies {
			notes = append(notes, fmt.Sprintf("dependency %s version %d (import ID %s) is not in the file: its package is never returned, "+
				"so it needs code or link in the program; rerun with --with-dependencies and declare them, or leave it unmanaged", d.name, d.version, d.importID()))
			continue
		}
		name := add(typeDependency, n.name(d.name, fmt.Sprintf("v%d", d.version)), d.importID())
		warns = append(warns, warning{name, "code (or link)", "the service never returns a dependency's package"})
	}

	sameName := map[string]int{}
	for _, f := range proj.functions {
		sameName[f.fn.FuncName]++
	}
	for _, f := range proj.functions {
		words := []string{f.fn.FuncName}
		if sameName[f.fn.FuncName] > 1 {
			words = []string{f.fn.Package, f.fn.FuncName}
		}
		fnName := add(typeFunction, n.name(words...), f.urn)
		warns = append(warns, functionSecrets(f, fnName)...)
		qualifierName := map[string]string{f.urn: fnName, f.urn + ":latest": fnName}

		sort.Slice(f.versions, func(i, j int) bool { return f.versions[i].Version < f.versions[j].Version })
		for _, v := range f.versions {
			qualifierName[f.urn+":"+v.Version] = add(typeVersion, n.name(append(words, v.Version)...), f.urn+":"+v.Version)
		}
		sort.Slice(f.aliases, func(i, j int) bool { return f.aliases[i].Name < f.aliases[j].Name })
		for _, a := range f.aliases {
			qualifierName[f.urn+":!"+a.Name] = add(typeAlias, n.name(append(words, a.Name, "alias")...), f.urn+"/"+a.Name)
		}
		order := make([]int, len(f.triggers))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(i, j int) bool {
			a, b := f.triggers[order[i]], f.triggers[order[j]]
			return a.TriggerTypeCode+triggerLabel(a)+a.TriggerID < b.TriggerTypeCode+triggerLabel(b)+b.TriggerID
		})
		for _, i := range order {
			t, bound := f.triggers[i], f.triggerURNs[i]
			base := qualifierName[bound]
			name := add(typeTrigger, n.unique(camel(base, t.TriggerTypeCode, triggerLabel(t))), bound+"/"+t.TriggerTypeCode+"/"+t.TriggerID)
			warns = append(warns, triggerSecrets(t, name)...)
		}
		sort.Slice(f.events, func(i, j int) bool { return f.events[i].Name < f.events[j].Name })
		for _, e := range f.events {
			add(typeTestEvent, n.name(append(words, e.Name, "event")...), f.urn+"/"+e.ID)
		}
		sort.Slice(f.async, func(i, j int) bool { return f.async[i].FuncURN < f.async[j].FuncURN })
		for _, a := range f.async {
			urn := strings.TrimSuffix(a.FuncURN, ":latest")
			if base := qualifierName[urn]; base != "" {
				add(typeAsyncConfig, n.unique(camel(base, "async")), urn)
			} else {
				add(typeAsyncConfig, n.name(append(words, qualifierOf(urn), "async")...), urn)
			}
		}
		sort.Slice(f.reserved, func(i, j int) bool {
			return f.reserved[i].QualifierType+f.reserved[i].QualifierName < f.reserved[j].QualifierType+f.reserved[j].QualifierName
		})
		for _, r := range f.reserved {
			add(typeReserved, n.name(append(words, r.QualifierName, "reserved")...), f.urn+"/"+r.QualifierType+"/"+r.QualifierName)
		}
	}
	return doc, warns, notes
}

// triggerLabel is the readable part of a trigger's name: the name its event data gives it, else its ID.
func triggerLabel(t fgs.Trigger) string {
	for _, k := range []string{"name", "trigger_name", "topic_urn", "stream_name", "instance_id"} {
		if v, ok := t.EventData[k].(string); ok && v != "" {
			if i := strings.LastIndex(v, ":"); i >= 0 {
				v = v[i+1:]
			}
			return v
		}
	}
	if len(t.TriggerID) > 8 {
		return t.TriggerID[:8]
	}
	return t.TriggerID
}

func qualifierOf(urn string) string {
	if u, err := fgs.ParseURN(urn); err == nil {
		return strings.TrimPrefix(u.Qualifier, "!")
	}
	return ""
}

// functionSecrets: encrypted environment variables and the tracing secret key are never returned.
func functionSecrets(f *functionFound, name string) []warning {
	var out []warning
	if enc := strings.TrimSpace(f.fn.EncryptedUserData.String()); enc != "" && enc != "{}" {
		keys := "its keys"
		var m map[string]any
		if json.Unmarshal([]byte(enc), &m) == nil && len(m) > 0 {
			ks := make([]string, 0, len(m))
			for k := range m {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			keys = strings.Join(ks, ", ")
		}
		out = append(out, warning{name, "secretEnvironment", "the function has encrypted environment variables (" + keys + "); their values are never returned"})
	}
	if f.tracing != nil {
		out = append(out, warning{name, "tracing.secretKey", "tracing is on; the service never returns its secret key"})
	}
	return out
}

// triggerSecrets: the passwords of Kafka, DMS and DDS triggers, and any secret key of a raw event data.
func triggerSecrets(t fgs.Trigger, name string) []warning {
	user := func(k string) bool { v, _ := t.EventData[k].(string); return v != "" }
	why := "the service never returns trigger passwords"
	switch t.TriggerTypeCode {
	case "KAFKA", "DMS":
		if user("kafka_user") {
			return []warning{{name, strings.ToLower(t.TriggerTypeCode) + ".password", why}}
		}
		return nil
	case "DDS":
		if user("db_user") {
			return []warning{{name, "dds.password", why}}
		}
		return nil
	case "TIMER", "APIG", "OBS", "SMN", "DIS", "LTS", "CTS":
		return nil
	}
	var out []warning
	keys := make([]string, 0, len(t.EventData))
	for k := range t.EventData {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if fgs.IsSecretKey(k) {
			out = append(out, warning{name, "eventData." + k, why})
		}
	}
	return out
}

// summary counts the document's resources per type, in typeOrder.
func summary(doc importFile) []typeCount {
	counts := map[string]int{}
	for _, r := range doc.Resources {
		counts[r.Type]++
	}
	out := make([]typeCount, 0, len(typeOrder))
	for _, t := range typeOrder {
		out = append(out, typeCount{t, counts[t]})
	}
	return out
}

type typeCount struct {
	typ   string
	count int
}
