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
//
// They live in trigger_api_test.go (the mapping), trigger_check_test.go (the Check rules) and
// trigger_schedule_test.go (the schedule grammar). Below: the lifecycle scenarios against the emulator, each
// test with its own; a step that uses the test's resource points it at itself (`r.t = t`), so that a failed
// require stops the step, not its parent.

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

// liveTrigger reads the trigger of r straight from the API.
func (c *testCloud) liveTrigger(t *testing.T, urn, typ string, r *resource) *fgs.Trigger {
	t.Helper()
	live, err := c.apiClient(t).Triggers.Get(context.Background(), urn, typ, str(r.state, "triggerId"))
	require.NoError(t, err)
	return live
}

// Every type: create, read back with no change, import by ID, delete.
func TestTriggerEveryTypeCreateReadImport(t *testing.T) {
	t.Parallel()
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
			block := eventBlocks[typ]
			if block != nil && r.state.Get(block.key).AsMap().Get("password").IsString() {
				assert.True(t, r.state.Get(block.key).AsMap().Get("password").Secret(), "the password is a secret in the state")
			}

			// Read back: the inputs are what the user wrote (the service's additions are not in them) and no diff.
			before := r.ins
			resp := r.read()
			require.Equal(t, r.id, resp.ID)
			assert.Equal(t, before, resp.Inputs, "read-back inputs")
			if block != nil && r.state.Get(block.key).AsMap().Get("password").IsString() {
				assert.True(t, r.state.Get(block.key).AsMap().Get("password").Secret(), "the password stays a secret after a read")
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
			if block != nil {
				assert.True(t, imp.Inputs.Get(block.key).IsMap(), "imported %s block", block.key)
				assert.False(t, imp.Inputs.Get(block.key).AsMap().Get("password").IsString(), "no password read from the service")
			} else {
				assert.True(t, imp.Inputs.Get("eventData").IsMap())
				assert.Equal(t, "u", str(imp.Inputs, "eventData", "access_user"))
				assert.False(t, hasKey(imp.Inputs.Get("eventData").AsMap(), "access_password"), "no raw password read from the service")
			}
			c.requests()

			require.NoError(t, r.delete())
			assert.Equal(t, 1, c.logRequests(t, typ+" delete"))
			assert.Equal(t, "", r.read().ID, "deleted trigger reads as gone")
		})
	}
}

// A TIMER is disabled and enabled again in place, with one PUT each; an out-of-band change is drift.
func TestTriggerStatusUpdateInPlace(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "timer", false)
	timer := triggerInputs(urn)["TIMER"]
	r := c.resource(t, "Trigger", "timer")
	r.mustCreate(withBase(urn, "TIMER", timer))
	c.requests()

	for _, status := range []string{"DISABLED", "ACTIVE"} {
		t.Run("to "+status, func(t *testing.T) {
			r.t = t
			d, checked := r.diff(withBase(urn, "TIMER", timer).Set("status", property.New(status)))
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
			assert.Equal(t, status, c.liveTrigger(t, urn, "TIMER", r).TriggerStatus)
			c.requests()
		})
	}
	t.Run("an out-of-band change shows on refresh as drift of status", func(t *testing.T) {
		r.t = t
		_, err := c.apiClient(t).Triggers.Update(context.Background(), urn, "TIMER", str(r.state, "triggerId"), &fgs.UpdateTriggerRequest{TriggerStatus: "DISABLED"})
		require.NoError(t, err)
		r.read()
		assert.Equal(t, "DISABLED", str(r.ins, "status"))
		d, _ := r.diff(withBase(urn, "TIMER", timer).Set("status", property.New("ACTIVE")))
		assert.Equal(t, map[string]p.DiffKind{"status": p.Update}, diffKinds(d))
	})
}

// The one secret-key rule decides what Read copies from the live eventData: a secret key keeps the user's
// (secret) value whatever the service holds, and an import leaves it out; other keys are read.
func TestTriggerSecretEventDataKeysNeverReadBack(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "secrets", false)
	secretKeys := []string{"db_passwd", "tracing_sk", "token", "private_key"}
	ed := map[string]any{"instance_id": "rmq-1", "exchange_name": "ex", "vhost": "/"}
	for _, k := range secretKeys {
		ed[k] = property.New("user-" + k).WithSecret(true)
	}
	r := c.resource(t, "Trigger", "secrets")
	r.mustCreate(withBase(urn, "RABBITMQ", map[string]any{"eventData": ed}))

	// Out of band, the service's copy changes: every secret key gets a plain value, one plain key changes too.
	live := map[string]any{"instance_id": "rmq-1", "exchange_name": "ex2", "vhost": "/"}
	for _, k := range secretKeys {
		live[k] = "service-plain-" + k
	}
	_, err := c.apiClient(t).Triggers.Update(context.Background(), urn, "RABBITMQ", str(r.state, "triggerId"), &fgs.UpdateTriggerRequest{EventData: live})
	require.NoError(t, err)

	t.Run("refresh", func(t *testing.T) {
		r.t = t
		r.read()
		assert.Equal(t, "ex2", str(r.ins, "eventData", "exchange_name"), "a key that is no secret is read from the service")
		for _, k := range secretKeys {
			for what, m := range map[string]property.Map{"state": r.state, "inputs": r.ins} {
				v := m.Get("eventData").AsMap().Get(k)
				assert.Equal(t, "user-"+k, v.AsString(), "%s: %s keeps the user's value", what, k)
				assert.True(t, v.Secret(), "%s: %s stays a secret", what, k)
			}
		}
		assert.False(t, holdsString(property.New(r.state), "service-plain"), "no plain value of the service in %v", r.state)
		assert.False(t, holdsString(property.New(r.ins), "service-plain"), "no plain value of the service in %v", r.ins)
	})
	t.Run("import", func(t *testing.T) {
		r.t = t
		imp := c.importID(t, "Trigger", r.id)
		assert.Equal(t, "ex2", str(imp.Inputs, "eventData", "exchange_name"))
		for _, k := range secretKeys {
			assert.False(t, hasKey(imp.Inputs.Get("eventData").AsMap(), k), "%s is not imported", k)
		}
		assert.False(t, holdsString(property.New(imp.Properties), "service-plain"), "no plain value of the service in %v", imp.Properties)
		assert.False(t, holdsString(property.New(imp.Inputs), "service-plain"), "no plain value of the service in %v", imp.Inputs)
	})
}

// The pull-tuning keys update in place; any other event data key replaces.
func TestTriggerPullTuningInPlace(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "dis", false)
	dis := func(stream string, tuning ...any) map[string]any {
		m := map[string]any{"streamName": stream, "pollingUnit": "s"}
		for i := 0; i < len(tuning); i += 2 {
			m[tuning[i].(string)] = tuning[i+1]
		}
		return map[string]any{"dis": m}
	}
	r := c.resource(t, "Trigger", "dis")
	r.mustCreate(withBase(urn, "DIS", dis("clicks", "pollingInterval", 30)))
	c.requests()

	t.Run("a tuning change is one PUT", func(t *testing.T) {
		r.t = t
		d, checked := r.diff(withBase(urn, "DIS", dis("clicks", "pollingInterval", 10)))
		assert.Equal(t, map[string]p.DiffKind{"dis.pollingInterval": p.Update}, diffKinds(d))
		require.NoError(t, r.update(checked))
		assert.Equal(t, 1, c.logRequests(t, "DIS pollingInterval update"))
		live := c.liveTrigger(t, urn, "DIS", r)
		assert.EqualValues(t, 10, live.EventData["polling_interval"])
		assert.Equal(t, "clicks", live.EventData["stream_name"], "the rest of the event data is kept")
	})
	t.Run("another key replaces", func(t *testing.T) {
		r.t = t
		d, _ := r.diff(withBase(urn, "DIS", dis("views", "pollingInterval", 10)))
		assert.Equal(t, map[string]p.DiffKind{"dis.streamName": p.UpdateReplace}, diffKinds(d))
		assert.True(t, d.DeleteBeforeReplace)
	})
	t.Run("removing a tuning key is an in-place update that really removes it", func(t *testing.T) {
		r.t = t
		d, checked := r.diff(withBase(urn, "DIS", dis("clicks")))
		assert.Equal(t, map[string]p.DiffKind{"dis.pollingInterval": p.Delete}, diffKinds(d))
		c.requests()
		require.NoError(t, r.update(checked))
		assert.Equal(t, 1, c.logRequests(t, "DIS pollingInterval removal"))
		live := c.liveTrigger(t, urn, "DIS", r)
		assert.NotContains(t, live.EventData, "polling_interval")
		assert.Equal(t, "clicks", live.EventData["stream_name"])
	})
	t.Run("raw event data follows the same rule", func(t *testing.T) {
		raw := c.resource(t, "Trigger", "raw")
		ed := func(exchange string, interval int) map[string]any {
			return map[string]any{"eventData": map[string]any{"instance_id": "rmq-1", "exchange_name": exchange, "polling_interval": interval}}
		}
		raw.mustCreate(withBase(urn, "RABBITMQ", ed("ex", 5)))
		d, _ := raw.diff(withBase(urn, "RABBITMQ", ed("ex2", 6)))
		assert.Equal(t, map[string]p.DiffKind{"eventData.exchange_name": p.UpdateReplace, "eventData.polling_interval": p.Update}, diffKinds(d))
		c.requests()
		d, checked := raw.diff(withBase(urn, "RABBITMQ", ed("ex", 6)))
		assert.Equal(t, map[string]p.DiffKind{"eventData.polling_interval": p.Update}, diffKinds(d))
		require.NoError(t, raw.update(checked))
		assert.Equal(t, 1, c.logRequests(t, "raw polling_interval update"))
		live := c.liveTrigger(t, urn, "RABBITMQ", raw)
		assert.EqualValues(t, 6, live.EventData["polling_interval"])
		assert.Equal(t, "ex", live.EventData["exchange_name"])
		raw.read()
		d, _ = raw.diff(withBase(urn, "RABBITMQ", ed("ex", 6)))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
	})
}

// Changing the type (or the function) replaces the trigger, deleting the old one first.
func TestTriggerReplaceOnTypeChange(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "replace", false)
	r := c.resource(t, "Trigger", "t")
	r.mustCreate(withBase(urn, "TIMER", triggerInputs(urn)["TIMER"]))
	changed := merged(triggerInputs(urn)["TIMER"]["timer"].(map[string]any), map[string]any{"schedule": "5m"})

	t.Run("a type change", func(t *testing.T) {
		r.t = t
		d, _ := r.diff(withBase(urn, "SMN", triggerInputs(urn)["SMN"]))
		kinds := diffKinds(d)
		assert.Equal(t, p.UpdateReplace, kinds["type"])
		assert.Equal(t, p.DeleteReplace, kinds["timer"])
		assert.Equal(t, p.AddReplace, kinds["smn"])
		assert.True(t, d.DeleteBeforeReplace)
	})
	t.Run("a schedule change replaces too (the service has no in-place update for it)", func(t *testing.T) {
		r.t = t
		d, _ := r.diff(withBase(urn, "TIMER", map[string]any{"timer": changed}))
		assert.Equal(t, map[string]p.DiffKind{"timer.schedule": p.UpdateReplace}, diffKinds(d))
		assert.True(t, d.DeleteBeforeReplace)
	})
	t.Run("the replacement: delete, then create anew (the same timer name would conflict otherwise)", func(t *testing.T) {
		r.t = t
		require.NoError(t, r.delete())
		r.mustCreate(withBase(urn, "TIMER", map[string]any{"timer": changed}))
		assert.Equal(t, "5m", str(r.state, "timer", "schedule"))
	})
}

// The service's additions (APIG's api_id, invoke_url, func_info...) and key order never show as a diff.
func TestTriggerSemanticEventDataDiff(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "semantic", false)
	t.Run("APIG additions", func(t *testing.T) {
		r := c.resource(t, "Trigger", "api")
		r.mustCreate(withBase(urn, "APIG", triggerInputs(urn)["APIG"]))
		live := c.liveTrigger(t, urn, "APIG", r)
		for _, k := range []string{"api_id", "invoke_url", "func_info", "group_name"} {
			assert.Contains(t, live.EventData, k, "the service enriched the event data")
		}
		r.read()
		d, _ := r.diff(withBase(urn, "APIG", triggerInputs(urn)["APIG"]))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
	})
	t.Run("raw event data stored with other key order and number types", func(t *testing.T) {
		raw := c.resource(t, "Trigger", "raw")
		raw.mustCreate(withBase(urn, "EVENTGRID", map[string]any{"eventData": map[string]any{"channel_id": "c1", "source_name": "s", "batch": 10, "nested": map[string]any{"b": 2, "a": 1}}}))
		raw.read()
		d, _ := raw.diff(withBase(urn, "EVENTGRID", map[string]any{"eventData": map[string]any{"nested": map[string]any{"a": 1.0, "b": 2}, "batch": 10.0, "source_name": "s", "channel_id": "c1"}}))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
	})
}

// Deleting the function first deletes its triggers with it (the service cascades); the trigger then reads
// as gone and its delete succeeds. The other order is the one Pulumi uses (the trigger depends on the function).
func TestTriggerDeletionOrder(t *testing.T) {
	t.Parallel()
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

func hasKey(m property.Map, key string) bool {
	_, ok := m.GetOk(key)
	return ok
}

// holdsString reports whether any string in v, at any depth, contains sub.
func holdsString(v property.Value, sub string) bool {
	switch {
	case v.IsString():
		return strings.Contains(v.AsString(), sub)
	case v.IsMap():
		for _, e := range v.AsMap().AsMap() {
			if holdsString(e, sub) {
				return true
			}
		}
	case v.IsArray():
		for _, e := range v.AsArray().AsSlice() {
			if holdsString(e, sub) {
				return true
			}
		}
	}
	return false
}
