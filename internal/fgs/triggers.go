package fgs

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
)

// TriggersService: function triggers (API 5.12).
type TriggersService service

// Trigger is a trigger instance. EventData is kept as the raw object the
// service sent (it enriches it per type, e.g. APIG adds api_id and invoke_url).
type Trigger struct {
	TriggerID       string         `json:"trigger_id"`
	TriggerTypeCode string         `json:"trigger_type_code"`
	TriggerStatus   string         `json:"trigger_status"`
	EventTypeCode   string         `json:"event_type_code"`
	EventData       map[string]any `json:"event_data"`
	LastUpdatedTime FlexString     `json:"last_updated_time"`
	CreatedTime     FlexString     `json:"created_time"`
}

// CreateTriggerRequest is the body of POST /fgs/triggers/{urn}. EventData is
// any JSON object (its shape depends on the trigger type).
type CreateTriggerRequest struct {
	TriggerTypeCode string         `json:"trigger_type_code"`
	TriggerStatus   string         `json:"trigger_status,omitempty"`
	EventTypeCode   string         `json:"event_type_code,omitempty"`
	EventData       map[string]any `json:"event_data"`
}

// UpdateTriggerRequest is the body of PUT /fgs/triggers/{urn}/{type}/{id}.
type UpdateTriggerRequest struct {
	TriggerStatus string         `json:"trigger_status,omitempty"`
	EventData     map[string]any `json:"event_data,omitempty"`
}

func triggerPath(urn, typeCode, id string) string {
	return "/fgs/triggers/" + seg(urn) + "/" + seg(typeCode) + "/" + seg(id)
}

// Create creates a trigger (201).
//
// Retry safety: after an ambiguous failure the client lists the function's
// triggers and looks for one of the same type whose event_data contains every
// key/value of the request (secret keys such as passwords are skipped, as the
// service may mask them). It is adopted only if it was created inside the
// request's time window; one created before is an *AlreadyExistsError. With
// none the POST is sent again.
func (s *TriggersService) Create(ctx context.Context, urn string, req *CreateTriggerRequest) (*Trigger, error) {
	var out Trigger
	err := s.c.do(ctx, reqSpec{
		method: http.MethodPost, path: "/fgs/triggers/" + seg(urn), body: req, out: &out,
		recover: func(ctx context.Context, w createWindow) (*AlreadyExistsError, error) {
			ts, err := s.List(ctx, urn)
			if IsNotFound(err) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			var found *AlreadyExistsError
			for i := range ts {
				if !MatchTrigger(&ts[i], req) {
					continue
				}
				ae := &AlreadyExistsError{Kind: "Trigger", Name: req.TriggerTypeCode + " trigger", ImportID: urn + "/" + ts[i].TriggerTypeCode + "/" + ts[i].TriggerID,
					Reason: triggerMismatch(req, &ts[i], w)}
				if found == nil || ae.Reason == "" {
					out, found = ts[i], ae // this request's trigger wins over an older twin
				}
			}
			return found, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MatchTrigger reports whether t looks like the trigger req creates: same
// type and every non-secret event_data key of req present with an equal value.
func MatchTrigger(t *Trigger, req *CreateTriggerRequest) bool {
	if t.TriggerTypeCode != req.TriggerTypeCode {
		return false
	}
	if req.EventTypeCode != "" && t.EventTypeCode != "" && t.EventTypeCode != req.EventTypeCode {
		return false
	}
	for k, want := range req.EventData {
		if IsSecretKey(k) {
			continue
		}
		got, ok := t.EventData[k]
		if !ok || !jsonEqual(got, want) {
			return false
		}
	}
	return true
}

func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	return reflect.DeepEqual(va, vb)
}

// triggerGone reports the service's answers for a trigger whose function was
// deleted: GET trigger -> 500 FSS.0500, DELETE trigger -> 401 FSS.0401. On those
// two calls they mean "not found"; anywhere else they mean what they say.
func triggerGone(e *APIError) bool {
	return (e.Status == http.StatusInternalServerError && e.Code == "FSS.0500") ||
		(e.Status == http.StatusUnauthorized && e.Code == "FSS.0401")
}

// Get reads a trigger. The service answers 500 FSS.0500 for a trigger whose
// function was deleted; Get reports that (after the normal retries) as an
// error matching ErrNotFound.
func (s *TriggersService) Get(ctx context.Context, urn, typeCode, id string) (*Trigger, error) {
	var out Trigger
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: triggerPath(urn, typeCode, id), out: &out, notFound: triggerGone}); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns every trigger of the function (a bare JSON array).
func (s *TriggersService) List(ctx context.Context, urn string) ([]Trigger, error) {
	var out []Trigger
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/triggers/" + seg(urn), out: &out}); err != nil {
		return nil, err
	}
	return out, nil
}

// Update changes the status or pull tuning of a trigger.
func (s *TriggersService) Update(ctx context.Context, urn, typeCode, id string, req *UpdateTriggerRequest) (*Trigger, error) {
	var out Trigger
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: triggerPath(urn, typeCode, id), body: req, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a trigger. The service answers 401 FSS.0401 when the function
// is already gone; Delete reports that as an error matching ErrNotFound, so
// callers can treat every errors.Is(err, ErrNotFound) as "already deleted".
func (s *TriggersService) Delete(ctx context.Context, urn, typeCode, id string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: triggerPath(urn, typeCode, id), notFound: triggerGone})
}

// DeleteAll deletes the triggers of a function (all versions and aliases for
// an unqualified or latest URN).
func (s *TriggersService) DeleteAll(ctx context.Context, urn string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: "/fgs/triggers/" + seg(urn)})
}
