package provider

// The one test harness of the provider's resources: an emulator on loopback with a provider server configured
// against it (testCloud), the API-side set-up and request counting, a `resource` that drives one resource
// through the server as the engine does, and the property helpers. A cloud belongs to one test: tests that
// each start their own run in parallel.

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
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
	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// testCloud is an emulator on loopback with a provider server configured against it.
type testCloud struct {
	em     *emulator.Emulator
	cfg    emulator.Config
	url    string
	server integration.Server
	// resources are the resources driven against this cloud, so that step can make them report to the step
	// that runs.
	resources []*resource
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

// apiClient is a REST client of the test cloud, for set-up and out-of-band changes.
func (c *testCloud) apiClient(t *testing.T) *fgs.Client {
	t.Helper()
	cfg := emulator.DefaultConfig()
	cl, err := fgs.NewClient(fgs.Options{
		Region: cfg.Region, AuthURL: c.url + "/v3", Endpoint: c.url, ProjectName: cfg.ProjectName,
		DomainName: cfg.DomainName, UserName: cfg.UserName, Password: cfg.Password, MaxRetries: -1,
	})
	require.NoError(t, err)
	return cl
}

// newFunction creates a function directly through the API (with a VPC when vpc is set) and returns its
// unqualified URN; the request counters are reset afterwards.
func (c *testCloud) newFunction(t *testing.T, name string, vpc bool) string {
	t.Helper()
	req := &fgs.CreateFunctionRequest{
		FuncName: name, Package: "default", Runtime: "Python3.9", Timeout: 30, Handler: "index.handler", MemorySize: 128,
		CodeType: "inline", FuncCode: &fgs.FuncCode{File: base64.StdEncoding.EncodeToString([]byte("def handler(event, context):\n    return 'v1'\n"))},
	}
	if vpc {
		req.FuncVpc = &fgs.FuncVpc{VpcName: "vpc", VpcID: "vpc-1", SubnetName: "subnet", SubnetID: "subnet-1", Cidr: "192.168.0.0/24", Gateway: "192.168.0.1"}
	}
	f, err := c.apiClient(t).Functions.Create(context.Background(), req)
	require.NoError(t, err)
	c.em.ResetCounts()
	return fgs.UnqualifiedURN(f.FuncURN)
}

// changeCode uploads new inline code, out of band.
func (c *testCloud) changeCode(t *testing.T, urn, body string) {
	t.Helper()
	_, err := c.apiClient(t).Functions.UpdateCode(context.Background(), urn, &fgs.UpdateFunctionCodeRequest{
		CodeType: "inline", FuncCode: fgs.FuncCode{File: base64.StdEncoding.EncodeToString([]byte(body))},
	})
	require.NoError(t, err)
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

// requests returns the FunctionGraph requests since the last reset as "METHOD route xN" lines and their
// total, and resets the counters.
func (c *testCloud) requests() (string, int) {
	counts, total := c.fgsRequests()
	lines := make([]string, 0, len(counts))
	for route, n := range counts {
		lines = append(lines, route+" x"+strconv.Itoa(n))
	}
	sort.Strings(lines)
	c.em.ResetCounts()
	return strings.Join(lines, ", "), total
}

// logRequests logs the API requests an operation made and returns their total.
func (c *testCloud) logRequests(t *testing.T, what string) int {
	t.Helper()
	lines, total := c.requests()
	t.Logf("API requests for %s: %d (%s)", what, total, lines)
	return total
}

// importID reads a resource from its ID alone, as `pulumi import` does.
func (c *testCloud) importID(t *testing.T, typ, id string) p.ReadResponse {
	t.Helper()
	resp, err := c.server.Read(p.ReadRequest{ID: id, Urn: urnOf(typ, "imported")})
	require.NoError(t, err)
	return resp
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios: one resource driven through the server as the engine drives it, step by step.

// resource drives one resource of a type through the provider server.
type resource struct {
	t     *testing.T
	c     *testCloud
	typ   string
	urn   string
	id    string
	state property.Map
	ins   property.Map
}

func (c *testCloud) resource(t *testing.T, typ, name string) *resource {
	r := &resource{t: t, c: c, typ: typ, urn: string(urnOf(typ, name))}
	c.resources = append(c.resources, r)
	return r
}

// step runs one step of a scenario as a subtest, so that a failure names the step, and a failed step ends
// the scenario. While the step runs, the cloud's resources report their failures to it.
func (c *testCloud) step(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	ok := t.Run(name, func(st *testing.T) {
		c.reportTo(st)
		defer c.reportTo(t)
		f(st)
	})
	if !ok {
		t.FailNow()
	}
}

func (c *testCloud) reportTo(t *testing.T) {
	for _, r := range c.resources {
		r.t = t
	}
}

func (r *resource) name() string { return r.urn[strings.LastIndex(r.urn, "::")+2:] }

func (r *resource) check(inputs property.Map) p.CheckResponse {
	r.t.Helper()
	resp, err := r.c.server.Check(p.CheckRequest{Urn: urnOf(r.typ, r.name()), State: r.ins, Inputs: inputs})
	require.NoError(r.t, err)
	return resp
}

// create checks and creates; it fails the test on a Check failure.
func (r *resource) create(inputs property.Map) error {
	r.t.Helper()
	chk := r.check(inputs)
	require.Empty(r.t, chk.Failures, "check failures")
	_, err := r.c.server.Create(p.CreateRequest{Urn: urnOf(r.typ, r.name()), Properties: chk.Inputs, DryRun: true})
	require.NoError(r.t, err, "preview")
	resp, err := r.c.server.Create(p.CreateRequest{Urn: urnOf(r.typ, r.name()), Properties: chk.Inputs})
	if err != nil {
		return err
	}
	r.id, r.state, r.ins = resp.ID, resp.Properties, chk.Inputs
	return nil
}

func (r *resource) mustCreate(inputs property.Map) {
	r.t.Helper()
	require.NoError(r.t, r.create(inputs))
}

// read refreshes; it returns the response (ID "" when gone) and keeps the new state.
func (r *resource) read() p.ReadResponse {
	r.t.Helper()
	resp, err := r.c.server.Read(p.ReadRequest{ID: r.id, Urn: urnOf(r.typ, r.name()), Properties: r.state, Inputs: r.ins})
	require.NoError(r.t, err)
	if resp.ID != "" {
		r.state, r.ins = resp.Properties, resp.Inputs
	}
	return resp
}

// diff checks the new inputs and diffs them against the state.
func (r *resource) diff(inputs property.Map) (p.DiffResponse, property.Map) {
	r.t.Helper()
	chk := r.check(inputs)
	require.Empty(r.t, chk.Failures, "check failures")
	resp, err := r.c.server.Diff(p.DiffRequest{ID: r.id, Urn: urnOf(r.typ, r.name()), State: r.state, Inputs: chk.Inputs, OldInputs: r.ins})
	require.NoError(r.t, err)
	return resp, chk.Inputs
}

// preview runs the dry-run of an in-place update and returns the outputs it promises.
func (r *resource) preview(checked property.Map) property.Map {
	r.t.Helper()
	resp, err := r.c.server.Update(p.UpdateRequest{ID: r.id, Urn: urnOf(r.typ, r.name()), State: r.state, Inputs: checked, OldInputs: r.ins, DryRun: true})
	require.NoError(r.t, err)
	return resp.Properties
}

// update previews and applies an in-place update with checked inputs.
func (r *resource) update(checked property.Map) error {
	r.t.Helper()
	req := p.UpdateRequest{ID: r.id, Urn: urnOf(r.typ, r.name()), State: r.state, Inputs: checked, OldInputs: r.ins, DryRun: true}
	_, err := r.c.server.Update(req)
	require.NoError(r.t, err, "preview")
	req.DryRun = false
	resp, err := r.c.server.Update(req)
	if err != nil {
		return err
	}
	r.state, r.ins = resp.Properties, checked
	return nil
}

func (r *resource) delete() error {
	r.t.Helper()
	return r.c.server.Delete(p.DeleteRequest{ID: r.id, Urn: urnOf(r.typ, r.name()), Properties: r.state, OldInputs: r.ins})
}

// ---------------------------------------------------------------------------------------------------------
// Property values.

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

func str(m property.Map, path ...string) string {
	v := m.Get(path[0])
	for _, k := range path[1:] {
		if !v.IsMap() {
			return ""
		}
		v = v.AsMap().Get(k)
	}
	if v.IsString() {
		return v.AsString()
	}
	return ""
}

func diffKinds(d p.DiffResponse) map[string]p.DiffKind {
	out := map[string]p.DiffKind{}
	for k, v := range d.DetailedDiff {
		out[k] = v.Kind
	}
	return out
}
