package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fgs-iac/pulumi-fgs/internal/fgs"
)

// libraryDir writes a small Python library to a new directory and returns it as an archive value.
func libraryDir(t *testing.T, body string) property.Value {
	t.Helper()
	return archiveOf(t, map[string]string{"python/shared/__init__.py": body})
}

func dependencyInputs(code property.Value, extra map[string]any) property.Map {
	return props(merged(map[string]any{"name": "shared-libs", "runtime": "Python3.9", "description": "helpers", "code": code}, extra))
}

func TestDependencyVersionLifecycle(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	api := c.apiClient(t)
	ctx := context.Background()

	v1 := c.resource(t, "DependencyVersion", "libs")
	v1.mustCreate(dependencyInputs(libraryDir(t, "X = 1\n"), nil))
	assert.Equal(t, 1, c.logRequests(t, "DependencyVersion create"))
	depID, versionID := str(v1.state, "dependencyId"), str(v1.state, "versionId")
	require.NotEmpty(t, depID)
	require.NotEmpty(t, versionID)
	assert.Equal(t, depID+"/1", v1.id)
	assert.Equal(t, 1.0, v1.state.Get("version").AsNumber())
	assert.Equal(t, c.cfg.DomainID, str(v1.state, "owner"))
	assert.Equal(t, "shared-libs.zip", str(v1.state, "fileName"))
	assert.NotEmpty(t, str(v1.state, "etag"))
	assert.Len(t, str(v1.state, "sourceCodeHash"), 64)
	assert.Positive(t, v1.state.Get("size").AsNumber())

	t.Run("the package is deterministic", func(t *testing.T) {
		d, _ := v1.diff(dependencyInputs(libraryDir(t, "X = 1\n"), nil))
		assert.False(t, d.HasChanges, "the same files in another directory: %v", diffKinds(d))
		sameBytes := c.resource(t, "DependencyVersion", "twin")
		sameBytes.mustCreate(dependencyInputs(libraryDir(t, "X = 1\n"), map[string]any{"name": "twin-libs"}))
		assert.Equal(t, str(v1.state, "sourceCodeHash"), str(sameBytes.state, "sourceCodeHash"))
		assert.Equal(t, str(v1.state, "etag"), str(sameBytes.state, "etag"), "the service stored the same bytes")
		require.NoError(t, sameBytes.delete())
		c.requests()
	})

	t.Run("read without drift", func(t *testing.T) {
		v1.readUnchanged(1)
	})

	t.Run("every change replaces, new before old", func(t *testing.T) {
		for key, change := range map[string]any{
			"code":        libraryDir(t, "X = 2\n"),
			"name":        "other-libs",
			"runtime":     "Python3.6",
			"description": "changed",
		} {
			d, _ := v1.diff(dependencyInputs(libraryDir(t, "X = 1\n"), map[string]any{key: change}))
			assert.Equal(t, map[string]p.DiffKind{key: p.UpdateReplace}, diffKinds(d), key)
			assert.False(t, d.DeleteBeforeReplace, "%s: the new version is created first", key)
		}
		in := dependencyInputs(libraryDir(t, "X = 1\n"), nil)
		in = in.Delete("code").Set("link", property.New("https://bucket.obs.eu-de.otc.t-systems.com/deps/libs.zip"))
		d, _ := v1.diff(in)
		assert.Equal(t, map[string]p.DiffKind{"code": p.DeleteReplace, "link": p.AddReplace}, diffKinds(d))
		c.requests()
	})

	// The engine's replacement: create the new version, move the function to it, delete the old one.
	fn, err := api.Functions.Create(ctx, &fgs.CreateFunctionRequest{
		FuncName: "uses-libs", Package: "default", Runtime: "Python3.9", Timeout: 30, Handler: "index.handler", MemorySize: 128,
		CodeType: "inline", FuncCode: &fgs.FuncCode{File: "ZGVmIGhhbmRsZXIoZSwgYyk6IHJldHVybiAx"}, DependVersionList: []string{versionID},
	})
	require.NoError(t, err)
	fnURN := fgs.UnqualifiedURN(fn.FuncURN)
	c.requests()
	v2 := c.resource(t, "DependencyVersion", "libs")
	v2.mustCreate(dependencyInputs(libraryDir(t, "X = 2\n"), nil))
	assert.Equal(t, depID, str(v2.state, "dependencyId"), "a new version of the same dependency")
	assert.Equal(t, 2.0, v2.state.Get("version").AsNumber())
	c.requests()

	t.Run("deleting a version in use names the function", func(t *testing.T) {
		err := v1.delete()
		require.Error(t, err)
		t.Logf("version in use: %v", err)
		assert.Contains(t, err.Error(), `function "uses-libs"`)
		assert.Contains(t, err.Error(), "FSS.1033")
		assert.Equal(t, 2, c.logRequests(t, "DependencyVersion delete refused (the delete, then the function list)"))

		_, err = api.Functions.UpdateCode(ctx, fnURN, &fgs.UpdateFunctionCodeRequest{
			CodeType: "inline", FuncCode: fgs.FuncCode{File: "ZGVmIGhhbmRsZXIoZSwgYyk6IHJldHVybiAx"}, DependVersionList: []string{str(v2.state, "versionId")},
		})
		require.NoError(t, err)
		_, err = api.Versions.Publish(ctx, fnURN, &fgs.PublishVersionRequest{Version: "v1"})
		require.NoError(t, err)
		c.requests()
		require.NoError(t, v1.delete(), "no function uses v1 any more")
		assert.Equal(t, 1, c.logRequests(t, "DependencyVersion delete"))

		_, err = api.Functions.UpdateCode(ctx, fnURN, &fgs.UpdateFunctionCodeRequest{
			CodeType: "inline", FuncCode: fgs.FuncCode{File: "ZGVmIGhhbmRsZXIoZSwgYyk6IHJldHVybiAx"}, DependVersionList: []string{},
		})
		require.NoError(t, err)
		err = v2.delete()
		require.Error(t, err, "published version v1 still uses it")
		t.Logf("version used by a published version: %v", err)
		assert.Contains(t, err.Error(), `function "uses-libs version v1"`)
		c.requests()
	})

	t.Run("import, then the declared package is recorded and checked", func(t *testing.T) {
		imp := c.importID(t, "DependencyVersion", depID+"/2")
		require.Equal(t, depID+"/2", imp.ID)
		assert.Equal(t, "shared-libs", str(imp.Inputs, "name"))
		assert.Equal(t, "Python3.9", str(imp.Inputs, "runtime"))
		assert.Equal(t, "helpers", str(imp.Inputs, "description"))
		assert.Equal(t, str(v2.state, "versionId"), str(imp.Properties, "versionId"))
		assert.Equal(t, 1, c.logRequests(t, "DependencyVersion import"))
		imported := &resource{t: t, c: c, typ: "DependencyVersion", urn: string(urnOf("DependencyVersion", "imported")), id: imp.ID, state: imp.Properties, ins: imp.Inputs}
		d, _ := imported.diff(dependencyInputs(libraryDir(t, "X = 2\n"), map[string]any{"description": "other"}))
		assert.Equal(t, map[string]p.DiffKind{"description": p.UpdateReplace}, diffKinds(d))

		// Another package than the version holds: refused, with the way out.
		d, wrong := imported.diff(dependencyInputs(libraryDir(t, "X = 3\n"), nil))
		assert.Equal(t, map[string]p.DiffKind{"code": p.Add}, diffKinds(d), "recorded by an update, not a replacement")
		_, err := c.server.Update(p.UpdateRequest{ID: imported.id, Urn: urnOf("DependencyVersion", "imported"), State: imported.state,
			Inputs: wrong, OldInputs: imported.ins, DryRun: true})
		require.Error(t, err, "refused by the preview already")
		t.Logf("imported, other code: %v", err)
		assert.Contains(t, err.Error(), "pulumi up --replace")

		// The same package: recorded without a request; a later change of it replaces.
		d, same := imported.diff(dependencyInputs(libraryDir(t, "X = 2\n"), nil))
		assert.Equal(t, map[string]p.DiffKind{"code": p.Add}, diffKinds(d))
		c.requests()
		require.NoError(t, imported.update(same))
		assert.Equal(t, 0, c.logRequests(t, "DependencyVersion recording the package after an import"))
		assert.Equal(t, str(v2.state, "sourceCodeHash"), str(imported.state, "sourceCodeHash"))
		d, _ = imported.diff(dependencyInputs(libraryDir(t, "X = 2\n"), nil))
		assert.False(t, d.HasChanges, "%v", diffKinds(d))
		d, _ = imported.diff(dependencyInputs(libraryDir(t, "X = 4\n"), nil))
		assert.Equal(t, map[string]p.DiffKind{"code": p.UpdateReplace}, diffKinds(d))
		assert.Equal(t, "", c.importID(t, "DependencyVersion", depID+"/9").ID)
		c.requests()
	})

	t.Run("refresh after an out-of-band delete", func(t *testing.T) {
		require.NoError(t, api.Functions.Delete(ctx, fnURN))
		require.NoError(t, api.Dependencies.DeleteVersion(ctx, depID, 2))
		c.requests()
		assert.Equal(t, "", v2.read().ID, "a version deleted elsewhere reads as gone")
		require.NoError(t, v2.delete(), "deleting it again is not an error")
	})
}

func TestDependencyVersionFromLink(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	link := "https://bucket.obs.eu-de.otc.t-systems.com/deps/pandas.zip"
	r := c.resource(t, "DependencyVersion", "pandas")
	r.mustCreate(props(map[string]any{"name": "pandas", "runtime": "Python3.9", "link": link}))
	assert.Equal(t, "pandas.zip", str(r.state, "fileName"))
	assert.Equal(t, "", str(r.state, "sourceCodeHash"))
	resp := r.read()
	assert.Equal(t, link, str(resp.Inputs, "link"), "the link sent is kept, not the service's copy")
	d, _ := r.diff(props(map[string]any{"name": "pandas", "runtime": "Python3.9", "link": link}))
	assert.False(t, d.HasChanges, "%v", diffKinds(d))
	d, _ = r.diff(props(map[string]any{"name": "pandas", "runtime": "Python3.9", "link": strings.Replace(link, "pandas.zip", "pandas2.zip", 1)}))
	assert.Equal(t, map[string]p.DiffKind{"link": p.UpdateReplace}, diffKinds(d))
	require.NoError(t, r.delete())
}

func TestDependencyVersionCheckFailures(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	code := libraryDir(t, "X = 1\n")
	base := map[string]any{"name": "libs", "runtime": "Python3.9", "code": code}
	without := func(key string, extra map[string]any) property.Map {
		m := merged(base, extra)
		delete(m, key)
		return props(m)
	}
	jarDir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(jarDir, "lib.jar"), []byte("PK"), 0o644))
	jar, err := asset.FromPath(filepath.Join(jarDir, "lib.jar"))
	require.NoError(t, err)
	text, err := asset.FromText("X = 1")
	require.NoError(t, err)
	c.checkCatalogue(t, "DependencyVersion", []checkCase{
		{"name starts with a digit", props(merged(base, map[string]any{"name": "1libs"})), "name"},
		{"name ends with a dot", props(merged(base, map[string]any{"name": "libs."})), "name"},
		{"name with a space", props(merged(base, map[string]any{"name": "my libs"})), "name"},
		{"name too long", props(merged(base, map[string]any{"name": "a" + strings.Repeat("b", 96)})), "name"},
		{"display name as runtime", props(merged(base, map[string]any{"runtime": "Python 3.9"})), "runtime"},
		{"description too long", props(merged(base, map[string]any{"description": strings.Repeat("d", 513)})), "description"},
		{"neither code nor link", without("code", nil), "code"},
		{"both code and link", props(merged(base, map[string]any{"link": "https://b.obs.eu-de.otc.t-systems.com/l.zip"})), "link"},
		{"link not a url", without("code", map[string]any{"link": "bucket/libs.zip"}), "link"},
		{"link not a zip", without("code", map[string]any{"link": "https://b.obs.eu-de.otc.t-systems.com/libs.tar.gz"}), "link"},
		{"a jar is not a dependency", props(merged(base, map[string]any{"code": property.New(jar)})), "code"},
		{"a nameless string asset", props(merged(base, map[string]any{"code": property.New(text)})), "code"},
	})

	ok := c.resource(t, "DependencyVersion", "signed").check(without("code", map[string]any{"link": "https://b.obs.eu-de.otc.t-systems.com/libs.zip?AccessKeyId=x&Signature=y"}))
	assert.Empty(t, ok.Failures, "a signed URL of a zip is a zip")
	unknown := c.resource(t, "DependencyVersion", "preview").check(property.NewMap(map[string]property.Value{
		"name": property.New(property.Computed), "runtime": property.New("Python3.9"), "code": property.New(property.Computed),
	}))
	assert.Empty(t, unknown.Failures, "unknown values are not flagged")
}

func TestDependencyVersionAPIMapping(t *testing.T) {
	link := "https://b.obs.eu-de.otc.t-systems.com/libs.zip"
	desc := "d"
	body, sum, err := dependencyVersionBody(DependencyVersionArgs{Name: "n", Runtime: "Python3.9", Description: &desc, Link: &link})
	require.NoError(t, err)
	assert.Equal(t, &fgs.CreateDependencyVersionRequest{DependType: "obs", DependLink: link, Runtime: "Python3.9", Name: "n", Description: "d"}, body)
	assert.Empty(t, sum)

	live := &fgs.Dependency{ID: "vid", DepID: "did", Version: 3, Etag: "e", Size: 10, FileName: "n.zip", Owner: "o", Name: "n", Runtime: "Python3.9", Link: "https://copy/"}
	recorded := DependencyVersionState{DependencyVersionArgs: DependencyVersionArgs{Link: &link}, SourceCodeHash: "h"}
	got := dependencyVersionFromAPI(live, recorded)
	assert.Equal(t, DependencyVersionState{
		DependencyVersionArgs: DependencyVersionArgs{Name: "n", Runtime: "Python3.9", Link: &link},
		VersionID:             "vid", DependencyID: "did", Version: 3, Etag: "e", Size: 10, FileName: "n.zip", Owner: "o", SourceCodeHash: "h",
	}, got)
	live.Description = "shown"
	assert.Equal(t, "shown", *dependencyVersionFromAPI(live, recorded).Description)

	for id, ok := range map[string]bool{"did/1": true, "did/0": false, "did": false, "/1": false, "did/x": false} {
		_, _, err := parseDependencyVersionID(id)
		assert.Equal(t, ok, err == nil, id)
	}
	fns := []fgs.Function{
		{FuncName: "b", Version: "v1", DependVersionList: []string{"x", "vid"}}, {FuncName: "a", DependVersionList: []string{"vid"}},
		{FuncName: "c", DependVersionList: []string{"x"}},
	}
	assert.Equal(t, []string{"a", "b"}, functionsUsing(fns, "vid", false), "only the functions that list it, sorted")
	assert.Equal(t, []string{"b version v1"}, functionsUsing(fns[:1], "vid", true))
	assert.Equal(t, `function "a", "b"`, joinQuoted([]string{"a", "b"}))
}

// The flow a user writes: a Function lists the version's versionId; deleting the version first is refused
// with the function's name, and once the function no longer lists it, it goes.
func TestDependencyVersionUsedByFunction(t *testing.T) {
	t.Parallel()
	c := newTestCloud(t)
	dv := c.resource(t, "DependencyVersion", "libs")
	dv.mustCreate(dependencyInputs(libraryDir(t, "X = 1\n"), nil))
	fn := c.resource(t, "Function", "uses")
	in := map[string]any{"name": "uses-libs", "runtime": "Python3.9", "handler": "index.handler",
		"code": archiveOf(t, map[string]string{"index.py": "def handler(e, c):\n    return 1\n"}), "dependencyVersions": []any{str(dv.state, "versionId")}}
	fn.mustCreate(props(in))
	live, err := c.apiClient(t).Functions.GetConfig(context.Background(), fn.id)
	require.NoError(t, err)
	assert.Equal(t, []string{str(dv.state, "versionId")}, live.DependVersionList)

	err = dv.delete()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `still used by function "uses-libs"`)

	delete(in, "dependencyVersions")
	_, checked := fn.diff(props(in))
	require.NoError(t, fn.update(checked))
	require.NoError(t, dv.delete())
}
