package emulator

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// An APIG trigger answers HTTP at /_apig/{group_id}{path} with the function's answer.
func TestAPIGTriggerAnswersHTTP(t *testing.T) {
	h := execHarness(t)
	h.inlineFn("web", "Node.js14.18", `exports.handler = async (event) => ({
  statusCode: 201,
  headers: {"Content-Type": "application/json", "X-Path": event.path},
  body: JSON.stringify({method: event.httpMethod, q: event.queryStringParameters.q,
                        got: Buffer.from(event.body, "base64").toString(), ua: event.headers["user-agent"]}),
  isBase64Encoded: false,
});
`)
	h.obj("POST", "/fgs/triggers/"+urn7("web"), trig("APIG", map[string]any{"group_id": "grp1", "env_id": "e", "name": "api",
		"auth": "NONE", "protocol": "HTTPS", "path": "/hello"}, "trigger_status", "ACTIVE"), 201)
	rec := h.raw("POST", "/_apig/grp1/hello/world?q=42", `ping`, map[string]string{"User-Agent": "tester"})
	require.Equal(t, 201, rec.Code, rec.Body.String())
	require.Equal(t, "/hello/world", rec.Header().Get("X-Path"), "SWA: the trigger path is a prefix")
	body, _ := io.ReadAll(rec.Body)
	require.JSONEq(t, `{"method":"POST","q":"42","got":"ping","ua":"tester"}`, string(body))

	require.Equal(t, 404, h.raw("GET", "/_apig/grp1/other", nil, nil).Code)
	require.Equal(t, 404, h.raw("GET", "/_apig/nogroup/hello", nil, nil).Code)

	// An answer without statusCode is FSS.1202.
	h.inlineFn("plain", "Python3.9", "def handler(event, context):\n    return 'just text'\n")
	h.obj("POST", "/fgs/triggers/"+urn7("plain"), trig("APIG", map[string]any{"group_id": "grp2", "env_id": "e", "name": "api2",
		"auth": "NONE", "protocol": "HTTP", "path": "/p"}, "trigger_status", "ACTIVE"), 201)
	rec = h.raw("GET", "/_apig/grp2/p", nil, nil)
	require.Equal(t, 500, rec.Code)
	require.Contains(t, rec.Body.String(), "FSS.1202")
}
