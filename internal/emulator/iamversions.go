package emulator

import "net/http"

// Keystone version discovery (CONTRADICTIONS.md #55). keystoneauth, under openstacksdk and
// otcextensions, first GETs the auth URL (".../v3") or the unversioned root for the
// version document; without it the client stops before it asks for a token.

// iamVersionUpdated is the date IAM reports for its Identity v3 version.
const iamVersionUpdated = "2016-04-04T00:00:00Z"

func (e *Emulator) iamVersionDoc(r *http.Request) map[string]any {
	return map[string]any{
		"id":      "v3.6",
		"status":  "stable",
		"updated": iamVersionUpdated,
		"links":   []any{map[string]any{"rel": "self", "href": e.scheme(r) + "://" + r.Host + "/v3/"}},
		"media-types": []any{map[string]any{
			"base": "application/json", "type": "application/vnd.openstack.identity-v3+json",
		}},
	}
}

// iamVersion answers GET /v3 and GET /v3/: {"version": {...}}, no credential needed.
func (e *Emulator) iamVersion(c *reqCtx) {
	c.ok(http.StatusOK, map[string]any{"version": e.iamVersionDoc(c.r)})
}

// serveVersions answers GET / with the version list, 300 Multiple Choices as Keystone does.
func (e *Emulator) serveVersions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusMultipleChoices, map[string]any{
		"versions": map[string]any{"values": []any{e.iamVersionDoc(r)}},
	})
}
