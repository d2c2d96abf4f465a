package provider

import (
	"context"
	_ "embed"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

//go:embed invoke_function.md
var invokeFunctionDoc string

// InvokeFunction calls a function synchronously and returns its answer.
type InvokeFunction struct{}

// InvokeFunctionArgs are the inputs of invokeFunction.
type InvokeFunctionArgs struct {
	FunctionURN         string `pulumi:"functionUrn"`
	Payload             any    `pulumi:"payload,optional"`
	InvokeDuringPreview *bool  `pulumi:"invokeDuringPreview,optional"`
}

// InvokeFunctionResult is the answer of invokeFunction.
type InvokeFunctionResult struct {
	Invoked      bool    `pulumi:"invoked"`
	Result       string  `pulumi:"result"`
	ResultJSON   any     `pulumi:"resultJson,optional"`
	Status       int     `pulumi:"status"`
	RequestID    string  `pulumi:"requestId"`
	Log          string  `pulumi:"log"`
	ErrorCode    *string `pulumi:"errorCode,optional"`
	ErrorMessage *string `pulumi:"errorMessage,optional"`
}

var _ = (infer.Annotated)((*InvokeFunction)(nil))

// Annotate describes invokeFunction.
func (f *InvokeFunction) Annotate(a infer.Annotator) {
	a.Describe(f, invokeFunctionDoc)
	a.SetToken("index", "invokeFunction")
}

var _ = (infer.Annotated)((*InvokeFunctionArgs)(nil))

// Annotate describes the inputs of invokeFunction.
func (a *InvokeFunctionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The URN of the function to call; a version (`:v1`) or alias (`:!live`) URN calls that version or alias.")
	an.Describe(&a.Payload, "The event: an object (sent as JSON), or a string (JSON text is sent as that JSON, other text as a JSON "+
		"string). `{}` when unset.")
	an.Describe(&a.InvokeDuringPreview, "Call the function in `pulumi preview` too (and in the preview step of `pulumi up`). "+
		"By default a preview does not call it and answers `invoked: false`.")
}

var _ = (infer.Annotated)((*InvokeFunctionResult)(nil))

// Annotate describes the answer of invokeFunction.
func (r *InvokeFunctionResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Invoked, "Whether the function was called: false in a preview unless `invokeDuringPreview` is set.")
	an.Describe(&r.Result, "What the function returned, as text (JSON when the handler returns an object).")
	an.Describe(&r.ResultJSON, "`result` parsed, when it is JSON; unset otherwise.")
	an.Describe(&r.Status, "The execution status the service reports (200 when the function succeeded).")
	an.Describe(&r.RequestID, "The invocation's request ID, to find its logs.")
	an.Describe(&r.Log, "The tail of the invocation's log (the last 4 KB), as the service returns it.")
	an.Describe(&r.ErrorCode, "When the function failed: the error's code or type (the status when it gives none).")
	an.Describe(&r.ErrorMessage, "When the function failed: its error message.")
}

var _ = (infer.Fn[InvokeFunctionArgs, InvokeFunctionResult])((*InvokeFunction)(nil))

// Invoke calls the function, except in a preview the user did not opt into.
func (*InvokeFunction) Invoke(ctx context.Context, req infer.FunctionRequest[InvokeFunctionArgs]) (infer.FunctionResponse[InvokeFunctionResult], error) {
	in := req.Input
	return lookup(ctx, "invokeFunction", func(client *fgs.Client) (InvokeFunctionResult, error) {
		if err := requireURN("functionUrn", in.FunctionURN); err != nil {
			return InvokeFunctionResult{}, err
		}
		event, err := eventFromPayload(in.Payload)
		if err != nil {
			return InvokeFunctionResult{}, err
		}
		if invokeIsPreview(ctx) && !deref(in.InvokeDuringPreview) {
			return InvokeFunctionResult{}, nil
		}
		out, err := outcomeOf(client.Invocations.Invoke(ctx, in.FunctionURN, event, &fgs.InvokeOptions{LogType: "tail"}))
		if err != nil {
			return InvokeFunctionResult{}, err
		}
		res := InvokeFunctionResult{Invoked: true, Result: out.Result, ResultJSON: out.ResultJSON, Status: out.Status, RequestID: out.RequestID, Log: out.Log}
		if out.failed() {
			res.ErrorCode, res.ErrorMessage = &out.ErrorCode, &out.ErrorMessage
		}
		return res, nil
	})
}
