package emulator

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var triggerTypes = map[string]bool{
	"TIMER": true, "APIG": true, "CTS": true, "DDS": true, "DMS": true, "DIS": true, "LTS": true, "OBS": true,
	"SMN": true, "KAFKA": true, "RABBITMQ": true, "DEDICATEDGATEWAY": true, "OPENSOURCEKAFKA": true,
	"APIC": true, "GAUSSMONGO": true, "EVENTGRID": true, "IOTDA": true,
}

// Only these can be DISABLED (§5.12.3); KAFKA and DDS start DISABLED (§5.12.3).
var disableable = map[string]bool{"TIMER": true, "DDS": true, "DMS": true, "KAFKA": true, "LTS": true}

var notFoundTrigger = map[string]string{"SMN": "FSS.1132", "OBS": "FSS.1136", "APIG": "FSS.1138", "TIMER": "FSS.1140", "KAFKA": "FSS.1174"}

var (
	triggerNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	rateRe        = regexp.MustCompile(`^([1-9][0-9]*)([mhd])$`)
	bucketRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	apigPathRe    = regexp.MustCompile(`^/[A-Za-z0-9_\-/.{}+%]*$`)
)

// renderTrigger: the response tables (e.g. Table 5-513) and every example (§4.1,
// §5.12.3) carry no event_type_code, although the model (§1.6.2) does; it is stored, not returned.
func (e *Emulator) renderTrigger(tr *trigger) map[string]any {
	return map[string]any{
		"trigger_id":        tr.ID,
		"trigger_type_code": tr.TypeCode,
		"trigger_status":    tr.Status,
		"event_data":        tr.EventData,
		"last_updated_time": tr.Updated.UTC().Format(fgsTime),
		"created_time":      tr.Created.UTC().Format(fgsTime),
	}
}

func sget(m map[string]any, k string) (string, bool) {
	v, ok := m[k].(string)
	return v, ok && v != ""
}

// validateEventData checks the per-type event_data (§1.6.2 and §5.12.3) and returns the stored form.
func (e *Emulator) validateEventData(f *function, t *target, typ string, ed map[string]any, self *trigger) *apiError {
	bad := func(code, msg string) *apiError { return errf(400, code, "%s", msg) }
	switch typ {
	case "TIMER":
		name, ok := sget(ed, "name")
		if !ok || !triggerNameRe.MatchString(name) || len(name) > 64 {
			return bad("FSS.1109", "Invalid timer trigger parameters: name must start with a letter and contain only letters, digits, - and _ (max 64).")
		}
		st, _ := ed["schedule_type"].(string)
		sc, _ := ed["schedule"].(string)
		switch st {
		case "Rate":
			m := rateRe.FindStringSubmatch(sc)
			if m == nil {
				return bad("FSS.1109", "Invalid timer trigger parameters: a Rate schedule is <n>m, <n>h or <n>d.")
			}
			n, _ := strconv.Atoi(m[1])
			limit := map[string]int{"m": 60, "h": 24, "d": 30}[m[2]]
			if n > limit {
				return bad("FSS.1109", "Invalid timer trigger parameters: rate out of range (1-60m, 1-24h, 1-30d).")
			}
		case "Cron":
			if !validCron(sc) {
				return bad("FSS.1109", "Invalid timer trigger parameters: a Cron schedule is \"@every <duration>\" or \"[CRON_TZ=<zone>] second minute hour day-of-month month [day-of-week]\".")
			}
		default:
			return bad("FSS.1109", "Invalid timer trigger parameters: schedule_type must be Rate or Cron.")
		}
		if ue, ok := ed["user_event"]; ok {
			if _, isStr := ue.(string); !isStr {
				return bad("FSS.1109", "Invalid timer trigger parameters: user_event must be a string.")
			}
		}
		for _, o := range f.Triggers {
			if o != self && o.TypeCode == "TIMER" && o.EventData["name"] == name {
				return errf(409, "FSS.1148", "The timer trigger already exists.")
			}
		}
	case "OBS":
		b, _ := ed["bucket"].(string)
		if !bucketRe.MatchString(b) {
			return bad("FSS.1106", "Invalid OBS trigger parameters: bucket is mandatory and must be a valid bucket name.")
		}
		evs, ok := ed["events"].([]any)
		if !ok || len(evs) == 0 {
			return bad("FSS.1106", "Invalid OBS trigger parameters: events must be a non-empty array.")
		}
		for _, ev := range evs {
			s, ok := ev.(string)
			if !ok || !(strings.HasPrefix(s, "s3:") || strings.HasPrefix(s, "OBS:")) {
				return bad("FSS.1106", "Invalid OBS trigger parameters: events are names like s3:ObjectCreated:Put.")
			}
		}
		for _, g := range e.st.Functions {
			for _, o := range g.Triggers {
				if o == self || o.TypeCode != "OBS" || o.EventData["bucket"] != b {
					continue
				}
				if o.EventData["prefix"] == ed["prefix"] && o.EventData["suffix"] == ed["suffix"] && overlap(o.EventData["events"], evs) {
					return errf(403, "FSS.1108", "The bucket configuration of the current trigger conflicts with that of an existing OBS trigger.")
				}
			}
		}
	case "SMN":
		tu, _ := ed["topic_urn"].(string)
		if !strings.HasPrefix(tu, "urn:smn:") || len(strings.Split(tu, ":")) != 5 {
			return bad("FSS.1102", "Invalid SMN trigger parameters: topic_urn must be urn:smn:<region>:<project>:<topic>.")
		}
		for _, o := range f.Triggers {
			if o != self && o.TypeCode == "SMN" && o.EventData["topic_urn"] == tu && o.Qualifier == t.qualKey() {
				return errf(409, "FSS.1141", "The SMN trigger already exists.")
			}
		}
	case "APIG":
		for _, k := range []string{"group_id", "env_id", "name", "path"} {
			if _, ok := sget(ed, k); !ok {
				return bad("FSS.1107", "Invalid APIG trigger parameters: "+k+" is mandatory.")
			}
		}
		if a, _ := ed["auth"].(string); a != "NONE" && a != "IAM" && a != "APP" {
			return bad("FSS.1107", "Invalid APIG trigger parameters: auth must be NONE, IAM or APP.")
		}
		if p, _ := ed["protocol"].(string); p != "HTTP" && p != "HTTPS" {
			return bad("FSS.1107", "Invalid APIG trigger parameters: protocol must be HTTP or HTTPS.")
		}
		p, _ := ed["path"].(string)
		if !apigPathRe.MatchString(p) {
			return bad("FSS.1107", "Invalid APIG trigger parameters: path must start with /.")
		}
		if m, ok := ed["req_method"]; ok {
			switch m {
			case "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY":
			default:
				return bad("FSS.1107", "Invalid APIG trigger parameters: req_method.")
			}
		}
		for _, g := range e.st.Functions {
			for _, o := range g.Triggers {
				if o != self && o.TypeCode == "APIG" && o.EventData["group_id"] == ed["group_id"] && o.EventData["path"] == p &&
					reqMethod(o.EventData) == reqMethod(ed) {
					return errf(409, "FSS.1147", "The request path already exists.")
				}
			}
		}
	case "KAFKA":
		if _, ok := sget(ed, "instance_id"); !ok {
			return bad("FSS.1112", "The Kafka trigger parameters are invalid: instance_id is mandatory.")
		}
		topics, ok := ed["topic_ids"].([]any)
		if !ok || len(topics) == 0 {
			return bad("FSS.1112", "The Kafka trigger parameters are invalid: topic_ids must be a non-empty array.")
		}
		if bs, ok := ed["batch_size"]; ok {
			n, isNum := bs.(float64)
			if !isNum || n < 1 || n > 1000 || n != float64(int(n)) {
				return bad("FSS.1112", "The Kafka trigger parameters are invalid: batch_size must be 1-1000.")
			}
		}
		if ssl, _ := ed["kafka_ssl_enable"].(bool); ssl {
			if _, u := sget(ed, "kafka_user"); !u {
				return bad("FSS.1113", "The username and password must be specified because Kafka SASL_SSL is enabled.")
			}
			if _, pw := sget(ed, "kafka_password"); !pw {
				return bad("FSS.1113", "The username and password must be specified because Kafka SASL_SSL is enabled.")
			}
		}
		for _, o := range f.Triggers {
			if o != self && o.TypeCode == "KAFKA" && o.EventData["instance_id"] == ed["instance_id"] && overlap(o.EventData["topic_ids"], topics) {
				return errf(409, "FSS.1150", "The Kafka trigger already exists.")
			}
		}
	case "DIS":
		if _, ok := sget(ed, "stream_name"); !ok {
			return bad("FSS.0400", "Invalid parameter: DIS event_data needs stream_name.")
		}
	case "LTS":
		for _, k := range []string{"log_group_id", "log_topic_id"} {
			if _, ok := sget(ed, k); !ok {
				return bad("FSS.0400", "Invalid parameter: LTS event_data needs "+k+".")
			}
		}
	case "DDS":
		for _, k := range []string{"instance_id", "db_name", "collection_name"} {
			if _, ok := sget(ed, k); !ok {
				return bad("FSS.0400", "Invalid parameter: DDS event_data needs "+k+".")
			}
		}
		if t.ver.Conf.FuncVpc == nil {
			return bad("FSS.0400", "Invalid parameter: a DDS trigger needs a function with a VPC configured.")
		}
	case "DMS":
		if _, ok := sget(ed, "queue_id"); !ok {
			if _, ok := sget(ed, "instance_id"); !ok {
				return bad("FSS.0400", "Invalid parameter: DMS event_data needs queue_id or instance_id.")
			}
		}
	case "CTS":
		if _, ok := sget(ed, "name"); !ok {
			return bad("FSS.0400", "Invalid parameter: CTS event_data needs name.")
		}
	}
	return nil
}

func reqMethod(m map[string]any) string {
	if s, ok := m["req_method"].(string); ok && s != "" {
		return s
	}
	return "ANY"
}

func overlap(a any, b []any) bool {
	as, _ := a.([]any)
	for _, x := range as {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// enrich adds the fields the service computes (APIG: api_id, invoke_url, func_info, ...).
func (e *Emulator) enrich(f *function, t *target, tr *trigger) {
	if tr.TypeCode != "APIG" {
		return
	}
	ed := tr.EventData
	if _, ok := ed["api_id"]; !ok {
		ed["api_id"] = randHex(16)
	}
	ed["api_name"] = ed["name"]
	gid, _ := ed["group_id"].(string)
	if _, ok := ed["group_name"]; !ok {
		ed["group_name"] = "APIGroup_" + gid[:min(8, len(gid))]
	}
	if _, ok := ed["match_mode"]; !ok {
		ed["match_mode"] = "SWA"
	}
	if _, ok := ed["req_method"]; !ok {
		ed["req_method"] = "ANY"
	}
	if _, ok := ed["type"]; !ok {
		ed["type"] = 1
	}
	host, _ := ed["sl_domain"].(string)
	if host == "" {
		host = gid + ".apig." + e.cfg.Region + ".otc.t-systems.com"
	}
	ed["invoke_url"] = strings.ToLower(ed["protocol"].(string)) + "://" + host + ed["path"].(string)
	fi, _ := ed["func_info"].(map[string]any)
	if fi == nil {
		fi = map[string]any{}
	}
	if _, ok := fi["timeout"]; !ok {
		fi["timeout"] = 5000
	}
	fi["function_urn"] = e.funcURN(f.Package, f.Name)
	fi["invocation_type"] = "sync"
	fi["version"] = strings.TrimPrefix(tr.Qualifier, "!")
	ed["func_info"] = fi
	ed["triggerid"] = tr.ID
}

func cloneMap(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

const maxTriggers = 20

func (e *Emulator) createTrigger(c *reqCtx) {
	var in struct {
		TypeCode      *string        `json:"trigger_type_code"`
		Status        *string        `json:"trigger_status"`
		EventTypeCode *string        `json:"event_type_code"`
		EventData     map[string]any `json:"event_data"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	f := t.fn
	if in.TypeCode == nil || !triggerTypes[*in.TypeCode] {
		c.fail(errf(400, "FSS.1101", "Invalid trigger type: %q", str(in.TypeCode)))
		return
	}
	typ := *in.TypeCode
	if in.EventData == nil {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: event_data is mandatory."))
		return
	}
	status := "ACTIVE"
	if typ == "KAFKA" || typ == "DDS" {
		status = "DISABLED"
	}
	if in.Status != nil && *in.Status != "" {
		switch *in.Status {
		case "ACTIVE", "DISABLED":
		default:
			c.fail(errf(400, "FSS.0400", "Invalid parameter: trigger_status must be ACTIVE or DISABLED."))
			return
		}
		if *in.Status == "DISABLED" && !disableable[typ] {
			c.fail(errf(400, "FSS.1318", "Invalid trigger operation: %s triggers cannot be disabled.", typ))
			return
		}
		status = *in.Status
	}
	ed := cloneMap(in.EventData)
	if aerr := e.validateEventData(f, t, typ, ed, nil); aerr != nil {
		c.fail(aerr)
		return
	}
	if len(f.Triggers) >= maxTriggers {
		c.fail(errf(400, "FSS.1306", "The number of triggers exceeds the maximum allowed limit (%d).", maxTriggers))
		return
	}
	now := e.now()
	id := uuid()
	if typ == "APIG" {
		id = randHex(16) // 32 hex characters without hyphens (§4.2)
	}
	etc := str(in.EventTypeCode)
	if etc == "" {
		etc = map[string]string{"TIMER": "MessageCreated", "APIG": "APICreated", "SMN": "MessageCreated", "OBS": "ObjectCreated"}[typ]
	}
	tr := &trigger{ID: id, Qualifier: t.qualKey(), TypeCode: typ, EventTypeCode: etc, Status: status, EventData: ed, Created: now, Updated: now}
	e.enrich(f, t, tr)
	f.Triggers = append(f.Triggers, tr)
	e.persistLocked()
	c.ok(201, e.renderTrigger(tr))
}

// listTriggers returns the triggers bound to the URN's qualifier (latest when unqualified),
// as a bare array (§5.12.2).
func (e *Emulator) listTriggers(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	out := []any{}
	for _, tr := range t.fn.Triggers {
		if tr.Qualifier == t.qualKey() {
			out = append(out, e.renderTrigger(tr))
		}
	}
	c.ok(200, out)
}

// deleteAllTriggers: unqualified or latest URN → all triggers of all versions and aliases
// (§5.12.1); otherwise those of the version/alias.
func (e *Emulator) deleteAllTriggers(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if t.qualKey() == "latest" {
		t.fn.Triggers = nil
	} else {
		var keep []*trigger
		for _, tr := range t.fn.Triggers {
			if tr.Qualifier != t.qualKey() {
				keep = append(keep, tr)
			}
		}
		t.fn.Triggers = keep
	}
	e.persistLocked()
	c.noContent()
}

func (e *Emulator) triggerTarget(c *reqCtx) (*target, *trigger) {
	t := e.resolve(c, "function_urn")
	if t == nil {
		return nil, nil
	}
	typ := c.p("trigger_type_code")
	if !triggerTypes[typ] {
		c.fail(errf(404, "FSS.1137", "Invalid trigger type: %q", typ))
		return nil, nil
	}
	for _, tr := range t.fn.Triggers {
		if tr.ID == c.p("trigger_id") && tr.TypeCode == typ {
			return t, tr
		}
	}
	code := notFoundTrigger[typ]
	if code == "" {
		code = "FSS.1131"
	}
	c.fail(errf(404, code, "The trigger does not exist."))
	return nil, nil
}

func (e *Emulator) getTrigger(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, tr := e.triggerTarget(c)
	if tr == nil {
		return
	}
	c.ok(200, e.renderTrigger(tr))
}

func (e *Emulator) deleteTrigger(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, tr := e.triggerTarget(c)
	if tr == nil {
		return
	}
	for i, x := range t.fn.Triggers {
		if x == tr {
			t.fn.Triggers = append(t.fn.Triggers[:i], t.fn.Triggers[i+1:]...)
			break
		}
	}
	e.persistLocked()
	c.noContent()
}

// updateTrigger: trigger_status, and event_data. The reference types event_data as an
// array of pull-tuning objects (§5.12.6) while OTC's SDKs send an object; an object is
// validated like at create and replaces the stored data, an array's keys are merged.
func (e *Emulator) updateTrigger(c *reqCtx) {
	var in struct {
		Status    *string         `json:"trigger_status"`
		EventData json.RawMessage `json:"event_data"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, tr := e.triggerTarget(c)
	if tr == nil {
		return
	}
	newStatus := tr.Status
	if in.Status != nil && *in.Status != "" {
		switch *in.Status {
		case "ACTIVE", "DISABLED":
		default:
			c.fail(errf(400, "FSS.0400", "Invalid parameter: trigger_status must be ACTIVE or DISABLED."))
			return
		}
		if *in.Status == "DISABLED" && !disableable[tr.TypeCode] {
			c.fail(errf(400, "FSS.1318", "Invalid trigger operation: %s triggers cannot be disabled.", tr.TypeCode))
			return
		}
		newStatus = *in.Status
	}
	newData := tr.EventData
	if raw := strings.TrimSpace(string(in.EventData)); raw != "" && raw != "null" {
		var obj map[string]any
		var arr []map[string]any
		switch {
		case json.Unmarshal(in.EventData, &obj) == nil:
			nd := cloneMap(obj)
			// keep service-computed APIG fields
			for _, k := range []string{"api_id", "group_name"} {
				if v, ok := tr.EventData[k]; ok {
					if _, set := nd[k]; !set {
						nd[k] = v
					}
				}
			}
			if aerr := e.validateEventData(t.fn, t, tr.TypeCode, nd, tr); aerr != nil {
				c.fail(aerr)
				return
			}
			newData = nd
		case json.Unmarshal(in.EventData, &arr) == nil:
			nd := cloneMap(tr.EventData)
			for _, item := range arr {
				for k, v := range item {
					switch k {
					case "is_serial", "max_fetch_bytes", "polling_interval", "polling_unit":
					default:
						c.fail(errf(400, "FSS.0400", "Invalid parameter: event_data.%s cannot be updated.", k))
						return
					}
					if k == "polling_unit" && v != "ms" && v != "s" {
						c.fail(errf(400, "FSS.0400", "Invalid parameter: polling_unit must be ms or s."))
						return
					}
					nd[k] = v
				}
			}
			newData = nd
		default:
			c.fail(errf(400, "FSS.0400", "Invalid parameter: event_data."))
			return
		}
	}
	tr.Status, tr.EventData, tr.Updated = newStatus, newData, e.now()
	e.enrich(t.fn, t, tr)
	e.persistLocked()
	c.ok(200, e.renderTrigger(tr))
}

// validCron follows the FunctionGraph user guide ("Cron Expressions for a Function Timer Trigger"), since the API
// reference documents no grammar: "@every N unit" with a positive duration (30m, 1.5h, 2h30m), or an optional
// CRON_TZ=<zone> and then five or six fields, seconds first, day-of-week optional.
func validCron(s string) bool {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(s), "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		return err == nil && d > 0
	}
	fields := strings.Fields(s)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "CRON_TZ=") {
		fields = fields[1:]
	}
	return len(fields) == 5 || len(fields) == 6
}
