package fgs

import (
	"context"
	"net/http"
)

// TracingService: APM tracing AK/SK of a function (API 5.5).
type TracingService service

// TracingConfig is the tracing configuration. The SK comes back masked.
type TracingConfig struct {
	TracingAK string `json:"tracing_ak"`
	TracingSK string `json:"tracing_sk"`
}

// Get reads the tracing configuration (ErrNotFound, 404 FSS.0404, when not configured).
func (s *TracingService) Get(ctx context.Context, urn string) (*TracingConfig, error) {
	var out TracingConfig
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/tracing", out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Put sets the tracing AK/SK; empty strings disable tracing. The SK is
// redacted from the debug log.
func (s *TracingService) Put(ctx context.Context, urn string, cfg *TracingConfig) error {
	return s.c.do(ctx, reqSpec{method: http.MethodPut, path: fnPath(urn) + "/tracing", body: cfg})
}

// Disable clears the tracing AK/SK.
func (s *TracingService) Disable(ctx context.Context, urn string) error {
	return s.Put(ctx, urn, &TracingConfig{})
}
