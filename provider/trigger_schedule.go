package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // CRON_TZ zones are checked the same on every OS, with or without a zone database
)

// The TIMER schedule grammar, as the service documents it: a Rate of 1-60 minutes, 1-24 hours or 1-30 days;
// a Cron of "@every <duration>" or "[CRON_TZ=<zone>] second minute hour day-of-month month [day-of-week]".

var rateRe = regexp.MustCompile(`^([1-9][0-9]*)([mhd])$`)

// validateSchedule checks a timer's schedule of the given type (`Rate` or `Cron`).
func validateSchedule(kind, s string) error {
	if kind == "Rate" {
		return validateRate(s)
	}
	if rest, ok := strings.CutPrefix(s, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not valid: use @every with a positive duration, e.g. @every 30m or @every 2h30m", s)
		}
		return nil
	}
	return validateCron(s)
}

func validateRate(s string) error {
	m := rateRe.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("%q is not a rate: use a number and m, h or d, e.g. 3m, 2h, 1d", s)
	}
	n, _ := strconv.Atoi(m[1])
	if limit := map[string]int{"m": 60, "h": 24, "d": 30}[m[2]]; n > limit {
		return fmt.Errorf("%q is out of range: rates go from 1 to 60 minutes, 1 to 24 hours or 1 to 30 days", s)
	}
	return nil
}

// cronField is one field of a cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names for min..max, if any
	question bool     // `?` allowed
}

var cronFields = []cronField{
	{name: "second", min: 0, max: 59},
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31, question: true},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", min: 0, max: 6, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, question: true},
}

// validateCron checks an optional CRON_TZ zone (from the embedded zone database) and 5 or 6 fields.
func validateCron(s string) error {
	fields := strings.Fields(s)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "CRON_TZ=") {
		if _, err := time.LoadLocation(strings.TrimPrefix(fields[0], "CRON_TZ=")); err != nil || fields[0] == "CRON_TZ=" {
			return fmt.Errorf("%q: %s is not a time zone name such as CRON_TZ=Europe/Berlin", s, fields[0])
		}
		fields = fields[1:]
	}
	if len(fields) != 5 && len(fields) != 6 {
		return fmt.Errorf("%q is not a cron expression: use `second minute hour day-of-month month [day-of-week]` (e.g. `0 30 8 * * MON-FRI`) or `@every 30m`", s)
	}
	for i, f := range fields {
		if err := cronFields[i].check(f); err != nil {
			return fmt.Errorf("%q: the %s field %v", s, cronFields[i].name, err)
		}
	}
	return nil
}

// value parses one value of the field: a number in range, or a name (JAN, MON...).
func (cf cronField) value(s string) (int, error) {
	for i, n := range cf.names {
		if strings.EqualFold(s, n) {
			return cf.min + i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < cf.min || n > cf.max {
		return 0, fmt.Errorf("%q is not between %d and %d", s, cf.min, cf.max)
	}
	return n, nil
}

// check parses a comma-separated list of `*`, `?`, values and ranges, each with an optional `/step`.
func (cf cronField) check(field string) error {
	for _, part := range strings.Split(field, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return fmt.Errorf("has a bad step %q", step)
			}
		}
		switch {
		case rng == "*":
		case rng == "?" && cf.question && !hasStep:
		default:
			if err := cf.checkRange(rng); err != nil {
				return err
			}
		}
	}
	return nil
}

func (cf cronField) checkRange(rng string) error {
	lo, hi, isRange := strings.Cut(rng, "-")
	a, err := cf.value(lo)
	if err != nil || !isRange {
		return err
	}
	b, err := cf.value(hi)
	if err != nil {
		return err
	}
	if b < a {
		return fmt.Errorf("has a backward range %q", rng)
	}
	return nil
}
