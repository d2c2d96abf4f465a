package provider

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
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

// codePackage is the package built from a `code` input, as it is sent in func_code.file: spooled to a temp
// file (a zip built here), the user's own file (a .zip or .jar asset, sent as it is), or in memory (a
// StringAsset or remote asset). Close removes the spool file.
type codePackage struct {
	CodeType string // "zip" or "jar"
	Filename string
	SHA256   string
	SHA512   string // what the service reports as the package's digest

	size  int64
	path  string
	owned bool // path is our spool file
	data  []byte
}

// Len is the package's size in bytes.
func (p *codePackage) Len() int64 { return p.size }

// Open reads the package from its start; the client calls it once per attempt.
func (p *codePackage) Open() (io.ReadCloser, error) {
	if p.path == "" {
		return io.NopCloser(bytes.NewReader(p.data)), nil
	}
	return os.Open(p.path)
}

// Bytes reads the whole package into memory (small packages: dependency layers, tests).
func (p *codePackage) Bytes() ([]byte, error) {
	if p.path == "" {
		return p.data, nil
	}
	return os.ReadFile(p.path)
}

// load reads the package into memory and removes the spool file.
func (p *codePackage) load() error {
	if p.path == "" {
		return nil
	}
	raw, err := os.ReadFile(p.path)
	if err != nil {
		return err
	}
	_ = p.Close()
	p.data, p.path = raw, ""
	return nil
}

// Close removes the spool file; the package cannot be read afterwards.
func (p *codePackage) Close() error {
	if p == nil || !p.owned {
		return nil
	}
	p.owned = false
	return os.Remove(p.path)
}

// buildPackage turns an asset or archive into the bytes FunctionGraph stores. Archives, and single files that
// are not already a zip or jar, are zipped deterministically (spoolZip): entries sorted by name, a fixed
// timestamp and mode 0755. The caller closes the package.
func buildPackage(code *types.AssetOrArchive, filename string) (*codePackage, error) {
	var pkg *codePackage
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
		if pkg, err = spoolZip(entries); err != nil {
			return nil, err
		}
		pkg.CodeType, pkg.Filename = "zip", orDefault(filename, "index.zip")
	default:
		a := code.Asset
		name := assetName(a)
		ext := strings.ToLower(path.Ext(name))
		if ext == ".jar" || ext == ".zip" {
			var err error
			if pkg, err = rawPackage(a); err != nil {
				return nil, err
			}
			pkg.CodeType, pkg.Filename = strings.TrimPrefix(ext, "."), orDefault(filename, name)
			break
		}
		entry := name
		if filename != "" && !strings.HasSuffix(strings.ToLower(filename), ".zip") {
			entry = filename // a StringAsset is named by codeFilename
		}
		if entry == "" {
			return nil, fmt.Errorf("a StringAsset has no file name: set codeFilename to the name the handler expects, e.g. index.py")
		}
		e := zipEntry{name: entry}
		if p, ok := a.GetPath(); ok {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("reading the asset: %w", err)
			}
			e.path, e.size = p, fi.Size()
		} else {
			raw, err := readAsset(a)
			if err != nil {
				return nil, err
			}
			e.data, e.size = raw, int64(len(raw))
		}
		var err error
		if pkg, err = spoolZip([]zipEntry{e}); err != nil {
			return nil, err
		}
		pkg.CodeType, pkg.Filename = "zip", "index.zip"
		if strings.HasSuffix(strings.ToLower(filename), ".zip") {
			pkg.Filename = filename
		}
	}
	return pkg, nil
}

// rawPackage is a .zip or .jar asset sent as it is: read from where it is, hashed once, never copied.
func rawPackage(a *asset.Asset) (*codePackage, error) {
	pkg := &codePackage{}
	var r io.Reader
	if p, ok := a.GetPath(); ok {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("reading the asset: %w", err)
		}
		defer f.Close()
		pkg.path, r = p, f
	} else {
		raw, err := readAsset(a)
		if err != nil {
			return nil, err
		}
		pkg.data, r = raw, bytes.NewReader(raw)
	}
	h256, h512 := sha256.New(), sha512.New()
	n, err := io.Copy(io.MultiWriter(h256, h512), r)
	if err != nil {
		return nil, fmt.Errorf("reading the asset: %w", err)
	}
	if n > maxPackageBytes {
		return nil, fmt.Errorf("the code package is %d MB, %w", n>>20, errPackageTooBig)
	}
	pkg.size, pkg.SHA256, pkg.SHA512 = n, hex.EncodeToString(h256.Sum(nil)), hex.EncodeToString(h512.Sum(nil))
	return pkg, nil
}

func readAsset(a *asset.Asset) ([]byte, error) {
	blob, err := a.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the asset: %w", err)
	}
	return readBlob(blob)
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

// archiveEntries lists the files of an archive, sorted by name. A directory is listed without reading it
// (the zip reads its files in parallel); any other archive (a zip/tar file, an AssetArchive, a URI) is read
// through Pulumi's archive reader into memory.
func archiveEntries(a *archive.Archive) ([]zipEntry, error) {
	if p, ok := a.GetPath(); ok && isDir(p) {
		return dirEntries(p)
	}
	r, err := a.Open()
	if err != nil {
		return nil, fmt.Errorf("opening the archive: %w", err)
	}
	defer r.Close()
	byName := map[string]int{}
	var entries []zipEntry
	for {
		name, blob, err := r.Next()
		if err == io.EOF {
			sortEntries(entries)
			return entries, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the archive: %w", err)
		}
		raw, err := readBlob(blob)
		if err != nil {
			return nil, err
		}
		e := zipEntry{name: filepath.ToSlash(name), data: raw, size: int64(len(raw))}
		if i, dup := byName[e.name]; dup {
			entries[i] = e // the last one wins, as it did in a map
			continue
		}
		byName[e.name] = len(entries)
		entries = append(entries, e)
	}
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
	defer pkg.Close()
	switch {
	case olds.Code != nil && state.SourceCodeHash != "":
		return pkg.SHA256 != state.SourceCodeHash
	case state.Digest != "":
		return pkg.SHA512 != state.Digest
	}
	return true
}
