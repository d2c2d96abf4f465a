package provider

import (
	"context"
	"encoding/base64"
	"math/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// What FunctionGraph refuses at `up` is refused by Check, on the property at fault, with no API request.
func TestFunctionCheckServiceLimits(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	r := c.resource(t, "Function", "limits")
	mount := func(path string) map[string]any {
		return map[string]any{"mounts": map[string]any{"userId": -1, "userGroupId": -1,
			"fileSystems": []any{map[string]any{"type": "sfs", "resourceId": "fs-1", "localPath": path}}}}
	}
	for _, tc := range []struct {
		name     string
		change   map[string]any
		property string // "" when valid
	}{
		{"tag key of 36 characters", map[string]any{"tags": map[string]any{strings.Repeat("k", 36): "v"}}, ""},
		{"tag key of 37 characters", map[string]any{"tags": map[string]any{strings.Repeat("k", 37): "v"}}, "tags"},
		{"tag key with a space", map[string]any{"tags": map[string]any{"cost center": "v"}}, "tags"},
		{"tag key with a slash", map[string]any{"tags": map[string]any{"team/a": "v"}}, "tags"},
		{"tag key of letters beyond ASCII", map[string]any{"tags": map[string]any{"équipe": "ü"}}, ""},
		{"tag value of 43 characters", map[string]any{"tags": map[string]any{"k": strings.Repeat("v", 43)}}, ""},
		{"tag value of 44 characters", map[string]any{"tags": map[string]any{"k": strings.Repeat("v", 44)}}, "tags.k"},
		{"tag value of 43 characters beyond ASCII", map[string]any{"tags": map[string]any{"k": strings.Repeat("ü", 43)}}, ""},
		{"tag value with a hash", map[string]any{"tags": map[string]any{"k": "a#b"}}, "tags.k"},
		{"tag value with a comma", map[string]any{"tags": map[string]any{"k": "a,b"}}, "tags.k"},
		{"tag value with spaces and a slash", map[string]any{"tags": map[string]any{"k": "team a/b"}}, ""},
		{"mount under /mnt/", mount("/mnt/data"), ""},
		{"mount outside /mnt/", mount("/data"), "mounts.fileSystems[0].localPath"},
		{"mount at /mnt/ itself", mount("/mnt/"), "mounts.fileSystems[0].localPath"},
		{"mount at /mnt without the slash", mount("/mnt"), "mounts.fileSystems[0].localPath"},
		{"mount at /mntdata", mount("/mntdata"), "mounts.fileSystems[0].localPath"},
		{"tracing without a secret key", map[string]any{"tracing": map[string]any{"accessKey": "ak", "secretKey": ""}}, "tracing.secretKey"},
		{"tracing without an access key", map[string]any{"tracing": map[string]any{"accessKey": " ", "secretKey": "sk"}}, "tracing.accessKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := r.check(props(merged(baseFunction(t), tc.change)))
			if tc.property == "" {
				assert.Empty(t, resp.Failures)
			} else {
				require.Len(t, resp.Failures, 1, "%+v", resp.Failures)
				assert.Equal(t, tc.property, resp.Failures[0].Property)
				t.Logf("%s: %s", resp.Failures[0].Property, resp.Failures[0].Reason)
			}
			_, total := c.fgsRequests()
			assert.Zero(t, total, "Check makes no API request")
		})
	}
}

// randomCode is a directory holding n bytes that do not compress, so the package is as large as they are.
func randomCode(t *testing.T, n int) property.Value {
	t.Helper()
	dir := t.TempDir()
	buf := make([]byte, n)
	rand.New(rand.NewSource(1)).Read(buf)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "blob.bin"), buf, 0o644))
	a, err := archive.FromPath(dir)
	require.NoError(t, err)
	return property.New(a)
}

// akskServer is a provider configured with AK/SK signing against a fresh emulator, and that emulator.
func akskServer(t *testing.T) (integration.Server, *emulator.Emulator) {
	t.Helper()
	cfg := emulator.DefaultConfig()
	em, err := emulator.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	prov, err := New()
	require.NoError(t, err)
	server, err := integration.NewServer(context.Background(), Name, semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	require.NoError(t, server.Configure(p.ConfigureRequest{Args: property.NewMap(map[string]property.Value{
		"region": property.New(cfg.Region), "projectId": property.New(cfg.ProjectID),
		"accessKey": property.New(cfg.AccessKey), "secretKey": property.New(cfg.SecretKey).WithSecret(true),
		"authUrl": property.New(srv.URL + "/v3"), "endpoint": property.New(srv.URL), "maxRetries": property.New(0.0),
	})}))
	em.ResetCounts()
	return server, em
}

// Under AK/SK signing, a package whose request would be over 12 MB fails Check on code, naming the ways
// out; with a password the same package passes; a package that fits passes under AK/SK, and the service
// (the emulator, which enforces the limit on signed requests) takes it.
func TestFunctionCheckSignedRequestLimit(t *testing.T) {
	t.Parallel()
	aksk, em := akskServer(t)
	password := newTestCloud(t)
	big := merged(baseFunction(t), map[string]any{"code": randomCode(t, 10<<20)})
	check := func(server integration.Server, inputs map[string]any) p.CheckResponse {
		t.Helper()
		resp, err := server.Check(p.CheckRequest{Urn: urnOf("Function", "big"), Inputs: props(inputs)})
		require.NoError(t, err)
		return resp
	}

	resp := check(aksk, big)
	require.Len(t, resp.Failures, 1, "%+v", resp.Failures)
	assert.Equal(t, "code", resp.Failures[0].Property)
	for _, way := range []string{"12 MB", "AK/SK", "password or token", "codeUrl"} {
		assert.Contains(t, resp.Failures[0].Reason, way)
	}
	assert.Empty(t, em.Counts(), "no request, not even to IAM")
	assert.Empty(t, check(password.server, big).Failures, "unsigned requests may carry up to 50 MB")

	fits := merged(baseFunction(t), map[string]any{"name": "fits", "code": randomCode(t, 8<<20)})
	chk := check(aksk, fits)
	require.Empty(t, chk.Failures)
	_, err := aksk.Create(p.CreateRequest{Urn: urnOf("Function", "fits"), Properties: chk.Inputs})
	require.NoError(t, err, "the emulator accepts the signed request Check let through")
}

// The size is measured exactly once the package is near the limit: the body without the package, plus the
// package in base64.
func TestValidateSignedSizeIsExact(t *testing.T) {
	args := FunctionArgs{Name: fgs.Ptr("f"), Runtime: "Python3.9", Handler: "index.handler", Code: codeArchive(t, "x = 1\n")}
	fails := func(encoded int) bool {
		return args.signedCreateSize(&codePackage{size: int64(encoded / 4 * 3), CodeType: "zip", Filename: "index.zip"}) > signedBodyLimit
	}
	assert.False(t, fails(signedBodyLimit-64<<10), "far enough below the limit")
	assert.False(t, fails(signedBodyLimit-2<<10), "the rest of the body is a few hundred bytes")
	assert.True(t, fails(signedBodyLimit), "the package alone fills the limit: the rest of the body does not fit")
	assert.Equal(t, signedBodyLimit, base64.StdEncoding.EncodedLen(signedBodyLimit/4*3))
}
