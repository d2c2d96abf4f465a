package fgs

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServiceRoutes checks method, wire path and body of every service call
// and that canned answers decode.
func TestServiceRoutes(t *testing.T) {
	type call struct {
		name      string
		run       func(ctx context.Context, c *Client) (any, error)
		wantReq   string // "METHOD path?query" with {p} for the project prefix
		wantBody  string // JSON, "" = no check
		status    int
		answer    string
		checkResp func(t *testing.T, v any)
	}
	p := "/v2/" + testProjectID
	u := testURN
	calls := []call{
		{name: "functions.getcode", run: func(ctx context.Context, c *Client) (any, error) { return c.Functions.GetCode(ctx, u) },
			wantReq: "GET {p}/fgs/functions/" + u + "/code", status: 200,
			answer:    `{"func_urn":"` + u + `:latest","code_type":"inline","code_size":245,"digest":"abc","func_code":{"file":"","link":""}}`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, "abc", v.(*FunctionCode).Digest) }},
		{name: "functions.updatecode", run: func(ctx context.Context, c *Client) (any, error) {
			return c.Functions.UpdateCode(ctx, u, &UpdateFunctionCodeRequest{CodeType: "zip", CodeFilename: "index.zip", FuncCode: FuncCode{File: "UEsDBA=="}})
		}, wantReq: "PUT {p}/fgs/functions/" + u + "/code", wantBody: `{"code_type":"zip","code_filename":"index.zip","func_code":{"file":"UEsDBA=="}}`, status: 200, answer: `{}`},
		{name: "functions.maxinstances", run: func(ctx context.Context, c *Client) (any, error) { return c.Functions.UpdateMaxInstances(ctx, u, 0) },
			wantReq: "PUT {p}/fgs/functions/" + u + "/config-max-instance", wantBody: `{"max_instance_num":0}`, status: 200, answer: `{"strategy_config":{"concurrency":0}}`},
		{name: "functions.delete", run: func(ctx context.Context, c *Client) (any, error) { return nil, c.Functions.Delete(ctx, u) },
			wantReq: "DELETE {p}/fgs/functions/" + u, status: 204},
		{name: "versions.publish", run: func(ctx context.Context, c *Client) (any, error) {
			return c.Versions.Publish(ctx, u, &PublishVersionRequest{Version: "v1", Description: "first"})
		}, wantReq: "POST {p}/fgs/functions/" + u + "/versions", wantBody: `{"version":"v1","description":"first"}`, status: 200,
			answer:    `{"func_urn":"` + u + `:v1","version":"v1","strategy_config":{"concurrent_number":3}}`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, 3, *v.(*Function).StrategyConfig.ConcurrentNum) }},
		{name: "aliases.create", run: func(ctx context.Context, c *Client) (any, error) {
			return c.Aliases.Create(ctx, u, &CreateAliasRequest{Name: "dev", Version: "v1", AdditionalVersionWeights: map[string]int{"v2": 20}})
		}, wantReq: "POST {p}/fgs/functions/" + u + "/aliases", wantBody: `{"name":"dev","version":"v1","additional_version_weights":{"v2":20}}`, status: 200,
			answer:    `{"name":"dev","version":"v1","alias_urn":"` + u + `:!dev","additional_version_weights":{"v2":20}}`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, 20, v.(*Alias).AdditionalVersionWeights["v2"]) }},
		{name: "aliases.list", run: func(ctx context.Context, c *Client) (any, error) { return c.Aliases.List(ctx, u) },
			wantReq: "GET {p}/fgs/functions/" + u + "/aliases", status: 200, answer: `[{"name":"a"},{"name":"b"}]`,
			checkResp: func(t *testing.T, v any) { assert.Len(t, v.([]Alias), 2) }},
		{name: "aliases.delete", run: func(ctx context.Context, c *Client) (any, error) { return nil, c.Aliases.Delete(ctx, u, "dev") },
			wantReq: "DELETE {p}/fgs/functions/" + u + "/aliases/dev", status: 204},
		{name: "triggers.list", run: func(ctx context.Context, c *Client) (any, error) { return c.Triggers.List(ctx, u+":latest") },
			wantReq: "GET {p}/fgs/triggers/" + u + ":latest", status: 200, answer: `[{"trigger_id":"t","trigger_type_code":"TIMER","event_data":{"name":"x"}}]`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, "x", v.([]Trigger)[0].EventData["name"]) }},
		{name: "triggers.update", run: func(ctx context.Context, c *Client) (any, error) {
			return c.Triggers.Update(ctx, u+":latest", "TIMER", "t-1", &UpdateTriggerRequest{TriggerStatus: "DISABLED"})
		}, wantReq: "PUT {p}/fgs/triggers/" + u + ":latest/TIMER/t-1", wantBody: `{"trigger_status":"DISABLED"}`, status: 200, answer: `{"trigger_id":"t-1"}`},
		{name: "triggers.deleteall", run: func(ctx context.Context, c *Client) (any, error) { return nil, c.Triggers.DeleteAll(ctx, u) },
			wantReq: "DELETE {p}/fgs/triggers/" + u, status: 204},
		{name: "tags.create", run: func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Tags.Create(ctx, u, []Tag{{Key: "env", Value: "dev"}})
		}, wantReq: "POST {p}/functions/" + u + "/tags/create", wantBody: `{"action":"create","tags":[{"key":"env","value":"dev"}]}`, status: 204},
		{name: "tags.delete", run: func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Tags.Delete(ctx, u, []Tag{{Key: "env", Value: "dev"}})
		}, wantReq: "DELETE {p}/functions/" + u + "/tags/delete", wantBody: `{"action":"delete","tags":[{"key":"env","value":"dev"}]}`, status: 204},
		{name: "testevents.create", run: func(ctx context.Context, c *Client) (any, error) {
			return c.TestEvents.Create(ctx, u, &CreateTestEventRequest{Name: "ev", Content: "eyJrIjoidiJ9"})
		}, wantReq: "POST {p}/fgs/functions/" + u + "/events", wantBody: `{"name":"ev","content":"eyJrIjoidiJ9"}`, status: 200, answer: `{"id":"e-1","name":"ev"}`},
		{name: "testevents.update", run: func(ctx context.Context, c *Client) (any, error) { return c.TestEvents.Update(ctx, u, "e-1", "e30=") },
			wantReq: "PUT {p}/fgs/functions/" + u + "/events/e-1", wantBody: `{"content":"e30="}`, status: 200, answer: `{"id":"e-1","name":"ev"}`},
		{name: "testevents.list", run: func(ctx context.Context, c *Client) (any, error) { return c.TestEvents.List(ctx, u) },
			wantReq: "GET {p}/fgs/functions/" + u + "/events", status: 200, answer: `{"events":[{"id":"e-1","name":"ev","last_modified":1597374286}],"next_marker":0,"count":1}`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, int64(1597374286), int64(v.([]TestEvent)[0].LastModified)) }},
		{name: "asyncconfig.put", run: func(ctx context.Context, c *Client) (any, error) {
			return c.AsyncConfig.Put(ctx, u+":latest", &PutAsyncInvokeConfigRequest{MaxAsyncRetryAttempts: Ptr(0),
				DestinationConfig: &AsyncDestinationConfig{OnFailure: &DestinationConfig{Destination: "SMN", Param: `{"topic_urn":"t"}`}}})
		}, wantReq: "PUT {p}/fgs/functions/" + u + ":latest/async-invoke-config",
			wantBody: `{"max_async_retry_attempts":0,"destination_config":{"on_failure":{"destination":"SMN","param":"{\"topic_urn\":\"t\"}"}}}`,
			status:   200, answer: `{"func_urn":"x","max_async_retry_attempts":0,"max_async_event_age_in_seconds":3600}`},
		{name: "asyncconfig.delete", run: func(ctx context.Context, c *Client) (any, error) { return nil, c.AsyncConfig.Delete(ctx, u+":latest") },
			wantReq: "DELETE {p}/fgs/functions/" + u + ":latest/async-invoke-config", status: 204},
		{name: "reserved.update", run: func(ctx context.Context, c *Client) (any, error) {
			return c.ReservedInstances.Update(ctx, u+":latest", &UpdateReservedInstancesRequest{Count: 0, IdleMode: Ptr(false)})
		}, wantReq: "PUT {p}/fgs/functions/" + u + ":latest/reservedinstances", wantBody: `{"count":0,"idle_mode":false}`, status: 200, answer: `{"count":0}`},
		{name: "reserved.counts", run: func(ctx context.Context, c *Client) (any, error) { return c.ReservedInstances.ListCounts(ctx, "") },
			wantReq: "GET {p}/fgs/functions/reservedinstances?limit=400&marker=0", status: 200,
			answer: `{"reservedinstances":[{"func_urn":"a","count":2}],"page_info":{"next_marker":0},"count":1}`},
		{name: "dependencies.getversion", run: func(ctx context.Context, c *Client) (any, error) { return c.Dependencies.GetVersion(ctx, "dep-1", 3) },
			wantReq: "GET {p}/fgs/dependencies/dep-1/version/3", status: 200, answer: `{"id":"v-3","version":3,"size":"1024","last_modified":1660029887}`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, "1660029887", v.(*Dependency).LastModified.String()) }},
		{name: "dependencies.deleteversion", run: func(ctx context.Context, c *Client) (any, error) {
			return nil, c.Dependencies.DeleteVersion(ctx, "dep-1", 3)
		},
			wantReq: "DELETE {p}/fgs/dependencies/dep-1/version/3", status: 204},
		{name: "tracing.get", run: func(ctx context.Context, c *Client) (any, error) { return c.Tracing.Get(ctx, u) },
			wantReq: "GET {p}/fgs/functions/" + u + "/tracing", status: 200, answer: `{"tracing_ak":"AK","tracing_sk":"****"}`},
		{name: "tracing.disable", run: func(ctx context.Context, c *Client) (any, error) { return nil, c.Tracing.Disable(ctx, u) },
			wantReq: "PUT {p}/fgs/functions/" + u + "/tracing", wantBody: `{"tracing_ak":"","tracing_sk":""}`, status: 200},
		{name: "quotas.object", run: func(ctx context.Context, c *Client) (any, error) { return c.Quotas.List(ctx) },
			wantReq: "GET {p}/fgs/quotas", status: 200, answer: `{"quotas":{"resources":[{"type":"fgs_func_num","quota":400,"used":1},{"type":"fgs_func_code_size","quota":10240,"used":0,"unit":"MB"}]}}`,
			checkResp: func(t *testing.T, v any) { assert.Len(t, v.([]Quota), 2) }},
		{name: "quotas.array", run: func(ctx context.Context, c *Client) (any, error) { return c.Quotas.List(ctx) },
			wantReq: "GET {p}/fgs/quotas", status: 200, answer: `{"quotas":[{"resources":[{"type":"fgs_func_num","quota":"100","used":1}]}]}`,
			checkResp: func(t *testing.T, v any) { assert.Equal(t, 100, v.([]Quota)[0].Quota.Int()) }},
		{name: "invoke.sync", run: func(ctx context.Context, c *Client) (any, error) {
			return c.Invocations.Invoke(ctx, u+":!dev", json.RawMessage(`{"k":"v"}`), &InvokeOptions{LogType: "tail"})
		}, wantReq: "POST {p}/fgs/functions/" + u + ":!dev/invocations", wantBody: `{"k":"v"}`, status: 200,
			answer: `{"request_id":"r-1","result":"{\"ok\":true}","log":"l","status":200}`,
			checkResp: func(t *testing.T, v any) {
				r := v.(*InvokeResult)
				assert.Equal(t, `{"ok":true}`, r.Result.String())
				assert.Equal(t, "summary", r.Summary)
			}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			var gotReq, gotBody string
			var gotHdr http.Header
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
				gotReq = r.Method + " " + r.RequestURI
				b, _ := io.ReadAll(r.Body)
				gotBody = string(b)
				gotHdr = r.Header.Clone()
				w.Header().Set("X-Cff-Invoke-Summary", "summary")
				if tc.answer == "" {
					w.WriteHeader(tc.status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.answer))
			})
			c := tokenClient(t, f)
			v, err := tc.run(context.Background(), c)
			require.NoError(t, err)
			assert.Equal(t, strings.ReplaceAll(tc.wantReq, "{p}", p), gotReq)
			if tc.wantBody != "" {
				assert.JSONEq(t, tc.wantBody, gotBody)
			}
			assert.Equal(t, "given-token-abcdef", gotHdr.Get("X-Auth-Token"))
			if tc.checkResp != nil {
				tc.checkResp(t, v)
			}
			if tc.name == "invoke.sync" {
				assert.Equal(t, "v1", gotHdr.Get("X-Cff-Request-Version"))
				assert.Equal(t, "tail", gotHdr.Get("X-Cff-Log-Type"))
			}
		})
	}
}

func TestInvokeTextAnswer(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Cff-Request-Id", "rid-9")
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("hello world"))
	})
	c := tokenClient(t, f)
	res, err := c.Invocations.Invoke(context.Background(), testURN+":latest", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "hello world", res.Result.String())
	assert.Equal(t, "rid-9", res.RequestID)
	assert.JSONEq(t, `{}`, f.bodies[0])
}
