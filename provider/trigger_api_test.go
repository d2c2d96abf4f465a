package provider

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Table tests of trigger_api.go: the mapping between the inputs and the API's bodies, without an emulator.

// Every typed block of TriggerArgs has its entry in eventBlocks, under its Pulumi key, and the reverse: a
// block added to the inputs but not to the table (or the other way round) fails here, naming it.
func TestTriggerEventBlocksTable(t *testing.T) {
	t.Parallel()
	args := reflect.TypeFor[TriggerArgs]()
	inArgs := map[string]bool{}
	for i := 0; i < args.NumField(); i++ {
		f := args.Field(i)
		if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct {
			inArgs[strings.Split(f.Tag.Get("pulumi"), ",")[0]] = true
		}
	}
	inTable := map[string]bool{}
	for typ, b := range eventBlocks {
		inTable[b.key] = true
		assert.Contains(t, triggerTypes, typ, "eventBlocks has a type the API does not: %s", typ)
		assert.True(t, inArgs[b.key], "eventBlocks[%s] is %q, which is no block of TriggerArgs", typ, b.key)
		assert.NotEmpty(t, b.fields, "%s has no field with an `api` tag", b.key)
		// get and set reach the same field of the inputs.
		var a TriggerArgs
		assert.Nil(t, b.get(&a), "%s: unset block", b.key)
		blk := b.zero()
		b.set(&a, blk)
		assert.Same(t, blk, b.get(&a), "%s: get returns what set stored", b.key)
		assert.Equal(t, b, eventDataOf(a).block, "%s: the event data of inputs with this block comes from it", b.key)
	}
	for key := range inArgs {
		assert.True(t, inTable[key], "TriggerArgs.%s has no entry in eventBlocks", key)
	}
	keys := make([]string, 0, len(blocksByKey))
	for _, b := range blocksByKey {
		keys = append(keys, b.key)
	}
	assert.True(t, sort.StringsAreSorted(keys), "%v", keys)
}

func TestTriggerEventDataMapping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		typ  string
		blk  any
		want map[string]any
	}{
		{"timer", "TIMER", &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "3m", UserEvent: ptr("hi")},
			map[string]any{"name": "t", "schedule_type": "Rate", "schedule": "3m", "user_event": "hi"}},
		{"apig nests timeout under func_info", "APIG", &ApigEventData{GroupID: "g", EnvID: "e", Name: "api_x", Path: "/x", Timeout: ptr(3000), SlDomain: ptr("d")},
			map[string]any{"group_id": "g", "env_id": "e", "name": "api_x", "path": "/x", "func_info": map[string]any{"timeout": 3000}, "sl_domain": "d"}},
		{"obs", "OBS", &ObsEventData{Bucket: "b", Events: []string{"s3:ObjectCreated:*"}, Prefix: ptr("in/")},
			map[string]any{"bucket": "b", "events": []any{"s3:ObjectCreated:*"}, "prefix": "in/"}},
		{"smn", "SMN", &SmnEventData{TopicURN: "urn:smn:eu-de:p:t"}, map[string]any{"topic_urn": "urn:smn:eu-de:p:t"}},
		{"kafka renames user and password", "KAFKA", &KafkaEventData{InstanceID: "i", TopicIDs: []string{"a", "b"}, BatchSize: ptr(10), User: ptr("u"), Password: ptr("pw"), SslEnable: ptr(true)},
			map[string]any{"instance_id": "i", "topic_ids": []any{"a", "b"}, "batch_size": 10, "kafka_user": "u", "kafka_password": "pw", "kafka_ssl_enable": true}},
		{"dis renames the starting position", "DIS", &DisEventData{StreamName: "s", StartingPosition: ptr("LATEST"), PollingInterval: ptr(30), PollingUnit: ptr("s"), IsSerial: ptr(false)},
			map[string]any{"stream_name": "s", "sharditerator_type": "LATEST", "polling_interval": 30, "polling_unit": "s", "is_serial": false}},
		{"lts", "LTS", &LtsEventData{LogGroupID: "g", LogTopicID: "t"}, map[string]any{"log_group_id": "g", "log_topic_id": "t"}},
		{"cts", "CTS", &CtsEventData{Name: "c", Operations: []string{"ECS:ecs:createServer"}}, map[string]any{"name": "c", "operations": []any{"ECS:ecs:createServer"}}},
		{"dds", "DDS", &DdsEventData{InstanceID: "i", DBName: "d", CollectionName: "c", User: ptr("u"), Password: ptr("pw")},
			map[string]any{"instance_id": "i", "db_name": "d", "collection_name": "c", "db_user": "u", "db_password": "pw"}},
		{"dms", "DMS", &DmsEventData{InstanceID: "i", ConsumerGroupID: ptr("g"), PollingUnit: ptr("ms")},
			map[string]any{"instance_id": "i", "consumer_group_id": "g", "polling_unit": "ms"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := eventBlocks[tc.typ]
			require.NotNil(t, b)
			got := b.toAPI(tc.blk)
			assert.Equal(t, tc.want, got)
			// Back again: a live answer with the service's additions and secrets masked reads as the user's block.
			live := map[string]any{}
			for k, v := range normJSON(got).(map[string]any) {
				live[k] = v
			}
			live["invoke_url"], live["kafka_password"], live["db_password"] = "https://x", "******", "******"
			assert.Equal(t, tc.blk, b.fromAPI(live, tc.blk))
		})
	}
}

func TestTriggerEventDataReadBack(t *testing.T) {
	t.Parallel()
	t.Run("only the fields the user set; a blanked key keeps the user's value; numbers sent as strings parse", func(t *testing.T) {
		olds := &ApigEventData{GroupID: "g", EnvID: "DEFAULT_ENVIRONMENT_RELEASE_ID", EnvName: ptr("RELEASE"), Name: "api", Path: "/p", Timeout: ptr(5000)}
		live := map[string]any{"group_id": "g", "env_id": "", "env_name": "", "name": "api", "path": "/p2", "auth": "IAM",
			"func_info": map[string]any{"timeout": "5000", "function_urn": "urn"}, "api_id": "x"}
		got := eventBlocks["APIG"].fromAPI(live, olds).(*ApigEventData)
		assert.Equal(t, &ApigEventData{GroupID: "g", EnvID: "DEFAULT_ENVIRONMENT_RELEASE_ID", EnvName: ptr("RELEASE"), Name: "api", Path: "/p2", Timeout: ptr(5000)}, got)
	})
	t.Run("import reads every modelled key, secrets never", func(t *testing.T) {
		imp := eventBlocks["KAFKA"].fromAPI(map[string]any{"instance_id": "i", "topic_ids": []any{"t"}, "batch_size": 100.0, "kafka_password": "x"}, nil).(*KafkaEventData)
		assert.Equal(t, &KafkaEventData{InstanceID: "i", TopicIDs: []string{"t"}, BatchSize: ptr(100)}, imp)
	})
	t.Run("raw event data: the user's keys, secrets from the user", func(t *testing.T) {
		raw := rawFromEventData(map[string]any{"a": 1.0, "b": "live", "password": "***", "extra": true}, map[string]any{"a": 1, "b": "old", "password": "pw"}, false)
		assert.Equal(t, map[string]any{"a": 1.0, "b": "live", "password": "pw"}, raw)
	})
}

// The one secret-key rule (fgs.IsSecretKey) decides what Read never copies from the live eventData: for
// each kind of key, the service's plain value never reaches the inputs, on refresh or on import.
func TestTriggerRawReadBackNeverCopiesSecretKeys(t *testing.T) {
	t.Parallel()
	keys := []string{"db_passwd", "passwd", "tracing_sk", "token", "access_token", "private_key", "ssh_private_key", "client_secret", "access_password"}
	for _, k := range keys {
		require.True(t, fgs.IsSecretKey(k), "%s is a secret key for the client's log redaction", k)
	}
	live, olds := map[string]any{"host": "live-host"}, map[string]any{"host": "my-host"}
	for _, k := range keys {
		live[k], olds[k] = "service-plain", "user-"+k
	}
	live["nested"] = map[string]any{"private_key": "service-plain", "port": 5672.0, "added": "by the service"}
	olds["nested"] = map[string]any{"private_key": "user-nested", "port": 5672}
	live["brokers"] = []any{map[string]any{"password": "service-plain", "host": "b1"}}
	olds["brokers"] = []any{map[string]any{"password": "user-broker", "host": "b1"}}

	t.Run("refresh keeps the user's value of every secret key, at any depth", func(t *testing.T) {
		got := rawFromEventData(live, olds, false)
		assert.Equal(t, "live-host", got["host"], "a key that is no secret is read from the service")
		for _, k := range keys {
			assert.Equal(t, "user-"+k, got[k], k)
		}
		assert.Equal(t, map[string]any{"private_key": "user-nested", "port": 5672.0, "added": "by the service"}, got["nested"])
		assert.Equal(t, []any{map[string]any{"password": "user-broker", "host": "b1"}}, got["brokers"], "objects in lists too")
		assert.NotContains(t, fmt.Sprint(got), "service-plain")
	})
	t.Run("import leaves every secret key out", func(t *testing.T) {
		got := rawFromEventData(live, nil, true)
		assert.Equal(t, map[string]any{"host": "live-host", "nested": map[string]any{"port": 5672.0, "added": "by the service"},
			"brokers": []any{map[string]any{"host": "b1"}}}, got)
	})
}

func TestTriggerCreateRequest(t *testing.T) {
	t.Parallel()
	active, code := TriggerStatus("ACTIVE"), "APICreated"
	cases := []struct {
		name string
		args TriggerArgs
		want fgs.CreateTriggerRequest
	}{
		{"a timer block", TriggerArgs{Type: "TIMER", Status: &active, Timer: &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "3m"}},
			fgs.CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE",
				EventData: map[string]any{"name": "t", "schedule_type": "Rate", "schedule": "3m"}}},
		{"an APIG block adds a function backend and a public API", TriggerArgs{Type: "APIG", EventTypeCode: &code, Apig: &ApigEventData{GroupID: "g", EnvID: "e", Name: "api", Path: "/p"}},
			fgs.CreateTriggerRequest{TriggerTypeCode: "APIG", EventTypeCode: "APICreated",
				EventData: map[string]any{"group_id": "g", "env_id": "e", "name": "api", "path": "/p", "backend_type": "FUNCTION", "type": 1}}},
		{"raw event data is sent as written", TriggerArgs{Type: "APIG", EventData: map[string]any{"group_id": "g", "x": []any{1}}},
			fgs.CreateTriggerRequest{TriggerTypeCode: "APIG", EventData: map[string]any{"group_id": "g", "x": []any{1}}}},
		{"no event data is an empty object", TriggerArgs{Type: "IOTDA"},
			fgs.CreateTriggerRequest{TriggerTypeCode: "IOTDA", EventData: map[string]any{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, &tc.want, createTriggerRequest(tc.args))
		})
	}
}

func TestTriggerUpdateRequest(t *testing.T) {
	t.Parallel()
	active, disabled := TriggerStatus("ACTIVE"), TriggerStatus("DISABLED")
	dis := func(interval *int, stream string) TriggerArgs {
		return TriggerArgs{Type: "DIS", Status: &active, Dis: &DisEventData{StreamName: stream, PollingInterval: interval, PollingUnit: ptr("s")}}
	}
	withStatus := func(a TriggerArgs, s *TriggerStatus) TriggerArgs { a.Status = s; return a }
	cases := []struct {
		name       string
		olds, news TriggerArgs
		want       *fgs.UpdateTriggerRequest
	}{
		{"nothing changed", dis(ptr(30), "s"), dis(ptr(30), "s"), nil},
		{"the same value with another JSON type", TriggerArgs{Type: "RABBITMQ", EventData: map[string]any{"polling_interval": 5}},
			TriggerArgs{Type: "RABBITMQ", EventData: map[string]any{"polling_interval": 5.0}}, nil},
		{"a status change alone", dis(ptr(30), "s"), withStatus(dis(ptr(30), "s"), &disabled),
			&fgs.UpdateTriggerRequest{TriggerStatus: "DISABLED"}},
		{"a tuning change sends the whole event data and the status the trigger has", dis(ptr(30), "s"), withStatus(dis(ptr(10), "s"), nil),
			&fgs.UpdateTriggerRequest{TriggerStatus: "ACTIVE", EventData: map[string]any{"stream_name": "s", "polling_interval": 10, "polling_unit": "s"}}},
		{"a removed tuning key is left out", dis(ptr(30), "s"), dis(nil, "s"),
			&fgs.UpdateTriggerRequest{TriggerStatus: "ACTIVE", EventData: map[string]any{"stream_name": "s", "polling_unit": "s"}}},
		{"raw event data", TriggerArgs{Type: "RABBITMQ", EventData: map[string]any{"exchange_name": "ex", "polling_interval": 5}},
			TriggerArgs{Type: "RABBITMQ", EventData: map[string]any{"exchange_name": "ex", "polling_interval": 6}},
			&fgs.UpdateTriggerRequest{EventData: map[string]any{"exchange_name": "ex", "polling_interval": 6}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status := tc.olds.Status
			if tc.news.Status != nil {
				status = tc.news.Status
			}
			assert.Equal(t, tc.want, updateTriggerRequest(tc.olds, tc.news, status))
		})
	}
}

// One diff path over the API map, for typed blocks and raw event data alike.
func TestTriggerEventDataDiff(t *testing.T) {
	t.Parallel()
	timer := &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "3m"}
	cases := []struct {
		name       string
		olds, news TriggerArgs
		want       map[string]p.DiffKind
	}{
		{"equal blocks", TriggerArgs{Timer: timer}, TriggerArgs{Timer: &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "3m"}}, map[string]p.DiffKind{}},
		{"a field changes", TriggerArgs{Timer: timer}, TriggerArgs{Timer: &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "5m"}},
			map[string]p.DiffKind{"timer.schedule": p.UpdateReplace}},
		{"a field is added", TriggerArgs{Timer: timer}, TriggerArgs{Timer: &TimerEventData{Name: "t", ScheduleType: "Rate", Schedule: "3m", UserEvent: ptr("x")}},
			map[string]p.DiffKind{"timer.userEvent": p.AddReplace}},
		{"a nested API key shows on its field", TriggerArgs{Apig: &ApigEventData{Name: "a", Timeout: ptr(5000)}}, TriggerArgs{Apig: &ApigEventData{Name: "a", Timeout: ptr(6000)}},
			map[string]p.DiffKind{"apig.timeout": p.UpdateReplace}},
		{"tuning keys update in place", TriggerArgs{Dis: &DisEventData{StreamName: "s", PollingInterval: ptr(30), IsSerial: ptr(true)}},
			TriggerArgs{Dis: &DisEventData{StreamName: "s", PollingInterval: ptr(10), MaxFetchBytes: ptr(100)}},
			map[string]p.DiffKind{"dis.pollingInterval": p.Update, "dis.isSerial": p.Delete, "dis.maxFetchBytes": p.Add}},
		{"another block", TriggerArgs{Timer: timer}, TriggerArgs{Smn: &SmnEventData{TopicURN: "u"}},
			map[string]p.DiffKind{"timer": p.DeleteReplace, "smn": p.AddReplace}},
		{"from a block to raw", TriggerArgs{Timer: timer}, TriggerArgs{EventData: map[string]any{"name": "t", "polling_unit": "s"}},
			map[string]p.DiffKind{"timer": p.DeleteReplace, "eventData.name": p.AddReplace, "eventData.polling_unit": p.Add}},
		{"raw keys by JSON value", TriggerArgs{EventData: map[string]any{"a": 1, "n": map[string]any{"x": 1}, "gone": "g", "polling_interval": 5}},
			TriggerArgs{EventData: map[string]any{"a": 1.0, "n": map[string]any{"x": 2}, "new": "n", "polling_interval": 6}},
			map[string]p.DiffKind{"eventData.n": p.UpdateReplace, "eventData.gone": p.DeleteReplace, "eventData.new": p.AddReplace, "eventData.polling_interval": p.Update}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]p.DiffKind{}
			for path, d := range diffEventData(eventDataOf(tc.olds), eventDataOf(tc.news)) {
				assert.True(t, d.InputDiff, path)
				got[path] = d.Kind
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestTriggerIDParsing(t *testing.T) {
	t.Parallel()
	urn := "urn:fss:eu-de:p:function:default:hello:!prod"
	u, typ, id, err := parseTriggerID(triggerID(urn, "TIMER", "abc"))
	require.NoError(t, err)
	assert.Equal(t, []string{urn, "TIMER", "abc"}, []string{u, typ, id})
	for _, bad := range []string{"", "urn/TIMER", "a/b/c/d", "urn//id"} {
		_, _, _, err := parseTriggerID(bad)
		assert.Error(t, err, bad)
	}
}
