package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// fgsTime is the function/alias/trigger timestamp format. The reference shows both
// "2018-03-28T11:30:32+08:00" (ch. 4) and "2019-10-25 15:37:27" (ch. 5); we emit the
// chapter-5 form, in UTC, everywhere a String "last_modified"/"*_time" is documented
// (§1.6.1, §5.6), except the async config's created_time which the reference shows with an offset.
const fgsTime = "2006-01-02 15:04:05"

// Function names: starts with a letter, then letters, digits, "_" or "-", at most 60
// characters. The API reference states no rule; this is the rule of the vendor console.
var (
	funcNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,59}$`)
	packageRe  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$`)
)

const (
	maxInlineCode  = 10 * 1024        // FSS.1072
	maxPackageCode = 50 * 1024 * 1024 // FSS.1071
	maxUserData    = 4096             // FSS.1018: 4 KB per the field text (§5.6.2), not 2 KB (§6.2)
	maxUserDataKV  = 20               // FSS.1017
	maxDescription = 512              // FSS.1019
)

// funcReq is the union of the create body (5.6.2) and the PUT config body (5.6.7).
type funcReq struct {
	FuncName            *string         `json:"func_name"`
	Package             *string         `json:"package"`
	Runtime             *string         `json:"runtime"`
	Timeout             *int            `json:"timeout"`
	Handler             *string         `json:"handler"`
	MemorySize          *int            `json:"memory_size"`
	GPUMemory           *int            `json:"gpu_memory"`
	CodeType            *string         `json:"code_type"`
	CodeURL             *string         `json:"code_url"`
	CodeFilename        *string         `json:"code_filename"`
	FuncCode            *funcCodeReq    `json:"func_code"`
	DependVersionList   []string        `json:"depend_version_list"`
	DependList          []string        `json:"depend_list"`
	UserData            *string         `json:"user_data"`
	EncryptedUserData   *string         `json:"encrypted_user_data"`
	Xrole               *string         `json:"xrole"`
	AppXrole            *string         `json:"app_xrole"`
	Description         *string         `json:"description"`
	FuncVpc             *funcVpc        `json:"func_vpc"`
	MountConfig         *mountConfig    `json:"mount_config"`
	StrategyConfig      *strategyReq    `json:"strategy_config"`
	CustomImage         *customImage    `json:"custom_image"`
	ExtendConfig        *string         `json:"extend_config"`
	InitializerHandler  *string         `json:"initializer_handler"`
	InitializerTimeout  *int            `json:"initializer_timeout"`
	EnterpriseProjectID *string         `json:"enterprise_project_id"`
	Type                *string         `json:"type"`
	LogConfig           *logConfig      `json:"log_config"`
	NetworkController   json.RawMessage `json:"network_controller"`
	EphemeralStorage    *int            `json:"ephemeral_storage"`
	IsStatefulFunction  *bool           `json:"is_stateful_function"`
	EnableDynamicMemory *bool           `json:"enable_dynamic_memory"`
	EnableAuthInHeader  *bool           `json:"enable_auth_in_header"`
	DomainNames         *string         `json:"domain_names"`
	RestoreHookHandler  *string         `json:"restore_hook_handler"`
	RestoreHookTimeout  *int            `json:"restore_hook_timeout"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (v *funcVersion) fingerprint() string {
	b, _ := json.Marshal(struct {
		C funcConfig
		D string
		T string
		F string
		U string
		L []string
	}{v.Conf, digestOf(v.Code.Package), v.Code.CodeType, v.Code.CodeFilename, v.Code.CodeURL, v.Code.DependVersionList})
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func (e *Emulator) imageName(version string, t time.Time) string {
	return version + "-" + t.Format("060102150405") + "@" + strings.ToLower(randHex(3))[:5]
}

func (e *Emulator) touch(v *funcVersion) {
	v.LastModified = e.now()
	v.ImageName = e.imageName(v.Version, v.LastModified)
}

func (e *Emulator) dependencyObjs(ids []string) []any {
	out := []any{}
	for _, id := range ids {
		d, v := e.findDepVersionWithDepLocked(id)
		if v == nil {
			continue
		}
		out = append(out, map[string]any{
			"owner": d.Owner, "link": v.Link, "runtime": v.Runtime, "etag": v.Etag, "size": v.Size,
			"name": d.Name, "description": v.Description, "file_name": v.FileName, "id": v.ID, "version": v.Version,
		})
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orNull[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}

// renderFunction renders the union of the documented function fields (§1.6.1, §5.6.1-§5.6.7).
func (e *Emulator) renderFunction(f *function, v *funcVersion, urn string) map[string]any {
	cf := v.Conf
	m := map[string]any{
		"func_urn":              urn,
		"func_name":             f.Name,
		"domain_id":             e.cfg.DomainID,
		"namespace":             e.cfg.ProjectID,
		"project_name":          e.cfg.ProjectName,
		"package":               f.Package,
		"runtime":               cf.Runtime,
		"timeout":               cf.Timeout,
		"handler":               cf.Handler,
		"memory_size":           cf.MemorySize,
		"cpu":                   cf.MemorySize/128*100 + 200,
		"code_type":             v.Code.CodeType,
		"code_url":              v.Code.CodeURL,
		"code_filename":         v.Code.CodeFilename,
		"code_size":             len(v.Code.Package),
		"user_data":             cf.UserData,
		"encrypted_user_data":   "", // never returned in plain text
		"digest":                digestOf(v.Code.Package),
		"version":               v.Version,
		"image_name":            v.ImageName,
		"xrole":                 cf.Xrole,
		"app_xrole":             cf.AppXrole,
		"description":           cf.Description,
		"version_description":   v.VersionDescription,
		"last_modified":         v.LastModified.UTC().Format(fgsTime),
		"func_vpc":              orNull(cf.FuncVpc),
		"mount_config":          orNull(cf.MountConfig),
		"strategy_config":       cf.Strategy,
		"extend_config":         cf.ExtendConfig,
		"initializer_handler":   cf.InitializerHandler,
		"initializer_timeout":   cf.InitializerTimeout,
		"enterprise_project_id": cf.EnterpriseProjectID,
		"long_time":             cf.Timeout > 900,
		"type":                  cf.Type,
		"fail_count":            0,
		"is_bridge_function":    false,
		"enable_dynamic_memory": cf.EnableDynamicMemory,
		"is_stateful_function":  cf.IsStateful,
		"enable_auth_in_header": cf.EnableAuthInHeader,
		"ephemeral_storage":     cf.EphemeralStorage,
		"domain_names":          cf.DomainNames,
		"depend_list":           nonNilStrings(v.Code.DependList),
		"depend_version_list":   nonNilStrings(v.Code.DependVersionList),
		"dependencies":          e.dependencyObjs(v.Code.DependVersionList),
		// The function model carries func_code with an empty file (§1.6.1); only PUT /code returns the file.
		"func_code": map[string]any{"file": "", "link": ""},
	}
	if cf.GPUMemory > 0 {
		m["gpu_memory"] = cf.GPUMemory
	}
	if cf.FuncVpc != nil {
		m["func_vpc_id"] = cf.FuncVpc.VpcID
	}
	if cf.CustomImage != nil {
		m["custom_image"] = cf.CustomImage
	}
	if cf.LogConfig != nil {
		m["log_group_id"] = cf.LogConfig.GroupID
		m["log_stream_id"] = cf.LogConfig.StreamID
	}
	m["network_controller"], m["restore_hook_handler"], m["restore_hook_timeout"] = cf.NetworkController, cf.RestoreHookHandler, cf.RestoreHookTimeout // the live service returns them
	return m
}

func (e *Emulator) createFunction(c *reqCtx) {
	var in funcReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	if in.FuncName == nil || in.Package == nil {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: func_name and package are mandatory."))
		return
	}
	if !funcNameRe.MatchString(*in.FuncName) {
		c.fail(errf(400, "FSS.1002", "Invalid function name: %q", *in.FuncName))
		return
	}
	if !packageRe.MatchString(*in.Package) {
		c.fail(errf(400, "FSS.1004", "Invalid Package (function app): %q", *in.Package))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cf, aerr := e.buildConfig(&in, nil)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	code, aerr := e.buildCode(in.CodeType, in.CodeURL, in.CodeFilename, in.FuncCode, cf.Runtime, in.DependVersionList, in.DependList)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	if e.findFunctionLocked(*in.Package, *in.FuncName) != nil {
		c.fail(errf(409, "FSS.1061", "The function already exists."))
		return
	}
	if len(e.st.Functions) >= e.cfg.FunctionQuota {
		c.fail(errf(403, "FSS.1041", "The number of functions exceeds the maximum allowed limit (%d).", e.cfg.FunctionQuota))
		return
	}
	if aerr := e.checkCodeQuotaLocked(0, len(code.Package)); aerr != nil {
		c.fail(aerr)
		return
	}
	f := &function{ID: uuid(), Package: *in.Package, Name: *in.FuncName}
	f.Head = &funcVersion{Version: "latest", Conf: cf, Code: code}
	e.touch(f.Head)
	e.st.Functions = append(e.st.Functions, f)
	e.persistLocked()
	// The create response carries the ":latest" URN (§5.6.2, ch. 4 examples).
	c.ok(200, e.renderFunction(f, f.Head, e.qualURN(f, "latest")))
}

func (e *Emulator) listFunctions(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	pkg := c.r.URL.Query().Get("package_name")
	var fs []*function
	for _, f := range e.st.Functions {
		if pkg == "" || f.Package == pkg {
			fs = append(fs, f)
		}
	}
	start, end, aerr := pageBounds(c, len(fs), maxItemsName(c), 400, 400)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	items := []any{}
	for _, f := range fs[start:end] {
		items = append(items, e.renderFunction(f, f.Head, e.funcURN(f.Package, f.Name)))
	}
	c.ok(200, map[string]any{"functions": items, "next_marker": end, "count": len(fs)})
}

// resolve is the common start of every {function_urn} handler: lock, resolve, or answer.
func (e *Emulator) resolve(c *reqCtx, param string) *target {
	t, aerr := e.resolveLocked(c.p(param), c.p("project_id"))
	if aerr != nil {
		c.fail(aerr)
		return nil
	}
	return t
}

// headOnly rejects modifications addressed to a published version or an alias:
// published versions are immutable.
func headOnly(t *target) *apiError {
	if t.ver != t.fn.Head || t.alias != nil {
		return errf(400, "FSS.1015", "Invalid function version: only the latest version can be modified.")
	}
	return nil
}

// deleteFunction: an unqualified URN deletes the function with everything hanging off it;
// a version (or alias → its version) deletes that version and its triggers. ":latest" is
// rejected (§5.6.3) with 400 FSS.1015.
func (e *Emulator) deleteFunction(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	f := t.fn
	if !t.explicit {
		for i, x := range e.st.Functions {
			if x == f {
				e.st.Functions = append(e.st.Functions[:i], e.st.Functions[i+1:]...)
				break
			}
		}
		e.persistLocked()
		c.noContent()
		return
	}
	if t.ver == f.Head {
		c.fail(errf(400, "FSS.1015", "Invalid function version: the latest version of a function cannot be deleted."))
		return
	}
	vname := t.ver.Version
	for _, a := range f.Aliases {
		if a.Version == vname {
			c.fail(errf(403, "FSS.1094", "The version cannot be deleted because it is used by alias %s.", a.Name))
			return
		}
		if _, ok := a.Weights[vname]; ok {
			c.fail(errf(403, "FSS.1094", "The version cannot be deleted because it has been used as the additional version of an alias."))
			return
		}
	}
	for i, v := range f.Versions {
		if v == t.ver {
			f.Versions = append(f.Versions[:i], f.Versions[i+1:]...)
			break
		}
	}
	f.dropQualifier(vname)
	e.persistLocked()
	c.noContent()
}

// dropQualifier removes triggers, async configs and reserved instances bound to q.
func (f *function) dropQualifier(q string) {
	var ts []*trigger
	for _, t := range f.Triggers {
		if t.Qualifier != q {
			ts = append(ts, t)
		}
	}
	f.Triggers = ts
	var as []*asyncConfig
	for _, a := range f.Async {
		if a.Qualifier != q {
			as = append(as, a)
		}
	}
	f.Async = as
	var rs []*reservedEntry
	for _, r := range f.Reserved {
		if r.Qualifier != q {
			rs = append(rs, r)
		}
	}
	f.Reserved = rs
}
