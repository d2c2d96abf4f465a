package provider

import (
	"regexp"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// versionNameRe is the service's rule for a version name.
var versionNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,41}$`)

// checkFunctionVersion returns the failures of a FunctionVersion's inputs; a value not yet known (preview)
// is never a failure.
func checkFunctionVersion(inputs property.Map, args FunctionVersionArgs) []p.CheckFailure {
	c := &checker{inputs: inputs}
	if c.known("functionUrn") {
		checkUnqualifiedURN(c, "functionUrn", args.FunctionURN)
	}
	if args.Name != nil && c.known("name") {
		switch {
		case strings.EqualFold(*args.Name, "latest"):
			c.fail("name", "`latest` is the function's head, not a version that can be published; choose another name")
		default:
			c.match("name", *args.Name, versionNameRe, "use 1 to 42 letters, digits, `.`, `_` and `-`, starting with a letter or digit")
		}
	}
	if c.known("description") {
		c.maxLen("description", args.Description, maxDescription)
	}
	return c.failures
}

// checkUnqualifiedURN fails when s is not a 7-field function URN. FunctionVersion and Alias both take one.
func checkUnqualifiedURN(c *checker, path, s string) {
	u, err := fgs.ParseURN(s)
	switch {
	case err != nil:
		c.fail(path, "%q is not a function URN: use urn:fss:<region>:<project_id>:function:<app>:<name> (the Function's `functionUrn`)", s)
	case u.Qualifier != "":
		c.fail(path, "%q is qualified with %q: use the function's unqualified URN, urn:fss:<region>:<project_id>:function:<app>:<name>", s, u.Qualifier)
	}
}
