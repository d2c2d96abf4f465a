package emulator

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"path"
	"strings"
)

// Function code (API reference §5.6.4, §5.6.5): the stored package, its digest and size, zip checks.

type funcCodeReq struct {
	File *string `json:"file"`
	Link *string `json:"link"`
}

func defaultCodeFilename(runtime string) string {
	switch {
	case strings.HasPrefix(runtime, "Python"):
		return "index.py"
	case strings.HasPrefix(runtime, "Node.js"):
		return "index.js"
	case strings.HasPrefix(runtime, "PHP"):
		return "index.php"
	case strings.HasPrefix(runtime, "Java"):
		return "index.jar"
	default:
		return "index.zip"
	}
}

func defaultCode(runtime string) []byte {
	switch {
	case strings.HasPrefix(runtime, "Python"):
		return []byte("# -*- coding:utf-8 -*-\nimport json\ndef handler (event, context):\n    return {\"statusCode\": 200, \"body\": json.dumps(event)}\n")
	case strings.HasPrefix(runtime, "Node.js"):
		return []byte("exports.handler = async (event, context) => {\n    return {statusCode: 200, body: JSON.stringify(event)};\n};\n")
	default:
		return []byte("default function code\n")
	}
}

// buildCode validates a code description (create or PUT /code).
//
// Stored package (our documented choice): for inline/zip/jar it is the Base64-decoded
// func_code.file bytes exactly as sent (no server-side zipping); for obs it is the bytes of
// code_url (the emulator cannot fetch OBS). digest = hex SHA-512 of the stored package,
// code_size = its length.
func (e *Emulator) buildCode(codeType, codeURL, codeFilename *string, fc *funcCodeReq, runtime string, depVer, depList []string) (funcCode, *apiError) {
	var code funcCode
	if codeType == nil {
		return code, errf(400, "FSS.0400", "Invalid parameter: code_type is mandatory.")
	}
	code.CodeType = *codeType
	var file []byte
	hasFile := fc != nil && fc.File != nil && *fc.File != ""
	if hasFile {
		b, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == ' ' {
				return -1
			}
			return r
		}, *fc.File))
		if err != nil {
			return code, errf(400, "FSS.1011", "Invalid function code: func_code.file is not valid Base64.")
		}
		file = b
	}
	switch code.CodeType {
	case "inline":
		if !hasFile {
			file = defaultCode(runtime)
		}
		if len(file) > maxInlineCode {
			return code, errf(413, "FSS.1072", "The size of the inline code exceeds the maximum allowed limit (10 KB).")
		}
		code.Package = file
		code.CodeFilename = str(codeFilename)
		if code.CodeFilename == "" {
			code.CodeFilename = defaultCodeFilename(runtime)
		}
	case "zip", "jar":
		if !hasFile && str(codeURL) != "" {
			// A package named by URL instead of uploaded (CONTRADICTIONS.md #52): stored like
			// OBS code; code_filename is the one sent, else the URL's last path segment.
			u, aerr := codeURLOf(str(codeURL))
			if aerr != nil {
				return code, aerr
			}
			code.CodeURL = u.String()
			code.Package = []byte(code.CodeURL)
			code.CodeFilename = str(codeFilename)
			if code.CodeFilename == "" {
				code.CodeFilename = path.Base(u.Path)
			}
			break
		}
		if str(codeFilename) == "" {
			return code, errf(400, "FSS.1012", "The function code must be configured: code_filename is mandatory for %s code.", code.CodeType)
		}
		if !hasFile {
			return code, errf(400, "FSS.1012", "The function code must be configured: func_code.file or code_url is needed for %s code.", code.CodeType)
		}
		if len(file) > maxPackageCode {
			return code, errf(413, "FSS.1071", "The size of the code package to be uploaded exceeds the maximum allowed limit (50 MB).")
		}
		if !bytes.HasPrefix(file, []byte("PK")) {
			return code, errf(400, "FSS.1011", "Invalid function code: a %s package must be a ZIP archive.", code.CodeType)
		}
		code.Package = file
		code.CodeFilename = *codeFilename
	case "obs":
		u := str(codeURL)
		if u == "" {
			return code, errf(400, "FSS.1012", "The function code must be configured: code_url is mandatory for obs code.")
		}
		pu, aerr := codeURLOf(u)
		if aerr != nil {
			return code, aerr
		}
		code.CodeURL = u
		code.Package = []byte(u)
		code.CodeFilename = path.Base(pu.Path)
	default:
		return code, errf(400, "FSS.1006", "Invalid function code entry mode: %q", code.CodeType)
	}
	for _, id := range depVer {
		if e.findDepVersionLocked(id) == nil {
			return code, errf(400, "FSS.1024", "Invalid dependency: dependency version %s does not exist.", id)
		}
	}
	for _, id := range depList {
		if e.findDepVersionLocked(id) == nil && e.findDependencyLocked(id) == nil {
			return code, errf(400, "FSS.1024", "Invalid dependency: %s does not exist.", id)
		}
	}
	code.DependVersionList = append([]string{}, depVer...)
	code.DependList = append([]string{}, depList...)
	return code, nil
}

// codeURLOf parses a code_url: an http(s) URL with a host (FSS.1010 otherwise).
func codeURLOf(u string) (*url.URL, *apiError) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
		return nil, errf(400, "FSS.1010", "Invalid URL: %s", u)
	}
	return pu, nil
}

func digestOf(b []byte) string {
	s := sha512.Sum512(b)
	return hex.EncodeToString(s[:])
}

func (e *Emulator) codeBody(f *function, v *funcVersion, withFile bool) map[string]any {
	file := ""
	if withFile && v.Code.CodeURL == "" { // a package named by URL has no file to return
		file = base64.StdEncoding.EncodeToString(v.Code.Package)
	}
	return map[string]any{
		"func_urn":            e.qualURN(f, v.Version),
		"func_name":           f.Name,
		"domain_id":           e.cfg.DomainID,
		"runtime":             v.Conf.Runtime,
		"code_type":           v.Code.CodeType,
		"code_url":            v.Code.CodeURL,
		"code_filename":       v.Code.CodeFilename,
		"code_size":           len(v.Code.Package),
		"digest":              digestOf(v.Code.Package),
		"last_modified":       v.LastModified.UTC().Format(fgsTime),
		"func_code":           map[string]any{"file": file, "link": ""},
		"depend_list":         nonNilStrings(v.Code.DependList),
		"depend_version_list": nonNilStrings(v.Code.DependVersionList),
		"strategy_config":     v.Conf.Strategy,
		"dependencies":        e.dependencyObjs(v.Code.DependVersionList),
	}
}

func (e *Emulator) getCode(c *reqCtx) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	// GET code returns func_code.file empty (§5.6.4).
	c.ok(200, e.codeBody(t.fn, t.ver, false))
}

func (e *Emulator) putCode(c *reqCtx) {
	var in struct {
		CodeType          *string      `json:"code_type"`
		CodeURL           *string      `json:"code_url"`
		CodeFilename      *string      `json:"code_filename"`
		FuncCode          *funcCodeReq `json:"func_code"`
		DependList        []string     `json:"depend_list"`
		DependVersionList []string     `json:"depend_version_list"`
	}
	if !c.decodeOrFail(&in, false) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.resolve(c, "function_urn")
	if t == nil {
		return
	}
	if aerr := headOnly(t); aerr != nil {
		c.fail(aerr)
		return
	}
	// func_code is mandatory in PUT /code (§5.6.5), except for code named by code_url
	// (OBS code, and zip/jar packages by URL as at create).
	if in.FuncCode == nil && str(in.CodeURL) == "" && str(in.CodeType) != "obs" {
		c.fail(errf(400, "FSS.1012", "The function code must be configured: func_code is mandatory."))
		return
	}
	// A list left out keeps the function's dependencies; only an explicit [] removes them (the live
	// service's behaviour behind OTC terraform #3425: CONTRADICTIONS.md E14).
	if in.DependVersionList == nil {
		in.DependVersionList = t.ver.Code.DependVersionList
	}
	if in.DependList == nil {
		in.DependList = t.ver.Code.DependList
	}
	code, aerr := e.buildCode(in.CodeType, in.CodeURL, in.CodeFilename, in.FuncCode, t.ver.Conf.Runtime, in.DependVersionList, in.DependList)
	if aerr != nil {
		c.fail(aerr)
		return
	}
	if aerr := e.checkCodeQuotaLocked(len(t.ver.Code.Package), len(code.Package)); aerr != nil {
		c.fail(aerr)
		return
	}
	t.ver.Code = code
	e.touch(t.ver)
	e.persistLocked()
	// The PUT /code response includes func_code.file (contrast with GET, §5.6.5).
	c.ok(200, e.codeBody(t.fn, t.ver, true))
}

// codeBytesLocked sums the stored packages of every version of every function.
func (e *Emulator) codeBytesLocked() int64 {
	var n int64
	for _, f := range e.st.Functions {
		n += int64(len(f.Head.Code.Package))
		for _, v := range f.Versions {
			n += int64(len(v.Code.Package))
		}
	}
	return n
}

// checkCodeQuotaLocked: 403 FSS.1042 when replacing `old` bytes by `add` bytes exceeds the quota.
func (e *Emulator) checkCodeQuotaLocked(old, add int) *apiError {
	if e.codeBytesLocked()-int64(old)+int64(add) > int64(e.cfg.CodeSizeQuotaMB)<<20 {
		return errf(403, "FSS.1042", "The total code size of functions exceeds the maximum allowed limit (%d MB).", e.cfg.CodeSizeQuotaMB)
	}
	return nil
}
