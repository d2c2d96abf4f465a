package provider

import "github.com/pulumi/pulumi-go-provider/infer"

// The nested input types of Function, with their descriptions.

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

// The nested input types describe their fields too.
var (
	_ = (infer.Annotated)((*CustomImage)(nil))
	_ = (infer.Annotated)((*Hook)(nil))
	_ = (infer.Annotated)((*FunctionVpc)(nil))
	_ = (infer.Annotated)((*Network)(nil))
	_ = (infer.Annotated)((*TriggerAccessVpc)(nil))
	_ = (infer.Annotated)((*Mounts)(nil))
	_ = (infer.Annotated)((*FileSystem)(nil))
	_ = (infer.Annotated)((*LogConfig)(nil))
)

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
