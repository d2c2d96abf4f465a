package provider

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The mapping between TestEvent inputs and the test-event API (5.4). The service stores `content` as it is
// sent; the API reference's SDK examples and its read-back send Base64, so that is what we send.

func testEventCreateBody(args TestEventArgs) *fgs.CreateTestEventRequest {
	return &fgs.CreateTestEventRequest{Name: args.Name, Content: encodeEventContent(args.Content)}
}

func encodeEventContent(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// decodeEventContent reads content back. An event written elsewhere as raw text (the reference's own
// create example sends raw JSON) is not Base64: it is taken as it is.
func decodeEventContent(s string) string {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(raw) {
		return s
	}
	return string(raw)
}

func testEventFromAPI(urn string, live *fgs.TestEvent) TestEventState {
	return TestEventState{
		TestEventArgs: TestEventArgs{FunctionURN: urn, Name: live.Name, Content: decodeEventContent(live.Content)},
		EventID:       live.ID,
		LastModified:  unixTime(live.LastModified),
	}
}

// unixTime renders the service's Unix seconds as RFC 3339; 0 (not reported) is empty.
func unixTime(sec fgs.FlexInt) string {
	if sec == 0 {
		return ""
	}
	return time.Unix(int64(sec), 0).UTC().Format(time.RFC3339)
}

func testEventID(urn, eventID string) string { return urn + "/" + eventID }

// parseTestEventID splits `{functionUrn}/{eventId}` or `{functionUrn}/{name}`; the second part is returned
// as it is, and the caller resolves a name.
func parseTestEventID(id string) (urn, ref string, err error) {
	i := strings.LastIndex(id, "/")
	if i > 0 {
		urn, ref = id[:i], id[i+1:]
	}
	u, perr := fgs.ParseURN(urn)
	if ref == "" || perr != nil || u.Qualifier != "" {
		return "", "", fmt.Errorf("%q is not a test event ID: use <functionUrn>/<name> or <functionUrn>/<eventId>", id)
	}
	return urn, ref, nil
}
