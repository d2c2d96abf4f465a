package fgs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// FlexInt is an integer in a response that the service sometimes sends as a
// JSON number, sometimes as a string ("247"), sometimes as null or "".
// It marshals as a JSON number.
type FlexInt int64

// UnmarshalJSON accepts 12, 12.0, "12", "", null.
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = strings.TrimSpace(str)
		if s == "" {
			*f = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = FlexInt(n)
		return nil
	}
	fl, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("fgs: cannot read %s as an integer", string(b))
	}
	*f = FlexInt(int64(fl))
	return nil
}

// Int returns the value as int.
func (f FlexInt) Int() int { return int(f) }

// FlexString is a string in a response that may arrive as a string, a number,
// a boolean, null, or (for fields like user_data) a JSON object; objects and
// arrays are kept as their compact JSON text. It marshals as a JSON string.
type FlexString string

// UnmarshalJSON accepts any JSON value.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = ""
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
		return nil
	}
	if b[0] == '{' || b[0] == '[' {
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		*f = FlexString(buf.String())
		return nil
	}
	*f = FlexString(b)
	return nil
}

// String returns the value.
func (f FlexString) String() string { return string(f) }

// FlexBool is a boolean that may arrive as true/false, "true"/"false", 0/1 or null.
type FlexBool bool

// UnmarshalJSON accepts true, "true", 1, "1", null (false).
func (f *FlexBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	switch strings.ToLower(s) {
	case "true", "1", "yes":
		*f = true
	case "false", "0", "no", "", "null":
		*f = false
	default:
		return fmt.Errorf("fgs: cannot read %s as a boolean", string(b))
	}
	return nil
}

// Ptr returns a pointer to v; handy for the optional fields of request structs.
func Ptr[T any](v T) *T { return &v }

// UnmarshalJSON reads concurrency / concurrent_num (also spelled
// concurrent_number in the publish answer) as numbers or numeric strings.
func (s *StrategyConfig) UnmarshalJSON(b []byte) error {
	var raw struct {
		Concurrency      *FlexInt `json:"concurrency"`
		ConcurrentNum    *FlexInt `json:"concurrent_num"`
		ConcurrentNumber *FlexInt `json:"concurrent_number"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = StrategyConfig{}
	if raw.Concurrency != nil {
		s.Concurrency = Ptr(int(*raw.Concurrency))
	}
	switch {
	case raw.ConcurrentNum != nil:
		s.ConcurrentNum = Ptr(int(*raw.ConcurrentNum))
	case raw.ConcurrentNumber != nil:
		s.ConcurrentNum = Ptr(int(*raw.ConcurrentNumber))
	}
	return nil
}

// UnmarshalJSON accepts event_data as an object or as a string holding one.
func (t *Trigger) UnmarshalJSON(b []byte) error {
	type plain Trigger
	var raw struct {
		plain
		EventData json.RawMessage `json:"event_data"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*t = Trigger(raw.plain)
	t.EventData = nil
	ed := bytes.TrimSpace(raw.EventData)
	if len(ed) > 0 && ed[0] == '"' {
		var s string
		if err := json.Unmarshal(ed, &s); err != nil {
			return err
		}
		ed = []byte(s)
	}
	if len(ed) == 0 || string(ed) == "null" || string(ed) == "" {
		return nil
	}
	if ed[0] != '{' {
		return nil // not an object (e.g. the update table's array form): ignore
	}
	return json.Unmarshal(ed, &t.EventData)
}
