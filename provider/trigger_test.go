package provider

import (
	"context"
	"sort"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// ---------------------------------------------------------------------------------------------------------
// Unit tests: the mapping and the schedule grammar.

func TestTriggerEventDataMapping(t *testing.T) {
	cases := []struct {
		name string
		key  string
		blk  any
		want map[string]any
	}{
		{"timer", "timer", &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "3m", UserEvent: ptr("hi")},
			map[string]any{"name": "t", "schedule_type": "Rate", "schedule": "3m", "user_event": "hi"}},
		{"apig nests timeout under func_info", "apig", &ApigEventData{GroupID: "g", EnvID: "e", Name: "api_x", Path: "/x", Timeout: ptr(3000), SlDomain: ptr("d")},
			map[string]any{"group_id": "g", "env_id": "e", "name": "api_x", "path": "/x", "func_info": map[string]any{"timeout": 3000}, "sl_domain": "d"}},
		{"obs", "obs", &ObsEventData{Bucket: "b", Events: []string{"s3:ObjectCreated:*"}, Prefix: ptr("in/")},
			map[string]any{"bucket": "b", "events": []any{"s3:ObjectCreated:*"}, "prefix": "in/"}},
		{"smn", "smn", &SmnEventData{TopicURN: "urn:smn:eu-de:p:t"}, map[string]any{"topic_urn": "urn:smn:eu-de:p:t"}},
		{"kafka renames user and password", "kafka", &KafkaEventData{InstanceID: "i", TopicIDs: []string{"a", "b"}, BatchSize: ptr(10), User: ptr("u"), Password: ptr("pw"), SslEnable: ptr(true)},
			map[string]any{"instance_id": "i", "topic_ids": []any{"a", "b"}, "batch_size": 10, "kafka_user": "u", "kafka_password": "pw", "kafka_ssl_enable": true}},
		{"dis renames the starting position", "dis", &DisEventData{StreamName: "s", StartingPosition: ptr("LATEST"), PollingInterval: ptr(30), PollingUnit: ptr("s"), IsSerial: ptr(false)},
			map[string]any{"stream_name": "s", "sharditerator_type": "LATEST", "polling_interval": 30, "polling_unit": "s", "is_serial": false}},
		{"lts", "lts", &LtsEventData{LogGroupID: "g", LogTopicID: "t"}, map[string]any{"log_group_id": "g", "log_topic_id": "t"}},
		{"cts", "cts", &CtsEventData{Name: "c", Operations: []string{"ECS:ecs:createServer"}}, map[string]any{"name": "c", "operations": []any{"ECS:ecs:createServer"}}},
		{"dds", "dds", &DdsEventData{InstanceID: "i", DBName: "d", CollectionName: "c", User: ptr("u"), Password: ptr("pw")},
			map[string]any{"instance_id": "i", "db_name": "d", "collection_name": "c", "db_user": "u", "db_password": "pw"}},
		{"dms", "dms", &DmsEventData{InstanceID: "i", ConsumerGroupID: ptr("g"), PollingUnit: ptr("ms")},
			map[string]any{"instance_id": "i", "consumer_group_id": "g", "polling_unit": "ms"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := eventDataOf(tc.blk)
			assert.Equal(t, tc.want, got)
			// Back again: a live answer with the service's additions and secrets masked reads as the user's block.
			live := map[string]any{}
			for k, v := range normJSON(got).(map[string]any) {
				live[k] = v
			}
			live["invoke_url"], live["kafka_password"], live["db_password"] = "https://x", "******", "******"
			back := blockFromEventData(tc.key, live, tc.blk)
			assert.Equal(t, tc.blk, back)
		})
	}
}

func TestTriggerEventDataReadBack(t *testing.T) {
	// Only the fields the user set come back; a blanked key keeps the user's value; numbers sent as strings parse.
	olds := &ApigEventData{GroupID: "g", EnvID: "DEFAULT_ENVIRONMENT_RELEASE_ID", EnvName: ptr("RELEASE"), Name: "api", Path: "/p", Timeout: ptr(5000)}
	live := map[string]any{"group_id": "g", "env_id": "", "env_name": "", "name": "api", "path": "/p2", "auth": "IAM",
		"func_info": map[string]any{"timeout": "5000", "function_urn": "urn"}, "api_id": "x"}
	got := blockFromEventData("apig", live, olds).(*ApigEventData)
	assert.Equal(t, &ApigEventData{GroupID: "g", EnvID: "DEFAULT_ENVIRONMENT_RELEASE_ID", EnvName: ptr("RELEASE"), Name: "api", Path: "/p2", Timeout: ptr(5000)}, got)

	// On import (no olds) every modelled key the service reports is read, secrets never.
	imp := blockFromEventData("kafka", map[string]any{"instance_id": "i", "topic_ids": []any{"t"}, "batch_size": 100.0, "kafka_password": "x"}, nil).(*KafkaEventData)
	assert.Equal(t, &KafkaEventData{InstanceID: "i", TopicIDs: []string{"t"}, BatchSize: ptr(100)}, imp)

	// Raw event data: the user's keys, secrets from the user.
	raw := rawFromEventData(map[string]any{"a": 1.0, "b": "live", "password": "***", "extra": true}, map[string]any{"a": 1, "b": "old", "password": "pw"}, false)
	assert.Equal(t, map[string]any{"a": 1.0, "b": "live", "password": "pw"}, raw)
}

func TestTriggerScheduleValidation(t *testing.T) {
	cases := []struct {
		kind, schedule string
		ok             bool
	}{
		{"Rate", "1m", true}, {"Rate", "60m", true}, {"Rate", "61m", false}, {"Rate", "24h", true}, {"Rate", "25h", false},
		{"Rate", "30d", true}, {"Rate", "31d", false}, {"Rate", "0m", false}, {"Rate", "3s", false}, {"Rate", "3", false}, {"Rate", "m", false},
		{"Cron", "0 30 8 * * MON-FRI", true}, {"Cron", "0 0/30 * * * ?", true}, {"Cron", "0 0 12 1,15 * *", true},
		{"Cron", "0 0 12 * JAN-MAR", true}, {"Cron", "*/10 * * * * *", true},
		{"Cron", "@every 30m", true}, {"Cron", "@every 2h30m", true}, {"Cron", "@every 1.5h", true}, {"Cron", "@every soon", false},
		{"Cron", "* * *", false}, {"Cron", "60 * * * * *", false}, {"Cron", "0 0 24 * * *", false}, {"Cron", "0 0 0 0 * *", false},
		{"Cron", "0 0 0 * 13 *", false}, {"Cron", "0 0 0 * * 7", false}, {"Cron", "0 0 0 * * FOO", false}, {"Cron", "0 */0 * * * *", false},
		{"Cron", "0 0 5-1 * * *", false}, {"Cron", "? * * * * *", false},
		{"Cron", "CRON_TZ=Europe/Berlin 0 30 8 * * MON-FRI", true}, {"Cron", "CRON_TZ=Nowhere/Atlantis 0 30 8 * *", false}, {"Cron", "0 15 2 * * ? 2030", false},
	}
	for _, tc := range cases {
		err := validateSchedule(tc.kind, tc.schedule)
		assert.Equal(t, tc.ok, err == nil, "%s %q: %v", tc.kind, tc.schedule, err)
	}
}

func TestTriggerIDParsing(t *testing.T) {
	urn := "urn:fss:eu-de:p:function:default:hello:!prod"
	u, typ, id, err := parseTriggerID(triggerID(urn, "TIMER", "abc"))
	require.NoError(t, err)
	assert.Equal(t, []string{urn, "TIMER", "abc"}, []string{u, typ, id})
	for _, bad := range []string{"", "urn/TIMER", "a/b/c/d", "urn//id"} {
		_, _, _, err := parseTriggerID(bad)
		assert.Error(t, err, bad)
	}
}

// ---------------------------------------------------------------------------------------------------------
// Integration tests against the emulator.

// triggerInputs are valid inputs for each modelled type, and for one raw type.
func triggerInputs(urn string) map[string]map[string]any {
	return map[string]map[string]any{
		"TIMER": {"timer": map[string]any{"name": "every-3m", "scheduleType": "Rate", "schedule": "3m", "userEvent": "tick"}},
		"APIG": {"apig": map[string]any{"groupId": "a9ad0d5df4d7475c9bc35a7c17d89304", "envId": "DEFAULT_ENVIRONMENT_RELEASE_ID",
			"envName": "RELEASE", "name": "API_hello", "path": "/hello", "protocol": "HTTPS", "auth": "NONE"}},
		"OBS":   {"obs": map[string]any{"bucket": "input-pictures", "events": []any{"s3:ObjectCreated:*"}, "prefix": "in/", "name": "obs-event-1"}},
		"SMN":   {"smn": map[string]any{"topicUrn": "urn:smn:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:alerts"}},
		"KAFKA": {"kafka": map[string]any{"instanceId": "86ad3efc-c019-460e-91e7-317b1a89f95a", "topicIds": []any{"orders"}, "batchSize": 100, "user": "u", "password": "s3cret", "sslEnable": true}},
		"DMS":   {"dms": map[string]any{"instanceId": "dms-1", "topicIds": []any{"q1"}, "consumerGroupId": "g1", "pollingInterval": 30, "pollingUnit": "s"}},
		"DIS":   {"dis": map[string]any{"streamName": "clicks", "startingPosition": "TRIM_HORIZON", "batchSize": 100, "pollingInterval": 30, "pollingUnit": "s"}},
		"LTS":   {"lts": map[string]any{"logGroupId": "cccd3fa30-7c86", "logTopicId": "5b4944dd-9603", "logGroupName": "group"}},
		"CTS":   {"cts": map[string]any{"name": "audit", "operations": []any{"ECS:ecs:createServer"}}},
		"DDS":   {"dds": map[string]any{"instanceId": "dds-1", "dbName": "shop", "collectionName": "orders", "user": "rwuser", "password": "pw", "batchSize": 10}},
		"RABBITMQ": {"eventData": map[string]any{"instance_id": "rmq-1", "exchange_name": "ex", "vhost": "/", "batch_size": 10,
			"access_user": "u", "access_password": property.New("pw").WithSecret(true)}},
	}
}

func withBase(urn, typ string, extra map[string]any) property.Map {
	m := map[string]any{"functionUrn": urn, "type": typ}
	for k, v := range extra {
		m[k] = v
	}
	return props(m)
}

// Every type: create, read back with no change, import by ID, delete.
func TestTriggerEveryTypeCreateReadImport(t *testing.T) {
	c := newTestCloud(t)
	urn := c.newFunction(t, "triggers", true)
	types := make([]string, 0)
	for typ := range triggerInputs(urn) {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		t.Run(typ, func(t *testing.T) {
			extra := triggerInputs(urn)[typ]
			c.em.ResetCounts()
			r := c.resource(t, "Trigger", strings.ToLower(typ))
			r.mustCreate(withBase(urn, typ, extra))
			assert.Equal(t, string(defaultStatus(typ)), str(r.state, "status"))
			assert.True(t, strings.HasPrefix(r.id, urn+"/"+typ+"/"), r.id)
			tid := str(r.state, "triggerId")
			assert.Equal(t, urn+"/"+typ+"/"+tid, r.id)
			assert.NotEmpty(t, str(r.state, "createdTime"))
			if typ == "APIG" {
				assert.Equal(t, "https://a9ad0d5df4d7475c9bc35a7c17d89304.apig.eu-de.otc.t-systems.com/hello", str(r.state, "invokeUrl"))
			}
			c.logRequests(t, typ+" create")
			if key, ok := blockKey[typ]; ok && r.state.Get(key).AsMap().Get("password").IsString() {
				assert.True(t, r.state.Get(key).AsMap().Get("password").Secret(), "the password is a secret in the state")
			}

			// Read back: the inputs are what the user wrote (the service's additions are not in them) and no diff.
			before := r.ins
			resp := r.read()
			require.Equal(t, r.id, resp.ID)
			assert.Equal(t, before, resp.Inputs, "read-back inputs")
			if key, ok := blockKey[typ]; ok && r.state.Get(key).AsMap().Get("password").IsString() {
				assert.True(t, r.state.Get(key).AsMap().Get("password").Secret(), "the password stays a secret after a read")
			}
			if typ == "RABBITMQ" {
				assert.True(t, r.state.Get("eventData").AsMap().Get("access_password").Secret(), "a secret raw value stays secret")
			}
			d, _ := r.diff(withBase(urn, typ, extra))
			assert.False(t, d.HasChanges, "no diff after read: %v", diffKinds(d))
			assert.Equal(t, 1, c.logRequests(t, typ+" no-op read"))

			// Import by ID rebuilds the type and its event data (secrets are not returned).
			imp := c.importID(t, "Trigger", r.id)
			require.Equal(t, r.id, imp.ID)
			assert.Equal(t, typ, str(imp.Inputs, "type"))
			assert.Equal(t, urn, str(imp.Inputs, "functionUrn"))
			if key, ok := blockKey[typ]; ok {
				assert.True(t, imp.Inputs.Get(key).IsMap(), "imported %s block", key)
				assert.False(t, imp.Inputs.Get(key).AsMap().Get("password").IsString(), "no password read from the service")
			} else {
				assert.True(t, imp.Inputs.Get("eventData").IsMap())
			}
			c.requests()

			require.NoError(t, r.delete())
			assert.Equal(t, 1, c.logRequests(t, typ+" delete"))
			assert.Equal(t, "", r.read().ID, "deleted trigger reads as gone")
		})
	}
}

// A TIMER is disabled and enabled again in place, with one PUT each.
func TestTriggerStatusUpdateInPlace(t *testing.T) {
	c := newTestCloud(t)
	urn := c.newFunction(t, "timer", false)
	timer := triggerInputs(urn)["TIMER"]
	r := c.resource(t, "Trigger", "timer")
	r.mustCreate(withBase(urn, "TIMER", timer))
	c.requests()

	for _, status := range []string{"DISABLED", "ACTIVE"} {
		in := withBase(urn, "TIMER", timer)
		in = in.Set("status", property.New(status))
		d, checked := r.diff(in)
		assert.True(t, d.HasChanges)
		assert.Equal(t, map[string]p.DiffKind{"status": p.Update}, diffKinds(d))
		id := r.id
		pv := r.preview(checked)
		assert.Equal(t, str(r.state, "triggerId"), str(pv, "triggerId"), "the preview keeps the trigger's identity known")
		assert.Equal(t, status, str(pv, "status"))
		c.requests()
		require.NoError(t, r.update(checked))
		assert.Equal(t, id, r.id)
		assert.Equal(t, status, str(r.state, "status"))
		assert.Equal(t, 1, c.logRequests(t, "TIMER status "+status))

		live, err := c.apiClient(t).Triggers.Get(context.Background(), urn, "TIMER", str(r.state, "triggerId"))
		require.NoError(t, err)
		assert.Equal(t, status, live.TriggerStatus)
		c.requests()
	}

	// Out-of-band change shows up on refresh as drift of `status`.
	_, err := c.apiClient(t).Triggers.Update(context.Background(), urn, "TIMER", str(r.state, "triggerId"), &fgs.UpdateTriggerRequest{TriggerStatus: "DISABLED"})
	require.NoError(t, err)
	r.read()
	assert.Equal(t, "DISABLED", str(r.ins, "status"))
	d, _ := r.diff(withBase(urn, "TIMER", timer).Set("status", property.New("ACTIVE")))
	assert.Equal(t, map[string]p.DiffKind{"status": p.Update}, diffKinds(d))
}

// The pull-tuning keys update in place; any other event data key replaces.
func TestTriggerPullTuningInPlace(t *testing.T) {
	c := newTestCloud(t)
	urn := c.newFunction(t, "dis", false)
	dis := map[string]any{"streamName": "clicks", "pollingInterval": 30, "pollingUnit": "s"}
	r := c.resource(t, "Trigger", "dis")
	r.mustCreate(withBase(urn, "DIS", map[string]any{"dis": dis}))
	c.requests()

	d, checked := r.diff(withBase(urn, "DIS", map[string]any{"dis": map[string]any{"streamName": "clicks", "pollingInterval": 10, "pollingUnit": "s"}}))
	assert.Equal(t, map[string]p.DiffKind{"dis.pollingInterval": p.Update}, diffKinds(d))
	require.NoError(t, r.update(checked))
	assert.Equal(t, 1, c.logRequests(t, "DIS pollingInterval update"))
	live, err := c.apiClient(t).Triggers.Get(context.Background(), urn, "DIS", str(r.state, "triggerId"))
	require.NoError(t, err)
	assert.EqualValues(t, 10, live.EventData["polling_interval"])
	assert.Equal(t, "clicks", live.EventData["stream_name"], "the rest of the event data is kept")

	d, _ = r.diff(withBase(urn, "DIS", map[string]any{"dis": map[string]any{"streamName": "views", "pollingInterval": 10, "pollingUnit": "s"}}))
	assert.Equal(t, map[string]p.DiffKind{"dis.streamName": p.UpdateReplace}, diffKinds(d))
	assert.True(t, d.DeleteBeforeReplace)

	// Removing a tuning key is an in-place update that really removes it.
	d, checked = r.diff(withBase(urn, "DIS", map[string]any{"dis": map[string]any{"streamName": "clicks", "pollingUnit": "s"}}))
	assert.Equal(t, map[string]p.DiffKind{"dis.pollingInterval": p.Delete}, diffKinds(d))
	c.requests()
	require.NoError(t, r.update(checked))
	assert.Equal(t, 1, c.logRequests(t, "DIS pollingInterval removal"))
	live, err = c.apiClient(t).Triggers.Get(context.Background(), urn, "DIS", str(r.state, "triggerId"))
	require.NoError(t, err)
	assert.NotContains(t, live.EventData, "polling_interval")
	assert.Equal(t, "clicks", live.EventData["stream_name"])

	// Raw event data follows the same rule.
	raw := c.resource(t, "Trigger", "raw")
	ed := map[string]any{"instance_id": "rmq-1", "exchange_name": "ex", "polling_interval": 5}
	raw.mustCreate(withBase(urn, "RABBITMQ", map[string]any{"eventData": ed}))
	d, _ = raw.diff(withBase(urn, "RABBITMQ", map[string]any{"eventData": map[string]any{"instance_id": "rmq-1", "exchange_name": "ex2", "polling_interval": 6}}))
	assert.Equal(t, map[string]p.DiffKind{"eventData.exchange_name": p.UpdateReplace, "eventData.polling_interval": p.Update}, diffKinds(d))
	c.requests()
	d, checked = raw.diff(withBase(urn, "RABBITMQ", map[string]any{"eventData": map[string]any{"instance_id": "rmq-1", "exchange_name": "ex", "polling_interval": 6}}))
	assert.Equal(t, map[string]p.DiffKind{"eventData.polling_interval": p.Update}, diffKinds(d))
	require.NoError(t, raw.update(checked))
	assert.Equal(t, 1, c.logRequests(t, "raw polling_interval update"))
	live, err = c.apiClient(t).Triggers.Get(context.Background(), urn, "RABBITMQ", str(raw.state, "triggerId"))
	require.NoError(t, err)
	assert.EqualValues(t, 6, live.EventData["polling_interval"])
	assert.Equal(t, "ex", live.EventData["exchange_name"])
	raw.read()
	d, _ = raw.diff(withBase(urn, "RABBITMQ", map[string]any{"eventData": map[string]any{"instance_id": "rmq-1", "exchange_name": "ex", "polling_interval": 6}}))
	assert.False(t, d.HasChanges, "%v", diffKinds(d))
}

// Changing the type (or the function) replaces the trigger, deleting the old one first.
func TestTriggerReplaceOnTypeChange(t *testing.T) {
	c := newTestCloud(t)
	urn := c.newFunction(t, "replace", false)
	r := c.resource(t, "Trigger", "t")
	r.mustCreate(withBase(urn, "TIMER", triggerInputs(urn)["TIMER"]))

	d, _ := r.diff(withBase(urn, "SMN", triggerInputs(urn)["SMN"]))
	kinds := diffKinds(d)
	assert.Equal(t, p.UpdateReplace, kinds["type"])
	assert.Equal(t, p.DeleteReplace, kinds["timer"])
	assert.Equal(t, p.AddReplace, kinds["smn"])
	assert.True(t, d.DeleteBeforeReplace)

	// A schedule change replaces too (the service has no in-place update for it).
	timer := triggerInputs(urn)["TIMER"]["timer"].(map[string]any)
	changed := map[string]any{}
	for k, v := range timer {
		changed[k] = v
	}
	changed["schedule"] = "5m"
	d, _ = r.diff(withBase(urn, "TIMER", map[string]any{"timer": changed}))
	assert.Equal(t, map[string]p.DiffKind{"timer.schedule": p.UpdateReplace}, diffKinds(d))

	// The replacement: delete, then create anew (the same timer name would conflict otherwise).
	require.NoError(t, r.delete())
	r.mustCreate(withBase(urn, "TIMER", map[string]any{"timer": changed}))
	assert.Equal(t, "5m", str(r.state, "timer", "schedule"))
}

// The service's additions (APIG's api_id, invoke_url, func_info...) and key order never show as a diff.
func TestTriggerSemanticEventDataDiff(t *testing.T) {
	c := newTestCloud(t)
	urn := c.newFunction(t, "semantic", false)
	r := c.resource(t, "Trigger", "api")
	r.mustCreate(withBase(urn, "APIG", triggerInputs(urn)["APIG"]))
	live, err := c.apiClient(t).Triggers.Get(context.Background(), urn, "APIG", str(r.state, "triggerId"))
	require.NoError(t, err)
	for _, k := range []string{"api_id", "invoke_url", "func_info", "group_name"} {
		assert.Contains(t, live.EventData, k, "the service enriched the event data")
	}
	r.read()
	d, _ := r.diff(withBase(urn, "APIG", triggerInputs(urn)["APIG"]))
	assert.False(t, d.HasChanges, "%v", diffKinds(d))

	// Raw event data: the service stores it with other key order and number types; no diff either.
	raw := c.resource(t, "Trigger", "raw")
	raw.mustCreate(withBase(urn, "EVENTGRID", map[string]any{"eventData": map[string]any{"channel_id": "c1", "source_name": "s", "batch": 10, "nested": map[string]any{"b": 2, "a": 1}}}))
	raw.read()
	d, _ = raw.diff(withBase(urn, "EVENTGRID", map[string]any{"eventData": map[string]any{"nested": map[string]any{"a": 1.0, "b": 2}, "batch": 10.0, "source_name": "s", "channel_id": "c1"}}))
	assert.False(t, d.HasChanges, "%v", diffKinds(d))
}

// Bad inputs fail Check on the property at fault, and nothing reaches the API.
func TestTriggerCheckFailures(t *testing.T) {
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

// Deleting the function first deletes its triggers with it (the service cascades); the trigger then reads
// as gone and its delete succeeds. The other order is the one Pulumi uses (the trigger depends on the function).
func TestTriggerDeletionOrder(t *testing.T) {
	c := newTestCloud(t)
	urn := c.newFunction(t, "order", false)
	r := c.resource(t, "Trigger", "t")
	r.mustCreate(withBase(urn, "TIMER", triggerInputs(urn)["TIMER"]))

	cl := c.apiClient(t)
	require.NoError(t, cl.Functions.Delete(context.Background(), urn))
	_, err := cl.Triggers.Get(context.Background(), urn, "TIMER", str(r.state, "triggerId"))
	t.Logf("GET of a trigger whose function was deleted: %v", err)
	assert.ErrorIs(t, err, fgs.ErrNotFound)
	c.requests()
	assert.Equal(t, "", r.read().ID, "gone")
	require.NoError(t, r.delete(), "deleting a trigger whose function is gone succeeds")
	c.logRequests(t, "read + delete after the function was deleted")
}
