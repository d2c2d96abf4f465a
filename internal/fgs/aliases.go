package fgs

import (
	"context"
	"encoding/json"
	"net/http"
)

// AliasesService: function aliases (API 5.7.1-5.7.5).
type AliasesService service

// Alias is an alias of a function version.
type Alias struct {
	Name                     string         `json:"name"`
	Version                  string         `json:"version"`
	Description              string         `json:"description"`
	LastModified             FlexString     `json:"last_modified"`
	AliasURN                 string         `json:"alias_urn"`
	AdditionalVersionWeights map[string]int `json:"additional_version_weights,omitempty"`
}

// CreateAliasRequest is the body of POST .../aliases.
type CreateAliasRequest struct {
	Name                     string         `json:"name"`
	Version                  string         `json:"version"`
	Description              string         `json:"description,omitempty"`
	AdditionalVersionWeights map[string]int `json:"additional_version_weights,omitempty"`
}

// UpdateAliasRequest is the body of PUT .../aliases/{name}. Description is a
// pointer so that it can be cleared with "". A nil weights map is not sent; an
// empty non-nil map is sent as {} and removes the weights.
type UpdateAliasRequest struct {
	Version                  string         `json:"version"`
	Description              *string        `json:"description,omitempty"`
	AdditionalVersionWeights map[string]int `json:"additional_version_weights,omitempty"`
}

// MarshalJSON sends an empty non-nil weights map as {}.
func (r UpdateAliasRequest) MarshalJSON() ([]byte, error) {
	type plain UpdateAliasRequest
	if r.AdditionalVersionWeights == nil || len(r.AdditionalVersionWeights) > 0 {
		return json.Marshal(plain(r))
	}
	return json.Marshal(struct {
		plain
		AdditionalVersionWeights map[string]int `json:"additional_version_weights"`
	}{plain(r), map[string]int{}})
}

func aliasPath(urn, name string) string { return fnPath(urn) + "/aliases/" + seg(name) }

// Create creates an alias. Retry safety: an ambiguous failure is resolved by
// GET alias; it is adopted only if it points to the version sent and was created
// inside the request's time window (ownership.go), else an *AlreadyExistsError.
func (s *AliasesService) Create(ctx context.Context, urn string, req *CreateAliasRequest) (*Alias, error) {
	var out Alias
	err := s.c.do(ctx, reqSpec{
		method: http.MethodPost, path: fnPath(urn) + "/aliases", body: req, out: &out,
		recover: func(ctx context.Context, w createWindow) (*AlreadyExistsError, error) {
			a, err := s.Get(ctx, urn, req.Name)
			if IsNotFound(err) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			out = *a
			return &AlreadyExistsError{Kind: "Alias", Name: req.Name, ImportID: UnqualifiedURN(urn) + "/" + req.Name, Reason: aliasMismatch(req, a, w)}, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Get reads an alias (404 FSS.1053 when missing).
func (s *AliasesService) Get(ctx context.Context, urn, name string) (*Alias, error) {
	var out Alias
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: aliasPath(urn, name), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns the aliases of the function (a bare JSON array, no pages).
func (s *AliasesService) List(ctx context.Context, urn string) ([]Alias, error) {
	var out []Alias
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/aliases", out: &out}); err != nil {
		return nil, err
	}
	return out, nil
}

// Update changes version, description and weights of an alias.
func (s *AliasesService) Update(ctx context.Context, urn, name string, req *UpdateAliasRequest) (*Alias, error) {
	var out Alias
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: aliasPath(urn, name), body: req, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes an alias (403 FSS.1154 while triggers are bound to it).
func (s *AliasesService) Delete(ctx context.Context, urn, name string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: aliasPath(urn, name)})
}
