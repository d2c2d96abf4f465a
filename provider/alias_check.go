package provider

import (
	"regexp"
	"sort"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// aliasNameRe is the service's rule for an alias name.
var aliasNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,62}$`)

// checkAlias returns the failures of an Alias's inputs; a value not yet known (preview) is never a failure.
func checkAlias(inputs property.Map, args AliasArgs) []p.CheckFailure {
	c := &checker{inputs: inputs}
	if c.known("functionUrn") {
		checkUnqualifiedURN(c, "functionUrn", args.FunctionURN)
	}
	if c.known("name") && args.Name == "latest" {
		c.fail("name", "`latest` is the function's head version, not an alias name")
	} else if c.known("name") {
		c.match("name", args.Name, aliasNameRe, "use 1 to 63 letters, digits, `_` and `-`, starting with a letter")
	}
	if c.known("functionVersion") && strings.TrimSpace(args.FunctionVersion) == "" {
		c.fail("functionVersion", "must not be empty: name a published version or `latest`")
	}
	if c.known("description") {
		c.maxLen("description", args.Description, maxDescription)
	}
	checkWeights(c, args)
	return c.failures
}

// checkWeights: each weight 0-100, in all at most 100, never the primary version (FSS.1092 / FSS.1093).
func checkWeights(c *checker, args AliasArgs) {
	raw, ok := c.inputs.GetOk("additionalVersionWeights")
	if !ok || !raw.IsMap() {
		return
	}
	entries := raw.AsMap()
	versions := make([]string, 0, len(args.AdditionalVersionWeights))
	for v := range args.AdditionalVersionWeights {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	total, allKnown := 0, !raw.IsComputed()
	for _, v := range versions {
		w := args.AdditionalVersionWeights[v]
		path := "additionalVersionWeights." + v
		if e, ok := entries.GetOk(v); !ok || containsUnknowns(e) {
			allKnown = false
			continue
		}
		switch {
		case v == "":
			c.fail("additionalVersionWeights", "a version name must not be empty")
		case c.known("functionVersion") && v == args.FunctionVersion:
			c.fail(path, "%q is the alias's primary version: list only the other versions here; the primary gets the rest of the traffic", v)
		case w < 0 || w > 100:
			c.fail(path, "the weight of %q must be between 0 and 100 (percent), not %d", v, w)
			allKnown = false // the total is not worth a second complaint
		}
		total += w
	}
	if allKnown && total > 100 {
		c.fail("additionalVersionWeights", "the weights add up to %d%%: together they must be at most 100%%", total)
	}
}
