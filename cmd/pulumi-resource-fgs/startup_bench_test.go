package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// pluginBinary is the built plugin: FGS_PLUGIN_BIN, or bin/pulumi-resource-fgs (make provider).
func pluginBinary(b *testing.B) string {
	if p := os.Getenv("FGS_PLUGIN_BIN"); p != "" {
		return p
	}
	p, _ := filepath.Abs("../../bin/pulumi-resource-fgs")
	if _, err := os.Stat(p); err != nil {
		b.Fatalf("no plugin binary at %s: run `make provider` first (or set FGS_PLUGIN_BIN)", p)
	}
	return p
}

// BenchmarkPluginStart starts the plugin as the engine does and reports the medians of: the time until it
// announces its port (when the engine can send the handshake), the first GetSchema (the schema is built on
// it) and a second one; and the binary's size.
func BenchmarkPluginStart(b *testing.B) {
	bin := pluginBinary(b)
	var toPort, firstSchema, secondSchema []time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cmd := exec.Command(bin)
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		port, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			b.Fatal(err)
		}
		toPort = append(toPort, time.Since(start))
		conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		client := rpc.NewResourceProviderClient(conn)
		for _, into := range []*[]time.Duration{&firstSchema, &secondSchema} {
			t0 := time.Now()
			if _, err := client.GetSchema(context.Background(), &rpc.GetSchemaRequest{}); err != nil {
				b.Fatal(err)
			}
			*into = append(*into, time.Since(t0))
		}
		_ = conn.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	b.ReportMetric(ms(median(toPort)), "ms-to-port")
	b.ReportMetric(ms(median(firstSchema)), "ms-first-schema")
	b.ReportMetric(ms(median(secondSchema)), "ms-next-schema")
	if fi, err := os.Stat(bin); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "MB-binary")
	}
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
