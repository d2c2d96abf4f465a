package provider

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

func TestAliasRequests(t *testing.T) {
	cases := []struct {
		name       string
		args       AliasArgs
		wantCreate string
		wantUpdate string
	}{
		{"version only: the update clears description and weights",
			AliasArgs{FunctionURN: testFunctionURN, Name: "prod", FunctionVersion: "v1"},
			`{"name":"prod","version":"v1"}`,
			`{"version":"v1","description":"","additional_version_weights":{}}`},
		{"every input",
			AliasArgs{FunctionURN: testFunctionURN, Name: "prod", FunctionVersion: "v1", Description: ptr("production"), AdditionalVersionWeights: map[string]int{"v2": 10}},
			`{"name":"prod","version":"v1","description":"production","additional_version_weights":{"v2":10}}`,
			`{"version":"v1","description":"production","additional_version_weights":{"v2":10}}`},
		{"empty weights: the update still removes them",
			AliasArgs{FunctionURN: testFunctionURN, Name: "prod", FunctionVersion: "latest", AdditionalVersionWeights: map[string]int{}},
			`{"name":"prod","version":"latest"}`,
			`{"version":"latest","description":"","additional_version_weights":{}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			create, err := json.Marshal(createAliasRequest(tc.args))
			require.NoError(t, err)
			assert.JSONEq(t, tc.wantCreate, string(create))
			update, err := json.Marshal(updateAliasRequest(tc.args))
			require.NoError(t, err)
			assert.JSONEq(t, tc.wantUpdate, string(update))
		})
	}
}

func TestReadBackAlias(t *testing.T) {
	urn := testFunctionURN
	base := AliasArgs{FunctionURN: urn, Name: "prod", FunctionVersion: "v1"}
	cases := []struct {
		name string
		olds AliasArgs
		live fgs.Alias
		want AliasArgs
	}{
		{"nothing optional on either side", base, fgs.Alias{Version: "v1"}, base},
		{"a change behind Pulumi's back shows", AliasArgs{FunctionURN: urn, Name: "prod", FunctionVersion: "v1", AdditionalVersionWeights: map[string]int{"v2": 10}},
			fgs.Alias{Version: "v2", Description: "edited", AdditionalVersionWeights: map[string]int{"v3": 30}},
			AliasArgs{FunctionURN: urn, Name: "prod", FunctionVersion: "v2", Description: ptr("edited"), AdditionalVersionWeights: map[string]int{"v3": 30}}},
		{"a description and weights removed behind Pulumi's back read back empty",
			AliasArgs{FunctionURN: urn, Name: "prod", FunctionVersion: "v1", Description: ptr("production"), AdditionalVersionWeights: map[string]int{"v2": 10}},
			fgs.Alias{Version: "v1"},
			AliasArgs{FunctionURN: urn, Name: "prod", FunctionVersion: "v1", Description: ptr(""), AdditionalVersionWeights: map[string]int{}}},
		{"import takes what the service has", AliasArgs{}, fgs.Alias{Version: "v1", Description: "d", AdditionalVersionWeights: map[string]int{"latest": 5}},
			AliasArgs{FunctionURN: urn, Name: "prod", FunctionVersion: "v1", Description: ptr("d"), AdditionalVersionWeights: map[string]int{"latest": 5}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			live := tc.live
			live.AliasURN, live.LastModified = urn+":!prod", "2026-01-01 12:00:00"
			got := readBackAlias(urn, "prod", tc.olds, &live)
			assert.Equal(t, AliasState{AliasArgs: tc.want, AliasURN: urn + ":!prod", LastModified: "2026-01-01 12:00:00"}, got)
		})
	}
}

func TestParseAliasID(t *testing.T) {
	for _, id := range []string{aliasID(testFunctionURN, "prod"), testFunctionURN + "!prod", testFunctionURN + ":!prod"} {
		urn, name, err := parseAliasID(id)
		require.NoError(t, err, id)
		assert.Equal(t, testFunctionURN, urn, id)
		assert.Equal(t, "prod", name, id)
	}
	for _, bad := range []string{testFunctionURN, testFunctionURN + "/", testFunctionURN + ":v1/prod", "prod", "hello/prod"} {
		_, _, err := parseAliasID(bad)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "is not an alias ID", bad)
	}
}

func TestAliasErrors(t *testing.T) {
	args := AliasArgs{FunctionURN: testFunctionURN, Name: "prod", FunctionVersion: "v9"}
	apiErr := func(code string) error { return &fgs.APIError{Status: 400, Code: code, Message: "refused"} }
	cases := []struct {
		name string
		got  error
		want string
	}{
		{"missing version", aliasError("creating", args, apiErr("FSS.1052")), "creating alias prod of " + testFunctionURN + ": version v9 (or one of additionalVersionWeights) does not exist; publish it first"},
		{"alias exists", aliasError("creating", args, apiErr("FSS.1063")), "import it with `pulumi import fgs:index:Alias <name> " + testFunctionURN + "/prod`"},
		{"other", aliasError("updating", args, apiErr("FSS.1000")), "updating alias prod of " + testFunctionURN + ": "},
		{"triggers still bound", deleteAliasError(testFunctionURN, "prod", apiErr("FSS.1154")), "triggers are still bound to it (FSS.1154)"},
		{"other delete error", deleteAliasError(testFunctionURN, "prod", apiErr("FSS.1000")), "deleting alias prod of " + testFunctionURN + ": "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, tc.got.Error(), tc.want)
			var ae *fgs.APIError
			assert.ErrorAs(t, tc.got, &ae, "the service's error stays in the chain")
		})
	}
	assert.NotContains(t, deleteAliasError(testFunctionURN, "prod", apiErr("FSS.1000")).Error(), "triggers")
}
