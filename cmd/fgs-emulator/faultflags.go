package main

import (
	"flag"
	"strings"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// faultRules is the repeatable --fault flag.
type faultRules []emulator.FaultRule

func (f *faultRules) String() string {
	s := make([]string, len(*f))
	for i, r := range *f {
		s[i] = r.String()
	}
	return strings.Join(s, "; ")
}

func (f *faultRules) Set(v string) error {
	r, err := emulator.ParseFaultRule(v)
	if err != nil {
		return err
	}
	*f = append(*f, r)
	return nil
}

// faultFlags registers the flags for fault injection and returns the function that puts them
// into a Config.
func faultFlags(fs *flag.FlagSet) func(*emulator.Config) {
	var rules faultRules
	fs.Var(&rules, "fault", "fault rule \"PHASE METHOD ROUTE RATE KINDS\", repeatable; PHASE before (nothing is committed) or after\n"+
		"(the handler commits, then the answer is lost); METHOD or ROUTE * for all; ROUTE a pattern as in\n"+
		"/_emulator/requests, a trailing * matches a prefix; KINDS of 429 (before only),500,502,503,504,drop,hang.\n"+
		"e.g. --fault \"after POST /v2/{project_id}/fgs/functions 0.3 503,drop\"")
	hangMax := fs.Duration("hang-max", emulator.DefaultConfig().HangMax, "longest a \"hang\" fault holds a request before it drops the connection")
	return func(c *emulator.Config) {
		c.FaultRules = append(c.FaultRules, rules...)
		c.HangMax = *hangMax
	}
}
