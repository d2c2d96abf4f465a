package emulator

import "regexp"

// Test events (API reference §5.4).

var eventNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,24}$`)

const (
	maxEvents       = 10
	maxEventContent = 4096
)

func (e *Emulator) listEvents(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	out := []any{}
	for _, ev := range t.fn.Events {
		out = append(out, map[string]any{"id": ev.ID, "name": ev.Name, "last_modified": ev.LastModified.Unix()})
	}
	c.ok(200, map[string]any{"events": out, "next_marker": len(out), "count": len(out)})
}

// Test-event content is stored verbatim (raw JSON text in §5.4.2, Base64 in §5.4.4/SDK).
func (e *Emulator) createEvent(c *reqCtx) {
	var in struct {
		Name    *string `json:"name"`
		Content *string `json:"content"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if in.Name == nil || !eventNameRe.MatchString(*in.Name) || in.Content == nil {
		c.fail(errf(400, "FSS.1074", "The event field is invalid: name (letter first; letters, digits, - and _) and content are mandatory."))
		return
	}
	if len(*in.Content) > maxEventContent {
		c.fail(errf(403, "FSS.1069", "The size of EventData exceeds 4 KB."))
		return
	}
	for _, ev := range t.fn.Events {
		if ev.Name == *in.Name {
			c.fail(errf(403, "FSS.1073", "The function event already exists."))
			return
		}
	}
	if len(t.fn.Events) >= maxEvents {
		c.fail(errf(403, "FSS.1068", "The number of events configured for the function exceeds the maximum allowed limit (%d).", maxEvents))
		return
	}
	ev := &testEvent{ID: uuid(), Name: *in.Name, Content: *in.Content, LastModified: e.now()}
	t.fn.Events = append(t.fn.Events, ev)
	e.persistLocked()
	c.ok(200, map[string]any{"id": ev.ID, "name": ev.Name})
}

func (e *Emulator) eventTarget(c *reqCtx) (*function, *testEvent) {
	t := e.resolve(c, "function_urn")
	if t == nil {
		return nil, nil
	}
	for _, ev := range t.fn.Events {
		if ev.ID == c.p("event_id") {
			return t.fn, ev
		}
	}
	c.fail(errf(404, "FSS.1070", "The event cannot be found."))
	return nil, nil
}

func (e *Emulator) getEvent(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ev := e.eventTarget(c)
	if ev == nil {
		return
	}
	c.ok(200, map[string]any{"id": ev.ID, "name": ev.Name, "content": ev.Content, "last_modified": ev.LastModified.Unix()})
}

func (e *Emulator) updateEvent(c *reqCtx) {
	var in struct {
		Content *string `json:"content"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ev := e.eventTarget(c)
	if ev == nil {
		return
	}
	if in.Content == nil {
		c.fail(errf(400, "FSS.1074", "The event field is invalid: content is mandatory."))
		return
	}
	if len(*in.Content) > maxEventContent {
		c.fail(errf(403, "FSS.1069", "The size of EventData exceeds 4 KB."))
		return
	}
	ev.Content, ev.LastModified = *in.Content, e.now()
	e.persistLocked()
	c.ok(200, map[string]any{"id": ev.ID, "name": ev.Name})
}

func (e *Emulator) deleteEvent(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, ev := e.eventTarget(c)
	if ev == nil {
		return
	}
	for i, x := range f.Events {
		if x == ev {
			f.Events = append(f.Events[:i], f.Events[i+1:]...)
			break
		}
	}
	e.persistLocked()
	c.noContent()
}
