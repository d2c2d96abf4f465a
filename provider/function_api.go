package provider

import (
	"fmt"
	"reflect"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The pure mapping between Function's Pulumi inputs and FunctionGraph's API bodies: the create body, the
// configuration body and the read-back, each input declared once in functionInputs.

// functionInput is one input of Function and every place it goes. A test checks that each input of
// FunctionArgs has one row, and that what a row sends comes back through its read (or is allowlisted).
type functionInput struct {
	key     string   // the Pulumi name
	create  bool     // POST /fgs/functions carries it (createRequest)
	config  bool     // PUT .../config carries it: a change of it is a configuration change
	outputs []string // the outputs an in-place change of it can change (WireDependencies)
	// toConfig decides the input's part of PUT .../config: what the user sets is sent; what the user set
	// before and removed is sent empty (it really unsets); what the user never managed keeps its live value.
	toConfig func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs)
	// read refreshes the input from the live function.
	read func(r *readBack)
}

// readBack is what a row's read works on: the inputs being rebuilt, the recorded ones, the live function.
type readBack struct {
	in        *FunctionArgs
	olds      FunctionArgs
	live      *fgs.Function
	importing bool
	settings  liveSettings // what the settings' own endpoints answered (function_settings.go)
	warnings  []string
}

// managed reports whether the user set the input (olds), or an import is rebuilding every input.
func (r *readBack) managed(isSet bool) bool { return isSet || r.importing }

var codeOutputs = []string{"digest", "codeSize", "codeType", "sourceCodeHash"}

var functionInputs = []functionInput{
	{key: "name", create: true, outputs: []string{"functionUrn", "domainId", "projectId"}, read: readIdentity},
	{key: "app", create: true, outputs: []string{"functionUrn", "domainId", "projectId"}, read: readIdentity},
	{key: "runtime", create: true, read: func(r *readBack) { r.in.Runtime = Runtime(r.live.Runtime) }},
	{key: "handler", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, _ *fgs.Function, _, news *FunctionArgs) {
			req.Handler = news.Handler
		},
		read: func(r *readBack) { r.in.Handler = r.live.Handler }},
	{key: "memorySize", create: true, config: true, outputs: []string{"cpu"},
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, _ *fgs.Function, _, news *FunctionArgs) {
			req.MemorySize = deref(news.MemorySize)
		},
		read: func(r *readBack) { r.in.MemorySize = fgs.Ptr(r.live.MemorySize.Int()) }},
	{key: "timeout", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, _ *fgs.Function, _, news *FunctionArgs) {
			req.Timeout = deref(news.Timeout)
		},
		read: func(r *readBack) { r.in.Timeout = fgs.Ptr(r.live.Timeout.Int()) }},
	{key: "description", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.Description = choose(news.Description, olds.Description != nil, "", live.Description)
		},
		read: func(r *readBack) {
			if r.managed(r.olds.Description != nil) {
				r.in.Description = optional(r.live.Description)
				if r.olds.Description != nil && r.in.Description == nil {
					r.in.Description = fgs.Ptr("")
				}
			}
		}},
	{key: "functionGraphVersion", create: true, read: func(r *readBack) {
		if r.live.Type != "" && r.managed(r.olds.FunctionGraphVersion != nil) {
			r.in.FunctionGraphVersion = fgs.Ptr(FunctionGraphVersion(r.live.Type))
		}
	}},
	{key: "code", create: true, outputs: codeOutputs, read: func(*readBack) {}}, // by digest, in Read
	{key: "codeUrl", create: true, outputs: codeOutputs, read: func(r *readBack) {
		if r.live.CodeType == "obs" && r.managed(r.olds.CodeURL != nil) {
			r.in.CodeURL = optional(r.live.CodeURL)
		}
	}},
	{key: "codeFilename", create: true, outputs: codeOutputs, read: func(r *readBack) {
		name := r.live.CodeFilename
		switch {
		case r.live.CodeType == "obs" || name == "":
		case r.olds.CodeFilename != nil:
			r.in.CodeFilename = &name
		case r.importing && name != "index.zip":
			r.in.CodeFilename = &name
		}
	}},
	{key: "customImage", config: true, outputs: codeOutputs,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.CustomImage != nil:
				req.CustomImage = toCustomImage(news.CustomImage)
			case olds.CustomImage == nil && live.CustomImage != nil && live.CustomImage.Image != "":
				req.CustomImage = live.CustomImage
			}
		},
		read: func(r *readBack) {
			if r.managed(r.olds.CustomImage != nil) && r.live.CustomImage != nil && r.live.CustomImage.Image != "" {
				r.in.CustomImage = fromCustomImage(r.live.CustomImage)
			}
		}},
	{key: "environment", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.UserData = choose(optional(encodeUserData(news.Environment)), len(olds.Environment) > 0, "", live.UserData.String())
		},
		read: readEnvironment},
	{key: "secretEnvironment", config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, _ *fgs.Function, olds, news *FunctionArgs) {
			if s := encodeUserData(news.SecretEnvironment); s != "" {
				req.EncryptedUserData = &s
			} else if len(olds.SecretEnvironment) > 0 {
				req.EncryptedUserData = fgs.Ptr("")
			} // otherwise left out: the service never returns it, so there is nothing to carry over
		},
		read: func(*readBack) {}}, // never returned: kept from state
	{key: "agency", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.Xrole = choose(news.Agency, olds.Agency != nil, "", live.Xrole.String())
		},
		read: func(r *readBack) {
			if r.managed(r.olds.Agency != nil) {
				r.in.Agency = optional(r.live.Xrole.String())
			}
		}},
	{key: "appAgency", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.AppXrole = choose(news.AppAgency, olds.AppAgency != nil, "", live.AppXrole.String())
		},
		read: func(r *readBack) {
			if r.managed(r.olds.AppAgency != nil) {
				r.in.AppAgency = optional(r.live.AppXrole.String())
			}
		}},
	{key: "initializer", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.Initializer != nil:
				req.InitializerHandler, req.InitializerTimeout = &news.Initializer.Handler, &news.Initializer.Timeout
			case olds.Initializer != nil:
				req.InitializerHandler, req.InitializerTimeout = fgs.Ptr(""), fgs.Ptr(0)
			case live.InitializerHandler != "":
				req.InitializerHandler, req.InitializerTimeout = fgs.Ptr(live.InitializerHandler), fgs.Ptr(live.InitializerTimeout.Int())
			}
		},
		read: func(r *readBack) {
			if r.managed(r.olds.Initializer != nil) {
				r.in.Initializer = nil
				if r.live.InitializerHandler != "" {
					r.in.Initializer = &Hook{Handler: r.live.InitializerHandler, Timeout: r.live.InitializerTimeout.Int()}
				}
			}
		}},
	{key: "restoreHook", config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.RestoreHook != nil:
				req.RestoreHookHandler, req.RestoreHookTimeout = &news.RestoreHook.Handler, &news.RestoreHook.Timeout
			case olds.RestoreHook != nil:
				req.RestoreHookHandler, req.RestoreHookTimeout = fgs.Ptr(""), fgs.Ptr(0)
			case deref(live.RestoreHookHandler) != "":
				req.RestoreHookHandler, req.RestoreHookTimeout = live.RestoreHookHandler, fgs.Ptr(live.RestoreHookTimeout.Int())
			}
		},
		read: func(r *readBack) {
			// Request-only in the API reference, but the live service returns restore_hook_handler in the
			// configuration; when an answer leaves it out (nil), the recorded hook is kept.
			if h := r.live.RestoreHookHandler; h != nil && r.managed(r.olds.RestoreHook != nil) {
				r.in.RestoreHook = nil
				if *h != "" {
					r.in.RestoreHook = &Hook{Handler: *h, Timeout: r.live.RestoreHookTimeout.Int()}
				}
			}
		}},
	{key: "enableSnapshot", read: readSnapshot},                          // its own endpoints (function_settings.go)
	{key: "tracing", read: readTracing},                                  // its own endpoints (function_settings.go)
	{key: "codeUrlHash", outputs: codeOutputs, read: func(*readBack) {}}, // the user's marker: the service never sees it
	{key: "vpc", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.Vpc != nil:
				req.FuncVpc = toFuncVpc(news.Vpc)
			case olds.Vpc == nil && live.FuncVpc != nil && live.FuncVpc.VpcID != "":
				req.FuncVpc = live.FuncVpc
			}
		},
		read: func(r *readBack) {
			if r.managed(r.olds.Vpc != nil) {
				r.in.Vpc = fromFuncVpc(r.live.FuncVpc, r.olds.Vpc)
			}
		}},
	{key: "network", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.Network != nil:
				req.NetworkController = toNetwork(news.Network)
			case olds.Network != nil:
				req.NetworkController = &fgs.NetworkControlConfig{DisablePublicNetwork: fgs.Ptr(false), TriggerAccessVpcs: []fgs.VpcConfig{}}
			case live.NetworkController != nil:
				req.NetworkController = live.NetworkController
			}
		},
		read: func(r *readBack) {
			// Request-only in the API reference, but the live service returns network_controller in the
			// configuration; when an answer leaves it out (nil), the recorded value is kept.
			if n := r.live.NetworkController; n != nil && r.managed(r.olds.Network != nil) {
				r.in.Network = fromNetwork(n, r.olds.Network)
			}
		}},
	{key: "mounts", config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.Mounts != nil:
				req.MountConfig = toMountConfig(news.Mounts)
			case olds.Mounts != nil:
				req.MountConfig = &fgs.MountConfig{FuncMounts: []fgs.FuncMount{}}
			case live.MountConfig != nil && len(live.MountConfig.FuncMounts) > 0:
				req.MountConfig = live.MountConfig
			}
		},
		read: func(r *readBack) {
			if r.managed(r.olds.Mounts != nil) {
				r.in.Mounts = fromMountConfig(r.live.MountConfig)
			}
		}},
	{key: "logConfig", create: true, config: true, outputs: []string{"logGroupId", "logStreamId"},
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			switch {
			case news.LogConfig != nil:
				req.LogConfig = toLogConfig(news.LogConfig)
			case olds.LogConfig != nil:
				req.LogConfig = &fgs.FuncLogConfig{}
			case live.LogGroupID != "" || live.LogStreamID != "":
				req.LogConfig = &fgs.FuncLogConfig{GroupID: live.LogGroupID, StreamID: live.LogStreamID}
			}
		},
		read: readLogConfig},
	{key: "maxInstances", read: func(r *readBack) { // its own endpoint, PUT .../config-max-instance
		if n, ok := r.live.MaxInstances(); ok && r.olds.MaxInstances != nil {
			r.in.MaxInstances = &n
		}
	}},
	{key: "concurrencyPerInstance", config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, _ *fgs.Function, olds, news *FunctionArgs) {
			if news.ConcurrencyPerInstance != nil {
				req.StrategyConfig.ConcurrentNum = news.ConcurrencyPerInstance
			} else if olds.ConcurrencyPerInstance != nil {
				req.StrategyConfig.ConcurrentNum = nil
			}
		},
		read: func(r *readBack) {
			if sc := r.live.StrategyConfig; r.olds.ConcurrencyPerInstance != nil && sc != nil && sc.ConcurrentNum != nil {
				r.in.ConcurrencyPerInstance = sc.ConcurrentNum
			}
		}},
	{key: "gpuMemory", create: true, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.GPUMemory = chooseInt(news.GpuMemory, olds.GpuMemory != nil, live.GPUMemory.Int())
		},
		read: func(r *readBack) {
			if r.managed(r.olds.GpuMemory != nil) && r.live.GPUMemory.Int() > 0 {
				r.in.GpuMemory = fgs.Ptr(r.live.GPUMemory.Int())
			}
		}},
	{key: "ephemeralStorage", config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.EphemeralStorage = chooseInt(news.EphemeralStorage, olds.EphemeralStorage != nil, live.EphemeralStorage.Int())
		},
		read: func(r *readBack) {
			if r.olds.EphemeralStorage != nil && r.live.EphemeralStorage.Int() > 0 {
				r.in.EphemeralStorage = fgs.Ptr(r.live.EphemeralStorage.Int())
			}
		}},
	boolInput("enableDynamicMemory", false, func(a *FunctionArgs) **bool { return &a.EnableDynamicMemory },
		func(req *fgs.UpdateFunctionConfigRequest) **bool { return &req.EnableDynamicMemory }, func(l *fgs.Function) fgs.FlexBool { return l.EnableDynamicMemory }),
	boolInput("enableAuthInHeader", false, func(a *FunctionArgs) **bool { return &a.EnableAuthInHeader },
		func(req *fgs.UpdateFunctionConfigRequest) **bool { return &req.EnableAuthInHeader }, func(l *fgs.Function) fgs.FlexBool { return l.EnableAuthInHeader }),
	boolInput("isStatefulFunction", false, func(a *FunctionArgs) **bool { return &a.IsStatefulFunction },
		func(req *fgs.UpdateFunctionConfigRequest) **bool { return &req.IsStatefulFunction }, func(l *fgs.Function) fgs.FlexBool { return l.IsStatefulFunction }),
	{key: "domainNames", config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, live *fgs.Function, olds, news *FunctionArgs) {
			req.DomainNames = choose(news.DomainNames, olds.DomainNames != nil, "", live.DomainNames.String())
		},
		read: func(r *readBack) {
			// The API reference lists domain_names in the answer of PUT .../config only, but the live service
			// returns it in every function answer ("" when none): a managed value is read even when empty, so
			// a removal shows; an import takes only a set one.
			if d := r.live.DomainNames.String(); r.olds.DomainNames != nil || (r.importing && d != "") {
				r.in.DomainNames = &d
			}
		}},
	{key: "dependencyVersions", create: true, outputs: codeOutputs, read: func(r *readBack) {
		if r.managed(r.olds.DependencyVersions != nil) {
			r.in.DependencyVersions = r.live.DependVersionList
			if len(r.in.DependencyVersions) == 0 {
				r.in.DependencyVersions = nil
			}
		}
	}},
	{key: "tags", read: func(*readBack) {}}, // its own endpoints: read in Read
	{key: "enterpriseProjectId", create: true, read: func(r *readBack) {
		if ep := r.live.EnterpriseProjectID.String(); ep != "" && ep != "0" && r.managed(r.olds.EnterpriseProjectID != nil) {
			r.in.EnterpriseProjectID = &ep
		}
	}},
}

// boolInput is the row of a flag the configuration carries; an import records it only when it is on.
func boolInput(key string, create bool, arg func(*FunctionArgs) **bool, body func(*fgs.UpdateFunctionConfigRequest) **bool,
	live func(*fgs.Function) fgs.FlexBool) functionInput {
	return functionInput{key: key, create: create, config: true,
		toConfig: func(req *fgs.UpdateFunctionConfigRequest, l *fgs.Function, olds, news *FunctionArgs) {
			*body(req) = chooseBool(*arg(news), *arg(olds) != nil, bool(live(l)))
		},
		read: func(r *readBack) {
			if v := bool(live(r.live)); *arg(r.in) != nil || (r.importing && v) {
				*arg(r.in) = fgs.Ptr(v)
			}
		}}
}

func readIdentity(r *readBack) {
	if u, err := fgs.ParseURN(r.live.FuncURN); err == nil {
		r.in.Name, r.in.App = &u.Name, &u.Package
	} else {
		r.in.Name, r.in.App = fgs.Ptr(r.live.FuncName), fgs.Ptr(r.live.Package)
	}
}

// readEnvironment never takes a user_data it cannot decode for "no variables": it keeps the recorded ones
// and warns, so that a refresh does not show every variable removed.
func readEnvironment(r *readBack) {
	if !r.managed(r.olds.Environment != nil) {
		return
	}
	env, err := decodeUserData(r.live.UserData.String())
	if err != nil {
		r.warnings = append(r.warnings, fmt.Sprintf("environment: the service returned a user_data that is not a JSON object of strings (%v); "+
			"the recorded environment is kept", err))
		return
	}
	r.in.Environment = env
	if r.importing && len(env) == 0 {
		r.in.Environment = nil
	}
}

func readLogConfig(r *readBack) {
	if !r.managed(r.olds.LogConfig != nil) {
		return
	}
	r.in.LogConfig = nil
	if r.live.LogGroupID != "" || r.live.LogStreamID != "" {
		lc := &LogConfig{GroupID: r.live.LogGroupID, StreamID: r.live.LogStreamID}
		if o := r.olds.LogConfig; o != nil && o.GroupID == lc.GroupID && o.StreamID == lc.StreamID {
			lc.GroupName, lc.StreamName = o.GroupName, o.StreamName // names are not returned
		}
		r.in.LogConfig = lc
	}
}

// createRequest builds the POST body and, for local code, the package it uploads (the caller closes it).
func createRequest(a FunctionArgs) (*fgs.CreateFunctionRequest, *codePackage, error) {
	return createRequestWith(a, nil)
}

// createRequestWith is createRequest with the package already built (nil: build it).
func createRequestWith(a FunctionArgs, built *codePackage) (*fgs.CreateFunctionRequest, *codePackage, error) {
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
	code, pkg, err := codeRequestWith(a, built)
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
	if code.FuncCode.Source != nil {
		body.FuncCode = &fgs.FuncCode{Source: code.FuncCode.Source}
	}
	return body, pkg, nil
}

// codeRequest builds the PUT .../code body; nil for a custom image, whose code lives in the configuration. The
// body streams the package (the caller closes it once the request is done).
func codeRequest(a FunctionArgs) (*fgs.UpdateFunctionCodeRequest, *codePackage, error) {
	return codeRequestWith(a, nil)
}

func codeRequestWith(a FunctionArgs, pkg *codePackage) (*fgs.UpdateFunctionCodeRequest, *codePackage, error) {
	switch {
	case a.CodeURL != nil:
		return &fgs.UpdateFunctionCodeRequest{CodeType: "obs", CodeURL: *a.CodeURL, CodeFilename: deref(a.CodeFilename),
			FuncCode: fgs.FuncCode{Link: *a.CodeURL}, DependVersionList: a.DependencyVersions}, nil, nil
	case a.Code != nil:
		if pkg == nil {
			var err error
			if pkg, err = buildPackage(a.Code, deref(a.CodeFilename)); err != nil {
				return nil, nil, err
			}
		}
		return &fgs.UpdateFunctionCodeRequest{CodeType: pkg.CodeType, CodeFilename: pkg.Filename,
			FuncCode: fgs.FuncCode{Source: pkg}, DependVersionList: a.DependencyVersions}, pkg, nil
	}
	return nil, nil, nil
}

// needsConfigAfterCreate reports whether an input that only the configuration body carries is set.
func needsConfigAfterCreate(a FunctionArgs) bool {
	for _, f := range functionInputs {
		if f.config && !f.create && !isEmpty(fieldByName(reflect.ValueOf(&a).Elem(), f.key)) {
			return true
		}
	}
	return false
}

// configChanged reports whether an input that PUT .../config carries changed.
func configChanged(olds, news FunctionArgs) bool {
	diff := diffInputs(olds, news, nil, nil)
	for _, f := range functionInputs {
		if _, ok := diff[f.key]; ok && f.config {
			return true
		}
	}
	return false
}

// configRequest builds PUT .../config from the live configuration and the user's inputs. The service replaces
// the whole metadata with the body, so every field is decided, by the rows of functionInputs. olds is nil at
// create.
func configRequest(live *fgs.Function, olds *FunctionArgs, news FunctionArgs) *fgs.UpdateFunctionConfigRequest {
	if olds == nil {
		olds = &FunctionArgs{}
	}
	req := &fgs.UpdateFunctionConfigRequest{FuncName: live.FuncName, Runtime: live.Runtime}
	// Max instances belong to their own endpoint, but this body carries them too: always send the live count,
	// so that a configuration change never resets them.
	req.StrategyConfig = &fgs.StrategyConfig{}
	if n, ok := live.MaxInstances(); ok {
		req.StrategyConfig.Concurrency = &n
	}
	if live.StrategyConfig != nil && live.StrategyConfig.ConcurrentNum != nil {
		req.StrategyConfig.ConcurrentNum = live.StrategyConfig.ConcurrentNum
	}
	for _, f := range functionInputs {
		if f.toConfig != nil {
			f.toConfig(req, live, olds, &news)
		}
	}
	if req.StrategyConfig.Concurrency == nil && req.StrategyConfig.ConcurrentNum == nil {
		req.StrategyConfig = nil
	}
	if ep := live.EnterpriseProjectID.String(); ep != "" {
		req.EnterpriseProjectID = &ep
	}
	if ec := live.ExtendConfig.String(); ec != "" {
		req.ExtendConfig = &ec
	}
	return req
}

// readInputs refreshes the inputs from the live function, by the rows of functionInputs: every input the
// user set takes its live value; on import, the inputs a program needs are filled in too. The warnings say
// what could not be read back and was kept as recorded.
func readInputs(olds FunctionArgs, live *fgs.Function, importing bool) (FunctionArgs, []string) {
	return readInputsWith(olds, live, liveSettings{}, importing)
}

// readInputsWith is readInputs with what the settings' own endpoints answered.
func readInputsWith(olds FunctionArgs, live *fgs.Function, settings liveSettings, importing bool) (FunctionArgs, []string) {
	in := olds
	r := &readBack{in: &in, olds: olds, live: live, importing: importing, settings: settings}
	for _, f := range functionInputs {
		f.read(r)
	}
	return in, r.warnings
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
