package fgs

import (
	"context"
	"net/http"
	"strconv"
)

// TagsService: resource tags of functions (API 5.6.11-5.6.14). These paths
// have no /fgs/ segment: /v2/{project_id}/functions/{resource_id}/tags/create.
type TagsService service

// Tag is a key/value pair.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TagValues is a key with all its values (project-wide tag listing).
type TagValues struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// TaggedResource is one entry of resource-instances/filter.
type TaggedResource struct {
	ResourceID     string   `json:"resource_id"`
	ResourceName   string   `json:"resource_name"`
	ResourceDetail Function `json:"resource_detail"`
	Tags           []Tag    `json:"tags"`
	SysTags        []Tag    `json:"sys_tags"`
}

// FilterResourcesRequest selects resources by tags or name. Offset and Limit
// are managed by Filter.
type FilterResourcesRequest struct {
	WithoutAnyTag *bool       `json:"without_any_tag,omitempty"`
	Matches       []Tag       `json:"matches,omitempty"`
	Tags          []TagValues `json:"tags,omitempty"`
	SysTags       []TagValues `json:"sys_tags,omitempty"`
	PageSize      int         `json:"-"` // default 100
}

const tagResourceType = "functions"

// Create sets tags on a function (resource id: the function URN). Setting a
// tag is idempotent, so the call is retried like a PUT.
func (s *TagsService) Create(ctx context.Context, resourceID string, tags []Tag) error {
	body := struct {
		Action string `json:"action"`
		Tags   []Tag  `json:"tags"`
	}{"create", tags}
	return s.c.do(ctx, reqSpec{method: http.MethodPost, path: "/" + tagResourceType + "/" + seg(resourceID) + "/tags/create", body: body, idempotent: true})
}

// Delete removes tags (DELETE with a JSON body). Only the keys matter.
func (s *TagsService) Delete(ctx context.Context, resourceID string, tags []Tag) error {
	body := struct {
		Action string `json:"action"`
		Tags   []Tag  `json:"tags"`
	}{"delete", tags}
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: "/" + tagResourceType + "/" + seg(resourceID) + "/tags/delete", body: body})
}

// ListProjectTags returns every tag key/value used on functions in the project.
func (s *TagsService) ListProjectTags(ctx context.Context) ([]TagValues, error) {
	var out struct {
		Tags []TagValues `json:"tags"`
	}
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/" + tagResourceType + "/tags", out: &out}); err != nil {
		return nil, err
	}
	return out.Tags, nil
}

// Filter returns every matching resource (POST resource-instances/filter,
// paginated with offset/limit in the body until total_count is reached).
func (s *TagsService) Filter(ctx context.Context, req *FilterResourcesRequest) ([]TaggedResource, error) {
	if req == nil {
		req = &FilterResourcesRequest{}
	}
	limit := req.PageSize
	if limit <= 0 {
		limit = 100
	}
	type body struct {
		*FilterResourcesRequest
		Action string `json:"action"`
		Offset string `json:"offset"`
		Limit  string `json:"limit"`
	}
	var all []TaggedResource
	for page, offset := 0, 0; page < maxPages; page++ {
		var out struct {
			Resources  []TaggedResource `json:"resources"`
			TotalCount FlexInt          `json:"total_count"`
		}
		err := s.c.do(ctx, reqSpec{
			method: http.MethodPost, path: "/" + tagResourceType + "/resource-instances/filter", idempotent: true,
			body: body{req, "filter", strconv.Itoa(offset), strconv.Itoa(limit)}, out: &out,
		})
		if err != nil {
			return nil, err
		}
		all = append(all, out.Resources...)
		offset += len(out.Resources)
		if len(out.Resources) == 0 || offset >= int(out.TotalCount) {
			return all, nil
		}
	}
	return all, nil
}

// ForFunction returns the tags of the function named funcName (matched by
// resource_name, and by func_urn/package when the answer carries them).
func (s *TagsService) ForFunction(ctx context.Context, urn string) ([]Tag, error) {
	u, err := ParseURN(urn)
	if err != nil {
		return nil, err
	}
	rs, err := s.Filter(ctx, &FilterResourcesRequest{Matches: []Tag{{Key: "resource_name", Value: u.Name}}})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d := r.ResourceDetail
		if d.FuncURN != "" && UnqualifiedURN(d.FuncURN) != u.Unqualified() {
			continue
		}
		if d.Package != "" && d.Package != u.Package {
			continue
		}
		if r.ResourceName != "" && r.ResourceName != u.Name && d.FuncName != u.Name {
			continue
		}
		if r.Tags == nil {
			return []Tag{}, nil
		}
		return r.Tags, nil
	}
	return []Tag{}, nil
}
