package fgs

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// QuotasService: tenant quotas (API 5.2).
type QuotasService service

// Quota is one quota entry.
type Quota struct {
	Type  string  `json:"type"`
	Quota FlexInt `json:"quota"`
	Used  FlexInt `json:"used"`
	Unit  string  `json:"unit"`
}

type quotaResources struct {
	Resources []Quota `json:"resources"`
}

// List returns the quotas. It accepts "quotas" as the documented object and
// as the array the documentation's example shows.
func (s *QuotasService) List(ctx context.Context) ([]Quota, error) {
	var out struct {
		Quotas json.RawMessage `json:"quotas"`
	}
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/quotas", out: &out}); err != nil {
		return nil, err
	}
	raw := bytes.TrimSpace(out.Quotas)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '[' {
		var arr []quotaResources
		if err := json.Unmarshal(raw, &arr); err != nil {
			return nil, err
		}
		var all []Quota
		for _, r := range arr {
			all = append(all, r.Resources...)
		}
		return all, nil
	}
	var obj quotaResources
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	return obj.Resources, nil
}
