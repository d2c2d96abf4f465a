// Command pulumi-gen-fgs writes schema.json, the generated SDKs and the resources' docs pages into the repository.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	root := flag.String("out", ".", "the repository root to write schema.json, sdk/ and docs/ into")
	flag.Parse()
	files, err := Generate(context.Background())
	pages := 0
	if err == nil {
		pages, err = addDocs(*root, files) // docs/<resource>.md, from the schema.json in files
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-gen-fgs:", err)
		os.Exit(1)
	}
	// Generated trees are rewritten whole, so that a removed resource leaves no file behind.
	for _, dir := range SDKDirs {
		if err := os.RemoveAll(filepath.Join(*root, dir)); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-gen-fgs:", err)
			os.Exit(1)
		}
	}
	for name, content := range files {
		p := filepath.Join(*root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-gen-fgs:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-gen-fgs:", err)
			os.Exit(1)
		}
	}
	goMod := filepath.Join(*root, "sdk", "go", "go.mod")
	if _, err := os.Stat(goMod); os.IsNotExist(err) {
		if err := os.WriteFile(goMod, GoMod(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-gen-fgs:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("wrote schema.json, %d SDK files and %d docs pages\n", len(files)-1-pages, pages)
}
