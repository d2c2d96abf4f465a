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
// Retry safety: when Version is set, an ambiguous failure is resolved by
// listing the versions: if the named version exists it is returned, otherwise
// the POST is retried. Without a version name the POST is not retried after
// an ambiguous failure (the server would generate a second version).
func (s *VersionsService) Publish(ctx context.Context, urn string, req *PublishVersionRequest) (*Function, error) {
	if req == nil {
		req = &PublishVersionRequest{}
	}
	var out Function
	spec := reqSpec{method: http.MethodPost, path: fnPath(urn) + "/versions", body: req, out: &out}
	if req.Version != "" {
		spec.recover = func(ctx context.Context) (bool, error) {
			v, err := s.Get(ctx, urn, req.Version)
			if IsNotFound(err) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			out = *v
			return true, nil
		}
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
