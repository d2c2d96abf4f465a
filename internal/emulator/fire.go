package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// Triggers deliver events: TIMER triggers fire on their schedule (timers.go), and any trigger
// fires once on POST /_emulator/triggers/{id}/fire with the request body as the event, or,
// without a body, with a sample event of its type modelled on the developer guide's examples
// (values filled from the trigger's event_data where it has them).

// fireTrigger invokes the function (version, alias) a trigger is bound to with event.
func (e *Emulator) fireTrigger(tr *trigger, f *function, event json.RawMessage) (*outcome, *instanceSpec, string, *apiError) {
	urn := e.funcURN(f.Package, f.Name)
	if tr.Qualifier != "" {
		urn += ":" + tr.Qualifier
	}
	spec, ev, aerr := e.prepareInvocationFor(urn, e.cfg.ProjectID, event)
	if aerr != nil {
		return nil, nil, "", aerr
	}
	id := uuid()
	start := e.now()
	out, aerr := e.execute(spec, id, ev)
	if aerr != nil {
		return nil, nil, "", aerr
	}
	e.recordInvocation(spec, id, start, out, true)
	return out, spec, id, nil
}

func (e *Emulator) findTriggerLocked(id string) (*function, *trigger) {
	for _, f := range e.st.Functions {
		for _, t := range f.Triggers {
			if t.ID == id {
				return f, t
			}
		}
	}
	return nil, nil
}

// serveFire answers POST /_emulator/triggers/{id}/fire with the execution's outcome.
func (e *Emulator) serveFire(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxInvokeBody+1))
	e.mu.Lock()
	f, tr := e.findTriggerLocked(id)
	var event json.RawMessage
	if tr != nil {
		if len(bytes.TrimSpace(body)) > 0 {
			event = body
		} else {
			event = sampleEvent(tr, f, e.cfg.Region, time.Now())
		}
	}
	e.mu.Unlock()
	if tr == nil {
		writeErr(w, http.StatusNotFound, "FSS.1131", "The trigger does not exist.")
		return
	}
	out, _, reqID, aerr := e.fireTrigger(tr, f, event)
	if aerr != nil {
		writeJSON(w, aerr.Status, aerr)
		return
	}
	res := map[string]any{"request_id": reqID, "result": out.result, "status": out.status, "log": out.log}
	if out.err != nil {
		res["error"] = out.err
	}
	writeJSON(w, http.StatusOK, res)
}

func str0(m map[string]any, k, def string) string {
	if v, ok := m[k].(string); ok && v != "" {
		return v
	}
	return def
}

// sampleEvent builds the event a trigger of tr's type delivers.
func sampleEvent(tr *trigger, f *function, region string, now time.Time) json.RawMessage {
	ed := tr.EventData
	if ed == nil {
		ed = map[string]any{}
	}
	ts := now.UTC().Format(time.RFC3339)
	var ev any
	switch tr.TypeCode {
	case "TIMER":
		ev = timerEvent(tr, now)
	case "OBS":
		ev = map[string]any{"Records": []any{map[string]any{
			"eventVersion": "2.0", "eventSource": "aws:s3", "eventRegion": region, "eventTime": ts,
			"eventName":         "ObjectCreated:Put",
			"userIdentity":      map[string]any{"principalId": "emulator"},
			"requestParameters": map[string]any{"sourceIPAddress": "127.0.0.1"},
			"s3": map[string]any{
				"s3SchemaVersion": "1.0", "configurationId": tr.ID,
				"bucket": map[string]any{"name": str0(ed, "bucket", "bucket"), "ownerIdentity": map[string]any{"PrincipalId": "emulator"}},
				"object": map[string]any{"key": str0(ed, "prefix", "") + "object" + str0(ed, "suffix", ".txt"), "size": 1024, "eTag": "0123456789abcdef0123456789abcdef", "sequencer": "0000000000000001"},
			},
		}}}
	case "SMN":
		ev = map[string]any{"record": []any{map[string]any{
			"event_version": "1.0", "event_source": "smn", "event_subscription_urn": str0(ed, "topic_urn", "") + ":subscription",
			"smn": map[string]any{"topic_urn": str0(ed, "topic_urn", ""), "timestamp": ts, "message": "this is an smn message",
				"subject": "emulator", "type": "notification", "message_id": uuid(), "message_attributes": nil},
		}}, "functionname": f.Name, "requestId": uuid(), "timestamp": ts}
	case "APIG":
		ev = map[string]any{"httpMethod": "GET", "path": str0(ed, "path", "/"), "body": "", "isBase64Encoded": false,
			"headers":               map[string]any{"accept": "*/*", "host": "127.0.0.1", "user-agent": "fgs-emulator"},
			"queryStringParameters": map[string]any{}, "pathParameters": map[string]any{},
			"requestContext": map[string]any{"apiId": str0(ed, "api_id", ""), "requestId": uuid(), "stage": str0(ed, "env_name", "RELEASE")}}
	case "DIS":
		ev = map[string]any{"ShardID": "shardId-0000000000", "StreamName": str0(ed, "stream_name", "dis-stream"), "Tag": "latest",
			"Message": map[string]any{"next_partition_cursor": "", "millisBehindLatest": "", "records": []any{
				map[string]any{"partition_key": "0", "sequence_number": "0", "data": "aGVsbG8gZnJvbSBESVM="}}}}
	case "KAFKA", "DMS":
		topics, _ := ed["topic_ids"].([]any)
		topic := "topic"
		if len(topics) > 0 {
			if s, ok := topics[0].(string); ok {
				topic = s
			}
		}
		ev = map[string]any{"event_version": "v1.0", "event_time": now.Unix(), "trigger_type": tr.TypeCode, "region": region,
			"instance_id": str0(ed, "instance_id", ""), "records": []any{map[string]any{"topic_id": topic, "messages": []any{"hello from " + tr.TypeCode}}}}
	case "LTS":
		ev = map[string]any{"lts": map[string]any{"data": "eyJsb2dzIjpbeyJtZXNzYWdlIjoiaGVsbG8gZnJvbSBMVFMifV19"}}
	case "CTS":
		ev = map[string]any{"cts": map[string]any{"time": now.UnixMilli(), "service_type": "FunctionGraph", "trace_type": "ConsoleAction",
			"trace_name": "createFunction", "trace_status": "normal", "trace_id": uuid(), "record_time": now.UnixMilli(), "code": 200,
			"user": map[string]any{"name": "emulator"}, "request": map[string]any{}, "response": map[string]any{}}}
	case "DDS":
		ev = map[string]any{"records": []any{map[string]any{"event_source": "dds", "event_name": "insert", "region": region, "event_version": "1.0",
			"dds": map[string]any{"size_bytes": "100", "full_document": `{"_id":"1","name":"emulator"}`, "ns": `{"db":"` + str0(ed, "db_name", "db") + `","coll":"` + str0(ed, "collection_name", "coll") + `"}`}}}}
	default:
		ev = map[string]any{"trigger_type": tr.TypeCode, "time": ts}
	}
	b, _ := json.Marshal(ev)
	return b
}

// timerEvent is the event of a TIMER trigger.
func timerEvent(tr *trigger, now time.Time) map[string]any {
	return map[string]any{"version": "v1.0", "time": now.Format(time.RFC3339), "trigger_type": "TIMER",
		"trigger_name": str0(tr.EventData, "name", tr.ID), "user_event": str0(tr.EventData, "user_event", "")}
}
