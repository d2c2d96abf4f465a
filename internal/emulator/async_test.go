package emulator

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// An async call with a failing handler is retried the configured number of times and lands in
// the on_failure FunctionGraph destination; a successful one in on_success.
func TestAsyncRetriesAndDestinations(t *testing.T) {
	old := asyncRetryDelay
	asyncRetryDelay = 10 * time.Millisecond
	t.Cleanup(func() { asyncRetryDelay = old })
	h := execHarness(t)
	h.inlineFn("flaky", "Python3.9", "def handler(event, context):\n    if event.get('fail'):\n        raise RuntimeError('boom')\n    return {'ok': True}\n")
	h.inlineFn("sink", "Python3.9", "def handler(event, context):\n    print('SINK', event['request_context']['condition'])\n    return event\n")
	dest := func(cond string) map[string]any {
		return map[string]any{"destination": "FunctionGraph", "param": `{"func_urn":"` + urn7("sink") + `:latest"}`}
	}
	h.obj("PUT", "/fgs/functions/"+urn7("flaky")+"/async-invoke-config", map[string]any{
		"max_async_retry_attempts": 2, "max_async_event_age_in_seconds": 60,
		"destination_config": map[string]any{"on_failure": dest("f"), "on_success": dest("s")},
	}, 200)

	failID := h.obj("POST", "/fgs/functions/"+urn7("flaky")+"/invocations-async", map[string]any{"fail": true}, 202)["request_id"].(string)
	okID := h.obj("POST", "/fgs/functions/"+urn7("flaky")+"/invocations-async", map[string]any{}, 202)["request_id"].(string)
	require.NotEmpty(t, failID)
	h.e.exec.async.wg.Wait()

	list := h.obj("GET", "/fgs/functions/"+urn7("flaky")+"/async-invocations", nil, 200)
	require.EqualValues(t, 2, list["count"])
	status := map[string]map[string]any{}
	for _, r := range list["invocations"].([]any) {
		m := r.(map[string]any)
		status[m["request_id"].(string)] = m
	}
	require.Equal(t, "FAIL", status[failID]["status"])
	require.Equal(t, "boom", status[failID]["error_message"])
	require.Equal(t, "SUCCESS", status[okID]["status"])
	require.EqualValues(t, 0, status[okID]["error_code"])

	// 1 + 2 retries of the failing call, 1 of the successful one, 2 deliveries to the sink.
	var logs struct {
		Invocations []struct {
			RequestID string `json:"request_id"`
			Failed    bool   `json:"failed"`
			Log       string `json:"log"`
		} `json:"invocations"`
	}
	rec := h.raw("GET", "/_emulator/logs?function=flaky", nil, nil)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &logs))
	attempts := 0
	for _, l := range logs.Invocations {
		if l.RequestID == failID {
			attempts++
			require.True(t, l.Failed)
		}
	}
	require.Equal(t, 3, attempts, "one call and two retries")
	rec = h.raw("GET", "/_emulator/logs?function=default:sink", nil, nil)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &logs))
	require.Len(t, logs.Invocations, 2)
	joined := logs.Invocations[0].Log + logs.Invocations[1].Log
	require.Contains(t, joined, "SINK RetriesExhausted")
	require.Contains(t, joined, "SINK Success")

	var d struct {
		Deliveries []delivery `json:"deliveries"`
	}
	rec = h.raw("GET", "/_emulator/deliveries", nil, nil)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	require.Len(t, d.Deliveries, 2)
	var ev map[string]any
	for _, x := range d.Deliveries {
		if x.Condition == "RetriesExhausted" {
			require.NoError(t, json.Unmarshal(x.Event, &ev))
		}
	}
	require.Equal(t, map[string]any{"fail": true}, ev["request_payload"])
	require.EqualValues(t, 3, ev["request_context"].(map[string]any)["approximate_invoke_count"])

	// Cancel: unknown ids and finished requests are refused.
	h.fail("POST", "/fgs/functions/"+urn7("flaky")+"/cancel", map[string]any{"request_id": "nope"}, 400, "FSS.0400")
	h.fail("POST", "/fgs/functions/"+urn7("flaky")+"/cancel", map[string]any{"request_id": okID}, 400, "FSS.0400")
}

func TestTimerTriggerFiresWhileActive(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("tick", "Python3.9", "def handler(event, context):\n    print('TICK', event['trigger_type'], event['trigger_name'], event['user_event'])\n    return 1\n")
	tr := h.obj("POST", "/fgs/triggers/"+urn7("tick"), map[string]any{"trigger_type_code": "TIMER", "trigger_status": "ACTIVE",
		"event_data": map[string]any{"name": "fast", "schedule_type": "Cron", "schedule": "@every 500ms", "user_event": "hello"}}, 201)
	id := tr["trigger_id"].(string)
	count := func() int {
		return len(h.e.exec.records.snapshot(func(r *invocationRecord) bool { return r.FuncName == "tick" }))
	}
	require.Eventually(t, func() bool { return count() >= 2 }, 5*time.Second, 50*time.Millisecond, "an ACTIVE timer fires")
	recs := h.e.exec.records.snapshot(func(r *invocationRecord) bool { return r.FuncName == "tick" })
	require.Contains(t, recs[0].Log, "TICK TIMER fast hello")

	h.obj("PUT", "/fgs/triggers/"+urn7("tick")+"/TIMER/"+id, map[string]any{"trigger_status": "DISABLED"}, 200)
	time.Sleep(300 * time.Millisecond) // a firing already under way may still finish
	n := count()
	time.Sleep(1500 * time.Millisecond) // three periods
	require.Equal(t, n, count(), "a DISABLED timer does not fire")
}

func TestFireDeliversASampleOBSEvent(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("onobs", "Node.js14.18", "exports.handler = async (event) => ({bucket: event.Records[0].s3.bucket.name, key: event.Records[0].s3.object.key, name: event.Records[0].eventName});\n")
	tr := h.obj("POST", "/fgs/triggers/"+urn7("onobs"), map[string]any{"trigger_type_code": "OBS", "trigger_status": "ACTIVE",
		"event_data": map[string]any{"bucket": "my-bucket", "events": []any{"s3:ObjectCreated:Put"}, "prefix": "in/", "suffix": ".csv"}}, 201)
	rec := h.raw("POST", "/_emulator/triggers/"+tr["trigger_id"].(string)+"/fire", nil, nil)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out["result"].(string)), &res))
	require.Equal(t, map[string]any{"bucket": "my-bucket", "key": "in/object.csv", "name": "ObjectCreated:Put"}, res)
	// A body is the event as given.
	rec = h.raw("POST", "/_emulator/triggers/"+tr["trigger_id"].(string)+"/fire", `{"Records":[{"eventName":"X","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}`, nil)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	require.JSONEq(t, `{"bucket":"b","key":"k","name":"X"}`, out["result"].(string))
	require.Equal(t, 404, h.raw("POST", "/_emulator/triggers/nope/fire", nil, nil).Code)
}

func TestNextCron(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC) // a Monday
	require.Equal(t, base.Add(2*time.Second), nextFire("Cron @every 2s", base))
	require.Equal(t, base.Add(5*time.Minute), nextFire("Rate 5m", base))
	require.Equal(t, time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC), nextFire("Cron CRON_TZ=UTC 0 * * * *", base))
	require.Equal(t, time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC), nextFire("Cron CRON_TZ=UTC 0 */15 * * * *", base))
	require.Equal(t, time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), nextFire("Cron CRON_TZ=UTC 0 0 0 * * 6", base), "Saturday")
	require.True(t, nextFire("Cron 0 0 0 31 2", base).IsZero(), "never")
	require.True(t, nextFire("Cron CRON_TZ=Nowhere/Zone 0 * * * *", base).IsZero())
}

// A request waiting for its next attempt can be cancelled: it ends DISCARD with 4208.
func TestAsyncCancelStopsTheRetries(t *testing.T) {
	old := asyncRetryDelay
	asyncRetryDelay = 400 * time.Millisecond
	t.Cleanup(func() { asyncRetryDelay = old })
	h := execHarness(t)
	h.inlineFn("failing", "Python3.9", "def handler(event, context):\n    raise RuntimeError('always')\n")
	h.obj("PUT", "/fgs/functions/"+urn7("failing")+"/async-invoke-config", map[string]any{"max_async_retry_attempts": 3}, 200)
	id := h.obj("POST", "/fgs/functions/"+urn7("failing")+"/invocations-async", map[string]any{}, 202)["request_id"].(string)
	attempts := func() int {
		return len(h.e.exec.records.snapshot(func(r *invocationRecord) bool { return r.RequestID == id }))
	}
	require.Eventually(t, func() bool { return attempts() == 1 }, 3*time.Second, 10*time.Millisecond)
	h.obj("POST", "/fgs/functions/"+urn7("failing")+"/cancel", map[string]any{"request_id": id, "type": "force"}, 200)
	h.e.exec.async.wg.Wait()
	require.Equal(t, 1, attempts(), "no attempt after the cancel")
	list := h.obj("GET", "/fgs/functions/"+urn7("failing")+"/async-invocations?status=DISCARD", nil, 200)
	require.EqualValues(t, 1, list["count"])
	rec := list["invocations"].([]any)[0].(map[string]any)
	require.Equal(t, id, rec["request_id"])
	require.EqualValues(t, 4208, rec["error_code"])
	require.Equal(t, "function invocation canceled", rec["error_message"])
}
