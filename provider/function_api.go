package provider

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"sort"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The pure mapping between Function's Pulumi inputs and FunctionGraph's API bodies.

// createRequest builds the POST body and, for local code, the package it uploads.
func createRequest(a FunctionArgs) (*fgs.CreateFunctionRequest, *codePackage, error) {
	body := &fgs.CreateFunctionRequest{
		FuncName:            deref(a.Name),
		Package:             deref(a.App),
		Runtime:             string(a.Runtime),
		Handler:             a.Handler,
		MemorySize:          deref(a.MemorySize),
		Timeout:             deref(a.Timeout),
		Description:         deref(a.Description),
		Type:                string(deref(a.FunctionGraphVersion)),
		UserData:            encodeUserData(a.Environment),
		Xrole:               deref(a.Agency),
		AppXrole:            deref(a.AppAgency),
		GPUMemory:           a.GpuMemory,
		DependVersionList:   a.DependencyVersions,
		FuncVpc:             toFuncVpc(a.Vpc),
		LogConfig:           toLogConfig(a.LogConfig),
		NetworkController:   toNetwork(a.Network),
		EnterpriseProjectID: deref(a.EnterpriseProjectID),
	}
	if a.Initializer != nil {
		body.InitializerHandler, body.InitializerTimeout = a.Initializer.Handler, &a.Initializer.Timeout
	}
	code, pkg, err := codeRequest(a)
	if err != nil {
		return nil, nil, err
	}
	if code == nil {
		// A custom image carries no package: the create body has no field for the image, so the function is
		// created with the service's default code and the image is set by the configuration update.
		body.CodeType = "inline"
		return body, nil, nil
	}
	body.CodeType, body.CodeURL, body.CodeFilename = code.CodeType, code.CodeURL, code.CodeFilename
	if code.FuncCode.File != "" {
		body.FuncCode = &fgs.FuncCode{File: code.FuncCode.File}
	}
	return body, pkg, nil
}

// codeRequest builds the PUT .../code body; nil for a custom image, whose code lives in the configuration.
func codeRequest(a FunctionArgs) (*fgs.UpdateFunctionCodeRequest, *codePackage, error) {
	switch {
	case a.CodeURL != nil:
		return &fgs.UpdateFunctionCodeRequest{CodeType: "obs", CodeURL: *a.CodeURL, CodeFilename: deref(a.CodeFilename),
			FuncCode: fgs.FuncCode{Link: *a.CodeURL}, DependVersionList: a.DependencyVersions}, nil, nil
	case a.Code != nil:
		pkg, err := buildPackage(a.Code, deref(a.CodeFilename))
		if err != nil {
			return nil, nil, err
		}
		return &fgs.UpdateFunctionCodeRequest{CodeType: pkg.CodeType, CodeFilename: pkg.Filename,
			FuncCode: fgs.FuncCode{File: base64.StdEncoding.EncodeToString(pkg.Bytes)}, DependVersionList: a.DependencyVersions}, pkg, nil
	}
	return nil, nil, nil
}

// needsConfigAfterCreate reports whether inputs that the create body cannot carry are set.
func needsConfigAfterCreate(a FunctionArgs) bool {
	return len(a.SecretEnvironment) > 0 || a.CustomImage != nil || a.Mounts != nil || a.ConcurrencyPerInstance != nil ||
		a.EphemeralStorage != nil || a.IsStatefulFunction != nil || a.EnableDynamicMemory != nil ||
		a.EnableAuthInHeader != nil || a.DomainNames != nil || a.RestoreHook != nil
}

// configKeys are the inputs that PUT .../config changes.
var configKeys = []string{"handler", "memorySize", "timeout", "description", "environment", "secretEnvironment", "agency",
	"appAgency", "initializer", "restoreHook", "vpc", "network", "mounts", "logConfig", "concurrencyPerInstance", "gpuMemory",
	"ephemeralStorage", "enableDynamicMemory", "enableAuthInHeader", "isStatefulFunction", "domainNames", "customImage"}

func configChanged(olds, news FunctionArgs) bool {
	diff := diffInputs(olds, news, nil, nil)
	for _, k := range configKeys {
		if _, ok := diff[k]; ok {
			return true
		}
	}
	return false
}

// configRequest builds PUT .../config from the live configuration and the user's inputs. The service replaces
// the whole metadata with the body, so every field is decided here: what the user sets is sent; what the user
// set before and removed is sent empty (it really unsets); what the user never managed keeps its live value.
// olds is nil at create.
func configRequest(live *fgs.Function, olds *FunctionArgs, news FunctionArgs) *fgs.UpdateFunctionConfigRequest {
	if olds == nil {
		olds = &FunctionArgs{}
	}
	had := func(v any) bool { return !isEmpty(reflect.ValueOf(v)) }
	req := &fgs.UpdateFunctionConfigRequest{
		FuncName:   live.FuncName,
		Runtime:    live.Runtime,
		Handler:    news.Handler,
		MemorySize: deref(news.MemorySize),
		Timeout:    deref(news.Timeout),
	}
	req.Description = choose(news.Description, had(olds.Description), "", live.Description)
	req.UserData = choose(optional(encodeUserData(news.Environment)), had(olds.Environment), "", live.UserData.String())
	if s := encodeUserData(news.SecretEnvironment); s != "" {
		req.EncryptedUserData = &s
	} else if had(olds.SecretEnvironment) {
		req.EncryptedUserData = fgs.Ptr("")
	} // otherwise left out: the service never returns it, so there is nothing to carry over
	req.Xrole = choose(news.Agency, had(olds.Agency), "", live.Xrole.String())
	req.AppXrole = choose(news.AppAgency, had(olds.AppAgency), "", live.AppXrole.String())
	switch {
	case news.Initializer != nil:
		req.InitializerHandler, req.InitializerTimeout = &news.Initializer.Handler, &news.Initializer.Timeout
	case olds.Initializer != nil:
		req.InitializerHandler, req.InitializerTimeout = fgs.Ptr(""), fgs.Ptr(0)
	case live.InitializerHandler != "":
		req.InitializerHandler, req.InitializerTimeout = fgs.Ptr(live.InitializerHandler), fgs.Ptr(live.InitializerTimeout.Int())
	}
	switch {
	case news.RestoreHook != nil:
		req.RestoreHookHandler, req.RestoreHookTimeout = &news.RestoreHook.Handler, &news.RestoreHook.Timeout
	case olds.RestoreHook != nil:
		req.RestoreHookHandler, req.RestoreHookTimeout = fgs.Ptr(""), fgs.Ptr(0)
	}
	switch {
	case news.Vpc != nil:
		req.FuncVpc = toFuncVpc(news.Vpc)
	case olds.Vpc == nil && live.FuncVpc != nil && live.FuncVpc.VpcID != "":
		req.FuncVpc = live.FuncVpc
	}
	switch {
	case news.Network != nil:
		req.NetworkController = toNetwork(news.Network)
	case olds.Network != nil:
		req.NetworkController = &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(false), TriggerAccessVpcs: []fgs.VpcConfig{}}
	}
	switch {
	case news.Mounts != nil:
		req.MountConfig = toMountConfig(news.Mounts)
	case olds.Mounts != nil:
		req.MountConfig = &fgs.MountConfig{FuncMounts: []fgs.FuncMount{}}
	case live.MountConfig != nil && len(live.MountConfig.FuncMounts) > 0:
		req.MountConfig = live.MountConfig
	}
	switch {
	case news.LogConfig != nil:
		req.LogConfig = toLogConfig(news.LogConfig)
	case olds.LogConfig != nil:
		req.LogConfig = &fgs.FuncLogConfig{}
	case live.LogGroupID != "" || live.LogStreamID != "":
		req.LogConfig = &fgs.FuncLogConfig{GroupID: live.LogGroupID, StreamID: live.LogStreamID}
	}
	// Max instances belong to their own endpoint, but this body carries them too: always send the live count,
	// so that a configuration change never resets them.
	strategy := &fgs.StrategyConfig{}
	if n, ok := live.MaxInstances(); ok {
		strategy.Concurrency = &n
	}
	if live.StrategyConfig != nil && live.StrategyConfig.ConcurrentNum != nil {
		strategy.ConcurrentNum = live.StrategyConfig.ConcurrentNum
	}
	if news.ConcurrencyPerInstance != nil {
		strategy.ConcurrentNum = news.ConcurrencyPerInstance
	} else if olds.ConcurrencyPerInstance != nil {
		strategy.ConcurrentNum = nil
	}
	if strategy.Concurrency != nil || strategy.ConcurrentNum != nil {
		req.StrategyConfig = strategy
	}
	req.GPUMemory = chooseInt(news.GpuMemory, had(olds.GpuMemory), live.GPUMemory.Int())
	req.EphemeralStorage = chooseInt(news.EphemeralStorage, had(olds.EphemeralStorage), live.EphemeralStorage.Int())
	req.EnableDynamicMemory = chooseBool(news.EnableDynamicMemory, had(olds.EnableDynamicMemory), bool(live.EnableDynamicMemory))
	req.EnableAuthInHeader = chooseBool(news.EnableAuthInHeader, had(olds.EnableAuthInHeader), bool(live.EnableAuthInHeader))
	req.IsStatefulFunction = chooseBool(news.IsStatefulFunction, had(olds.IsStatefulFunction), bool(live.IsStatefulFunction))
	req.DomainNames = choose(news.DomainNames, had(olds.DomainNames), "", live.DomainNames.String())
	switch {
	case news.CustomImage != nil:
		req.CustomImage = toCustomImage(news.CustomImage)
	case olds.CustomImage == nil && live.CustomImage != nil && live.CustomImage.Image != "":
		req.CustomImage = live.CustomImage
	}
	if ep := live.EnterpriseProjectID.String(); ep != "" {
		req.EnterpriseProjectID = &ep
	}
	if ec := live.ExtendConfig.String(); ec != "" {
		req.ExtendConfig = &ec
	}
	return req
}

// choose: the new value if set; the empty value if it was set before; else the live value (when any).
func choose(news *string, hadOld bool, empty, live string) *string {
	switch {
	case news != nil:
		return news
	case hadOld:
		return &empty
	case live != "":
		return &live
	}
	return nil
}

func chooseInt(news *int, hadOld bool, live int) *int {
	switch {
	case news != nil:
		return news
	case hadOld || live == 0:
		return nil // the service's default applies
	}
	return &live
}

func chooseBool(news *bool, hadOld bool, live bool) *bool {
	switch {
	case news != nil:
		return news
	case hadOld:
		return fgs.Ptr(false)
	case live:
		return &live
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// readInputs refreshes the inputs from the live function: every input the user set takes its live value;
// on import, the inputs a program needs are filled in too.
func readInputs(olds FunctionArgs, live *fgs.Function, importing bool) FunctionArgs {
	in := olds
	set := func(isSet bool) bool { return isSet || importing }
	u, err := fgs.ParseURN(live.FuncURN)
	if err == nil {
		in.Name, in.App = &u.Name, &u.Package
	} else {
		in.Name, in.App = fgs.Ptr(live.FuncName), fgs.Ptr(live.Package)
	}
	in.Runtime, in.Handler = Runtime(live.Runtime), live.Handler
	in.MemorySize, in.Timeout = fgs.Ptr(live.MemorySize.Int()), fgs.Ptr(live.Timeout.Int())
	if live.Type != "" && set(olds.FunctionGraphVersion != nil) {
		in.FunctionGraphVersion = fgs.Ptr(FunctionGraphVersion(live.Type))
	}
	if set(olds.Description != nil) {
		in.Description = optional(live.Description)
		if olds.Description != nil && in.Description == nil {
			in.Description = fgs.Ptr("")
		}
	}
	if env := decodeUserData(live.UserData.String()); set(olds.Environment != nil) {
		in.Environment = env
		if importing && len(env) == 0 {
			in.Environment = nil
		}
	}
	if set(olds.Agency != nil) {
		in.Agency = optional(live.Xrole.String())
	}
	if set(olds.AppAgency != nil) {
		in.AppAgency = optional(live.AppXrole.String())
	}
	if set(olds.Initializer != nil) {
		in.Initializer = nil
		if live.InitializerHandler != "" {
			in.Initializer = &Hook{Handler: live.InitializerHandler, Timeout: live.InitializerTimeout.Int()}
		}
	}
	if set(olds.Vpc != nil) {
		in.Vpc = fromFuncVpc(live.FuncVpc, olds.Vpc)
	}
	if set(olds.Mounts != nil) {
		in.Mounts = fromMountConfig(live.MountConfig)
	}
	if set(olds.LogConfig != nil) {
		in.LogConfig = nil
		if live.LogGroupID != "" || live.LogStreamID != "" {
			lc := &LogConfig{GroupID: live.LogGroupID, StreamID: live.LogStreamID}
			if o := olds.LogConfig; o != nil && o.GroupID == lc.GroupID && o.StreamID == lc.StreamID {
				lc.GroupName, lc.StreamName = o.GroupName, o.StreamName // names are not returned
			}
			in.LogConfig = lc
		}
	}
	if n, ok := live.MaxInstances(); ok && olds.MaxInstances != nil {
		in.MaxInstances = &n
	}
	if olds.ConcurrencyPerInstance != nil && live.StrategyConfig != nil && live.StrategyConfig.ConcurrentNum != nil {
		in.ConcurrencyPerInstance = live.StrategyConfig.ConcurrentNum
	}
	if set(olds.GpuMemory != nil) && live.GPUMemory.Int() > 0 {
		in.GpuMemory = fgs.Ptr(live.GPUMemory.Int())
	}
	if olds.EphemeralStorage != nil && live.EphemeralStorage.Int() > 0 {
		in.EphemeralStorage = fgs.Ptr(live.EphemeralStorage.Int())
	}
	for _, b := range []struct {
		dst  **bool
		live fgs.FlexBool
	}{{&in.EnableDynamicMemory, live.EnableDynamicMemory}, {&in.EnableAuthInHeader, live.EnableAuthInHeader}, {&in.IsStatefulFunction, live.IsStatefulFunction}} {
		if *b.dst != nil || (importing && bool(b.live)) {
			*b.dst = fgs.Ptr(bool(b.live))
		}
	}
	if set(olds.DependencyVersions != nil) {
		in.DependencyVersions = live.DependVersionList
		if len(in.DependencyVersions) == 0 {
			in.DependencyVersions = nil
		}
	}
	if set(olds.CustomImage != nil) && live.CustomImage != nil && live.CustomImage.Image != "" {
		in.CustomImage = fromCustomImage(live.CustomImage)
	}
	if live.CodeType == "obs" && set(olds.CodeURL != nil) {
		in.CodeURL = optional(live.CodeURL)
	}
	if importing && live.CodeType != "obs" && live.CodeFilename != "" && live.CodeFilename != "index.zip" {
		in.CodeFilename = optional(live.CodeFilename)
	}
	if ep := live.EnterpriseProjectID.String(); ep != "" && ep != "0" && set(olds.EnterpriseProjectID != nil) {
		in.EnterpriseProjectID = &ep
	}
	return in
}

// setOutputs copies what the service computed into the state.
func (s *FunctionState) setOutputs(live *fgs.Function) {
	if live.FuncURN != "" {
		s.FunctionURN = fgs.UnqualifiedURN(live.FuncURN)
	}
	s.Version = orDefault(live.Version, "latest")
	if live.Digest != "" {
		s.Digest = live.Digest
	}
	if live.CodeSize > 0 {
		s.CodeSize = live.CodeSize.Int()
	}
	s.CodeType = orDefault(live.CodeType, s.CodeType)
	s.CPU = live.CPU.Int()
	s.LastModified = live.LastModified.String()
	s.ImageName = live.ImageName
	s.DomainID = live.DomainID
	s.ProjectID = live.Namespace
	s.LogGroupID, s.LogStreamID = live.LogGroupID, live.LogStreamID
}

// encodeUserData serialises environment variables the way the API stores them: a JSON object in a string.
func encodeUserData(env map[string]string) string {
	if len(env) == 0 {
		return ""
	}
	raw, _ := json.Marshal(env) // a map of strings always marshals; keys come out sorted
	return string(raw)
}

func decodeUserData(s string) map[string]string {
	if s == "" {
		return nil
	}
	var env map[string]string
	if err := json.Unmarshal([]byte(s), &env); err != nil {
		return nil
	}
	return env
}

func toFuncVpc(v *FunctionVpc) *fgs.FuncVpc {
	if v == nil {
		return nil
	}
	return &fgs.FuncVpc{VpcID: v.VpcID, SubnetID: v.SubnetID, SecurityGroups: v.SecurityGroupIDs,
		VpcName: deref(v.VpcName), SubnetName: deref(v.SubnetName), Cidr: deref(v.Cidr), Gateway: deref(v.Gateway)}
}

func fromFuncVpc(live *fgs.FuncVpc, olds *FunctionVpc) *FunctionVpc {
	if live == nil || live.VpcID == "" {
		return nil
	}
	v := &FunctionVpc{VpcID: live.VpcID, SubnetID: live.SubnetID, SecurityGroupIDs: live.SecurityGroups}
	keep := func(old *string, liveV string) *string {
		if old != nil {
			return fgs.Ptr(liveV)
		}
		return nil
	}
	if olds != nil {
		v.VpcName, v.SubnetName = keep(olds.VpcName, live.VpcName), keep(olds.SubnetName, live.SubnetName)
		v.Cidr, v.Gateway = keep(olds.Cidr, live.Cidr), keep(olds.Gateway, live.Gateway)
	}
	if len(v.SecurityGroupIDs) == 0 {
		v.SecurityGroupIDs = nil
	}
	return v
}

func toLogConfig(l *LogConfig) *fgs.FuncLogConfig {
	if l == nil {
		return nil
	}
	return &fgs.FuncLogConfig{GroupID: l.GroupID, GroupName: deref(l.GroupName), StreamID: l.StreamID, StreamName: deref(l.StreamName)}
}

func toNetwork(n *Network) *fgs.NetworkControlConfig {
	if n == nil {
		return nil
	}
	out := &fgs.NetworkControlConfig{DisablePublicNetwork: n.DisablePublicNetwork}
	for _, v := range n.TriggerAccessVpcs {
		out.TriggerAccessVpcs = append(out.TriggerAccessVpcs, fgs.VpcConfig{VpcID: v.VpcID, VpcName: deref(v.VpcName)})
	}
	return out
}

func toMountConfig(m *Mounts) *fgs.MountConfig {
	out := &fgs.MountConfig{MountUser: &fgs.MountUser{UserID: fgs.FlexInt(m.UserID), UserGroupID: fgs.FlexInt(m.UserGroupID)}, FuncMounts: []fgs.FuncMount{}}
	for _, f := range m.FileSystems {
		out.FuncMounts = append(out.FuncMounts, fgs.FuncMount{MountType: string(f.Type), MountResource: f.ResourceID,
			MountSharePath: deref(f.SharePath), LocalMountPath: f.LocalPath})
	}
	return out
}

func fromMountConfig(m *fgs.MountConfig) *Mounts {
	if m == nil || len(m.FuncMounts) == 0 {
		return nil
	}
	out := &Mounts{}
	if m.MountUser != nil {
		out.UserID, out.UserGroupID = m.MountUser.UserID.Int(), m.MountUser.UserGroupID.Int()
	}
	for _, f := range m.FuncMounts {
		out.FileSystems = append(out.FileSystems, FileSystem{Type: MountType(f.MountType), ResourceID: f.MountResource,
			SharePath: optional(f.MountSharePath), LocalPath: f.LocalMountPath})
	}
	return out
}

func toCustomImage(c *CustomImage) *fgs.CustomImage {
	return &fgs.CustomImage{Enabled: fgs.Ptr(true), Image: c.Image, Command: deref(c.Command), Args: deref(c.Args),
		WorkingDir: deref(c.WorkingDir), UID: deref(c.UID), GID: deref(c.GID)}
}

func fromCustomImage(c *fgs.CustomImage) *CustomImage {
	return &CustomImage{Image: c.Image, Command: optional(c.Command), Args: optional(c.Args), WorkingDir: optional(c.WorkingDir),
		UID: optional(c.UID), GID: optional(c.GID)}
}

func toTags(m map[string]string) []fgs.Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]fgs.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, fgs.Tag{Key: k, Value: m[k]})
	}
	return out
}

func fromTags(tags []fgs.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[t.Key] = t.Value
	}
	return out
}

// tagDelta: the tags to remove (keys gone) and to set (new or changed values).
func tagDelta(olds, news map[string]string) (removed, changed []fgs.Tag) {
	gone := map[string]string{}
	for k, v := range olds {
		if _, ok := news[k]; !ok {
			gone[k] = v
		}
	}
	set := map[string]string{}
	for k, v := range news {
		if ov, ok := olds[k]; !ok || ov != v {
			set[k] = v
		}
	}
	return toTags(gone), toTags(set)
}

func equalStrings(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
