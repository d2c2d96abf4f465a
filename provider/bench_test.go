package provider

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/require"
)

// BenchmarkBuildPackage zips a 200-file, 4 MB source tree the way every create and code update does.
func BenchmarkBuildPackage(b *testing.B) {
	dir := b.TempDir()
	rng := rand.New(rand.NewSource(1))
	total := 0
	for i := 0; i < 200; i++ {
		buf := make([]byte, 20<<10)
		for j := range buf {
			buf[j] = byte('a' + rng.Intn(16)) // compressible, like source code
		}
		p := filepath.Join(dir, fmt.Sprintf("pkg%02d", i%10), fmt.Sprintf("mod%03d.py", i))
		require.NoError(b, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(b, os.WriteFile(p, buf, 0o644))
		total += len(buf)
	}
	a, err := archive.FromPath(dir)
	require.NoError(b, err)
	code := &types.AssetOrArchive{Archive: a}
	b.SetBytes(int64(total))
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		pkg, err := buildPackage(code, "")
		if err != nil {
			b.Fatal(err)
		}
		size = int(pkg.Len())
		_ = pkg.Close()
	}
	b.ReportMetric(float64(size)/float64(total)*100, "%zipped")
}

// BenchmarkFunctionOperations runs each Function operation through the provider server against the emulator
// and reports the API requests each one makes.
func BenchmarkFunctionOperations(b *testing.B) {
	c := newTestCloud(b)
	inputs := map[string]any{"name": "bench", "runtime": "Python3.9", "handler": "index.handler",
		"code": benchCode(b, "def handler(e, c):\n    return 1\n"), "tags": map[string]any{"team": "bench"}, "maxInstances": 10}
	urn := urnOf("Function", "bench")
	check := func(in map[string]any, olds property.Map) property.Map {
		resp, err := c.server.Check(p.CheckRequest{Urn: urn, Inputs: props(in), State: olds})
		if err != nil || len(resp.Failures) > 0 {
			b.Fatalf("check: %v %v", err, resp.Failures)
		}
		return resp.Inputs
	}
	report := func(b *testing.B) {
		_, total := c.fgsRequests()
		b.ReportMetric(float64(total)/float64(b.N), "requests/op")
	}
	checked := check(inputs, property.Map{})

	b.Run("create+delete", func(b *testing.B) {
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			resp, err := c.server.Create(p.CreateRequest{Urn: urn, Properties: checked})
			if err != nil {
				b.Fatal(err)
			}
			if err := c.server.Delete(p.DeleteRequest{ID: resp.ID, Urn: urn, Properties: resp.Properties}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})

	created, err := c.server.Create(p.CreateRequest{Urn: urn, Properties: checked})
	require.NoError(b, err)
	b.Run("refresh", func(b *testing.B) {
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			if _, err := c.server.Read(p.ReadRequest{ID: created.ID, Urn: urn, Properties: created.Properties, Inputs: checked}); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("memory-update", func(b *testing.B) {
		state, olds := created.Properties, checked
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			news := check(merged(inputs, map[string]any{"memorySize": []int{256, 512}[i%2]}), olds)
			resp, err := c.server.Update(p.UpdateRequest{ID: created.ID, Urn: urn, State: state, Inputs: news, OldInputs: olds})
			if err != nil {
				b.Fatal(err)
			}
			state, olds = resp.Properties, news
		}
		report(b)
	})
	b.Run("code-update", func(b *testing.B) {
		codes := []property.Value{benchCode(b, "one"), benchCode(b, "two")}
		state, olds := created.Properties, checked
		c.em.ResetCounts()
		for i := 0; i < b.N; i++ {
			news := check(merged(inputs, map[string]any{"code": codes[i%2]}), olds)
			resp, err := c.server.Update(p.UpdateRequest{ID: created.ID, Urn: urn, State: state, Inputs: news, OldInputs: olds})
			if err != nil {
				b.Fatal(err)
			}
			state, olds = resp.Properties, news
		}
		report(b)
	})
}

func benchCode(b *testing.B, body string) property.Value {
	dir := b.TempDir()
	require.NoError(b, os.WriteFile(filepath.Join(dir, "index.py"), []byte(body), 0o644))
	a, err := archive.FromPath(dir)
	require.NoError(b, err)
	return property.New(a)
}
