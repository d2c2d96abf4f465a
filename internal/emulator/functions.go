package emulator

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// fgsTime is the function/alias/trigger timestamp format. The reference shows both
// "2018-03-28T11:30:32+08:00" (ch. 4) and "2019-10-25 15:37:27" (ch. 5); we emit the
// chapter-5 form, in UTC, everywhere a String "last_modified"/"*_time" is documented
// (map §1.7), except the async config's created_time which the reference shows with an offset.
const fgsTime = "2006-01-02 15:04:05"

// runtimes: the 18 documented wire values (map §1.5) plus Python3.10, which the vendor's
// SDK examples use (001 L304).
var runtimes = map[string]bool{
	"Java8": true, "Java11": true, "Node.js6.10": true, "Node.js8.10": true, "Node.js10.16": true,
	"Node.js12.13": true, "Node.js14.18": true, "Python2.7": true, "Python3.6": true, "Go1.8": true,
	"Go1.x": true, "C#(.NET Core 2.0)": true, "C#(.NET Core 2.1)": true, "C#(.NET Core 3.1)": true,
	"Custom": true, "PHP7.3": true, "Python3.9": true, "http": true, "Python3.10": true,
}

var memorySizes = map[int]bool{128: true, 256: true, 512: true, 768: true, 1024: true, 1280: true, 1536: true,
	1792: true, 2048: true, 2560: true, 3072: true, 3584: true, 4096: true}

// Function names: starts with a letter, then letters, digits, "_" or "-", at most 60
// characters. 002 states no rule (map §7.1 #7); this is the rule of the vendor console.
var (
	funcNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,59}$`)
	packageRe  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$`)
)

const (
	maxInlineCode  = 10 * 1024        // FSS.1072
	maxPackageCode = 50 * 1024 * 1024 // FSS.1071
	maxUserData    = 4096             // FSS.1018: 4 KB per the field text (L3792), not 2 KB (L10298)
	maxUserDataKV  = 20               // FSS.1017
	maxDescription = 512              // FSS.1019
)

type funcCodeReq struct {
	File *string `json:"file"`
	Link *string `json:"link"`
}

type strategyReq struct {
	Concurrency   *int `json:"concurrency"`
	ConcurrentNum *int `json:"concurrent_num"`
}

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

// decode parses a JSON body. Malformed JSON is 406 FSS.0406 (table 6-2: "request body may
// not be in the required JSON format"); a wrong JSON type is 400 FSS.0400.
// decodeOrFail decodes the body into v, or answers the error and reports false, as resolve does for URNs.
func (c *reqCtx) decodeOrFail(v any, allowEmpty bool) bool {
	if aerr := c.decode(v, allowEmpty); aerr != nil {
		c.fail(aerr)
		return false
	}
	return true
}

func (c *reqCtx) decode(v any, allowEmpty bool) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		if allowEmpty {
			return nil
		}
		return errf(400, "FSS.0400", "Invalid parameter: the request body is required.")
	}
	err := json.Unmarshal(c.body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errf(400, "FSS.0400", "Invalid parameter: %s must be of type %s.", te.Field, te.Type.String())
	}
	return errf(406, "FSS.0406", "Not acceptable: the request body is not valid JSON.")
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func handlerNeedsPeriod(runtime string, img *customImage) bool {
	if runtime == "Custom" || runtime == "http" {
		return false // "handler": "bootstrap" with runtime Custom (L5123)
	}
	return !(img != nil && img.Enabled)
}

// buildConfig validates the metadata part of a create or PUT config body and returns the
// new configuration. PUT /config replaces the metadata: absent optional fields reset to
// their defaults (clients must read-modify-write), except enterprise_project_id and type,
// which no metadata update moves.
func (e *Emulator) buildConfig(in *funcReq, prev *funcConfig) (funcConfig, *apiError) {
	var cf funcConfig
	if in.Runtime == nil || in.Handler == nil || in.MemorySize == nil || in.Timeout == nil {
		return cf, errf(400, "FSS.0400", "Invalid parameter: runtime, handler, memory_size and timeout are mandatory.")
	}
	if !runtimes[*in.Runtime] {
		return cf, errf(400, "FSS.1005", "Invalid runtime: %s", *in.Runtime)
	}
	if prev != nil && prev.Runtime != *in.Runtime {
		return cf, errf(400, "FSS.1005", "Invalid runtime: the runtime of a function cannot be changed.")
	}
	cf.Runtime = *in.Runtime
	cf.CustomImage = in.CustomImage
	if cf.CustomImage != nil && cf.CustomImage.Enabled {
		if cf.CustomImage.Image == "" {
			return cf, errf(400, "FSS.1034", "Invalid image URL.")
		}
		if !regexp.MustCompile(`^[a-z0-9.\-]+(:[0-9]+)?/[^\s]+$`).MatchString(cf.CustomImage.Image) {
			return cf, errf(400, "FSS.1034", "Invalid image URL: %s", cf.CustomImage.Image)
		}
	}
	if h := *in.Handler; h == "" || len(h) > 128 || (handlerNeedsPeriod(cf.Runtime, cf.CustomImage) && !strings.Contains(h, ".")) {
		return cf, errf(400, "FSS.1003", "Invalid function handler: %q", h)
	}
	cf.Handler = *in.Handler
	if !memorySizes[*in.MemorySize] {
		return cf, errf(400, "FSS.1007", "Invalid function memory: %d", *in.MemorySize)
	}
	cf.MemorySize = *in.MemorySize
	if *in.Timeout < 3 || *in.Timeout > 900 {
		return cf, errf(400, "FSS.1008", "Invalid function timeout: %d (3-900)", *in.Timeout)
	}
	cf.Timeout = *in.Timeout
	if in.GPUMemory != nil && *in.GPUMemory != 0 {
		g := *in.GPUMemory
		if g < 1024 || g > 16384 || g%1024 != 0 {
			return cf, errf(400, "FSS.0400", "Invalid parameter: gpu_memory must be a multiple of 1024 between 1024 and 16384.")
		}
		if cf.Runtime != "Custom" && !(cf.CustomImage != nil && cf.CustomImage.Enabled) {
			return cf, errf(400, "FSS.0400", "Invalid parameter: gpu_memory needs the Custom runtime or a custom image.")
		}
		cf.GPUMemory = g
	}
	if aerr := validateUserData(str(in.UserData), "user_data"); aerr != nil {
		return cf, aerr
	}
	cf.UserData = str(in.UserData)
	if aerr := validateUserData(str(in.EncryptedUserData), "encrypted_user_data"); aerr != nil {
		return cf, aerr
	}
	cf.EncryptedUserData = str(in.EncryptedUserData)
	if len([]rune(str(in.Description))) > maxDescription {
		return cf, errf(400, "FSS.1019", "The description exceeds the maximum allowed limit (%d).", maxDescription)
	}
	cf.Description = str(in.Description)
	cf.Xrole, cf.AppXrole = str(in.Xrole), str(in.AppXrole)
	if in.InitializerHandler != nil && *in.InitializerHandler != "" {
		if !strings.Contains(*in.InitializerHandler, ".") && handlerNeedsPeriod(cf.Runtime, cf.CustomImage) {
			return cf, errf(400, "FSS.1404", "Invalid function initializer: %q", *in.InitializerHandler)
		}
		cf.InitializerHandler = *in.InitializerHandler
	}
	if in.InitializerTimeout != nil && (*in.InitializerTimeout != 0 || cf.InitializerHandler != "") {
		if *in.InitializerTimeout < 1 || *in.InitializerTimeout > 300 {
			return cf, errf(400, "FSS.1405", "Invalid initialization timeout: %d (1-300)", *in.InitializerTimeout)
		}
		cf.InitializerTimeout = *in.InitializerTimeout
	}
	if in.RestoreHookHandler != nil && *in.RestoreHookHandler != "" {
		if !strings.Contains(*in.RestoreHookHandler, ".") {
			return cf, errf(400, "FSS.0400", "Invalid parameter: restore_hook_handler must be xx.xx.")
		}
		cf.RestoreHookHandler = *in.RestoreHookHandler
	}
	if in.RestoreHookTimeout != nil && *in.RestoreHookTimeout != 0 {
		if *in.RestoreHookTimeout < 1 || *in.RestoreHookTimeout > 300 {
			return cf, errf(400, "FSS.0400", "Invalid parameter: restore_hook_timeout must be 1-300.")
		}
		cf.RestoreHookTimeout = *in.RestoreHookTimeout
	}
	// type: "The default value is v1. Default: v2" (L3802). We default to v2, the value the
	// console and current SDKs use; see CONTRADICTIONS.md.
	switch {
	case prev != nil:
		cf.Type = prev.Type
	case in.Type == nil || *in.Type == "":
		cf.Type = "v2"
	case *in.Type == "v1" || *in.Type == "v2":
		cf.Type = *in.Type
	default:
		return cf, errf(400, "FSS.0400", "Invalid parameter: type must be v1 or v2.")
	}
	cf.EphemeralStorage = 512
	if in.EphemeralStorage != nil && *in.EphemeralStorage != 0 {
		if *in.EphemeralStorage != 512 && *in.EphemeralStorage != 10240 {
			return cf, errf(400, "FSS.0400", "Invalid parameter: ephemeral_storage must be 512 or 10240.")
		}
		cf.EphemeralStorage = *in.EphemeralStorage
	}
	cf.Strategy = defaultStrategy(cf.Type)
	if s := in.StrategyConfig; s != nil {
		if s.Concurrency != nil {
			if aerr := checkConcurrency(cf.Type, *s.Concurrency); aerr != nil {
				return cf, aerr
			}
			cf.Strategy.Concurrency = *s.Concurrency
		}
		if s.ConcurrentNum != nil {
			n := *s.ConcurrentNum
			if n < -1 || n > 1000 {
				return cf, errf(400, "FSS.1026", "Invalid Concurrency: concurrent_num must be -1..1000.")
			}
			cf.Strategy.ConcurrentNum = &n
		}
	}
	if v := in.FuncVpc; v != nil {
		// 002 marks all six strings mandatory (L3806-L3817) but OTC's SDKs send only
		// vpc_id and subnet_id; we require those two.
		if v.VpcID == "" || v.SubnetID == "" {
			return cf, errf(400, "FSS.0400", "Invalid parameter: func_vpc needs vpc_id and subnet_id.")
		}
		cp := *v
		cf.FuncVpc = &cp
	}
	if m := in.MountConfig; m != nil {
		if aerr := validateMount(m); aerr != nil {
			return cf, aerr
		}
		cf.MountConfig = m
	}
	cf.ExtendConfig = str(in.ExtendConfig)
	cf.LogConfig = in.LogConfig
	if len(in.NetworkController) > 0 && string(in.NetworkController) != "null" {
		var nc struct {
			DisablePublicNetwork *bool `json:"disable_public_network"`
			TriggerAccessVpcs    []struct {
				VpcName string `json:"vpc_name"`
				VpcID   string `json:"vpc_id"`
			} `json:"trigger_access_vpcs"`
		}
		if err := json.Unmarshal(in.NetworkController, &nc); err != nil {
			return cf, errf(400, "FSS.0400", "Invalid parameter: network_controller.")
		}
		cf.NetworkController = append(json.RawMessage(nil), in.NetworkController...)
	}
	if in.IsStatefulFunction != nil {
		cf.IsStateful = *in.IsStatefulFunction
	}
	if in.EnableDynamicMemory != nil {
		cf.EnableDynamicMemory = *in.EnableDynamicMemory
	}
	if in.EnableAuthInHeader != nil {
		cf.EnableAuthInHeader = *in.EnableAuthInHeader
	}
	cf.DomainNames = str(in.DomainNames)
	switch {
	case in.EnterpriseProjectID != nil && *in.EnterpriseProjectID != "":
		cf.EnterpriseProjectID = *in.EnterpriseProjectID
	case prev != nil:
		cf.EnterpriseProjectID = prev.EnterpriseProjectID
	default:
		cf.EnterpriseProjectID = "0"
	}
	return cf, nil
}

func defaultStrategy(typ string) strategyConfig {
	s := strategyConfig{Concurrency: -1}
	if typ == "v2" {
		one := 1
		s.ConcurrentNum = &one
	}
	return s
}

// checkConcurrency: v1 → 0 or -1; v2 → -1..1000 (L3659).
func checkConcurrency(typ string, n int) *apiError {
	if typ == "v1" && n != 0 && n != -1 {
		return errf(400, "FSS.1026", "Invalid Concurrency: a v1 function accepts only 0 or -1.")
	}
	if n < -1 || n > 1000 {
		return errf(400, "FSS.1026", "Invalid Concurrency: %d (-1..1000).", n)
	}
	return nil
}

func validateUserData(s, field string) *apiError {
	if s == "" {
		return nil
	}
	if len(s) > maxUserData {
		return errf(400, "FSS.1018", "The total size of the %s field exceeds the maximum allowed limit (4 KB).", field)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
		return errf(400, "FSS.1009", "Invalid function UserData: %s must be a JSON object serialised in a string.", field)
	}
	for k, v := range m {
		if k == "" {
			return errf(400, "FSS.1009", "Invalid function UserData: empty key.")
		}
		if _, ok := v.(string); !ok {
			return errf(400, "FSS.1009", "Invalid function UserData: the value of %q must be a string.", k)
		}
	}
	if len(m) > maxUserDataKV {
		return errf(400, "FSS.1017", "The number of items in the %s field exceeds the maximum allowed limit (20).", field)
	}
	return nil
}

func mountID(raw json.RawMessage) (int, bool) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if n, err := strconv.Atoi(s); err == nil {
			return n, true
		}
	}
	return 0, false
}

func validateMount(m *mountConfig) *apiError {
	if m.MountUser == nil {
		return errf(400, "FSS.0400", "Invalid parameter: mount_config.mount_user is mandatory.")
	}
	for _, raw := range []json.RawMessage{m.MountUser.UserID, m.MountUser.UserGroupID} {
		n, ok := mountID(raw)
		if !ok || n < -1 || n > 65534 || n == 0 || n == 1000 || n == 1002 {
			return errf(400, "FSS.1075", "The user ID and user group ID must be an integer from -1 to 65,534, excluding 0, 1000, and 1002.")
		}
	}
	if len(m.FuncMounts) > 5 {
		return errf(403, "FSS.1049", "The number of file systems mounted to the function exceeds the maximum allowed limit (5).")
	}
	seen := map[string]bool{}
	for _, fm := range m.FuncMounts {
		switch fm.MountType {
		case "sfs", "sfsTurbo", "ecs":
		default:
			return errf(400, "FSS.0400", "Invalid parameter: mount_type must be sfs, sfsTurbo or ecs.")
		}
		if fm.MountResource == "" {
			return errf(400, "FSS.0400", "Invalid parameter: mount_resource is mandatory.")
		}
		if fm.MountType == "ecs" && fm.MountSharePath == "" {
			return errf(400, "FSS.0400", "Invalid parameter: mount_share_path is mandatory for ecs mounts.")
		}
		if !strings.HasPrefix(fm.LocalMountPath, "/mnt/") || strings.Contains(fm.LocalMountPath, "..") || len(fm.LocalMountPath) <= len("/mnt/") {
			return errf(400, "FSS.1039", "The mounting path is invalid: %q (must be under /mnt/).", fm.LocalMountPath)
		}
		key := fm.MountResource + "|" + fm.LocalMountPath
		if seen[key] || seen[fm.LocalMountPath] {
			return errf(400, "FSS.1038", "The file system configuration already exists in the function.")
		}
		seen[key], seen[fm.LocalMountPath] = true, true
	}
	return nil
}

func defaultCodeFilename(runtime string) string {
	switch {
	case strings.HasPrefix(runtime, "Python"):
		return "index.py"
	case strings.HasPrefix(runtime, "Node.js"):
		return "index.js"
	case strings.HasPrefix(runtime, "PHP"):
		return "index.php"
	case strings.HasPrefix(runtime, "Java"):
		return "index.jar"
	default:
		return "index.zip"
	}
}

func defaultCode(runtime string) []byte {
	switch {
	case strings.HasPrefix(runtime, "Python"):
		return []byte("# -*- coding:utf-8 -*-\nimport json\ndef handler (event, context):\n    return {\"statusCode\": 200, \"body\": json.dumps(event)}\n")
	case strings.HasPrefix(runtime, "Node.js"):
		return []byte("exports.handler = async (event, context) => {\n    return {statusCode: 200, body: JSON.stringify(event)};\n};\n")
	default:
		return []byte("default function code\n")
	}
}

// buildCode validates a code description (create or PUT /code).
//
// Stored package (our documented choice): for inline/zip/jar it is the Base64-decoded
// func_code.file bytes exactly as sent (no server-side zipping); for obs it is the bytes of
// code_url (the emulator cannot fetch OBS). digest = hex SHA-512 of the stored package,
// code_size = its length.
func (e *Emulator) buildCode(codeType, codeURL, codeFilename *string, fc *funcCodeReq, runtime string, depVer, depList []string) (funcCode, *apiError) {
	var code funcCode
	if codeType == nil {
		return code, errf(400, "FSS.0400", "Invalid parameter: code_type is mandatory.")
	}
	code.CodeType = *codeType
	var file []byte
	hasFile := fc != nil && fc.File != nil && *fc.File != ""
	if hasFile {
		b, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == ' ' {
				return -1
			}
			return r
		}, *fc.File))
		if err != nil {
			return code, errf(400, "FSS.1011", "Invalid function code: func_code.file is not valid Base64.")
		}
		file = b
	}
	switch code.CodeType {
	case "inline":
		if !hasFile {
			file = defaultCode(runtime)
		}
		if len(file) > maxInlineCode {
			return code, errf(413, "FSS.1072", "The size of the inline code exceeds the maximum allowed limit (10 KB).")
		}
		code.Package = file
		code.CodeFilename = str(codeFilename)
		if code.CodeFilename == "" {
			code.CodeFilename = defaultCodeFilename(runtime)
		}
	case "zip", "jar":
		if str(codeFilename) == "" {
			return code, errf(400, "FSS.1012", "The function code must be configured: code_filename is mandatory for %s code.", code.CodeType)
		}
		if !hasFile {
			return code, errf(400, "FSS.1012", "The function code must be configured: func_code.file is empty.")
		}
		if len(file) > maxPackageCode {
			return code, errf(413, "FSS.1071", "The size of the code package to be uploaded exceeds the maximum allowed limit (50 MB).")
		}
		if !bytes.HasPrefix(file, []byte("PK")) {
			return code, errf(400, "FSS.1011", "Invalid function code: a %s package must be a ZIP archive.", code.CodeType)
		}
		code.Package = file
		code.CodeFilename = *codeFilename
	case "obs":
		u := str(codeURL)
		if u == "" {
			return code, errf(400, "FSS.1012", "The function code must be configured: code_url is mandatory for obs code.")
		}
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
			return code, errf(400, "FSS.1010", "Invalid URL: %s", u)
		}
		code.CodeURL = u
		code.Package = []byte(u)
		code.CodeFilename = path.Base(pu.Path)
	default:
		return code, errf(400, "FSS.1006", "Invalid function code entry mode: %q", code.CodeType)
	}
	for _, id := range depVer {
		if e.findDepVersionLocked(id) == nil {
			return code, errf(400, "FSS.1024", "Invalid dependency: dependency version %s does not exist.", id)
		}
	}
	for _, id := range depList {
		if e.findDepVersionLocked(id) == nil && e.findDependencyLocked(id) == nil {
			return code, errf(400, "FSS.1024", "Invalid dependency: %s does not exist.", id)
		}
	}
	code.DependVersionList = append([]string{}, depVer...)
	code.DependList = append([]string{}, depList...)
	return code, nil
}

func digestOf(b []byte) string {
	s := sha512.Sum512(b)
	return hex.EncodeToString(s[:])
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

// renderFunction renders the union of the documented function fields (map §4.0).
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
		// The function model carries func_code with an empty file (L176-L223); only PUT /code returns the file.
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
	return m
}

// ---- handlers ----

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
	// The create response carries the ":latest" URN (L4022, ch. 4 examples).
	c.ok(200, e.renderFunction(f, f.Head, e.qualURN(f, "latest")))
}

func queryInt(q url.Values, name string, def int) (int, bool) {
	s := q.Get(name)
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// pageBounds implements marker/maxitems pagination (style A): marker is an offset;
// next_marker is the offset after the page (equal to count on the last page).
func pageBounds(c *reqCtx, total int, maxName string, def, max int) (int, int, *apiError) {
	q := c.r.URL.Query()
	marker, ok := queryInt(q, "marker", 0)
	if !ok || marker < 0 {
		return 0, 0, errf(400, "FSS.1001", "Invalid query parameter: marker.")
	}
	n, ok := queryInt(q, maxName, 0)
	if !ok || n < 0 {
		return 0, 0, errf(400, "FSS.1001", "Invalid query parameter: %s.", maxName)
	}
	if n == 0 {
		n = def
	}
	if n > max {
		n = max
	}
	if marker > total {
		marker = total
	}
	end := marker + n
	if end > total {
		end = total
	}
	return marker, end, nil
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
	start, end, aerr := pageBounds(c, len(fs), "maxitems", 400, 400)
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

func (e *Emulator) getConfig(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	// GET config answers with the qualified URN (L4763): ":latest" for the head.
	c.ok(200, e.renderFunction(t.fn, t.ver, e.qualURN(t.fn, t.ver.Version)))
}

func (e *Emulator) codeBody(f *function, v *funcVersion, withFile bool) map[string]any {
	file := ""
	if withFile && v.Code.CodeType != "obs" {
		file = base64.StdEncoding.EncodeToString(v.Code.Package)
	}
	return map[string]any{
		"func_urn":            e.qualURN(f, v.Version),
		"func_name":           f.Name,
		"domain_id":           e.cfg.DomainID,
		"runtime":             v.Conf.Runtime,
		"code_type":           v.Code.CodeType,
		"code_url":            v.Code.CodeURL,
		"code_filename":       v.Code.CodeFilename,
		"code_size":           len(v.Code.Package),
		"digest":              digestOf(v.Code.Package),
		"last_modified":       v.LastModified.UTC().Format(fgsTime),
		"func_code":           map[string]any{"file": file, "link": ""},
		"depend_list":         nonNilStrings(v.Code.DependList),
		"depend_version_list": nonNilStrings(v.Code.DependVersionList),
		"strategy_config":     v.Conf.Strategy,
		"dependencies":        e.dependencyObjs(v.Code.DependVersionList),
	}
}

func (e *Emulator) getCode(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	// GET code returns func_code.file empty (L4321-L4324).
	c.ok(200, e.codeBody(t.fn, t.ver, false))
}

// headOnly rejects modifications addressed to a published version or an alias:
// published versions are immutable.
func headOnly(t *target) *apiError {
	if t.ver != t.fn.Head || t.alias != nil {
		return errf(400, "FSS.1015", "Invalid function version: only the latest version can be modified.")
	}
	return nil
}

func (e *Emulator) putCode(c *reqCtx) {
	var in struct {
		CodeType          *string      `json:"code_type"`
		CodeURL           *string      `json:"code_url"`
		CodeFilename      *string      `json:"code_filename"`
		FuncCode          *funcCodeReq `json:"func_code"`
		DependList        []string     `json:"depend_list"`
		DependVersionList []string     `json:"depend_version_list"`
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
	if aerr := headOnly(t); aerr != nil {
		c.fail(aerr)
		return
	}
	// func_code is mandatory in PUT /code (L4385), except for OBS code which uses code_url.
	if in.FuncCode == nil && str(in.CodeType) != "obs" {
		c.fail(errf(400, "FSS.1012", "The function code must be configured: func_code is mandatory."))
		return
	}
	code, aerr := e.buildCode(in.CodeType, in.CodeURL, in.CodeFilename, in.FuncCode, t.ver.Conf.Runtime, in.DependVersionList, in.DependList)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	if aerr := e.checkCodeQuotaLocked(len(t.ver.Code.Package), len(code.Package)); aerr != nil {
		c.fail(aerr)
		return
	}
	t.ver.Code = code
	e.touch(t.ver)
	e.persistLocked()
	// The PUT /code response includes func_code.file (contrast with GET, map 5.6.5).
	c.ok(200, e.codeBody(t.fn, t.ver, true))
}

func (e *Emulator) putConfig(c *reqCtx) {
	var in funcReq
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if aerr := headOnly(t); aerr != nil {
		c.fail(aerr)
		return
	}
	if in.FuncName == nil {
		c.fail(errf(400, "FSS.0400", "Invalid parameter: func_name is mandatory."))
		return
	}
	if *in.FuncName != t.fn.Name {
		c.fail(errf(400, "FSS.1002", "Invalid function name: %q does not match the function (names cannot be changed).", *in.FuncName))
		return
	}
	cf, aerr := e.buildConfig(&in, &t.ver.Conf)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	t.ver.Conf = cf
	e.touch(t.ver)
	e.persistLocked()
	// PUT config answers with the unqualified URN (L5139).
	c.ok(200, e.renderFunction(t.fn, t.ver, e.funcURN(t.fn.Package, t.fn.Name)))
}

func (e *Emulator) putMaxInstance(c *reqCtx) {
	var in struct {
		MaxInstanceNum *int `json:"max_instance_num"`
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
	if aerr := headOnly(t); aerr != nil {
		c.fail(aerr)
		return
	}
	if in.MaxInstanceNum != nil {
		if aerr := checkConcurrency(t.ver.Conf.Type, *in.MaxInstanceNum); aerr != nil {
			c.fail(aerr)
			return
		}
		t.ver.Conf.Strategy.Concurrency = *in.MaxInstanceNum
		e.touch(t.ver)
		e.persistLocked()
	}
	c.ok(200, e.renderFunction(t.fn, t.ver, e.funcURN(t.fn.Package, t.fn.Name)))
}

// deleteFunction: an unqualified URN deletes the function with everything hanging off it;
// a version (or alias → its version) deletes that version and its triggers. ":latest" is
// rejected (L4118) with 400 FSS.1015.
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

// codeBytesLocked sums the stored packages of every version of every function.
func (e *Emulator) codeBytesLocked() int64 {
	var n int64
	for _, f := range e.st.Functions {
		n += int64(len(f.Head.Code.Package))
		for _, v := range f.Versions {
			n += int64(len(v.Code.Package))
		}
	}
	return n
}

// checkCodeQuotaLocked: 403 FSS.1042 when replacing `old` bytes by `add` bytes exceeds the quota.
func (e *Emulator) checkCodeQuotaLocked(old, add int) *apiError {
	if e.codeBytesLocked()-int64(old)+int64(add) > int64(e.cfg.CodeSizeQuotaMB)<<20 {
		return errf(403, "FSS.1042", "The total code size of functions exceeds the maximum allowed limit (%d MB).", e.cfg.CodeSizeQuotaMB)
	}
	return nil
}

func (e *Emulator) quotas(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	codeBytes := e.codeBytesLocked()
	maxInst := 0
	for _, f := range e.st.Functions {
		if n := f.Head.Conf.Strategy.Concurrency; n > 0 {
			maxInst += n
		}
	}
	codeMB := (codeBytes + (1<<20 - 1)) >> 20
	res := []any{
		map[string]any{"quota": 60, "used": 0, "type": "fgs_func_scale_down_timeout"},
		map[string]any{"quota": 1000, "used": maxInst, "type": "fgs_func_occurs"},
		map[string]any{"quota": 60, "used": 0, "type": "fgs_func_pat_idle_time"},
		map[string]any{"quota": e.cfg.FunctionQuota, "used": len(e.st.Functions), "type": "fgs_func_num"},
		map[string]any{"quota": e.cfg.CodeSizeQuotaMB, "used": codeMB, "type": "fgs_func_code_size", "unit": "MB"},
		map[string]any{"quota": 512, "used": 0, "type": "fgs_workflow_num"},
	}
	// "quotas" is an object per Table 5-30 (the example's array wrapper is a doc error).
	c.ok(200, map[string]any{"quotas": map[string]any{"resources": res}})
}
