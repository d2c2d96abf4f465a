package fgs

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// FunctionsService: function lifecycle (API chapter 5.6).
type FunctionsService service

// FuncCode is the code object: file (Base64 of the code or zip) or link. Source, when set, is sent as file
// and streamed (body.go); it is never decoded.
type FuncCode struct {
	File   string     `json:"file,omitempty"`
	Link   string     `json:"link,omitempty"`
	Source CodeSource `json:"-"`
}

// FuncVpc binds a function to a VPC. In requests all six strings are mandatory.
type FuncVpc struct {
	VpcName        string   `json:"vpc_name,omitempty"`
	VpcID          string   `json:"vpc_id,omitempty"`
	SubnetName     string   `json:"subnet_name,omitempty"`
	SubnetID       string   `json:"subnet_id,omitempty"`
	Cidr           string   `json:"cidr,omitempty"`
	Gateway        string   `json:"gateway,omitempty"`
	SecurityGroups []string `json:"security_groups,omitempty"`
}

// MountConfig describes file system mounts.
type MountConfig struct {
	MountUser  *MountUser  `json:"mount_user,omitempty"`
	FuncMounts []FuncMount `json:"func_mounts"`
}

// MountUser: the ids are documented as strings but sent as JSON integers by
// the vendor SDK; they are read either way and sent as numbers.
type MountUser struct {
	UserID      FlexInt `json:"user_id"`
	UserGroupID FlexInt `json:"user_group_id"`
}

// FuncMount is one mount.
type FuncMount struct {
	MountType      string `json:"mount_type"`
	MountResource  string `json:"mount_resource"`
	MountSharePath string `json:"mount_share_path,omitempty"`
	LocalMountPath string `json:"local_mount_path"`
	Status         string `json:"status,omitempty"` // response only
}

// StrategyConfig: concurrency is the max instance count (-1 unlimited, 0
// disabled); concurrent_num the per-instance concurrency (v2).
type StrategyConfig struct {
	Concurrency   *int `json:"concurrency,omitempty"`
	ConcurrentNum *int `json:"concurrent_num,omitempty"`
}

// CustomImage runs the function from a container image.
type CustomImage struct {
	Enabled    *bool  `json:"enabled,omitempty"`
	Image      string `json:"image,omitempty"`
	Command    string `json:"command,omitempty"`
	Args       string `json:"args,omitempty"`
	WorkingDir string `json:"working_dir,omitempty"`
	UID        string `json:"uid,omitempty"`
	GID        string `json:"gid,omitempty"`
}

// FuncLogConfig binds the function to an LTS group and stream (request only).
type FuncLogConfig struct {
	GroupName  string `json:"group_name,omitempty"`
	GroupID    string `json:"group_id,omitempty"`
	StreamName string `json:"stream_name,omitempty"`
	StreamID   string `json:"stream_id,omitempty"`
}

// NetworkControlConfig restricts network access (request only).
type NetworkControlConfig struct {
	DisablePublicNetwork *bool       `json:"disable_public_network,omitempty"`
	TriggerAccessVpcs    []VpcConfig `json:"trigger_access_vpcs,omitempty"`
}

// VpcConfig names a VPC.
type VpcConfig struct {
	VpcName string `json:"vpc_name,omitempty"`
	VpcID   string `json:"vpc_id,omitempty"`
}

// Dependency is a dependency package as embedded in function answers.
type Dependency struct {
	ID           string     `json:"id,omitempty"`
	Owner        string     `json:"owner"`
	Link         string     `json:"link"`
	Runtime      string     `json:"runtime"`
	Etag         string     `json:"etag"`
	Size         FlexInt    `json:"size"`
	Name         string     `json:"name"`
	Description  string     `json:"description"`
	FileName     string     `json:"file_name"`
	Version      FlexInt    `json:"version,omitempty"`
	DepID        string     `json:"dep_id,omitempty"`
	LastModified FlexString `json:"last_modified,omitempty"`
}

// Function is the union of every function-shaped answer (list, create, get
// config, update config, max instances, publish, resource details). Fields an
// API does not send stay zero. Numbers and strings are read tolerantly.
type Function struct {
	FuncURN             string          `json:"func_urn"`
	FuncName            string          `json:"func_name"`
	DomainID            string          `json:"domain_id"`
	Namespace           string          `json:"namespace"`
	ProjectName         string          `json:"project_name"`
	Package             string          `json:"package"`
	Runtime             string          `json:"runtime"`
	Timeout             FlexInt         `json:"timeout"`
	Handler             string          `json:"handler"`
	MemorySize          FlexInt         `json:"memory_size"`
	GPUMemory           FlexInt         `json:"gpu_memory"`
	CPU                 FlexInt         `json:"cpu"`
	CodeType            string          `json:"code_type"`
	CodeURL             string          `json:"code_url"`
	CodeFilename        string          `json:"code_filename"`
	CodeSize            FlexInt         `json:"code_size"`
	UserData            FlexString      `json:"user_data"` // a string holding a JSON object
	EncryptedUserData   FlexString      `json:"encrypted_user_data"`
	Digest              string          `json:"digest"`
	Version             string          `json:"version"`
	ImageName           string          `json:"image_name"`
	Xrole               FlexString      `json:"xrole"`
	AppXrole            FlexString      `json:"app_xrole"`
	Description         string          `json:"description"`
	VersionDescription  string          `json:"version_description"`
	LastModified        FlexString      `json:"last_modified"`
	FuncVpcID           string          `json:"func_vpc_id"`
	FuncVpc             *FuncVpc        `json:"func_vpc"`
	MountConfig         *MountConfig    `json:"mount_config"`
	StrategyConfig      *StrategyConfig `json:"strategy_config"`
	ExtendConfig        FlexString      `json:"extend_config"`
	InitializerHandler  string          `json:"initializer_handler"`
	InitializerTimeout  FlexInt         `json:"initializer_timeout"`
	EnterpriseProjectID FlexString      `json:"enterprise_project_id"`
	LongTime            FlexBool        `json:"long_time"`
	LogGroupID          string          `json:"log_group_id"`
	LogStreamID         string          `json:"log_stream_id"`
	Type                string          `json:"type"`
	FailCount           FlexInt         `json:"fail_count"`
	IsBridgeFunction    FlexBool        `json:"is_bridge_function"`
	DependList          []string        `json:"depend_list"`
	DependVersionList   []string        `json:"depend_version_list"`
	Dependencies        []Dependency    `json:"dependencies"`
	EnableDynamicMemory FlexBool        `json:"enable_dynamic_memory"`
	IsStatefulFunction  FlexBool        `json:"is_stateful_function"`
	EnableAuthInHeader  FlexBool        `json:"enable_auth_in_header"`
	CustomImage         *CustomImage    `json:"custom_image"`
	FuncCode            *FuncCode       `json:"func_code"`
	EphemeralStorage    FlexInt         `json:"ephemeral_storage"`
	DomainNames         FlexString      `json:"domain_names"`
	// Returned by the live service's GET .../config, though the API reference lists them for requests only.
	NetworkController  *NetworkControlConfig `json:"network_controller"`
	RestoreHookHandler *string               `json:"restore_hook_handler"` // nil: not returned
	RestoreHookTimeout FlexInt               `json:"restore_hook_timeout"`
	// versions list only
	Concurrency              FlexInt    `json:"concurrency"`
	ConcurrentNum            FlexInt    `json:"concurrent_num"`
	EnableCloudDebug         FlexString `json:"enable_cloud_debug"`
	ReservedInstanceIdleMode FlexBool   `json:"reserved_instance_idle_mode"`
}

// MaxInstances returns strategy_config.concurrency (the max instance count)
// and whether the answer carried it.
func (f *Function) MaxInstances() (int, bool) {
	if f.StrategyConfig == nil || f.StrategyConfig.Concurrency == nil {
		return 0, false
	}
	return *f.StrategyConfig.Concurrency, true
}

// CreateFunctionRequest is the body of POST /fgs/functions. Fields the API
// does not take at create time (mount_config, strategy_config,
// encrypted_user_data, ...) must be applied with UpdateConfig afterwards.
type CreateFunctionRequest struct {
	FuncName            string                `json:"func_name"`
	Package             string                `json:"package"`
	Runtime             string                `json:"runtime"`
	Timeout             int                   `json:"timeout"`
	Handler             string                `json:"handler"`
	MemorySize          int                   `json:"memory_size"`
	CodeType            string                `json:"code_type"`
	GPUMemory           *int                  `json:"gpu_memory,omitempty"`
	DependVersionList   []string              `json:"depend_version_list,omitempty"`
	FuncVpc             *FuncVpc              `json:"func_vpc,omitempty"`
	CodeURL             string                `json:"code_url,omitempty"`
	CodeFilename        string                `json:"code_filename,omitempty"`
	UserData            string                `json:"user_data,omitempty"`
	Xrole               string                `json:"xrole,omitempty"`
	AppXrole            string                `json:"app_xrole,omitempty"`
	Description         string                `json:"description,omitempty"`
	FuncCode            *FuncCode             `json:"func_code,omitempty"`
	InitializerHandler  string                `json:"initializer_handler,omitempty"`
	InitializerTimeout  *int                  `json:"initializer_timeout,omitempty"`
	EnterpriseProjectID string                `json:"enterprise_project_id,omitempty"`
	Type                string                `json:"type,omitempty"`
	LogConfig           *FuncLogConfig        `json:"log_config,omitempty"`
	NetworkController   *NetworkControlConfig `json:"network_controller,omitempty"`
	// Not documented for create, but accepted by the real service (vendor SDKs send them).
	EncryptedUserData   string       `json:"encrypted_user_data,omitempty"`
	CustomImage         *CustomImage `json:"custom_image,omitempty"`
	EnableDynamicMemory *bool        `json:"enable_dynamic_memory,omitempty"`
}

// UpdateFunctionConfigRequest is the body of PUT .../config. The service
// replaces the whole metadata with it, so the caller sends every field the
// user set (read-modify-write) and leaves the rest nil. The first five fields
// are mandatory. Pointers let a caller send an explicit "" / 0 / false.
type UpdateFunctionConfigRequest struct {
	FuncName            string                `json:"func_name"`
	Runtime             string                `json:"runtime"`
	Timeout             int                   `json:"timeout"`
	Handler             string                `json:"handler"`
	MemorySize          int                   `json:"memory_size"`
	Package             *string               `json:"package,omitempty"`
	GPUMemory           *int                  `json:"gpu_memory,omitempty"`
	UserData            *string               `json:"user_data,omitempty"`
	EncryptedUserData   *string               `json:"encrypted_user_data,omitempty"`
	Xrole               *string               `json:"xrole,omitempty"`
	AppXrole            *string               `json:"app_xrole,omitempty"`
	Description         *string               `json:"description,omitempty"`
	FuncVpc             *FuncVpc              `json:"func_vpc,omitempty"`
	MountConfig         *MountConfig          `json:"mount_config,omitempty"`
	StrategyConfig      *StrategyConfig       `json:"strategy_config,omitempty"`
	CustomImage         *CustomImage          `json:"custom_image,omitempty"`
	ExtendConfig        *string               `json:"extend_config,omitempty"`
	InitializerHandler  *string               `json:"initializer_handler,omitempty"`
	InitializerTimeout  *int                  `json:"initializer_timeout,omitempty"`
	EphemeralStorage    *int                  `json:"ephemeral_storage,omitempty"`
	EnterpriseProjectID *string               `json:"enterprise_project_id,omitempty"`
	LogConfig           *FuncLogConfig        `json:"log_config,omitempty"`
	NetworkController   *NetworkControlConfig `json:"network_controller,omitempty"`
	IsStatefulFunction  *bool                 `json:"is_stateful_function,omitempty"`
	EnableDynamicMemory *bool                 `json:"enable_dynamic_memory,omitempty"`
	EnableAuthInHeader  *bool                 `json:"enable_auth_in_header,omitempty"`
	DomainNames         *string               `json:"domain_names,omitempty"`
	RestoreHookHandler  *string               `json:"restore_hook_handler,omitempty"`
	RestoreHookTimeout  *int                  `json:"restore_hook_timeout,omitempty"`
}

// UpdateFunctionCodeRequest is the body of PUT .../code. A nil DependVersionList is left out (the service
// keeps the function's dependencies); an empty, non-nil one is sent as [] and removes them all.
type UpdateFunctionCodeRequest struct {
	CodeType          string   `json:"code_type"`
	CodeURL           string   `json:"code_url,omitempty"`
	CodeFilename      string   `json:"code_filename,omitempty"`
	FuncCode          FuncCode `json:"func_code"`
	DependList        []string `json:"depend_list,omitempty"`
	DependVersionList []string `json:"depend_version_list,omitempty"`
}

// MarshalJSON sends an empty, non-nil DependVersionList as []: omitempty would drop it, and the service
// takes a missing list for "keep the dependencies" (OTC terraform #3425).
func (r UpdateFunctionCodeRequest) MarshalJSON() ([]byte, error) {
	type wire UpdateFunctionCodeRequest
	if r.DependVersionList != nil && len(r.DependVersionList) == 0 {
		return json.Marshal(struct {
			wire
			DependVersionList []string `json:"depend_version_list"`
		}{wire(r), []string{}})
	}
	return json.Marshal(wire(r))
}

// FunctionCode is the answer of GET/PUT .../code (func_code.file comes back empty).
type FunctionCode struct {
	FuncURN           string          `json:"func_urn"`
	FuncName          string          `json:"func_name"`
	DomainID          string          `json:"domain_id"`
	Runtime           string          `json:"runtime"`
	CodeType          string          `json:"code_type"`
	CodeURL           string          `json:"code_url"`
	CodeFilename      string          `json:"code_filename"`
	CodeSize          FlexInt         `json:"code_size"`
	Digest            string          `json:"digest"`
	LastModified      FlexString      `json:"last_modified"`
	FuncCode          *FuncCode       `json:"func_code"`
	DependList        []string        `json:"depend_list"`
	DependVersionList []string        `json:"depend_version_list"`
	StrategyConfig    *StrategyConfig `json:"strategy_config"`
	Dependencies      []Dependency    `json:"dependencies"`
}

// ListFunctionsOptions filter List.
type ListFunctionsOptions struct {
	PackageName string // package_name
	PageSize    int    // maxitems per request (default 400)
}

func fnPath(urn string) string { return "/fgs/functions/" + seg(urn) }

// Create creates a function (POST /fgs/functions, 200). The answer's func_urn
// carries ":latest"; use UnqualifiedURN for the resource id.
//
// Retry safety: if the POST fails ambiguously (connection dropped after
// sending, a timeout, 5xx), the client lists the package's functions. A function
// of that name is adopted only if it is what this request sent (app, runtime,
// handler, code digest) and was created inside the request's time window
// (ownership.go); any other is an *AlreadyExistsError. With none the POST is
// sent again. A 409 FSS.1061 answer is an *AlreadyExistsError naming the
// function in the way (or the bare answer when it cannot be found); both match
// ErrConflict.
func (s *FunctionsService) Create(ctx context.Context, req *CreateFunctionRequest) (*Function, error) {
	var out Function
	err := s.c.do(ctx, reqSpec{
		method: http.MethodPost, path: "/fgs/functions", body: req, out: &out, stream: codeSourceOf(req.FuncCode),
		recover: func(ctx context.Context, w createWindow) (*AlreadyExistsError, error) {
			f, err := s.findByName(ctx, req.Package, req.FuncName)
			if err != nil || f == nil {
				return nil, err
			}
			if f.Digest == "" && packageDigest(req.FuncCode) != "" {
				// A list answer without digests: the function's own configuration has it.
				if full, err := s.GetConfig(ctx, UnqualifiedURN(f.FuncURN)); err == nil {
					f = full
				} else if !IsNotFound(err) {
					return nil, err
				}
			}
			out = *f
			return &AlreadyExistsError{Kind: "Function", Name: req.FuncName, ImportID: UnqualifiedURN(f.FuncURN), Reason: functionMismatch(req, f, w)}, nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *FunctionsService) findByName(ctx context.Context, pkg, name string) (*Function, error) {
	fs, err := s.List(ctx, &ListFunctionsOptions{PackageName: pkg})
	if err != nil {
		return nil, err
	}
	for i := range fs {
		if fs[i].FuncName == name && (pkg == "" || fs[i].Package == pkg) {
			return &fs[i], nil
		}
	}
	return nil, nil
}

// List returns every function (all pages of GET /fgs/functions).
func (s *FunctionsService) List(ctx context.Context, opts *ListFunctionsOptions) ([]Function, error) {
	base := url.Values{}
	size := 400
	if opts != nil {
		if opts.PackageName != "" {
			base.Set("package_name", opts.PackageName)
		}
		if opts.PageSize > 0 {
			size = opts.PageSize
		}
	}
	return collectMarkerPages(ctx, "functions", func(ctx context.Context, marker int64) ([]Function, int64, int64, error) {
		var page struct {
			Functions  []Function `json:"functions"`
			NextMarker FlexInt    `json:"next_marker"`
			Count      FlexInt    `json:"count"`
		}
		err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: "/fgs/functions", query: markerQuery(base, marker, "maxitems", size), out: &page})
		return page.Functions, int64(page.NextMarker), int64(page.Count), err
	})
}

// GetConfig reads the function metadata (GET .../config).
func (s *FunctionsService) GetConfig(ctx context.Context, urn string) (*Function, error) {
	var out Function
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/config", out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetCode reads the code metadata (GET .../code).
func (s *FunctionsService) GetCode(ctx context.Context, urn string) (*FunctionCode, error) {
	var out FunctionCode
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/code", out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// ExportCode downloads the function's code package (GET .../export?type=code): the bytes of the zip the
// console exports, for a copy on disk. GET .../code never returns the package itself.
func (s *FunctionsService) ExportCode(ctx context.Context, urn string) ([]byte, error) {
	var raw []byte
	err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/export", query: url.Values{"type": {"code"}}, rawOut: &raw})
	if err != nil {
		return nil, err
	}
	return raw, nil
}

// UpdateCode replaces the code (PUT .../code).
func (s *FunctionsService) UpdateCode(ctx context.Context, urn string, req *UpdateFunctionCodeRequest) (*FunctionCode, error) {
	var out FunctionCode
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: fnPath(urn) + "/code", body: req, out: &out,
		stream: codeSourceOf(&req.FuncCode)}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateConfig replaces the metadata (PUT .../config).
func (s *FunctionsService) UpdateConfig(ctx context.Context, urn string, req *UpdateFunctionConfigRequest) (*Function, error) {
	var out Function
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: fnPath(urn) + "/config", body: req, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateMaxInstances sets max_instance_num (PUT .../config-max-instance;
// -1 unlimited, 0 disabled).
func (s *FunctionsService) UpdateMaxInstances(ctx context.Context, urn string, n int) (*Function, error) {
	var out Function
	body := struct {
		MaxInstanceNum int `json:"max_instance_num"`
	}{n}
	if err := s.c.do(ctx, reqSpec{method: http.MethodPut, path: fnPath(urn) + "/config-max-instance", body: body, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a function (unqualified URN: everything, incl. versions,
// aliases and triggers) or one version (qualified URN). Never pass ":latest".
func (s *FunctionsService) Delete(ctx context.Context, urn string) error {
	return s.c.do(ctx, reqSpec{method: http.MethodDelete, path: fnPath(urn)})
}

// SnapshotState is the answer of GET .../snapshots/state (API 5.6.10): state is "enable" or "disable".
type SnapshotState struct {
	State string `json:"state"`
	Code  string `json:"code"`
}

// Enabled reports whether the snapshot start is on.
func (s *SnapshotState) Enabled() bool { return s.State == "enable" || s.State == "enabled" }

// SetSnapshot turns snapshot start on or off (POST .../snapshots/{enable|disable}, API 5.6.9, Java only).
// Setting a state is idempotent, so the POST is retried like a PUT.
func (s *FunctionsService) SetSnapshot(ctx context.Context, urn string, enable bool) error {
	action := "disable"
	if enable {
		action = "enable"
	}
	return s.c.do(ctx, reqSpec{method: http.MethodPost, path: fnPath(urn) + "/snapshots/" + action, idempotent: true})
}

// GetSnapshotState reads whether snapshot start is on (GET .../snapshots/state).
func (s *FunctionsService) GetSnapshotState(ctx context.Context, urn string) (*SnapshotState, error) {
	var out SnapshotState
	if err := s.c.do(ctx, reqSpec{method: http.MethodGet, path: fnPath(urn) + "/snapshots/state", out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}
