package fgs

import (
	"fmt"
	"net/url"
	"strings"
)

// URN is a parsed function URN:
// urn:fss:<region>:<project_id>:function:<package>:<name>[:<version>|:!<alias>|!<alias>]
type URN struct {
	Region    string
	ProjectID string
	Package   string
	Name      string
	// Qualifier is the version ("latest", "v1") or the alias; Alias tells which.
	Qualifier string
	Alias     bool
}

// ParseURN parses a 7- or 8-field function URN.
func ParseURN(s string) (URN, error) {
	var u URN
	rest := s
	if i := strings.LastIndex(rest, "!"); i >= 0 {
		u.Qualifier, u.Alias = rest[i+1:], true
		rest = strings.TrimSuffix(rest[:i], ":")
	}
	f := strings.Split(rest, ":")
	if len(f) < 7 || len(f) > 8 || f[0] != "urn" || f[1] != "fss" || f[4] != "function" {
		return URN{}, fmt.Errorf("fgs: %q is not a function URN (urn:fss:<region>:<project_id>:function:<package>:<name>[:<version>])", s)
	}
	if len(f) == 8 {
		if u.Alias {
			return URN{}, fmt.Errorf("fgs: %q has both a version and an alias", s)
		}
		u.Qualifier = f[7]
	}
	u.Region, u.ProjectID, u.Package, u.Name = f[2], f[3], f[5], f[6]
	if u.Package == "" || u.Name == "" {
		return URN{}, fmt.Errorf("fgs: %q has an empty package or function name", s)
	}
	return u, nil
}

// Unqualified returns the 7-field URN (no version, no alias).
func (u URN) Unqualified() string {
	return "urn:fss:" + u.Region + ":" + u.ProjectID + ":function:" + u.Package + ":" + u.Name
}

// String returns the URN with its qualifier (aliases as ":!alias").
func (u URN) String() string {
	switch {
	case u.Qualifier == "":
		return u.Unqualified()
	case u.Alias:
		return u.Unqualified() + ":!" + u.Qualifier
	default:
		return u.Unqualified() + ":" + u.Qualifier
	}
}

// UnqualifiedURN strips a version or alias qualifier (e.g. ":latest" from a
// create answer); strings that are not URNs are returned unchanged.
func UnqualifiedURN(s string) string {
	u, err := ParseURN(s)
	if err != nil {
		return s
	}
	return u.Unqualified()
}

// BuildURN builds a function URN; qualifier may be "" (unqualified), a version, or "!alias".
func BuildURN(region, projectID, pkg, name, qualifier string) string {
	u := "urn:fss:" + region + ":" + projectID + ":function:" + pkg + ":" + name
	if qualifier != "" {
		u += ":" + qualifier
	}
	return u
}

// seg escapes one path segment but keeps ':' and '!' literal, as the service
// expects URNs on the wire (the AK/SK canonical URI encodes them separately).
func seg(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "%21", "!")
}
