package fgs

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/go-resty/resty/v2"
)

// CodeSource is a code package sent as func_code.file without ever being held in memory as a string: the
// client streams its Base64 into the request body, once per attempt.
type CodeSource interface {
	Open() (io.ReadCloser, error) // the package from its first byte
	Len() int64                   // its size in bytes
}

// funcCodeWire is FuncCode as it is encoded.
type funcCodeWire struct {
	File string `json:"file,omitempty"`
	Link string `json:"link,omitempty"`
}

// MarshalJSON encodes a FuncCode; a Source is written as streamToken, which the client replaces by the
// Base64 of the package as it sends the body.
func (f FuncCode) MarshalJSON() ([]byte, error) {
	w := funcCodeWire{File: f.File, Link: f.Link}
	if f.Source != nil {
		w.File = streamToken
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// streamToken stands for a streamed file in an encoded body: random per process, so no user value can be it.
var streamToken = func() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "fgs-streamed-file-" + hex.EncodeToString(b)
}()

// codeSourceOf is the package a body streams, nil when there is none.
func codeSourceOf(fc *FuncCode) CodeSource {
	if fc == nil {
		return nil
	}
	return fc.Source
}

// streamedBody is a request body whose func_code.file is streamed: the JSON before it, the Base64 of the
// package, the JSON after it.
type streamedBody struct {
	prefix, suffix []byte
	src            CodeSource
}

// splitStream cuts an encoded body at the stream token. logBody is the same JSON with the file shown as its
// size: what the debug log and the secret scrubbing see, so that neither copies or re-encodes the code.
func splitStream(src CodeSource, body []byte) (sb *streamedBody, logBody []byte, err error) {
	quoted := []byte(`"` + streamToken + `"`)
	i := bytes.Index(body, quoted)
	if i < 0 || bytes.Count(body, quoted) != 1 {
		return nil, nil, fmt.Errorf("fgs: the request body does not hold its streamed file exactly once")
	}
	sb = &streamedBody{prefix: body[:i+1], suffix: body[i+len(quoted)-1:], src: src}
	size := `"<` + strconv.Itoa(base64.StdEncoding.EncodedLen(int(src.Len()))) + ` bytes>"`
	logBody = append(append(append([]byte(nil), body[:i]...), size...), body[i+len(quoted):]...)
	return sb, logBody, nil
}

// len is the size of the whole body on the wire.
func (s *streamedBody) len() int64 {
	return int64(len(s.prefix)+len(s.suffix)) + int64(base64.StdEncoding.EncodedLen(int(s.src.Len())))
}

// set puts the body on the request. A signed (AK/SK) request needs the body's hash before it is sent, so it
// gets the body in memory (AK/SK requests are limited to 12 MB by the service anyway). Any other request is
// given to resty with a placeholder body (resty reads a reader body whole, to be able to resend it) and the
// stream in its context, which streamTransport puts in the placeholder's place. release closes the package.
func (s *streamedBody) set(ctx context.Context, r *resty.Request, inMemory bool) (_ context.Context, release func(), err error) {
	rc, err := s.src.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("fgs: reading the code package: %w", err)
	}
	body := io.MultiReader(bytes.NewReader(s.prefix), newBase64Reader(rc), bytes.NewReader(s.suffix))
	if inMemory {
		defer rc.Close()
		buf := bytes.NewBuffer(make([]byte, 0, s.len()))
		if _, err := buf.ReadFrom(body); err != nil {
			return nil, nil, fmt.Errorf("fgs: reading the code package: %w", err)
		}
		r.SetBody(buf.Bytes())
		return ctx, func() {}, nil
	}
	r.SetBody([]byte("{}"))
	return context.WithValue(ctx, streamKey{}, &streamPayload{body: io.NopCloser(body), n: s.len()}), func() { rc.Close() }, nil
}

// streamKey carries a streamPayload from attempt to streamTransport.
type streamKey struct{}

type streamPayload struct {
	body io.ReadCloser
	n    int64
}

// streamTransport sends a request whose context carries a streamPayload with that body and length, in place
// of the placeholder resty built.
type streamTransport struct{ base http.RoundTripper }

func (t streamTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if s, ok := r.Context().Value(streamKey{}).(*streamPayload); ok {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		r = r.Clone(r.Context())
		r.Body, r.ContentLength, r.GetBody = s.body, s.n, nil
		r.Header.Del("Content-Length")
	}
	return t.base.RoundTrip(r)
}

// streamThrough installs streamTransport under resty (on the client's own copy of the http.Client).
func streamThrough(rc *resty.Client) {
	hc := rc.GetClient()
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = streamTransport{base: base}
}

// base64Reader reads the standard Base64 of src, in chunks, without a goroutine.
type base64Reader struct {
	src     io.Reader
	in      [48 << 10]byte // a multiple of 3: only the last chunk is padded
	out     [64 << 10]byte
	pending []byte
	err     error
}

func newBase64Reader(src io.Reader) *base64Reader { return &base64Reader{src: src} }

func (r *base64Reader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		n, err := io.ReadFull(r.src, r.in[:])
		if n > 0 {
			m := base64.StdEncoding.EncodedLen(n)
			base64.StdEncoding.Encode(r.out[:m], r.in[:n])
			r.pending = r.out[:m]
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			r.err = io.EOF
		default:
			r.err = err
		}
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}
