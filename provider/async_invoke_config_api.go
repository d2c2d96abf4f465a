package provider

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The mapping between AsyncInvokeConfig inputs and PUT/GET .../async-invoke-config (5.13). Each destination
// is a `destination` name and a `param` that is a JSON object in a string, with one key set per kind.

// The service's defaults for settings left out.
const (
	asyncDefaultMaxAge  = 3600
	asyncDefaultRetries = 1
)

// asyncDestinationParam is the union of the destinations' param keys.
type asyncDestinationParam struct {
	FuncURN    string       `json:"func_urn,omitempty"`    // FunctionGraph
	Bucket     string       `json:"bucket,omitempty"`      // OBS
	Prefix     string       `json:"prefix,omitempty"`      // OBS
	Expires    *fgs.FlexInt `json:"expires,omitempty"`     // OBS, days
	TopicURN   string       `json:"topic_urn,omitempty"`   // SMN
	StreamName string       `json:"stream_name,omitempty"` // DIS
}

// asyncInvokeConfigBody sends every setting, defaults included, so that the PUT leaves nothing of the
// previous settings behind whether the service merges or replaces.
func asyncInvokeConfigBody(a AsyncInvokeConfigArgs) *fgs.PutAsyncInvokeConfigRequest {
	eff := asyncEffective(a)
	return &fgs.PutAsyncInvokeConfigRequest{
		MaxAsyncEventAgeInSeconds: eff.MaxAsyncEventAgeInSeconds,
		MaxAsyncRetryAttempts:     eff.MaxAsyncRetryAttempts,
		EnableAsyncStatusLog:      eff.EnableAsyncStatusLog,
		DestinationConfig: &fgs.AsyncDestinationConfig{
			OnSuccess: destinationToAPI(a.OnSuccess),
			OnFailure: destinationToAPI(a.OnFailure),
		},
	}
}

func destinationToAPI(d *AsyncDestination) *fgs.DestinationConfig {
	if d == nil {
		return nil
	}
	var name string
	var param asyncDestinationParam
	switch {
	case d.FunctionGraph != nil:
		name, param.FuncURN = "FunctionGraph", d.FunctionGraph.FunctionURN
	case d.Obs != nil:
		name, param.Bucket, param.Prefix = "OBS", d.Obs.Bucket, deref(d.Obs.Prefix)
		if d.Obs.Expires != nil {
			e := fgs.FlexInt(*d.Obs.Expires)
			param.Expires = &e
		}
	case d.Smn != nil:
		name, param.TopicURN = "SMN", d.Smn.TopicURN
	case d.Dis != nil:
		name, param.StreamName = "DIS", d.Dis.StreamName
	default:
		return nil
	}
	raw, _ := json.Marshal(param) // cannot fail: strings and numbers only
	return &fgs.DestinationConfig{Destination: name, Param: string(raw)}
}

// asyncInvokeConfigFromAPI reads the settings back as inputs. A setting at the service's default stays
// unset when the program left it unset (olds), so that a refresh shows no change.
func asyncInvokeConfigFromAPI(urn string, live *fgs.AsyncInvokeConfig, olds AsyncInvokeConfigArgs) (AsyncInvokeConfigArgs, error) {
	out := AsyncInvokeConfigArgs{FunctionURN: urn}
	if age := live.MaxAsyncEventAgeInSeconds.Int(); olds.MaxAsyncEventAgeInSeconds != nil || age != asyncDefaultMaxAge {
		out.MaxAsyncEventAgeInSeconds = &age
	}
	if n := live.MaxAsyncRetryAttempts.Int(); olds.MaxAsyncRetryAttempts != nil || n != asyncDefaultRetries {
		out.MaxAsyncRetryAttempts = &n
	}
	if on := bool(live.EnableAsyncStatusLog); olds.EnableAsyncStatusLog != nil || on {
		out.EnableAsyncStatusLog = &on
	}
	if dc := live.DestinationConfig; dc != nil {
		var err error
		if out.OnSuccess, err = destinationFromAPI(dc.OnSuccess); err != nil {
			return out, fmt.Errorf("on_success: %w", err)
		}
		if out.OnFailure, err = destinationFromAPI(dc.OnFailure); err != nil {
			return out, fmt.Errorf("on_failure: %w", err)
		}
	}
	return out, nil
}

func destinationFromAPI(d *fgs.DestinationConfig) (*AsyncDestination, error) {
	if d == nil || d.Destination == "" {
		return nil, nil
	}
	var param asyncDestinationParam
	if err := json.Unmarshal([]byte(d.Param), &param); err != nil {
		return nil, fmt.Errorf("the %s destination's param %q is not a JSON object: %w", d.Destination, d.Param, err)
	}
	switch d.Destination {
	case "FunctionGraph":
		return &AsyncDestination{FunctionGraph: &AsyncFunctionGraphDestination{FunctionURN: param.FuncURN}}, nil
	case "OBS":
		obs := &AsyncObsDestination{Bucket: param.Bucket}
		if param.Prefix != "" {
			obs.Prefix = &param.Prefix
		}
		if param.Expires != nil {
			e := param.Expires.Int()
			obs.Expires = &e
		}
		return &AsyncDestination{Obs: obs}, nil
	case "SMN":
		return &AsyncDestination{Smn: &AsyncSmnDestination{TopicURN: param.TopicURN}}, nil
	case "DIS":
		return &AsyncDestination{Dis: &AsyncDisDestination{StreamName: param.StreamName}}, nil
	}
	return nil, fmt.Errorf("the service reports a destination of kind %q, which is not one of FunctionGraph, OBS, SMN and DIS", d.Destination)
}

// asyncEffective fills in what the service assumes for settings left out, so that Diff compares what the
// service does, not how the program spells it (an unset retry count and `1` are the same).
func asyncEffective(a AsyncInvokeConfigArgs) AsyncInvokeConfigArgs {
	age, retries, log := asyncDefaultMaxAge, asyncDefaultRetries, false
	if a.MaxAsyncEventAgeInSeconds != nil {
		age = *a.MaxAsyncEventAgeInSeconds
	}
	if a.MaxAsyncRetryAttempts != nil {
		retries = *a.MaxAsyncRetryAttempts
	}
	if a.EnableAsyncStatusLog != nil {
		log = *a.EnableAsyncStatusLog
	}
	a.MaxAsyncEventAgeInSeconds, a.MaxAsyncRetryAttempts, a.EnableAsyncStatusLog = &age, &retries, &log
	a.OnSuccess, a.OnFailure = destinationEffective(a.OnSuccess), destinationEffective(a.OnFailure)
	return a
}

// destinationEffective: an OBS prefix "" is no prefix, and no expiry is expiry 0 (never).
func destinationEffective(d *AsyncDestination) *AsyncDestination {
	if d == nil || d.Obs == nil {
		return d
	}
	obs := *d.Obs
	if obs.Prefix != nil && *obs.Prefix == "" {
		obs.Prefix = nil
	}
	if obs.Expires == nil {
		zero := 0
		obs.Expires = &zero
	}
	return &AsyncDestination{Obs: &obs}
}

// sameAsyncTarget: a function's unqualified URN and its `...:latest` URN name the same settings.
func sameAsyncTarget(a, b string) bool {
	return strings.TrimSuffix(a, ":latest") == strings.TrimSuffix(b, ":latest")
}
