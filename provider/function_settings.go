package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// Function's settings that have endpoints of their own, outside the configuration body: tracing (API 5.5)
// and snapshot start (5.6.9-5.6.10). Each is requested only when it is set at create or changed at update,
// and read only when the user manages it.

// Tracing sends the function's traces to APM with an access key pair.
type Tracing struct {
	AccessKey string `pulumi:"accessKey"`
	SecretKey string `pulumi:"secretKey" provider:"secret"`
}

var _ = (infer.Annotated)((*Tracing)(nil))

// Annotate describes the tracing block.
func (t *Tracing) Annotate(a infer.Annotator) {
	a.Describe(&t.AccessKey, "The APM access key (the API's `tracing_ak`). A refresh sees it changed or tracing disabled behind Pulumi's back.")
	a.Describe(&t.SecretKey, "The APM secret key (the API's `tracing_sk`), kept secret in Pulumi state. "+
		"The service returns it masked, so its drift cannot be seen by a refresh.")
}

// liveSettings is what Read learnt from the settings' own endpoints.
type liveSettings struct {
	tracingRead bool
	tracing     *fgs.TracingConfig // nil: tracing is disabled
	snapshot    *bool              // nil: not read
}

// readSettings reads the settings the user manages. An import reads the snapshot state of Java functions
// only, and never tracing: its secret key cannot be read, so the program declares it.
func readSettings(ctx context.Context, client *fgs.Client, urn string, olds FunctionArgs, live *fgs.Function, importing bool) (liveSettings, error) {
	var s liveSettings
	if olds.Tracing != nil && !importing {
		t, err := client.Tracing.Get(ctx, urn)
		switch {
		case errors.Is(err, fgs.ErrNotFound): // 404 FSS.0404 "can not find tracing aksk": disabled
		case err != nil:
			return s, fmt.Errorf("reading the tracing configuration: %w", err)
		case t.TracingAK != "":
			s.tracing = t
		}
		s.tracingRead = true
	}
	if olds.EnableSnapshot != nil || (importing && isJava(live.Runtime)) {
		st, err := client.Functions.GetSnapshotState(ctx, urn)
		switch {
		case err == nil:
			s.snapshot = fgs.Ptr(st.Enabled())
		case !importing:
			return s, fmt.Errorf("reading the snapshot state: %w", err)
		}
	}
	return s, nil
}

func readTracing(r *readBack) {
	if !r.settings.tracingRead {
		return
	}
	r.in.Tracing = nil
	if t := r.settings.tracing; t != nil {
		r.in.Tracing = &Tracing{AccessKey: t.TracingAK}
		if r.olds.Tracing != nil {
			r.in.Tracing.SecretKey = r.olds.Tracing.SecretKey // masked by the service: kept from state
		}
	}
}

func readSnapshot(r *readBack) {
	if s := r.settings.snapshot; s != nil && (r.olds.EnableSnapshot != nil || *s) {
		r.in.EnableSnapshot = fgs.Ptr(*s)
	}
}

func isJava(runtime string) bool { return strings.HasPrefix(runtime, "Java") }

func tracingChanged(olds, news FunctionArgs) bool {
	return !reflect.DeepEqual(olds.Tracing, news.Tracing)
}

func snapshotChanged(olds, news FunctionArgs) bool {
	return deref(olds.EnableSnapshot) != deref(news.EnableSnapshot)
}

// applyTracing sets the tracing keys, or disables tracing when the block was removed.
func applyTracing(ctx context.Context, client *fgs.Client, urn string, t *Tracing) error {
	var err error
	if t == nil {
		err = client.Tracing.Disable(ctx, urn)
	} else {
		err = client.Tracing.Put(ctx, urn, &fgs.TracingConfig{TracingAK: t.AccessKey, TracingSK: t.SecretKey})
	}
	if err != nil {
		return fmt.Errorf("setting tracing: %w", err)
	}
	return nil
}

func applySnapshot(ctx context.Context, client *fgs.Client, urn string, enable bool) error {
	if err := client.Functions.SetSnapshot(ctx, urn, enable); err != nil {
		return fmt.Errorf("turning snapshot start %s: %w", map[bool]string{true: "on", false: "off"}[enable], err)
	}
	return nil
}

// createSettings applies the settings a new function asks for; snapshot start is off on a new function.
func createSettings(ctx context.Context, client *fgs.Client, urn string, args FunctionArgs) error {
	if args.Tracing != nil {
		if err := applyTracing(ctx, client, urn, args.Tracing); err != nil {
			return err
		}
	}
	if deref(args.EnableSnapshot) {
		return applySnapshot(ctx, client, urn, true)
	}
	return nil
}

// updateSettings applies the settings that changed, recording each in the state once it is applied.
func (u *functionUpdate) updateSettings(ctx context.Context) error {
	if tracingChanged(u.olds, u.news) {
		if err := applyTracing(ctx, u.client, u.urn, u.news.Tracing); err != nil {
			return err
		}
		u.applied(func(f functionInput) bool { return f.key == "tracing" })
	}
	if snapshotChanged(u.olds, u.news) {
		if err := applySnapshot(ctx, u.client, u.urn, deref(u.news.EnableSnapshot)); err != nil {
			return err
		}
		u.applied(func(f functionInput) bool { return f.key == "enableSnapshot" })
	}
	return nil
}
