package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The mapping between an Alias's inputs and the API: the create and update bodies, the read-back, the ID,
// and what the service's refusals mean for the user.

// createAliasRequest is the body of POST .../functions/{urn}/aliases.
func createAliasRequest(args AliasArgs) *fgs.CreateAliasRequest {
	return &fgs.CreateAliasRequest{
		Name: args.Name, Version: args.FunctionVersion, Description: deref(args.Description), AdditionalVersionWeights: args.AdditionalVersionWeights,
	}
}

// updateAliasRequest is the body of PUT .../aliases/{name}, which replaces version, description and weights
// together: an unset description is sent empty and unset weights as {}, so that both are removed.
func updateAliasRequest(args AliasArgs) *fgs.UpdateAliasRequest {
	weights := args.AdditionalVersionWeights
	if weights == nil {
		weights = map[string]int{}
	}
	desc := deref(args.Description)
	return &fgs.UpdateAliasRequest{Version: args.FunctionVersion, Description: &desc, AdditionalVersionWeights: weights}
}

// readBackAlias maps the live alias onto state. An optional input the service answers empty stays unset,
// unless the prior inputs set it: then it reads back empty, so that a removal behind Pulumi's back shows.
func readBackAlias(urn, name string, olds AliasArgs, live *fgs.Alias) AliasState {
	inputs := AliasArgs{FunctionURN: urn, Name: name, FunctionVersion: live.Version}
	if live.Description != "" || olds.Description != nil {
		d := live.Description
		inputs.Description = &d
	}
	if len(live.AdditionalVersionWeights) > 0 {
		inputs.AdditionalVersionWeights = live.AdditionalVersionWeights
	} else if olds.AdditionalVersionWeights != nil {
		inputs.AdditionalVersionWeights = map[string]int{}
	}
	state := AliasState{AliasArgs: inputs}
	state.setOutputs(live)
	return state
}

func (s *AliasState) setOutputs(live *fgs.Alias) {
	s.AliasURN = live.AliasURN
	s.LastModified = live.LastModified.String()
}

// aliasID is the ID an alias is recorded under, `{functionUrn}/{name}`.
func aliasID(urn, name string) string { return urn + "/" + name }

// parseAliasID accepts `{functionUrn}/{name}`, `{functionUrn}!{name}` and the alias URN `{functionUrn}:!{name}`.
func parseAliasID(id string) (urn, name string, err error) {
	if i := strings.LastIndex(id, "/"); i > 0 {
		urn, name = id[:i], id[i+1:]
	} else if i := strings.LastIndex(id, "!"); i > 0 {
		urn, name = strings.TrimSuffix(id[:i], ":"), id[i+1:]
	}
	u, perr := fgs.ParseURN(urn)
	if name == "" || perr != nil || u.Qualifier != "" {
		return "", "", fmt.Errorf("%q is not an alias ID: use <functionUrn>/<name> or <functionUrn>!<name>", id)
	}
	return urn, name, nil
}

// aliasError says what to do about a refused create or update.
func aliasError(verb string, args AliasArgs, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case "FSS.1052":
			return fmt.Errorf("%s alias %s of %s: version %s (or one of additionalVersionWeights) does not exist; publish it first "+
				"(take it from a FunctionVersion's `version` output): %w", verb, args.Name, args.FunctionURN, args.FunctionVersion, err)
		case "FSS.1063":
			return fmt.Errorf("%s alias %s of %s: the alias already exists; import it with `pulumi import fgs:index:Alias <name> %s`: %w",
				verb, args.Name, args.FunctionURN, aliasID(args.FunctionURN, args.Name), err)
		}
	}
	return fmt.Errorf("%s alias %s of %s: %w", verb, args.Name, args.FunctionURN, err)
}

// deleteAliasError says what to do about a refused delete: triggers still bound to the alias go first.
func deleteAliasError(urn, name string, err error) error {
	var ae *fgs.APIError
	if errors.As(err, &ae) && ae.Code == "FSS.1154" {
		return fmt.Errorf("deleting alias %s of %s: triggers are still bound to it (FSS.1154); delete them first "+
			"(Pulumi does when a Trigger's `functionUrn` is this alias's `aliasUrn`): %w", name, urn, err)
	}
	return fmt.Errorf("deleting alias %s of %s: %w", name, urn, err)
}
