package provider

import (
	"encoding/base64"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
)

// generateTree writes a source tree like a Python function's with its vendored packages: about 106 MB in
// 2,561 files, mostly text (compressible to about a third), some binary. Deterministic (fixed seed).
func generateTree(tb testing.TB, dir string, files int, total int64) int64 {
	tb.Helper()
	rng := rand.New(rand.NewSource(17))
	words := make([]string, 512)
	for i := range words {
		n := 2 + rng.Intn(9)
		b := make([]byte, n)
		for j := range b {
			b[j] = byte('a' + rng.Intn(26))
		}
		words[i] = string(b)
	}
	var written int64
	avg := total / int64(files)
	for i := 0; i < files; i++ {
		size := avg/4 + rng.Int63n(avg*3/2+1)
		if i == files-1 && total > written {
			size = total - written
		}
		buf := make([]byte, 0, size)
		if i%10 == 9 { // a compiled extension: incompressible
			buf = buf[:size]
			rng.Read(buf)
		} else {
			for int64(len(buf)) < size {
				buf = append(buf, words[rng.Intn(len(words))]...)
				if rng.Intn(8) == 0 {
					buf = append(buf, '\n', ' ', ' ', ' ', ' ')
				} else {
					buf = append(buf, ' ')
				}
			}
			buf = buf[:size]
		}
		p := filepath.Join(dir, fmt.Sprintf("site-packages/pkg%03d/sub%d/mod%04d.py", i%97, i%7, i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			tb.Fatal(err)
		}
		written += size
	}
	return written
}

// procStatusKB reads a field of /proc/self/status (VmRSS, VmHWM) in KiB; 0 where there is none.
func procStatusKB(field string) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line[len(field)+1:])
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// processCPU is the user and system CPU time the process has used: on a shared machine a steadier figure
// than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS returns the current RSS after resetting the peak (VmHWM) to it (Linux: clear_refs 5).
func resetPeakRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return procStatusKB("VmRSS")
}

// BenchmarkPackageLargeTree packages a generated 106 MB tree of 2,561 files and produces the request body
// a code upload sends, to io.Discard: MB/s of the tree and the peak RSS growth while doing it.
func BenchmarkPackageLargeTree(b *testing.B) {
	dir := b.TempDir()
	total := generateTree(b, dir, 2561, 106<<20)
	a, err := archive.FromPath(dir)
	if err != nil {
		b.Fatal(err)
	}
	code := &types.AssetOrArchive{Archive: a}
	b.SetBytes(total)
	var peak, zipped int64
	cpu0 := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		base := resetPeakRSS()
		n, err := packageAndSend(code)
		if err != nil {
			b.Fatal(err)
		}
		zipped = n
		if g := procStatusKB("VmHWM") - base; g > peak {
			peak = g
		}
	}
	b.StopTimer()
	cpu := (processCPU() - cpu0).Seconds() / float64(b.N)
	b.ReportMetric(float64(total)/1e6/cpu, "MB/cpu-s")
	b.ReportMetric(float64(peak)/1024, "MB-peak-RSS-growth")
	b.ReportMetric(float64(zipped)/float64(total)*100, "%zipped")
}

// packageAndSend is the work of one code upload before the network: the package, then the Base64 the client
// streams into the request body (here to io.Discard).
func packageAndSend(code *types.AssetOrArchive) (int64, error) {
	pkg, err := buildPackage(code, "")
	if err != nil {
		return 0, err
	}
	defer pkg.Close()
	rc, err := pkg.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	enc := base64.NewEncoder(base64.StdEncoding, io.Discard)
	if _, err := io.Copy(enc, rc); err != nil {
		return 0, err
	}
	return pkg.Len(), enc.Close()
}
