// Package fgs is the REST client of FunctionGraph (FGS) on Open Telekom Cloud
// and Huawei Cloud, with IAM token and AK/SK authentication.
//
// # Construction
//
//	c, err := fgs.NewClient(fgs.Options{
//		Region: "eu-de", AuthURL: "https://iam.eu-de.otc.t-systems.com/v3",
//		DomainName: "d", UserName: "u", Password: "p", ProjectName: "eu-de",
//		// or: AccessKey/SecretKey (+SecurityToken) with ProjectID or ProjectName
//		// or: Token (+ProjectID)
//		Endpoint: "http://127.0.0.1:8990", // optional override (emulator)
//		UserAgentVersion: version, Logger: logger,
//	})
//
// NewClient does no I/O. The first request authenticates (one IAM call even
// under concurrency), learns the project id and the endpoint (override >
// IAM catalog > https://functiongraph.{region}.otc.t-systems.com) and caches
// them; tokens are refreshed TokenRefreshMargin (5 min) before expiry and once
// after a 401. c.ProjectID(ctx) and c.Endpoint(ctx) expose what was resolved.
//
// # Services (every method takes ctx first, never nil; urn is a function URN)
//
//	c.Functions.Create(ctx, *CreateFunctionRequest) (*Function, error)
//	c.Functions.List(ctx, *ListFunctionsOptions) ([]Function, error)            // all pages
//	c.Functions.GetConfig(ctx, urn) (*Function, error)
//	c.Functions.GetCode(ctx, urn) (*FunctionCode, error)
//	c.Functions.UpdateCode(ctx, urn, *UpdateFunctionCodeRequest) (*FunctionCode, error)
//	c.Functions.UpdateConfig(ctx, urn, *UpdateFunctionConfigRequest) (*Function, error) // full replace
//	c.Functions.UpdateMaxInstances(ctx, urn, n int) (*Function, error)
//	c.Functions.Delete(ctx, urn) error                                         // unqualified: whole function
//	c.Versions.Publish(ctx, urn, *PublishVersionRequest) (*Function, error)
//	c.Versions.List(ctx, urn, *ListVersionsOptions) ([]Function, error)
//	c.Versions.Get(ctx, urn, version) (*Function, error)                        // via List; ErrNotFound
//	c.Aliases.Create(ctx, urn, *CreateAliasRequest) (*Alias, error)
//	c.Aliases.Get(ctx, urn, name) (*Alias, error)
//	c.Aliases.List(ctx, urn) ([]Alias, error)
//	c.Aliases.Update(ctx, urn, name, *UpdateAliasRequest) (*Alias, error)
//	c.Aliases.Delete(ctx, urn, name) error
//	c.Triggers.Create(ctx, urn, *CreateTriggerRequest) (*Trigger, error)
//	c.Triggers.Get(ctx, urn, typeCode, id) (*Trigger, error)                    // gone trigger -> ErrNotFound
//	c.Triggers.List(ctx, urn) ([]Trigger, error)
//	c.Triggers.Update(ctx, urn, typeCode, id, *UpdateTriggerRequest) (*Trigger, error)
//	c.Triggers.Delete(ctx, urn, typeCode, id) error                             // gone trigger -> ErrNotFound
//	c.Triggers.DeleteAll(ctx, urn) error
//	c.Tags.Create(ctx, resourceID, []Tag) error / c.Tags.Delete(ctx, resourceID, []Tag) error
//	c.Tags.Filter(ctx, *FilterResourcesRequest) ([]TaggedResource, error)       // all pages
//	c.Tags.ForFunction(ctx, urn) ([]Tag, error) / c.Tags.ListProjectTags(ctx) ([]TagValues, error)
//	c.TestEvents.Create(ctx, urn, *CreateTestEventRequest) (*TestEvent, error)
//	c.TestEvents.List/Get/Update(ctx, urn, id, content)/Delete(ctx, urn, id)
//	c.AsyncConfig.Get(ctx, urn) / Put(ctx, urn, *PutAsyncInvokeConfigRequest) / Delete(ctx, urn) / ListAll(ctx, urn)
//	c.ReservedInstances.Update(ctx, urn, *UpdateReservedInstancesRequest) (*UpdateReservedInstancesResponse, error)
//	c.ReservedInstances.ListConfigs(ctx, functionURN) / ListCounts(ctx, urn)
//	c.Dependencies.CreateVersion(ctx, *CreateDependencyVersionRequest) (*Dependency, error)
//	c.Dependencies.GetVersion(ctx, dependID, version int64) / DeleteVersion(...) / ListVersions(ctx, dependID)
//	c.Dependencies.List(ctx, *ListDependenciesOptions) / Get(ctx, id) / Delete(ctx, id)
//	c.Tracing.Get(ctx, urn) (*TracingConfig, error) / Put(ctx, urn, *TracingConfig) error / Disable(ctx, urn) error
//	c.Invocations.Invoke(ctx, urn, event any, *InvokeOptions) (*InvokeResult, error)
//	c.Invocations.InvokeAsync(ctx, urn, event any) (requestID string, err error)
//	c.Quotas.List(ctx) ([]Quota, error)
//
// Helpers: ParseURN, URN.Unqualified, UnqualifiedURN, BuildURN, FindEndpoint,
// MatchTrigger, Ptr, Signer (AK/SK signing, usable on its own).
//
// Request structs use the API's snake_case JSON names. Optional fields of
// UpdateFunctionConfigRequest are pointers: PUT .../config replaces the whole
// metadata, so send every field the user set (read-modify-write) and leave the
// rest nil. Response structs read numbers/strings/booleans tolerantly
// (FlexInt, FlexString, FlexBool): the service is not consistent about types.
// Function.UserData is the string holding the JSON object.
//
// # Errors
//
// Every non-2xx answer is an *APIError{Status, Code, Message, RequestID,
// Method, Path}; test with errors.Is(err, ErrNotFound | ErrConflict |
// ErrThrottled | ErrUnauthorized) — never match messages. Triggers.Get and
// Triggers.Delete also report the service's answers for a trigger whose function
// was deleted (500 FSS.0500 / 401 FSS.0401) as ErrNotFound. Messages never
// contain this client's secrets.
//
// # Retries
//
// The policy lives in retry.go: retryHTTPCheck decides whether a failed attempt is sent again,
// retryHTTPBackoff how long to wait first.
//
// Retried: 429, 503, 502, 504, 500 with FSS.0500 / FSS.1162, connection
// resets / EOF / timeouts. Exponential backoff with full jitter
// (RetryBaseDelay 200ms doubling up to RetryMaxDelay 10s), Retry-After
// (seconds or HTTP date) honoured up to MaxRetryAfter with a jitter on top, at
// most MaxRetries (DefaultMaxRetries, 20) retries per request within its
// RetryBudget (5 minutes, which its lookups share), stopped by ctx (a wait
// that would end after ctx's deadline is not started). One attempt times out
// after Options.Timeout (60 s). Never retried: other 4xx, other 500s, unknown
// hosts, TLS trust failures. A 401 with a token the client obtained itself
// triggers one token refresh and one more attempt. Options.OnRetry hears of
// every retry and every lookup.
//
// GET, PUT and DELETE are idempotent and retried on all of the above. A POST
// is resent blindly only when the failure proves it was not carried out:
// connection refused (never sent) and 429. Every 5xx and a connection dropped
// or timed out after sending are ambiguous (a service may answer 503 after the
// write committed): a POST is then looked up first, and resent only when its
// method has a lookup and the lookup proved that nothing was created. The
// lookups adopt only what this very request created (ownership.go):
// Functions.Create (same name, app, runtime, handler, code digest),
// Triggers.Create (same type and non-secret event_data), Versions.Publish (the
// name when given, the code's digest), Aliases.Create (name and version),
// TestEvents.Create (name), each also created inside the request's time window
// on the service's clock (learnt from its Date headers) when the service
// reports a creation time. Anything else in the way is an *AlreadyExistsError
// (matching ErrConflict) with the ID `pulumi import` takes; so is the
// service's own "already exists" answer when the lookup finds the object.
// Without a lookup (Dependencies.CreateVersion, invocations) an ambiguous
// error is returned. Tag creation and resource filtering are idempotent POSTs
// and retried like PUT.
//
// # Logging
//
// Options.Logger gets one Debugf line per attempt (method, path with the
// project id replaced by {project}, status, duration, attempt, FSS code) and
// the request body with secrets redacted (passwords, tokens, tracing_sk,
// encrypted_user_data, trigger passwords); IAM bodies and invocation events
// are never logged; a string holding JSON (user_data) is redacted inside.
// Known secrets (password, token, SK, security token, the signature, and the
// secret values of the request body at any depth, also inside strings that
// hold JSON such as encrypted_user_data) are also scrubbed from log lines,
// OnRetry lines and APIError messages should the service echo them, in every
// form they can take there: raw, JSON-escaped (up to three levels, HTML-safe
// or not, ASCII-only), Base64 (also inside a larger Base64 text) and
// URL-encoded (redact.go secretForms).
package fgs
