package provider

import (
	"regexp"
	"strings"
)

// The service's test-event limits, checked before anything is sent. The 10 events per function cannot be
// seen from one resource's inputs: the service refuses the eleventh (FSS.1068) and testEventError explains it.
const (
	maxTestEvents           = 10
	maxTestEventWireBytes   = 4096 // of the Base64 form, as the service measures it (FSS.1069)
	maxTestEventNameLength  = 25
	testEventNameRuleReason = "use 1 to 25 letters, digits, `-` and `_`, starting with a letter and ending with a letter or digit"
)

var testEventNameRe = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9_-]{0,23}[A-Za-z0-9])?$`)

func checkTestEvent(c *checker, args TestEventArgs) {
	if c.known("functionUrn") {
		checkUnqualifiedURN(c, "functionUrn", args.FunctionURN)
	}
	if c.known("name") {
		if len(args.Name) > maxTestEventNameLength {
			c.fail("name", "must be at most %d characters, not %d", maxTestEventNameLength, len(args.Name))
		} else {
			c.match("name", args.Name, testEventNameRe, testEventNameRuleReason)
		}
	}
	if c.known("content") {
		switch n := len(encodeEventContent(args.Content)); {
		case strings.TrimSpace(args.Content) == "":
			c.fail("content", "must not be empty: give the event body, usually JSON such as {\"key\": \"value\"}")
		case n > maxTestEventWireBytes:
			c.fail("content", "is %d bytes, %d once Base64-encoded as it is sent; FunctionGraph stores at most %d (about 3 KB of text)",
				len(args.Content), n, maxTestEventWireBytes)
		}
	}
}
