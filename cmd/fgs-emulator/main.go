// Command fgs-emulator runs the local FunctionGraph + IAM emulator.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/fgs-iac/pulumi-fgs/internal/emulator"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "fgs-emulator:", err)
		os.Exit(1)
	}
}

// parseLatency accepts "50ms" or "20ms-80ms".
func parseLatency(s string) ([2]time.Duration, error) {
	var out [2]time.Duration
	if s == "" {
		return out, nil
	}
	lo, hi, ranged := strings.Cut(s, "-")
	a, err := time.ParseDuration(strings.TrimSpace(lo))
	if err != nil {
		return out, fmt.Errorf("--latency: %w", err)
	}
	b := a
	if ranged {
		if b, err = time.ParseDuration(strings.TrimSpace(hi)); err != nil {
			return out, fmt.Errorf("--latency: %w", err)
		}
	}
	if a < 0 || b < a {
		return out, fmt.Errorf("--latency: want MIN-MAX with 0 <= MIN <= MAX, got %q", s)
	}
	return [2]time.Duration{a, b}, nil
}

func run(args []string, stdout, stderr io.Writer) error {
	d := emulator.DefaultConfig()
	fs := flag.NewFlagSet("fgs-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "fgs-emulator runs a local FunctionGraph + IAM emulator (operator endpoints under /_emulator/).")
		fmt.Fprintln(fs.Output(), "Usage: fgs-emulator [flags]")
		fs.PrintDefaults()
		printOperatorHelp(fs.Output())
	}
	listen := fs.String("listen", "127.0.0.1:8990", "address to listen on (port 0 picks a free port)")
	region := fs.String("region", d.Region, "region")
	projectID := fs.String("project-id", d.ProjectID, "project id")
	projectName := fs.String("project-name", d.ProjectName, "project name")
	domainName := fs.String("domain-name", d.DomainName, "domain (account) name")
	user := fs.String("user", d.UserName, "IAM user name")
	password := fs.String("password", d.Password, "IAM user password")
	accessKey := fs.String("access-key", d.AccessKey, "AK for AK/SK signing")
	secretKey := fs.String("secret-key", d.SecretKey, "SK for AK/SK signing")
	stateFile := fs.String("state", "", "state file (loaded at start, written atomically after every change)")
	latency := fs.String("latency", "", "added latency per request: 50ms or 20ms-80ms")
	faultRate := fs.Float64("fault-rate", 0, "probability 0..1 of a fault before the handler on every /v2 request")
	faultKinds := fs.String("fault-kinds", "429,500,503,drop", "comma list of the --fault-rate kinds: 429,500,502,503,504,drop,hang")
	quiet := fs.Bool("quiet", false, "do not log requests")
	applyOperatorFlags := operatorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	lat, err := parseLatency(*latency)
	if err != nil {
		return err
	}
	var kinds []string
	for _, k := range strings.Split(*faultKinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			kinds = append(kinds, k)
		}
	}
	cfg := d
	cfg.Region, cfg.ProjectID, cfg.ProjectName, cfg.DomainName = *region, *projectID, *projectName, *domainName
	cfg.UserName, cfg.Password, cfg.AccessKey, cfg.SecretKey = *user, *password, *accessKey, *secretKey
	cfg.StateFile, cfg.Latency, cfg.FaultRate, cfg.FaultKinds = *stateFile, lat, *faultRate, kinds
	if err := applyOperatorFlags(&cfg); err != nil {
		return err
	}
	if !*quiet {
		cfg.Logger = log.New(stdout, "", log.LstdFlags|log.LUTC)
	}
	em, err := emulator.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	base := "http://" + addr
	fmt.Fprintf(stdout, "fgs-emulator listening on %s\n", base)
	for _, kv := range [][2]string{
		{"OS_AUTH_URL", base + "/v3"}, {"OS_REGION_NAME", cfg.Region}, {"OS_PROJECT_ID", cfg.ProjectID},
		{"OS_PROJECT_NAME", cfg.ProjectName}, {"OS_DOMAIN_NAME", cfg.DomainName}, {"OS_USERNAME", cfg.UserName},
		{"OS_PASSWORD", cfg.Password}, {"OS_ACCESS_KEY", cfg.AccessKey}, {"OS_SECRET_KEY", cfg.SecretKey},
		{"FGS_ENDPOINT", base},
	} {
		fmt.Fprintf(stdout, "export %s=%s\n", kv[0], kv[1])
	}
	srv := &http.Server{Handler: em, ReadHeaderTimeout: 30 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	_ = em.Close() // releases requests held by "hang" faults, which Shutdown would wait for
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "fgs-emulator stopped")
	return nil
}
