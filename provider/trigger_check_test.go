package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
)

// Bad inputs fail Check on the property at fault, and nothing reaches the API.
func TestTriggerCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := "urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello"
	timer := func(kv ...any) map[string]any {
		m := map[string]any{"name": "t1", "scheduleType": "Rate", "schedule": "3m"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return map[string]any{"timer": m}
	}
	apig := func(k string, v any) map[string]any {
		m := map[string]any{"groupId": "g", "envId": "e", "name": "API_x", "path": "/x"}
		m[k] = v
		return map[string]any{"apig": m}
	}
	cases := []struct {
		name  string
		typ   string
		extra map[string]any
		path  string
	}{
		{"unknown type", "WEBHOOK", map[string]any{"eventData": map[string]any{}}, "type"},
		{"bad function urn", "TIMER", map[string]any{"functionUrn": "hello", "timer": timer()["timer"]}, "functionUrn"},
		{"no event data", "TIMER", nil, "timer"},
		{"block of another type", "TIMER", map[string]any{"timer": timer()["timer"], "obs": map[string]any{"bucket": "b-1", "events": []any{"s3:ObjectCreated:*"}}}, "obs"},
		{"block and raw", "TIMER", map[string]any{"timer": timer()["timer"], "eventData": map[string]any{"name": "x"}}, "eventData"},
		{"raw type without eventData", "IOTDA", nil, "eventData"},
		{"raw type with a block", "IOTDA", timer(), "timer"},
		{"status not disableable", "SMN", map[string]any{"status": "DISABLED", "smn": map[string]any{"topicUrn": "urn:smn:eu-de:p:t"}}, "status"},
		{"status bad", "TIMER", map[string]any{"status": "PAUSED", "timer": timer()["timer"]}, "status"},
		{"timer name", "TIMER", timer("name", "1timer"), "timer.name"},
		{"rate too high", "TIMER", timer("schedule", "61m"), "timer.schedule"},
		{"rate unit", "TIMER", timer("schedule", "3s"), "timer.schedule"},
		{"cron fields", "TIMER", timer("scheduleType", "Cron", "schedule", "0 0 25 * * *"), "timer.schedule"},
		{"schedule type", "TIMER", timer("scheduleType", "Weekly"), "timer.scheduleType"},
		{"apig name", "APIG", apig("name", "x"), "apig.name"},
		{"apig path", "APIG", apig("path", "hello"), "apig.path"},
		{"apig protocol", "APIG", apig("protocol", "FTP"), "apig.protocol"},
		{"apig auth", "APIG", apig("auth", "BASIC"), "apig.auth"},
		{"apig method", "APIG", apig("reqMethod", "FETCH"), "apig.reqMethod"},
		{"apig timeout", "APIG", apig("timeout", 60001), "apig.timeout"},
		{"obs bucket", "OBS", map[string]any{"obs": map[string]any{"bucket": "Bad_Bucket", "events": []any{"s3:ObjectCreated:*"}}}, "obs.bucket"},
		{"obs event", "OBS", map[string]any{"obs": map[string]any{"bucket": "pics", "events": []any{"s3:ObjectCreated:*", "s3:ObjectTouched"}}}, "obs.events[1]"},
		{"obs no events", "OBS", map[string]any{"obs": map[string]any{"bucket": "pics", "events": []any{}}}, "obs.events"},
		{"smn urn", "SMN", map[string]any{"smn": map[string]any{"topicUrn": "alerts"}}, "smn.topicUrn"},
		{"kafka batch", "KAFKA", map[string]any{"kafka": map[string]any{"instanceId": "i", "topicIds": []any{"t"}, "batchSize": 1001}}, "kafka.batchSize"},
		{"kafka ssl without credentials", "KAFKA", map[string]any{"kafka": map[string]any{"instanceId": "i", "topicIds": []any{"t"}, "sslEnable": true}}, "kafka.sslEnable"},
		{"kafka user without password", "KAFKA", map[string]any{"kafka": map[string]any{"instanceId": "i", "topicIds": []any{"t"}, "user": "u"}}, "kafka.password"},
		{"dms polling unit", "DMS", map[string]any{"dms": map[string]any{"instanceId": "i", "pollingUnit": "min"}}, "dms.pollingUnit"},
		{"dis starting position", "DIS", map[string]any{"dis": map[string]any{"streamName": "s", "startingPosition": "NOW"}}, "dis.startingPosition"},
		{"dis batch", "DIS", map[string]any{"dis": map[string]any{"streamName": "s", "batchSize": 0}}, "dis.batchSize"},
		{"lts group", "LTS", map[string]any{"lts": map[string]any{"logGroupId": "", "logTopicId": "t"}}, "lts.logGroupId"},
		{"cts operations", "CTS", map[string]any{"cts": map[string]any{"name": "c", "operations": []any{}}}, "cts.operations"},
		{"dds db", "DDS", map[string]any{"dds": map[string]any{"instanceId": "i", "dbName": " ", "collectionName": "c"}}, "dds.dbName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string]any{"functionUrn": urn, "type": tc.typ}
			for k, v := range tc.extra {
				in[k] = v
			}
			resp := c.resource(t, "Trigger", "bad").check(props(in))
			paths := []string{}
			for _, f := range resp.Failures {
				paths = append(paths, f.Property)
			}
			assert.Contains(t, paths, tc.path, "failures: %v", resp.Failures)
		})
	}
	_, total := c.fgsRequests()
	assert.Zero(t, total, "Check makes no API request")

	// Unknown values (preview) are never flagged.
	resp := c.resource(t, "Trigger", "preview").check(property.NewMap(map[string]property.Value{
		"functionUrn": property.New(property.Computed),
		"type":        property.New("TIMER"),
		"timer": property.New(property.NewMap(map[string]property.Value{
			"name": property.New(property.Computed), "scheduleType": property.New("Rate"), "schedule": property.New(property.Computed),
		})),
	}))
	assert.Empty(t, resp.Failures)
}

// The reasons name the rule broken, as users read them in `pulumi preview`.
func TestTriggerCheckReasons(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := "urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello"
	cases := []struct {
		typ   string
		extra map[string]any
		path  string
		want  string
	}{
		{"APIG", map[string]any{"apig": map[string]any{"groupId": "g", "envId": "e", "name": "API_x", "path": "/x", "reqMethod": "FETCH"}},
			"apig.reqMethod", `"FETCH" is not valid: use one of GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS, ANY`},
		{"APIG", map[string]any{"apig": map[string]any{"groupId": " ", "envId": "e", "name": "API_x", "path": "/x"}},
			"apig.groupId", "must not be empty"},
		{"APIG", map[string]any{"apig": map[string]any{"groupId": "g", "envId": "e", "name": "API_x", "path": "/x", "timeout": 0}},
			"apig.timeout", "the timeout in milliseconds must be between 1 and 60000, not 0"},
		{"OBS", map[string]any{"obs": map[string]any{"bucket": "pics", "events": []any{"OBS:ObjectCreated:Put", "s3:Nope"}}},
			"obs.events[1]", `"s3:Nope" is not an OBS event; use one of s3:ObjectCreated:*`},
		{"DMS", map[string]any{"dms": map[string]any{"instanceId": "i", "pollingInterval": 0}},
			"dms.pollingInterval", "must be at least 1, not 0"},
		{"DMS", map[string]any{"dms": map[string]any{"instanceId": "i", "password": "p"}},
			"dms.password", "set `user` and `password` together"},
		{"DIS", map[string]any{"dis": map[string]any{"streamName": "s", "maxFetchBytes": 0}},
			"dis.maxFetchBytes", "must be at least 1, not 0"},
		{"TIMER", map[string]any{"timer": map[string]any{"name": "t", "scheduleType": "Cron", "schedule": "0 0 8-25 * * *"}},
			"timer.schedule", `the hour field "25" is not between 0 and 23`},
		{"SMN", map[string]any{"timer": map[string]any{"name": "t", "scheduleType": "Rate", "schedule": "3m"}},
			"timer", "`timer` does not apply to a SMN trigger; use `smn`"},
		{"EVENTGRID", map[string]any{"obs": map[string]any{"bucket": "pics", "events": []any{"s3:ObjectCreated:*"}}},
			"obs", "`obs` does not apply to a EVENTGRID trigger; use `eventData`"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			in := map[string]any{"functionUrn": urn, "type": tc.typ}
			for k, v := range tc.extra {
				in[k] = v
			}
			reasons := map[string]string{}
			for _, f := range c.resource(t, "Trigger", "bad").check(props(in)).Failures {
				reasons[f.Property] = f.Reason
			}
			assert.Contains(t, reasons[tc.path], tc.want, "failures: %v", reasons)
		})
	}
}
