package provider

import "github.com/fgs-iac/pulumi-fgs/internal/fgs"

// ClientOptions resolves a configuration the way the provider's Configure does (explicit keys, then the OS_*
// environment, then clouds.yaml, then defaults) into client options, for the commands beside the plugin
// (fgs-adopt) that must reach the same cloud with the same settings. The options' Logger is left unset: the
// provider's own sends lines to the Pulumi engine, which a command does not have.
func ClientOptions(c Config, lookupEnv func(string) (string, bool)) (*fgs.Options, error) {
	opts, err := c.resolve(lookupEnv)
	if err != nil {
		return nil, err
	}
	opts.Logger = nil
	return opts, nil
}
