package provider

import (
	"reflect"
	"sort"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// diffInputs compares two input structs field by field, by their Pulumi names. Keys in replace make a change
// a replacement; keys in skip are left to the caller.
func diffInputs[T any](olds, news T, replace []string, skip map[string]bool) map[string]p.PropertyDiff {
	diff := map[string]p.PropertyDiff{}
	ov, nv := reflect.ValueOf(olds), reflect.ValueOf(news)
	t := ov.Type()
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("pulumi"), ",")[0]
		if name == "" || skip[name] {
			continue
		}
		o, n := ov.Field(i), nv.Field(i)
		if equalInput(o, n) {
			continue
		}
		diff[name] = p.PropertyDiff{Kind: changeKind(!isEmpty(o), !isEmpty(n), oneOf(name, replace...)), InputDiff: true}
	}
	return diff
}

// equalInput treats an unset value and an empty one (nil map, empty map) as the same.
func equalInput(o, n reflect.Value) bool {
	if isEmpty(o) && isEmpty(n) {
		return true
	}
	return reflect.DeepEqual(o.Interface(), n.Interface())
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Map, reflect.Slice:
		return v.Len() == 0
	}
	return false
}

func changeKind(hadOld, hasNew, replace bool) p.DiffKind {
	switch {
	case !hadOld && replace:
		return p.AddReplace
	case !hadOld:
		return p.Add
	case !hasNew && replace:
		return p.DeleteReplace
	case !hasNew:
		return p.Delete
	case replace:
		return p.UpdateReplace
	}
	return p.Update
}

// fieldByName is the field of the struct v whose Pulumi name is key; it panics on a name the struct does not
// have (a programming error, which the resources' tests rule out).
func fieldByName(v reflect.Value, key string) reflect.Value {
	for i := 0; i < v.NumField(); i++ {
		if strings.Split(v.Type().Field(i).Tag.Get("pulumi"), ",")[0] == key {
			return v.Field(i)
		}
	}
	panic(v.Type().String() + " has no input " + key)
}

// Three-way choices for a read-modify-write body, where the service replaces what it is sent.

// choose: the new value if set; the empty value if it was set before; else the live value (when any).
func choose(news *string, hadOld bool, empty, live string) *string {
	switch {
	case news != nil:
		return news
	case hadOld:
		return &empty
	case live != "":
		return &live
	}
	return nil
}

func chooseInt(news *int, hadOld bool, live int) *int {
	switch {
	case news != nil:
		return news
	case hadOld || live == 0:
		return nil // the service's default applies
	}
	return &live
}

func chooseBool(news *bool, hadOld bool, live bool) *bool {
	switch {
	case news != nil:
		return news
	case hadOld:
		return fgs.Ptr(false)
	case live:
		return &live
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// toTags lists a tag map sorted by key.
func toTags(m map[string]string) []fgs.Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]fgs.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, fgs.Tag{Key: k, Value: m[k]})
	}
	return out
}

func fromTags(tags []fgs.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[t.Key] = t.Value
	}
	return out
}

// tagDelta: the tags to remove (keys gone) and to set (new or changed values).
func tagDelta(olds, news map[string]string) (removed, changed []fgs.Tag) {
	gone := map[string]string{}
	for k, v := range olds {
		if _, ok := news[k]; !ok {
			gone[k] = v
		}
	}
	set := map[string]string{}
	for k, v := range news {
		if ov, ok := olds[k]; !ok || ov != v {
			set[k] = v
		}
	}
	return toTags(gone), toTags(set)
}

func equalStrings(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
