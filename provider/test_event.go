package provider

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// TestEvent is a saved test event of a function: the body the console (or an invocation) sends it.
type TestEvent struct{}

// TestEventArgs are the inputs of a TestEvent.
type TestEventArgs struct {
	FunctionURN string `pulumi:"functionUrn"`
	Name        string `pulumi:"name"`
	Content     string `pulumi:"content"`
}

// TestEventState is what a TestEvent records.
type TestEventState struct {
	TestEventArgs
	EventID      string `pulumi:"eventId"`
	LastModified string `pulumi:"lastModified"`
}

//go:embed test_event.md
var testEventDoc string

// Annotate describes the TestEvent resource.
func (e *TestEvent) Annotate(an infer.Annotator) {
	an.Describe(e, testEventDoc)
	an.SetToken("index", "TestEvent")
}

// Annotate describes the TestEvent's inputs.
func (a *TestEventArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The unqualified URN of the function the event belongs to. Changing it replaces the event.")
	an.Describe(&a.Name, "The event's name: 1 to 25 letters, digits, `-` and `_`, starting with a letter and ending with a letter or digit; "+
		"unique within the function. Changing it replaces the event.")
	an.Describe(&a.Content, "The event body, as text (usually JSON). It is sent Base64-encoded, and the encoded form may be at most 4 KB "+
		"(so about 3 KB of text). Updated in place.")
}

// Annotate describes the TestEvent's outputs.
func (s *TestEventState) Annotate(an infer.Annotator) {
	an.Describe(&s.EventID, "The event's ID, as the service assigns it.")
	an.Describe(&s.LastModified, "When the event was last changed (RFC 3339, UTC).")
}

var _ = (infer.CustomCheck[TestEventArgs])((*TestEvent)(nil))

// Check rejects a bad URN, name or content before anything is sent (see test_event_check.go).
func (e *TestEvent) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TestEventArgs], error) {
	return checkInputs(ctx, req, checkTestEvent)
}

var _ = (infer.ExplicitDependencies[TestEventArgs, TestEventState])((*TestEvent)(nil))

// WireDependencies keeps `eventId` known in the preview of a content change (it only changes on replace).
func (e *TestEvent) WireDependencies(f infer.FieldSelector, args *TestEventArgs, state *TestEventState) {
	f.OutputField(&state.EventID).DependsOn(f.InputField(&args.FunctionURN).Computed(), f.InputField(&args.Name).Computed())
	f.OutputField(&state.LastModified).DependsOn(f.InputField(args).Computed())
}

var _ = (infer.CustomDiff[TestEventArgs, TestEventState])((*TestEvent)(nil))

// Diff replaces the event for a new function or name; content is updated in place. A rename within the
// same function deletes the old event first: nothing depends on an event being there without a break, and
// a function that already has its 10 events could not take the new one first.
func (e *TestEvent) Diff(ctx context.Context, req infer.DiffRequest[TestEventArgs, TestEventState]) (infer.DiffResponse, error) {
	diff := diffInputs(req.State.TestEventArgs, req.Inputs, []string{"functionUrn", "name"}, nil)
	_, renamed := diff["name"]
	_, moved := diff["functionUrn"]
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff, DeleteBeforeReplace: renamed && !moved}, nil
}

var _ = (infer.CustomCreate[TestEventArgs, TestEventState])((*TestEvent)(nil))

// Create posts the event, then reads it back for its modification time (the POST answers only id and name).
func (e *TestEvent) Create(ctx context.Context, req infer.CreateRequest[TestEventArgs]) (infer.CreateResponse[TestEventState], error) {
	args := req.Inputs
	state := TestEventState{TestEventArgs: args}
	if req.DryRun {
		return infer.CreateResponse[TestEventState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[TestEventState]{}, err
	}
	created, err := client.TestEvents.Create(ctx, args.FunctionURN, testEventCreateBody(args))
	if err = forResource(req.Name, err); err != nil {
		return infer.CreateResponse[TestEventState]{}, testEventError("creating", args, err)
	}
	state.EventID = created.ID
	id := testEventID(args.FunctionURN, created.ID)
	live, err := client.TestEvents.Get(ctx, args.FunctionURN, created.ID)
	if err != nil {
		// The event exists: record it, and let the next refresh fill in the time.
		return infer.CreateResponse[TestEventState]{ID: id, Output: state}, nil
	}
	state.LastModified = unixTime(live.LastModified)
	return infer.CreateResponse[TestEventState]{ID: id, Output: state}, nil
}

var _ = (infer.CustomRead[TestEventArgs, TestEventState])((*TestEvent)(nil))

// Read refreshes the content; an event gone is an empty ID. An import by name looks the event up first.
func (e *TestEvent) Read(ctx context.Context, req infer.ReadRequest[TestEventArgs, TestEventState]) (infer.ReadResponse[TestEventArgs, TestEventState], error) {
	urn, ref, err := parseTestEventID(req.ID)
	if err != nil {
		return infer.ReadResponse[TestEventArgs, TestEventState]{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[TestEventArgs, TestEventState]{}, err
	}
	eventID := ref
	if ref != req.State.EventID {
		eventID, err = findTestEvent(ctx, client, urn, ref)
		if errors.Is(err, fgs.ErrNotFound) {
			return infer.ReadResponse[TestEventArgs, TestEventState]{}, nil
		}
		if err != nil {
			return infer.ReadResponse[TestEventArgs, TestEventState]{}, fmt.Errorf("reading test event %s: %w", req.ID, err)
		}
	}
	live, err := client.TestEvents.Get(ctx, urn, eventID)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[TestEventArgs, TestEventState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[TestEventArgs, TestEventState]{}, fmt.Errorf("reading test event %s: %w", req.ID, err)
	}
	state := testEventFromAPI(urn, live)
	return infer.ReadResponse[TestEventArgs, TestEventState]{ID: testEventID(urn, live.ID), Inputs: state.TestEventArgs, State: state}, nil
}

// findTestEvent resolves an event name or ID to its ID by listing the function's events.
func findTestEvent(ctx context.Context, client *fgs.Client, urn, ref string) (string, error) {
	events, err := client.TestEvents.List(ctx, urn)
	if err != nil {
		return "", err
	}
	for _, ev := range events {
		if ev.ID == ref || ev.Name == ref {
			return ev.ID, nil
		}
	}
	return "", fgs.ErrNotFound
}

var _ = (infer.CustomUpdate[TestEventArgs, TestEventState])((*TestEvent)(nil))

// Update replaces the event's content, then reads back its modification time.
func (e *TestEvent) Update(ctx context.Context, req infer.UpdateRequest[TestEventArgs, TestEventState]) (infer.UpdateResponse[TestEventState], error) {
	state := req.State
	state.TestEventArgs = req.Inputs
	if req.DryRun {
		return infer.UpdateResponse[TestEventState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.UpdateResponse[TestEventState]{}, err
	}
	if _, err := client.TestEvents.Update(ctx, state.FunctionURN, state.EventID, encodeEventContent(state.Content)); err != nil {
		return infer.UpdateResponse[TestEventState]{}, testEventError("updating", state.TestEventArgs, err)
	}
	if live, err := client.TestEvents.Get(ctx, state.FunctionURN, state.EventID); err == nil {
		state.LastModified = unixTime(live.LastModified)
	}
	return infer.UpdateResponse[TestEventState]{Output: state}, nil
}

var _ = (infer.CustomDelete[TestEventState])((*TestEvent)(nil))

// Delete removes the event; one already gone is not an error.
func (e *TestEvent) Delete(ctx context.Context, req infer.DeleteRequest[TestEventState]) (infer.DeleteResponse, error) {
	urn, eventID, err := parseTestEventID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	if err := client.TestEvents.Delete(ctx, urn, eventID); err != nil && !errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting test event %s of %s: %w", req.State.Name, urn, err)
	}
	return infer.DeleteResponse{}, nil
}

// testEventError explains the service's limits in terms of the inputs.
func testEventError(verb string, args TestEventArgs, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "FSS.1068":
			return fmt.Errorf("%s test event %s of %s: the function already has %d test events, the most FunctionGraph allows; "+
				"remove one first: %w", verb, args.Name, args.FunctionURN, maxTestEvents, err)
		case "FSS.1073":
			return fmt.Errorf("%s test event %s of %s: an event of that name already exists; import it with "+
				"`pulumi import fgs:index:TestEvent <name> %s/%s`: %w", verb, args.Name, args.FunctionURN, args.FunctionURN, args.Name, err)
		}
	}
	return fmt.Errorf("%s test event %s of %s: %w", verb, args.Name, args.FunctionURN, err)
}
