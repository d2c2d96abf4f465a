package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func trig(typ string, ed map[string]any, kv ...any) map[string]any {
	m := map[string]any{"trigger_type_code": typ, "event_data": ed}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func TestTriggerCreateValidation(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.create("vpcfn", "func_vpc", map[string]any{"vpc_id": "v", "subnet_id": "s"})
	h.obj("POST", "/fgs/triggers/fn", trig("TIMER", map[string]any{"name": "taken", "schedule_type": "Rate", "schedule": "1d"}), 201)
	h.obj("POST", "/fgs/triggers/fn", trig("OBS", map[string]any{"bucket": "pics", "events": []string{"s3:ObjectCreated:*"}}), 201)
	h.obj("POST", "/fgs/triggers/fn", trig("APIG", map[string]any{"group_id": "g1", "env_id": "e", "name": "api", "auth": "NONE", "protocol": "HTTPS", "path": "/p"}), 201)
	h.obj("POST", "/fgs/triggers/fn", trig("SMN", map[string]any{"topic_urn": "urn:smn:eu-de:" + pid + ":topic"}), 201)
	h.obj("POST", "/fgs/triggers/fn", trig("KAFKA", map[string]any{"instance_id": "k", "topic_ids": []string{"t1"}}), 201)
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"unknown type", trig("FTP", map[string]any{}), 400, "FSS.1101"},
		{"missing type", map[string]any{"event_data": map[string]any{}}, 400, "FSS.1101"},
		{"missing event_data", map[string]any{"trigger_type_code": "TIMER"}, 400, "FSS.0400"},
		{"bad status", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "3m"}, "trigger_status", "PAUSED"), 400, "FSS.0400"},
		{"disable OBS", trig("OBS", map[string]any{"bucket": "other", "events": []string{"s3:ObjectCreated:Put"}}, "trigger_status", "DISABLED"), 400, "FSS.1318"},
		{"disable APIG", trig("APIG", map[string]any{"group_id": "g", "env_id": "e", "name": "n", "auth": "IAM", "protocol": "HTTP", "path": "/q"}, "trigger_status", "DISABLED"), 400, "FSS.1318"},
		{"timer no name", trig("TIMER", map[string]any{"schedule_type": "Rate", "schedule": "3m"}), 400, "FSS.1109"},
		{"timer bad type", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Every", "schedule": "3m"}), 400, "FSS.1109"},
		{"timer rate unit", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "3s"}), 400, "FSS.1109"},
		{"timer rate 0", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "0m"}), 400, "FSS.1109"},
		{"timer rate 61m", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "61m"}), 400, "FSS.1109"},
		{"timer rate 25h", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "25h"}), 400, "FSS.1109"},
		{"timer rate 31d", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "31d"}), 400, "FSS.1109"},
		{"timer cron fields", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Cron", "schedule": "* * *"}), 400, "FSS.1109"},
		{"timer cron with a year", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Cron", "schedule": "0 15 2 * * ? 2030"}), 400, "FSS.1109"},
		{"timer @every negative", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Cron", "schedule": "@every -5m"}), 400, "FSS.1109"},
		{"timer @every no unit", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Cron", "schedule": "@every 30"}), 400, "FSS.1109"},
		{"timer duplicate", trig("TIMER", map[string]any{"name": "taken", "schedule_type": "Rate", "schedule": "3m"}), 409, "FSS.1148"},
		{"obs no bucket", trig("OBS", map[string]any{"events": []string{"s3:ObjectCreated:Put"}}), 400, "FSS.1106"},
		{"obs bad bucket", trig("OBS", map[string]any{"bucket": "Bad_Bucket", "events": []string{"s3:ObjectCreated:Put"}}), 400, "FSS.1106"},
		{"obs no events", trig("OBS", map[string]any{"bucket": "abc"}), 400, "FSS.1106"},
		{"obs bad event", trig("OBS", map[string]any{"bucket": "abc", "events": []string{"created"}}), 400, "FSS.1106"},
		{"obs conflict", trig("OBS", map[string]any{"bucket": "pics", "events": []string{"s3:ObjectCreated:*"}}), 403, "FSS.1108"},
		{"smn bad urn", trig("SMN", map[string]any{"topic_urn": "topic"}), 400, "FSS.1102"},
		{"smn duplicate", trig("SMN", map[string]any{"topic_urn": "urn:smn:eu-de:" + pid + ":topic"}), 409, "FSS.1141"},
		{"apig missing group", trig("APIG", map[string]any{"env_id": "e", "name": "n", "auth": "NONE", "protocol": "HTTP", "path": "/x"}), 400, "FSS.1107"},
		{"apig bad auth", trig("APIG", map[string]any{"group_id": "g", "env_id": "e", "name": "n", "auth": "BASIC", "protocol": "HTTP", "path": "/x"}), 400, "FSS.1107"},
		{"apig bad protocol", trig("APIG", map[string]any{"group_id": "g", "env_id": "e", "name": "n", "auth": "NONE", "protocol": "FTP", "path": "/x"}), 400, "FSS.1107"},
		{"apig bad path", trig("APIG", map[string]any{"group_id": "g", "env_id": "e", "name": "n", "auth": "NONE", "protocol": "HTTP", "path": "x"}), 400, "FSS.1107"},
		{"apig path exists", trig("APIG", map[string]any{"group_id": "g1", "env_id": "e", "name": "n", "auth": "NONE", "protocol": "HTTP", "path": "/p"}), 409, "FSS.1147"},
		{"kafka no topics", trig("KAFKA", map[string]any{"instance_id": "k"}), 400, "FSS.1112"},
		{"kafka batch", trig("KAFKA", map[string]any{"instance_id": "k2", "topic_ids": []string{"t"}, "batch_size": 0}), 400, "FSS.1112"},
		{"kafka ssl", trig("KAFKA", map[string]any{"instance_id": "k2", "topic_ids": []string{"t"}, "kafka_ssl_enable": true}), 400, "FSS.1113"},
		{"kafka duplicate", trig("KAFKA", map[string]any{"instance_id": "k", "topic_ids": []string{"t1"}}), 409, "FSS.1150"},
		{"dis", trig("DIS", map[string]any{}), 400, "FSS.0400"},
		{"lts", trig("LTS", map[string]any{"log_group_id": "g"}), 400, "FSS.0400"},
		{"dds without vpc", trig("DDS", map[string]any{"instance_id": "i", "db_name": "d", "collection_name": "c"}), 400, "FSS.0400"},
		{"cts", trig("CTS", map[string]any{}), 400, "FSS.0400"},
		{"dms", trig("DMS", map[string]any{}), 400, "FSS.0400"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { h.fail("POST", "/fgs/triggers/fn", c.body, c.status, c.code) })
	}
	h.fail("POST", "/fgs/triggers/nope", trig("TIMER", map[string]any{"name": "x", "schedule_type": "Rate", "schedule": "3m"}), 404, "FSS.1051")

	ok := []struct {
		typ    string
		ed     map[string]any
		status string
	}{
		{"TIMER", map[string]any{"name": "cron1", "schedule_type": "Cron", "schedule": "0 15 2 * * ?"}, "ACTIVE"},
		{"TIMER", map[string]any{"name": "cron2", "schedule_type": "Cron", "schedule": "0 30 8 * *"}, "ACTIVE"},
		{"TIMER", map[string]any{"name": "cron3", "schedule_type": "Cron", "schedule": "CRON_TZ=Europe/Berlin 0 30 8 * * MON-FRI"}, "ACTIVE"},
		{"TIMER", map[string]any{"name": "every", "schedule_type": "Cron", "schedule": "@every 2h30m"}, "ACTIVE"},
		{"DIS", map[string]any{"stream_name": "s"}, "ACTIVE"},
		{"LTS", map[string]any{"log_group_id": "g", "log_topic_id": "t"}, "ACTIVE"},
		{"CTS", map[string]any{"name": "c", "operations": []string{"ECS:ServerCreate"}}, "ACTIVE"},
		{"DMS", map[string]any{"queue_id": "q"}, "ACTIVE"},
		{"EVENTGRID", map[string]any{"anything": 1}, "ACTIVE"},
	}
	for _, o := range ok {
		m := h.obj("POST", "/fgs/triggers/fn", trig(o.typ, o.ed), 201)
		require.Equal(t, o.status, m["trigger_status"], o.typ)
	}
	d := h.obj("POST", "/fgs/triggers/vpcfn", trig("DDS", map[string]any{"instance_id": "i", "db_name": "d", "collection_name": "c"}), 201)
	require.Equal(t, "DISABLED", d["trigger_status"], "DDS defaults to DISABLED")
}

func TestTriggerLifecycle(t *testing.T) {
	h := newHarness(t)
	h.create("fn")
	h.obj("POST", "/fgs/functions/fn/versions", map[string]any{"version": "v1"}, 200)
	tm := h.obj("POST", "/fgs/triggers/"+urn7("fn"), trig("TIMER", map[string]any{"name": "t1", "schedule_type": "Rate", "schedule": "3m", "user_event": "hi"}), 201)
	id := tm["trigger_id"].(string)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, id)
	require.Equal(t, "ACTIVE", tm["trigger_status"])
	require.Equal(t, "2026-11-22 08:30:00", tm["created_time"])
	require.NotContains(t, tm, "event_type_code", "not part of the documented response")
	require.Len(t, tm, 6)

	k := h.obj("POST", "/fgs/triggers/fn", trig("KAFKA", map[string]any{"instance_id": "k", "topic_ids": []string{"a"}, "batch_size": 100}), 201)
	require.Equal(t, "DISABLED", k["trigger_status"], "KAFKA defaults to DISABLED")

	ap := h.obj("POST", "/fgs/triggers/fn", trig("APIG", map[string]any{"group_id": "a9ad0d5df4d7475c9bc35a7c17d89304", "env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID",
		"env_name": "RELEASE", "auth": "NONE", "protocol": "HTTP", "name": "API_GetHtml", "path": "/test", "match_mode": "SWA", "req_method": "ANY",
		"backend_type": "FUNCTION", "sl_domain": "a9ad0d5df4d7475c9bc35a7c17d89304.apig.eu-de.example.com", "type": 1}, "event_type_code", "APICreated"), 201)
	apID := ap["trigger_id"].(string)
	require.Regexp(t, `^[0-9a-f]{32}$`, apID)
	ed := ap["event_data"].(map[string]any)
	require.Regexp(t, `^[0-9a-f]{32}$`, ed["api_id"])
	require.Equal(t, "API_GetHtml", ed["api_name"])
	require.Equal(t, "http://a9ad0d5df4d7475c9bc35a7c17d89304.apig.eu-de.example.com/test", ed["invoke_url"])
	require.Equal(t, apID, ed["triggerid"])
	fi := ed["func_info"].(map[string]any)
	require.Equal(t, urn7("fn"), fi["function_urn"])
	require.Equal(t, "sync", fi["invocation_type"])
	require.EqualValues(t, 5000, fi["timeout"])
	require.Equal(t, "latest", fi["version"])

	// version-bound trigger
	h.obj("POST", "/fgs/triggers/"+urn7("fn")+":v1", trig("TIMER", map[string]any{"name": "onv1", "schedule_type": "Rate", "schedule": "2h"}), 201)

	list := h.arr("GET", "/fgs/triggers/"+urn7("fn"), 200)
	require.Len(t, list, 3)
	require.Len(t, h.arr("GET", "/fgs/triggers/"+urn7("fn")+":v1", 200), 1)

	g := h.obj("GET", "/fgs/triggers/fn/TIMER/"+id, nil, 200)
	require.Equal(t, "hi", g["event_data"].(map[string]any)["user_event"])
	h.fail("GET", "/fgs/triggers/fn/TIMER/nope", nil, 404, "FSS.1140")
	h.fail("GET", "/fgs/triggers/fn/OBS/"+id, nil, 404, "FSS.1136")
	h.fail("GET", "/fgs/triggers/fn/APIG/"+id, nil, 404, "FSS.1138")
	h.fail("GET", "/fgs/triggers/fn/KAFKA/nope", nil, 404, "FSS.1174")
	h.fail("GET", "/fgs/triggers/fn/SMN/nope", nil, 404, "FSS.1132")
	h.fail("GET", "/fgs/triggers/fn/CTS/nope", nil, 404, "FSS.1131")
	h.fail("GET", "/fgs/triggers/fn/FTP/"+id, nil, 404, "FSS.1137")

	h.clk.Advance(60e9)
	u := h.obj("PUT", "/fgs/triggers/fn/TIMER/"+id, map[string]any{"trigger_status": "DISABLED"}, 200)
	require.Equal(t, "DISABLED", u["trigger_status"])
	require.Equal(t, "2026-11-22 08:31:00", u["last_updated_time"])
	require.Equal(t, "2026-11-22 08:30:00", u["created_time"])
	u = h.obj("PUT", "/fgs/triggers/fn/TIMER/"+id, map[string]any{"event_data": map[string]any{"name": "t1", "schedule_type": "Rate", "schedule": "10m"}}, 200)
	require.Equal(t, "10m", u["event_data"].(map[string]any)["schedule"])
	require.Equal(t, "DISABLED", u["trigger_status"])
	h.fail("PUT", "/fgs/triggers/fn/TIMER/"+id, map[string]any{"event_data": map[string]any{"name": "t1", "schedule_type": "Rate", "schedule": "99d"}}, 400, "FSS.1109")
	u = h.obj("PUT", "/fgs/triggers/fn/KAFKA/"+k["trigger_id"].(string), map[string]any{"trigger_status": "ACTIVE",
		"event_data": []any{map[string]any{"is_serial": true, "polling_unit": "ms", "polling_interval": 500}}}, 200)
	require.Equal(t, true, u["event_data"].(map[string]any)["is_serial"])
	require.Equal(t, "k", u["event_data"].(map[string]any)["instance_id"])
	h.fail("PUT", "/fgs/triggers/fn/KAFKA/"+k["trigger_id"].(string), map[string]any{"event_data": []any{map[string]any{"polling_unit": "h"}}}, 400, "FSS.0400")
	h.fail("PUT", "/fgs/triggers/fn/APIG/"+apID, map[string]any{"trigger_status": "DISABLED"}, 400, "FSS.1318")
	h.fail("PUT", "/fgs/triggers/fn/TIMER/nope", map[string]any{"trigger_status": "ACTIVE"}, 404, "FSS.1140")
	// APIG update keeps the computed api_id
	u = h.obj("PUT", "/fgs/triggers/fn/APIG/"+apID, map[string]any{"event_data": map[string]any{"group_id": "a9ad0d5df4d7475c9bc35a7c17d89304",
		"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "auth": "IAM", "protocol": "HTTPS", "name": "API_GetHtml", "path": "/test2"}}, 200)
	require.Equal(t, ed["api_id"], u["event_data"].(map[string]any)["api_id"])
	require.True(t, hasPrefix(u["event_data"].(map[string]any)["invoke_url"], "https://"))

	h.nc("DELETE", "/fgs/triggers/fn/TIMER/"+id, nil)
	h.fail("DELETE", "/fgs/triggers/fn/TIMER/"+id, nil, 404, "FSS.1140")
	require.Len(t, h.arr("GET", "/fgs/triggers/fn", 200), 2)

	// delete all on the version only removes the version's trigger
	h.nc("DELETE", "/fgs/triggers/"+urn7("fn")+":v1", nil)
	require.Len(t, h.arr("GET", "/fgs/triggers/fn", 200), 2)
	require.Empty(t, h.arr("GET", "/fgs/triggers/"+urn7("fn")+":v1", 200))
	h.obj("POST", "/fgs/triggers/"+urn7("fn")+":v1", trig("TIMER", map[string]any{"name": "onv1", "schedule_type": "Rate", "schedule": "2h"}), 201)
	// unqualified: all triggers of all versions
	h.nc("DELETE", "/fgs/triggers/"+urn7("fn"), nil)
	require.Empty(t, h.arr("GET", "/fgs/triggers/fn", 200))
	require.Empty(t, h.arr("GET", "/fgs/triggers/"+urn7("fn")+":v1", 200))

	// deleting a version deletes its triggers
	h.obj("POST", "/fgs/triggers/"+urn7("fn")+":v1", trig("TIMER", map[string]any{"name": "onv1", "schedule_type": "Rate", "schedule": "2h"}), 201)
	h.nc("DELETE", "/fgs/functions/"+urn7("fn")+":v1", nil)
	h.fail("GET", "/fgs/triggers/"+urn7("fn")+":v1", nil, 404, "FSS.1052")
}
