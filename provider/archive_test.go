package provider

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeTree(t *testing.T, files map[string]string, mtime time.Time, mode os.FileMode) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), mode))
		require.NoError(t, os.Chtimes(p, mtime, mtime))
	}
	return dir
}

func dirArchive(t *testing.T, dir string) *types.AssetOrArchive {
	a, err := archive.FromPath(dir)
	require.NoError(t, err)
	return &types.AssetOrArchive{Archive: a}
}

// The same tree must give the same bytes whatever the files' times, modes and creation order.
func TestBuildPackageIsDeterministic(t *testing.T) {
	files := map[string]string{"index.py": "def handler(e, c):\n    return 1\n", "lib/util.py": "X = 1\n", "a.txt": "a"}
	one := writeTree(t, files, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), 0o644)
	two := writeTree(t, files, time.Date(2026, 6, 7, 8, 9, 10, 0, time.UTC), 0o600)

	p1, err := buildPackage(dirArchive(t, one), "")
	require.NoError(t, err)
	p2, err := buildPackage(dirArchive(t, two), "")
	require.NoError(t, err)
	assert.Equal(t, pkgBytes(t, p1), pkgBytes(t, p2))
	assert.Equal(t, p1.SHA256, p2.SHA256)
	assert.Equal(t, "zip", p1.CodeType)
	assert.Equal(t, "index.zip", p1.Filename)

	zr, err := zip.NewReader(bytes.NewReader(pkgBytes(t, p1)), int64(len(pkgBytes(t, p1))))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		assert.Equal(t, zipEpoch, f.Modified.UTC())
		assert.Equal(t, os.FileMode(0o755), f.Mode().Perm())
	}
	assert.Equal(t, []string{"a.txt", "index.py", "lib/util.py"}, names)

	// A changed file changes the package.
	require.NoError(t, os.WriteFile(filepath.Join(two, "index.py"), []byte("changed"), 0o644))
	p3, err := buildPackage(dirArchive(t, two), "")
	require.NoError(t, err)
	require.NoError(t, p3.Close())
	assert.NotEqual(t, p1.SHA256, p3.SHA256)
}

func TestBuildPackageFromAssets(t *testing.T) {
	text, err := asset.FromText("print('hi')\n")
	require.NoError(t, err)
	_, err = buildPackage(&types.AssetOrArchive{Asset: text}, "")
	assert.ErrorContains(t, err, "set codeFilename")

	p, err := buildPackage(&types.AssetOrArchive{Asset: text}, "index.py")
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(pkgBytes(t, p)), int64(len(pkgBytes(t, p))))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	assert.Equal(t, "index.py", zr.File[0].Name)
	assert.Equal(t, "index.zip", p.Filename)

	dir := t.TempDir()
	jar := filepath.Join(dir, "app.jar")
	require.NoError(t, os.WriteFile(jar, []byte("PK-not-really"), 0o644))
	ja, err := asset.FromPath(jar)
	require.NoError(t, err)
	p, err = buildPackage(&types.AssetOrArchive{Asset: ja}, "")
	require.NoError(t, err)
	assert.Equal(t, "jar", p.CodeType)
	assert.Equal(t, "app.jar", p.Filename)
	assert.Equal(t, []byte("PK-not-really"), pkgBytes(t, p), "a jar is sent as it is")

	assets, err := archive.FromAssets(map[string]any{"b.py": text, "a.py": text})
	require.NoError(t, err)
	p1, err := buildPackage(&types.AssetOrArchive{Archive: assets}, "code.zip")
	require.NoError(t, err)
	p2, err := buildPackage(&types.AssetOrArchive{Archive: assets}, "code.zip")
	require.NoError(t, err)
	assert.Equal(t, pkgBytes(t, p1), pkgBytes(t, p2))
	assert.Equal(t, "code.zip", p1.Filename)
}

func TestBuildPackageRejectsEmptyArchive(t *testing.T) {
	_, err := buildPackage(dirArchive(t, t.TempDir()), "")
	assert.ErrorContains(t, err, "no files")
}

// pkgBytes reads a built package and removes its spool file.
func pkgBytes(t *testing.T, p *codePackage) []byte {
	t.Helper()
	raw, err := p.Bytes()
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return raw
}
