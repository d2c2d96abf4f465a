package emulator

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCreateOtherCodeTypes(t *testing.T) {
	h := newHarness(t)
	zip := append([]byte("PK\x03\x04"), []byte(strings.Repeat("z", 20000))...)
	m := h.create("zipped", "code_type", "zip", "code_filename", "index.zip", "func_code", map[string]any{"file": base64.StdEncoding.EncodeToString(zip)})
	require.EqualValues(t, len(zip), m["code_size"])
	require.Equal(t, "index.zip", m["code_filename"])
	o := h.create("fromobs", "code_type", "obs", "code_url", "https://test.obs.eu-de.otc.t-systems.com/fss_examples_python2.7.zip")
	require.Equal(t, "obs", o["code_type"])
	require.Equal(t, "fss_examples_python2.7.zip", o["code_filename"])
	require.Equal(t, "https://test.obs.eu-de.otc.t-systems.com/fss_examples_python2.7.zip", o["code_url"])
	j := h.create("javafn", "runtime", "Java11", "handler", "com.example.Handler::handle", "code_type", "jar", "code_filename", "app.jar",
		"func_code", map[string]any{"file": base64.StdEncoding.EncodeToString([]byte("PK\x03\x04jar"))})
	require.Equal(t, "jar", j["code_type"])
}
