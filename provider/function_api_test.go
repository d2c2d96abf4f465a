package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// notReadBack names the inputs that are sent but cannot be read back, and why; each one's description
// says that its drift cannot be seen.
var notReadBack = map[string]string{
	"code":              "the service returns only the digest of the stored package; a change shows through digest",
	"secretEnvironment": "the service never returns encrypted_user_data",
	"codeUrlHash":       "the user's marker of the object at codeUrl: it is never sent, so there is nothing to read",
}

// inputKeys are the Pulumi names of FunctionArgs' fields.
func inputKeys() []string {
	t := reflect.TypeOf(FunctionArgs{})
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		keys = append(keys, strings.Split(t.Field(i).Tag.Get("pulumi"), ",")[0])
	}
	return keys
}

func TestFunctionInputsHaveOneRowEach(t *testing.T) {
	rows := map[string]int{}
	for _, f := range functionInputs {
		rows[f.key]++
		assert.NotNil(t, f.read, "%s has no read-back", f.key)
		assert.Equal(t, f.config, f.toConfig != nil, "%s: config and toConfig disagree", f.key)
	}
	for _, k := range inputKeys() {
		assert.Equal(t, 1, rows[k], "input %s must have exactly one row in functionInputs", k)
		delete(rows, k)
	}
	assert.Empty(t, rows, "rows for inputs FunctionArgs does not have")
	for k := range notReadBack {
		assert.Contains(t, inputKeys(), k, "the allowlist names an input that does not exist")
	}
}

// Each row's create flag says what createRequest really sends: setting only that input changes the POST body.
func TestFunctionCreateFlagsMatchTheCreateBody(t *testing.T) {
	full := fullFunctionArgs(t)
	body := func(a FunctionArgs) map[string]any {
		req, pkg, err := createRequest(a)
		require.NoError(t, err)
		defer pkg.Close()
		raw, err := json.Marshal(req)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(raw, &m))
		return m
	}
	baseBody := body(FunctionArgs{Runtime: full.Runtime, Code: full.Code})
	for _, f := range functionInputs {
		if oneOf(f.key, "code", "runtime") {
			continue // the base needs them: they are always in the body
		}
		args := FunctionArgs{Runtime: full.Runtime, Code: full.Code}
		if f.key == "codeUrl" || f.key == "customImage" {
			args.Code = nil
		}
		fieldByName(reflect.ValueOf(&args).Elem(), f.key).Set(fieldByName(reflect.ValueOf(&full).Elem(), f.key))
		sent := !reflect.DeepEqual(body(args), baseBody)
		if f.key == "customImage" {
			// Without code the body switches to inline code whatever the image: look for the image itself.
			sent = body(args)["custom_image"] != nil
		}
		assert.Equal(t, f.create, sent, "%s: the row says create=%v, createRequest disagrees", f.key, f.create)
	}
}

// codeArchive is a directory archive holding body as index.py.
func codeArchive(t *testing.T, body string) *types.AssetOrArchive {
	t.Helper()
	return &types.AssetOrArchive{Archive: codeDir(t, body).AsArchive()}
}

// generatedSchema is the schema the provider serves (after its own post-processing).
func generatedSchema(t *testing.T) schema.PackageSpec {
	t.Helper()
	prov, err := New()
	require.NoError(t, err)
	spec, err := p.GetSchema(context.Background(), Name, "0.0.0", prov)
	require.NoError(t, err)
	return spec
}

// fullFunctionArgs sets every input, for the table tests.
func fullFunctionArgs(t *testing.T) FunctionArgs {
	t.Helper()
	var a FunctionArgs
	a.Name, a.App, a.Runtime, a.Handler = fgs.Ptr("rt-one"), fgs.Ptr("billing"), "Python3.9", "index.handler"
	a.MemorySize, a.Timeout, a.Description = fgs.Ptr(256), fgs.Ptr(60), fgs.Ptr("one")
	a.FunctionGraphVersion = fgs.Ptr(FunctionGraphVersion("v2"))
	a.Code = codeArchive(t, "def handler(e, c):\n    return 1\n")
	a.CodeURL, a.CodeFilename = fgs.Ptr("https://b.obs.eu-de.otc.t-systems.com/one.zip"), fgs.Ptr("main.zip")
	a.CustomImage = &CustomImage{Image: "swr.eu-de.otc.t-systems.com/org/app:1.0"}
	a.Environment, a.SecretEnvironment = map[string]string{"A": "1"}, map[string]string{"S": "x"}
	a.Agency, a.AppAgency = fgs.Ptr("ag-1"), fgs.Ptr("app-ag-1")
	a.Initializer, a.RestoreHook = &Hook{Handler: "index.init", Timeout: 10}, &Hook{Handler: "index.restore", Timeout: 10}
	a.Vpc = &FunctionVpc{VpcID: "vpc-1", SubnetID: "subnet-1"}
	a.Network = &Network{DisablePublicNetwork: fgs.Ptr(true)}
	a.Mounts = &Mounts{UserID: -1, UserGroupID: -1, FileSystems: []FileSystem{{Type: "sfs", ResourceID: "fs-1", LocalPath: "/mnt/a"}}}
	a.LogConfig = &LogConfig{GroupID: "lg-1", StreamID: "ls-1"}
	a.MaxInstances, a.ConcurrencyPerInstance, a.GpuMemory, a.EphemeralStorage = fgs.Ptr(50), fgs.Ptr(10), fgs.Ptr(1024), fgs.Ptr(10240)
	a.EnableDynamicMemory, a.EnableAuthInHeader, a.IsStatefulFunction = fgs.Ptr(true), fgs.Ptr(true), fgs.Ptr(true)
	a.DomainNames, a.DependencyVersions = fgs.Ptr(`[{"domain_name":"one.example"}]`), []string{numpyVersion}
	a.Tags, a.EnterpriseProjectID = map[string]string{"team": "one"}, fgs.Ptr("ep-1")
	a.CodeURLHash, a.EnableSnapshot, a.Tracing = fgs.Ptr("etag-1"), fgs.Ptr(true), &Tracing{AccessKey: "ak-1", SecretKey: "sk-1"}
	v := reflect.ValueOf(a)
	for i := 0; i < v.NumField(); i++ {
		require.False(t, isEmpty(v.Field(i)), "fullFunctionArgs leaves %s unset: set every input", v.Type().Field(i).Name)
	}
	return a
}

const numpyVersion, pandasVersion = "2d7a7c9e-5f55-4f2e-9a3c-0f6a8a0b6e02", "1d7a7c9e-5f55-4f2e-9a3c-0f6a8a0b6e01"

// roundTripFixture is a function to create (one) and, for every input it sets, another value (two) that
// the state claims before a refresh: a refresh that reads the input back returns one's value again.
type roundTripFixture struct {
	name     string
	one, two map[string]any
}

func roundTripFixtures(t *testing.T) []roundTripFixture {
	zip := roundTripFixture{"zip", map[string]any{
		"name": "rt-one", "app": "billing", "runtime": "Python3.9", "handler": "index.handler", "memorySize": 256, "timeout": 60,
		"description": "one", "functionGraphVersion": "v2", "code": codeDir(t, "def handler(e, c):\n    return 1\n"), "codeFilename": "main.zip",
		"environment": map[string]any{"A": "1"}, "secretEnvironment": map[string]any{"S": property.New("x").WithSecret(true)},
		"agency": "ag-1", "appAgency": "app-ag-1",
		"initializer": map[string]any{"handler": "index.init", "timeout": 10}, "restoreHook": map[string]any{"handler": "index.restore", "timeout": 10},
		"vpc":          map[string]any{"vpcId": "vpc-1", "subnetId": "subnet-1", "securityGroupIds": []any{"sg-1"}},
		"network":      map[string]any{"disablePublicNetwork": true, "triggerAccessVpcs": []any{map[string]any{"vpcId": "vpc-9"}}},
		"mounts":       map[string]any{"userId": -1, "userGroupId": -1, "fileSystems": []any{map[string]any{"type": "sfsTurbo", "resourceId": "fs-1", "localPath": "/mnt/a"}}},
		"logConfig":    map[string]any{"groupId": "lg-1", "streamId": "ls-1"},
		"maxInstances": 50, "concurrencyPerInstance": 10, "ephemeralStorage": 10240,
		"enableDynamicMemory": true, "enableAuthInHeader": true, "isStatefulFunction": true,
		"domainNames": `[{"domain_name":"one.example"}]`, "dependencyVersions": []any{numpyVersion},
		"tags": map[string]any{"team": "one"}, "enterpriseProjectId": "ep-1", "tracing": tracingOf("ak-1", "sk-1"),
	}, map[string]any{
		"name": "rt-two", "app": "other", "runtime": "Python3.6", "handler": "main.run", "memorySize": 512, "timeout": 90,
		"description": "two", "functionGraphVersion": "v1", "code": codeDir(t, "def handler(e, c):\n    return 2\n"), "codeFilename": "other.zip",
		"environment": map[string]any{"B": "2"}, "secretEnvironment": map[string]any{"T": property.New("y").WithSecret(true)},
		"agency": "ag-2", "appAgency": "app-ag-2",
		"initializer": map[string]any{"handler": "index.other", "timeout": 20}, "restoreHook": map[string]any{"handler": "index.r2", "timeout": 20},
		"vpc":          map[string]any{"vpcId": "vpc-2", "subnetId": "subnet-2"},
		"network":      map[string]any{"disablePublicNetwork": false},
		"mounts":       map[string]any{"userId": -1, "userGroupId": -1, "fileSystems": []any{map[string]any{"type": "sfs", "resourceId": "fs-2", "localPath": "/mnt/b"}}},
		"logConfig":    map[string]any{"groupId": "lg-2", "streamId": "ls-2"},
		"maxInstances": 10, "concurrencyPerInstance": 5, "ephemeralStorage": 512,
		"enableDynamicMemory": false, "enableAuthInHeader": false, "isStatefulFunction": false,
		"domainNames": `[{"domain_name":"two.example"}]`, "dependencyVersions": []any{pandasVersion},
		"tags": map[string]any{"team": "two"}, "enterpriseProjectId": "ep-2",
		// The secret key is never read back (the service masks it): the claim keeps it, to compare the rest.
		"tracing": tracingOf("ak-2", "sk-1"),
	}}
	image := roundTripFixture{"image", map[string]any{
		"name": "rt-image", "runtime": "Custom", "handler": "bootstrap",
		"customImage": map[string]any{"image": "swr.eu-de.otc.t-systems.com/org/app:1.0"}, "gpuMemory": 1024,
	}, map[string]any{
		"customImage": map[string]any{"image": "swr.eu-de.otc.t-systems.com/org/app:2.0"}, "gpuMemory": 2048,
	}}
	obs := roundTripFixture{"obs", map[string]any{
		"name": "rt-obs", "runtime": "Python3.9", "handler": "index.handler", "codeUrl": "https://b.obs.eu-de.otc.t-systems.com/one.zip",
		"codeUrlHash": "etag-1",
	}, map[string]any{
		"codeUrl": "https://b.obs.eu-de.otc.t-systems.com/two.zip", "codeUrlHash": "etag-2",
	}}
	java := roundTripFixture{"java", map[string]any{
		"name": "rt-java", "runtime": "Java11", "handler": "com.example.App.handle", "code": codeDir(t, "class App {}\n"),
		"enableSnapshot": true, "restoreHook": map[string]any{"handler": "com.example.App.restore", "timeout": 10},
	}, map[string]any{
		"enableSnapshot": false, "restoreHook": map[string]any{"handler": "com.example.App.other", "timeout": 20},
	}}
	return []roundTripFixture{zip, image, obs, java}
}

// Every input that is sent comes back through a refresh, and nothing comes back that was not sent: the
// state claims other values (two) for the inputs, and a refresh must replace each with what was created
// (one). The inputs the service cannot return are allowlisted, each with its reason.
func TestFunctionInputsRoundTrip(t *testing.T) {
	c, _ := newSnapshotCloud(t)
	covered := map[string]bool{}
	for _, fx := range roundTripFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			r := c.resource(t, "Function", fx.name)
			r.mustCreate(props(fx.one))
			sent := r.ins
			claimed := r.state
			for k, v := range fx.two {
				claimed = claimed.Set(k, toValue(v))
			}
			r.state = claimed
			read := r.read()
			require.NotEmpty(t, read.ID)
			for k := range fx.one {
				if _, ok := fx.two[k]; !ok {
					continue // an input this fixture only needs to exist (covered by another fixture)
				}
				covered[k] = true
				got, one, two := plain(read.Inputs.Get(k)), plain(sent.Get(k)), plain(toValue(fx.two[k]))
				_, allowed := notReadBack[k]
				switch {
				case got.Equals(one) && allowed:
					t.Errorf("%s is read back now: take it off the notReadBack allowlist", k)
				case got.Equals(one):
				case got.Equals(two) && allowed:
				case got.Equals(two):
					t.Errorf("%s is sent but never read back: a refresh kept the claimed %v instead of the live %v", k, two, one)
				default:
					t.Errorf("%s is read back but not (as) sent: sent %v, read back %v", k, one, got)
				}
			}
		})
	}
	for _, k := range inputKeys() {
		assert.True(t, covered[k], "no round-trip fixture sets %s: add it to roundTripFixtures", k)
	}
}

// plain is v without secret marks, to compare values only.
func plain(v property.Value) property.Value {
	switch {
	case v.IsMap():
		m := map[string]property.Value{}
		for k, e := range v.AsMap().AsMap() {
			m[k] = plain(e)
		}
		v = property.New(property.NewMap(m))
	case v.IsArray():
		var a []property.Value
		for _, e := range v.AsArray().AsSlice() {
			a = append(a, plain(e))
		}
		v = property.New(property.NewArray(a))
	}
	return v.WithSecret(false)
}

// The inputs that cannot be read back say so in their descriptions.
func TestNotReadBackInputsSayTheirDriftIsUnseen(t *testing.T) {
	spec := generatedSchema(t)
	inputs := spec.Resources["fgs:index:Function"].InputProperties
	for k, why := range notReadBack {
		if k == "code" {
			continue // its drift is seen, through digest
		}
		assert.Contains(t, inputs[k].Description, "drift", "%s is not read back (%s): its description must say its drift cannot be seen", k, why)
	}
}

func TestReadInputsKeepsAMalformedEnvironment(t *testing.T) {
	olds := FunctionArgs{Environment: map[string]string{"A": "1", "B": "2"}}
	cases := []struct {
		name, userData string
		want           map[string]string
		warns          bool
	}{
		{"a JSON object of strings", `{"A":"9"}`, map[string]string{"A": "9"}, false},
		{"empty: no variables", ``, nil, false},
		{"not JSON", `A=1;B=2`, olds.Environment, true},
		{"a number for a value", `{"A":1}`, olds.Environment, true},
		{"an array", `["A"]`, olds.Environment, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			live := &fgs.Function{FuncURN: "urn:fss:eu-de:p:function:default:f", UserData: fgs.FlexString(tc.userData)}
			in, warnings := readInputs(olds, live, false)
			assert.Equal(t, tc.want, in.Environment)
			if tc.warns {
				require.Len(t, warnings, 1)
				assert.Contains(t, warnings[0], "environment")
				assert.NotContains(t, warnings[0], "A=1", "the warning must not repeat the variables' values")
			} else {
				assert.Empty(t, warnings)
			}
		})
	}
}

// configRequest decides every field of PUT .../config, which replaces the whole configuration: what the
// user sets is sent, what the user set before and removed is sent empty, what the user never managed keeps
// its live value.
func TestConfigRequestThreeWays(t *testing.T) {
	live := &fgs.Function{FuncName: "f", Runtime: "Python3.9", Description: "live", Xrole: "live-agency",
		InitializerHandler: "index.live", InitializerTimeout: 5, LogGroupID: "lg-live", LogStreamID: "ls-live",
		StrategyConfig: &fgs.StrategyConfig{Concurrency: fgs.Ptr(7), ConcurrentNum: fgs.Ptr(3)}, DomainNames: "live.example",
		RestoreHookHandler: fgs.Ptr("index.liveRestore"), RestoreHookTimeout: 4, NetworkController: &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(true)}}
	set := FunctionArgs{Handler: "index.handler", MemorySize: fgs.Ptr(256), Timeout: fgs.Ptr(30),
		Description: fgs.Ptr("mine"), Agency: fgs.Ptr("my-agency"), Initializer: &Hook{Handler: "index.init", Timeout: 9},
		LogConfig: &LogConfig{GroupID: "lg", StreamID: "ls"}, ConcurrencyPerInstance: fgs.Ptr(4), DomainNames: fgs.Ptr("my.example"),
		SecretEnvironment: map[string]string{"K": "v"}, RestoreHook: &Hook{Handler: "index.restore", Timeout: 2},
		Network: &Network{TriggerAccessVpcs: []TriggerAccessVpc{{VpcID: "vpc-mine"}}}}
	bare := FunctionArgs{Handler: "index.handler", MemorySize: fgs.Ptr(256), Timeout: fgs.Ptr(30)}
	cases := []struct {
		name       string
		olds, news FunctionArgs
		want       fgs.UpdateFunctionConfigRequest
	}{
		{"set: the user's values", bare, set, fgs.UpdateFunctionConfigRequest{
			Description: fgs.Ptr("mine"), Xrole: fgs.Ptr("my-agency"), InitializerHandler: fgs.Ptr("index.init"), InitializerTimeout: fgs.Ptr(9),
			LogConfig: &fgs.FuncLogConfig{GroupID: "lg", StreamID: "ls"}, StrategyConfig: &fgs.StrategyConfig{Concurrency: fgs.Ptr(7), ConcurrentNum: fgs.Ptr(4)},
			DomainNames: fgs.Ptr("my.example"), EncryptedUserData: fgs.Ptr(`{"K":"v"}`), RestoreHookHandler: fgs.Ptr("index.restore"), RestoreHookTimeout: fgs.Ptr(2),
			NetworkController: &fgs.NetworkControlConfig{TriggerAccessVpcs: []fgs.VpcConfig{{VpcID: "vpc-mine"}}}}},
		{"removed: sent empty", set, bare, fgs.UpdateFunctionConfigRequest{
			Description: fgs.Ptr(""), Xrole: fgs.Ptr(""), InitializerHandler: fgs.Ptr(""), InitializerTimeout: fgs.Ptr(0),
			LogConfig: &fgs.FuncLogConfig{}, StrategyConfig: &fgs.StrategyConfig{Concurrency: fgs.Ptr(7)},
			DomainNames: fgs.Ptr(""), EncryptedUserData: fgs.Ptr(""), RestoreHookHandler: fgs.Ptr(""), RestoreHookTimeout: fgs.Ptr(0),
			NetworkController: &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(false), TriggerAccessVpcs: []fgs.VpcConfig{}}}},
		{"never managed: the live values", bare, bare, fgs.UpdateFunctionConfigRequest{
			Description: fgs.Ptr("live"), Xrole: fgs.Ptr("live-agency"), InitializerHandler: fgs.Ptr("index.live"), InitializerTimeout: fgs.Ptr(5),
			LogConfig: &fgs.FuncLogConfig{GroupID: "lg-live", StreamID: "ls-live"}, StrategyConfig: &fgs.StrategyConfig{Concurrency: fgs.Ptr(7), ConcurrentNum: fgs.Ptr(3)},
			DomainNames: fgs.Ptr("live.example"), RestoreHookHandler: fgs.Ptr("index.liveRestore"), RestoreHookTimeout: fgs.Ptr(4),
			NetworkController: &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(true)}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			want.FuncName, want.Runtime, want.Handler, want.MemorySize, want.Timeout = "f", "Python3.9", "index.handler", 256, 30
			assert.Equal(t, &want, configRequest(live, &tc.olds, tc.news))
		})
	}
}

// Where an answer leaves network_controller or restore_hook_handler out (nil), the recorded values are kept;
// where it carries them, they are read, an empty one as removed. domain_names is read even when empty.
func TestReadInputsWhereTheServiceReturnsIt(t *testing.T) {
	olds := FunctionArgs{Network: &Network{DisablePublicNetwork: fgs.Ptr(true)}, RestoreHook: &Hook{Handler: "a.b", Timeout: 3},
		DomainNames: fgs.Ptr(`[{"domain_name":"x"}]`)}
	urn := "urn:fss:eu-de:p:function:default:f"
	t.Run("left out: kept", func(t *testing.T) {
		in, _ := readInputs(olds, &fgs.Function{FuncURN: urn, DomainNames: `[{"domain_name":"x"}]`}, false)
		assert.Equal(t, olds.Network, in.Network)
		assert.Equal(t, olds.RestoreHook, in.RestoreHook)
	})
	t.Run("returned: read", func(t *testing.T) {
		live := &fgs.Function{FuncURN: urn, RestoreHookHandler: fgs.Ptr("c.d"), RestoreHookTimeout: 9,
			NetworkController: &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(false), TriggerAccessVpcs: []fgs.VpcConfig{{VpcID: "v"}}}}
		in, _ := readInputs(olds, live, false)
		assert.Equal(t, &Network{DisablePublicNetwork: fgs.Ptr(false), TriggerAccessVpcs: []TriggerAccessVpc{{VpcID: "v"}}}, in.Network)
		assert.Equal(t, &Hook{Handler: "c.d", Timeout: 9}, in.RestoreHook)
		assert.Equal(t, "", deref(in.DomainNames), "a removal behind Pulumi's back shows")
	})
	t.Run("returned empty: removed", func(t *testing.T) {
		live := &fgs.Function{FuncURN: urn, RestoreHookHandler: fgs.Ptr(""), NetworkController: &fgs.NetworkControlConfig{}}
		in, _ := readInputs(olds, live, false)
		assert.Nil(t, in.RestoreHook)
		assert.Equal(t, &Network{}, in.Network, "the declared block comes back empty, so the diff shows what went")
	})
	t.Run("import: only what is set", func(t *testing.T) {
		live := &fgs.Function{FuncURN: urn, RestoreHookHandler: fgs.Ptr(""), NetworkController: &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(false)}}
		in, _ := readInputs(FunctionArgs{}, live, true)
		assert.Nil(t, in.RestoreHook)
		assert.Nil(t, in.Network)
		assert.Nil(t, in.DomainNames)
	})
}
