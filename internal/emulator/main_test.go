package emulator

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
)

// coverage collects the route counts of every harness, so that TestMain can check that the
// whole suite exercised every registered route.
var (
	coverageMu sync.Mutex
	coverage   = map[string]int{}
)

func recordCoverage(e *Emulator) {
	coverageMu.Lock()
	defer coverageMu.Unlock()
	for k, v := range e.Counts() {
		coverage[k] += v
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		e, _ := New(DefaultConfig())
		var missing []string
		coverageMu.Lock()
		for _, r := range e.routes {
			if coverage[r.method+" "+r.pattern] == 0 {
				missing = append(missing, r.method+" "+r.pattern)
			}
		}
		coverageMu.Unlock()
		sort.Strings(missing)
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "routes never exercised by the tests:\n")
			for _, m := range missing {
				fmt.Fprintln(os.Stderr, "  "+m)
			}
			code = 1
		}
	}
	os.Exit(code)
}
