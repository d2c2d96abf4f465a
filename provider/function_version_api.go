package provider

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The mapping between a FunctionVersion's inputs and the API: the publish body, the state from its answer,
// the read-back, the ID, and what the service's refusals mean for the user.

// publishRequest is the body of POST .../functions/{urn}/versions.
func publishRequest(args FunctionVersionArgs) *fgs.PublishVersionRequest {
	return &fgs.PublishVersionRequest{Version: deref(args.Name), Description: deref(args.Description), Digest: deref(args.Digest)}
}

// unpublishedVersion is the state a preview promises: the inputs, and the name when it is fixed.
func unpublishedVersion(args FunctionVersionArgs) FunctionVersionState {
	return FunctionVersionState{FunctionURN: args.FunctionURN, Name: args.Name, Version: deref(args.Name), Description: args.Description, InputDigest: args.Digest}
}

// publishedVersion is the state of a version the service has just published.
func publishedVersion(args FunctionVersionArgs, live *fgs.Function) FunctionVersionState {
	state := unpublishedVersion(args)
	state.setOutputs(args.FunctionURN, live)
	return state
}

// inputs are the inputs the state was published with.
func (s FunctionVersionState) inputs() FunctionVersionArgs {
	return FunctionVersionArgs{FunctionURN: s.FunctionURN, Name: s.Name, Description: s.Description, Digest: s.InputDigest}
}

func (s *FunctionVersionState) setOutputs(urn string, live *fgs.Function) {
	s.FunctionURN = urn
	if live.Version != "" {
		s.Version = live.Version
	}
	s.QualifiedURN = versionID(urn, s.Version)
	s.Digest = live.Digest
	s.CodeSize = live.CodeSize.Int()
	s.LastModified = live.LastModified.String()
}

// autoVersionName is the form of the names the service gives versions published without one.
var autoVersionName = regexp.MustCompile(`^v\d{8}-\d{6}$`)

// readBackVersion maps the live version onto inputs and state. A refresh (the prior state has a qualified
// URN) keeps the inputs, as a version is immutable; an import (no prior state) rebuilds them from the service.
func readBackVersion(urn, version string, priorInputs FunctionVersionArgs, prior FunctionVersionState, live *fgs.Function) (FunctionVersionArgs, FunctionVersionState) {
	importing := prior.QualifiedURN == ""
	state := prior
	state.Version = version
	state.setOutputs(urn, live)
	inputs := priorInputs
	if importing {
		inputs = FunctionVersionArgs{}
		// A name the service generated was not chosen by a program: recording it would make the program,
		// which leaves `name` unset, replace the version it just imported.
		if !autoVersionName.MatchString(version) {
			name := version
			state.Name = &name
		}
		state.Description = nil
		if desc := live.VersionDescription; desc != "" {
			state.Description = &desc
		}
		// The digest a program passes (the function's) matches the one the version was published from.
		state.InputDigest = nil
		if live.Digest != "" {
			d := live.Digest
			state.InputDigest = &d
		}
	}
	inputs.FunctionURN = urn
	inputs.Name = state.Name
	inputs.Description = state.Description
	inputs.Digest = state.InputDigest
	return inputs, state
}

// versionID is a version's ID and qualified URN, `{functionUrn}:{version}`.
func versionID(urn, version string) string { return urn + ":" + version }

// parseVersionID splits `{functionUrn}:{version}`.
func parseVersionID(id string) (urn, version string, err error) {
	u, perr := fgs.ParseURN(id)
	if perr != nil || u.Qualifier == "" || u.Alias {
		return "", "", fmt.Errorf("%q is not a function version ID: use <functionUrn>:<version>", id)
	}
	return u.Unqualified(), u.Qualifier, nil
}

// publishError says what to do about a refused publish.
func publishError(args FunctionVersionArgs, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "FSS.1016":
			return fmt.Errorf("publishing a version of %s: FunctionGraph refuses to publish a function that has not changed since "+
				"its last published version (FSS.1016). Change the function's code or configuration first; to publish on code "+
				"changes only, pass the Function's `digest` output as this version's `digest`; or use the existing version "+
				"instead of a new FunctionVersion: %w", args.FunctionURN, err)
		case "FSS.1062":
			if args.Name == nil {
				return fmt.Errorf("publishing a version of %s: the name the service generated (from the time, to the second) "+
					"is taken (FSS.1062); run the update again: %w", args.FunctionURN, err)
			}
			return fmt.Errorf("publishing version %s of %s: a version of that name already exists (FSS.1062); choose another "+
				"`name`, import the existing one, or leave `name` unset to let the service name it: %w", *args.Name, args.FunctionURN, err)
		}
		if args.Digest != nil && ae.Status == 400 {
			return fmt.Errorf("publishing a version of %s: FunctionGraph refused it; if the function's code no longer has the "+
				"digest given as `digest`, pass the Function's current `digest` output: %w", args.FunctionURN, err)
		}
	}
	return fmt.Errorf("publishing a version of %s: %w", args.FunctionURN, err)
}

// deleteVersionError says what to do about a refused delete: the usual cause is an alias routing to it.
func deleteVersionError(urn, version string, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) && (ae.Code == "FSS.1094" || ae.Status == 403 || ae.Status == 409) {
		return fmt.Errorf("deleting version %s of %s: an alias still routes to it, as its version or in "+
			"`additionalVersionWeights`. Point the alias at another version (or delete it) first; when the Alias takes its "+
			"versions from this resource's `version` output, Pulumi does that in the right order. If this version is being "+
			"replaced under the same fixed `name` (for a new `digest`), give the new version another name or leave `name` unset: %w", version, urn, err)
	}
	return fmt.Errorf("deleting version %s of %s: %w", version, urn, err)
}
