package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// runInvoke implements `fgs-emulator invoke NAME_OR_URN`: a synchronous invocation with the
// usual OS_* credentials (the emulator prints them; against the cloud set FGS_ENDPOINT or
// OS_REGION_NAME). It prints the function's result on stdout and returns the exit code:
// 0 on success, 1 when the function failed, 2 on a usage or request error.
func runInvoke(args []string, getenv func(string) string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("fgs-emulator invoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fgs-emulator invoke NAME_OR_URN [--payload JSON] [--log]")
		fmt.Fprintln(fs.Output(), "Invokes a function synchronously with OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME,")
		fmt.Fprintln(fs.Output(), "OS_PROJECT_NAME or OS_PROJECT_ID, and FGS_ENDPOINT (default https://functiongraph.$OS_REGION_NAME.otc.t-systems.com).")
		fmt.Fprintln(fs.Output(), "NAME_OR_URN: a function name (package default), PACKAGE:NAME, or a URN (with :VERSION or :!ALIAS).")
		fs.PrintDefaults()
	}
	payload := fs.String("payload", "{}", "the event, as JSON")
	showLog := fs.Bool("log", false, "print the last 4 KB of the function's log on stderr")
	timeout := fs.Duration("timeout", 15*time.Minute, "how long to wait for the answer")
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	if target == "" && fs.NArg() > 0 {
		target = fs.Arg(0)
	}
	if target == "" {
		fs.Usage()
		return 2, fmt.Errorf("NAME_OR_URN is missing")
	}
	if !json.Valid([]byte(*payload)) {
		return 2, fmt.Errorf("--payload is not valid JSON: %s", *payload)
	}
	if !strings.HasPrefix(target, "urn:") && getenv("OS_REGION_NAME") == "" {
		return 2, fmt.Errorf("OS_REGION_NAME is not set: it is needed to build the URN of %q (or pass a URN)", target)
	}
	cl := &http.Client{Timeout: *timeout}
	tok, projectID, err := iamToken(cl, getenv)
	if err != nil {
		return 2, err
	}
	endpoint := strings.TrimRight(getenv("FGS_ENDPOINT"), "/")
	if endpoint == "" {
		if getenv("OS_REGION_NAME") == "" {
			return 2, fmt.Errorf("set FGS_ENDPOINT or OS_REGION_NAME")
		}
		endpoint = "https://functiongraph." + getenv("OS_REGION_NAME") + ".otc.t-systems.com"
	}
	urn := target
	if !strings.HasPrefix(urn, "urn:") {
		pkg, name, ok := strings.Cut(target, ":")
		if !ok {
			pkg, name = "default", target
		}
		urn = fmt.Sprintf("urn:fss:%s:%s:function:%s:%s", getenv("OS_REGION_NAME"), projectID, pkg, name)
	}
	req, _ := http.NewRequest(http.MethodPost, endpoint+"/v2/"+projectID+"/fgs/functions/"+urn+"/invocations", strings.NewReader(*payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", tok)
	req.Header.Set("X-CFF-Request-Version", "v1")
	req.Header.Set("X-Cff-Log-Type", "tail")
	resp, err := cl.Do(req)
	if err != nil {
		return 2, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return 2, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(body))
	}
	var out struct {
		RequestID string `json:"request_id"`
		Result    string `json:"result"`
		Log       string `json:"log"`
		Status    int    `json:"status"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return 2, fmt.Errorf("unexpected answer: %s", body)
	}
	if *showLog {
		log := out.Log
		if log == "" {
			if b, err := base64.StdEncoding.DecodeString(resp.Header.Get("X-Cff-Function-Log")); err == nil {
				log = string(b)
			}
		}
		fmt.Fprintln(stderr, log)
	}
	fmt.Fprintln(stdout, out.Result)
	if resp.Header.Get("X-Is-Func-Err") == "true" {
		return 1, fmt.Errorf("the function failed (status %d, error code %s, request %s)", out.Status, resp.Header.Get("X-Func-Err-Code"), out.RequestID)
	}
	return 0, nil
}

// iamToken gets a project-scoped token with the password method.
func iamToken(cl *http.Client, getenv func(string) string) (token, projectID string, err error) {
	authURL := strings.TrimRight(getenv("OS_AUTH_URL"), "/")
	for _, k := range []string{"OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME"} {
		if getenv(k) == "" {
			return "", "", fmt.Errorf("%s is not set (the emulator prints the export lines at start)", k)
		}
	}
	scope := map[string]any{"name": getenv("OS_PROJECT_NAME")}
	if id := getenv("OS_PROJECT_ID"); id != "" {
		scope = map[string]any{"id": id}
	} else if getenv("OS_PROJECT_NAME") == "" {
		return "", "", fmt.Errorf("set OS_PROJECT_ID or OS_PROJECT_NAME")
	}
	body, _ := json.Marshal(map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": map[string]any{
			"name": getenv("OS_USERNAME"), "password": getenv("OS_PASSWORD"), "domain": map[string]any{"name": getenv("OS_DOMAIN_NAME")},
		}}},
		"scope": map[string]any{"project": scope},
	}})
	resp, err := cl.Post(authURL+"/auth/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", "", fmt.Errorf("IAM: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", "", fmt.Errorf("IAM answered %s (the password is not shown)", resp.Status)
	}
	var tr struct {
		Token struct {
			Project struct {
				ID string `json:"id"`
			} `json:"project"`
		} `json:"token"`
	}
	_ = json.Unmarshal(b, &tr)
	return resp.Header.Get("X-Subject-Token"), tr.Token.Project.ID, nil
}
