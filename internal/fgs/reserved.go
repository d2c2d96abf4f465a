package fgs

import (
	"context"
	"net/http"
	"net/url"
)

// ReservedInstancesService: reserved instances (API 5.10). There is no DELETE:
// set the count to 0.
type ReservedInstancesService service

// CronConfig is a scheduled scaling policy.
type CronConfig struct {
	Name        string  `json:"name,omitempty"`
	Cron        string  `json:"cron,omitempty"`
	Count       FlexInt `json:"count"`
	StartTime   FlexInt `json:"start_time,omitempty"`   // Unix s
	ExpiredTime FlexInt `json:"expired_time,omitempty"` // Unix s
}

// MetricConfig is a metric-based scaling policy.
type MetricConfig struct {
	Name      string  `json:"name,omitempty"`
	Type      string  `json:"type,omitempty"`
	Threshold FlexInt `json:"threshold"`
	Min       FlexInt `json:"min"`
}

// TacticsConfig groups the scaling policies. Both lists are always sent (empty as []), so that a PUT
// that drops every policy says so rather than leaving the lists out.
type TacticsConfig struct {
	CronConfigs   []CronConfig   `json:"cron_configs"`
	MetricConfigs []MetricConfig `json:"metric_configs"`
}

// ReservedInstanceConfig is one entry of GET reservedinstanceconfigs.
type ReservedInstanceConfig struct {
	FunctionURN   string         `json:"function_urn"`
	QualifierType string         `json:"qualifier_type"` // version | alias
	QualifierName string         `json:"qualifier_name"`
	MinCount      FlexInt        `json:"min_count"`
	IdleMode      FlexBool       `json:"idle_mode"`
	TacticsConfig *TacticsConfig `json:"tactics_config"`
}

// ReservedInstanceCount is one entry of GET reservedinstances.
type ReservedInstanceCount struct {
	FuncURN string  `json:"func_urn"`
	Count   FlexInt `json:"count"`
}

// UpdateReservedInstancesRequest is the body of PUT .../reservedinstances.
type UpdateReservedInstancesRequest struct {
	Count         int            `json:"count"`
	IdleMode      *bool          `json:"idle_mode,omitempty"`
	TacticsConfig *TacticsConfig `json:"tactics_config,omitempty"`
}

// UpdateReservedInstancesResponse is its answer.
type UpdateReservedInstancesResponse struct {
	Count         FlexInt        `json:"count"`
	IdleMode      FlexBool       `json:"idle_mode"`
	TacticsConfig *TacticsConfig `json:"tactics_config"`
}

// Update sets the reserved instances of a version/alias URN (count 0 removes them).
func (s *ReservedInstancesService) Update(ctx context.Context, urn string, req *UpdateReservedInstancesRequest) (*UpdateReservedInstancesResponse, error) {
	var out UpdateReservedInstancesResponse
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: fnPath(urn) + "/reservedinstances", body: req, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListConfigs returns the reserved-instance configs, filtered by function URN
// when functionURN is not empty (marker/limit + page_info).
func (s *ReservedInstancesService) ListConfigs(ctx context.Context, functionURN string) ([]ReservedInstanceConfig, error) {
	base := url.Values{}
	if functionURN != "" {
		base.Set("function_urn", functionURN)
	}
	return collectMarkerPages(ctx, "reserved instance configs", func(ctx context.Context, marker int64) ([]ReservedInstanceConfig, int64, int64, error) {
		var page struct {
			Items    []ReservedInstanceConfig `json:"reserved_instances"`
			Count    FlexInt                  `json:"count"`
			PageInfo *PageInfo                `json:"page_info"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/functions/reservedinstanceconfigs", query: markerQuery(base, marker, "limit", 100), out: &page})
		var next int64
		if page.PageInfo != nil {
			next = int64(page.PageInfo.NextMarker)
		}
		return page.Items, next, int64(page.Count), err
	})
}

// ListCounts returns the reserved-instance counts, filtered by URN when not empty.
func (s *ReservedInstancesService) ListCounts(ctx context.Context, urn string) ([]ReservedInstanceCount, error) {
	base := url.Values{}
	if urn != "" {
		base.Set("urn", urn)
	}
	return collectMarkerPages(ctx, "reserved instances", func(ctx context.Context, marker int64) ([]ReservedInstanceCount, int64, int64, error) {
		var page struct {
			Items    []ReservedInstanceCount `json:"reservedinstances"`
			Count    FlexInt                 `json:"count"`
			PageInfo *PageInfo               `json:"page_info"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/functions/reservedinstances", query: markerQuery(base, marker, "limit", 400), out: &page})
		var next int64
		if page.PageInfo != nil {
			next = int64(page.PageInfo.NextMarker)
		}
		return page.Items, next, int64(page.Count), err
	})
}
