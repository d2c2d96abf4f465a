package provider

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

var (
	obsBucketRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	smnTopicURNRe   = regexp.MustCompile(`^urn:smn:[a-z0-9-]+:[0-9a-f]{32}:[A-Za-z0-9][A-Za-z0-9_-]{0,254}$`)
	disStreamNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

func checkAsyncInvokeConfig(c *checker, a AsyncInvokeConfigArgs) {
	if c.known("functionUrn") {
		if _, err := fgs.ParseURN(a.FunctionURN); err != nil {
			c.fail("functionUrn", "%q is not a function URN: use a function's unqualified URN, a version's (…:<version>) or an alias's (…:!<alias>)", a.FunctionURN)
		}
	}
	if c.known("maxAsyncEventAgeInSeconds") {
		c.intRange("maxAsyncEventAgeInSeconds", a.MaxAsyncEventAgeInSeconds, 1, 86400, "the event age in seconds")
	}
	if c.known("maxAsyncRetryAttempts") {
		c.intRange("maxAsyncRetryAttempts", a.MaxAsyncRetryAttempts, 0, 3, "the retry count")
	}
	checkAsyncDestination(c, "onSuccess", a.OnSuccess)
	checkAsyncDestination(c, "onFailure", a.OnFailure)
}

// checkAsyncDestination: exactly one kind, each with the fields its service needs.
func checkAsyncDestination(c *checker, key string, d *AsyncDestination) {
	v, ok := c.inputs.GetOk(key)
	if !ok || v.IsComputed() || !v.IsMap() || d == nil {
		return
	}
	kinds := destinationKinds(v.AsMap())
	switch {
	case len(kinds) == 0:
		c.fail(key, "set exactly one of functionGraph, obs, smn and dis")
		return
	case len(kinds) > 1:
		c.fail(key+"."+kinds[1], "set exactly one of functionGraph, obs, smn and dis, not %s", strings.Join(kinds, " and "))
		return
	}
	switch {
	case d.FunctionGraph != nil && c.knownAt(key, "functionGraph", "functionUrn"):
		if _, err := fgs.ParseURN(d.FunctionGraph.FunctionURN); err != nil {
			c.fail(key+".functionGraph.functionUrn", "%q is not a function URN (unqualified, version or alias URN)", d.FunctionGraph.FunctionURN)
		}
	case d.Obs != nil:
		if c.knownAt(key, "obs", "bucket") {
			c.match(key+".obs.bucket", d.Obs.Bucket, obsBucketRe, "an OBS bucket name is 3 to 63 lowercase letters, digits, `-` and `.`")
		}
		if c.knownAt(key, "obs", "expires") {
			c.intRange(key+".obs.expires", d.Obs.Expires, 0, 365, "the expiry in days")
		}
	case d.Smn != nil && c.knownAt(key, "smn", "topicUrn"):
		c.match(key+".smn.topicUrn", d.Smn.TopicURN, smnTopicURNRe, "use the topic's URN, urn:smn:<region>:<project_id>:<topic>")
	case d.Dis != nil && c.knownAt(key, "dis", "streamName"):
		c.match(key+".dis.streamName", d.Dis.StreamName, disStreamNameRe, "a DIS stream name is 1 to 64 letters, digits, `_` and `-`")
	}
}

// destinationKinds lists the kinds given in a destination, known or not (an unknown one is still given).
func destinationKinds(m property.Map) []string {
	var kinds []string
	for _, k := range []string{"functionGraph", "obs", "smn", "dis"} {
		if v, ok := m.GetOk(k); ok && !v.IsNull() {
			kinds = append(kinds, k)
		}
	}
	return kinds
}
