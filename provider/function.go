package provider

import (
	"context"
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Function manages a FunctionGraph function: its code, its configuration, its maximum instances and its tags.
type Function struct{}

// Runtime is a FunctionGraph runtime, as the API spells it on the wire.
type Runtime string

// Values lists the runtimes of the API reference's enumeration (wire values, not display names).
func (Runtime) Values() []infer.EnumValue[Runtime] {
	return enumValues[Runtime](runtimes...)
}

var runtimes = []string{
	"Java8", "Java11", "Node.js6.10", "Node.js8.10", "Node.js10.16", "Node.js12.13", "Node.js14.18",
	"Python2.7", "Python3.6", "Python3.9", "Go1.8", "Go1.x", "C#(.NET Core 2.0)", "C#(.NET Core 2.1)",
	"C#(.NET Core 3.1)", "Custom", "PHP7.3", "http",
}

// FunctionGraphVersion is the generation of the FunctionGraph platform a function runs on.
type FunctionGraphVersion string

// Values lists the platform generations.
func (FunctionGraphVersion) Values() []infer.EnumValue[FunctionGraphVersion] {
	return []infer.EnumValue[FunctionGraphVersion]{
		{Name: "V1", Value: "v1", Description: "The first-generation platform."},
		{Name: "V2", Value: "v2", Description: "The second-generation platform (default): per-instance concurrency, stateful functions, dynamic memory."},
	}
}

// MountType is the kind of file system a function mounts.
type MountType string

// Values lists the mount types.
func (MountType) Values() []infer.EnumValue[MountType] {
	return []infer.EnumValue[MountType]{
		{Name: "Sfs", Value: "sfs", Description: "Scalable File Service."},
		{Name: "SfsTurbo", Value: "sfsTurbo", Description: "SFS Turbo."},
		{Name: "Ecs", Value: "ecs", Description: "A directory shared by an ECS; needs sharePath."},
	}
}

// FunctionArgs are the inputs of a Function.
type FunctionArgs struct {
	Name                 *string               `pulumi:"name,optional"`
	App                  *string               `pulumi:"app,optional"`
	Runtime              Runtime               `pulumi:"runtime"`
	Handler              string                `pulumi:"handler"`
	MemorySize           *int                  `pulumi:"memorySize,optional"`
	Timeout              *int                  `pulumi:"timeout,optional"`
	Description          *string               `pulumi:"description,optional"`
	FunctionGraphVersion *FunctionGraphVersion `pulumi:"functionGraphVersion,optional"`

	Code         *types.AssetOrArchive `pulumi:"code,optional"`
	CodeURL      *string               `pulumi:"codeUrl,optional"`
	CodeFilename *string               `pulumi:"codeFilename,optional"`
	CustomImage  *CustomImage          `pulumi:"customImage,optional"`

	Environment       map[string]string `pulumi:"environment,optional"`
	SecretEnvironment map[string]string `pulumi:"secretEnvironment,optional" provider:"secret"`

	Agency                 *string           `pulumi:"agency,optional"`
	AppAgency              *string           `pulumi:"appAgency,optional"`
	Initializer            *Hook             `pulumi:"initializer,optional"`
	RestoreHook            *Hook             `pulumi:"restoreHook,optional"`
	Vpc                    *FunctionVpc      `pulumi:"vpc,optional"`
	Network                *Network          `pulumi:"network,optional"`
	Mounts                 *Mounts           `pulumi:"mounts,optional"`
	LogConfig              *LogConfig        `pulumi:"logConfig,optional"`
	MaxInstances           *int              `pulumi:"maxInstances,optional"`
	ConcurrencyPerInstance *int              `pulumi:"concurrencyPerInstance,optional"`
	GpuMemory              *int              `pulumi:"gpuMemory,optional"`
	EphemeralStorage       *int              `pulumi:"ephemeralStorage,optional"`
	EnableDynamicMemory    *bool             `pulumi:"enableDynamicMemory,optional"`
	EnableAuthInHeader     *bool             `pulumi:"enableAuthInHeader,optional"`
	IsStatefulFunction     *bool             `pulumi:"isStatefulFunction,optional"`
	DomainNames            *string           `pulumi:"domainNames,optional"`
	DependencyVersions     []string          `pulumi:"dependencyVersions,optional"`
	Tags                   map[string]string `pulumi:"tags,optional"`
	EnterpriseProjectID    *string           `pulumi:"enterpriseProjectId,optional"`
}

// CustomImage runs the function from a container image (runtime Custom or http).
type CustomImage struct {
	Image      string  `pulumi:"image"`
	Command    *string `pulumi:"command,optional"`
	Args       *string `pulumi:"args,optional"`
	WorkingDir *string `pulumi:"workingDir,optional"`
	UID        *string `pulumi:"uid,optional"`
	GID        *string `pulumi:"gid,optional"`
}

// Hook is a handler with its own timeout: the initializer, or the snapshot restore hook.
type Hook struct {
	Handler string `pulumi:"handler"`
	Timeout int    `pulumi:"timeout"`
}

// FunctionVpc attaches the function to a VPC subnet.
type FunctionVpc struct {
	VpcID            string   `pulumi:"vpcId"`
	SubnetID         string   `pulumi:"subnetId"`
	SecurityGroupIDs []string `pulumi:"securityGroupIds,optional"`
	VpcName          *string  `pulumi:"vpcName,optional"`
	SubnetName       *string  `pulumi:"subnetName,optional"`
	Cidr             *string  `pulumi:"cidr,optional"`
	Gateway          *string  `pulumi:"gateway,optional"`
}

// Network controls the function's network access.
type Network struct {
	DisablePublicNetwork *bool              `pulumi:"disablePublicNetwork,optional"`
	TriggerAccessVpcs    []TriggerAccessVpc `pulumi:"triggerAccessVpcs,optional"`
}

// TriggerAccessVpc is a VPC from which triggers may reach the function.
type TriggerAccessVpc struct {
	VpcID   string  `pulumi:"vpcId"`
	VpcName *string `pulumi:"vpcName,optional"`
}

// Mounts are the file systems a function mounts, and the user it mounts them as.
type Mounts struct {
	UserID      int          `pulumi:"userId"`
	UserGroupID int          `pulumi:"userGroupId"`
	FileSystems []FileSystem `pulumi:"fileSystems"`
}

// FileSystem is one mounted file system.
type FileSystem struct {
	Type       MountType `pulumi:"type"`
	ResourceID string    `pulumi:"resourceId"`
	SharePath  *string   `pulumi:"sharePath,optional"`
	LocalPath  string    `pulumi:"localPath"`
}

// LogConfig sends the function's logs to an LTS log group and stream.
type LogConfig struct {
	GroupID    string  `pulumi:"groupId"`
	GroupName  *string `pulumi:"groupName,optional"`
	StreamID   string  `pulumi:"streamId"`
	StreamName *string `pulumi:"streamName,optional"`
}

// FunctionState is what a Function records: its inputs, resolved, and what the service computed.
type FunctionState struct {
	FunctionArgs
	FunctionURN    string `pulumi:"functionUrn"`
	Version        string `pulumi:"version"`
	Digest         string `pulumi:"digest"`
	CodeSize       int    `pulumi:"codeSize"`
	CodeType       string `pulumi:"codeType"`
	SourceCodeHash string `pulumi:"sourceCodeHash,optional"`
	CPU            int    `pulumi:"cpu"`
	LastModified   string `pulumi:"lastModified"`
	ImageName      string `pulumi:"imageName,optional"`
	DomainID       string `pulumi:"domainId,optional"`
	ProjectID      string `pulumi:"projectId,optional"`
	LogGroupID     string `pulumi:"logGroupId,optional"`
	LogStreamID    string `pulumi:"logStreamId,optional"`
}

// Annotate describes the Function resource.
func (f *Function) Annotate(a infer.Annotator) {
	a.Describe(f, "A FunctionGraph function: its code, configuration, maximum instances and tags.\n\n"+
		"Changing `name`, `app`, `runtime`, `functionGraphVersion` or `enterpriseProjectId` replaces the function; "+
		"everything else is updated in place.\n\n"+functionExamples+
		"\n\n## Import\n\nImport by the function URN, by `app:name`, or by `name` (app `default`):\n\n"+
		"```sh\n$ pulumi import fgs:index:Function hello urn:fss:eu-de:<project_id>:function:default:hello\n"+
		"$ pulumi import fgs:index:Function hello default:hello\n```\n")
	a.SetToken("index", "Function")
}

// Annotate describes the Function's inputs.
func (a *FunctionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "The function's name: letters, digits, `_` and `-`, starting with a letter, at most 60 characters. "+
		"Defaults to the Pulumi resource name followed by a random suffix. Changing it replaces the function.")
	an.Describe(&a.App, "The application (the API's `package`) the function belongs to. Defaults to `default`. Changing it replaces the function.")
	an.SetDefault(&a.App, "default")
	an.Describe(&a.Runtime, "The runtime, as the API spells it (for example `Python3.9`, `Node.js14.18`, `Java11`, `Go1.x`, `Custom`, `http`). Changing it replaces the function.")
	an.Describe(&a.Handler, "The entry point, `file.function` for most runtimes (for example `index.handler`); for Java, `package.Class.method`; for Go, the executable name.")
	an.Describe(&a.MemorySize, "Memory in MB: 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584 or 4096. Defaults to 128. The CPU share follows it.")
	an.SetDefault(&a.MemorySize, 128)
	an.Describe(&a.Timeout, "Maximum run time of one invocation, in seconds, 3 to 900. Defaults to 30.")
	an.SetDefault(&a.Timeout, 30)
	an.Describe(&a.Description, "A description of the function, at most 512 characters.")
	an.Describe(&a.FunctionGraphVersion, "The platform generation, `v1` or `v2`. Defaults to `v2`. Changing it replaces the function.")
	an.SetDefault(&a.FunctionGraphVersion, "v2")
	an.Describe(&a.Code, "The function's code: a `FileArchive` of a directory or zip file, an `AssetArchive`, or a single `FileAsset`/`StringAsset`. "+
		"Archives are zipped deterministically, so the same files give the same package on every machine. "+
		"Exactly one of `code`, `codeUrl` and `customImage` must be set.")
	an.Describe(&a.CodeURL, "The OBS URL of a zip package holding the code (for example `https://bucket.obs.eu-de.otc.t-systems.com/code.zip`). "+
		"Exactly one of `code`, `codeUrl` and `customImage` must be set.")
	an.Describe(&a.CodeFilename, "The name of the package file (for example `index.zip` or `app.jar`). Defaults to `index.zip` for archives; for a single asset, the asset's file name.")
	an.Describe(&a.CustomImage, "Runs the function from a container image in SWR. Exactly one of `code`, `codeUrl` and `customImage` must be set.")
	an.Describe(&a.Environment, "Environment variables (the API's `user_data`): at most 20 keys and 4 KB in all, together with `secretEnvironment`.")
	an.Describe(&a.SecretEnvironment, "Environment variables whose values are stored encrypted by FunctionGraph (the API's `encrypted_user_data`) and kept secret in Pulumi state. "+
		"The service never returns them, so drift in these values is not detected.")
	an.Describe(&a.Agency, "The IAM agency the function runs with, to call other cloud services (the API's `xrole`).")
	an.Describe(&a.AppAgency, "The IAM agency used while the function executes, when it differs from `agency` (the API's `app_xrole`).")
	an.Describe(&a.Initializer, "An initializer run once per instance before the first invocation.")
	an.Describe(&a.RestoreHook, "A hook run when an instance is restored from a snapshot (Java snapshot start).")
	an.Describe(&a.Vpc, "Attaches the function to a VPC subnet; needs an agency with VPC permissions.")
	an.Describe(&a.Network, "Network controls: public network access, and the VPCs from which triggers may reach the function.")
	an.Describe(&a.Mounts, "File systems to mount, and the user and group to mount them as.")
	an.Describe(&a.LogConfig, "The LTS log group and stream to send logs to.")
	an.Describe(&a.MaxInstances, "The maximum number of instances: -1 for unlimited, 0 to disable the function, otherwise 1 to 1000 (v1 functions accept only -1 and 0).")
	an.Describe(&a.ConcurrencyPerInstance, "Concurrent requests one instance serves (v2 only): -1 for the platform default, otherwise 1 to 1000.")
	an.Describe(&a.GpuMemory, "GPU memory in MB, 1024 to 16384 in steps of 1024 (Custom and http runtimes only).")
	an.Describe(&a.EphemeralStorage, "Ephemeral disk space in MB: 512 or 10240.")
	an.Describe(&a.EnableDynamicMemory, "Lets invocations ask for a memory size of their own (v2 only).")
	an.Describe(&a.EnableAuthInHeader, "Passes the caller's authentication in the request header to the function.")
	an.Describe(&a.IsStatefulFunction, "Makes the function stateful (v2 only).")
	an.Describe(&a.DomainNames, "Private domain names the function resolves, as the API expects them (a JSON string).")
	an.Describe(&a.DependencyVersions, "IDs of dependency versions (packages) the function uses.")
	an.Describe(&a.Tags, "Tags on the function.")
	an.Describe(&a.EnterpriseProjectID, "The enterprise project the function belongs to. Changing it replaces the function.")
}

// Annotate describes a custom image.
func (c *CustomImage) Annotate(a infer.Annotator) {
	a.Describe(&c.Image, "The image address in SWR, for example `swr.eu-de.otc.t-systems.com/org/app:1.0`.")
	a.Describe(&c.Command, "The container's entry command, comma-separated (for example `/bin/sh`).")
	a.Describe(&c.Args, "Arguments of the command, comma-separated.")
	a.Describe(&c.WorkingDir, "The working directory inside the container.")
	a.Describe(&c.UID, "The user ID the container runs as.")
	a.Describe(&c.GID, "The group ID the container runs as.")
}

// Annotate describes a hook.
func (h *Hook) Annotate(a infer.Annotator) {
	a.Describe(&h.Handler, "The hook's entry point, in the same form as the function's handler (for example `index.initializer`).")
	a.Describe(&h.Timeout, "The hook's timeout in seconds, 1 to 300.")
}

// Annotate describes a VPC attachment.
func (v *FunctionVpc) Annotate(a infer.Annotator) {
	a.Describe(&v.VpcID, "The VPC's ID.")
	a.Describe(&v.SubnetID, "The subnet's ID.")
	a.Describe(&v.SecurityGroupIDs, "Security groups for the function's network interfaces.")
	a.Describe(&v.VpcName, "The VPC's name, as the API reference asks for it.")
	a.Describe(&v.SubnetName, "The subnet's name, as the API reference asks for it.")
	a.Describe(&v.Cidr, "The subnet's CIDR, as the API reference asks for it.")
	a.Describe(&v.Gateway, "The subnet's gateway, as the API reference asks for it.")
}

// Annotate describes network controls.
func (n *Network) Annotate(a infer.Annotator) {
	a.Describe(&n.DisablePublicNetwork, "Denies the function access to the public network.")
	a.Describe(&n.TriggerAccessVpcs, "VPCs from which triggers may reach the function.")
}

// Annotate describes a trigger access VPC.
func (v *TriggerAccessVpc) Annotate(a infer.Annotator) {
	a.Describe(&v.VpcID, "The VPC's ID.")
	a.Describe(&v.VpcName, "The VPC's name.")
}

// Annotate describes mounts.
func (m *Mounts) Annotate(a infer.Annotator) {
	a.Describe(&m.UserID, "The user ID to mount as: -1 to 65534, except 0, 1000 and 1002.")
	a.Describe(&m.UserGroupID, "The group ID to mount as: -1 to 65534, except 0, 1000 and 1002.")
	a.Describe(&m.FileSystems, "The file systems to mount.")
}

// Annotate describes a file system.
func (f *FileSystem) Annotate(a infer.Annotator) {
	a.Describe(&f.Type, "The kind of file system: `sfs`, `sfsTurbo` or `ecs`.")
	a.Describe(&f.ResourceID, "The ID of the file system (or ECS).")
	a.Describe(&f.SharePath, "The remote path, for example `192.168.0.12:/data`; required for `ecs`.")
	a.Describe(&f.LocalPath, "Where the file system appears inside the function, for example `/mnt/data`.")
}

// Annotate describes the log configuration.
func (l *LogConfig) Annotate(a infer.Annotator) {
	a.Describe(&l.GroupID, "The LTS log group's ID.")
	a.Describe(&l.GroupName, "The LTS log group's name.")
	a.Describe(&l.StreamID, "The LTS log stream's ID.")
	a.Describe(&l.StreamName, "The LTS log stream's name.")
}

// Annotate describes the Function's outputs.
func (s *FunctionState) Annotate(a infer.Annotator) {
	a.Describe(&s.FunctionURN, "The function's unqualified URN, `urn:fss:<region>:<project>:function:<app>:<name>`; also the resource ID.")
	a.Describe(&s.Version, "The version the URN designates: `latest`.")
	a.Describe(&s.Digest, "The SHA-512 digest of the code package the service stores; it changes when the code changes.")
	a.Describe(&s.CodeSize, "The size of the stored code package in bytes.")
	a.Describe(&s.CodeType, "How the code was given: `zip`, `jar`, `obs` or `inline`.")
	a.Describe(&s.SourceCodeHash, "The SHA-256 of the code package Pulumi sent, in hex; empty for `codeUrl` and `customImage`.")
	a.Describe(&s.CPU, "The CPU share in millicores, derived from the memory size.")
	a.Describe(&s.LastModified, "When the function was last changed, as the service reports it.")
	a.Describe(&s.ImageName, "The service's internal name of the function's current version.")
	a.Describe(&s.DomainID, "The ID of the account (domain) that owns the function.")
	a.Describe(&s.ProjectID, "The ID of the project the function is in.")
	a.Describe(&s.LogGroupID, "The LTS log group the function logs to.")
	a.Describe(&s.LogStreamID, "The LTS log stream the function logs to.")
}

const functionExamples = `## Example Usage

{{% examples %}}
{{% example %}}
### A Python function from a local directory

` + "```typescript\n" + `import * as pulumi from "@pulumi/pulumi";
import * as fgs from "@fgs-iac/fgs";

const hello = new fgs.Function("hello", {
    runtime: "Python3.9",
    handler: "index.handler",
    memorySize: 256,
    code: new pulumi.asset.FileArchive("./app"),
    environment: { GREETING: "hello" },
});
export const functionUrn = hello.functionUrn;
` + "```\n```python\n" + `import pulumi
import pulumi_fgs as fgs

hello = fgs.Function("hello",
    runtime="Python3.9",
    handler="index.handler",
    memory_size=256,
    code=pulumi.FileArchive("./app"),
    environment={"GREETING": "hello"})
pulumi.export("functionUrn", hello.function_urn)
` + "```\n```go\n" + `hello, err := fgs.NewFunction(ctx, "hello", &fgs.FunctionArgs{
	Runtime:     fgs.Runtime_Python3_9,
	Handler:     pulumi.String("index.handler"),
	MemorySize:  pulumi.Int(256),
	Code:        pulumi.NewFileArchive("./app"),
	Environment: pulumi.StringMap{"GREETING": pulumi.String("hello")},
})
if err != nil {
	return err
}
ctx.Export("functionUrn", hello.FunctionUrn)
` + "```\n```yaml\n" + `resources:
  hello:
    type: fgs:index:Function
    properties:
      runtime: Python3.9
      handler: index.handler
      memorySize: 256
      code:
        fn::fileArchive: ./app
      environment:
        GREETING: hello
outputs:
  functionUrn: ${hello.functionUrn}
` + "```\n" + `{{% /example %}}
{{% /examples %}}`

var (
	functionNameRe = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$`)
	appNameRe      = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$`)
	envKeyRe       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	memorySizes    = []int{128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096}
	urlRe          = regexp.MustCompile(`^https?://[^\s/]+/\S+$`)
)

const (
	maxUserDataKeys  = 20
	maxUserDataBytes = 4096
	maxDescription   = 512
)

// Check fills defaults, names the function when no name is given, and rejects everything FunctionGraph
// would reject, on the property at fault, before any request is made.
func (f *Function) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[FunctionArgs], error) {
	args, failures, err := infer.DefaultCheck[FunctionArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[FunctionArgs]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	if args.Name == nil && !c.unknown("name") {
		name, err := autoName(req.Name, req.OldInputs)
		if err != nil {
			return infer.CheckResponse[FunctionArgs]{}, err
		}
		args.Name = &name
	}
	args.validate(c)
	return infer.CheckResponse[FunctionArgs]{Inputs: args, Failures: c.failures}, nil
}

// autoName keeps the name chosen by an earlier Check, or makes one from the Pulumi name and a random suffix.
func autoName(resourceName string, old property.Map) (string, error) {
	if v, ok := old.GetOk("name"); ok && v.IsString() && v.AsString() != "" {
		return v.AsString(), nil
	}
	var b strings.Builder
	for _, r := range resourceName {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), "-_")
	if base == "" || !unicode.IsLetter(rune(base[0])) {
		base = "fn-" + base
	}
	if len(base) > 52 {
		base = strings.TrimRight(base[:52], "-_")
	}
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return "", err
	}
	return base + "-" + hex.EncodeToString(suffix)[:7], nil
}

func (a *FunctionArgs) validate(c *checker) {
	v2 := a.FunctionGraphVersion == nil || *a.FunctionGraphVersion == "v2"
	if a.Name != nil && c.known("name") {
		c.match("name", *a.Name, functionNameRe, "use 1 to 60 letters, digits, `_` and `-`, starting with a letter and ending with a letter or digit")
	}
	if a.App != nil && c.known("app") {
		c.match("app", *a.App, appNameRe, "use 1 to 64 letters, digits, `_` and `-`, starting and ending with a letter or digit")
	}
	if c.known("runtime") && !oneOf(string(a.Runtime), runtimes...) {
		c.fail("runtime", "%q is not a FunctionGraph runtime; use one of %s", a.Runtime, strings.Join(runtimes, ", "))
	}
	imageRuntime := a.Runtime == "Custom" || a.Runtime == "http"
	if c.known("handler") {
		switch {
		case a.Handler == "":
			c.fail("handler", "must not be empty")
		case len(a.Handler) > 128:
			c.fail("handler", "must be at most 128 characters, not %d", len(a.Handler))
		case !imageRuntime && !strings.Contains(a.Handler, "."):
			c.fail("handler", "%q is not valid for %s: use the form file.function, e.g. index.handler", a.Handler, a.Runtime)
		}
	}
	if a.MemorySize != nil && c.known("memorySize") && !oneOf(*a.MemorySize, memorySizes...) {
		c.fail("memorySize", "%d MB is not a FunctionGraph memory size; use one of 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096", *a.MemorySize)
	}
	c.intRange("timeout", a.Timeout, 3, 900, "the timeout in seconds")
	c.maxLen("description", a.Description, maxDescription)
	if a.FunctionGraphVersion != nil && c.known("functionGraphVersion") && !oneOf(*a.FunctionGraphVersion, "v1", "v2") {
		c.fail("functionGraphVersion", "%q is not valid: use v1 or v2", *a.FunctionGraphVersion)
	}

	a.validateCode(c, imageRuntime)
	a.validateEnvironment(c)

	for _, h := range []struct {
		path string
		hook *Hook
	}{{"initializer", a.Initializer}, {"restoreHook", a.RestoreHook}} {
		if h.hook == nil || c.unknown(h.path) {
			continue
		}
		if !imageRuntime && !strings.Contains(h.hook.Handler, ".") {
			c.fail(h.path+".handler", "%q is not valid: use the form file.function, e.g. index.initializer", h.hook.Handler)
		}
		if h.hook.Timeout < 1 || h.hook.Timeout > 300 {
			c.fail(h.path+".timeout", "the timeout in seconds must be between 1 and 300, not %d", h.hook.Timeout)
		}
	}
	if a.MaxInstances != nil && c.known("maxInstances") {
		switch {
		case !v2 && *a.MaxInstances != -1 && *a.MaxInstances != 0:
			c.fail("maxInstances", "v1 functions accept only -1 (unlimited) or 0 (disabled), not %d", *a.MaxInstances)
		case *a.MaxInstances < -1 || *a.MaxInstances > 1000:
			c.fail("maxInstances", "must be -1 (unlimited), 0 (disabled) or 1 to 1000, not %d", *a.MaxInstances)
		}
	}
	if a.ConcurrencyPerInstance != nil && c.known("concurrencyPerInstance") {
		switch {
		case !v2:
			c.fail("concurrencyPerInstance", "is available on v2 functions only")
		case *a.ConcurrencyPerInstance == 0 || *a.ConcurrencyPerInstance < -1 || *a.ConcurrencyPerInstance > 1000:
			c.fail("concurrencyPerInstance", "must be -1 or 1 to 1000, not %d", *a.ConcurrencyPerInstance)
		}
	}
	if a.GpuMemory != nil && c.known("gpuMemory") {
		g := *a.GpuMemory
		if g < 1024 || g > 16384 || g%1024 != 0 {
			c.fail("gpuMemory", "must be 1024 to 16384 MB in steps of 1024, not %d", g)
		} else if !imageRuntime && a.CustomImage == nil {
			c.fail("gpuMemory", "GPUs are available to Custom and http runtimes and custom images only, not %s", a.Runtime)
		}
	}
	if a.EphemeralStorage != nil && c.known("ephemeralStorage") && !oneOf(*a.EphemeralStorage, 512, 10240) {
		c.fail("ephemeralStorage", "must be 512 or 10240 MB, not %d", *a.EphemeralStorage)
	}
	for key, set := range map[string]*bool{"enableDynamicMemory": a.EnableDynamicMemory, "isStatefulFunction": a.IsStatefulFunction} {
		if set != nil && *set && !v2 {
			c.fail(key, "is available on v2 functions only")
		}
	}
	if a.Vpc != nil && !c.unknown("vpc") {
		if a.Vpc.VpcID == "" {
			c.fail("vpc.vpcId", "must not be empty")
		}
		if a.Vpc.SubnetID == "" {
			c.fail("vpc.subnetId", "must not be empty")
		}
	}
	if a.Network != nil && !c.unknown("network") {
		for i, v := range a.Network.TriggerAccessVpcs {
			if v.VpcID == "" {
				c.fail(fmt.Sprintf("network.triggerAccessVpcs[%d].vpcId", i), "must not be empty")
			}
		}
	}
	if a.Mounts != nil && !c.unknown("mounts") {
		a.Mounts.validate(c)
	}
	if a.LogConfig != nil && !c.unknown("logConfig") {
		if a.LogConfig.GroupID == "" {
			c.fail("logConfig.groupId", "must not be empty")
		}
		if a.LogConfig.StreamID == "" {
			c.fail("logConfig.streamId", "must not be empty")
		}
	}
	for i, d := range a.DependencyVersions {
		if d == "" && !c.unknown("dependencyVersions") {
			c.fail(fmt.Sprintf("dependencyVersions[%d]", i), "must not be empty")
		}
	}
	if !c.unknown("tags") {
		if len(a.Tags) > 20 {
			c.fail("tags", "a function can have at most 20 tags, not %d", len(a.Tags))
		}
		for k, v := range a.Tags {
			if k == "" || len(k) > 128 {
				c.fail("tags", "tag key %q must be 1 to 128 characters", k)
			}
			if len(v) > 255 {
				c.fail("tags."+k, "tag values must be at most 255 characters, not %d", len(v))
			}
		}
	}
}

// validateCode checks that exactly one code source is given, and that a local package can be built.
func (a *FunctionArgs) validateCode(c *checker, imageRuntime bool) {
	var sources []string
	for _, s := range []struct {
		key string
		set bool
	}{{"code", a.Code != nil || c.unknown("code")}, {"codeUrl", a.CodeURL != nil || c.unknown("codeUrl")}, {"customImage", a.CustomImage != nil || c.unknown("customImage")}} {
		if s.set {
			sources = append(sources, s.key)
		}
	}
	switch {
	case len(sources) == 0:
		c.fail("code", "set exactly one of code (a local archive or asset), codeUrl (an OBS URL) or customImage")
		return
	case len(sources) > 1:
		c.fail(sources[1], "set exactly one of code, codeUrl and customImage, not %s", strings.Join(sources, " and "))
		return
	}
	switch {
	case a.CodeURL != nil && c.known("codeUrl"):
		if !urlRe.MatchString(*a.CodeURL) {
			c.fail("codeUrl", "%q is not an OBS object URL such as https://bucket.obs.eu-de.otc.t-systems.com/code.zip", *a.CodeURL)
		}
	case a.CustomImage != nil && c.known("customImage"):
		if !imageRuntime {
			c.fail("customImage", "custom images run with runtime Custom or http, not %s", a.Runtime)
		}
		if strings.TrimSpace(a.CustomImage.Image) == "" {
			c.fail("customImage.image", "must name an SWR image, e.g. swr.eu-de.otc.t-systems.com/org/app:1.0")
		}
		if a.CodeFilename != nil {
			c.fail("codeFilename", "does not apply to a custom image")
		}
	case a.Code != nil && c.known("code") && (a.CodeFilename == nil || c.known("codeFilename")):
		if _, err := buildPackage(a.Code, deref(a.CodeFilename)); err != nil {
			c.fail("code", "%v", err)
		}
	}
}

// validateEnvironment applies FunctionGraph's user_data limits to both maps together.
func (a *FunctionArgs) validateEnvironment(c *checker) {
	if c.unknown("environment") || c.unknown("secretEnvironment") {
		return
	}
	keys := len(a.Environment) + len(a.SecretEnvironment)
	if keys > maxUserDataKeys {
		c.fail("environment", "FunctionGraph allows at most %d environment variables, counting secretEnvironment; there are %d", maxUserDataKeys, keys)
	}
	size := 0
	for _, m := range []struct {
		path string
		vars map[string]string
	}{{"environment", a.Environment}, {"secretEnvironment", a.SecretEnvironment}} {
		for k, v := range m.vars {
			size += len(k) + len(v)
			if !envKeyRe.MatchString(k) {
				c.fail(m.path, "%q is not a valid variable name: use letters, digits, `_`, `.` and `-`, starting with a letter or `_`", k)
			}
		}
	}
	for k := range a.SecretEnvironment {
		if _, ok := a.Environment[k]; ok {
			c.fail("secretEnvironment", "%q is also set in environment; a variable is either plain or secret", k)
		}
	}
	if size > maxUserDataBytes {
		c.fail("environment", "environment variables take %d bytes with secretEnvironment; FunctionGraph allows %d", size, maxUserDataBytes)
	}
}

func (m *Mounts) validate(c *checker) {
	for path, id := range map[string]int{"mounts.userId": m.UserID, "mounts.userGroupId": m.UserGroupID} {
		if id < -1 || id > 65534 || oneOf(id, 0, 1000, 1002) {
			c.fail(path, "must be -1 to 65534, except 0, 1000 and 1002; not %d", id)
		}
	}
	switch {
	case len(m.FileSystems) == 0:
		c.fail("mounts.fileSystems", "must list at least one file system")
	case len(m.FileSystems) > 5:
		c.fail("mounts.fileSystems", "a function can mount at most 5 file systems, not %d", len(m.FileSystems))
	}
	seen := map[string]bool{}
	for i, fs := range m.FileSystems {
		path := fmt.Sprintf("mounts.fileSystems[%d]", i)
		if !oneOf(fs.Type, "sfs", "sfsTurbo", "ecs") {
			c.fail(path+".type", "%q is not valid: use sfs, sfsTurbo or ecs", fs.Type)
		}
		if fs.ResourceID == "" {
			c.fail(path+".resourceId", "must not be empty")
		}
		if fs.Type == "ecs" && deref(fs.SharePath) == "" {
			c.fail(path+".sharePath", "is required for an ecs mount, e.g. 192.168.0.12:/data")
		}
		if !strings.HasPrefix(fs.LocalPath, "/") || strings.Contains(fs.LocalPath, "..") {
			c.fail(path+".localPath", "%q must be an absolute path without `..`, e.g. /mnt/data", fs.LocalPath)
		} else if seen[fs.LocalPath] {
			c.fail(path+".localPath", "%q is mounted twice", fs.LocalPath)
		}
		seen[fs.LocalPath] = true
	}
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// WireDependencies says which outputs an in-place update can change, so that a preview keeps the others
// known: a memory or code change must not make resources that use functionUrn look replaced.
func (f *Function) WireDependencies(fs infer.FieldSelector, args *FunctionArgs, state *FunctionState) {
	identity := []infer.InputField{fs.InputField(&args.Name).Computed(), fs.InputField(&args.App).Computed()}
	fs.OutputField(&state.FunctionURN).DependsOn(identity...)
	fs.OutputField(&state.DomainID).DependsOn(identity...)
	fs.OutputField(&state.ProjectID).DependsOn(identity...)
	code := []infer.InputField{fs.InputField(&args.Code).Computed(), fs.InputField(&args.CodeURL).Computed(),
		fs.InputField(&args.CodeFilename).Computed(), fs.InputField(&args.CustomImage).Computed(),
		fs.InputField(&args.DependencyVersions).Computed()}
	fs.OutputField(&state.Digest).DependsOn(code...)
	fs.OutputField(&state.CodeSize).DependsOn(code...)
	fs.OutputField(&state.CodeType).DependsOn(code...)
	fs.OutputField(&state.SourceCodeHash).DependsOn(code...)
	fs.OutputField(&state.CPU).DependsOn(fs.InputField(&args.MemorySize).Computed())
	fs.OutputField(&state.LogGroupID).DependsOn(fs.InputField(&args.LogConfig).Computed())
	fs.OutputField(&state.LogStreamID).DependsOn(fs.InputField(&args.LogConfig).Computed())
	fs.OutputField(&state.Version).DependsOn()
	fs.OutputField(&state.LastModified).DependsOn(fs.InputField(args).Computed())
	fs.OutputField(&state.ImageName).DependsOn(fs.InputField(args).Computed())
}

// functionReplaceKeys are the inputs FunctionGraph cannot change in place.
var functionReplaceKeys = []string{"name", "app", "runtime", "functionGraphVersion", "enterpriseProjectId"}

// Diff names every changed input; a change of code is a change of the package it builds to, not of the
// archive's paths. Replacing keeps the name when it is fixed, so the old function goes first.
func (f *Function) Diff(ctx context.Context, req infer.DiffRequest[FunctionArgs, FunctionState]) (infer.DiffResponse, error) {
	olds, news := req.State.FunctionArgs, req.Inputs
	diff := diffInputs(olds, news, functionReplaceKeys, map[string]bool{"code": true})
	if codeChanged(req.State, news) {
		diff["code"] = p.PropertyDiff{Kind: changeKind(olds.Code != nil, news.Code != nil, false), InputDiff: true}
	}
	resp := infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}
	for _, d := range diff {
		if strings.HasSuffix(string(d.Kind), "replace") {
			resp.DeleteBeforeReplace = deref(olds.Name) == deref(news.Name)
		}
	}
	return resp, nil
}

// codeChanged reports whether the package the new code builds to differs from the one the service holds.
// In Diff the engine sends archives without contents, only their content hashes, so the cases are:
//   - the code was uploaded by Pulumi and is still recorded: compare the engine's hashes, old and new;
//   - a refresh found the stored package changed (it forgot `code` but kept `sourceCodeHash`, what Pulumi last
//     sent): changed, so that the next update puts the user's code back;
//   - an import (nothing recorded): compare the package with the service's digest (SHA-512 of the stored
//     package) when the contents are at hand (Update); in Diff they are not, and the import is trusted.
func codeChanged(state FunctionState, news FunctionArgs) bool {
	olds := state.FunctionArgs
	if news.Code == nil {
		return olds.Code != nil
	}
	if deref(olds.CodeFilename) != deref(news.CodeFilename) {
		return false // reported as a codeFilename change; the upload follows from it
	}
	if olds.Code == nil && state.SourceCodeHash != "" {
		return true
	}
	if olds.Code != nil {
		if oldHash, newHash := codeHash(olds.Code), codeHash(news.Code); oldHash != "" && newHash != "" {
			return oldHash != newHash
		}
	}
	if !hasContents(news.Code) {
		return olds.Code != nil // nothing to compare: an import is trusted, a recorded upload is not
	}
	pkg, err := buildPackage(news.Code, deref(news.CodeFilename))
	if err != nil {
		return true // Check reports the error; a change makes sure it is not silently skipped
	}
	switch {
	case olds.Code != nil && state.SourceCodeHash != "":
		return pkg.SHA256 != state.SourceCodeHash
	case state.Digest != "":
		sum := sha512.Sum512(pkg.Bytes)
		return hex.EncodeToString(sum[:]) != state.Digest
	}
	return true
}

// Create posts the function, then applies what the create body cannot carry: the configuration-only
// fields (PUT .../config), max instances and tags. Once the POST succeeded, a later failure still returns
// the ID, so that the engine records the function and the next update finishes the job.
func (f *Function) Create(ctx context.Context, req infer.CreateRequest[FunctionArgs]) (infer.CreateResponse[FunctionState], error) {
	args := req.Inputs
	state := FunctionState{FunctionArgs: args}
	if req.DryRun {
		return infer.CreateResponse[FunctionState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.CreateResponse[FunctionState]{}, err
	}
	body, pkg, err := createRequest(args)
	if err != nil {
		return infer.CreateResponse[FunctionState]{}, err
	}
	created, err := client.Functions.Create(ctx, body)
	if err != nil {
		return infer.CreateResponse[FunctionState]{}, fmt.Errorf("creating function %s: %w", deref(args.Name), err)
	}
	urn := fgs.UnqualifiedURN(created.FuncURN)
	if pkg != nil {
		state.SourceCodeHash = pkg.SHA256
	}
	live, err := f.finishCreate(ctx, client, urn, args, created)
	if live != nil {
		state.setOutputs(live)
	}
	state.FunctionURN = urn
	if err != nil {
		return infer.CreateResponse[FunctionState]{ID: urn, Output: state}, infer.ResourceInitFailedError{
			Reasons: []string{fmt.Sprintf("function %s was created but not fully configured: %v", urn, err)},
		}
	}
	return infer.CreateResponse[FunctionState]{ID: urn, Output: state}, nil
}

func (f *Function) finishCreate(ctx context.Context, client *fgs.Client, urn string, args FunctionArgs, created *fgs.Function) (*fgs.Function, error) {
	live := created
	if needsConfigAfterCreate(args) {
		updated, err := client.Functions.UpdateConfig(ctx, urn, configRequest(live, nil, args))
		if err != nil {
			return live, fmt.Errorf("applying the configuration: %w", err)
		}
		live = updated
	}
	if args.MaxInstances != nil {
		if n, ok := live.MaxInstances(); !ok || n != *args.MaxInstances {
			updated, err := client.Functions.UpdateMaxInstances(ctx, urn, *args.MaxInstances)
			if err != nil {
				return live, fmt.Errorf("setting max instances: %w", err)
			}
			live = updated
		}
	}
	if len(args.Tags) > 0 {
		if err := client.Tags.Create(ctx, urn, toTags(args.Tags)); err != nil {
			return live, fmt.Errorf("tagging: %w", err)
		}
	}
	return live, nil
}

// Read refreshes every input the user set from the live function, detects code drift through the service's
// digest, and, on import (no prior state), rebuilds the inputs a program needs to declare it.
func (f *Function) Read(ctx context.Context, req infer.ReadRequest[FunctionArgs, FunctionState]) (infer.ReadResponse[FunctionArgs, FunctionState], error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, err
	}
	live, err := client.Functions.GetConfig(ctx, req.ID)
	if errors.Is(err, fgs.ErrNotFound) {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[FunctionArgs, FunctionState]{}, fmt.Errorf("reading function %s: %w", req.ID, err)
	}
	importing := req.State.FunctionURN == ""
	olds := req.State.FunctionArgs
	if importing {
		olds = req.Inputs
	}
	inputs := readInputs(olds, live, importing)
	if olds.Tags != nil || importing {
		tags, err := client.Tags.ForFunction(ctx, fgs.UnqualifiedURN(live.FuncURN))
		if err != nil {
			return infer.ReadResponse[FunctionArgs, FunctionState]{}, fmt.Errorf("reading the tags of %s: %w", req.ID, err)
		}
		inputs.Tags = fromTags(tags)
		if importing && len(inputs.Tags) == 0 {
			inputs.Tags = nil
		}
	}
	state := req.State
	state.FunctionArgs = inputs
	state.FunctionURN = fgs.UnqualifiedURN(live.FuncURN)
	if !importing && req.State.Digest != "" && live.Digest != req.State.Digest {
		// The stored package changed behind Pulumi's back: forget the code so that refresh shows the change and
		// the next update uploads it again. sourceCodeHash, what Pulumi last sent, stays: it marks the drift.
		state.Code, inputs.Code = nil, nil
	}
	state.setOutputs(live)
	return infer.ReadResponse[FunctionArgs, FunctionState]{ID: state.FunctionURN, Inputs: inputs, State: state}, nil
}

// Update uploads code only when the package changed, rewrites the configuration from the live one plus the
// user's changes, then sets max instances and the tag delta.
func (f *Function) Update(ctx context.Context, req infer.UpdateRequest[FunctionArgs, FunctionState]) (infer.UpdateResponse[FunctionState], error) {
	olds, news := req.State.FunctionArgs, req.Inputs
	state := req.State
	state.FunctionArgs = news
	if req.DryRun {
		return infer.UpdateResponse[FunctionState]{Output: state}, nil
	}
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.UpdateResponse[FunctionState]{}, err
	}
	urn := req.ID
	fail := func(what string, err error) (infer.UpdateResponse[FunctionState], error) {
		return infer.UpdateResponse[FunctionState]{Output: state}, fmt.Errorf("%s of function %s: %w", what, urn, err)
	}

	if codeChanged(req.State, news) || deref(olds.CodeFilename) != deref(news.CodeFilename) ||
		deref(olds.CodeURL) != deref(news.CodeURL) || !equalStrings(olds.DependencyVersions, news.DependencyVersions) {
		body, pkg, err := codeRequest(news)
		if err != nil {
			return fail("packaging the code", err)
		}
		if body != nil {
			code, err := client.Functions.UpdateCode(ctx, urn, body)
			if err != nil {
				return fail("updating the code", err)
			}
			state.Digest, state.CodeSize, state.LastModified = code.Digest, code.CodeSize.Int(), code.LastModified.String()
			state.SourceCodeHash = ""
			if pkg != nil {
				state.SourceCodeHash = pkg.SHA256
			}
		}
	}

	var live *fgs.Function
	if configChanged(olds, news) {
		live, err = client.Functions.GetConfig(ctx, urn)
		if err != nil {
			return fail("reading the configuration", err)
		}
		live, err = client.Functions.UpdateConfig(ctx, urn, configRequest(live, &olds, news))
		if err != nil {
			return fail("updating the configuration", err)
		}
	}
	if news.MaxInstances != nil && (olds.MaxInstances == nil || *olds.MaxInstances != *news.MaxInstances) {
		live, err = client.Functions.UpdateMaxInstances(ctx, urn, *news.MaxInstances)
		if err != nil {
			return fail("setting max instances", err)
		}
	}
	if removed, changed := tagDelta(olds.Tags, news.Tags); len(removed)+len(changed) > 0 {
		if len(removed) > 0 {
			if err := client.Tags.Delete(ctx, urn, removed); err != nil {
				return fail("removing tags", err)
			}
		}
		if len(changed) > 0 {
			if err := client.Tags.Create(ctx, urn, changed); err != nil {
				return fail("setting tags", err)
			}
		}
	}
	if live != nil {
		state.setOutputs(live)
	}
	return infer.UpdateResponse[FunctionState]{Output: state}, nil
}

// Delete removes the function with its versions, aliases and triggers; a function already gone is deleted.
func (f *Function) Delete(ctx context.Context, req infer.DeleteRequest[FunctionState]) (infer.DeleteResponse, error) {
	client, err := clientFrom(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = client.Functions.Delete(ctx, fgs.UnqualifiedURN(req.ID))
	if err != nil && !errors.Is(err, fgs.ErrNotFound) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting function %s: %w", req.ID, err)
	}
	return infer.DeleteResponse{}, nil
}
