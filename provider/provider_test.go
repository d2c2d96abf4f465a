package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// testCloud is an emulator on loopback with a provider server configured against it.
type testCloud struct {
	em     *emulator.Emulator
	cfg    emulator.Config
	url    string
	server integration.Server
}

// newTestCloud starts an emulator and a provider configured with password authentication against it.
func newTestCloud(t testing.TB) *testCloud {
	t.Helper()
	return newTestCloudWith(t, nil)
}

// newTestCloudWith puts wrap (when not nil) in front of the emulator, to make chosen requests fail.
func newTestCloudWith(t testing.TB, wrap func(http.Handler) http.Handler) *testCloud {
	t.Helper()
	cfg := emulator.DefaultConfig()
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	var h http.Handler = em
	if wrap != nil {
		h = wrap(em)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	prov, err := New()
	require.NoError(t, err)
	server, err := integration.NewServer(context.Background(), Name, semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	require.NoError(t, server.Configure(p.ConfigureRequest{Args: property.NewMap(map[string]property.Value{
		"region":      property.New(cfg.Region),
		"projectName": property.New(cfg.ProjectName),
		"domainName":  property.New(cfg.DomainName),
		"userName":    property.New(cfg.UserName),
		"password":    property.New(cfg.Password).WithSecret(true),
		"authUrl":     property.New(srv.URL + "/v3"),
		"endpoint":    property.New(srv.URL),
		"maxRetries":  property.New(2.0),
	})}))
	em.ResetCounts()
	return &testCloud{em: em, cfg: cfg, url: srv.URL, server: server}
}

// fgsRequests counts the FunctionGraph API requests (not IAM) made since the last reset, by route.
func (c *testCloud) fgsRequests() (map[string]int, int) {
	out, total := map[string]int{}, 0
	for route, n := range c.em.Counts() {
		if strings.Contains(route, " /v2/") {
			out[route] = n
			total += n
		}
	}
	return out, total
}

func urnOf(typ, name string) presource.URN {
	return presource.NewURN("test", "test", "", tokens.Type("fgs:index:"+typ), name)
}

// props builds a property map from Go values (string, float64, bool, map[string]any, []any, property.Value).
func props(m map[string]any) property.Map {
	out := map[string]property.Value{}
	for k, v := range m {
		out[k] = toValue(v)
	}
	return property.NewMap(out)
}

func toValue(v any) property.Value {
	switch x := v.(type) {
	case property.Value:
		return x
	case string:
		return property.New(x)
	case int:
		return property.New(float64(x))
	case float64:
		return property.New(x)
	case bool:
		return property.New(x)
	case map[string]any:
		return property.New(props(x))
	case []any:
		vals := make([]property.Value, 0, len(x))
		for _, e := range x {
			vals = append(vals, toValue(e))
		}
		return property.New(property.NewArray(vals))
	}
	panic("unsupported test value")
}

// merged is base with change applied, leaving base as it is.
func merged(base, change map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(change))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range change {
		out[k] = v
	}
	return out
}
