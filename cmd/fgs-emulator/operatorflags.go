package main

import (
	"flag"
	"fmt"
	"io"
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

// operatorFlags registers the flags of the operator side (faults, hangs, token lifetime) and
// returns the function that puts them into a Config.
func operatorFlags(fs *flag.FlagSet) func(*emulator.Config) error {
	var rules faultRules
	fs.Var(&rules, "fault", "fault rule \"PHASE METHOD ROUTE RATE KINDS\", repeatable; PHASE before (nothing is committed) or after\n"+
		"(the handler commits, then the answer is lost); METHOD or ROUTE * for all; ROUTE a pattern as in\n"+
		"/_emulator/requests, a trailing * matches a prefix; KINDS of 429 (before only),500,502,503,504,drop,hang.\n"+
		"e.g. --fault \"after POST /v2/{project_id}/fgs/functions 0.3 503,drop\"")
	hangMax := fs.Duration("hang-max", emulator.DefaultConfig().HangMax, "longest a \"hang\" fault holds a request before it drops the connection")
	seed := fs.Int64("fault-seed", 0, "seed of the fault and latency draws, for reproducible runs (0: random; GET /_emulator/faults shows it)")
	tokenTTL := fs.Duration("token-ttl", emulator.DefaultConfig().TokenTTL, "lifetime of the IAM tokens (e.g. 2s to test expiry and refresh)")
	return func(c *emulator.Config) error {
		if *hangMax <= 0 {
			return fmt.Errorf("--hang-max: want a positive duration, got %v", *hangMax)
		}
		if *tokenTTL <= 0 {
			return fmt.Errorf("--token-ttl: want a positive duration, got %v", *tokenTTL)
		}
		c.FaultRules = append(c.FaultRules, rules...)
		c.HangMax, c.TokenTTL, c.FaultSeed = *hangMax, *tokenTTL, *seed
		return nil
	}
}

// printOperatorHelp ends --help with the fault kinds and the operator endpoints.
func printOperatorHelp(w io.Writer) {
	fmt.Fprint(w, `
Fault kinds: 429 (429 FSS.0429, Retry-After: 1; before the handler only), 500 (FSS.0500), 502 (APIG.0202),
503 (FSS.0503), 504 (APIG.0203), drop (connection closed, no answer), hang (no answer until the client
gives up, shutdown or --hang-max). "after" faults run the handler first: the write is committed, the
answer lost. Rules are drawn in order after --fault-rate; with one --fault-seed the n-th request of a
route meets the same fate in every run.

Operator endpoints (no auth, not counted, never faulted):
`)
	for _, ep := range emulator.OperatorEndpoints() {
		fmt.Fprintf(w, "  %s %s\n    \t%s\n", ep.Method, ep.Path, ep.Doc)
	}
}
