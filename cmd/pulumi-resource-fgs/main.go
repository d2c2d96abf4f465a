// Command pulumi-resource-fgs is the FunctionGraph resource provider plugin that the Pulumi engine starts.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/fgs-iac/pulumi-fgs/provider"
)

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		fmt.Println(provider.Version)
		return
	}
	// Serve, not p.RunProvider: it passes the engine's invoke preview flag on to invokeFunction.
	if err := provider.Serve(context.Background(), provider.Version); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-fgs: %v\n", err)
		os.Exit(1)
	}
}
