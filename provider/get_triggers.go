package provider

import (
	"context"
	_ "embed"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

//go:embed get_function_triggers.md
var getFunctionTriggersDoc string

// GetFunctionTriggers lists the triggers of a function, a version or an alias.
type GetFunctionTriggers struct{}

// GetFunctionTriggersArgs are the inputs of getFunctionTriggers.
type GetFunctionTriggersArgs struct {
	FunctionURN string `pulumi:"functionUrn"`
}

// GetFunctionTriggersResult is the answer of getFunctionTriggers.
type GetFunctionTriggersResult struct {
	Triggers []FunctionTriggerSummary `pulumi:"triggers"`
}

// FunctionTriggerSummary is one trigger in the answer of getFunctionTriggers.
type FunctionTriggerSummary struct {
	TriggerID       string         `pulumi:"triggerId"`
	Type            string         `pulumi:"type"`
	Status          string         `pulumi:"status"`
	EventTypeCode   string         `pulumi:"eventTypeCode"`
	EventData       map[string]any `pulumi:"eventData"`
	CreatedTime     string         `pulumi:"createdTime"`
	LastUpdatedTime string         `pulumi:"lastUpdatedTime"`
}

var _ = (infer.Annotated)((*GetFunctionTriggers)(nil))

// Annotate describes getFunctionTriggers.
func (f *GetFunctionTriggers) Annotate(a infer.Annotator) {
	a.Describe(f, getFunctionTriggersDoc)
	a.SetToken("index", "getFunctionTriggers")
}

// Annotate describes the inputs of getFunctionTriggers.
func (a *GetFunctionTriggersArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The URN of the function; a version (`:v1`) or alias (`:!live`) URN lists the triggers bound to it.")
}

// Annotate describes the answer of getFunctionTriggers.
func (r *GetFunctionTriggersResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Triggers, "The triggers.")
}

// Annotate describes one trigger of the list.
func (s *FunctionTriggerSummary) Annotate(an infer.Annotator) {
	an.Describe(&s.TriggerID, "The trigger's ID, as the Trigger resource's `triggerId`.")
	an.Describe(&s.Type, "The trigger type code, for example `TIMER` or `APIG`.")
	an.Describe(&s.Status, "`ACTIVE` or `DISABLED`.")
	an.Describe(&s.EventTypeCode, "The event type code, when the service reports one.")
	an.Describe(&s.EventData, "The trigger's event data as the service reports it (API names, as the Trigger's raw `eventData`). "+
		"Keys that hold secrets (passwords, secret keys, tokens, private keys) are left out.")
	an.Describe(&s.CreatedTime, "When the trigger was created.")
	an.Describe(&s.LastUpdatedTime, "When the trigger was last changed.")
}

var _ = (infer.Fn[GetFunctionTriggersArgs, GetFunctionTriggersResult])((*GetFunctionTriggers)(nil))

// Invoke lists the triggers.
func (*GetFunctionTriggers) Invoke(ctx context.Context, req infer.FunctionRequest[GetFunctionTriggersArgs]) (infer.FunctionResponse[GetFunctionTriggersResult], error) {
	return lookup(ctx, "getFunctionTriggers", func(client *fgs.Client) (GetFunctionTriggersResult, error) {
		if err := requireURN("functionUrn", req.Input.FunctionURN); err != nil {
			return GetFunctionTriggersResult{}, err
		}
		ts, err := client.Triggers.List(ctx, req.Input.FunctionURN)
		if err != nil {
			return GetFunctionTriggersResult{}, err
		}
		return GetFunctionTriggersResult{Triggers: mapItems(ts, triggerSummary)}, nil
	})
}

func triggerSummary(t *fgs.Trigger) FunctionTriggerSummary {
	return FunctionTriggerSummary{
		TriggerID: t.TriggerID, Type: t.TriggerTypeCode, Status: t.TriggerStatus, EventTypeCode: t.EventTypeCode,
		EventData: eventDataWithoutSecrets(t.EventData), CreatedTime: t.CreatedTime.String(), LastUpdatedTime: t.LastUpdatedTime.String(),
	}
}

// eventDataWithoutSecrets is the event data without its secret keys: a provider function's answer is not
// marked secret, so a secret in it would be shown and stored in plain text.
func eventDataWithoutSecrets(m map[string]any) map[string]any {
	out, _ := withoutLiveSecrets(m, nil).(map[string]any)
	return out
}
