package provider

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The pure mapping between a Trigger's inputs and the API's bodies: the create body, the update body, and
// the read-back of a live trigger into inputs and state. Nothing here calls the API.

// ---------------------------------------------------------------------------------------------------------
// The event blocks: one entry per trigger type with a typed block.

// eventBlock is what the provider knows of one type's typed event data: its Pulumi property, its fields and
// their API keys (the `api` tags, driving the mapping both ways), the constants its create body adds, and
// its Check rules.
type eventBlock struct {
	key    string         // the Pulumi property, e.g. "timer"
	fields []eventField   // the block's fields that map to event_data keys
	extra  map[string]any // constants the create body adds
	get    func(a *TriggerArgs) any
	set    func(a *TriggerArgs, blk any)
	zero   func() any
	check  func(c blockCheck, blk any)
}

// eventBlocks are the types with a typed block, by type code.
var eventBlocks = map[string]*eventBlock{
	"TIMER": newEventBlock("timer", func(a *TriggerArgs) **TimerEventData { return &a.Timer }, checkTimer),
	// Both request examples send these (002 L1077-L1080, L9065-L9067): a function backend, a public API.
	"APIG": newEventBlock("apig", func(a *TriggerArgs) **ApigEventData { return &a.Apig }, checkApig).
		adding(map[string]any{"backend_type": "FUNCTION", "type": 1}),
	"OBS":   newEventBlock("obs", func(a *TriggerArgs) **ObsEventData { return &a.Obs }, checkObs),
	"SMN":   newEventBlock("smn", func(a *TriggerArgs) **SmnEventData { return &a.Smn }, checkSmn),
	"KAFKA": newEventBlock("kafka", func(a *TriggerArgs) **KafkaEventData { return &a.Kafka }, checkKafka),
	"DMS":   newEventBlock("dms", func(a *TriggerArgs) **DmsEventData { return &a.Dms }, checkDms),
	"DIS":   newEventBlock("dis", func(a *TriggerArgs) **DisEventData { return &a.Dis }, checkDis),
	"LTS":   newEventBlock("lts", func(a *TriggerArgs) **LtsEventData { return &a.Lts }, checkLts),
	"CTS":   newEventBlock("cts", func(a *TriggerArgs) **CtsEventData { return &a.Cts }, checkCts),
	"DDS":   newEventBlock("dds", func(a *TriggerArgs) **DdsEventData { return &a.Dds }, checkDds),
}

// blocksByKey are the event blocks in the order of their Pulumi keys, so that every walk over them (Check
// failures, the diff) is deterministic.
var blocksByKey = func() []*eventBlock {
	out := make([]*eventBlock, 0, len(eventBlocks))
	for _, b := range eventBlocks {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}()

func newEventBlock[B any](key string, field func(*TriggerArgs) **B, check func(blockCheck, *B)) *eventBlock {
	return &eventBlock{
		key:    key,
		fields: eventFields(reflect.TypeFor[B]()),
		get: func(a *TriggerArgs) any {
			if blk := *field(a); blk != nil {
				return blk
			}
			return nil
		},
		set:   func(a *TriggerArgs, blk any) { *field(a) = blk.(*B) },
		zero:  func() any { return new(B) },
		check: func(c blockCheck, blk any) { check(c, blk.(*B)) },
	}
}

func (b *eventBlock) adding(extra map[string]any) *eventBlock {
	b.extra = extra
	return b
}

// pullTuningKeys are the event_data keys the service updates in place (PUT .../triggers/..., 002 L9418-L9426).
var pullTuningKeys = map[string]bool{"is_serial": true, "max_fetch_bytes": true, "polling_interval": true, "polling_unit": true}

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
			name := strings.Split(f.Tag.Get("pulumi"), ",")[0]
			out = append(out, eventField{index: i, name: name, key: key, secret: f.Tag.Get("provider") == "secret"})
		}
	}
	return out
}

// toAPI maps a block (a pointer) to the API's event_data: set fields only, by their API keys.
func (b *eventBlock) toAPI(blk any) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(blk).Elem()
	for _, f := range b.fields {
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

// fromAPI reads the live event_data into a block (a pointer) keeping only the fields set in olds; olds nil
// (import) reads every field. Secrets are never read from the service: they come from olds. A key the
// service omits or blanks (APIG blanks env_id/env_name) keeps the old value.
func (b *eventBlock) fromAPI(live map[string]any, olds any) any {
	out := b.zero()
	ov := reflect.Value{}
	if olds != nil {
		ov = reflect.ValueOf(olds).Elem()
	}
	nv := reflect.ValueOf(out).Elem()
	for _, f := range b.fields {
		dst := nv.Field(f.index)
		var old reflect.Value
		if ov.IsValid() {
			old = ov.Field(f.index)
			if isEmpty(old) && old.Kind() != reflect.String {
				continue // not set by the user
			}
		}
		lv, ok := getPath(live, f.key)
		if f.secret || !ok || lv == nil || lv == "" || !assignJSON(dst, lv) {
			if old.IsValid() {
				dst.Set(old)
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------------------------
// The event data of a set of inputs, built once: the create and update bodies and the diff come from it.

// eventData is the event data of one set of inputs: the typed block that holds it (nil for the raw
// `eventData`) and the API's object.
type eventData struct {
	block *eventBlock
	api   map[string]any // nil when the inputs hold no event data
}

// eventDataOf finds the event data of the inputs: the raw `eventData` when set, else the typed block that is
// set (Check allows only one, the type's).
func eventDataOf(a TriggerArgs) eventData {
	if a.EventData != nil {
		return eventData{api: a.EventData}
	}
	for _, b := range blocksByKey {
		if blk := b.get(&a); blk != nil {
			return eventData{block: b, api: b.toAPI(blk)}
		}
	}
	return eventData{}
}

// body is the event_data sent to the API: the object plus the constants the block's type needs.
func (d eventData) body() map[string]any {
	if d.block == nil || len(d.block.extra) == 0 {
		if d.api == nil {
			return map[string]any{}
		}
		return d.api
	}
	out := make(map[string]any, len(d.api)+len(d.block.extra))
	for k, v := range d.api {
		out[k] = v
	}
	for k, v := range d.block.extra {
		out[k] = v
	}
	return out
}

// eventValue is one value of the event data as the diff sees it, with the API key that says whether a
// change of it is made in place.
type eventValue struct {
	apiKey string
	value  any
}

// values lists the event data by the property path a change shows on: `<block>.<field>` for each field of a
// typed block, `eventData.<key>` for each top-level key of the raw object.
func (d eventData) values() map[string]eventValue {
	out := map[string]eventValue{}
	if d.block == nil {
		for k, v := range d.api {
			out["eventData."+k] = eventValue{apiKey: k, value: v}
		}
		return out
	}
	for _, f := range d.block.fields {
		if v, ok := getPath(d.api, f.key); ok {
			out[d.block.key+"."+f.name] = eventValue{apiKey: f.key, value: v}
		}
	}
	return out
}

// diffEventData compares two event data by their API values: a change of a pull-tuning key is an in-place
// update, any other a replacement. A typed block that appears or goes shows on the block's key.
func diffEventData(olds, news eventData) map[string]p.PropertyDiff {
	out := map[string]p.PropertyDiff{}
	if olds.block != nil && olds.block != news.block {
		out[olds.block.key] = p.PropertyDiff{Kind: p.DeleteReplace, InputDiff: true}
		olds = eventData{}
	}
	if news.block != nil && news.block != olds.block {
		out[news.block.key] = p.PropertyDiff{Kind: p.AddReplace, InputDiff: true}
		news = eventData{}
	}
	ov, nv := olds.values(), news.values()
	paths := map[string]bool{}
	for path := range ov {
		paths[path] = true
	}
	for path := range nv {
		paths[path] = true
	}
	for path := range paths {
		o, hadOld := ov[path]
		n, hasNew := nv[path]
		if hadOld && hasNew && reflect.DeepEqual(normJSON(o.value), normJSON(n.value)) {
			continue
		}
		apiKey := n.apiKey
		if hadOld {
			apiKey = o.apiKey
		}
		out[path] = p.PropertyDiff{Kind: changeKind(hadOld, hasNew, !pullTuningKeys[apiKey]), InputDiff: true}
	}
	return out
}

// inPlaceChanges reports whether the event data diff holds a change the service makes in place.
func inPlaceChanges(diff map[string]p.PropertyDiff) bool {
	for _, d := range diff {
		if !isReplace(d.Kind) {
			return true
		}
	}
	return false
}

func isReplace(k p.DiffKind) bool { return strings.HasSuffix(string(k), "replace") }

// ---------------------------------------------------------------------------------------------------------
// Bodies

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

// createTriggerRequest is the body of the POST that creates the trigger.
func createTriggerRequest(args TriggerArgs) *fgs.CreateTriggerRequest {
	return &fgs.CreateTriggerRequest{
		TriggerTypeCode: string(args.Type),
		TriggerStatus:   string(deref(args.Status)),
		EventTypeCode:   deref(args.EventTypeCode),
		EventData:       eventDataOf(args).body(),
	}
}

// statusChanged reports whether the new inputs ask for another status than the old ones.
func statusChanged(olds, news TriggerArgs) bool {
	return news.Status != nil && (olds.Status == nil || *olds.Status != *news.Status)
}

// updateTriggerRequest is the body of the PUT of an in-place update, nil when there is nothing to send: the
// new status when it changed, and the whole new event data when a pull-tuning key changed (as OTC's own
// tooling sends it: the service replaces the stored data with it, so a removed key is dropped), with the
// status the trigger has. The event data of each side is built once.
func updateTriggerRequest(olds, news TriggerArgs, status *TriggerStatus) *fgs.UpdateTriggerRequest {
	body := &fgs.UpdateTriggerRequest{}
	if statusChanged(olds, news) {
		body.TriggerStatus = string(*news.Status)
	}
	if data := eventDataOf(news); inPlaceChanges(diffEventData(eventDataOf(olds), data)) {
		body.EventData = data.body()
		if body.TriggerStatus == "" && status != nil {
			body.TriggerStatus = string(*status)
		}
	}
	if body.TriggerStatus == "" && body.EventData == nil {
		return nil
	}
	return body
}

// ---------------------------------------------------------------------------------------------------------
// Read-back

func triggerID(urn, typ, id string) string { return urn + "/" + typ + "/" + id }

// parseTriggerID splits `{functionUrn}/{type}/{triggerId}` (the URN has no `/`).
func parseTriggerID(id string) (urn, typ, tid string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", fmt.Errorf("%q is not a trigger ID: use <functionUrn>/<type>/<triggerId>", id)
	}
	return parts[0], parts[1], parts[2], nil
}

// setOutputs records what the service reports of the trigger.
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

// readTriggerInputs rebuilds the inputs from the live trigger: the status, and the event data keys the user
// set (every key on import).
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
	block := eventBlocks[typ]
	switch {
	case olds.EventData != nil:
		in.EventData = rawFromEventData(live, olds.EventData, false)
	case block != nil && (importing || block.get(&olds) != nil):
		block.set(&in, block.fromAPI(live, block.get(&olds)))
	case importing:
		in.EventData = rawFromEventData(live, nil, true)
	}
	return in
}

// rawFromEventData keeps the live values of the keys the user set in eventData (all keys on import). A
// secret key (fgs.IsSecretKey, the rule the logs use too), at any depth, is never read from the service: it
// keeps the user's value, and on import it is left out.
func rawFromEventData(live, olds map[string]any, importing bool) map[string]any {
	if importing {
		out, _ := withoutLiveSecrets(live, nil).(map[string]any)
		return out
	}
	out := map[string]any{}
	for k, old := range olds {
		lv, ok := live[k]
		if !ok || fgs.IsSecretKey(k) {
			out[k] = old
			continue
		}
		out[k] = withoutLiveSecrets(lv, old)
	}
	return out
}

// withoutLiveSecrets is a live value with the secret keys of its objects, at any depth, replaced by the user's
// values (old), or left out where the user has none: what Read copies into state and what getFunctionTriggers
// answers (old nil) never hold a secret the service returned.
func withoutLiveSecrets(live, old any) any {
	switch x := live.(type) {
	case map[string]any:
		oldMap, _ := old.(map[string]any)
		out := make(map[string]any, len(x))
		for k, v := range x {
			switch ov, had := oldMap[k]; {
			case fgs.IsSecretKey(k) && had:
				out[k] = ov
			case fgs.IsSecretKey(k):
			default:
				out[k] = withoutLiveSecrets(v, ov)
			}
		}
		return out
	case []any:
		oldList, _ := old.([]any)
		out := make([]any, len(x))
		for i, e := range x {
			var oe any
			if i < len(oldList) {
				oe = oldList[i]
			}
			out[i] = withoutLiveSecrets(e, oe)
		}
		return out
	}
	return live
}

// ---------------------------------------------------------------------------------------------------------
// JSON helpers

// assignJSON stores a decoded JSON value into a field (string, int, bool, []string, or pointers to them),
// tolerating numbers sent as strings and the reverse.
func assignJSON(dst reflect.Value, v any) bool {
	t := dst.Type()
	base := t
	if t.Kind() == reflect.Pointer {
		base = t.Elem()
	}
	val := reflect.New(base).Elem()
	if !decodeJSONInto(val, v) {
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

func decodeJSONInto(val reflect.Value, v any) bool {
	switch val.Kind() {
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
		if s, isStr := v.(string); !ok && isStr {
			arr, ok = []any{s}, true
		}
		if !ok {
			return false
		}
		sl := reflect.MakeSlice(val.Type(), 0, len(arr))
		for _, e := range arr {
			s, ok := e.(string)
			if !ok {
				return false
			}
			sl = reflect.Append(sl, reflect.ValueOf(s).Convert(val.Type().Elem()))
		}
		val.Set(sl)
	default:
		return false
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
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return cur, true
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
