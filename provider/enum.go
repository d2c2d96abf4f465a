package provider

import (
	"strings"
	"unicode"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// enumValues builds enum values from wire values, naming each after the value with non-alphanumerics as `_`
// (Python3.9 -> Python3_9, C#(.NET Core 2.0) -> C_NET_Core_2_0).
func enumValues[T ~string](values ...string) []infer.EnumValue[T] {
	out := make([]infer.EnumValue[T], 0, len(values))
	for _, v := range values {
		out = append(out, infer.EnumValue[T]{Name: enumName(v), Value: T(v)})
	}
	return out
}

func enumName(v string) string {
	var b strings.Builder
	lastUnderscore := false
	for _, r := range v {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			lastUnderscore = false
		} else if !lastUnderscore && b.Len() > 0 {
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	name := strings.TrimRight(b.String(), "_")
	if name == "" {
		return "Value"
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// oneOf reports whether v is one of values.
func oneOf[T comparable](v T, values ...T) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}

// deref is the value v points to, or the zero value for nil.
func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}
