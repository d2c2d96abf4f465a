package provider

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The Check rules of Function: everything FunctionGraph would reject, reported on the property at fault
// before any request is made, and the automatic name.

// The enumerations of the schema: the values Check knows.

// Runtime is a FunctionGraph runtime, as the API spells it on the wire.
type Runtime string

var _ = (infer.Enum[Runtime])((*Runtime)(nil))

// Values lists the runtimes this provider knows (wire values, not display names); Check lets other
// well-formed ones through with a warning.
func (Runtime) Values() []infer.EnumValue[Runtime] {
	return enumValues[Runtime](runtimes...)
}

// runtimes: the 18 of the 2023 API reference, then those the user guide's "Supported Runtimes" added since.
var runtimes = []string{
	"Java8", "Java11", "Node.js6.10", "Node.js8.10", "Node.js10.16", "Node.js12.13", "Node.js14.18",
	"Python2.7", "Python3.6", "Python3.9", "Go1.8", "Go1.x", "C#(.NET Core 2.0)", "C#(.NET Core 2.1)",
	"C#(.NET Core 3.1)", "Custom", "PHP7.3", "http",
	"Java17", "Java21", "Node.js16.17", "Node.js18.15", "Node.js20.15", "Python3.10", "Python3.12",
	"C#(.NET Core 6.0)", "C#(.NET Core 8.0)", "PHP8.3", "Cangjie1.0",
}

// FunctionGraphVersion is the generation of the FunctionGraph platform a function runs on.
type FunctionGraphVersion string

var _ = (infer.Enum[FunctionGraphVersion])((*FunctionGraphVersion)(nil))

// Values lists the platform generations.
func (FunctionGraphVersion) Values() []infer.EnumValue[FunctionGraphVersion] {
	return []infer.EnumValue[FunctionGraphVersion]{
		{Name: "V1", Value: "v1", Description: "The first-generation platform."},
		{Name: "V2", Value: "v2", Description: "The second-generation platform (default): per-instance concurrency, stateful functions, dynamic memory."},
	}
}

// MountType is the kind of file system a function mounts.
type MountType string

var _ = (infer.Enum[MountType])((*MountType)(nil))

// Values lists the mount types.
func (MountType) Values() []infer.EnumValue[MountType] {
	return []infer.EnumValue[MountType]{
		{Name: "Sfs", Value: "sfs", Description: "Scalable File Service."},
		{Name: "SfsTurbo", Value: "sfsTurbo", Description: "SFS Turbo."},
		{Name: "Ecs", Value: "ecs", Description: "A directory shared by an ECS; needs sharePath."},
	}
}

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

var _ = (infer.CustomCheck[FunctionArgs])((*Function)(nil))

// Check fills defaults, names the function when no name is given, and rejects everything FunctionGraph
// would reject (function_check.go), on the property at fault, before any request is made.
func (f *Function) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[FunctionArgs], error) {
	args, failures, err := infer.DefaultCheck[FunctionArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[FunctionArgs]{Inputs: args, Failures: failures}, err
	}
	c := &checker{inputs: req.NewInputs}
	if args.Name == nil && !c.unknown("name") {
		name := autoName(req.Name, req.OldInputs, checkedURN(ctx))
		args.Name = &name
	}
	args.validate(c)
	if len(c.failures) == 0 && signsRequests(ctx) {
		args.validateSignedSize(c)
	}
	for _, w := range c.warnings {
		p.GetLogger(ctx).Warning(w)
	}
	return infer.CheckResponse[FunctionArgs]{Inputs: args, Failures: c.failures}, nil
}

// runtimeShapeRe is the shape of every runtime the service has spelt so far: a name and a version
// (Python3.12, Node.js20.15, Go1.x, Cangjie1.0) or C#(.NET Core 8.0). A runtime of that shape that this
// provider does not list yet is let through with a warning, so that a new runtime needs no new release.
var runtimeShapeRe = regexp.MustCompile(`^([A-Z][A-Za-z]*(\.js)?[0-9]+(\.([0-9]+|x))*|C#\(\.NET Core [0-9]+\.[0-9]+\))$`)

func validateRuntime(c *checker, runtime string) {
	switch {
	case oneOf(runtime, runtimes...):
	case runtimeShapeRe.MatchString(runtime):
		c.warn("runtime %q is not one this provider knows (%s); it is sent as given, and the service decides", runtime, strings.Join(runtimes, ", "))
	default:
		hint := ""
		for _, r := range runtimes {
			if strings.EqualFold(strings.ReplaceAll(runtime, " ", ""), r) {
				hint = fmt.Sprintf(" (did you mean %s?)", r)
			}
		}
		c.fail("runtime", "%q is not a FunctionGraph runtime%s: use the API's spelling, for example %s", runtime, hint, strings.Join(runtimes, ", "))
	}
}

// autoName keeps the name chosen by an earlier Check, or makes one from the Pulumi name and a suffix derived
// from the resource's URN. That suffix is the same in the preview, in the update and in a re-run after a
// crash (which then finds its own earlier create), and differs between stacks. The engine's random seed
// would not do: it is replayed to the update only under an update plan (`pulumi up --strict`).
func autoName(resourceName string, old property.Map, urn string) string {
	if v, ok := old.GetOk("name"); ok && v.IsString() && v.AsString() != "" {
		return v.AsString()
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
	if urn == "" {
		urn = resourceName
	}
	sum := sha256.Sum256([]byte(urn))
	return base + "-" + hex.EncodeToString(sum[:])[:7]
}

// interruptedCreateHint explains an "already exists" for a name of the form autoName gives this resource: an
// earlier up of this stack most likely created the function and was interrupted (a crash, a kill, a lost
// connection) before the engine recorded it. "" for any other error or name.
func interruptedCreateHint(resourceName, name string, err error) string {
	var exists *fgs.AlreadyExistsError
	if !errors.As(err, &exists) {
		return ""
	}
	derived := autoName(resourceName, property.Map{}, "")
	suffix, ok := strings.CutPrefix(name, derived[:len(derived)-7])
	if !ok || len(suffix) != 7 || strings.Trim(suffix, "0123456789abcdef") != "" {
		return ""
	}
	return fmt.Sprintf(". Its name is the one this provider derives for %s in this stack: most likely an earlier `pulumi up` "+
		"that was interrupted (a crash, a kill, a lost connection) created it before the state recorded it, and the "+
		"import command above puts it back into the state", resourceName)
}

// checkedURNKey carries the URN of the resource being checked: infer's CheckRequest has only its name, so
// the provider's middleware (withCheckedURN in provider.go) puts the URN into the context.
type checkedURNKey struct{}

func checkedURN(ctx context.Context) string {
	urn, _ := ctx.Value(checkedURNKey{}).(string)
	return urn
}

// validate reports every invalid input; it returns the code package when it built one, for the size check.
func (a *FunctionArgs) validate(c *checker) {
	v2 := a.FunctionGraphVersion == nil || *a.FunctionGraphVersion == "v2"
	if a.Name != nil && c.known("name") {
		c.match("name", *a.Name, functionNameRe, "use 1 to 60 letters, digits, `_` and `-`, starting with a letter and ending with a letter or digit")
	}
	if a.App != nil && c.known("app") {
		c.match("app", *a.App, appNameRe, "use 1 to 64 letters, digits, `_` and `-`, starting and ending with a letter or digit")
	}
	if c.known("runtime") {
		validateRuntime(c, string(a.Runtime))
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
	a.validateSettings(c)

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
		validateTags(c, a.Tags)
	}
}

// needsCodeToCreate is the one place where a function without code is refused: a function Pulumi creates
// (or replaces) needs a package, while an existing one declared without code keeps the code it has
// (see validateCode). Create calls it in preview too, so the failure shows before anything is sent.
func needsCodeToCreate(a FunctionArgs) error {
	if a.Code == nil && a.CodeURL == nil && a.CustomImage == nil {
		return fmt.Errorf("code: creating function %s needs its code: set code (a local archive or asset), codeUrl (an OBS URL) "+
			"or customImage; a function declared without any of them is one whose code Pulumi leaves alone, which only an "+
			"existing (imported) function can be", orDefault(deref(a.Name), "(unnamed)"))
	}
	return nil
}

// validateCode checks that at most one code source is given, and that a local package can be built. None
// means the code is not managed by Pulumi (an imported function whose code another pipeline deploys):
// Check, Diff, Read and Update leave it as it is, and only Create refuses it (needsCodeToCreate).
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
		if a.CodeURLHash != nil {
			c.fail("codeUrlHash", "marks a change of the object at codeUrl: set it together with codeUrl")
		}
		return
	case len(sources) > 1:
		c.fail(sources[1], "set at most one of code, codeUrl and customImage, not %s", strings.Join(sources, " and "))
		return
	}
	if a.CodeURLHash != nil && a.CodeURL == nil && !c.unknown("codeUrl") {
		c.fail("codeUrlHash", "marks a change of the object at codeUrl: set it together with codeUrl, not with %s", sources[0])
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
		if err := checkPackage(a.Code, deref(a.CodeFilename)); err != nil { // walks; never zips
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
		if !strings.HasPrefix(fs.LocalPath, "/mnt/") || len(fs.LocalPath) <= len("/mnt/") || strings.Contains(fs.LocalPath, "..") {
			c.fail(path+".localPath", "%q must be a path under /mnt/ without `..`, e.g. /mnt/data: FunctionGraph mounts file systems there only", fs.LocalPath)
		} else if seen[fs.LocalPath] {
			c.fail(path+".localPath", "%q is mounted twice", fs.LocalPath)
		}
		seen[fs.LocalPath] = true
	}
}

// The tag rules of FunctionGraph (the emulator applies the same): a key is 1 to 36 letters, digits and
// `_ . : = + - @`; a value is at most 43 of those, `/` and spaces. Lengths count characters, not bytes.
var (
	tagKeyRe   = regexp.MustCompile(`^[\p{L}\p{N}_.:=+\-@]+$`)
	tagValueRe = regexp.MustCompile(`^[\p{L}\p{N}_.:=+\-@/ ]*$`)
)

const (
	maxTags        = 20
	maxTagKeyLen   = 36
	maxTagValueLen = 43
)

func validateTags(c *checker, tags map[string]string) {
	if len(tags) > maxTags {
		c.fail("tags", "a function can have at most %d tags, not %d", maxTags, len(tags))
	}
	for k, v := range tags {
		switch n := utf8.RuneCountInString(k); {
		case n == 0 || n > maxTagKeyLen:
			c.fail("tags", "tag key %q must be 1 to %d characters, not %d", k, maxTagKeyLen, n)
		case !tagKeyRe.MatchString(k):
			c.fail("tags", "tag key %q may hold only letters, digits and _ . : = + - @", k)
		}
		switch n := utf8.RuneCountInString(v); {
		case n > maxTagValueLen:
			c.fail("tags."+k, "tag values must be at most %d characters, not %d", maxTagValueLen, n)
		case !tagValueRe.MatchString(v):
			c.fail("tags."+k, "tag value %q may hold only letters, digits, spaces and _ . : = + - @ /", v)
		}
	}
}

// validateSettings checks tracing and snapshot start.
func (a *FunctionArgs) validateSettings(c *checker) {
	if t := a.Tracing; t != nil && !c.unknown("tracing") {
		if strings.TrimSpace(t.AccessKey) == "" {
			c.fail("tracing.accessKey", "must not be empty: set the APM access key, or remove the tracing block to disable tracing")
		}
		if strings.TrimSpace(t.SecretKey) == "" {
			c.fail("tracing.secretKey", "must not be empty: set the APM secret key, or remove the tracing block to disable tracing")
		}
	}
	java := isJava(string(a.Runtime)) || c.unknown("runtime")
	if deref(a.EnableSnapshot) && !java {
		c.fail("enableSnapshot", "snapshot start is available to Java runtimes only, not %s", a.Runtime)
	}
	if a.RestoreHook != nil && !deref(a.EnableSnapshot) && !c.unknown("enableSnapshot") {
		c.warn("restoreHook runs only when an instance starts from a snapshot: it has no effect until enableSnapshot is true")
	}
}

// signedBodyLimit is the largest body FunctionGraph accepts in an AK/SK-signed request (12 MB; FSS.0413
// beyond it). Password and token requests are not signed and may carry packages up to 50 MB.
const signedBodyLimit = 12 << 20

// validateSignedSize fails a package whose create request would be over the signed-request limit; Check calls
// it only when the provider signs its requests. The size is exact: the body without the package, plus the
// package in base64 (which JSON never escapes). Knowing it means zipping the package, which Check otherwise
// never does (it only walks the files): AK/SK users pay for one zip per Check, bounded by the limit itself.
// An update sends a subset of the same body, so it fits when the create does.
func (a *FunctionArgs) validateSignedSize(c *checker) {
	if a.Code == nil || !c.known("code") || (a.CodeFilename != nil && !c.known("codeFilename")) {
		return
	}
	pkg, err := buildPackage(a.Code, deref(a.CodeFilename))
	if err != nil {
		c.fail("code", "%v", err)
		return
	}
	defer pkg.Close()
	if size := a.signedCreateSize(pkg); size > signedBodyLimit {
		c.fail("code", "the code package makes a %.1f MB request, over the 12 MB FunctionGraph accepts with AK/SK signing (FSS.0413): "+
			"authenticate with a password or token instead of accessKey/secretKey (packages up to 50 MB), or upload the package to OBS and set codeUrl",
			float64(size)/(1<<20))
	}
}

// signedCreateSize is the size of the create request that carries pkg: exact once the package is near the
// limit, the package's base64 alone below it (the rest of the body is far below 64 KB).
func (a *FunctionArgs) signedCreateSize(pkg *codePackage) int {
	encoded := base64.StdEncoding.EncodedLen(int(pkg.Len()))
	if encoded <= signedBodyLimit-64<<10 {
		return encoded
	}
	size := encoded + len(`"file":""`)
	if body, _, err := createRequestWith(*a, pkg); err == nil {
		body.FuncCode = &fgs.FuncCode{}
		raw, _ := json.Marshal(body) // a request body always marshals
		size += len(raw)
	}
	return size
}

// signsRequests reports whether the configured provider signs its requests with AK/SK: the client does so
// whenever an access key pair is configured, even beside a password or token.
func signsRequests(ctx context.Context) bool {
	cfg := infer.GetConfig[Config](ctx)
	return cfg.conn != nil && cfg.conn.opts.AccessKey != "" && cfg.conn.opts.SecretKey != ""
}
