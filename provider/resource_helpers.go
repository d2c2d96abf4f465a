package provider

import "github.com/pulumi/pulumi/sdk/v3/go/property"

// knownAt reports whether the input at a nested path (map keys, top-level first) is set and fully known;
// checker.known answers the same for a top-level input.
func (c *checker) knownAt(path ...string) bool {
	v := property.New(c.inputs)
	for _, k := range path {
		if v.IsComputed() || !v.IsMap() {
			return false
		}
		next, ok := v.AsMap().GetOk(k)
		if !ok {
			return false
		}
		v = next
	}
	return !containsUnknowns(v)
}
