package fgs

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlexTypes(t *testing.T) {
	var v struct {
		A, B, C, D, E FlexInt
		S, T, U, W    FlexString
		X, Y, Z       FlexBool
	}
	require.NoError(t, json.Unmarshal([]byte(`{"A":12,"B":"247","C":null,"D":"","E":3.0,
		"S":"x","T":12,"U":{"a": 1},"W":null,"X":true,"Y":"true","Z":null}`), &v))
	assert.Equal(t, FlexInt(12), v.A)
	assert.Equal(t, FlexInt(247), v.B)
	assert.Equal(t, FlexInt(0), v.C)
	assert.Equal(t, FlexInt(0), v.D)
	assert.Equal(t, FlexInt(3), v.E)
	assert.Equal(t, "x", v.S.String())
	assert.Equal(t, "12", v.T.String())
	assert.Equal(t, `{"a":1}`, v.U.String())
	assert.Equal(t, "", v.W.String())
	assert.True(t, bool(v.X))
	assert.True(t, bool(v.Y))
	assert.False(t, bool(v.Z))
	assert.Error(t, json.Unmarshal([]byte(`{"A":"abc"}`), &v))
}

func TestFunctionAnswerTolerance(t *testing.T) {
	var f Function
	require.NoError(t, json.Unmarshal([]byte(`{"func_urn":"u","memory_size":"256","code_size":"247","user_data":"{\"k\":\"v\"}",
		"app_xrole":null,"func_vpc":null,"strategy_config":{"concurrency":"5","concurrent_number":2},"StrategyConfig":{},
		"enterprise_project_id":0,"enable_cloud_debug":"false","long_time":"false","mount_config":{"mount_user":{"user_id":"-1","user_group_id":-1},"func_mounts":[]},
		"unknown_future_field":{"x":1}}`), &f))
	assert.Equal(t, 256, f.MemorySize.Int())
	assert.Equal(t, `{"k":"v"}`, string(f.UserData))
	mi, ok := f.MaxInstances()
	assert.True(t, ok)
	assert.Equal(t, 5, mi)
	require.NotNil(t, f.StrategyConfig.ConcurrentNum)
	assert.Equal(t, 2, *f.StrategyConfig.ConcurrentNum)
	assert.Equal(t, FlexInt(-1), f.MountConfig.MountUser.UserID)
	assert.Equal(t, "0", f.EnterpriseProjectID.String())
}

func TestUpdateConfigRequestJSON(t *testing.T) {
	b, err := json.Marshal(&UpdateFunctionConfigRequest{FuncName: "hello", Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128, Timeout: 3})
	require.NoError(t, err)
	assert.JSONEq(t, `{"func_name":"hello","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":3}`, string(b), "unset optional fields are omitted")

	b, err = json.Marshal(&UpdateFunctionConfigRequest{FuncName: "hello", Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128, Timeout: 3,
		Description: Ptr(""), EnableDynamicMemory: Ptr(false), InitializerTimeout: Ptr(0),
		StrategyConfig: &StrategyConfig{Concurrency: Ptr(0), ConcurrentNum: Ptr(1)},
		MountConfig:    &MountConfig{MountUser: &MountUser{UserID: -1, UserGroupID: -1}, FuncMounts: []FuncMount{}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"func_name":"hello","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":3,
		"description":"","enable_dynamic_memory":false,"initializer_timeout":0,
		"strategy_config":{"concurrency":0,"concurrent_num":1},
		"mount_config":{"mount_user":{"user_id":-1,"user_group_id":-1},"func_mounts":[]}}`, string(b), "explicit zero values are sent")
}

func TestAliasAndTriggerJSON(t *testing.T) {
	b, err := json.Marshal(&UpdateAliasRequest{Version: "v1"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"version":"v1"}`, string(b))
	b, err = json.Marshal(&UpdateAliasRequest{Version: "v1", AdditionalVersionWeights: map[string]int{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"version":"v1","additional_version_weights":{}}`, string(b))
	b, err = json.Marshal(&UpdateAliasRequest{Version: "v1", Description: Ptr("d"), AdditionalVersionWeights: map[string]int{"v2": 10}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"version":"v1","description":"d","additional_version_weights":{"v2":10}}`, string(b))

	var tr Trigger
	require.NoError(t, json.Unmarshal([]byte(`{"trigger_id":"t","trigger_type_code":"TIMER","event_data":"{\"name\":\"n\"}","created_time":"2019-10-29171553"}`), &tr))
	assert.Equal(t, "n", tr.EventData["name"])
	assert.Equal(t, "t", tr.TriggerID)
	require.NoError(t, json.Unmarshal([]byte(`{"trigger_id":"t2","event_data":{"schedule":"3m"}}`), &tr))
	assert.Equal(t, "3m", tr.EventData["schedule"])
	assert.Equal(t, "t2", tr.TriggerID)
}

func TestParseURN(t *testing.T) {
	u, err := ParseURN("urn:fss:eu-de:pid:function:default:hello:latest")
	require.NoError(t, err)
	assert.Equal(t, URN{Region: "eu-de", ProjectID: "pid", Package: "default", Name: "hello", Qualifier: "latest"}, u)
	assert.Equal(t, "urn:fss:eu-de:pid:function:default:hello", u.Unqualified())

	for _, s := range []string{"urn:fss:eu-de:pid:function:default:hello:!dev", "urn:fss:eu-de:pid:function:default:hello!dev"} {
		u, err = ParseURN(s)
		require.NoError(t, err, s)
		assert.True(t, u.Alias)
		assert.Equal(t, "dev", u.Qualifier)
		assert.Equal(t, "urn:fss:eu-de:pid:function:default:hello:!dev", u.String())
	}
	_, err = ParseURN("default:hello")
	assert.Error(t, err)
	_, err = ParseURN("urn:fss:eu-de:pid:function:default")
	assert.Error(t, err)
	assert.Equal(t, "urn:fss:eu-de:pid:function:default:hello", UnqualifiedURN("urn:fss:eu-de:pid:function:default:hello:latest"))
	assert.Equal(t, "not-a-urn", UnqualifiedURN("not-a-urn"))
	assert.Equal(t, "urn:fss:r:p:function:a:b:v1", BuildURN("r", "p", "a", "b", "v1"))
	assert.Equal(t, "urn:fss:r:p:function:a:b:!x", seg("urn:fss:r:p:function:a:b:!x"))
	assert.Equal(t, "a%2Fb%3F", seg("a/b?"))
}
