package provider

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// The mapping between DependencyVersion inputs and the dependency-version API (5.3.3-5.3.6).

// dependencyVersionBody builds the create body: a Base64 zip for `code` (depend_type zip), the URL for
// `link` (depend_type obs). It returns the SHA-256 of the package sent, empty for a link.
func dependencyVersionBody(a DependencyVersionArgs) (*fgs.CreateDependencyVersionRequest, string, error) {
	body := &fgs.CreateDependencyVersionRequest{Name: a.Name, Runtime: string(a.Runtime), Description: deref(a.Description)}
	if a.Link != nil {
		body.DependType, body.DependLink = "obs", *a.Link
		return body, "", nil
	}
	pkg, err := buildDependencyPackage(a)
	if err != nil {
		return nil, "", err
	}
	body.DependType, body.DependFile = "zip", base64.StdEncoding.EncodeToString(pkg.data)
	return body, pkg.SHA256, nil
}

// buildDependencyPackage zips `code` with Function's packaging; a dependency is always a zip.
func buildDependencyPackage(a DependencyVersionArgs) (*codePackage, error) {
	if a.Code != nil && a.Code.Asset != nil && a.Code.Asset.HasContents() && assetName(a.Code.Asset) == "" {
		return nil, fmt.Errorf("a StringAsset has no file name: use an AssetArchive, a FileArchive or a zip FileAsset")
	}
	pkg, err := buildPackage(a.Code, "")
	if err != nil {
		return nil, err
	}
	if pkg.CodeType != "zip" {
		return nil, fmt.Errorf("a dependency package is a zip, not a %s", pkg.CodeType)
	}
	return pkg, pkg.load() // a dependency layer is sent as a string (and hashed with MD5): in memory
}

func (s *DependencyVersionState) setOutputs(live *fgs.Dependency) {
	s.VersionID, s.DependencyID, s.Version = live.ID, live.DepID, live.Version.Int()
	s.Etag, s.Size, s.FileName, s.Owner = live.Etag, live.Size.Int(), live.FileName, live.Owner
}

// dependencyVersionFromAPI reads a version back. The package is never returned (and `link` is the
// service's copy, not the URL sent), so `code` and `link` are what was recorded.
func dependencyVersionFromAPI(live *fgs.Dependency, recorded DependencyVersionState) DependencyVersionState {
	s := DependencyVersionState{DependencyVersionArgs: DependencyVersionArgs{
		Name: live.Name, Runtime: Runtime(live.Runtime), Code: recorded.Code, Link: recorded.Link,
	}}
	if live.Description != "" || recorded.Description != nil {
		desc := live.Description
		s.Description = &desc
	}
	s.setOutputs(live)
	s.SourceCodeHash = recorded.SourceCodeHash
	return s
}

func dependencyVersionID(depID string, version int) string {
	return depID + "/" + strconv.Itoa(version)
}

func parseDependencyVersionID(id string) (string, int, error) {
	depID, v, ok := strings.Cut(id, "/")
	n, err := strconv.Atoi(v)
	if !ok || depID == "" || err != nil || n < 1 {
		return "", 0, fmt.Errorf("%q is not a dependency version ID: use <dependencyId>/<version>, e.g. 6578de50-9a18-48fa-b84e-b2d36636e433/1", id)
	}
	return depID, n, nil
}

// dependencyCodeChanged reports whether the new `code` differs from the recorded one: by the engine's
// content hashes when both are at hand (Diff), else by the package's SHA-256.
func dependencyCodeChanged(state DependencyVersionState, news DependencyVersionArgs) bool {
	olds := state.DependencyVersionArgs
	switch {
	case olds.Code == nil || news.Code == nil:
		return (olds.Code == nil) != (news.Code == nil)
	case codeHash(olds.Code) != "" && codeHash(news.Code) != "":
		return codeHash(olds.Code) != codeHash(news.Code)
	case !hasContents(news.Code):
		return true // nothing to compare: replacing is the safe answer for an immutable package
	}
	pkg, err := buildDependencyPackage(news)
	return err != nil || pkg.SHA256 != state.SourceCodeHash
}

// functionsUsing names the functions (or, with versions set, the function versions) whose code lists the
// dependency version.
func functionsUsing(fns []fgs.Function, versionID string, versions bool) []string {
	var out []string
	for _, f := range fns {
		for _, id := range f.DependVersionList {
			if id != versionID {
				continue
			}
			name := f.FuncName
			if versions {
				name += " version " + f.Version
			}
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return "function " + strings.Join(q, ", ")
}

// md5Hex and etagIsMD5: the service's etag of a stored package is its MD5 in hex (as an OBS object's is).
func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func etagIsMD5(etag string) bool {
	_, err := hex.DecodeString(etag)
	return len(etag) == 32 && err == nil
}
