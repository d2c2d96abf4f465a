package provider

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statusIgnoringCloud is a test cloud whose trigger POSTs lose their status (as a service that keeps its
// default would), and whose trigger PUTs fail while failPut is set.
func statusIgnoringCloud(t *testing.T, failPut *atomic.Bool) *testCloud {
	return newTestCloudWith(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			isTrigger := strings.Contains(r.URL.Path, "/fgs/triggers/")
			if isTrigger && r.Method == http.MethodPost {
				var body map[string]any
				require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
				delete(body, "trigger_status")
				b, err := json.Marshal(body)
				require.NoError(t, err)
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			}
			if isTrigger && r.Method == http.MethodPut && failPut.Load() {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"error_code":"FSS.1318","error_msg":"Invalid trigger operation."}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
}

// A status the service did not take at creation is asked for again with an update; when that update fails,
// the created trigger keeps its ID in the state (ResourceInitFailedError), with the status it really has.
func TestTriggerCreateStatusFollowUp(t *testing.T) {
	t.Parallel()
	var failPut atomic.Bool
	c := statusIgnoringCloud(t, &failPut)
	urn := c.newFunction(t, "status", false)
	kafka := withBase(urn, "KAFKA", triggerInputs(urn)["KAFKA"]).Set("status", property.New("ACTIVE"))

	t.Run("the follow-up update sets the status", func(t *testing.T) {
		r := c.resource(t, "Trigger", "asked-again")
		r.mustCreate(kafka)
		assert.Equal(t, "ACTIVE", str(r.state, "status"))
		assert.Equal(t, "ACTIVE", c.liveTrigger(t, urn, "KAFKA", r).TriggerStatus)
		require.NoError(t, r.delete())
	})

	r := c.resource(t, "Trigger", "half-made")
	chk := r.check(kafka)
	require.Empty(t, chk.Failures)
	t.Run("a failed follow-up keeps the ID", func(t *testing.T) {
		r.t = t
		failPut.Store(true)
		defer failPut.Store(false)
		resp, err := c.server.Create(p.CreateRequest{Urn: urnOf("Trigger", "half-made"), Properties: chk.Inputs})
		require.Error(t, err, "the failed status update is reported")
		require.NotNil(t, resp.PartialState, "as a partly created resource")
		assert.Contains(t, strings.Join(resp.PartialState.Reasons, " "), "FSS.1318")
		assert.Contains(t, strings.Join(resp.PartialState.Reasons, " "), "ACTIVE")
		require.NotEmpty(t, resp.ID, "the created trigger's ID comes back with the error")
		r.id, r.state, r.ins = resp.ID, resp.Properties, chk.Inputs
		assert.Equal(t, "DISABLED", str(r.state, "status"), "the state records the status the trigger has")
		assert.Equal(t, "DISABLED", c.liveTrigger(t, urn, "KAFKA", r).TriggerStatus)
	})
	t.Run("the next update sets the status", func(t *testing.T) {
		r.t = t
		d, checked := r.diff(kafka)
		assert.Equal(t, map[string]p.DiffKind{"status": p.Update}, diffKinds(d))
		require.NoError(t, r.update(checked))
		assert.Equal(t, "ACTIVE", c.liveTrigger(t, urn, "KAFKA", r).TriggerStatus)
	})
}
