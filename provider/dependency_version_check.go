package provider

import (
	"regexp"
	"strings"
)

var dependencyNameRe = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9_.-]{0,94}[A-Za-z0-9])?$`)

func checkDependencyVersion(c *checker, a DependencyVersionArgs) {
	if c.known("name") {
		if len(a.Name) > 96 {
			c.fail("name", "must be at most 96 characters, not %d", len(a.Name))
		} else {
			c.match("name", a.Name, dependencyNameRe, "use letters, digits, `_`, `.` and `-`, starting with a letter and ending with a letter or digit")
		}
	}
	if c.known("runtime") {
		validateRuntime(c, string(a.Runtime))
	}
	if c.known("description") {
		c.maxLen("description", a.Description, maxDescription)
	}
	checkDependencySource(c, a)
}

// checkDependencySource: exactly one of code and link, and a package that can be built.
func checkDependencySource(c *checker, a DependencyVersionArgs) {
	hasCode, hasLink := a.Code != nil || c.unknown("code"), a.Link != nil || c.unknown("link")
	switch {
	case !hasCode && !hasLink:
		c.fail("code", "set exactly one of code (a local archive) or link (an OBS URL of a zip)")
	case hasCode && hasLink:
		c.fail("link", "set exactly one of code and link, not both")
	case a.Link != nil && c.known("link"):
		path, _, _ := strings.Cut(*a.Link, "?") // a signed URL carries its query after the object name
		if !urlRe.MatchString(*a.Link) || !strings.HasSuffix(strings.ToLower(path), ".zip") {
			c.fail("link", "%q is not the OBS URL of a zip, such as https://bucket.obs.eu-de.otc.t-systems.com/deps/pandas.zip", *a.Link)
		}
	case a.Code != nil && c.known("code") && hasContents(a.Code):
		if _, err := buildDependencyPackage(a); err != nil {
			c.fail("code", "%v", err)
		}
	}
}
