package provider

import (
	"regexp"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Invocation resource through the provider server, against handlers the emulator really runs
// (invocation_handlers_test.go): each result is what the handler's code computes from the input.

func TestInvocationCallsOnCreateAndOnChange(t *testing.T) {
	t.Parallel()
	c, urns := newInvocationCloud(t)
	inv := c.resource(t, "Invocation", "seed")
	inputs := map[string]any{"functionUrn": urns["adder"] + ":latest", "input": `{"a": 1, "b": 2}`, "triggers": map[string]any{"code": "d1"}}
	var firstRequest string

	c.step(t, "create calls once (its preview does not) and records the answer", func(t *testing.T) {
		inv.mustCreate(props(inputs))
		assert.Equal(t, 1, c.invocations())
		assert.JSONEq(t, `{"sum": 3}`, str(inv.state, "result"), "1 + 2, computed by the handler")
		assert.Equal(t, 3.0, num(inv.state.Get("resultJson").AsMap(), "sum"))
		assert.Equal(t, 200.0, num(inv.state, "status"))
		firstRequest = str(inv.state, "requestId")
		assert.Regexp(t, `^[0-9a-f-]{36}$`, firstRequest, "the service's request ID")
		assert.Equal(t, firstRequest, inv.id, "the ID is the request ID")
	})
	c.step(t, "the same JSON written differently is no change", func(t *testing.T) {
		d, _ := inv.diff(props(merged(inputs, map[string]any{"input": `{ "b": 2,  "a": 1 }`})))
		assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
	})
	c.step(t, "refresh keeps the answer and calls nothing", func(t *testing.T) {
		resp := inv.read()
		assert.Equal(t, firstRequest, resp.ID)
		assert.JSONEq(t, `{"sum": 3}`, str(inv.state, "result"))
		assert.Equal(t, 1, c.invocations())
	})
	c.step(t, "a new input calls again; its preview does not, and promises an unknown result", func(t *testing.T) {
		d, checked := inv.diff(props(merged(inputs, map[string]any{"input": `{"a": 10, "b": 20}`})))
		require.True(t, d.HasChanges)
		assert.Equal(t, map[string]p.DiffKind{"input": p.Update}, diffKinds(d))
		promised := inv.preview(checked)
		assert.True(t, promised.Get("result").IsComputed(), "result: %v", promised.Get("result"))
		assert.Equal(t, 1, c.invocations())
		require.NoError(t, inv.update(checked))
		assert.Equal(t, 2, c.invocations())
		assert.JSONEq(t, `{"sum": 30}`, str(inv.state, "result"))
		assert.NotEqual(t, firstRequest, str(inv.state, "requestId"), "a new call, a new request ID")
		inputs = merged(inputs, map[string]any{"input": `{"a": 10, "b": 20}`})
	})
	c.step(t, "new triggers call again with the same input", func(t *testing.T) {
		d, checked := inv.diff(props(merged(inputs, map[string]any{"triggers": map[string]any{"code": "d2"}})))
		assert.Equal(t, map[string]p.DiffKind{"triggers": p.Update}, diffKinds(d))
		require.NoError(t, inv.update(checked))
		assert.Equal(t, 3, c.invocations())
		assert.JSONEq(t, `{"sum": 30}`, str(inv.state, "result"), "the handler got the same input")
		inputs = merged(inputs, map[string]any{"triggers": map[string]any{"code": "d2"}})
	})
	c.step(t, "another function replaces the invocation", func(t *testing.T) {
		d, _ := inv.diff(props(merged(inputs, map[string]any{"functionUrn": urns["echo"]})))
		assert.Equal(t, map[string]p.DiffKind{"functionUrn": p.UpdateReplace}, diffKinds(d))
	})
	c.step(t, "delete calls nothing", func(t *testing.T) {
		require.NoError(t, inv.delete())
		assert.Equal(t, 3, c.invocations())
	})
}

func TestInvocationOfAFailingFunctionFailsWithItsMessage(t *testing.T) {
	t.Parallel()
	c, urns := newInvocationCloud(t)
	c.step(t, "a handler that raised: the runtime's message and the service's code", func(t *testing.T) {
		err := c.resource(t, "Invocation", "raise").create(props(map[string]any{"functionUrn": urns["raiser"]}))
		require.Error(t, err)
		assert.Regexp(t, `function `+regexp.QuoteMeta(urns["raiser"])+` failed \(FSS\.0500, request [0-9a-f-]{36}\): division by zero`, err.Error())
	})
	c.step(t, "a handler whose process died", func(t *testing.T) {
		err := c.resource(t, "Invocation", "crash").create(props(map[string]any{"functionUrn": urns["crasher"], "input": "{}"}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "function "+urns["crasher"]+" failed (FSS.0500")
		assert.Contains(t, err.Error(), "): the function instance exited: exit status 3", "os._exit(3), as the service saw it")
	})
	c.step(t, "an update whose call fails is an error with the function's message", func(t *testing.T) {
		inv := c.resource(t, "Invocation", "echo")
		inv.mustCreate(props(map[string]any{"functionUrn": urns["echo"], "input": `{"n": 1}`}))
		assert.JSONEq(t, `{"event": {"n": 1}}`, str(inv.state, "result"))
		_, checked := inv.diff(props(map[string]any{"functionUrn": urns["echo"], "input": `{"fail": "no such table: users"}`}))
		err := inv.update(checked)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "function "+urns["echo"]+" failed (FSS.0500, request ")
		assert.Contains(t, err.Error(), "): no such table: users")
		assert.JSONEq(t, `{"event": {"n": 1}}`, str(inv.state, "result"), "the recorded answer stays the last good one")
	})
}

func TestInvocationCannotBeImported(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	_, err := c.server.Read(p.ReadRequest{ID: "req-1", Urn: urnOf("Invocation", "imported")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "an Invocation cannot be imported")
}

func TestInvocationCheck(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	inv := c.resource(t, "Invocation", "bad")
	chk := inv.check(props(map[string]any{"functionUrn": "adder", "input": "{a: 1}"}))
	reasons := map[string]string{}
	for _, f := range chk.Failures {
		reasons[f.Property] = f.Reason
	}
	assert.Contains(t, reasons["functionUrn"], "not a function URN")
	assert.Contains(t, reasons["input"], "not valid JSON text")
	_, total := c.fgsRequests()
	assert.Zero(t, total, "Check sends nothing")
}
