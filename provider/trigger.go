package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // CRON_TZ zones are checked the same on every OS, with or without a zone database

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Trigger connects an event source (a timer, an API, a bucket, a topic, a stream...) to a function.
type Trigger struct{}

// TriggerType is a trigger type code, as the API spells it.
type TriggerType string

var triggerTypes = []string{"TIMER", "APIG", "CTS", "DDS", "DMS", "DIS", "LTS", "OBS", "SMN", "KAFKA", "RABBITMQ",
	"DEDICATEDGATEWAY", "OPENSOURCEKAFKA", "APIC", "GAUSSMONGO", "EVENTGRID", "IOTDA"}

// Values lists the 17 trigger type codes of the API reference.
func (TriggerType) Values() []infer.EnumValue[TriggerType] {
	return enumValues[TriggerType](triggerTypes...)
}

// TriggerStatus is whether a trigger fires.
type TriggerStatus string

// Values lists the trigger states.
func (TriggerStatus) Values() []infer.EnumValue[TriggerStatus] {
	return []infer.EnumValue[TriggerStatus]{
		{Name: "ACTIVE", Value: "ACTIVE", Description: "The trigger fires."},
		{Name: "DISABLED", Value: "DISABLED", Description: "The trigger is paused (TIMER, DDS, DMS, KAFKA and LTS triggers only)."},
	}
}

// ScheduleType is how a timer trigger's schedule is written.
type ScheduleType string

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

// The typed event-data blocks. The `api` tag is the key in the API's event_data (a dotted key nests), the
// mapping in eventDataOf / blockFromEventData is driven by it.

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

// Annotate describes the Trigger resource.
func (t *Trigger) Annotate(a infer.Annotator) {
	a.Describe(t, "A trigger: an event source that invokes a function, a version or an alias.\n\n"+
		"Give the event data either as the typed block of the trigger's type (`timer`, `apig`, `obs`, `smn`, `kafka`, "+
		"`dms`, `dis`, `lts`, `cts`, `dds`) or, for the other types, as the raw `eventData` object with the API's "+
		"snake_case keys. Only the keys you set are compared with the live trigger, so the fields the service adds "+
		"(such as APIG's `invoke_url` or `api_id`) never show as changes.\n\n"+
		"Changing `functionUrn`, `type`, `eventTypeCode` or the event data replaces the trigger (the old one is deleted "+
		"first, since the service refuses duplicates); `status` and the pull-tuning keys (`pollingInterval`, "+
		"`pollingUnit`, `maxFetchBytes`, `isSerial`, or `polling_interval`, `polling_unit`, `max_fetch_bytes`, `is_serial` "+
		"in `eventData`) are updated in place.\n\n"+triggerExamples+
		"\n\n## Import\n\nImport by `<functionUrn>/<type>/<triggerId>`:\n\n"+
		"```sh\n$ pulumi import fgs:index:Trigger nightly urn:fss:eu-de:<project_id>:function:default:hello/TIMER/<trigger_id>\n```\n\n"+
		"The service never returns passwords: after importing a KAFKA, DMS or DDS trigger that uses one, add `password` "+
		"to the generated code.\n")
	a.SetToken("index", "Trigger")
}

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
		"(`pulumi.secret(...)`): they stay secret in the state, and keys named like passwords, secrets or tokens are never read back from the service.")
}

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

// Annotate describes an OBS trigger.
func (d *ObsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.Bucket, "The bucket's name.")
	a.Describe(&d.Events, "The events (`OBS:` may replace `s3:`): `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, `s3:ObjectCreated:Post`, `s3:ObjectCreated:Copy`, "+
		"`s3:ObjectCreated:CompleteMultipartUpload`, `s3:ObjectRemoved:*`, `s3:ObjectRemoved:Delete`, `s3:ObjectRemoved:DeleteMarkerCreated`.")
	a.Describe(&d.Prefix, "Only objects whose key starts with this prefix.")
	a.Describe(&d.Suffix, "Only objects whose key ends with this suffix.")
	a.Describe(&d.Name, "The event notification's name.")
}

// Annotate describes an SMN trigger.
func (d *SmnEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.TopicURN, "The topic's URN, `urn:smn:<region>:<project_id>:<topic>`.")
}

// Annotate describes a Kafka trigger.
func (d *KafkaEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.InstanceID, "The Kafka instance's ID.")
	a.Describe(&d.TopicIDs, "The topics to consume.")
	a.Describe(&d.BatchSize, "Messages per invocation, 1 to 1000. Defaults to 100 on the service side.")
	a.Describe(&d.User, "The SASL user, when the instance needs one.")
	a.Describe(&d.Password, "The SASL password. Kept secret; the service never returns it, so it is not refreshed.")
	a.Describe(&d.SslEnable, "Connects with SASL_SSL; needs `user` and `password`.")
}

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

// Annotate describes an LTS trigger.
func (d *LtsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.LogGroupID, "The log group's ID.")
	a.Describe(&d.LogTopicID, "The log topic's (stream's) ID.")
	a.Describe(&d.LogGroupName, "The log group's name.")
	a.Describe(&d.LogTopicName, "The log topic's name.")
}

// Annotate describes a CTS trigger.
func (d *CtsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.Name, "The trigger's name: up to 64 letters, digits, `_` and `-`, starting with a letter.")
	a.Describe(&d.Operations, "The audited operations to react to, `<service>:<resource>:<operation>`, e.g. `ECS:ecs:createServer`.")
}

// Annotate describes a DDS trigger.
func (d *DdsEventData) Annotate(a infer.Annotator) {
	a.Describe(&d.InstanceID, "The DDS instance's ID.")
	a.Describe(&d.DBName, "The database's name.")
	a.Describe(&d.CollectionName, "The collection's name.")
	a.Describe(&d.User, "The database user.")
	a.Describe(&d.Password, "The database password. Kept secret; the service never returns it, so it is not refreshed.")
	a.Describe(&d.BatchSize, "Documents per invocation, 1 to 10000.")
}

// Annotate describes the Trigger's outputs.
func (s *TriggerState) Annotate(a infer.Annotator) {
	a.Describe(&s.TriggerID, "The trigger's ID, as the service assigned it.")
	a.Describe(&s.CreatedTime, "When the trigger was created, as the service reports it.")
	a.Describe(&s.LastUpdatedTime, "When the trigger was last changed, as the service reports it.")
	a.Describe(&s.InvokeURL, "For an APIG trigger, the URL that invokes the function.")
}

const triggerExamples = `## Example Usage

{{% examples %}}
{{% example %}}
### A timer that runs a function every five minutes

` + "```typescript\n" + `import * as fgs from "@fgs-iac/fgs";

const every5m = new fgs.Trigger("every5m", {
    functionUrn: hello.functionUrn,
    type: "TIMER",
    timer: { name: "every-5m", scheduleType: "Rate", schedule: "5m" },
});
` + "```\n```python\n" + `import pulumi_fgs as fgs

every5m = fgs.Trigger("every5m",
    function_urn=hello.function_urn,
    type="TIMER",
    timer=fgs.TimerEventDataArgs(name="every-5m", schedule_type="Rate", schedule="5m"))
` + "```\n```go\n" + `_, err := fgs.NewTrigger(ctx, "every5m", &fgs.TriggerArgs{
	FunctionUrn: hello.FunctionUrn,
	Type:        fgs.TriggerTypeTIMER,
	Timer: &fgs.TimerEventDataArgs{
		Name:         pulumi.String("every-5m"),
		ScheduleType: fgs.ScheduleTypeRate,
		Schedule:     pulumi.String("5m"),
	},
})
if err != nil {
	return err
}
` + "```\n```yaml\n" + `resources:
  every5m:
    type: fgs:index:Trigger
    properties:
      functionUrn: ${hello.functionUrn}
      type: TIMER
      timer:
        name: every-5m
        scheduleType: Rate
        schedule: 5m
` + "```\n" + `{{% /example %}}
{{% example %}}
### An HTTPS API in front of a function

` + "```typescript\n" + `import * as fgs from "@fgs-iac/fgs";

const api = new fgs.Trigger("api", {
    functionUrn: hello.functionUrn,
    type: "APIG",
    apig: {
        groupId: "a9ad0d5df4d7475c9bc35a7c17d89304",
        envId: "DEFAULT_ENVIRONMENT_RELEASE_ID",
        envName: "RELEASE",
        name: "API_hello",
        path: "/hello",
        auth: "NONE",
    },
});
export const url = api.invokeUrl;
` + "```\n```python\n" + `import pulumi
import pulumi_fgs as fgs

api = fgs.Trigger("api",
    function_urn=hello.function_urn,
    type="APIG",
    apig=fgs.ApigEventDataArgs(
        group_id="a9ad0d5df4d7475c9bc35a7c17d89304",
        env_id="DEFAULT_ENVIRONMENT_RELEASE_ID",
        env_name="RELEASE",
        name="API_hello",
        path="/hello",
        auth="NONE"))
pulumi.export("url", api.invoke_url)
` + "```\n```go\n" + `api, err := fgs.NewTrigger(ctx, "api", &fgs.TriggerArgs{
	FunctionUrn: hello.FunctionUrn,
	Type:        fgs.TriggerTypeAPIG,
	Apig: &fgs.ApigEventDataArgs{
		GroupId: pulumi.String("a9ad0d5df4d7475c9bc35a7c17d89304"),
		EnvId:   pulumi.String("DEFAULT_ENVIRONMENT_RELEASE_ID"),
		EnvName: pulumi.String("RELEASE"),
		Name:    pulumi.String("API_hello"),
		Path:    pulumi.String("/hello"),
		Auth:    pulumi.String("NONE"),
	},
})
if err != nil {
	return err
}
ctx.Export("url", api.InvokeUrl)
` + "```\n```yaml\n" + `resources:
  api:
    type: fgs:index:Trigger
    properties:
      functionUrn: ${hello.functionUrn}
      type: APIG
      apig:
        groupId: a9ad0d5df4d7475c9bc35a7c17d89304
        envId: DEFAULT_ENVIRONMENT_RELEASE_ID
        envName: RELEASE
        name: API_hello
        path: /hello
        auth: NONE
outputs:
  url: ${api.invokeUrl}
` + "```\n" + `{{% /example %}}
{{% /examples %}}`

// ---------------------------------------------------------------------------------------------------------
// The mapping between the typed blocks and the API's event_data.

// blockKey is the Pulumi property of each modelled type's block.
var blockKey = map[string]string{
	"TIMER": "timer", "APIG": "apig", "OBS": "obs", "SMN": "smn", "KAFKA": "kafka",
	"DMS": "dms", "DIS": "dis", "LTS": "lts", "CTS": "cts", "DDS": "dds",
}

// pullTuningKeys are the event_data keys the service updates in place (PUT .../triggers/..., 002 L9418-L9426).
var pullTuningKeys = map[string]bool{"is_serial": true, "max_fetch_bytes": true, "polling_interval": true, "polling_unit": true}

// disableableTypes are the types that can be DISABLED (002 L8943).
var disableableTypes = []string{"TIMER", "DDS", "DMS", "KAFKA", "LTS"}

// defaultStatus is the status the service gives a new trigger of the type (002 L8942).
func defaultStatus(typ string) TriggerStatus {
	if typ == "DDS" || typ == "KAFKA" {
		return "DISABLED"
	}
	return "ACTIVE"
}

// defaultEventTypeCode follows the reference's examples (TIMER MessageCreated L931, APIG APICreated L1085);
// the service does not use the code otherwise (Table 1-10).
func defaultEventTypeCode(typ string) string {
	switch typ {
	case "APIG":
		return "APICreated"
	case "OBS":
		return "ObjectCreated"
	}
	return "MessageCreated"
}

// blockField finds the TriggerArgs field of a Pulumi key.
func blockField(key string) (int, bool) {
	t := reflect.TypeOf(TriggerArgs{})
	for i := 0; i < t.NumField(); i++ {
		if pulumiName(t.Field(i)) == key {
			return i, true
		}
	}
	return 0, false
}

// block returns the typed block of the args by Pulumi key, as a pointer (nil interface when unset).
func (a *TriggerArgs) block(key string) any {
	i, ok := blockField(key)
	if !ok {
		return nil
	}
	if f := reflect.ValueOf(a).Elem().Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
		return f.Interface()
	}
	return nil
}

// setBlock sets the typed block by Pulumi key; blk must be a pointer of the block's type.
func (a *TriggerArgs) setBlock(key string, blk any) {
	if i, ok := blockField(key); ok {
		reflect.ValueOf(a).Elem().Field(i).Set(reflect.ValueOf(blk))
	}
}

// newBlock returns a new zero block (a pointer) for the Pulumi key.
func newBlock(key string) any {
	i, _ := blockField(key)
	return reflect.New(reflect.TypeOf(TriggerArgs{}).Field(i).Type.Elem()).Interface()
}

func pulumiName(f reflect.StructField) string { return strings.Split(f.Tag.Get("pulumi"), ",")[0] }

// eventField is one field of a typed block.
type eventField struct {
	index  int
	name   string // Pulumi name
	key    string // API key, dotted for nesting
	secret bool
}

func eventFields(t reflect.Type) []eventField {
	var out []eventField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if key := f.Tag.Get("api"); key != "" {
			out = append(out, eventField{index: i, name: pulumiName(f), key: key, secret: f.Tag.Get("provider") == "secret"})
		}
	}
	return out
}

// eventDataOf maps a typed block (a pointer) to the API's event_data: set fields only, by their API keys.
func eventDataOf(blk any) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(blk).Elem()
	for _, f := range eventFields(v.Type()) {
		fv := v.Field(f.index)
		if isEmpty(fv) {
			continue
		}
		if fv.Kind() == reflect.Pointer {
			fv = fv.Elem()
		}
		var val any
		switch fv.Kind() {
		case reflect.String:
			val = fv.String()
		case reflect.Int:
			val = int(fv.Int())
		case reflect.Bool:
			val = fv.Bool()
		case reflect.Slice:
			s := make([]any, fv.Len())
			for i := range s {
				s[i] = fv.Index(i).String()
			}
			val = s
		}
		setPath(out, f.key, val)
	}
	return out
}

// createEventData is the event_data of the create body: the block's keys plus the constants a type needs.
func createEventData(args TriggerArgs) map[string]any {
	if args.EventData != nil {
		return args.EventData
	}
	key := blockKey[string(args.Type)]
	blk := args.block(key)
	if blk == nil {
		return map[string]any{}
	}
	data := eventDataOf(blk)
	if args.Type == "APIG" {
		// Both request examples send these (002 L1077-L1080, L9065-L9067): a function backend, a public API.
		data["backend_type"] = "FUNCTION"
		data["type"] = 1
	}
	return data
}

// blockFromEventData reads the live event_data into a block of the same type as olds (a pointer), keeping
// only the fields set in olds; olds nil (import) reads every field. Secrets are never read from the service:
// they come from olds. A key the service omits or blanks (APIG blanks env_id/env_name) keeps the old value.
func blockFromEventData(key string, live map[string]any, olds any) any {
	out := newBlock(key)
	ov := reflect.Value{}
	if olds != nil {
		ov = reflect.ValueOf(olds).Elem()
	}
	nv := reflect.ValueOf(out).Elem()
	for _, f := range eventFields(nv.Type()) {
		dst := nv.Field(f.index)
		var old reflect.Value
		if ov.IsValid() {
			old = ov.Field(f.index)
			if isEmpty(old) && old.Kind() != reflect.String {
				continue // not set by the user
			}
		}
		lv, ok := getPath(live, f.key)
		if f.secret || !ok || lv == nil || lv == "" {
			if old.IsValid() {
				dst.Set(old)
			}
			continue
		}
		if !assignJSON(dst, lv) && old.IsValid() {
			dst.Set(old)
		}
	}
	return out
}

// assignJSON stores a decoded JSON value into a field (string, int, bool, []string, or pointers to them),
// tolerating numbers sent as strings and the reverse.
func assignJSON(dst reflect.Value, v any) bool {
	t := dst.Type()
	base := t
	if t.Kind() == reflect.Pointer {
		base = t.Elem()
	}
	val := reflect.New(base).Elem()
	switch base.Kind() {
	case reflect.String:
		switch x := v.(type) {
		case string:
			val.SetString(x)
		case float64:
			val.SetString(strconv.FormatFloat(x, 'f', -1, 64))
		case bool:
			val.SetString(strconv.FormatBool(x))
		default:
			return false
		}
	case reflect.Int:
		switch x := v.(type) {
		case float64:
			val.SetInt(int64(x))
		case int:
			val.SetInt(int64(x))
		case string:
			n, err := strconv.Atoi(x)
			if err != nil {
				return false
			}
			val.SetInt(int64(n))
		default:
			return false
		}
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
			val.SetBool(x)
		case string:
			b, err := strconv.ParseBool(x)
			if err != nil {
				return false
			}
			val.SetBool(b)
		default:
			return false
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			if s, isStr := v.(string); isStr {
				arr = []any{s}
			} else {
				return false
			}
		}
		sl := reflect.MakeSlice(base, 0, len(arr))
		for _, e := range arr {
			s, ok := e.(string)
			if !ok {
				return false
			}
			sl = reflect.Append(sl, reflect.ValueOf(s).Convert(base.Elem()))
		}
		val.Set(sl)
	default:
		return false
	}
	if t.Kind() == reflect.Pointer {
		ptr := reflect.New(base)
		ptr.Elem().Set(val)
		dst.Set(ptr)
	} else {
		dst.Set(val)
	}
	return true
}

func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, k := range parts[:len(parts)-1] {
		sub, ok := m[k].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = v
}

func getPath(m map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	var cur any = m
	for _, k := range parts {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = mm[k]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// rawFromEventData keeps the live values of the keys the user set in eventData (all keys on import); keys
// that look like secrets keep the user's value.
func rawFromEventData(live map[string]any, olds map[string]any, importing bool) map[string]any {
	out := map[string]any{}
	if importing {
		for k, v := range live {
			out[k] = v
		}
		return out
	}
	for k, old := range olds {
		lv, ok := live[k]
		if !ok || secretLike(k) {
			out[k] = old
			continue
		}
		out[k] = lv
	}
	return out
}

func secretLike(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || strings.Contains(k, "secret") || strings.Contains(k, "token")
}

// normJSON normalises a value through JSON, so that 5 and 5.0, []string and []any compare equal.
func normJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

// ---------------------------------------------------------------------------------------------------------
// Check

var (
	timerNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	apigNameRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{2,63}$`)
	apigPathRe  = regexp.MustCompile(`^/[A-Za-z0-9_\-/.{}+%]*$`)
	bucketRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	rateRe      = regexp.MustCompile(`^([1-9][0-9]*)([mhd])$`)
	obsEvents   = []string{"s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
		"s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"}
	reqMethods = []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"}
)

// Check fills the per-type defaults (status, event type code) and rejects what the service would reject, on
// the property at fault.
func (t *Trigger) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TriggerArgs], error) {
	args, failures, err := infer.DefaultCheck[TriggerArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[TriggerArgs]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	typ := string(args.Type)
	typeKnown := c.known("type")
	if typeKnown && !oneOf(typ, triggerTypes...) {
		c.fail("type", "%q is not a trigger type; use one of %s", typ, strings.Join(triggerTypes, ", "))
		typeKnown = false
	}
	if typeKnown {
		if args.Status == nil && !c.unknown("status") {
			s := defaultStatus(typ)
			args.Status = &s
		}
		if args.EventTypeCode == nil && !c.unknown("eventTypeCode") {
			code := defaultEventTypeCode(typ)
			args.EventTypeCode = &code
		}
	}
	args.validate(c, typeKnown)
	return infer.CheckResponse[TriggerArgs]{Inputs: args, Failures: c.failures}, nil
}

func (a *TriggerArgs) validate(c *checker, typeKnown bool) {
	typ := string(a.Type)
	if c.known("functionUrn") {
		if _, err := fgs.ParseURN(a.FunctionURN); err != nil {
			c.fail("functionUrn", "%q is not a function URN: use urn:fss:<region>:<project_id>:function:<app>:<name>, optionally with :<version> or :!<alias>", a.FunctionURN)
		}
	}
	if a.Status != nil && c.known("status") {
		switch {
		case !oneOf(*a.Status, "ACTIVE", "DISABLED"):
			c.fail("status", "%q is not valid: use ACTIVE or DISABLED", *a.Status)
		case *a.Status == "DISABLED" && typeKnown && !oneOf(typ, disableableTypes...):
			c.fail("status", "a %s trigger cannot be disabled: only TIMER, DDS, DMS, KAFKA and LTS triggers can", typ)
		}
	}
	if a.EventTypeCode != nil && c.known("eventTypeCode") && strings.TrimSpace(*a.EventTypeCode) == "" {
		c.fail("eventTypeCode", "must not be empty")
	}

	// Exactly one source of event data, matching the type.
	var set []string
	for _, key := range sortedBlockKeys() {
		if a.block(key) != nil || c.unknown(key) {
			set = append(set, key)
		}
	}
	rawSet := a.EventData != nil || c.unknown("eventData")
	if !typeKnown {
		return
	}
	want, modelled := blockKey[typ]
	for _, key := range set {
		if key != want {
			c.fail(key, "`%s` does not apply to a %s trigger%s", key, typ, hint(typ))
		}
	}
	hasOwn := oneOf(want, set...)
	switch {
	case hasOwn && rawSet:
		c.fail("eventData", "set either `%s` or `eventData`, not both", want)
	case !hasOwn && !rawSet && len(set) == 0:
		if modelled {
			c.fail(want, "a %s trigger needs its event data: set `%s` (or the raw `eventData`)", typ, want)
		} else {
			c.fail("eventData", "a %s trigger needs its event data: set `eventData`", typ)
		}
	}
	if hasOwn && !c.unknown(want) {
		validateBlock(c, want, a.block(want))
	}
}

func hint(typ string) string {
	if key, ok := blockKey[typ]; ok {
		return "; use `" + key + "`"
	}
	return "; use `eventData`"
}

func sortedBlockKeys() []string {
	keys := make([]string, 0, len(blockKey))
	for _, k := range blockKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fieldKnown reports whether block.field is set and known in the raw inputs (unknown values are never flagged).
func fieldKnown(c *checker, block, field string) bool {
	v, ok := c.inputs.GetOk(block)
	if !ok || !v.IsMap() {
		return false
	}
	f, ok := v.AsMap().GetOk(field)
	return ok && !containsUnknowns(f)
}

func validateBlock(c *checker, key string, blk any) {
	path := func(f string) string { return key + "." + f }
	known := func(f string) bool { return fieldKnown(c, key, f) }
	batch := func(v *int) {
		if known("batchSize") {
			c.intRange(path("batchSize"), v, 1, 10000, "the batch size")
		}
	}
	polling := func(unit *string, interval *int) {
		if unit != nil && known("pollingUnit") && !oneOf(*unit, "ms", "s") {
			c.fail(path("pollingUnit"), "%q is not valid: use ms or s", *unit)
		}
		if interval != nil && known("pollingInterval") && *interval < 1 {
			c.fail(path("pollingInterval"), "must be at least 1, not %d", *interval)
		}
	}
	nonEmpty := func(f, v string) {
		if known(f) && strings.TrimSpace(v) == "" {
			c.fail(path(f), "must not be empty")
		}
	}
	switch b := blk.(type) {
	case *TimerEventData:
		if known("name") {
			c.match(path("name"), b.Name, timerNameRe, "use 1 to 64 letters, digits, `_` and `-`, starting with a letter")
		}
		if known("scheduleType") && !oneOf(b.ScheduleType, "Rate", "Cron") {
			c.fail(path("scheduleType"), "%q is not valid: use Rate or Cron", b.ScheduleType)
		} else if known("scheduleType") && known("schedule") {
			if err := validateSchedule(string(b.ScheduleType), b.Schedule); err != nil {
				c.fail(path("schedule"), "%v", err)
			}
		}
	case *ApigEventData:
		nonEmpty("groupId", b.GroupID)
		nonEmpty("envId", b.EnvID)
		if known("name") {
			c.match(path("name"), b.Name, apigNameRe, "use 3 to 64 letters, digits and `_`, starting with a letter")
		}
		if known("path") {
			c.match(path("path"), b.Path, apigPathRe, "start the path with `/` and use letters, digits and `_-/.{}+%`")
		}
		if b.Protocol != nil && known("protocol") && !oneOf(*b.Protocol, "HTTP", "HTTPS") {
			c.fail(path("protocol"), "%q is not valid: use HTTP or HTTPS", *b.Protocol)
		}
		if b.Auth != nil && known("auth") && !oneOf(*b.Auth, "NONE", "IAM", "APP") {
			c.fail(path("auth"), "%q is not valid: use NONE, IAM or APP", *b.Auth)
		}
		if b.ReqMethod != nil && known("reqMethod") && !oneOf(*b.ReqMethod, reqMethods...) {
			c.fail(path("reqMethod"), "%q is not valid: use one of %s", *b.ReqMethod, strings.Join(reqMethods, ", "))
		}
		if b.MatchMode != nil && known("matchMode") && !oneOf(*b.MatchMode, "SWA", "NORMAL") {
			c.fail(path("matchMode"), "%q is not valid: use SWA (prefix) or NORMAL (exact)", *b.MatchMode)
		}
		if known("timeout") {
			c.intRange(path("timeout"), b.Timeout, 1, 60000, "the timeout in milliseconds")
		}
	case *ObsEventData:
		if known("bucket") {
			c.match(path("bucket"), b.Bucket, bucketRe, "use 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit")
		}
		if known("events") {
			if len(b.Events) == 0 {
				c.fail(path("events"), "name at least one event, e.g. s3:ObjectCreated:*")
			}
			for i, e := range b.Events {
				if !oneOf(strings.Replace(e, "OBS:", "s3:", 1), obsEvents...) {
					c.fail(fmt.Sprintf("%s[%d]", path("events"), i), "%q is not an OBS event; use one of %s", e, strings.Join(obsEvents, ", "))
				}
			}
		}
	case *SmnEventData:
		if f := strings.Split(b.TopicURN, ":"); known("topicUrn") && (len(f) != 5 || f[0] != "urn" || f[1] != "smn" || f[2] == "" || f[3] == "" || f[4] == "") {
			c.fail(path("topicUrn"), "%q is not an SMN topic URN: use urn:smn:<region>:<project_id>:<topic>", b.TopicURN)
		}
	case *KafkaEventData:
		nonEmpty("instanceId", b.InstanceID)
		if known("topicIds") && len(b.TopicIDs) == 0 {
			c.fail(path("topicIds"), "name at least one topic")
		}
		if known("batchSize") {
			c.intRange(path("batchSize"), b.BatchSize, 1, 1000, "the batch size")
		}
		if b.SslEnable != nil && *b.SslEnable && known("sslEnable") && (b.User == nil || b.Password == nil) &&
			!c.unknown(key) {
			c.fail(path("sslEnable"), "SASL_SSL needs `user` and `password`")
		}
		if (b.User == nil) != (b.Password == nil) && !c.unknown(key) {
			c.fail(path("password"), "set `user` and `password` together")
		}
	case *DmsEventData:
		nonEmpty("instanceId", b.InstanceID)
		batch(b.BatchSize)
		polling(b.PollingUnit, b.PollingInterval)
		if (b.User == nil) != (b.Password == nil) && !c.unknown(key) {
			c.fail(path("password"), "set `user` and `password` together")
		}
	case *DisEventData:
		nonEmpty("streamName", b.StreamName)
		if b.StartingPosition != nil && known("startingPosition") && !oneOf(*b.StartingPosition, "TRIM_HORIZON", "LATEST") {
			c.fail(path("startingPosition"), "%q is not valid: use TRIM_HORIZON or LATEST", *b.StartingPosition)
		}
		batch(b.BatchSize)
		polling(b.PollingUnit, b.PollingInterval)
		if b.MaxFetchBytes != nil && known("maxFetchBytes") && *b.MaxFetchBytes < 1 {
			c.fail(path("maxFetchBytes"), "must be at least 1, not %d", *b.MaxFetchBytes)
		}
	case *LtsEventData:
		nonEmpty("logGroupId", b.LogGroupID)
		nonEmpty("logTopicId", b.LogTopicID)
	case *CtsEventData:
		if known("name") {
			c.match(path("name"), b.Name, timerNameRe, "use 1 to 64 letters, digits, `_` and `-`, starting with a letter")
		}
		if known("operations") && len(b.Operations) == 0 {
			c.fail(path("operations"), "name at least one operation, e.g. ECS:ecs:createServer")
		}
	case *DdsEventData:
		nonEmpty("instanceId", b.InstanceID)
		nonEmpty("dbName", b.DBName)
		nonEmpty("collectionName", b.CollectionName)
		batch(b.BatchSize)
	}
}

// validateSchedule checks a timer schedule as the service documents it: a Rate of 1-60 minutes, 1-24 hours
// or 1-30 days; a Cron of "@every <duration>" or "sec min hour day-of-month month [day-of-week]".
func validateSchedule(kind, s string) error {
	if kind == "Rate" {
		m := rateRe.FindStringSubmatch(s)
		if m == nil {
			return fmt.Errorf("%q is not a rate: use a number and m, h or d, e.g. 3m, 2h, 1d", s)
		}
		n, _ := strconv.Atoi(m[1])
		max := map[string]int{"m": 60, "h": 24, "d": 30}[m[2]]
		if n > max {
			return fmt.Errorf("%q is out of range: rates go from 1 to 60 minutes, 1 to 24 hours or 1 to 30 days", s)
		}
		return nil
	}
	if rest, ok := strings.CutPrefix(s, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not valid: use @every with a positive duration, e.g. @every 30m or @every 2h30m", s)
		}
		return nil
	}
	return validateCron(s)
}

type cronField struct {
	name     string
	min, max int
	names    []string // names for min..max, if any
	question bool     // `?` allowed
}

var cronFields = []cronField{
	{name: "second", min: 0, max: 59},
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31, question: true},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", min: 0, max: 6, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, question: true},
}

func validateCron(s string) error {
	fields := strings.Fields(s)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "CRON_TZ=") {
		if _, err := time.LoadLocation(strings.TrimPrefix(fields[0], "CRON_TZ=")); err != nil || fields[0] == "CRON_TZ=" {
			return fmt.Errorf("%q: %s is not a time zone name such as CRON_TZ=Europe/Berlin", s, fields[0])
		}
		fields = fields[1:]
	}
	if len(fields) != 5 && len(fields) != 6 {
		return fmt.Errorf("%q is not a cron expression: use `second minute hour day-of-month month [day-of-week]` (e.g. `0 30 8 * * MON-FRI`) or `@every 30m`", s)
	}
	for i, f := range fields {
		if err := cronFields[i].check(f); err != nil {
			return fmt.Errorf("%q: the %s field %v", s, cronFields[i].name, err)
		}
	}
	return nil
}

func (cf cronField) value(s string) (int, error) {
	for i, n := range cf.names {
		if strings.EqualFold(s, n) {
			return cf.min + i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < cf.min || n > cf.max {
		return 0, fmt.Errorf("%q is not between %d and %d", s, cf.min, cf.max)
	}
	return n, nil
}

func (cf cronField) check(field string) error {
	for _, part := range strings.Split(field, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return fmt.Errorf("has a bad step %q", step)
			}
		}
		switch {
		case rng == "*":
		case rng == "?" && cf.question && !hasStep:
		default:
			lo, hi, isRange := strings.Cut(rng, "-")
			a, err := cf.value(lo)
			if err != nil {
				return err
			}
			if isRange {
				b, err := cf.value(hi)
				if err != nil {
					return err
				}
				if b < a {
					return fmt.Errorf("has a backward range %q", rng)
				}
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------------------------------------------------
// Diff

var triggerReplaceKeys = []string{"functionUrn", "type", "eventTypeCode"}

// Diff replaces the trigger for a new function, type or event data, and updates status and the pull-tuning
// keys in place. Event data is compared by the keys the user set, by value.
func (t *Trigger) Diff(ctx context.Context, req infer.DiffRequest[TriggerArgs, TriggerState]) (infer.DiffResponse, error) {
	olds, news := req.State.TriggerArgs, req.Inputs
	skip := map[string]bool{"status": true, "eventData": true}
	for _, k := range blockKey {
		skip[k] = true
	}
	diff := diffInputs(olds, news, triggerReplaceKeys, skip)
	if news.Status != nil && (olds.Status == nil || *olds.Status != *news.Status) {
		diff["status"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	for _, key := range sortedBlockKeys() {
		for path, d := range blockDiff(key, olds.block(key), news.block(key)) {
			diff[path] = d
		}
	}
	for path, d := range rawDiff(olds.EventData, news.EventData) {
		diff[path] = d
	}
	resp := infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}
	for _, d := range diff {
		if strings.HasSuffix(string(d.Kind), "replace") {
			// The service refuses a second trigger with the same name, path or bucket events: delete first.
			resp.DeleteBeforeReplace = true
		}
	}
	return resp, nil
}

// blockDiff compares two blocks by API key; a change of a pull-tuning key is an update, any other a replace.
func blockDiff(key string, olds, news any) map[string]p.PropertyDiff {
	out := map[string]p.PropertyDiff{}
	switch {
	case olds == nil && news == nil:
		return out
	case olds == nil:
		out[key] = p.PropertyDiff{Kind: p.AddReplace, InputDiff: true}
		return out
	case news == nil:
		out[key] = p.PropertyDiff{Kind: p.DeleteReplace, InputDiff: true}
		return out
	}
	ov, nv := reflect.ValueOf(olds).Elem(), reflect.ValueOf(news).Elem()
	for _, f := range eventFields(nv.Type()) {
		o, n := ov.Field(f.index), nv.Field(f.index)
		if equalInput(o, n) || reflect.DeepEqual(normJSON(o.Interface()), normJSON(n.Interface())) {
			continue
		}
		out[key+"."+f.name] = p.PropertyDiff{Kind: changeKind(!isEmpty(o), !isEmpty(n), !pullTuningKeys[f.key]), InputDiff: true}
	}
	return out
}

// rawDiff compares eventData objects key by key, by JSON value.
func rawDiff(olds, news map[string]any) map[string]p.PropertyDiff {
	out := map[string]p.PropertyDiff{}
	keys := map[string]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	for k := range keys {
		o, hadOld := olds[k]
		n, hasNew := news[k]
		if hadOld && hasNew && reflect.DeepEqual(normJSON(o), normJSON(n)) {
			continue
		}
		out["eventData."+k] = p.PropertyDiff{Kind: changeKind(hadOld, hasNew, !pullTuningKeys[k]), InputDiff: true}
	}
	return out
}

// WireDependencies keeps the trigger's identity known in the preview of an in-place update (a status or
// pull-tuning change), so that nothing downstream looks replaced.
func (t *Trigger) WireDependencies(f infer.FieldSelector, args *TriggerArgs, state *TriggerState) {
	urn, typ := f.InputField(&args.FunctionURN).Computed(), f.InputField(&args.Type).Computed()
	f.OutputField(&state.TriggerID).DependsOn(urn, typ)
	f.OutputField(&state.CreatedTime).DependsOn(urn, typ)
	f.OutputField(&state.InvokeURL).DependsOn(urn, typ, f.InputField(&args.Apig).Computed())
	f.OutputField(&state.LastUpdatedTime).DependsOn(f.InputField(args).Computed())
}

// ---------------------------------------------------------------------------------------------------------
// Create / Read / Update / Delete

func triggerID(urn, typ, id string) string { return urn + "/" + typ + "/" + id }

// parseTriggerID splits `{functionUrn}/{type}/{triggerId}` (the URN has no `/`).
func parseTriggerID(id string) (urn, typ, tid string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", fmt.Errorf("%q is not a trigger ID: use <functionUrn>/<type>/<triggerId>", id)
	}
	return parts[0], parts[1], parts[2], nil
}

func (s *TriggerState) setOutputs(tr *fgs.Trigger) {
	s.TriggerID = tr.TriggerID
	s.CreatedTime = tr.CreatedTime.String()
	s.LastUpdatedTime = tr.LastUpdatedTime.String()
	if tr.TriggerStatus != "" {
		st := TriggerStatus(tr.TriggerStatus)
		s.Status = &st
	}
	s.InvokeURL = nil
	if u, ok := tr.EventData["invoke_url"].(string); ok && u != "" {
		s.InvokeURL = &u
	}
}

// Create posts the trigger (201).
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
	body := &fgs.CreateTriggerRequest{
		TriggerTypeCode: string(args.Type),
		TriggerStatus:   string(deref(args.Status)),
		EventTypeCode:   deref(args.EventTypeCode),
		EventData:       createEventData(args),
	}
	tr, err := client.Triggers.Create(ctx, args.FunctionURN, body)
	if err != nil {
		return infer.CreateResponse[TriggerState]{}, fmt.Errorf("creating a %s trigger on %s: %w", args.Type, args.FunctionURN, err)
	}
	state.setOutputs(tr)
	if args.Status != nil && tr.TriggerStatus != "" && string(*args.Status) != tr.TriggerStatus {
		// The service kept its default: ask again, as an update.
		if up, err := client.Triggers.Update(ctx, args.FunctionURN, string(args.Type), tr.TriggerID,
			&fgs.UpdateTriggerRequest{TriggerStatus: string(*args.Status)}); err == nil {
			state.setOutputs(up)
		}
	}
	return infer.CreateResponse[TriggerState]{ID: triggerID(args.FunctionURN, string(args.Type), tr.TriggerID), Output: state}, nil
}

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

// readTriggerInputs rebuilds the inputs from the live trigger: the status, and the event data keys the user set.
func readTriggerInputs(olds TriggerArgs, urn, typ string, tr *fgs.Trigger, importing bool) TriggerArgs {
	in := olds
	in.FunctionURN, in.Type = urn, TriggerType(typ)
	if tr.TriggerStatus != "" {
		st := TriggerStatus(tr.TriggerStatus)
		in.Status = &st
	}
	if tr.EventTypeCode != "" && (importing || in.EventTypeCode == nil) {
		code := tr.EventTypeCode
		in.EventTypeCode = &code
	} else if importing {
		code := defaultEventTypeCode(typ)
		in.EventTypeCode = &code
	}
	live := tr.EventData
	if live == nil {
		live = map[string]any{}
	}
	key, modelled := blockKey[typ]
	switch {
	case olds.EventData != nil:
		in.EventData = rawFromEventData(live, olds.EventData, false)
	case modelled && (importing || olds.block(key) != nil):
		in.setBlock(key, blockFromEventData(key, live, olds.block(key)))
	case importing:
		in.EventData = rawFromEventData(live, nil, true)
	}
	return in
}

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
	body := &fgs.UpdateTriggerRequest{}
	if news.Status != nil && (olds.Status == nil || *olds.Status != *news.Status) {
		body.TriggerStatus = string(*news.Status)
	}
	if tuning := changedTuning(olds, news); len(tuning) > 0 {
		// The whole event_data object, as OTC's own tooling sends it: the service replaces the stored data with it.
		body.EventData = createEventData(news)
		if body.TriggerStatus == "" && state.Status != nil {
			body.TriggerStatus = string(*state.Status)
		}
	}
	if body.TriggerStatus == "" && body.EventData == nil {
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

// changedTuning returns the pull-tuning keys whose value changed, with their new values.
func changedTuning(olds, news TriggerArgs) map[string]any {
	o, n := olds.EventData, news.EventData
	if key := blockKey[string(news.Type)]; news.EventData == nil && news.block(key) != nil {
		n = eventDataOf(news.block(key))
		if blk := olds.block(key); blk != nil {
			o = eventDataOf(blk)
		}
	}
	// A removed key counts too: the update sends the whole event data without it, and the service drops it.
	out := map[string]any{}
	for k := range pullTuningKeys {
		nv, inNew := n[k]
		ov, inOld := o[k]
		if inNew != inOld || (inNew && !reflect.DeepEqual(normJSON(ov), normJSON(nv))) {
			out[k] = nv
		}
	}
	return out
}

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
