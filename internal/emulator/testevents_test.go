package emulator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTestEvents(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	ev := h.obj("POST", "/fgs/functions/fn/events", map[string]any{"name": "event-xx", "content": `{"k":"v"}`}, 200)
	id := ev["id"].(string)
	require.Equal(t, "event-xx", ev["name"])
	require.Len(t, ev, 2)
	l := h.obj("GET", "/fgs/functions/fn/events", nil, 200)
	require.EqualValues(t, 1, l["count"])
	item := l["events"].([]any)[0].(map[string]any)
	require.EqualValues(t, 1795336200, item["last_modified"], "Unix seconds")
	g := h.obj("GET", "/fgs/functions/fn/events/"+id, nil, 200)
	require.Equal(t, `{"k":"v"}`, g["content"])
	h.obj("PUT", "/fgs/functions/fn/events/"+id, map[string]any{"content": "eyJrIjoidiJ9"}, 200)
	g = h.obj("GET", "/fgs/functions/fn/events/"+id, nil, 200)
	require.Equal(t, "eyJrIjoidiJ9", g["content"], "content stored verbatim")
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"bad name", map[string]any{"name": "9x", "content": "{}"}, 400, "FSS.1074"},
		{"no content", map[string]any{"name": "x"}, 400, "FSS.1074"},
		{"duplicate", map[string]any{"name": "event-xx", "content": "{}"}, 403, "FSS.1073"},
		{"too big", map[string]any{"name": "big", "content": strings.Repeat("a", 4097)}, 403, "FSS.1069"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { h.fail("POST", "/fgs/functions/fn/events", c.body, c.status, c.code) })
	}
	h.fail("GET", "/fgs/functions/fn/events/nope", nil, 404, "FSS.1070")
	h.fail("PUT", "/fgs/functions/fn/events/nope", map[string]any{"content": "{}"}, 404, "FSS.1070")
	for i := 0; i < 9; i++ {
		h.obj("POST", "/fgs/functions/fn/events", map[string]any{"name": fmt.Sprintf("e%d", i), "content": "{}"}, 200)
	}
	h.fail("POST", "/fgs/functions/fn/events", map[string]any{"name": "e10", "content": "{}"}, 403, "FSS.1068")
	h.nc("DELETE", "/fgs/functions/fn/events/"+id, nil)
	h.fail("DELETE", "/fgs/functions/fn/events/"+id, nil, 404, "FSS.1070")
}
