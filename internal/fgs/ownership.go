package fgs

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ownership before adoption: after a create failed ambiguously (the answer was lost, a 5xx, a timeout), the
// client looks the object up, and adopts what it finds only when it is what this very request sent, created
// inside the request's time window. Anything else in the way is an *AlreadyExistsError: somebody else's
// object (another stack, an earlier run, the console), which the user may import if it is really theirs.

// AlreadyExistsError: the object a create was to make exists, and the client cannot show that this request
// made it. It matches ErrConflict. The client cannot know the Pulumi resource's name: ImportCommand renders
// the `pulumi import` command for one.
type AlreadyExistsError struct {
	Kind     string // the Pulumi type's name: Function, Trigger, FunctionVersion, Alias
	Name     string // what the request was to create: the function name, the trigger's type, the version, the alias
	ImportID string // the ID `pulumi import` takes for the object that is there
	Reason   string // why it is not this request's object; "" while the lookup matched everything
	Err      error  // the failure that led to the lookup, or the service's "already exists" answer
	// ResourceName is the Pulumi resource the create was for, when the caller knows it (the provider
	// fills it in), so that the import command in the message runs as it is.
	ResourceName string
}

func (e *AlreadyExistsError) Error() string {
	s := fmt.Sprintf("%s %s already exists and this request did not create it (%s). If it is yours, adopt it with `%s`; "+
		"otherwise choose another name or delete it", kindNoun(e.Kind), e.Name, e.Reason, e.ImportCommand(e.resourceName()))
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// ImportCommand is the command that adopts the object into a stack as the resource named resourceName.
func (e *AlreadyExistsError) ImportCommand(resourceName string) string {
	id := e.ImportID
	if strings.ContainsAny(id, "!$ '\"") {
		id = "'" + strings.ReplaceAll(id, "'", `'\''`) + "'"
	}
	return "pulumi import fgs:index:" + e.Kind + " " + resourceName + " " + id
}

func (e *AlreadyExistsError) resourceName() string {
	if e.ResourceName != "" {
		return e.ResourceName
	}
	return "<resource name>"
}

func (e *AlreadyExistsError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrConflict) hold, as for the service's own "already exists" answers.
func (e *AlreadyExistsError) Is(target error) bool { return target == ErrConflict }

func kindNoun(kind string) string {
	switch kind {
	case "FunctionVersion":
		return "version"
	case "":
		return "object"
	}
	return strings.ToLower(kind)
}

// createWindow is when, on the service's clock, an object created by this request can have been created:
// between the first attempt's start and the lookup, widened by the uncertainty of the service's clock.
// closed: nothing can have been created by this request (the service refused it outright).
type createWindow struct {
	from, to time.Time
	slack    time.Duration
	closed   bool
}

// check says why an object created at stamp (the service's text; "" when it reports none) cannot be this
// request's, or "" when it can.
func (w createWindow) check(stamp string) string {
	if w.closed {
		return "it was there before this request"
	}
	if stamp == "" {
		return ""
	}
	t, ok := parseServiceTime(stamp)
	if !ok {
		return ""
	}
	if t.Before(w.from.Add(-w.slack)) {
		return fmt.Sprintf("it was created at %s, before this request started at %s", t.UTC().Format(time.RFC3339), w.from.UTC().Format(time.RFC3339))
	}
	if t.After(w.to.Add(w.slack)) {
		return fmt.Sprintf("it was created at %s, after this request", t.UTC().Format(time.RFC3339))
	}
	return ""
}

// parseServiceTime reads the service's time stamps: RFC 3339 ("2020-06-03T16:22:19+08:00"), the zone-less
// "2006-01-02 15:04:05" (read as UTC, as the emulator writes it), Unix seconds or milliseconds.
func parseServiceTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		if n > 1e11 { // milliseconds: 1e11 seconds is the year 5138
			return time.UnixMilli(n), true
		}
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// packageDigest is the service's digest of the code package a request uploads: the hex SHA-512 of the
// Base64-decoded func_code.file. "" when the request uploads nothing (OBS code, the runtime's default code):
// then the digest is the service's to compute and cannot be compared.
func packageDigest(code *FuncCode) string {
	if code == nil || code.File == "" {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' {
			return -1
		}
		return r
	}, code.File))
	if err != nil {
		return ""
	}
	sum := sha512.Sum512(b)
	return hex.EncodeToString(sum[:])
}

// functionMismatch says how f differs from what req creates, "" when it is what req sent.
func functionMismatch(req *CreateFunctionRequest, f *Function, w createWindow) string {
	pkg := req.Package
	if pkg == "" {
		pkg = "default"
	}
	diff := func(what, got, want string) string {
		return fmt.Sprintf("its %s is %q, this request sent %q", what, got, want)
	}
	switch {
	case f.Package != "" && f.Package != pkg:
		return diff("app (package)", f.Package, pkg)
	case f.Runtime != "" && f.Runtime != req.Runtime:
		return diff("runtime", f.Runtime, req.Runtime)
	case f.Handler != "" && req.Handler != "" && f.Handler != req.Handler:
		return diff("handler", f.Handler, req.Handler)
	case f.MemorySize != 0 && req.MemorySize != 0 && f.MemorySize.Int() != req.MemorySize:
		return fmt.Sprintf("its memory size is %d MB, this request sent %d MB", f.MemorySize.Int(), req.MemorySize)
	case f.Timeout != 0 && req.Timeout != 0 && f.Timeout.Int() != req.Timeout:
		return fmt.Sprintf("its timeout is %d s, this request sent %d s", f.Timeout.Int(), req.Timeout)
	}
	if want := packageDigest(req.FuncCode); want != "" && f.Digest != want {
		if f.Digest == "" {
			return "the service did not report its code digest, so it cannot be told apart from another function's"
		}
		return "its code digest differs from the package this request sent"
	}
	return w.check(f.LastModified.String())
}

// triggerMismatch says how t differs from what req creates, "" when it is what req sent.
func triggerMismatch(req *CreateTriggerRequest, t *Trigger, w createWindow) string {
	if !MatchTrigger(t, req) {
		return "its type or event data differ from this request's"
	}
	return w.check(t.CreatedTime.String())
}

// versionMismatch says how v differs from the version req publishes (digest: the code it publishes).
func versionMismatch(req *PublishVersionRequest, digest string, v *Function, w createWindow) string {
	if req.Version != "" && v.Version != req.Version {
		return fmt.Sprintf("it is version %q, this request published %q", v.Version, req.Version)
	}
	if digest != "" && v.Digest != "" && v.Digest != digest {
		return "its code digest differs from the code this request published"
	}
	return w.check(v.LastModified.String())
}

// aliasMismatch says how a differs from the alias req creates.
func aliasMismatch(req *CreateAliasRequest, a *Alias, w createWindow) string {
	if a.Version != req.Version {
		return fmt.Sprintf("it points to version %q, this request sent %q", a.Version, req.Version)
	}
	return w.check(a.LastModified.String())
}
