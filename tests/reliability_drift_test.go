package tests

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R4: every managed field of a Function changed out of band through the API is seen by `pulumi refresh`,
// or its description says that its drift cannot be seen.

// driftProgram declares every input of a Function (the provider refreshes what the program manages): one
// function from a zip, one from OBS, one from a container image. DEPENDENCY is replaced by a dependency
// version's ID.
const driftProgram = `name: drift
runtime: yaml
resources:
  fn:
    type: fgs:index:Function
    properties:
      name: drifting
      runtime: Python3.9
      handler: index.handler
      memorySize: 256
      timeout: 30
      description: as declared
      code:
        fn::assetArchive:
          index.py:
            fn::stringAsset: "def handler(event, context):\n    return 1\n"
      codeFilename: declared.zip
      environment:
        MODE: declared
      tags:
        team: platform
      agency: declared_agency
      appAgency: declared_app_agency
      initializer:
        handler: index.init
        timeout: 10
      maxInstances: 100
      concurrencyPerInstance: 2
      enableDynamicMemory: false
      isStatefulFunction: false
      enableAuthInHeader: false
      ephemeralStorage: 512
      domainNames: '[{"id":"d0","domain_name":"declared.internal"}]'
      logConfig:
        groupId: g-0
        groupName: declared-group
        streamId: s-0
        streamName: declared-stream
      vpc:
        vpcId: vpc-0
        subnetId: subnet-0
      mounts:
        userId: -1
        userGroupId: -1
        fileSystems:
          - type: sfs
            resourceId: share-0
            localPath: /mnt/declared
      dependencyVersions: [DEPENDENCY]
  fromObs:
    type: fgs:index:Function
    properties:
      name: drifting-obs
      runtime: Python3.9
      handler: index.handler
      codeUrl: https://bucket.obs.eu-de.otc.t-systems.com/declared.zip
  fromImage:
    type: fgs:index:Function
    properties:
      name: drifting-image
      runtime: Custom
      handler: bootstrap
      customImage:
        image: swr.eu-de.otc.t-systems.com/team/app:1
      gpuMemory: 1024
`

// driftChange is one out-of-band change: what it does to the live configuration (PUT .../config), and the
// Function output that must show it after a refresh (want: the value, or nil for "differs from before").
type driftChange struct {
	field  string
	mutate func(live map[string]any)
	want   any
}

var configDrift = []driftChange{
	{"description", func(l map[string]any) { l["description"] = "changed in the console" }, "changed in the console"},
	{"memorySize", func(l map[string]any) { l["memory_size"] = 1024 }, 1024.0},
	{"timeout", func(l map[string]any) { l["timeout"] = 99 }, 99.0},
	{"handler", func(l map[string]any) { l["handler"] = "main.entry" }, "main.entry"},
	{"runtime", func(l map[string]any) { l["runtime"] = "Python3.10" }, "Python3.10"},
	{"environment", func(l map[string]any) { l["user_data"] = `{"MODE":"console"}` }, map[string]any{"MODE": "console"}},
	{"agency", func(l map[string]any) { l["xrole"] = "console_agency" }, "console_agency"},
	{"appAgency", func(l map[string]any) { l["app_xrole"] = "console_app_agency" }, "console_app_agency"},
	{"initializer", func(l map[string]any) { l["initializer_handler"], l["initializer_timeout"] = "main.init", 20 },
		map[string]any{"handler": "main.init", "timeout": 20.0}},
	{"concurrencyPerInstance", func(l map[string]any) { strategy(l)["concurrent_num"] = 5 }, 5.0},
	{"enableDynamicMemory", func(l map[string]any) { l["enable_dynamic_memory"] = true }, true},
	{"isStatefulFunction", func(l map[string]any) { l["is_stateful_function"] = true }, true},
	{"enableAuthInHeader", func(l map[string]any) { l["enable_auth_in_header"] = true }, true},
	{"ephemeralStorage", func(l map[string]any) { l["ephemeral_storage"] = 10240 }, 10240.0},
	{"domainNames", func(l map[string]any) { l["domain_names"] = `[{"id":"d1","domain_name":"db.internal"}]` }, nil},
	{"logConfig", func(l map[string]any) {
		l["log_config"] = map[string]any{"group_name": "g", "group_id": "g-1", "stream_name": "s", "stream_id": "s-1"}
	}, nil},
	{"vpc", func(l map[string]any) {
		l["func_vpc"] = map[string]any{"vpc_id": "vpc-1", "subnet_id": "subnet-1", "vpc_name": "v", "subnet_name": "s", "cidr": "192.168.0.0/24", "gateway": "192.168.0.1"}
	}, nil},
	{"mounts", func(l map[string]any) {
		l["mount_config"] = map[string]any{"mount_user": map[string]any{"user_id": -1, "user_group_id": -1},
			"func_mounts": []any{map[string]any{"mount_type": "sfs", "mount_resource": "share-1", "local_mount_path": "/mnt/data"}}}
	}, nil},
}

func strategy(l map[string]any) map[string]any {
	s, _ := l["strategy_config"].(map[string]any)
	if s == nil {
		s = map[string]any{}
		l["strategy_config"] = s
	}
	return s
}

// Fields whose description must say that a refresh cannot see (all of) their drift: the service never returns
// them (secretEnvironment, tracing's secret key), may leave them out (restoreHook, network), or they are
// never sent (codeUrlHash).
var unseeableDrift = []string{"secretEnvironment", "restoreHook", "network", "tracing", "codeUrlHash"}

// Fields whose drift refresh sees, proven against a fake of the API the emulator does not serve (snapshot
// start: provider/function_settings_test.go).
var driftSeenInProviderTests = []string{"enableSnapshot"}

// Fields that make up the function's identity: no API call changes them on an existing function (another
// name or app is another function; the metadata update leaves the enterprise project and platform alone).
var identityFields = []string{"name", "app", "enterpriseProjectId", "functionGraphVersion"}

// Fields changed by the code and tag APIs, and by a switch of the code source, below.
var otherDrift = []string{"code", "codeFilename", "dependencyVersions", "tags", "maxInstances", "codeUrl", "customImage", "gpuMemory"}

func TestReliabilityR4EveryFieldsDriftIsSeenOrDocumented(t *testing.T) {
	// Every input of the Function is in exactly one of the lists.
	raw, err := os.ReadFile(filepath.Join(repoRoot, "schema.json"))
	require.NoError(t, err)
	var schema struct {
		Resources map[string]struct {
			InputProperties map[string]struct {
				Description string `json:"description"`
			} `json:"inputProperties"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(raw, &schema))
	inputs := schema.Resources["fgs:index:Function"].InputProperties
	covered := append(append(append(append([]string{}, unseeableDrift...), identityFields...), otherDrift...), driftSeenInProviderTests...)
	for _, d := range configDrift {
		covered = append(covered, d.field)
	}
	var all []string
	for k := range inputs {
		all = append(all, k)
	}
	sort.Strings(all)
	sort.Strings(covered)
	require.Equal(t, all, covered, "every Function input is tested for drift, documented as unseeable or identity")
	for _, f := range unseeableDrift {
		assert.Regexp(t, `drift cannot be seen|drift in these values is not detected|drift is not detected|sees no drift`, inputs[f].Description, "%s: the description says its drift is not seen", f)
	}

	c := startCloudWith(t, nil)
	depVersion := func(name string) string {
		status, body := c.api(t, "POST", "/fgs/dependencies/version", map[string]any{"name": name, "runtime": "Python3.9",
			"depend_type": "zip", "depend_file": base64.StdEncoding.EncodeToString(zipOf(t, "lib.py", "X = '"+name+"'\n"))})
		require.Equal(t, 200, status, string(body))
		var dep struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(body, &dep))
		return dep.ID
	}
	declaredDep, consoleDep := depVersion("declared-dep"), depVersion("console-dep")
	s := newStack(t, writeProject(t, strings.Replace(driftProgram, "DEPENDENCY", declaredDep, 1)), c, providerBin)
	s.run("up", "--yes", "--skip-preview")
	s.run("preview", "--expect-no-changes")
	before := functionOutputs(s, "drifting")
	urn := before["functionUrn"].(string)
	put := func(path string, body any, want int) {
		t.Helper()
		status, raw := c.api(t, "PUT", path, body)
		require.Equal(t, want, status, "PUT %s: %s", path, raw)
	}

	// The metadata: one PUT of the read configuration with every field changed.
	live := liveConfig(t, c, urn)
	for _, d := range configDrift {
		d.mutate(live)
	}
	// The identity fields: sent changed, and kept by the service.
	live["enterprise_project_id"], live["type"] = "another-project", "v1"
	put("/fgs/functions/"+urn+"/config", live, 200)
	put("/fgs/functions/"+urn+"/config-max-instance", map[string]any{"max_instance_num": 7}, 200)
	// Code, its file name and the dependencies: one PUT of the code.
	put("/fgs/functions/"+urn+"/code", map[string]any{"code_type": "zip", "code_filename": "console.zip",
		"depend_version_list": []string{consoleDep},
		"func_code":           map[string]any{"file": base64.StdEncoding.EncodeToString(zipOf(t, "main.py", "def entry(e, c):\n    return 2\n"))}}, 200)
	status, body := c.api(t, "POST", "/functions/"+urn+"/tags/create", map[string]any{"action": "create", "tags": []any{map[string]any{"key": "owner", "value": "console"}}})
	require.Equal(t, 204, status, string(body))
	// The OBS function's package moved; the image function runs another image with more GPU memory.
	obsURN := functionOutputs(s, "drifting-obs")["functionUrn"].(string)
	put("/fgs/functions/"+obsURN+"/code", map[string]any{"code_type": "obs", "code_filename": "console.zip",
		"code_url": "https://bucket.obs.eu-de.otc.t-systems.com/console.zip"}, 200)
	imageURN := functionOutputs(s, "drifting-image")["functionUrn"].(string)
	live = liveConfig(t, c, imageURN)
	live["custom_image"] = map[string]any{"enabled": true, "image": "swr.eu-de.otc.t-systems.com/team/app:2"}
	live["gpu_memory"] = 2048
	put("/fgs/functions/"+imageURN+"/config", live, 200)

	refresh := s.run("refresh", "--yes", "--diff")
	assert.Contains(t, refresh, "~ fgs:index:Function")
	after := functionOutputs(s, "drifting")
	for _, d := range configDrift {
		if d.want != nil {
			assert.Equal(t, d.want, after[d.field], "refresh sees %s", d.field)
		} else {
			assert.NotEqual(t, before[d.field], after[d.field], "refresh sees %s: %v", d.field, after[d.field])
		}
	}
	assert.Equal(t, 7.0, after["maxInstances"], "refresh sees maxInstances")
	assert.NotEqual(t, before["digest"], after["digest"], "refresh sees the code")
	assert.Equal(t, "console.zip", after["codeFilename"], "refresh sees codeFilename")
	assert.Equal(t, []any{consoleDep}, after["dependencyVersions"], "refresh sees dependencyVersions")
	assert.Equal(t, map[string]any{"team": "platform", "owner": "console"}, after["tags"], "refresh sees tags")
	for _, f := range identityFields {
		assert.Equal(t, before[f], after[f], "%s is identity: the service kept it", f)
	}
	assert.Equal(t, "https://bucket.obs.eu-de.otc.t-systems.com/console.zip", functionOutputs(s, "drifting-obs")["codeUrl"], "refresh sees codeUrl")
	image := functionOutputs(s, "drifting-image")
	assert.Equal(t, 2048.0, image["gpuMemory"], "refresh sees gpuMemory")
	img, _ := image["customImage"].(map[string]any)
	assert.Equal(t, "swr.eu-de.otc.t-systems.com/team/app:2", img["image"], "refresh sees customImage: %v", image["customImage"])

	// The next up puts every declared value back.
	s.run("up", "--yes", "--skip-preview")
	s.run("preview", "--expect-no-changes")
	s.run("destroy", "--yes", "--skip-preview")
	requireCloudEmpty(t, c)
}

// functionOutputs are the outputs of the stack's Function of that name.
func functionOutputs(s *stack, name string) map[string]any {
	s.t.Helper()
	for _, f := range s.exportState().ofType("fgs:index:Function") {
		if f.Outputs["name"] == name {
			return f.Outputs
		}
	}
	require.FailNow(s.t, "no function "+name+" in the state")
	return nil
}
