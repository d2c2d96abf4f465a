package fgs

import (
	"context"
	"net/http"
)

// AsyncConfigService: asynchronous execution notification settings (API 5.13.1-5.13.4).
type AsyncConfigService service

// DestinationConfig is one destination; Param is a JSON object serialised to a string.
type DestinationConfig struct {
	Destination string `json:"destination,omitempty"` // OBS, SMN, DIS, FunctionGraph
	Param       string `json:"param,omitempty"`
}

// AsyncDestinationConfig holds the success and failure destinations.
type AsyncDestinationConfig struct {
	OnSuccess *DestinationConfig `json:"on_success,omitempty"`
	OnFailure *DestinationConfig `json:"on_failure,omitempty"`
}

// AsyncInvokeConfig is the answer of GET/PUT .../async-invoke-config.
type AsyncInvokeConfig struct {
	FuncURN                   string                  `json:"func_urn"`
	MaxAsyncEventAgeInSeconds FlexInt                 `json:"max_async_event_age_in_seconds"`
	MaxAsyncRetryAttempts     FlexInt                 `json:"max_async_retry_attempts"`
	DestinationConfig         *AsyncDestinationConfig `json:"destination_config"`
	CreatedTime               FlexString              `json:"created_time"`
	LastModified              FlexString              `json:"last_modified"`
	EnableAsyncStatusLog      FlexBool                `json:"enable_async_status_log"`
}

// PutAsyncInvokeConfigRequest is the body of PUT .../async-invoke-config.
type PutAsyncInvokeConfigRequest struct {
	MaxAsyncEventAgeInSeconds *int                    `json:"max_async_event_age_in_seconds,omitempty"`
	MaxAsyncRetryAttempts     *int                    `json:"max_async_retry_attempts,omitempty"`
	DestinationConfig         *AsyncDestinationConfig `json:"destination_config,omitempty"`
	EnableAsyncStatusLog      *bool                   `json:"enable_async_status_log,omitempty"`
}

// Get reads the settings of one version/alias (ErrNotFound when not configured).
func (s *AsyncConfigService) Get(ctx context.Context, urn string) (*AsyncInvokeConfig, error) {
	var out AsyncInvokeConfig
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/async-invoke-config", out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Put creates or replaces the settings.
func (s *AsyncConfigService) Put(ctx context.Context, urn string, req *PutAsyncInvokeConfigRequest) (*AsyncInvokeConfig, error) {
	var out AsyncInvokeConfig
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: fnPath(urn) + "/async-invoke-config", body: req, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete removes the settings.
func (s *AsyncConfigService) Delete(ctx context.Context, urn string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: fnPath(urn) + "/async-invoke-config"})
}

// ListAll returns the settings of every version and alias of the function
// (marker/limit + page_info).
func (s *AsyncConfigService) ListAll(ctx context.Context, urn string) ([]AsyncInvokeConfig, error) {
	return collectMarkerPages(ctx, "async invoke configs", func(ctx context.Context, marker int64) ([]AsyncInvokeConfig, int64, int64, error) {
		var page struct {
			Configs  []AsyncInvokeConfig `json:"async_invoke_configs"`
			Count    FlexInt             `json:"count"`
			PageInfo *PageInfo           `json:"page_info"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/async-invoke-configs", query: markerQuery(nil, marker, "limit", 100), out: &page})
		var next int64
		if page.PageInfo != nil {
			next = int64(page.PageInfo.NextMarker)
		}
		return page.Configs, next, int64(page.Count), err
	})
}
