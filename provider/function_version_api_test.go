package provider

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

const testFunctionURN = "urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello"

func TestPublishRequest(t *testing.T) {
	cases := []struct {
		name string
		args FunctionVersionArgs
		want fgs.PublishVersionRequest
	}{
		{"only the function: the service names it", FunctionVersionArgs{FunctionURN: testFunctionURN}, fgs.PublishVersionRequest{}},
		{"every input", FunctionVersionArgs{FunctionURN: testFunctionURN, Name: ptr("v1"), Description: ptr("first"), Digest: ptr("abc")},
			fgs.PublishVersionRequest{Version: "v1", Description: "first", Digest: "abc"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, &tc.want, publishRequest(tc.args))
		})
	}
}

func TestPublishedVersion(t *testing.T) {
	live := &fgs.Function{Version: "v20260101-120000", Digest: "d1", CodeSize: 42, LastModified: "2026-01-01 12:00:00"}
	got := publishedVersion(FunctionVersionArgs{FunctionURN: testFunctionURN, Digest: ptr("d1")}, live)
	assert.Equal(t, FunctionVersionState{
		FunctionURN: testFunctionURN, Version: "v20260101-120000", Digest: "d1", InputDigest: ptr("d1"),
		QualifiedURN: testFunctionURN + ":v20260101-120000", CodeSize: 42, LastModified: "2026-01-01 12:00:00",
	}, got)
	assert.Equal(t, FunctionVersionArgs{FunctionURN: testFunctionURN, Digest: ptr("d1")}, got.inputs(), "the inputs it was published with")

	preview := unpublishedVersion(FunctionVersionArgs{FunctionURN: testFunctionURN, Name: ptr("v1")})
	assert.Equal(t, "v1", preview.Version, "a fixed name is known in the preview")
	assert.Empty(t, preview.QualifiedURN, "the URN is not known before the service answers")
}

func TestReadBackVersion(t *testing.T) {
	live := &fgs.Function{Version: "v1", Digest: "live-digest", CodeSize: 7, LastModified: "t2", VersionDescription: "as the service has it"}
	published := FunctionVersionState{
		FunctionURN: testFunctionURN, Name: ptr("v1"), Version: "v1", Description: ptr("first"), Digest: "old-digest",
		InputDigest: ptr("input-digest"), QualifiedURN: testFunctionURN + ":v1", CodeSize: 5, LastModified: "t1",
	}
	cases := []struct {
		name       string
		version    string
		prior      FunctionVersionState
		live       *fgs.Function
		wantInputs FunctionVersionArgs
		wantState  FunctionVersionState
	}{
		{"refresh keeps the inputs and re-reads the outputs", "v1", published, live,
			FunctionVersionArgs{FunctionURN: testFunctionURN, Name: ptr("v1"), Description: ptr("first"), Digest: ptr("input-digest")},
			FunctionVersionState{FunctionURN: testFunctionURN, Name: ptr("v1"), Version: "v1", Description: ptr("first"), Digest: "live-digest",
				InputDigest: ptr("input-digest"), QualifiedURN: testFunctionURN + ":v1", CodeSize: 7, LastModified: "t2"}},
		{"import of a named version takes name, description and digest from the service", "v1", FunctionVersionState{}, live,
			FunctionVersionArgs{FunctionURN: testFunctionURN, Name: ptr("v1"), Description: ptr("as the service has it"), Digest: ptr("live-digest")},
			FunctionVersionState{FunctionURN: testFunctionURN, Name: ptr("v1"), Version: "v1", Description: ptr("as the service has it"), Digest: "live-digest",
				InputDigest: ptr("live-digest"), QualifiedURN: testFunctionURN + ":v1", CodeSize: 7, LastModified: "t2"}},
		{"import of a service-named version records no name", "v20260101-120000", FunctionVersionState{},
			&fgs.Function{Version: "v20260101-120000", Digest: "d"},
			FunctionVersionArgs{FunctionURN: testFunctionURN, Digest: ptr("d")},
			FunctionVersionState{FunctionURN: testFunctionURN, Version: "v20260101-120000", Digest: "d", InputDigest: ptr("d"),
				QualifiedURN: testFunctionURN + ":v20260101-120000"}},
		{"import with no description and no digest leaves both unset", "v2", FunctionVersionState{}, &fgs.Function{Version: "v2"},
			FunctionVersionArgs{FunctionURN: testFunctionURN, Name: ptr("v2")},
			FunctionVersionState{FunctionURN: testFunctionURN, Name: ptr("v2"), Version: "v2", QualifiedURN: testFunctionURN + ":v2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inputs, state := readBackVersion(testFunctionURN, tc.version, tc.prior.inputs(), tc.prior, tc.live)
			assert.Equal(t, tc.wantInputs, inputs)
			assert.Equal(t, tc.wantState, state)
		})
	}
}

func TestParseVersionID(t *testing.T) {
	urn, version, err := parseVersionID(versionID(testFunctionURN, "v1"))
	require.NoError(t, err)
	assert.Equal(t, testFunctionURN, urn)
	assert.Equal(t, "v1", version)
	for _, bad := range []string{testFunctionURN, testFunctionURN + ":!prod", "v1", ""} {
		_, _, err := parseVersionID(bad)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "use <functionUrn>:<version>", bad)
	}
}

func TestPublishAndDeleteVersionErrors(t *testing.T) {
	apiErr := func(status int, code string) error {
		return &fgs.APIError{Status: status, Code: code, Message: "refused"}
	}
	named := FunctionVersionArgs{FunctionURN: testFunctionURN, Name: ptr("v1")}
	unnamed := FunctionVersionArgs{FunctionURN: testFunctionURN}
	withDigest := FunctionVersionArgs{FunctionURN: testFunctionURN, Digest: ptr("d")}
	cases := []struct {
		name string
		got  error
		want string
	}{
		{"unchanged function", publishError(named, apiErr(400, "FSS.1016")), "Change the function's code or configuration first"},
		{"fixed name taken", publishError(named, apiErr(400, "FSS.1062")), "a version of that name already exists (FSS.1062)"},
		{"generated name taken", publishError(unnamed, apiErr(400, "FSS.1062")), "run the update again"},
		{"digest refused", publishError(withDigest, apiErr(400, "FSS.1000")), "pass the Function's current `digest` output"},
		{"other refusal", publishError(unnamed, apiErr(400, "FSS.1000")), "publishing a version of " + testFunctionURN + ": "},
		{"not an API error", publishError(withDigest, errors.New("connection reset")), "publishing a version of " + testFunctionURN + ": connection reset"},
		{"routed to by an alias", deleteVersionError(testFunctionURN, "v1", apiErr(400, "FSS.1094")), "an alias still routes to it"},
		{"forbidden", deleteVersionError(testFunctionURN, "v1", apiErr(403, "")), "an alias still routes to it"},
		{"conflict", deleteVersionError(testFunctionURN, "v1", apiErr(409, "")), "an alias still routes to it"},
		{"other delete error", deleteVersionError(testFunctionURN, "v1", apiErr(500, "FSS.0500")), "deleting version v1 of " + testFunctionURN + ": "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, tc.got.Error(), tc.want)
			var ae *fgs.APIError
			if tc.name != "not an API error" {
				assert.ErrorAs(t, tc.got, &ae, "the service's error stays in the chain")
			}
		})
	}
	assert.NotContains(t, publishError(unnamed, apiErr(400, "FSS.1000")).Error(), "`digest`", "no digest advice without a digest")
	assert.NotContains(t, deleteVersionError(testFunctionURN, "v1", apiErr(500, "")).Error(), "alias", "no alias advice for a server error")
}
