package fgs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memSource is a CodeSource in memory that counts how often it is opened.
type memSource struct {
	data  []byte
	opens int
}

func (m *memSource) Open() (io.ReadCloser, error) {
	m.opens++
	return io.NopCloser(bytes.NewReader(m.data)), nil
}
func (m *memSource) Len() int64 { return int64(len(m.data)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(int64(n))).Read(b)
	return b
}

// A streamed package reaches the service as the Base64 in func_code.file, with a Content-Length, once per
// attempt; the debug log shows its size, never its bytes.
func TestCodeUploadIsStreamed(t *testing.T) {
	pkg := &memSource{data: randomBytes(300_001)} // not a multiple of 3, over several chunks
	var lengths []int64
	var transfer [][]string
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		lengths = append(lengths, r.ContentLength)
		transfer = append(transfer, r.TransferEncoding)
		if len(lengths) == 1 {
			fgsError(w, 503, "FSS.0500", "busy") // a retried attempt streams the package again
			return
		}
		writeJSON(w, 200, map[string]any{"func_urn": "urn:fss:eu-de:p:function:default:hello"})
	})
	log := &captureLogger{}
	opts := f.passwordOptions()
	opts.Logger = log
	c, err := NewClient(opts)
	require.NoError(t, err)
	_, err = c.Functions.UpdateCode(context.Background(), "urn:fss:eu-de:p:function:default:hello", &UpdateFunctionCodeRequest{
		CodeType: "zip", CodeFilename: "index.zip", FuncCode: FuncCode{Source: pkg}})
	require.NoError(t, err)

	assert.Equal(t, 2, pkg.opens, "opened once per attempt")
	bodies := f.bodies[len(f.bodies)-2:]
	for i, body := range bodies {
		var sent struct {
			CodeType string `json:"code_type"`
			FuncCode struct {
				File string `json:"file"`
			} `json:"func_code"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &sent), "attempt %d", i+1)
		raw, err := base64.StdEncoding.DecodeString(sent.FuncCode.File)
		require.NoError(t, err)
		assert.Equal(t, pkg.data, raw, "attempt %d carries the package", i+1)
		assert.Equal(t, "zip", sent.CodeType)
		assert.Equal(t, int64(len(body)), lengths[i], "sent with its length")
		assert.Empty(t, transfer[i], "not chunked")
	}
	logs := log.all()
	assert.Contains(t, logs, `"file":"<`+strconv.Itoa(base64.StdEncoding.EncodedLen(len(pkg.data)))+` bytes>"`)
	assert.NotContains(t, logs, base64.StdEncoding.EncodeToString(pkg.data[:30]))
	assert.NotContains(t, logs, streamToken)
}

// A signed request carries the streamed package in a body whose signature the service can verify.
func TestCodeUploadSignedWithAKSK(t *testing.T) {
	now := time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)
	pkg := &memSource{data: randomBytes(70_000)}
	var seen *http.Request
	var seenBody string
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Clone(context.Background())
		bb, _ := io.ReadAll(r.Body)
		seenBody = string(bb)
		writeJSON(w, 200, map[string]any{"func_urn": "x"})
	})
	c, err := NewClient(Options{AccessKey: testAK, SecretKey: testSK, ProjectName: "eu-de", Region: "eu-de",
		AuthURL: f.srv.URL + "/v3", Endpoint: f.srv.URL, Now: func() time.Time { return now }})
	require.NoError(t, err)
	_, err = c.Functions.Create(context.Background(), &CreateFunctionRequest{FuncName: "hello", Package: "default",
		Runtime: "Python3.9", Handler: "index.handler", MemorySize: 128, Timeout: 3, CodeType: "zip", FuncCode: &FuncCode{Source: pkg}})
	require.NoError(t, err)
	require.NotNil(t, seen)
	assert.Contains(t, seenBody, `"file":"`+base64.StdEncoding.EncodeToString(pkg.data)+`"`)

	auth := seen.Header.Get("Authorization")
	sh := auth[strings.Index(auth, "SignedHeaders=")+len("SignedHeaders=") : strings.Index(auth, ", Signature=")]
	vreq, err := http.NewRequest(seen.Method, "http://"+seen.Host+seen.RequestURI, strings.NewReader(seenBody))
	require.NoError(t, err)
	for _, h := range strings.Split(sh, ";") {
		if h != "host" && h != "x-sdk-date" {
			vreq.Header.Set(h, seen.Header.Get(h))
		}
	}
	vreq.Host = seen.Host
	require.NoError(t, Signer{AccessKey: testAK, SecretKey: testSK}.Sign(vreq, []byte(seenBody), now))
	assert.Equal(t, auth, vreq.Header.Get("Authorization"), "the signature covers the streamed body")
}

// zeroSource is a package of n zero bytes that exists nowhere in memory.
type zeroSource int64

func (z zeroSource) Open() (io.ReadCloser, error) {
	return io.NopCloser(io.LimitReader(zeroReader{}, int64(z))), nil
}
func (z zeroSource) Len() int64 { return int64(z) }

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A 48 MB upload allocates a small fraction of its size: neither the client nor resty holds the body.
func TestCodeUploadIsNotHeldInMemory(t *testing.T) {
	const size = 48 << 20
	var received int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received, _ = io.Copy(io.Discard, r.Body)
		writeJSON(w, 200, map[string]any{"func_urn": "x"})
	}))
	defer srv.Close()
	c, err := NewClient(Options{Region: "eu-de", Endpoint: srv.URL, ProjectID: testProjectID, Token: "a-given-token"})
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = c.Functions.UpdateCode(context.Background(), "urn:fss:eu-de:p:function:default:hello",
		&UpdateFunctionCodeRequest{CodeType: "zip", FuncCode: FuncCode{Source: zeroSource(size)}})
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	assert.Greater(t, received, int64(base64.StdEncoding.EncodedLen(size)))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "bytes allocated to send a 48 MB package")
}

func TestBase64ReaderMatchesTheEncoder(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 48 << 10, 48<<10 + 1, 200_000} {
		data := randomBytes(n)
		got, err := io.ReadAll(newBase64Reader(bytes.NewReader(data)))
		require.NoError(t, err)
		assert.Equal(t, base64.StdEncoding.EncodeToString(data), string(got), "n=%d", n)
	}
}

// A FuncCode without a Source encodes as it always did, with the client's encoder (no HTML escaping).
func TestFuncCodeEncoding(t *testing.T) {
	encode := func(v any) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(v))
		return strings.TrimSpace(buf.String())
	}
	assert.Equal(t, `{"file":"ZGVm","link":"https://b.obs/x.zip?a=1&b=2"}`, encode(FuncCode{File: "ZGVm", Link: "https://b.obs/x.zip?a=1&b=2"}))
	assert.Equal(t, `{"func_code":{}}`, encode(struct {
		F FuncCode `json:"func_code"`
	}{}))
}
