package provider

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The functions that the invokeFunction and Invocation tests call: real Python handlers, deployed in the
// emulator as inline code, which the emulator runs with the python3 on PATH. The tests compute what each
// answer must be from the handler's code below, never from the emulator.
var invocationHandlers = map[string]string{
	// adder logs a line and returns {"sum": a+b} of its event.
	"adder": "def handler(event, context):\n" +
		"    print('adding', event['a'], 'and', event['b'])\n" +
		"    return {'sum': event['a'] + event['b']}\n",
	// echo returns the event it got, wrapped, or raises the event's "fail" as its error message.
	"echo": "def handler(event, context):\n" +
		"    if isinstance(event, dict) and 'fail' in event:\n" +
		"        raise RuntimeError(event['fail'])\n" +
		"    return {'event': event}\n",
	// texter returns plain text, which is not JSON.
	"texter": "def handler(event, context):\n    return 'hello, world'\n",
	// raiser divides by zero.
	"raiser": "def handler(event, context):\n    return 1 / 0\n",
	// crasher ends its own process before it answers.
	"crasher": "import os\n\ndef handler(event, context):\n    os._exit(3)\n",
	// sleeper outlives its 3 s timeout.
	"sleeper": "import time\n\ndef handler(event, context):\n    time.sleep(30)\n",
}

// invocationTimeouts are the functions' timeouts in seconds (30 unless listed).
var invocationTimeouts = map[string]int{"sleeper": 3}

// invocationRoute is the emulator's request-count key of a synchronous invocation.
const invocationRoute = "POST /v2/{project_id}/fgs/functions/{function_urn}/invocations"

// newInvocationCloud is a test cloud running the handlers above; it returns their unqualified URNs by name.
// The emulator is closed at the end of the test, which stops the instances it started.
func newInvocationCloud(t *testing.T) (*testCloud, map[string]string) {
	t.Helper()
	c := newTestCloud(t)
	t.Cleanup(func() { _ = c.em.Close() })
	urns := map[string]string{}
	for name, code := range invocationHandlers {
		timeout := invocationTimeouts[name]
		if timeout == 0 {
			timeout = 30
		}
		f, err := c.apiClient(t).Functions.Create(context.Background(), &fgs.CreateFunctionRequest{
			FuncName: name, Package: "default", Runtime: "Python3.9", Timeout: timeout, Handler: "index.handler", MemorySize: 128,
			CodeType: "inline", FuncCode: &fgs.FuncCode{File: base64.StdEncoding.EncodeToString([]byte(code))},
		})
		require.NoError(t, err, name)
		urns[name] = fgs.UnqualifiedURN(f.FuncURN)
	}
	c.em.ResetCounts()
	return c, urns
}

// invocations counts the synchronous invocations the emulator answered since the cloud was set up.
func (c *testCloud) invocations() int { return c.em.Counts()[invocationRoute] }
