package provider

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedTree is a small tree with every kind of entry the zip handles: small files (deflated by the workers),
// one over inlineEntryBytes (deflated by the writer as it streams), an empty file, nested directories,
// names that sort differently by path and by directory walk ("a.txt" before "a/b.py").
func fixedTree(t *testing.T) string {
	rng := rand.New(rand.NewSource(42))
	big := make([]byte, inlineEntryBytes+12345)
	for i := range big {
		big[i] = byte('a' + rng.Intn(8))
	}
	files := map[string]string{
		"index.py": "def handler(event, context):\n    return 'ok'\n", "a.txt": "a", "a/b.py": "B = 2\n",
		"lib/empty.py": "", "lib/deep/er/mod.py": "X = 1\n" + string(big[:5000]), "bin/big.so": string(big),
	}
	return writeTree(t, files, time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC), 0o644)
}

// goldenPackageSHA256 is the SHA-256 of fixedTree's package. It changes only when the package format does
// (entry order, timestamp, mode, deflate level, or the Go release's deflate): such a change re-uploads every
// function's code once.
const goldenPackageSHA256 = "57e0555dfa39249a9344e6bdbe1e03afd0719c99359c934fbb20a334d01904e7"

func TestPackageBytesAreFixed(t *testing.T) {
	dir := fixedTree(t)
	for _, procs := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(procs)
		pkg, err := buildPackage(dirArchive(t, dir), "")
		runtime.GOMAXPROCS(old)
		require.NoError(t, err)
		raw := pkgBytes(t, pkg)
		sum := sha256.Sum256(raw)
		assert.Equal(t, goldenPackageSHA256, hex.EncodeToString(sum[:]), "GOMAXPROCS=%d", procs)
		assert.Equal(t, pkg.SHA256, hex.EncodeToString(sum[:]))
		assert.Equal(t, int64(len(raw)), pkg.Len())
	}
}

// The parallel zip is byte for byte the zip archive/zip writes entry by entry, and it unpacks to the tree.
func TestPackageIsTheSequentialZip(t *testing.T) {
	dir := fixedTree(t)
	pkg, err := buildPackage(dirArchive(t, dir), "")
	require.NoError(t, err)
	got := pkgBytes(t, pkg)

	entries, err := dirEntries(dir)
	require.NoError(t, err)
	var want bytes.Buffer
	zw := zip.NewWriter(&want)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, zipLevel) })
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		require.NoError(t, err)
		raw, err := os.ReadFile(e.path)
		require.NoError(t, err)
		_, err = w.Write(raw)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	assert.True(t, bytes.Equal(want.Bytes(), got), "the parallel zip differs from the sequential one")

	zr, err := zip.NewReader(bytes.NewReader(got), int64(len(got)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		content, err := io.ReadAll(rc)
		require.NoError(t, err)
		disk, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
		require.NoError(t, err)
		assert.Equal(t, disk, content, f.Name)
	}
	assert.Equal(t, []string{"a.txt", "a/b.py", "bin/big.so", "index.py", "lib/deep/er/mod.py", "lib/empty.py"}, names)
}

// A package over the upload limit is refused as soon as the zip passes it, and leaves no spool file behind.
func TestPackageOverTheLimit(t *testing.T) {
	spool := t.TempDir()
	t.Setenv("TMPDIR", spool)
	dir := t.TempDir()
	big := make([]byte, 17<<20)
	for i := 0; i < 3; i++ { // 51 MB that does not compress
		rand.New(rand.NewSource(int64(i))).Read(big)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "part"+string(rune('0'+i))), big, 0o644))
	}
	_, err := buildPackage(dirArchive(t, dir), "")
	assert.ErrorContains(t, err, "the code package is over FunctionGraph's 50 MB limit for uploads: upload it to OBS and set codeUrl")
	left, _ := os.ReadDir(spool)
	assert.Empty(t, left, "the spool file is removed")

	jar := filepath.Join(t.TempDir(), "app.jar")
	require.NoError(t, os.WriteFile(jar, make([]byte, 51<<20), 0o644))
	a, err := asset.FromPath(jar)
	require.NoError(t, err)
	assert.ErrorContains(t, checkPackage(&types.AssetOrArchive{Asset: a}, ""), "51 MB, over FunctionGraph's 50 MB limit")
}

// Check finds what the package would refuse by walking the files: it writes no package.
func TestCheckPackageDoesNotZip(t *testing.T) {
	spool := t.TempDir()
	t.Setenv("TMPDIR", spool)
	assert.NoError(t, checkPackage(dirArchive(t, fixedTree(t)), ""))
	left, _ := os.ReadDir(spool)
	assert.Empty(t, left, "Check spooled a package")

	assert.ErrorContains(t, checkPackage(dirArchive(t, t.TempDir()), ""), "the archive holds no files")
	text, err := asset.FromText("print(1)\n")
	require.NoError(t, err)
	assert.ErrorContains(t, checkPackage(&types.AssetOrArchive{Asset: text}, ""), "set codeFilename")
	assert.NoError(t, checkPackage(&types.AssetOrArchive{Asset: text}, "index.py"))
	missing := &asset.Asset{Sig: asset.AssetSig, Path: filepath.Join(t.TempDir(), "gone.py")}
	assert.ErrorContains(t, checkPackage(&types.AssetOrArchive{Asset: missing}, ""), "reading the asset")
	assert.ErrorContains(t, checkPackage(&types.AssetOrArchive{}, ""), "no contents")
}

// A .zip asset is sent from where it is: no copy, and Close leaves the user's file alone.
func TestZipAssetIsSentAsItIs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "code.zip")
	require.NoError(t, os.WriteFile(p, []byte("PK\x03\x04 not really"), 0o644))
	a, err := asset.FromPath(p)
	require.NoError(t, err)
	pkg, err := buildPackage(&types.AssetOrArchive{Asset: a}, "")
	require.NoError(t, err)
	assert.Equal(t, p, pkg.path)
	sum := sha256.Sum256([]byte("PK\x03\x04 not really"))
	assert.Equal(t, hex.EncodeToString(sum[:]), pkg.SHA256)
	require.NoError(t, pkg.Close())
	_, err = os.Stat(p)
	assert.NoError(t, err, "the user's zip is not removed")
}

// Create and a code update remove the package they spooled.
func TestUploadsLeaveNoSpoolFile(t *testing.T) {
	spool := t.TempDir()
	t.Setenv("TMPDIR", spool)
	c := newTestCloud(t)
	urn := urnOf("Function", "spool")
	check := func(body string, olds property.Map) property.Map {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "index.py"), []byte(body), 0o644))
		a, err := archive.FromPath(dir)
		require.NoError(t, err)
		resp, err := c.server.Check(p.CheckRequest{Urn: urn, State: olds, Inputs: props(map[string]any{
			"name": "spool", "runtime": "Python3.9", "handler": "index.handler", "code": property.New(a)})})
		require.NoError(t, err)
		require.Empty(t, resp.Failures)
		return resp.Inputs
	}
	v1 := check("def handler(e, c):\n    return 1\n", property.Map{})
	created, err := c.server.Create(p.CreateRequest{Urn: urn, Properties: v1})
	require.NoError(t, err)
	v2 := check("def handler(e, c):\n    return 2\n", v1)
	_, err = c.server.Update(p.UpdateRequest{ID: created.ID, Urn: urn, State: created.Properties, Inputs: v2})
	require.NoError(t, err)
	entries, err := os.ReadDir(spool)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), "pulumi-fgs-", "a spool file is left behind")
	}
	counts, _ := c.fgsRequests()
	uploads := 0
	for route, n := range counts {
		if route == "POST /v2/{project_id}/fgs/functions" || strings.HasSuffix(route, "/code") && strings.HasPrefix(route, "PUT ") {
			uploads += n
		}
	}
	assert.Equal(t, 2, uploads, "one create and one code update: %v", counts)
}
