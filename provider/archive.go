package provider

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
)

// maxPackageBytes is the largest code package FunctionGraph accepts in a request (FSS.1071, 50 MB).
const maxPackageBytes = 50 << 20

// zipEpoch is the timestamp of every entry: the earliest a zip can hold, so that packages do not depend on
// when or where the files were checked out.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// codePackage is the package built from a `code` input, as it is sent in func_code.file.
type codePackage struct {
	Bytes    []byte
	CodeType string // "zip" or "jar"
	Filename string
	SHA256   string
}

// buildPackage turns an asset or archive into the bytes FunctionGraph stores. Archives, and single files that
// are not already a zip or jar, are zipped deterministically: entries sorted by name, a fixed timestamp and
// mode 0755 (executables such as a Go handler or a custom runtime's bootstrap must stay runnable).
func buildPackage(code *types.AssetOrArchive, filename string) (*codePackage, error) {
	var pkg codePackage
	switch {
	case !hasContents(code):
		return nil, fmt.Errorf("the code asset or archive has no contents")
	case code.Archive != nil:
		entries, err := archiveEntries(code.Archive)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return nil, fmt.Errorf("the archive holds no files")
		}
		pkg.Bytes, err = zipEntries(entries)
		if err != nil {
			return nil, err
		}
		pkg.CodeType, pkg.Filename = "zip", orDefault(filename, "index.zip")
	default:
		a := code.Asset
		blob, err := a.Read()
		if err != nil {
			return nil, fmt.Errorf("reading the asset: %w", err)
		}
		raw, err := readBlob(blob)
		if err != nil {
			return nil, err
		}
		name := assetName(a)
		switch ext := strings.ToLower(path.Ext(name)); {
		case ext == ".jar":
			pkg.Bytes, pkg.CodeType, pkg.Filename = raw, "jar", orDefault(filename, name)
		case ext == ".zip":
			pkg.Bytes, pkg.CodeType, pkg.Filename = raw, "zip", orDefault(filename, name)
		default:
			entry := name
			if filename != "" && !strings.HasSuffix(strings.ToLower(filename), ".zip") {
				entry = filename // a StringAsset is named by codeFilename
			}
			if entry == "" {
				return nil, fmt.Errorf("a StringAsset has no file name: set codeFilename to the name the handler expects, e.g. index.py")
			}
			pkg.Bytes, err = zipEntries(map[string][]byte{entry: raw})
			if err != nil {
				return nil, err
			}
			pkg.CodeType, pkg.Filename = "zip", "index.zip"
			if strings.HasSuffix(strings.ToLower(filename), ".zip") {
				pkg.Filename = filename
			}
		}
	}
	if len(pkg.Bytes) > maxPackageBytes {
		return nil, fmt.Errorf("the code package is %d MB, over FunctionGraph's 50 MB limit for uploads: upload it to OBS and set codeUrl",
			len(pkg.Bytes)>>20)
	}
	sum := sha256.Sum256(pkg.Bytes)
	pkg.SHA256 = hex.EncodeToString(sum[:])
	return &pkg, nil
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

func assetName(a *asset.Asset) string {
	if p, ok := a.GetPath(); ok {
		return filepath.Base(p)
	}
	if u, ok := a.GetURI(); ok {
		return path.Base(u)
	}
	return ""
}

func readBlob(b *asset.Blob) ([]byte, error) {
	defer b.Close()
	raw, err := io.ReadAll(b)
	if err != nil {
		return nil, fmt.Errorf("reading code: %w", err)
	}
	return raw, nil
}

// archiveEntries reads every file of an archive (a directory, a zip/tar file, or an AssetArchive).
func archiveEntries(a *archive.Archive) (map[string][]byte, error) {
	r, err := a.Open()
	if err != nil {
		return nil, fmt.Errorf("opening the archive: %w", err)
	}
	defer r.Close()
	entries := map[string][]byte{}
	for {
		name, blob, err := r.Next()
		if err == io.EOF {
			return entries, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the archive: %w", err)
		}
		raw, err := readBlob(blob)
		if err != nil {
			return nil, err
		}
		entries[filepath.ToSlash(name)] = raw
	}
}

// zipEntries writes a zip whose bytes depend only on the entries' names and contents.
func zipEntries(entries map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(entries[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hasContents reports whether the asset or archive can be read (the engine sends some without contents).
func hasContents(code *types.AssetOrArchive) bool {
	switch {
	case code == nil:
		return false
	case code.Archive != nil:
		return code.Archive.HasContents()
	case code.Asset != nil:
		return code.Asset.HasContents()
	}
	return false
}

// codeHash is the engine's SHA-256 of the asset's or archive's contents, when it has one.
func codeHash(code *types.AssetOrArchive) string {
	switch {
	case code == nil:
		return ""
	case code.Archive != nil:
		return code.Archive.Hash
	case code.Asset != nil:
		return code.Asset.Hash
	}
	return ""
}

// codeChanged reports whether the package the new code builds to differs from the one the service holds.
// In Diff the engine sends archives without contents, only their content hashes, so the cases are:
//   - the code was uploaded by Pulumi and is still recorded: compare the engine's hashes, old and new;
//   - a refresh found the stored package changed (it forgot `code` but kept `sourceCodeHash`, what Pulumi last
//     sent): changed, so that the next update puts the user's code back;
//   - an import (nothing recorded): compare the package with the service's digest (SHA-512 of the stored
//     package) when the contents are at hand (Update); in Diff they are not, and the import is trusted.
func codeChanged(state FunctionState, news FunctionArgs) bool {
	olds := state.FunctionArgs
	if news.Code == nil {
		return olds.Code != nil
	}
	if deref(olds.CodeFilename) != deref(news.CodeFilename) {
		return false // reported as a codeFilename change; the upload follows from it
	}
	if olds.Code == nil && state.SourceCodeHash != "" {
		return true
	}
	if olds.Code != nil {
		if oldHash, newHash := codeHash(olds.Code), codeHash(news.Code); oldHash != "" && newHash != "" {
			return oldHash != newHash
		}
	}
	if !hasContents(news.Code) {
		return olds.Code != nil // nothing to compare: an import is trusted, a recorded upload is not
	}
	pkg, err := buildPackage(news.Code, deref(news.CodeFilename))
	if err != nil {
		return true // Check reports the error; a change makes sure it is not silently skipped
	}
	switch {
	case olds.Code != nil && state.SourceCodeHash != "":
		return pkg.SHA256 != state.SourceCodeHash
	case state.Digest != "":
		sum := sha512.Sum512(pkg.Bytes)
		return hex.EncodeToString(sum[:]) != state.Digest
	}
	return true
}
