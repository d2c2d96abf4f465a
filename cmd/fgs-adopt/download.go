package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// downloadCode saves each function's package into dir, as <name>.zip (a zip package) or <name>/<file> (an
// inline or single-file one), named after the function's Pulumi name, so that `code` can point at it. The
// package comes from GET .../code when the answer carries it, else from the export API. A function whose code
// cannot be saved (code in OBS, a container image, an export the service refuses) is reported with what to
// set instead; it never stops the run, since the import works without code.
func downloadCode(ctx context.Context, c *fgs.Client, proj *project, doc importFile, dir string, parallel int, stdout, stderr io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--download-code: %w", err)
	}
	names := map[string]string{}
	for _, r := range doc.Resources {
		if r.Type == typeFunction {
			names[r.ID] = r.Name
		}
	}
	var mu sync.Mutex
	saved, skipped := 0, 0
	report := func(ok bool, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if ok {
			saved++
			fmt.Fprintf(stdout, format+"\n", args...)
		} else {
			skipped++
			fmt.Fprintf(stderr, format+"\n", args...)
		}
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, f := range proj.functions {
		f, name := f, names[f.urn]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			path, err := saveCode(ctx, c, f, name, dir)
			switch {
			case err != nil:
				report(false, "  %s: code not saved: %v", name, err)
			default:
				report(true, "  %s: saved %s", name, path)
			}
		}()
	}
	wg.Wait()
	fmt.Fprintf(stdout, "Code: %d package(s) saved in %s, %d not saved.\n", saved, dir, skipped)
	return nil
}

func saveCode(ctx context.Context, c *fgs.Client, f *functionFound, name, dir string) (string, error) {
	if f.fn.CustomImage != nil && f.fn.CustomImage.Image != "" {
		return "", fmt.Errorf("it runs the container image %s: the generated program can set customImage", f.fn.CustomImage.Image)
	}
	code, err := c.Functions.GetCode(ctx, f.urn)
	if err != nil {
		return "", fmt.Errorf("reading the code: %w", err)
	}
	if code.CodeType == "obs" && code.CodeURL != "" {
		return "", fmt.Errorf("its package is in OBS at %s: point codeUrl at it", code.CodeURL)
	}
	var pkg []byte
	if code.FuncCode != nil && code.FuncCode.File != "" {
		if pkg, err = base64.StdEncoding.DecodeString(code.FuncCode.File); err != nil {
			return "", fmt.Errorf("the code the service returned is not Base64: %w", err)
		}
	} else if pkg, err = c.Functions.ExportCode(ctx, f.urn); err != nil {
		return "", fmt.Errorf("exporting the code: %w", err)
	}
	if len(pkg) == 0 {
		return "", fmt.Errorf("the service returned an empty package")
	}
	path := filepath.Join(dir, name+".zip")
	if !bytes.HasPrefix(pkg, []byte("PK\x03\x04")) { // not a zip: one file, under the name the function gives it
		file := code.CodeFilename
		if file == "" || filepath.Base(file) != file {
			file = "code"
		}
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			return "", err
		}
		path = filepath.Join(dir, name, file)
	}
	if err := os.WriteFile(path, pkg, 0o644); err != nil {
		return "", err
	}
	return path, nil
}
