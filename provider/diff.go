package provider

import (
	"reflect"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
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
