package fgs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Every *APIError matches at most one of them with errors.Is.
var (
	// ErrNotFound: HTTP 404, or one of the service's not-found codes
	// (FSS.1051 function, FSS.1052 version, FSS.1053 alias, FSS.1056 dependency,
	// FSS.1070 test event, FSS.1131.. trigger, FSS.0404).
	ErrNotFound = errors.New("fgs: not found")
	// ErrConflict: HTTP 409, or one of the duplicate codes (FSS.1061 function exists,
	// FSS.1062 version exists, FSS.1063 alias exists, FSS.1073 test event exists, ...).
	ErrConflict = errors.New("fgs: conflict")
	// ErrThrottled: HTTP 429 (after the retries were exhausted).
	ErrThrottled = errors.New("fgs: throttled")
	// ErrUnauthorized: HTTP 401 or 403 (bad credentials or missing permission).
	ErrUnauthorized = errors.New("fgs: unauthorized")
)

// errNilContext: a caller passed a nil context.Context. That is a bug in the caller, so it is reported
// instead of being papered over with context.Background(), which would drop the caller's deadline,
// cancellation and log attribution without a trace.
var errNilContext = errors.New("nil context.Context (a programming error: pass the operation's context, or context.Background() deliberately)")

// notFoundCodes are FunctionGraph error codes that mean "the thing is gone",
// whatever HTTP status they come with (the service is not consistent: the
// alias GET example answers 401 with FSS.1053).
var notFoundCodes = map[string]bool{
	"FSS.0404": true, // async config / tracing / trigger update
	"FSS.1051": true, // function
	"FSS.1052": true, // function version
	"FSS.1053": true, // alias
	"FSS.1056": true, // dependency (version)
	"FSS.1070": true, // test event
	"FSS.1128": true, // "function[xxx] not existed" (tracing PUT, 400)
	"FSS.1131": true, // trigger (generic)
	"FSS.1132": true, // SMN trigger
	"FSS.1136": true, // OBS trigger
	"FSS.1137": true, // trigger type mismatch
	"FSS.1138": true, // APIG trigger
	"FSS.1140": true, // TIMER trigger
	"FSS.1174": true, // KAFKA trigger
}

// conflictCodes are duplicate / already-exists codes.
var conflictCodes = map[string]bool{
	"FSS.1031": true, // dependency exists
	"FSS.1061": true, // function exists
	"FSS.1062": true, // version exists
	"FSS.1063": true, // alias exists
	"FSS.1065": true, // dependency exists
	"FSS.1066": true, // version already used by another alias
	"FSS.1073": true, // test event name exists (403!)
	"FSS.1141": true, // SMN trigger exists
	"FSS.1145": true, // OBS trigger exists
	"FSS.1146": true, // APIG trigger exists
	"FSS.1147": true, // APIG path exists
	"FSS.1148": true, // TIMER trigger exists
	"FSS.1150": true, // KAFKA trigger exists
	"FSS.1307": true, // trigger name exists
}

// APIError is returned for every non-2xx answer of FunctionGraph or IAM.
type APIError struct {
	Status    int    // HTTP status code
	Code      string // service error code, e.g. FSS.1051 (may be empty)
	Message   string // service error message (secrets of this client are scrubbed)
	RequestID string // X-Request-Id / X-Cff-Request-Id, if the service sent one
	Method    string // HTTP method of the failed request
	Path      string // URL path of the failed request (project id replaced by {project})
	// notFoundForCall: the service that made the call reads this answer as "not found"
	// (reqSpec.notFound), e.g. the Triggers service for a trigger whose function is gone.
	notFoundForCall bool
	// service names the rejecting service in Error(); "" = FunctionGraph.
	service string
}

// Error reads like
// "FunctionGraph rejected PUT /v2/{project}/fgs/functions/urn:...:hello/config: FSS.1002 invalid memory size (HTTP 400, request id 1234)".
func (e *APIError) Error() string {
	var b strings.Builder
	if e.service != "" {
		b.WriteString(e.service)
	} else {
		b.WriteString("FunctionGraph")
	}
	b.WriteString(" rejected ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	switch {
	case e.Code != "" && e.Message != "":
		b.WriteString(e.Code + " " + e.Message)
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Message != "":
		b.WriteString(e.Message)
	default:
		b.WriteString("no error details")
	}
	fmt.Fprintf(&b, " (HTTP %d", e.Status)
	if e.RequestID != "" {
		b.WriteString(", request id " + e.RequestID)
	}
	b.WriteByte(')')
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) etc. work.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.isNotFound()
	case ErrConflict:
		return !e.isNotFound() && (e.Status == 409 || conflictCodes[e.Code])
	case ErrThrottled:
		return e.Status == 429
	case ErrUnauthorized:
		return !e.isNotFound() && !conflictCodes[e.Code] && (e.Status == 401 || e.Status == 403)
	}
	return false
}

func (e *APIError) isNotFound() bool {
	return e.Status == 404 || notFoundCodes[e.Code] || e.notFoundForCall
}

// IsNotFound reports whether err is (or wraps) a not-found answer.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// parseErrorBody understands {"error_code","error_msg"}, IAM/Keystone style
// {"error":{"code","message","title"}}, {"code","message"} and plain text.
func parseErrorBody(body []byte) (code, msg string) {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return "", ""
	}
	var fgsErr struct {
		ErrorCode FlexString `json:"error_code"`
		ErrorMsg  FlexString `json:"error_msg"`
		Code      FlexString `json:"code"`
		Message   FlexString `json:"message"`
		Error     *struct {
			Code    FlexString `json:"code"`
			Message FlexString `json:"message"`
			Title   FlexString `json:"title"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(trimmed), &fgsErr); err == nil {
		switch {
		case fgsErr.ErrorCode != "" || fgsErr.ErrorMsg != "":
			return string(fgsErr.ErrorCode), string(fgsErr.ErrorMsg)
		case fgsErr.Error != nil:
			msg := string(fgsErr.Error.Message)
			if msg == "" {
				msg = string(fgsErr.Error.Title)
			} else if fgsErr.Error.Title != "" && !strings.Contains(msg, string(fgsErr.Error.Title)) {
				msg = string(fgsErr.Error.Title) + ": " + msg
			}
			return string(fgsErr.Error.Code), msg
		case fgsErr.Code != "" || fgsErr.Message != "":
			return string(fgsErr.Code), string(fgsErr.Message)
		}
	}
	// Not JSON (HTML from a gateway, plain text): keep a short, single-line excerpt.
	if !utf8.ValidString(trimmed) {
		return "", "non-text error body"
	}
	trimmed = strings.Join(strings.Fields(trimmed), " ")
	if len(trimmed) > 200 {
		trimmed = trimmed[:200] + "..."
	}
	return "", trimmed
}
