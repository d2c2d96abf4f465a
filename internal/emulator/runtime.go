package emulator

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// The instance wrappers speak the emulator's line protocol (see exec.go) and implement the
// handler contract of the developer guide around the user's module.
var (
	//go:embed runtimes/python_wrapper.py
	pythonWrapper []byte
	//go:embed runtimes/node_wrapper.js
	nodeWrapper []byte
)

// language is an interpreter the emulator can run a runtime with.
type language struct {
	name     string // "python" or "node"
	binary   string // looked up on PATH
	probe    []string
	wrapper  []byte
	filename string
}

var (
	langPython = &language{name: "python", binary: "python3", probe: []string{"-c", "import sys; print(sys.executable)"}, wrapper: pythonWrapper, filename: "python_wrapper.py"}
	langNode   = &language{name: "node", binary: "node", probe: []string{"-p", "process.execPath"}, wrapper: nodeWrapper, filename: "node_wrapper.js"}
)

// languageFor maps a FunctionGraph runtime to the interpreter that runs it, or nil.
// The host's python3/node run every Python3.x/Node.js runtime: the emulator does not
// install per-version interpreters.
func languageFor(runtime string) *language {
	switch {
	case strings.HasPrefix(runtime, "Python3"):
		return langPython
	case strings.HasPrefix(runtime, "Node.js"):
		return langNode
	case runtime == "Custom":
		return langCustom
	}
	return nil
}

// resolveInterpreter finds the real interpreter behind PATH's python3/node once: version
// managers put shims on PATH that need the host's HOME and environment, which an instance
// does not get.
func resolveInterpreter(l *language) (string, error) {
	p, err := exec.LookPath(l.binary)
	if err != nil {
		return "", fmt.Errorf("%s not found on PATH", l.binary)
	}
	out, err := exec.Command(p, l.probe...).Output()
	if err != nil {
		return "", fmt.Errorf("%s does not start: %v", p, err)
	}
	real := strings.TrimSpace(string(out))
	if real == "" {
		real = p
	}
	return real, nil
}

// unpackCode writes a stored package into dir: a ZIP archive is extracted, inline source
// is written as code_filename (index.py / index.js by default).
func unpackCode(code funcCode, runtime, dir string) error {
	if code.CodeType == "obs" {
		return fmt.Errorf("code in OBS (%s) cannot be fetched by the emulator", code.CodeURL)
	}
	if bytes.HasPrefix(code.Package, []byte("PK\x03\x04")) {
		return unzipTo(code.Package, dir)
	}
	name := code.CodeFilename
	if name == "" || strings.HasSuffix(name, ".zip") {
		name = defaultCodeFilename(runtime)
	}
	return os.WriteFile(filepath.Join(dir, filepath.Base(name)), code.Package, 0o644)
}

func unzipTo(pkg []byte, dir string) error {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return fmt.Errorf("code package is not a readable ZIP archive: %v", err)
	}
	for _, f := range zr.File {
		name := filepath.Clean(filepath.FromSlash(f.Name))
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("code package entry %q leaves the code directory", f.Name)
		}
		dst := filepath.Join(dir, name)
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if f.Mode()&0o111 != 0 {
			mode = 0o755
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
		if err != nil {
			rc.Close()
			return err
		}
		_, err = io.Copy(out, rc)
		rc.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// userEnv merges user_data and encrypted_user_data (the emulator keeps the latter in clear:
// "decrypting" it is reading it).
func userEnv(cf funcConfig) map[string]string {
	out := map[string]string{}
	for _, s := range []string{cf.UserData, cf.EncryptedUserData} {
		if s == "" {
			continue
		}
		var m map[string]string
		if json.Unmarshal([]byte(s), &m) == nil {
			for k, v := range m {
				out[k] = v
			}
		}
	}
	return out
}

// cpuNumber is the emulator's CPU figure for a memory size: one core per started GB.
func cpuNumber(memoryMB int) int {
	if memoryMB <= 1024 {
		return 1
	}
	return (memoryMB + 1023) / 1024
}

// instanceEnv is the complete environment of an instance: the documented RUNTIME_*
// variables, the function's environment and a minimal PATH/HOME. Nothing of the
// emulator's own environment is passed on.
func instanceEnv(s *instanceSpec, codeDir, home string) []string {
	env := map[string]string{
		"PATH":                    "/usr/local/bin:/usr/bin:/bin",
		"HOME":                    home,
		"TMPDIR":                  home,
		"LANG":                    "C.UTF-8",
		"PYTHONUNBUFFERED":        "1",
		"PYTHONDONTWRITEBYTECODE": "1",
	}
	for k, v := range s.userEnv {
		env[k] = v
	}
	// Set last: a function cannot override the runtime variables (the service refuses them).
	rt := map[string]string{
		"RUNTIME_PROJECT_ID":   s.projectID,
		"RUNTIME_FUNC_NAME":    s.funcName,
		"RUNTIME_FUNC_VERSION": s.version,
		"RUNTIME_PACKAGE":      s.pkg,
		"RUNTIME_HANDLER":      s.conf.Handler,
		"RUNTIME_TIMEOUT":      strconv.Itoa(s.conf.Timeout),
		"RUNTIME_MEMORY":       strconv.Itoa(s.conf.MemorySize),
		"RUNTIME_CPU":          strconv.Itoa(cpuNumber(s.conf.MemorySize)),
		"RUNTIME_CODE_ROOT":    codeDir,
		"RUNTIME_ROOT":         filepath.Dir(codeDir),
		"RUNTIME_LOG_DIR":      home,
	}
	ud, _ := json.Marshal(s.userEnv)
	rt["RUNTIME_USERDATA"] = string(ud)
	for k, v := range rt {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
