package provider

import (
	"fmt"
	"regexp"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// checker collects Check failures on property paths, and knows which inputs are still unknown (preview),
// so that an unknown value is never reported as invalid.
type checker struct {
	inputs   property.Map
	failures []p.CheckFailure
	warnings []string // accepted, but worth telling the user (logged by the resource's Check)
}

func (c *checker) warn(format string, args ...any) {
	c.warnings = append(c.warnings, fmt.Sprintf(format, args...))
}

func (c *checker) fail(path, format string, args ...any) {
	c.failures = append(c.failures, p.CheckFailure{Property: path, Reason: fmt.Sprintf(format, args...)})
}

// known reports whether the top-level input is set and fully known.
func (c *checker) known(key string) bool {
	v, ok := c.inputs.GetOk(key)
	return ok && !v.IsComputed() && !containsUnknowns(v)
}

// unknown reports whether the top-level input is, or contains, a value not known until apply.
func (c *checker) unknown(key string) bool {
	v, ok := c.inputs.GetOk(key)
	return ok && (v.IsComputed() || containsUnknowns(v))
}

func containsUnknowns(v property.Value) bool {
	switch {
	case v.IsComputed():
		return true
	case v.IsArray():
		for _, e := range v.AsArray().AsSlice() {
			if containsUnknowns(e) {
				return true
			}
		}
	case v.IsMap():
		for _, e := range v.AsMap().AsMap() {
			if containsUnknowns(e) {
				return true
			}
		}
	}
	return false
}

// intRange fails when v is set and outside [min, max].
func (c *checker) intRange(path string, v *int, min, max int, what string) {
	if v != nil && (*v < min || *v > max) {
		c.fail(path, "%s must be between %d and %d, not %d", what, min, max, *v)
	}
}

func (c *checker) maxLen(path string, v *string, max int) {
	if v != nil && len(*v) > max {
		c.fail(path, "must be at most %d characters, not %d", max, len(*v))
	}
}

func (c *checker) match(path, v string, re *regexp.Regexp, rule string) {
	if !re.MatchString(v) {
		c.fail(path, "%q is not valid: %s", v, rule)
	}
}
