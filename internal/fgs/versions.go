package fgs

import (
	"context"
	"net/http"
)

// VersionsService: function versions (API 5.7.6, 5.7.7). Delete a version
// with Functions.Delete(ctx, unqualifiedURN+":"+version).
type VersionsService service

// PublishVersionRequest is the body of POST .../versions (all optional).
type PublishVersionRequest struct {
	Digest      string `json:"digest,omitempty"`
	Version     string `json:"version,omitempty"`
	Description string `json:"description,omitempty"`
}

// ListVersionsOptions tune List.
type ListVersionsOptions struct {
	PageSize int // maxitems per request (default 400)
}

// Publish publishes a version of the function (urn unqualified).
//
// Retry safety: an ambiguous failure is resolved by listing the versions. A
// version is this request's when it has the name sent (if any) and the digest
// of the code published (req.Digest, else the function's current code), and
// was published inside the request's time window (ownership.go); then it is
// returned. A named version that is not is an *AlreadyExistsError. With none
// the POST is sent again.
func (s *VersionsService) Publish(ctx context.Context, urn string, req *PublishVersionRequest) (*Function, error) {
	if req == nil {
		req = &PublishVersionRequest{}
	}
	var out Function
	spec := reqSpec{method: http.MethodPost, path: fnPath(urn) + "/versions", body: req, out: &out}
	spec.recover = func(ctx context.Context, w createWindow) (*AlreadyExistsError, error) {
		vs, err := s.List(ctx, urn, nil)
		if IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return s.ownVersion(req, UnqualifiedURN(urn), vs, w, &out), nil
	}
	if err := s.c.do(ctx, spec); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns every version of the function, "latest" included.
func (s *VersionsService) List(ctx context.Context, urn string, opts *ListVersionsOptions) ([]Function, error) {
	size := 400
	if opts != nil && opts.PageSize > 0 {
		size = opts.PageSize
	}
	return collectMarkerPages(ctx, "versions", func(ctx context.Context, marker int64) ([]Function, int64, int64, error) {
		var page struct {
			Versions   []Function `json:"versions"`
			NextMarker FlexInt    `json:"next_marker"`
			Count      FlexInt    `json:"count"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/versions", query: markerQuery(nil, marker, "maxitems", size), out: &page})
		return page.Versions, int64(page.NextMarker), int64(page.Count), err
	})
}

// Get finds one version by name in List (there is no single-version GET).
// A missing version is an *APIError matching ErrNotFound (FSS.1052).
func (s *VersionsService) Get(ctx context.Context, urn, version string) (*Function, error) {
	vs, err := s.List(ctx, urn, nil)
	if err != nil {
		return nil, err
	}
	for i := range vs {
		if vs[i].Version == version {
			return &vs[i], nil
		}
	}
	return nil, &APIError{Status: http.StatusNotFound, Code: "FSS.1052", Message: "version " + version + " not found",
		Method: http.MethodGet, Path: "/v2/{project}" + fnPath(urn) + "/versions"}
}

// ownVersion finds, among vs, the version req published: the named one, or without a name the newest one with
// the code's digest that was published inside w. It fills out with it.
func (s *VersionsService) ownVersion(req *PublishVersionRequest, urn string, vs []Function, w createWindow, out *Function) *AlreadyExistsError {
	digest := req.Digest
	for i := range vs {
		if vs[i].Version == "latest" && digest == "" {
			digest = vs[i].Digest // what a publish without a digest freezes: the current code
		}
	}
	var found *AlreadyExistsError
	for i := range vs {
		v := &vs[i]
		if v.Version == "latest" || (req.Version != "" && v.Version != req.Version) {
			continue
		}
		reason := versionMismatch(req, digest, v, w)
		if req.Version == "" && reason != "" {
			continue // an unnamed publish makes a new version: older ones of the same code are not in its way
		}
		if found == nil || reason == "" {
			*out = *v
			found = &AlreadyExistsError{Kind: "FunctionVersion", Name: v.Version, ImportID: urn + ":" + v.Version, Reason: reason}
		}
	}
	return found
}
