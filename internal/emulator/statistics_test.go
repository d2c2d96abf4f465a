package emulator

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func seriesSum(t *testing.T, m map[string]any, key string) (sum float64, nonEmpty int) {
	t.Helper()
	for _, p := range m[key].([]any) {
		v := p.(map[string]any)["value"].(float64)
		if v >= 0 {
			sum += v
			nonEmpty++
		}
	}
	return sum, nonEmpty
}

// Statistics count the calls that happened: successes, failures and throttled calls.
func TestStatisticsCountRealCalls(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("counted", "Python3.9", "import time\ndef handler(event, context):\n    if event.get('fail'):\n        raise ValueError('no')\n    time.sleep(event.get('sleep', 0))\n    return {}\n")
	h.obj("PUT", "/fgs/functions/"+urn7("counted")+"/config-max-instance", map[string]any{"max_instance_num": 1}, 200)
	empty := h.obj("GET", "/fgs/functions/"+urn7("counted")+"/statistics/60", nil, 200)
	_, n := seriesSum(t, empty, "count")
	require.Zero(t, n, "no call, no data point")

	for i := 0; i < 3; i++ {
		h.invoke(urn7("counted"), map[string]any{}).result(t)
	}
	require.Equal(t, "true", h.invoke(urn7("counted"), map[string]any{"fail": true}).header["X-Is-Func-Err"])
	// One instance at most: a second call while the first sleeps is throttled.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); h.invoke(urn7("counted"), map[string]any{"sleep": 0.5}) }()
	time.Sleep(150 * time.Millisecond)
	h.fail("POST", "/fgs/functions/"+urn7("counted")+"/invocations", map[string]any{}, 429, "FSS.0429")
	wg.Wait()

	st := h.obj("GET", "/fgs/functions/"+urn7("counted")+"/statistics/60", nil, 200)
	count, _ := seriesSum(t, st, "count")
	fails, _ := seriesSum(t, st, "fail_count")
	rejects, _ := seriesSum(t, st, "reject_count")
	require.EqualValues(t, 5, count, "3 successes, 1 failure, 1 slow call")
	require.EqualValues(t, 1, fails)
	require.EqualValues(t, 1, rejects)
	maxd, _ := seriesSum(t, st, "max_duration")
	require.GreaterOrEqual(t, maxd, 500.0, "the slow call's duration")
	require.Len(t, st["count"], 61, "one bucket per minute")
	h.fail("GET", "/fgs/functions/"+urn7("counted")+"/statistics/x", nil, 400, "FSS.0400")
	h.fail("GET", "/fgs/functions/"+urn7("missing")+"/statistics/60", nil, 404, "FSS.1051")
}
