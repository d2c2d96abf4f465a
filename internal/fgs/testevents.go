package fgs

import (
	"context"
	"net/http"
	"strconv"
)

// TestEventsService: test events of a function (API 5.4).
type TestEventsService service

// TestEvent is a test event. Content is returned as the service stores it
// (Base64 in practice).
type TestEvent struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Content      string  `json:"content,omitempty"`
	LastModified FlexInt `json:"last_modified,omitempty"` // Unix seconds
}

// CreateTestEventRequest is the body of POST .../events.
type CreateTestEventRequest struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

func eventPath(urn, id string) string { return fnPath(urn) + "/events/" + seg(id) }

// Create creates a test event. Retry safety: an ambiguous failure is resolved
// by listing the events and matching the name (names are unique); the event is
// adopted only if it was created inside the request's time window.
func (s *TestEventsService) Create(ctx context.Context, urn string, req *CreateTestEventRequest) (*TestEvent, error) {
	var out TestEvent
	err := s.c.do(ctx, reqSpec{
		method: http.MethodPost, path: fnPath(urn) + "/events", body: req, out: &out,
		recover: func(ctx context.Context, w createWindow) (*AlreadyExistsError, error) {
			es, err := s.List(ctx, urn)
			if err != nil {
				return nil, err
			}
			for _, e := range es {
				if e.Name == req.Name {
					out = e
					stamp := ""
					if e.LastModified != 0 {
						stamp = strconv.Itoa(e.LastModified.Int())
					}
					return &AlreadyExistsError{Kind: "TestEvent", Name: req.Name, ImportID: urn + "/" + req.Name, Reason: w.check(stamp)}, nil
				}
			}
			return nil, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the test events (id, name, last_modified) of the function.
func (s *TestEventsService) List(ctx context.Context, urn string) ([]TestEvent, error) {
	return collectMarkerPages(ctx, "test events", func(ctx context.Context, marker int64) ([]TestEvent, int64, int64, error) {
		var page struct {
			Events     []TestEvent `json:"events"`
			NextMarker FlexInt     `json:"next_marker"`
			Count      FlexInt     `json:"count"`
		}
		spec := reqSpec{method: http.MethodGet, path: fnPath(urn) + "/events", out: &page}
		if marker > 0 {
			spec.query = markerQuery(nil, marker, "", 0)
		}
		err := s.c.do(ctx, spec)
		return page.Events, int64(page.NextMarker), int64(page.Count), err
	})
}

// Get reads a test event (404 FSS.1070 when missing).
func (s *TestEventsService) Get(ctx context.Context, urn, id string) (*TestEvent, error) {
	var out TestEvent
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: eventPath(urn, id), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update replaces the content of a test event (the name cannot change).
func (s *TestEventsService) Update(ctx context.Context, urn, id, content string) (*TestEvent, error) {
	var out TestEvent
	body := struct {
		Content string `json:"content"`
	}{content}
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: eventPath(urn, id), body: body, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a test event.
func (s *TestEventsService) Delete(ctx context.Context, urn, id string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: eventPath(urn, id)})
}
