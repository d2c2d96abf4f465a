package fgs

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

// afterCommit lets the emulator carry out the next POSTs, then loses their answers: "drop" closes the
// connection, "503" answers 503 instead. The faults the emulator itself injects strike before the handler.
type afterCommit struct {
	em    http.Handler
	mu    sync.Mutex
	fault string
	left  int // how many POSTs still get the fault
}

func (a *afterCommit) arm(fault string, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fault, a.left = fault, n
}

func (a *afterCommit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	fault := ""
	if r.Method == http.MethodPost && a.left > 0 && r.URL.Path != "/v3/auth/tokens" {
		fault = a.fault
		a.left--
	}
	a.mu.Unlock()
	if fault == "" {
		a.em.ServeHTTP(w, r)
		return
	}
	a.em.ServeHTTP(httptest.NewRecorder(), r) // carried out; the answer is lost
	if fault == "503" {
		fgsError(w, 503, "FSS.0503", "service unavailable")
		return
	}
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func emulatorClients(t *testing.T) (front *afterCommit, a, b *Client) {
	em, err := emulator.New(emulator.DefaultConfig())
	require.NoError(t, err)
	front = &afterCommit{em: em}
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	client := func() *Client {
		c, err := NewClient(Options{Region: "eu-de", AuthURL: srv.URL + "/v3", Endpoint: srv.URL, DomainName: "fgs-demo", UserName: "fgs-user",
			Password: "fgs-emulator-password", ProjectName: "eu-de", RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond})
		require.NoError(t, err)
		return c
	}
	return front, client(), client()
}

func emulatorFunction(name, code string) *CreateFunctionRequest {
	return &CreateFunctionRequest{FuncName: name, Package: "default", Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128,
		Timeout: 30, CodeType: "inline", FuncCode: &FuncCode{File: base64.StdEncoding.EncodeToString([]byte(code))}}
}

// Against the emulator: stack A owns taken-name; stack B's create of the same name is carried out by the
// service (which refuses it) and the answer is lost. B gets an error naming A's function; A's is untouched.
func TestEmulatorTwoStacksNeverShareAFunction(t *testing.T) {
	front, stackA, stackB := emulatorClients(t)
	ctx := context.Background()
	owned, err := stackA.Functions.Create(ctx, emulatorFunction("taken-name", "def handler(e, c):\n    return 'A'\n"))
	require.NoError(t, err)
	for _, fault := range []string{"drop", "503"} {
		front.arm(fault, 1)
		_, err = stackB.Functions.Create(ctx, emulatorFunction("taken-name", "def handler(e, c):\n    return 'B'\n"))
		var ae *AlreadyExistsError
		require.ErrorAs(t, err, &ae, fault)
		assert.Equal(t, UnqualifiedURN(owned.FuncURN), ae.ImportID)
		assert.Contains(t, ae.Reason, "code digest differs")
	}
	live, err := stackA.Functions.GetConfig(ctx, UnqualifiedURN(owned.FuncURN))
	require.NoError(t, err)
	assert.Equal(t, owned.Digest, live.Digest, "stack A's code is untouched")
}

// Against the emulator, with every create's answer lost after the commit: function, trigger, version (no
// name) and alias are each adopted once, and nothing exists twice.
func TestEmulatorAfterCommitFaultsAdoptEachObjectOnce(t *testing.T) {
	for _, fault := range []string{"drop", "503"} {
		t.Run(fault, func(t *testing.T) {
			front, c, _ := emulatorClients(t)
			ctx := context.Background()
			front.arm(fault, 1)
			fn, err := c.Functions.Create(ctx, emulatorFunction("lost-answer", "def handler(e, c):\n    return 1\n"))
			require.NoError(t, err)
			urn := UnqualifiedURN(fn.FuncURN)
			fns, err := c.Functions.List(ctx, nil)
			require.NoError(t, err)
			assert.Len(t, fns, 1)

			front.arm(fault, 1)
			tr, err := c.Triggers.Create(ctx, urn+":latest", &CreateTriggerRequest{TriggerTypeCode: "TIMER", TriggerStatus: "ACTIVE",
				EventData: map[string]any{"name": "tick", "schedule_type": "Rate", "schedule": "3m"}})
			require.NoError(t, err)
			assert.NotEmpty(t, tr.TriggerID)
			trs, err := c.Triggers.List(ctx, urn+":latest")
			require.NoError(t, err)
			assert.Len(t, trs, 1)

			front.arm(fault, 1)
			v, err := c.Versions.Publish(ctx, urn, nil)
			require.NoError(t, err)
			assert.NotEqual(t, "latest", v.Version)
			vs, err := c.Versions.List(ctx, urn, nil)
			require.NoError(t, err)
			assert.Len(t, vs, 2, "latest and the one published")

			front.arm(fault, 1)
			al, err := c.Aliases.Create(ctx, urn, &CreateAliasRequest{Name: "live", Version: v.Version})
			require.NoError(t, err)
			assert.Equal(t, v.Version, al.Version)
		})
	}
}
