package emulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Reserved instances start ahead of calls: the initializer does not run in the first call, and
// the idle reaper keeps them.
func TestReservedInstancesAreKeptWarm(t *testing.T) {
	h := execHarness(t, func(c *Config) { c.InstanceIdleTimeout = 200 * time.Millisecond })
	h.inlineFn("resv", "Python3.9", "inits = 0\ndef init(context):\n    global inits\n    inits += 1\n    print('INIT RAN')\ndef handler(event, context):\n    return {'inits': inits, 'alias': context.getAlias()}\n",
		"initializer_handler", "index.init", "initializer_timeout", 10)
	h.obj("POST", "/fgs/functions/"+urn7("resv")+"/versions", map[string]any{"version": "v1"}, 200)
	h.obj("POST", "/fgs/functions/"+urn7("resv")+"/aliases", map[string]any{"name": "prod", "version": "v1"}, 200)
	h.obj("PUT", "/fgs/functions/"+urn7("resv")+":!prod/reservedinstances", map[string]any{"count": 1}, 200)
	require.Empty(t, h.e.exec.startedGroups(), "no process before the emulator's first invocation")
	h.inlineFn("other", "Python3.9", "def handler(event, context):\n    return {}\n")
	h.invoke(urn7("other"), nil).result(t)
	idle := func() int {
		h.e.exec.mu.Lock()
		defer h.e.exec.mu.Unlock()
		for key, p := range h.e.exec.pools {
			if len(key) > 3 && key[len(key)-3:] == "|v1" {
				return len(p.idle)
			}
		}
		return 0
	}
	require.Eventually(t, func() bool { return idle() == 1 }, 5*time.Second, 20*time.Millisecond, "the reserved instance starts without a call")
	time.Sleep(600 * time.Millisecond) // three idle timeouts: a reserved instance is not reaped
	require.Equal(t, 1, idle())
	a := h.invoke(urn7("resv")+":!prod", nil)
	r := a.result(t)
	require.EqualValues(t, 1, r["inits"])
	require.Equal(t, "prod", r["alias"])
	require.NotContains(t, a.body["log"], "INIT RAN", "the initializer ran at warm-up, not in the call")
	require.Equal(t, "", h.invoke(urn7("resv")+":v1", nil).result(t)["alias"])

	// count 0 releases the reservation: the instance is reaped like any idle one.
	h.obj("PUT", "/fgs/functions/"+urn7("resv")+":!prod/reservedinstances", map[string]any{"count": 0}, 200)
	require.Eventually(t, func() bool { return idle() == 0 }, 5*time.Second, 20*time.Millisecond)
}
