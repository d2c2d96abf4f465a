package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/infer/types"
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
	Runtime:     fgs.RuntimePython3_9,
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

// Create is replaced by the real implementation in the Function issue.
func (f *Function) Create(ctx context.Context, req infer.CreateRequest[FunctionArgs]) (infer.CreateResponse[FunctionState], error) {
	return infer.CreateResponse[FunctionState]{}, fmt.Errorf("not implemented yet")
}
