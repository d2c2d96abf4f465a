package provider

import (
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer/types"
)

// checkPackage finds in Check what buildPackage would refuse, without building the package: it lists the
// files (a directory is walked, never read) and adds up their sizes, so that a preview costs no zip.
// A package whose files add up to more than the upload limit may still zip below it: that is decided when it
// is built, in Create or Update, before any request.
func checkPackage(code *types.AssetOrArchive, filename string) error {
	switch {
	case !hasContents(code):
		return fmt.Errorf("the code asset or archive has no contents")
	case code.Archive != nil:
		n, err := countArchiveFiles(code)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("the archive holds no files")
		}
		return nil
	}
	a := code.Asset
	name := assetName(a)
	p, isPath := a.GetPath()
	if isPath {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("reading the asset: %w", err)
		}
		ext := strings.ToLower(path.Ext(name))
		if (ext == ".zip" || ext == ".jar") && fi.Size() > maxPackageBytes {
			return fmt.Errorf("the code package is %d MB, %w", fi.Size()>>20, errPackageTooBig)
		}
		return nil
	}
	if name == "" && (filename == "" || strings.HasSuffix(strings.ToLower(filename), ".zip")) {
		return fmt.Errorf("a StringAsset has no file name: set codeFilename to the name the handler expects, e.g. index.py")
	}
	return nil
}

// countArchiveFiles counts an archive's files: a directory by walking it, any other archive through Pulumi's
// reader, closing each member unread.
func countArchiveFiles(code *types.AssetOrArchive) (int, error) {
	if p, ok := code.Archive.GetPath(); ok && isDir(p) {
		entries, err := dirEntries(p)
		return len(entries), err
	}
	r, err := code.Archive.Open()
	if err != nil {
		return 0, fmt.Errorf("opening the archive: %w", err)
	}
	defer r.Close()
	n := 0
	for {
		_, blob, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, fmt.Errorf("reading the archive: %w", err)
		}
		_ = blob.Close()
		n++
	}
}
