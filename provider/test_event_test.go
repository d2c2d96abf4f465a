package provider

import (
	"context"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

func testEventInputs(urn, name, content string) property.Map {
	return props(map[string]any{"functionUrn": urn, "name": name, "content": content})
}

func TestTestEventLifecycle(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "evented", false)
	api := c.apiClient(t)
	ctx := context.Background()

	ev := c.resource(t, "TestEvent", "sample")
	ev.mustCreate(testEventInputs(urn, "sample-order", `{"orderId": 42}`))
	eventID := str(ev.state, "eventId")
	require.NotEmpty(t, eventID)
	assert.Equal(t, urn+"/"+eventID, ev.id)
	assert.NotEmpty(t, str(ev.state, "lastModified"))
	assert.Equal(t, 2, c.logRequests(t, "TestEvent create"))
	live, err := api.TestEvents.Get(ctx, urn, eventID)
	require.NoError(t, err)
	assert.Equal(t, encodeEventContent(`{"orderId": 42}`), live.Content, "content is Base64 on the wire")
	c.requests()

	t.Run("read without drift", func(t *testing.T) {
		ev.readUnchanged(1)
		d, _ := ev.diff(testEventInputs(urn, "sample-order", `{"orderId": 42}`))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
	})

	t.Run("content in place", func(t *testing.T) {
		d, checked := ev.diff(testEventInputs(urn, "sample-order", `{"orderId": 43}`))
		assert.Equal(t, map[string]p.DiffKind{"content": p.Update}, diffKinds(d))
		assert.Equal(t, eventID, str(ev.preview(checked), "eventId"), "the preview keeps eventId known")
		c.requests()
		require.NoError(t, ev.update(checked))
		assert.Equal(t, 2, c.logRequests(t, "TestEvent update"))
		live, err := api.TestEvents.Get(ctx, urn, eventID)
		require.NoError(t, err)
		assert.Equal(t, `{"orderId": 43}`, decodeEventContent(live.Content))
		c.requests()
	})

	t.Run("name and function replace", func(t *testing.T) {
		d, _ := ev.diff(testEventInputs(urn, "other", `{"orderId": 43}`))
		assert.Equal(t, map[string]p.DiffKind{"name": p.UpdateReplace}, diffKinds(d))
		assert.True(t, d.DeleteBeforeReplace, "a rename frees its slot of the 10 first")
		other := "urn:fss:eu-de:" + c.cfg.ProjectID + ":function:default:another"
		d, _ = ev.diff(testEventInputs(other, "sample-order", `{"orderId": 43}`))
		assert.Equal(t, map[string]p.DiffKind{"functionUrn": p.UpdateReplace}, diffKinds(d))
		assert.False(t, d.DeleteBeforeReplace, "another function: the new event comes first")
		c.requests()
	})

	t.Run("refresh sees an out-of-band change", func(t *testing.T) {
		_, err := api.TestEvents.Update(ctx, urn, eventID, encodeEventContent(`{"edited": "in the console"}`))
		require.NoError(t, err)
		c.requests()
		resp := ev.read()
		assert.Equal(t, `{"edited": "in the console"}`, str(resp.Inputs, "content"))
		d, _ := ev.diff(testEventInputs(urn, "sample-order", `{"orderId": 43}`))
		assert.Equal(t, map[string]p.DiffKind{"content": p.Update}, diffKinds(d), "the next up puts the program's content back")
		c.requests()
	})

	t.Run("import by name and by id", func(t *testing.T) {
		for _, id := range []string{urn + "/sample-order", urn + "/" + eventID} {
			imp := c.importID(t, "TestEvent", id)
			require.Equal(t, urn+"/"+eventID, imp.ID, id)
			assert.Equal(t, "sample-order", str(imp.Inputs, "name"))
			assert.Equal(t, urn, str(imp.Inputs, "functionUrn"))
			assert.Equal(t, `{"edited": "in the console"}`, str(imp.Inputs, "content"))
			assert.Equal(t, 2, c.logRequests(t, "TestEvent import"))
		}
		assert.Equal(t, "", c.importID(t, "TestEvent", urn+"/missing").ID)
		c.requests()
	})

	t.Run("delete", func(t *testing.T) {
		require.NoError(t, ev.delete())
		assert.Equal(t, 1, c.logRequests(t, "TestEvent delete"))
		assert.Equal(t, "", ev.read().ID, "a deleted event reads as gone")
		require.NoError(t, ev.delete(), "deleting again is not an error")
	})
}

// The eleventh event is refused by the service, and the error says what the limit is.
func TestTestEventLimitPerFunction(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := c.newFunction(t, "crowded", false)
	for i := 0; i < maxTestEvents; i++ {
		c.resource(t, "TestEvent", "e"+string(rune('a'+i))).mustCreate(testEventInputs(urn, "e"+string(rune('a'+i)), "{}"))
	}
	err := c.resource(t, "TestEvent", "one-too-many").create(testEventInputs(urn, "eleventh", "{}"))
	require.Error(t, err)
	t.Logf("eleventh event: %v", err)
	assert.Contains(t, err.Error(), "already has 10 test events")

	err = c.resource(t, "TestEvent", "dup").create(testEventInputs(urn, "ea", "{}"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pulumi import fgs:index:TestEvent")
}

func TestTestEventCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	urn := "urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello"
	c.checkCatalogue(t, "TestEvent", []checkCase{
		{"not a urn", testEventInputs("hello", "ok", "{}"), "functionUrn"},
		{"qualified urn", testEventInputs(urn+":latest", "ok", "{}"), "functionUrn"},
		{"alias urn", testEventInputs(urn+":!prod", "ok", "{}"), "functionUrn"},
		{"name starts with a digit", testEventInputs(urn, "1st", "{}"), "name"},
		{"name ends with a dash", testEventInputs(urn, "order-", "{}"), "name"},
		{"name with a dot", testEventInputs(urn, "order.v1", "{}"), "name"},
		{"name too long", testEventInputs(urn, "a"+strings.Repeat("b", 25), "{}"), "name"},
		{"empty name", testEventInputs(urn, "", "{}"), "name"},
		{"empty content", testEventInputs(urn, "ok", "  "), "content"},
		{"content over 4 KB encoded", testEventInputs(urn, "ok", strings.Repeat("x", 3073)), "content"},
		{"missing content", props(map[string]any{"functionUrn": urn, "name": "ok"}), "content"},
	})

	ok := c.resource(t, "TestEvent", "edge").check(testEventInputs(urn, "a"+strings.Repeat("b", 24), strings.Repeat("x", 3072)))
	assert.Empty(t, ok.Failures, "25 characters and 3 KB of text are allowed")
	unknown := c.resource(t, "TestEvent", "preview").check(property.NewMap(map[string]property.Value{
		"functionUrn": property.New(property.Computed), "name": property.New("ok"), "content": property.New(property.Computed),
	}))
	assert.Empty(t, unknown.Failures, "unknown values are not flagged")
}

func TestTestEventAPIMapping(t *testing.T) {
	urn := "urn:fss:eu-de:p:function:default:hello"
	cases := []struct {
		name    string
		wire    string
		content string
	}{
		{"base64 json", "eyJrIjoidiJ9", `{"k":"v"}`},
		{"raw json stored elsewhere", `{"k":"v"}`, `{"k":"v"}`},
		{"base64 of binary is kept as stored", "/w==", "/w=="},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := testEventFromAPI(urn, &fgs.TestEvent{ID: "id-1", Name: "n", Content: tc.wire, LastModified: 1597374286})
			assert.Equal(t, tc.content, s.Content)
			assert.Equal(t, "2020-08-14T03:04:46Z", s.LastModified)
			assert.Equal(t, TestEventArgs{FunctionURN: urn, Name: "n", Content: tc.content}, s.TestEventArgs)
		})
	}
	assert.Equal(t, &fgs.CreateTestEventRequest{Name: "n", Content: "eyJrIjoidiJ9"}, testEventCreateBody(TestEventArgs{Name: "n", Content: `{"k":"v"}`}))

	for id, want := range map[string][2]string{
		urn + "/sample": {urn, "sample"},
		urn + "/3b659dc0-12fc-40dc-aa05-a321d9424cb3": {urn, "3b659dc0-12fc-40dc-aa05-a321d9424cb3"},
	} {
		u, ref, err := parseTestEventID(id)
		require.NoError(t, err, id)
		assert.Equal(t, want, [2]string{u, ref})
	}
	for _, bad := range []string{"sample", urn, urn + "/", urn + ":latest/sample"} {
		_, _, err := parseTestEventID(bad)
		assert.Error(t, err, bad)
	}
}
