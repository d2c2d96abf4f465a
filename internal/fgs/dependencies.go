package fgs

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// DependenciesService: dependency packages and their versions (API 5.3).
type DependenciesService service

// CreateDependencyVersionRequest is the body of POST /fgs/dependencies/version
// (and of the legacy POST/PUT /fgs/dependencies).
type CreateDependencyVersionRequest struct {
	DependFile  string `json:"depend_file,omitempty"` // Base64 ZIP, depend_type zip
	DependLink  string `json:"depend_link,omitempty"` // OBS URL, depend_type obs
	DependType  string `json:"depend_type"`
	Runtime     string `json:"runtime"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// ListDependenciesOptions filter List.
type ListDependenciesOptions struct {
	DependencyType string // public | private | all
	Runtime        string
	Name           string
	IsPublic       *bool
	PageSize       int // maxitems (default 400)
}

// CreateVersion creates a dependency version. It is not retried after an
// ambiguous failure (a retry would create another version).
func (s *DependenciesService) CreateVersion(ctx context.Context, req *CreateDependencyVersionRequest) (*Dependency, error) {
	var out Dependency
	if err := s.c.do(ctx, reqSpec{method: http.MethodPost, path: "/fgs/dependencies/version", body: req, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetVersion reads one dependency version (404 FSS.1056 when missing).
func (s *DependenciesService) GetVersion(ctx context.Context, dependID string, version int64) (*Dependency, error) {
	var out Dependency
	p := "/fgs/dependencies/" + seg(dependID) + "/version/" + strconv.FormatInt(version, 10)
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: p, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteVersion deletes a dependency version (412 FSS.1033 while in use).
func (s *DependenciesService) DeleteVersion(ctx context.Context, dependID string, version int64) error {
	p := "/fgs/dependencies/" + seg(dependID) + "/version/" + strconv.FormatInt(version, 10)
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: p})
}

// ListVersions returns every version of a dependency.
func (s *DependenciesService) ListVersions(ctx context.Context, dependID string) ([]Dependency, error) {
	return collectMarkerPages(ctx, "dependency versions", func(ctx context.Context, marker int64) ([]Dependency, int64, int64, error) {
		var page struct {
			Dependencies []Dependency `json:"dependencies"`
			NextMarker   FlexInt      `json:"next_marker"`
			Count        FlexInt      `json:"count"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/dependencies/" + seg(dependID) + "/version", query: markerQuery(nil, marker, "maxitems", 400), out: &page})
		return page.Dependencies, int64(page.NextMarker), int64(page.Count), err
	})
}

// List returns every dependency matching opts.
func (s *DependenciesService) List(ctx context.Context, opts *ListDependenciesOptions) ([]Dependency, error) {
	base := url.Values{}
	size := 400
	if opts != nil {
		if opts.DependencyType != "" {
			base.Set("dependency_type", opts.DependencyType)
		}
		if opts.Runtime != "" {
			base.Set("runtime", opts.Runtime)
		}
		if opts.Name != "" {
			base.Set("name", opts.Name)
		}
		if opts.IsPublic != nil {
			base.Set("ispublic", strconv.FormatBool(*opts.IsPublic))
		}
		if opts.PageSize > 0 {
			size = opts.PageSize
		}
	}
	return collectMarkerPages(ctx, "dependencies", func(ctx context.Context, marker int64) ([]Dependency, int64, int64, error) {
		var page struct {
			Dependencies []Dependency `json:"dependencies"`
			NextMarker   FlexInt      `json:"next_marker"`
			Count        FlexInt      `json:"count"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/dependencies", query: markerQuery(base, marker, "maxitems", size), out: &page})
		return page.Dependencies, int64(page.NextMarker), int64(page.Count), err
	})
}

// Get reads a dependency (legacy API).
func (s *DependenciesService) Get(ctx context.Context, dependID string) (*Dependency, error) {
	var out Dependency
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/dependencies/" + seg(dependID), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a dependency (legacy API).
func (s *DependenciesService) Delete(ctx context.Context, dependID string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: "/fgs/dependencies/" + seg(dependID)})
}
