// Command fgs-adopt lists an existing FunctionGraph project and writes the file `pulumi import --file` reads,
// so that one `pulumi import` brings every function, trigger, version, alias, test event, async invoke
// config, reserved instance setting and dependency version under Pulumi, with a generated program. It only
// reads: nothing is ever written to the cloud.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
	"github.com/fgs-iac/pulumi-fgs/provider"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "fgs-adopt:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	app, prefix, out, downloadDir string
	dryRun, withDependencies      bool
	version                       bool
	parallel                      int
	config                        provider.Config
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("fgs-adopt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `fgs-adopt lists a FunctionGraph project and writes the file "pulumi import --file" reads.
It never writes to the cloud. Credentials come from the provider's usual sources: the OS_* environment
variables (OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME, OS_ACCESS_KEY, OS_SECRET_KEY, OS_TOKEN, ...),
a clouds.yaml entry (--cloud or OS_CLOUD), and the flags below.

Usage: fgs-adopt [--app APP] [--name-prefix P] [--out import.json] [--dry-run] [--download-code DIR]
                 [--with-dependencies] [--parallel N] [--cloud NAME] [--region R] [--endpoint URL] ...

`)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.app, "app", "", "only the functions of this app (the API's package); default: every app")
	fs.StringVar(&o.prefix, "name-prefix", "", "put this before every Pulumi name (lowerCamelCase), e.g. legacy -> legacyHello")
	fs.StringVar(&o.out, "out", "import.json", "the import file to write")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print what was found, per type, and write nothing")
	fs.StringVar(&o.downloadDir, "download-code", "", "save each function's code package into this directory, to point code at later")
	fs.BoolVar(&o.withDependencies, "with-dependencies", false, "also import the dependency versions the functions use (their code or link must then be declared)")
	fs.IntVar(&o.parallel, "parallel", 8, "requests in flight at once")
	str := func(p **string, name, usage string) {
		fs.Func(name, usage, func(v string) error { *p = &v; return nil })
	}
	str(&o.config.Cloud, "cloud", "a clouds.yaml entry (falls back to OS_CLOUD)")
	str(&o.config.Region, "region", "the region, e.g. eu-de (falls back to OS_REGION_NAME)")
	str(&o.config.ProjectID, "project-id", "the project ID (falls back to OS_PROJECT_ID)")
	str(&o.config.ProjectName, "project-name", "the project name (falls back to OS_PROJECT_NAME, then the region)")
	str(&o.config.DomainName, "domain-name", "the account (domain) name (falls back to OS_DOMAIN_NAME)")
	str(&o.config.AuthURL, "auth-url", "the IAM endpoint (falls back to OS_AUTH_URL)")
	str(&o.config.Endpoint, "endpoint", "the FunctionGraph endpoint, e.g. http://127.0.0.1:8990 (falls back to FGS_ENDPOINT)")
	fs.Func("insecure", "skip TLS certificate verification (true or false; falls back to OS_INSECURE)", func(v string) error {
		b := v == "true" || v == "1"
		if !b && v != "false" && v != "0" {
			return fmt.Errorf("want true or false, not %q", v)
		}
		o.config.Insecure = &b
		return nil
	})
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	if o.parallel < 1 || o.parallel > 64 {
		return nil, fmt.Errorf("--parallel must be between 1 and 64, not %d", o.parallel)
	}
	if o.prefix != "" && camel(o.prefix) == "" {
		return nil, fmt.Errorf("--name-prefix %q has no letters or digits", o.prefix)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stdout, provider.Version)
		return nil
	}
	opts, err := provider.ClientOptions(o.config, lookupEnv)
	if err != nil {
		return err
	}
	client, err := fgs.NewClient(*opts)
	if err != nil {
		return err
	}
	start := time.Now()
	proj, err := discover(ctx, client, o.app, o.parallel)
	if err != nil {
		return err
	}
	doc, warns, notes := buildDocument(proj, o.prefix, o.withDependencies)
	scope := "every app"
	if o.app != "" {
		scope = "app " + o.app
	}
	fmt.Fprintf(stdout, "Found in %s (%.1fs):\n", scope, time.Since(start).Seconds())
	for _, c := range summary(doc) {
		fmt.Fprintf(stdout, "  %-28s %5d\n", c.typ, c.count)
	}
	fmt.Fprintf(stdout, "  %-28s %5d\n", "total", len(doc.Resources))
	if len(warns) > 0 {
		fmt.Fprintf(stderr, "warning: %d secret(s) the service does not return; set them in the generated program before `pulumi up`:\n", len(warns))
		for _, w := range warns {
			fmt.Fprintf(stderr, "  %s\n", w)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	if o.dryRun {
		return nil
	}
	if o.downloadDir != "" {
		if err := downloadCode(ctx, client, proj, doc, o.downloadDir, o.parallel, stdout, stderr); err != nil {
			return err
		}
	}
	if err := writeDocument(doc, o.out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s. Next, in a new stack of a Pulumi project:\n  pulumi import --file %s --out <program file>\n", o.out, o.out)
	return nil
}

func writeDocument(doc importFile, path string) error {
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the import file: %w", err)
	}
	return nil
}
