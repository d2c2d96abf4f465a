package emulator

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// Function metadata (API reference §5.6.6-§5.6.8): validation of the configuration and its handlers.

var memorySizes = map[int]bool{128: true, 256: true, 512: true, 768: true, 1024: true, 1280: true, 1536: true,
	1792: true, 2048: true, 2560: true, 3072: true, 3584: true, 4096: true}

type strategyReq struct {
	Concurrency   *int `json:"concurrency"`
	ConcurrentNum *int `json:"concurrent_num"`
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
	// A runtime change in PUT /config is accepted and applied (CONTRADICTIONS.md #50): OTC's
	// acceptance tests change Python3.9 to Python3.6 against the live service.
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
	// type: "The default value is v1. Default: v2" (§5.6.2). We default to v2, the value the
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
		// The reference marks all six strings mandatory (§5.6.2) but OTC's SDKs send only
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

// checkConcurrency: v1 → 0 or -1; v2 → -1..1000 (§5.6.1).
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

func (e *Emulator) getConfig(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	// GET config answers with the qualified URN (§5.6.6): ":latest" for the head.
	c.ok(200, e.renderFunction(t.fn, t.ver, e.qualURN(t.fn, t.ver.Version)))
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
	// func_name may be left out (CONTRADICTIONS.md #51); when sent it must be the function's.
	if in.FuncName != nil && *in.FuncName != t.fn.Name {
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
	// PUT config answers with the unqualified URN (§5.6.7).
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
