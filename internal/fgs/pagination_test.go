package fgs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListFunctionsPaginates(t *testing.T) {
	const total = 7
	var markers []string
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		markers = append(markers, q.Get("marker"))
		assert.Equal(t, "3", q.Get("maxitems"))
		m, _ := strconv.Atoi(q.Get("marker"))
		var fns []map[string]any
		for i := m; i < total && i < m+3; i++ {
			fns = append(fns, map[string]any{"func_name": fmt.Sprintf("f%d", i), "func_urn": fmt.Sprintf("urn:fss:eu-de:p:function:default:f%d", i)})
		}
		next := m + len(fns)
		if next >= total {
			next = 0 // last page
		}
		writeJSON(w, 200, map[string]any{"functions": fns, "next_marker": next, "count": total})
	})
	c := tokenClient(t, f)
	fns, err := c.Functions.List(context.Background(), &ListFunctionsOptions{PageSize: 3})
	require.NoError(t, err)
	require.Len(t, fns, total)
	for i, fn := range fns {
		assert.Equal(t, fmt.Sprintf("f%d", i), fn.FuncName)
	}
	assert.Equal(t, []string{"0", "3", "6"}, markers)
}

func TestListStopsWhenMarkerDoesNotAdvance(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		// A broken server: always the same page and the same next marker, no count.
		writeJSON(w, 200, map[string]any{"versions": []map[string]any{{"version": "v1"}}, "next_marker": 5})
	})
	c := tokenClient(t, f)
	vs, err := c.Versions.List(context.Background(), testURN, nil)
	require.NoError(t, err)
	assert.Len(t, vs, 2)
	assert.Equal(t, int32(2), n.Load(), "marker 0 -> 5, then 5 -> 5 stops")
}

func TestListDetectsMarkerCycle(t *testing.T) {
	var n atomic.Int32
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		next := 7
		if r.URL.Query().Get("marker") == "7" {
			next = 3
		}
		if r.URL.Query().Get("marker") == "3" {
			next = 7
		}
		writeJSON(w, 200, map[string]any{"dependencies": []map[string]any{{"id": "d"}}, "next_marker": next})
	})
	c := tokenClient(t, f)
	_, err := c.Dependencies.List(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "marker 7 again")
	assert.LessOrEqual(t, n.Load(), int32(4))
}

func TestListPageInfoStyle(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v2/"+testProjectID+"/fgs/functions/reservedinstanceconfigs", r.URL.Path)
		assert.Equal(t, testURN+":latest", r.URL.Query().Get("function_urn"))
		assert.Equal(t, "100", r.URL.Query().Get("limit"))
		switch r.URL.Query().Get("marker") {
		case "0":
			writeJSON(w, 200, map[string]any{"reserved_instances": []map[string]any{{"function_urn": "a", "min_count": 1, "qualifier_type": "version", "qualifier_name": "latest"}},
				"page_info": map[string]any{"next_marker": 1, "previous_marker": 0, "current_count": 1}, "count": 2})
		case "1":
			writeJSON(w, 200, map[string]any{"reserved_instances": []map[string]any{{"function_urn": "b", "min_count": "2", "idle_mode": true}},
				"page_info": map[string]any{"next_marker": 2, "previous_marker": 1, "current_count": 1}, "count": 2})
		default:
			t.Errorf("unexpected marker %s", r.URL.Query().Get("marker"))
		}
	})
	c := tokenClient(t, f)
	items, err := c.ReservedInstances.ListConfigs(context.Background(), testURN+":latest")
	require.NoError(t, err)
	require.Len(t, items, 2)
	assert.Equal(t, 2, items[1].MinCount.Int())
	assert.True(t, bool(items[1].IdleMode))
}

func TestTagsFilterOffsetPagination(t *testing.T) {
	var offsets []string
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v2/"+testProjectID+"/functions/resource-instances/filter", r.URL.Path, "tag paths have no /fgs/")
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(b, &body))
		assert.Equal(t, "filter", body["action"])
		offsets = append(offsets, body["offset"].(string))
		off, _ := strconv.Atoi(body["offset"].(string))
		var res []map[string]any
		for i := off; i < 3 && i < off+2; i++ {
			name := fmt.Sprintf("fn%d", i)
			if i == 2 {
				name = "hello"
			}
			res = append(res, map[string]any{"resource_id": fmt.Sprintf("uuid-%d", i), "resource_name": name,
				"resource_detail": map[string]any{"func_urn": "", "func_name": name, "package": "default", "code_size": "247"},
				"tags":            []map[string]string{{"key": "env", "value": name}}})
		}
		writeJSON(w, 200, map[string]any{"resources": res, "total_count": 3})
	})
	c := tokenClient(t, f)
	rs, err := c.Tags.Filter(context.Background(), &FilterResourcesRequest{PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, rs, 3)
	assert.Equal(t, []string{"0", "2"}, offsets)

	offsets = nil
	tags, err := c.Tags.ForFunction(context.Background(), testURN)
	require.NoError(t, err)
	assert.Equal(t, []Tag{{Key: "env", Value: "hello"}}, tags)
}
