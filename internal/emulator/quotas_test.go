package emulator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQuotasUsage(t *testing.T) {
	h := newHarness(t)
	h.create("a")
	h.create("b")
	m := h.obj("GET", "/fgs/quotas", nil, 200)
	res := m["quotas"].(map[string]any)["resources"].([]any)
	found := map[string]map[string]any{}
	for _, r := range res {
		rm := r.(map[string]any)
		found[rm["type"].(string)] = rm
	}
	require.EqualValues(t, 2, found["fgs_func_num"]["used"])
	require.EqualValues(t, 400, found["fgs_func_num"]["quota"])
	require.Equal(t, "MB", found["fgs_func_code_size"]["unit"])
	require.EqualValues(t, 1, found["fgs_func_code_size"]["used"])
	for _, k := range []string{"fgs_func_scale_down_timeout", "fgs_func_occurs", "fgs_func_pat_idle_time", "fgs_workflow_num"} {
		require.Contains(t, found, k)
	}
}
