package provider

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The Check rules of a Trigger: what the service would reject, reported on the property at fault before any
// API call. A value still unknown (preview) is never reported.

var triggerTypes = []string{"TIMER", "APIG", "CTS", "DDS", "DMS", "DIS", "LTS", "OBS", "SMN", "KAFKA", "RABBITMQ",
	"DEDICATEDGATEWAY", "OPENSOURCEKAFKA", "APIC", "GAUSSMONGO", "EVENTGRID", "IOTDA"}

// disableableTypes are the types that can be DISABLED (002 L8943).
var disableableTypes = []string{"TIMER", "DDS", "DMS", "KAFKA", "LTS"}

var (
	timerNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	apigNameRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{2,63}$`)
	apigPathRe  = regexp.MustCompile(`^/[A-Za-z0-9_\-/.{}+%]*$`)
	bucketRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	obsEvents   = []string{"s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
		"s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"}
	reqMethods = []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"}
)

// checkTriggerArgs fills the per-type defaults (status, event type code) and checks the inputs.
func checkTriggerArgs(c *checker, a *TriggerArgs) {
	typ := string(a.Type)
	typeKnown := c.known("type")
	if typeKnown && !oneOf(typ, triggerTypes...) {
		c.fail("type", "%q is not a trigger type; use one of %s", typ, strings.Join(triggerTypes, ", "))
		typeKnown = false
	}
	if typeKnown {
		if a.Status == nil && !c.unknown("status") {
			s := defaultStatus(typ)
			a.Status = &s
		}
		if a.EventTypeCode == nil && !c.unknown("eventTypeCode") {
			code := defaultEventTypeCode(typ)
			a.EventTypeCode = &code
		}
	}
	checkTriggerFields(c, a, typeKnown)
	if typeKnown {
		checkEventSource(c, a)
	}
}

func checkTriggerFields(c *checker, a *TriggerArgs, typeKnown bool) {
	if c.known("functionUrn") {
		if _, err := fgs.ParseURN(a.FunctionURN); err != nil {
			c.fail("functionUrn", "%q is not a function URN: use urn:fss:<region>:<project_id>:function:<app>:<name>, optionally with :<version> or :!<alias>", a.FunctionURN)
		}
	}
	if a.Status != nil && c.known("status") {
		switch {
		case !oneOf(*a.Status, "ACTIVE", "DISABLED"):
			c.fail("status", "%q is not valid: use ACTIVE or DISABLED", *a.Status)
		case *a.Status == "DISABLED" && typeKnown && !oneOf(string(a.Type), disableableTypes...):
			c.fail("status", "a %s trigger cannot be disabled: only TIMER, DDS, DMS, KAFKA and LTS triggers can", a.Type)
		}
	}
	if a.EventTypeCode != nil && c.known("eventTypeCode") && strings.TrimSpace(*a.EventTypeCode) == "" {
		c.fail("eventTypeCode", "must not be empty")
	}
}

// checkEventSource wants exactly one source of event data, matching the type, and checks the type's block.
func checkEventSource(c *checker, a *TriggerArgs) {
	typ := string(a.Type)
	var set []string
	for _, b := range blocksByKey {
		if b.get(a) != nil || c.unknown(b.key) {
			set = append(set, b.key)
		}
	}
	rawSet := a.EventData != nil || c.unknown("eventData")
	own := eventBlocks[typ]
	want, hint := "", "; use `eventData`"
	if own != nil {
		want, hint = own.key, "; use `"+own.key+"`"
	}
	for _, key := range set {
		if key != want {
			c.fail(key, "`%s` does not apply to a %s trigger%s", key, typ, hint)
		}
	}
	hasOwn := own != nil && oneOf(want, set...)
	switch {
	case hasOwn && rawSet:
		c.fail("eventData", "set either `%s` or `eventData`, not both", want)
	case !hasOwn && !rawSet && len(set) == 0 && own != nil:
		c.fail(want, "a %s trigger needs its event data: set `%s` (or the raw `eventData`)", typ, want)
	case !hasOwn && !rawSet && len(set) == 0:
		c.fail("eventData", "a %s trigger needs its event data: set `eventData`", typ)
	}
	if hasOwn && !c.unknown(want) {
		own.check(blockCheck{c: c, key: want}, own.get(a))
	}
}

// blockCheck checks the fields of one typed block, on paths under the block's key. Each rule applies only
// when the field is set and known.
type blockCheck struct {
	c   *checker
	key string
}

func (b blockCheck) fail(field, format string, args ...any) {
	b.c.fail(b.key+"."+field, format, args...)
}

// known reports whether the field is set and known in the raw inputs.
func (b blockCheck) known(field string) bool {
	v, ok := b.c.inputs.GetOk(b.key)
	if !ok || !v.IsMap() {
		return false
	}
	f, ok := v.AsMap().GetOk(field)
	return ok && !containsUnknowns(f)
}

// blockKnown reports whether the whole block is known, for the rules across fields.
func (b blockCheck) blockKnown() bool { return !b.c.unknown(b.key) }

func (b blockCheck) nonEmpty(field, v string) {
	if b.known(field) && strings.TrimSpace(v) == "" {
		b.fail(field, "must not be empty")
	}
}

func (b blockCheck) match(field, v string, re *regexp.Regexp, rule string) {
	if b.known(field) && !re.MatchString(v) {
		b.fail(field, "%q is not valid: %s", v, rule)
	}
}

func (b blockCheck) intRange(field string, v *int, min, max int, what string) {
	if b.known(field) {
		b.c.intRange(b.key+"."+field, v, min, max, what)
	}
}

func (b blockCheck) atLeastOne(field string, v *int) {
	if v != nil && b.known(field) && *v < 1 {
		b.fail(field, "must be at least 1, not %d", *v)
	}
}

// enum fails when v is set and known and not one of values; rule says what to use.
func (b blockCheck) enum(field string, v *string, rule string, values ...string) {
	if v != nil && b.known(field) && !oneOf(*v, values...) {
		b.fail(field, "%q is not valid: %s", *v, rule)
	}
}

func (b blockCheck) polling(unit *string, interval *int) {
	b.enum("pollingUnit", unit, "use ms or s", "ms", "s")
	b.atLeastOne("pollingInterval", interval)
}

// credentials wants a user and a password together.
func (b blockCheck) credentials(user, password *string) {
	if (user == nil) != (password == nil) && b.blockKnown() {
		b.fail("password", "set `user` and `password` together")
	}
}

func checkTimer(b blockCheck, d *TimerEventData) {
	b.match("name", d.Name, timerNameRe, "use 1 to 64 letters, digits, `_` and `-`, starting with a letter")
	switch {
	case b.known("scheduleType") && !oneOf(d.ScheduleType, "Rate", "Cron"):
		b.fail("scheduleType", "%q is not valid: use Rate or Cron", d.ScheduleType)
	case b.known("scheduleType") && b.known("schedule"):
		if err := validateSchedule(string(d.ScheduleType), d.Schedule); err != nil {
			b.fail("schedule", "%v", err)
		}
	}
}

func checkApig(b blockCheck, d *ApigEventData) {
	b.nonEmpty("groupId", d.GroupID)
	b.nonEmpty("envId", d.EnvID)
	b.match("name", d.Name, apigNameRe, "use 3 to 64 letters, digits and `_`, starting with a letter")
	b.match("path", d.Path, apigPathRe, "start the path with `/` and use letters, digits and `_-/.{}+%`")
	b.enum("protocol", d.Protocol, "use HTTP or HTTPS", "HTTP", "HTTPS")
	b.enum("auth", d.Auth, "use NONE, IAM or APP", "NONE", "IAM", "APP")
	b.enum("reqMethod", d.ReqMethod, "use one of "+strings.Join(reqMethods, ", "), reqMethods...)
	b.enum("matchMode", d.MatchMode, "use SWA (prefix) or NORMAL (exact)", "SWA", "NORMAL")
	b.intRange("timeout", d.Timeout, 1, 60000, "the timeout in milliseconds")
}

func checkObs(b blockCheck, d *ObsEventData) {
	b.match("bucket", d.Bucket, bucketRe, "use 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit")
	if !b.known("events") {
		return
	}
	if len(d.Events) == 0 {
		b.fail("events", "name at least one event, e.g. s3:ObjectCreated:*")
	}
	for i, e := range d.Events {
		if !oneOf(strings.Replace(e, "OBS:", "s3:", 1), obsEvents...) {
			b.fail(fmt.Sprintf("events[%d]", i), "%q is not an OBS event; use one of %s", e, strings.Join(obsEvents, ", "))
		}
	}
}

func checkSmn(b blockCheck, d *SmnEventData) {
	f := strings.Split(d.TopicURN, ":")
	if b.known("topicUrn") && (len(f) != 5 || f[0] != "urn" || f[1] != "smn" || f[2] == "" || f[3] == "" || f[4] == "") {
		b.fail("topicUrn", "%q is not an SMN topic URN: use urn:smn:<region>:<project_id>:<topic>", d.TopicURN)
	}
}

func checkKafka(b blockCheck, d *KafkaEventData) {
	b.nonEmpty("instanceId", d.InstanceID)
	if b.known("topicIds") && len(d.TopicIDs) == 0 {
		b.fail("topicIds", "name at least one topic")
	}
	b.intRange("batchSize", d.BatchSize, 1, 1000, "the batch size")
	if d.SslEnable != nil && *d.SslEnable && b.known("sslEnable") && (d.User == nil || d.Password == nil) && b.blockKnown() {
		b.fail("sslEnable", "SASL_SSL needs `user` and `password`")
	}
	b.credentials(d.User, d.Password)
}

func checkDms(b blockCheck, d *DmsEventData) {
	b.nonEmpty("instanceId", d.InstanceID)
	b.intRange("batchSize", d.BatchSize, 1, 10000, "the batch size")
	b.polling(d.PollingUnit, d.PollingInterval)
	b.credentials(d.User, d.Password)
}

func checkDis(b blockCheck, d *DisEventData) {
	b.nonEmpty("streamName", d.StreamName)
	b.enum("startingPosition", d.StartingPosition, "use TRIM_HORIZON or LATEST", "TRIM_HORIZON", "LATEST")
	b.intRange("batchSize", d.BatchSize, 1, 10000, "the batch size")
	b.polling(d.PollingUnit, d.PollingInterval)
	b.atLeastOne("maxFetchBytes", d.MaxFetchBytes)
}

func checkLts(b blockCheck, d *LtsEventData) {
	b.nonEmpty("logGroupId", d.LogGroupID)
	b.nonEmpty("logTopicId", d.LogTopicID)
}

func checkCts(b blockCheck, d *CtsEventData) {
	b.match("name", d.Name, timerNameRe, "use 1 to 64 letters, digits, `_` and `-`, starting with a letter")
	if b.known("operations") && len(d.Operations) == 0 {
		b.fail("operations", "name at least one operation, e.g. ECS:ecs:createServer")
	}
}

func checkDds(b blockCheck, d *DdsEventData) {
	b.nonEmpty("instanceId", d.InstanceID)
	b.nonEmpty("dbName", d.DBName)
	b.nonEmpty("collectionName", d.CollectionName)
	b.intRange("batchSize", d.BatchSize, 1, 10000, "the batch size")
}
