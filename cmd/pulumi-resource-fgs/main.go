// Command pulumi-resource-fgs is the FunctionGraph resource provider plugin that the Pulumi engine starts.
package main

import (
	"context"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"

	"github.com/fgs-iac/pulumi-fgs/provider"
)

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		fmt.Println(provider.Version)
		return
	}
	prov, err := provider.New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-fgs: %v\n", err)
		os.Exit(1)
	}
	if err := p.RunProvider(context.Background(), provider.Name, provider.Version, prov); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-fgs: %v\n", err)
		os.Exit(1)
	}
}
