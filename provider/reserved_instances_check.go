package provider

import (
	"fmt"
	"strings"
)

const maxReservedInstances = 1000

func checkReservedInstances(c *checker, a ReservedInstancesArgs) {
	if c.known("functionUrn") {
		checkUnqualifiedURN(c, "functionUrn", a.FunctionURN)
	}
	typeKnown := c.known("qualifierType")
	if typeKnown && !oneOf(a.QualifierType, "version", "alias") {
		c.fail("qualifierType", "%q is not a qualifier type: use version or alias", a.QualifierType)
		typeKnown = false
	}
	if c.known("qualifierName") && typeKnown {
		checkQualifierName(c, a)
	}
	if c.known("count") {
		c.intRange("count", &a.Count, 0, maxReservedInstances, "the number of reserved instances")
		if a.Count == 0 && len(a.CronPolicies) == 0 && len(a.MetricPolicies) == 0 && !c.unknown("cronPolicies") && !c.unknown("metricPolicies") {
			c.fail("count", "0 instances and no policies reserve nothing (that is what deleting the resource does): set count to 1 or more, or add a policy")
		}
	}
	if c.known("cronPolicies") {
		checkCronPolicies(c, a.CronPolicies)
	}
	if c.known("metricPolicies") {
		checkMetricPolicies(c, a.MetricPolicies)
	}
}

func checkQualifierName(c *checker, a ReservedInstancesArgs) {
	switch {
	case a.QualifierType == "alias" && a.QualifierName == "latest":
		c.fail("qualifierName", "`latest` is a version, not an alias: set qualifierType to version")
	case a.QualifierType == "alias":
		c.match("qualifierName", a.QualifierName, aliasNameRe, "an alias name is 1 to 63 letters, digits, `_` and `-`, starting with a letter")
	default:
		c.match("qualifierName", a.QualifierName, versionNameRe, "a version is `latest` or 1 to 42 letters, digits, `.`, `_` and `-`, starting with a letter or digit")
	}
}

func checkCronPolicies(c *checker, ps []ReservedCronPolicy) {
	seen := map[string]bool{}
	for i, p := range ps {
		at := func(f string) string { return fmt.Sprintf("cronPolicies[%d].%s", i, f) }
		switch {
		case strings.TrimSpace(p.Name) == "":
			c.fail(at("name"), "must not be empty")
		case seen[p.Name]:
			c.fail(at("name"), "%q is the name of another cron policy: names are unique", p.Name)
		}
		seen[p.Name] = true
		if fields := strings.Fields(p.Cron); len(fields) != 6 || strings.HasPrefix(p.Cron, "CRON_TZ=") {
			c.fail(at("cron"), "%q: reserved-instance schedules take the six fields `second minute hour day-of-month month day-of-week`, "+
				"without CRON_TZ, e.g. `0 0 8 * * MON-FRI`", p.Cron)
		} else if err := validateCron(p.Cron); err != nil {
			c.fail(at("cron"), "%v", err) // the trigger schedule grammar: each field's range and names
		}
		c.intRange(at("count"), &p.Count, 0, maxReservedInstances, "the number of instances")
		switch {
		case p.StartTime <= 0:
			c.fail(at("startTime"), "must be a time in Unix seconds, e.g. 1767225600 for 2026-01-01T00:00:00Z, not %d", p.StartTime)
		case p.ExpiredTime <= p.StartTime:
			c.fail(at("expiredTime"), "must be after startTime (%d), not %d", p.StartTime, p.ExpiredTime)
		}
	}
}

func checkMetricPolicies(c *checker, ps []ReservedMetricPolicy) {
	seen := map[string]bool{}
	for i, p := range ps {
		at := func(f string) string { return fmt.Sprintf("metricPolicies[%d].%s", i, f) }
		switch {
		case strings.TrimSpace(p.Name) == "":
			c.fail(at("name"), "must not be empty")
		case seen[p.Name]:
			c.fail(at("name"), "%q is the name of another metric policy: names are unique", p.Name)
		}
		seen[p.Name] = true
		if strings.TrimSpace(p.Type) == "" {
			c.fail(at("type"), "must name the metric, e.g. Concurrency")
		}
		c.intRange(at("threshold"), &p.Threshold, 1, 100, "the threshold in percent")
		c.intRange(at("min"), &p.Min, 0, maxReservedInstances, "the fewest instances")
	}
}
