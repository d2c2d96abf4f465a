package provider

import (
	"encoding/json"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Conversions between Function's nested inputs and their wire types, used by the rows of functionInputs.

// encodeUserData serialises environment variables the way the API stores them: a JSON object in a string.
func encodeUserData(env map[string]string) string {
	if len(env) == 0 {
		return ""
	}
	raw, _ := json.Marshal(env) // a map of strings always marshals; keys come out sorted
	return string(raw)
}

// decodeUserData reads user_data back; "" is no variables, anything but a JSON object of strings an error.
func decodeUserData(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var env map[string]string
	if err := json.Unmarshal([]byte(s), &env); err != nil {
		return nil, err
	}
	return env, nil
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

// fromNetwork reads network_controller back: the public-network flag when the user set it or it is on, the
// trigger VPCs as listed; nothing at all is no network block, unless the user declared one.
func fromNetwork(live *fgs.NetworkControlConfig, olds *Network) *Network {
	n := &Network{}
	if d := live.DisablePublicNetwork; d != nil && (*d || (olds != nil && olds.DisablePublicNetwork != nil)) {
		n.DisablePublicNetwork = fgs.Ptr(*d)
	}
	for _, v := range live.TriggerAccessVpcs {
		n.TriggerAccessVpcs = append(n.TriggerAccessVpcs, TriggerAccessVpc{VpcID: v.VpcID, VpcName: optional(v.VpcName)})
	}
	if olds == nil && n.DisablePublicNetwork == nil && len(n.TriggerAccessVpcs) == 0 {
		return nil
	}
	return n
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
