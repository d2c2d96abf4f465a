package emulator

import (
	"strings"
)

// urnRef is a parsed function URN (§1.6.1).
type urnRef struct {
	Project, Package, Name string
	Qual                   string // "" = unqualified
	AliasOnly              bool   // qualifier written with "!" (alias for sure)
	Fields                 int
}

// parseURN accepts the simplified 1/2/3/4-field forms and the 7/8-field URN.
// Qualifiers: ":v1" (version, else alias), ":!a" or "name!a" (alias).
// 5/6-field strings and wrong prefixes are 400 FSS.1309.
func parseURN(s, defaultProject string) (urnRef, *apiError) {
	bad := errf(400, "FSS.1309", "Invalid function URN: %s", s)
	if s == "" || strings.ContainsAny(s, "/ ") {
		return urnRef{}, bad
	}
	parts := strings.Split(s, ":")
	var ref urnRef
	ref.Fields = len(parts)
	switch len(parts) {
	case 1:
		ref.Project, ref.Package, ref.Name = defaultProject, "default", parts[0]
	case 2:
		ref.Project, ref.Package, ref.Name = defaultProject, parts[0], parts[1]
	case 3:
		ref.Project, ref.Package, ref.Name = parts[0], parts[1], parts[2]
	case 4:
		ref.Project, ref.Package, ref.Name, ref.Qual = parts[0], parts[1], parts[2], parts[3]
	case 7, 8:
		if parts[0] != "urn" || parts[1] != "fss" || parts[4] != "function" || parts[2] == "" {
			return urnRef{}, bad
		}
		ref.Project, ref.Package, ref.Name = parts[3], parts[5], parts[6]
		if len(parts) == 8 {
			ref.Qual = parts[7]
			if ref.Qual == "" {
				return urnRef{}, bad
			}
		}
	default:
		return urnRef{}, bad
	}
	// "name!alias" (grammar line §1.6.1) — alias glued to the name.
	if i := strings.IndexByte(ref.Name, '!'); i >= 0 {
		if ref.Qual != "" {
			return urnRef{}, bad
		}
		ref.Name, ref.Qual, ref.AliasOnly = ref.Name[:i], ref.Name[i+1:], true
		if ref.Qual == "" {
			return urnRef{}, bad
		}
	} else if strings.HasPrefix(ref.Qual, "!") {
		ref.Qual, ref.AliasOnly = ref.Qual[1:], true
		if ref.Qual == "" {
			return urnRef{}, bad
		}
	}
	if ref.Project == "" || ref.Package == "" || ref.Name == "" || strings.Contains(ref.Qual, "!") {
		return urnRef{}, bad
	}
	return ref, nil
}

func (e *Emulator) funcURN(pkg, name string) string {
	return "urn:fss:" + e.cfg.Region + ":" + e.cfg.ProjectID + ":function:" + pkg + ":" + name
}

// qualURN renders a qualified URN: versions as ":v", aliases as ":!a" (§5.7.4 form).
func (e *Emulator) qualURN(f *function, qual string) string {
	return e.funcURN(f.Package, f.Name) + ":" + qual
}

// target is a resolved URN.
type target struct {
	fn       *function
	ver      *funcVersion // the version the URN designates (alias → its primary version)
	alias    *alias       // non-nil when the URN named an alias
	qual     string       // "" unqualified, "latest", version name, or "!alias"
	explicit bool         // URN carried a qualifier
}

func (e *Emulator) findFunctionLocked(pkg, name string) *function {
	for _, f := range e.st.Functions {
		if f.Package == pkg && f.Name == name {
			return f
		}
	}
	return nil
}

func (f *function) version(name string) *funcVersion {
	if name == "latest" {
		return f.Head
	}
	for _, v := range f.Versions {
		if v.Version == name {
			return v
		}
	}
	return nil
}

func (f *function) findAlias(name string) *alias {
	for _, a := range f.Aliases {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// resolveLocked parses and resolves a URN path parameter against the path project.
func (e *Emulator) resolveLocked(raw, project string) (*target, *apiError) {
	ref, aerr := parseURN(raw, project)
	if aerr != nil {
		return nil, aerr
	}
	notFound := errf(404, "FSS.1051", "Not found the function")
	if ref.Project != project {
		return nil, notFound
	}
	f := e.findFunctionLocked(ref.Package, ref.Name)
	if f == nil {
		return nil, notFound
	}
	t := &target{fn: f, ver: f.Head, explicit: ref.Qual != ""}
	if ref.Qual == "" {
		return t, nil
	}
	if !ref.AliasOnly {
		if v := f.version(ref.Qual); v != nil {
			t.ver, t.qual = v, ref.Qual
			if ref.Qual == "latest" {
				t.qual = "latest"
			}
			return t, nil
		}
	}
	if a := f.findAlias(ref.Qual); a != nil {
		t.alias, t.qual = a, "!"+a.Name
		t.ver = f.version(a.Version)
		if t.ver == nil {
			t.ver = f.Head
		}
		return t, nil
	}
	if ref.AliasOnly {
		return nil, errf(404, "FSS.1053", "Not found the function alias")
	}
	return nil, errf(404, "FSS.1052", "Not found the function version")
}

// qualKey is the qualifier a per-qualifier setting (async config, reserved instances, triggers) binds to.
func (t *target) qualKey() string {
	if t.qual == "" {
		return "latest"
	}
	return t.qual
}

// urnForQual renders the URN of a stored qualifier key.
func (e *Emulator) urnForQual(f *function, q string) string {
	return e.qualURN(f, q)
}
