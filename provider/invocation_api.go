package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// What invokeFunction and the Invocation resource share: the event sent, and how the service's answer
// reads as a result or as the function's failure.

// eventFromJSONText is the event of an Invocation: its `input`, which must be JSON text.
func eventFromJSONText(input string) (json.RawMessage, error) {
	t := bytes.TrimSpace([]byte(input))
	if len(t) == 0 {
		return json.RawMessage("{}"), nil
	}
	if !json.Valid(t) {
		return nil, errors.New("input: not valid JSON (give the event as JSON text, for example with JSON.stringify or json.dumps)")
	}
	return json.RawMessage(t), nil
}

// eventFromPayload is the event of invokeFunction: an object (or list, number, bool) is sent as JSON; a
// string holding JSON text is sent as that JSON, any other string as a JSON string; none is `{}`.
func eventFromPayload(payload any) (json.RawMessage, error) {
	switch v := payload.(type) {
	case nil:
		return json.RawMessage("{}"), nil
	case string:
		if t := bytes.TrimSpace([]byte(v)); len(t) > 0 && json.Valid(t) {
			return json.RawMessage(t), nil
		}
		return json.Marshal(v)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	return raw, nil
}

// invocationOutcome is a synchronous invocation as a program sees it.
type invocationOutcome struct {
	Result       string
	ResultJSON   any // the result parsed, when it is JSON; nil otherwise
	Status       int
	RequestID    string
	Log          string
	ErrorCode    string // set when the function failed
	ErrorMessage string
}

func (o invocationOutcome) failed() bool { return o.ErrorCode != "" || o.ErrorMessage != "" }

// outcomeOf reads the service's answer. The function failed when the answer's execution status is set and
// not 200, or when the service answered that the invocation itself failed or timed out (HTTP 408, 500,
// 504): the function ran, and its failure is the answer. Every other error (a missing function, bad
// credentials, a refused event, throttling) is an error of the call, returned as such.
func outcomeOf(res *fgs.InvokeResult, err error) (invocationOutcome, error) {
	var ae *fgs.APIError
	if errors.As(err, &ae) && (ae.Status == 408 || ae.Status == 500 || ae.Status == 504) {
		return invocationOutcome{Status: ae.Status, RequestID: ae.RequestID, ErrorCode: orDefault(ae.Code, strconv.Itoa(ae.Status)),
			ErrorMessage: orDefault(ae.Message, "the invocation failed")}, nil
	}
	if err != nil {
		return invocationOutcome{}, err
	}
	out := invocationOutcome{Result: res.Result.String(), Status: res.Status.Int(), RequestID: res.RequestID, Log: res.Log.String()}
	var parsed any
	if t := bytes.TrimSpace([]byte(out.Result)); len(t) > 0 && json.Unmarshal(t, &parsed) == nil {
		out.ResultJSON = parsed
	}
	if out.Status != 0 && out.Status != 200 {
		out.ErrorCode, out.ErrorMessage = functionError(parsed, out.Status, out.Result)
	}
	return out, nil
}

// functionError takes the code and message of a failed function from its result, in the shapes runtimes
// report them (errorCode or errorType, errorMessage), or the status and the result text.
func functionError(parsed any, status int, result string) (code, message string) {
	code, message = strconv.Itoa(status), result
	obj, ok := parsed.(map[string]any)
	if !ok {
		return code, orDefault(message, "the function failed with status "+code)
	}
	for _, k := range []string{"errorCode", "error_code", "errorType"} {
		if s, ok := obj[k].(string); ok && s != "" {
			code = s
			break
		}
	}
	for _, k := range []string{"errorMessage", "error_msg", "message"} {
		if s, ok := obj[k].(string); ok && s != "" {
			message = s
			break
		}
	}
	return code, message
}

// invocationError is the error of an Invocation whose function failed: the function's own message first.
func invocationError(urn string, o invocationOutcome) error {
	return fmt.Errorf("function %s failed (%s, request %s): %s", urn, o.ErrorCode, orDefault(o.RequestID, "unknown"), o.ErrorMessage)
}
