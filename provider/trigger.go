package provider

import (
	"context"
	_ "embed"
	"fmt"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Where the rest of the Trigger lives: trigger_check.go (the Check rules), trigger_api.go (the mapping between
// the inputs and the API's bodies), trigger_schedule.go (the TIMER schedule grammar), trigger.md (the
// resource's description and examples).

// triggerDescription is the resource's description, with the examples in four languages.
//
//go:embed trigger.md
var triggerDescription string

// Trigger connects an event source (a timer, an API, a bucket, a topic, a stream...) to a function.
type Trigger struct{}

// TriggerType is a trigger type code, as the API spells it.
type TriggerType string

var _ = (infer.Enum[TriggerType])(TriggerType(""))

// Values lists the 17 trigger type codes of the API reference.
func (TriggerType) Values() []infer.EnumValue[TriggerType] {
	return enumValues[TriggerType](triggerTypes...)
}

// TriggerStatus is whether a trigger fires.
type TriggerStatus string

var _ = (infer.Enum[TriggerStatus])(TriggerStatus(""))

// Values lists the trigger states.
func (TriggerStatus) Values() []infer.EnumValue[TriggerStatus] {
	return []infer.EnumValue[TriggerStatus]{
		{Name: "ACTIVE", Value: "ACTIVE", Description: "The trigger fires."},
		{Name: "DISABLED", Value: "DISABLED", Description: "The trigger is paused (TIMER, DDS, DMS, KAFKA and LTS triggers only)."},
	}
}

// ScheduleType is how a timer trigger's schedule is written.
type ScheduleType string

var _ = (infer.Enum[ScheduleType])(ScheduleType(""))

// Values lists the schedule types.
func (ScheduleType) Values() []infer.EnumValue[ScheduleType] {
	return []infer.EnumValue[ScheduleType]{
		{Name: "Rate", Value: "Rate", Description: "A fixed rate: `3m`, `2h`, `1d`."},
		{Name: "Cron", Value: "Cron", Description: "A cron expression with seconds, or `@every <duration>`."},
	}
}

// TriggerArgs are the inputs of a Trigger.
type TriggerArgs struct {
	FunctionURN   string         `pulumi:"functionUrn"`
	Type          TriggerType    `pulumi:"type"`
	Status        *TriggerStatus `pulumi:"status,optional"`
	EventTypeCode *string        `pulumi:"eventTypeCode,optional"`

	Timer *TimerEventData `pulumi:"timer,optional"`
	Apig  *ApigEventData  `pulumi:"apig,optional"`
	Obs   *ObsEventData   `pulumi:"obs,optional"`
	Smn   *SmnEventData   `pulumi:"smn,optional"`
	Kafka *KafkaEventData `pulumi:"kafka,optional"`
	Dms   *DmsEventData   `pulumi:"dms,optional"`
	Dis   *DisEventData   `pulumi:"dis,optional"`
	Lts   *LtsEventData   `pulumi:"lts,optional"`
	Cts   *CtsEventData   `pulumi:"cts,optional"`
	Dds   *DdsEventData   `pulumi:"dds,optional"`

	EventData map[string]any `pulumi:"eventData,optional"`
}

// The typed event-data blocks, one per entry of eventBlocks (trigger_api.go). The `api` tag is the key in
// the API's event_data (a dotted key nests); the mapping both ways is driven by it.

// TimerEventData is the event data of a TIMER trigger.
type TimerEventData struct {
	Name         string       `pulumi:"name" api:"name"`
	ScheduleType ScheduleType `pulumi:"scheduleType" api:"schedule_type"`
	Schedule     string       `pulumi:"schedule" api:"schedule"`
	UserEvent    *string      `pulumi:"userEvent,optional" api:"user_event"`
}

// ApigEventData is the event data of an APIG trigger: the API that API Gateway creates in front of the function.
type ApigEventData struct {
	GroupID   string  `pulumi:"groupId" api:"group_id"`
	EnvID     string  `pulumi:"envId" api:"env_id"`
	EnvName   *string `pulumi:"envName,optional" api:"env_name"`
	Name      string  `pulumi:"name" api:"name"`
	Path      string  `pulumi:"path" api:"path"`
	Protocol  *string `pulumi:"protocol,optional" api:"protocol"`
	Auth      *string `pulumi:"auth,optional" api:"auth"`
	ReqMethod *string `pulumi:"reqMethod,optional" api:"req_method"`
	MatchMode *string `pulumi:"matchMode,optional" api:"match_mode"`
	Timeout   *int    `pulumi:"timeout,optional" api:"func_info.timeout"`
	SlDomain  *string `pulumi:"slDomain,optional" api:"sl_domain"`
}

// ObsEventData is the event data of an OBS trigger.
type ObsEventData struct {
	Bucket string   `pulumi:"bucket" api:"bucket"`
	Events []string `pulumi:"events" api:"events"`
	Prefix *string  `pulumi:"prefix,optional" api:"prefix"`
	Suffix *string  `pulumi:"suffix,optional" api:"suffix"`
	Name   *string  `pulumi:"name,optional" api:"name"`
}

// SmnEventData is the event data of an SMN trigger.
type SmnEventData struct {
	TopicURN string `pulumi:"topicUrn" api:"topic_urn"`
}

// KafkaEventData is the event data of a KAFKA (DMS for Kafka) trigger.
type KafkaEventData struct {
	InstanceID string   `pulumi:"instanceId" api:"instance_id"`
	TopicIDs   []string `pulumi:"topicIds" api:"topic_ids"`
	BatchSize  *int     `pulumi:"batchSize,optional" api:"batch_size"`
	User       *string  `pulumi:"user,optional" api:"kafka_user"`
	Password   *string  `pulumi:"password,optional" api:"kafka_password" provider:"secret"`
	SslEnable  *bool    `pulumi:"sslEnable,optional" api:"kafka_ssl_enable"`
}

// DmsEventData is the event data of a DMS trigger.
type DmsEventData struct {
	InstanceID      string   `pulumi:"instanceId" api:"instance_id"`
	TopicIDs        []string `pulumi:"topicIds,optional" api:"topic_ids"`
	ConsumerGroupID *string  `pulumi:"consumerGroupId,optional" api:"consumer_group_id"`
	BatchSize       *int     `pulumi:"batchSize,optional" api:"batch_size"`
	PollingInterval *int     `pulumi:"pollingInterval,optional" api:"polling_interval"`
	PollingUnit     *string  `pulumi:"pollingUnit,optional" api:"polling_unit"`
	User            *string  `pulumi:"user,optional" api:"kafka_user"`
	Password        *string  `pulumi:"password,optional" api:"kafka_password" provider:"secret"`
}

// DisEventData is the event data of a DIS trigger.
type DisEventData struct {
	StreamName       string  `pulumi:"streamName" api:"stream_name"`
	StartingPosition *string `pulumi:"startingPosition,optional" api:"sharditerator_type"`
	BatchSize        *int    `pulumi:"batchSize,optional" api:"batch_size"`
	PollingInterval  *int    `pulumi:"pollingInterval,optional" api:"polling_interval"`
	PollingUnit      *string `pulumi:"pollingUnit,optional" api:"polling_unit"`
	MaxFetchBytes    *int    `pulumi:"maxFetchBytes,optional" api:"max_fetch_bytes"`
	IsSerial         *bool   `pulumi:"isSerial,optional" api:"is_serial"`
}

// LtsEventData is the event data of an LTS trigger.
type LtsEventData struct {
	LogGroupID   string  `pulumi:"logGroupId" api:"log_group_id"`
	LogTopicID   string  `pulumi:"logTopicId" api:"log_topic_id"`
	LogGroupName *string `pulumi:"logGroupName,optional" api:"log_group_name"`
	LogTopicName *string `pulumi:"logTopicName,optional" api:"log_topic_name"`
}

// CtsEventData is the event data of a CTS trigger.
type CtsEventData struct {
	Name       string   `pulumi:"name" api:"name"`
	Operations []string `pulumi:"operations" api:"operations"`
}

// DdsEventData is the event data of a DDS trigger.
type DdsEventData struct {
	InstanceID     string  `pulumi:"instanceId" api:"instance_id"`
	DBName         string  `pulumi:"dbName" api:"db_name"`
	CollectionName string  `pulumi:"collectionName" api:"collection_name"`
	User           *string `pulumi:"user,optional" api:"db_user"`
	Password       *string `pulumi:"password,optional" api:"db_password" provider:"secret"`
	BatchSize      *int    `pulumi:"batchSize,optional" api:"batch_size"`
}

// TriggerState is what a Trigger records.
type TriggerState struct {
	TriggerArgs
	TriggerID       string  `pulumi:"triggerId"`
	CreatedTime     string  `pulumi:"createdTime"`
	LastUpdatedTime string  `pulumi:"lastUpdatedTime"`
	InvokeURL       *string `pulumi:"invokeUrl,optional"`
}

var _ = (infer.Annotated)((*Trigger)(nil))

// Annotate describes the Trigger resource.
func (t *Trigger) Annotate(a infer.Annotator) {
	a.Describe(t, triggerDescription)
	a.SetToken("index", "Trigger")
}

var _ = (infer.Annotated)((*TriggerArgs)(nil))

// Annotate describes the Trigger's inputs.
func (a *TriggerArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.FunctionURN, "The URN of the function the trigger invokes: unqualified (the `latest` version), or qualified "+
		"with a version (`...:hello:v1`) or an alias (`...:hello:!prod`). Changing it replaces the trigger.")
	an.Describe(&a.Type, "The trigger type code. Changing it replaces the trigger.")
	an.Describe(&a.Status, "`ACTIVE` or `DISABLED`. Defaults to what the service does: `DISABLED` for DDS and KAFKA triggers, "+
		"`ACTIVE` for the others. Only TIMER, DDS, DMS, KAFKA and LTS triggers can be disabled. Updated in place.")
	an.Describe(&a.EventTypeCode, "The event type code sent at creation (the service does not use it otherwise). "+
		"Defaults per type: `APICreated` for APIG, `ObjectCreated` for OBS, `MessageCreated` for the others. Changing it replaces the trigger.")
	an.Describe(&a.Timer, "The schedule of a TIMER trigger.")
	an.Describe(&a.Apig, "The API of an APIG trigger.")
	an.Describe(&a.Obs, "The bucket and events of an OBS trigger.")
	an.Describe(&a.Smn, "The topic of an SMN trigger.")
	an.Describe(&a.Kafka, "The instance and topics of a KAFKA trigger.")
	an.Describe(&a.Dms, "The instance and topics of a DMS trigger.")
	an.Describe(&a.Dis, "The stream of a DIS trigger.")
	an.Describe(&a.Lts, "The log group and topic of an LTS trigger.")
	an.Describe(&a.Cts, "The operations of a CTS trigger.")
	an.Describe(&a.Dds, "The database and collection of a DDS trigger.")
	an.Describe(&a.EventData, "The event data as the API's raw JSON object (snake_case keys), for trigger types without a typed block "+
		"(RABBITMQ, DEDICATEDGATEWAY, OPENSOURCEKAFKA, APIC, GAUSSMONGO, EVENTGRID, IOTDA) or for keys a typed block does not model. "+
		"Exactly one of `eventData` and the typed block of the trigger's type must be set. Pass credentials in it as secrets "+
		"(`pulumi.secret(...)`): they stay secret in the state, and keys named like credentials (passwords, secrets, private keys, tokens, `_sk` keys) "+
		"are never read back from the service.")
}

var _ = (infer.Annotated)((*TimerEventData)(nil))

// Annotate describes a timer.
func (d *TimerEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.Name, "The timer's name: up to 64 letters, digits, `_` and `-`, starting with a letter.")
	a.Describe(&d.ScheduleType, "`Rate` or `Cron`.")
	a.Describe(&d.Schedule, "For `Rate`, a number and a unit: 1 to 60 minutes (`3m`), 1 to 24 hours (`2h`) or 1 to 30 days (`1d`). "+
		"For `Cron`, `@every <duration>` (`@every 30m`, `@every 2h30m`) or a cron expression with seconds: "+
		"`second minute hour day-of-month month [day-of-week]`, e.g. `0 30 8 * * MON-FRI`, optionally after a time zone "+
		"such as `CRON_TZ=Europe/Berlin` (the region's zone otherwise).")
	a.Describe(&d.UserEvent, "Extra text passed to the function in the event's `user_event` field.")
}

var _ = (infer.Annotated)((*ApigEventData)(nil))

// Annotate describes an APIG API.
func (d *ApigEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.GroupID, "The ID of the API group the API is created in.")
	a.Describe(&d.EnvID, "The ID of the environment the API is published to, e.g. `DEFAULT_ENVIRONMENT_RELEASE_ID`.")
	a.Describe(&d.EnvName, "The name of the environment, e.g. `RELEASE`.")
	a.Describe(&d.Name, "The API's name: 3 to 64 letters, digits and `_`, starting with a letter.")
	a.Describe(&d.Path, "The API's request path, starting with `/`, e.g. `/hello`.")
	a.Describe(&d.Protocol, "`HTTP` or `HTTPS`. Defaults to `HTTPS`.")
	a.SetDefault(&d.Protocol, "HTTPS")
	a.Describe(&d.Auth, "How callers authenticate: `NONE`, `IAM` or `APP`. Defaults to `IAM`.")
	a.SetDefault(&d.Auth, "IAM")
	a.Describe(&d.ReqMethod, "The HTTP method: `GET`, `POST`, `PUT`, `DELETE`, `HEAD`, `PATCH`, `OPTIONS` or `ANY`. Defaults to `ANY`.")
	a.SetDefault(&d.ReqMethod, "ANY")
	a.Describe(&d.MatchMode, "`SWA` (prefix match) or `NORMAL` (exact match). Defaults to `SWA`.")
	a.SetDefault(&d.MatchMode, "SWA")
	a.Describe(&d.Timeout, "How long API Gateway waits for the function, in milliseconds, 1 to 60000. Defaults to 5000.")
	a.SetDefault(&d.Timeout, 5000)
	a.Describe(&d.SlDomain, "The group's subdomain, e.g. `<group_id>.apig.eu-de.otc.t-systems.com`.")
}

var _ = (infer.Annotated)((*ObsEventData)(nil))

// Annotate describes an OBS trigger.
func (d *ObsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.Bucket, "The bucket's name.")
	a.Describe(&d.Events, "The events (`OBS:` may replace `s3:`): `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, `s3:ObjectCreated:Post`, `s3:ObjectCreated:Copy`, "+
		"`s3:ObjectCreated:CompleteMultipartUpload`, `s3:ObjectRemoved:*`, `s3:ObjectRemoved:Delete`, `s3:ObjectRemoved:DeleteMarkerCreated`.")
	a.Describe(&d.Prefix, "Only objects whose key starts with this prefix.")
	a.Describe(&d.Suffix, "Only objects whose key ends with this suffix.")
	a.Describe(&d.Name, "The event notification's name.")
}

var _ = (infer.Annotated)((*SmnEventData)(nil))

// Annotate describes an SMN trigger.
func (d *SmnEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.TopicURN, "The topic's URN, `urn:smn:<region>:<project_id>:<topic>`.")
}

var _ = (infer.Annotated)((*KafkaEventData)(nil))

// Annotate describes a Kafka trigger.
func (d *KafkaEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.InstanceID, "The Kafka instance's ID.")
	a.Describe(&d.TopicIDs, "The topics to consume.")
	a.Describe(&d.BatchSize, "Messages per invocation, 1 to 1000. Defaults to 100 on the service side.")
	a.Describe(&d.User, "The SASL user, when the instance needs one.")
	a.Describe(&d.Password, "The SASL password. Kept secret; the service never returns it, so it is not refreshed.")
	a.Describe(&d.SslEnable, "Connects with SASL_SSL; needs `user` and `password`.")
}

var _ = (infer.Annotated)((*DmsEventData)(nil))

// Annotate describes a DMS trigger.
func (d *DmsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.InstanceID, "The DMS instance's ID.")
	a.Describe(&d.TopicIDs, "The topics (or queues) to consume.")
	a.Describe(&d.ConsumerGroupID, "The consumer group's ID.")
	a.Describe(&d.BatchSize, "Messages per invocation, 1 to 10000.")
	a.Describe(&d.PollingInterval, "The pull period, in `pollingUnit`s. Updated in place.")
	a.Describe(&d.PollingUnit, "`ms` or `s`. Updated in place.")
	a.Describe(&d.User, "The user to connect as, when the instance needs one.")
	a.Describe(&d.Password, "The password. Kept secret; the service never returns it, so it is not refreshed.")
}

var _ = (infer.Annotated)((*DisEventData)(nil))

// Annotate describes a DIS trigger.
func (d *DisEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.StreamName, "The DIS stream's name.")
	a.Describe(&d.StartingPosition, "Where to start reading: `TRIM_HORIZON` (oldest) or `LATEST`.")
	a.Describe(&d.BatchSize, "Records per invocation, 1 to 10000.")
	a.Describe(&d.PollingInterval, "The pull period, in `pollingUnit`s. Updated in place.")
	a.Describe(&d.PollingUnit, "`ms` or `s`. Updated in place.")
	a.Describe(&d.MaxFetchBytes, "The most bytes fetched per pull. Updated in place.")
	a.Describe(&d.IsSerial, "Processes records serially. Updated in place.")
}

var _ = (infer.Annotated)((*LtsEventData)(nil))

// Annotate describes an LTS trigger.
func (d *LtsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.LogGroupID, "The log group's ID.")
	a.Describe(&d.LogTopicID, "The log topic's (stream's) ID.")
	a.Describe(&d.LogGroupName, "The log group's name.")
	a.Describe(&d.LogTopicName, "The log topic's name.")
}

var _ = (infer.Annotated)((*CtsEventData)(nil))

// Annotate describes a CTS trigger.
func (d *CtsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.Name, "The trigger's name: up to 64 letters, digits, `_` and `-`, starting with a letter.")
	a.Describe(&d.Operations, "The audited operations to react to, `<service>:<resource>:<operation>`, e.g. `ECS:ecs:createServer`.")
}

var _ = (infer.Annotated)((*DdsEventData)(nil))

// Annotate describes a DDS trigger.
func (d *DdsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.InstanceID, "The DDS instance's ID.")
	a.Describe(&d.DBName, "The database's name.")
	a.Describe(&d.CollectionName, "The collection's name.")
	a.Describe(&d.User, "The database user.")
	a.Describe(&d.Password, "The database password. Kept secret; the service never returns it, so it is not refreshed.")
	a.Describe(&d.BatchSize, "Documents per invocation, 1 to 10000.")
}

var _ = (infer.Annotated)((*TriggerState)(nil))

// Annotate describes the Trigger's outputs.
func (s *TriggerState) Annotate(a infer.Annotator) {
	a.Describe(&s.TriggerID, "The trigger's ID, as the service assigned it.")
	a.Describe(&s.CreatedTime, "When the trigger was created, as the service reports it.")
	a.Describe(&s.LastUpdatedTime, "When the trigger was last changed, as the service reports it.")
	a.Describe(&s.InvokeURL, "For an APIG trigger, the URL that invokes the function.")
}

var _ = (infer.ExplicitDependencies[TriggerArgs, TriggerState])((*Trigger)(nil))

// WireDependencies keeps the trigger's identity known in the preview of an in-place update (a status or
// pull-tuning change), so that nothing downstream looks replaced.
func (t *Trigger) WireDependencies(f infer.FieldSelector, args *TriggerArgs, state *TriggerState) {
	urn, typ := f.InputField(&args.FunctionURN).Computed(), f.InputField(&args.Type).Computed()
	f.OutputField(&state.TriggerID).DependsOn(urn, typ)
	f.OutputField(&state.CreatedTime).DependsOn(urn, typ)
	f.OutputField(&state.InvokeURL).DependsOn(urn, typ, f.InputField(&args.Apig).Computed())
	f.OutputField(&state.LastUpdatedTime).DependsOn(f.InputField(args).Computed())
}

var _ = (infer.CustomCheck[TriggerArgs])((*Trigger)(nil))

// Check fills the per-type defaults (status, event type code) and rejects what the service would reject, on
// the property at fault (trigger_check.go).
func (t *Trigger) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TriggerArgs], error) {
	args, failures, err := infer.DefaultCheck[TriggerArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[TriggerArgs]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	checkTriggerArgs(c, &args)
	return infer.CheckResponse[TriggerArgs]{Inputs: args, Failures: c.failures}, nil
}

var triggerReplaceKeys = []string{"functionUrn", "type", "eventTypeCode"}

var _ = (infer.CustomDiff[TriggerArgs, TriggerState])((*Trigger)(nil))

// Diff replaces the trigger for a new function, type or event data, and updates status and the pull-tuning
// keys in place. Event data is compared by the keys the user set, by value.
func (t *Trigger) Diff(ctx context.Context, req infer.DiffRequest[TriggerArgs, TriggerState]) (infer.DiffResponse, error) {
	olds, news := req.State.TriggerArgs, req.Inputs
	skip := map[string]bool{"status": true, "eventData": true}
	for _, b := range eventBlocks {
		skip[b.key] = true
	}
	diff := diffInputs(olds, news, triggerReplaceKeys, skip)
	if statusChanged(olds, news) {
		diff["status"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	for path, d := range diffEventData(eventDataOf(olds), eventDataOf(news)) {
		diff[path] = d
	}
	// The service refuses a second trigger with the same name, path or bucket events: delete first.
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff, DeleteBeforeReplace: anyReplace(diff)}, nil
}

func anyReplace(diff map[string]p.PropertyDiff) bool {
	for _, d := range diff {
		if isReplace(d.Kind) {
			return true
		}
	}
	return false
}

var _ = (infer.CustomResource[TriggerArgs, TriggerState])((*Trigger)(nil))
var _ = (infer.CustomCreate[TriggerArgs, TriggerState])((*Trigger)(nil))

// Create posts the trigger (201). When the service kept its default status, Create asks again with an
// update; if that fails, the trigger is recorded as created (with the status it has) and the error reported.
func (t *Trigger) Create(ctx context.Context, req infer.CreateRequest[TriggerArgs]) (infer.CreateResponse[TriggerState], error) {
	args := req.Inputs
	state := TriggerState{TriggerArgs: args}
	if req.DryRun {
		return infer.CreateResponse[TriggerState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[TriggerState]{}, err
	}
	tr, err := client.Triggers.Create(ctx, args.FunctionURN, createTriggerRequest(args))
	if err = forResource(req.Name, err); err != nil {
		return infer.CreateResponse[TriggerState]{}, fmt.Errorf("creating a %s trigger on %s: %w", args.Type, args.FunctionURN, err)
	}
	id := triggerID(args.FunctionURN, string(args.Type), tr.TriggerID)
	state.setOutputs(tr)
	if args.Status == nil || tr.TriggerStatus == "" || string(*args.Status) == tr.TriggerStatus {
		return infer.CreateResponse[TriggerState]{ID: id, Output: state}, nil
	}
	up, err := client.Triggers.Update(ctx, args.FunctionURN, string(args.Type), tr.TriggerID,
		&fgs.UpdateTriggerRequest{TriggerStatus: string(*args.Status)})
	if err != nil {
		return infer.CreateResponse[TriggerState]{ID: id, Output: state}, infer.ResourceInitFailedError{Reasons: []string{
			fmt.Sprintf("trigger %s was created %s, but setting its status to %s failed: %v", id, tr.TriggerStatus, *args.Status, err),
		}}
	}
	state.setOutputs(up)
	return infer.CreateResponse[TriggerState]{ID: id, Output: state}, nil
}

var _ = (infer.CustomRead[TriggerArgs, TriggerState])((*Trigger)(nil))

// Read refreshes the status and the event data keys the user set; on import it rebuilds every input.
func (t *Trigger) Read(ctx context.Context, req infer.ReadRequest[TriggerArgs, TriggerState]) (infer.ReadResponse[TriggerArgs, TriggerState], error) {
	urn, typ, id, err := parseTriggerID(req.ID)
	if err != nil {
		return infer.ReadResponse[TriggerArgs, TriggerState]{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[TriggerArgs, TriggerState]{}, err
	}
	tr, err := client.Triggers.Get(ctx, urn, typ, id)
	if fgs.IsNotFound(err) {
		return infer.ReadResponse[TriggerArgs, TriggerState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[TriggerArgs, TriggerState]{}, fmt.Errorf("reading trigger %s: %w", req.ID, err)
	}
	importing := req.State.TriggerID == ""
	olds := req.State.TriggerArgs
	if importing {
		olds = req.Inputs
	}
	inputs := readTriggerInputs(olds, urn, typ, tr, importing)
	state := req.State
	state.TriggerArgs = inputs
	state.setOutputs(tr)
	state.Status = inputs.Status
	return infer.ReadResponse[TriggerArgs, TriggerState]{ID: req.ID, Inputs: inputs, State: state}, nil
}

var _ = (infer.CustomUpdate[TriggerArgs, TriggerState])((*Trigger)(nil))

// Update changes the status and the pull-tuning keys (the only things the service updates in place).
func (t *Trigger) Update(ctx context.Context, req infer.UpdateRequest[TriggerArgs, TriggerState]) (infer.UpdateResponse[TriggerState], error) {
	olds, news := req.State.TriggerArgs, req.Inputs
	state := req.State
	state.TriggerArgs = news
	if news.Status == nil {
		state.Status = req.State.Status
	}
	if req.DryRun {
		return infer.UpdateResponse[TriggerState]{Output: state}, nil
	}
	body := updateTriggerRequest(olds, news, state.Status)
	if body == nil {
		return infer.UpdateResponse[TriggerState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.UpdateResponse[TriggerState]{}, err
	}
	urn, typ, id, err := parseTriggerID(req.ID)
	if err != nil {
		return infer.UpdateResponse[TriggerState]{}, err
	}
	tr, err := client.Triggers.Update(ctx, urn, typ, id, body)
	if err != nil {
		return infer.UpdateResponse[TriggerState]{}, fmt.Errorf("updating trigger %s: %w", req.ID, err)
	}
	state.setOutputs(tr)
	if news.Status != nil {
		state.Status = news.Status
	}
	return infer.UpdateResponse[TriggerState]{Output: state}, nil
}

var _ = (infer.CustomDelete[TriggerState])((*Trigger)(nil))

// Delete removes the trigger; a trigger already gone (or whose function is gone) is deleted.
func (t *Trigger) Delete(ctx context.Context, req infer.DeleteRequest[TriggerState]) (infer.DeleteResponse, error) {
	urn, typ, id, err := parseTriggerID(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	if err := client.Triggers.Delete(ctx, urn, typ, id); err != nil && !fgs.IsNotFound(err) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting trigger %s: %w", req.ID, err)
	}
	return infer.DeleteResponse{}, nil
}
