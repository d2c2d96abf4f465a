package fgs

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quotaHandler answers GET quotas when the X-Auth-Token is one the fake IAM issued.
func quotaHandler(f **fakeCloud, fgsCalls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fgsCalls.Add(1)
		if !(*f).tokenValid(r.Header.Get("X-Auth-Token")) {
			fgsError(w, 401, "FSS.0401", "Unauthorized access.")
			return
		}
		if r.URL.Path != "/v2/"+testProjectID+"/fgs/quotas" {
			fgsError(w, 404, "FSS.0404", "no route "+r.URL.Path)
			return
		}
		writeJSON(w, 200, map[string]any{"quotas": map[string]any{"resources": []map[string]any{{"type": "fgs_func_num", "quota": 400, "used": 3}}}})
	}
}

func TestTokenFetchedOnceUnderConcurrency(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	f.iamDelay = 50 * time.Millisecond
	c, err := NewClient(f.passwordOptions())
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q, err := c.Quotas.List(context.Background())
			if err == nil && (len(q) != 1 || q[0].Quota != 400) {
				err = assert.AnError
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), f.iamCalls.Load(), "exactly one IAM call for 50 parallel first requests")
	assert.Equal(t, int32(50), calls.Load())
	pid, err := c.ProjectID(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testProjectID, pid, "project id learnt from the token")
}

func TestTokenIAMRequestShape(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	opts := f.passwordOptions()
	opts.UserAgentVersion = "v1.2.3"
	c, err := NewClient(opts)
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(f.bodies), 2)
	assert.JSONEq(t, `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"fgs-user","password":"`+testPassword+`","domain":{"name":"fgs-demo"}}}},
		"scope":{"project":{"name":"eu-de","domain":{"name":"fgs-demo"}}}}}`, f.bodies[0])
	assert.Equal(t, "pulumi-fgs/1.2.3", f.headers[1].Get("User-Agent"))
	assert.Equal(t, "application/json", f.headers[1].Get("Content-Type"))
}

func TestTokenRefreshBeforeExpiry(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	var mu sync.Mutex
	clock := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	f.now = now
	f.expiresIn = 10 * time.Minute
	opts := f.passwordOptions()
	opts.Now = now
	c, err := NewClient(opts)
	require.NoError(t, err)

	ctx := context.Background()
	_, err = c.Quotas.List(ctx)
	require.NoError(t, err)
	_, err = c.Quotas.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(1), f.iamCalls.Load(), "cached while more than the margin is left")

	mu.Lock()
	clock = clock.Add(6 * time.Minute) // 4 minutes left < 5 minute margin
	mu.Unlock()
	_, err = c.Quotas.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(2), f.iamCalls.Load(), "refreshed within the margin")
}

func TestTokenRefreshOn401(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	c, err := NewClient(f.passwordOptions())
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.Quotas.List(ctx)
	require.NoError(t, err)
	f.revokeAll() // the service forgets the token
	_, err = c.Quotas.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(2), f.iamCalls.Load())
	assert.Equal(t, int32(3), calls.Load(), "one 401, then one success")
}

func TestWrongPasswordIsUnauthorized(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) { t.Fatal("no FGS call expected") })
	opts := f.passwordOptions()
	opts.Password = "wrong-password-value"
	c, err := NewClient(opts)
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Contains(t, err.Error(), "The username or password is wrong")
	assert.NotContains(t, err.Error(), "wrong-password-value")
	assert.Equal(t, int32(1), f.iamCalls.Load(), "401 from IAM is not retried")
}

func TestGivenTokenUsedDirectly(t *testing.T) {
	var gotToken string
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		gotToken = r.Header.Get("X-Auth-Token")
		writeJSON(w, 200, map[string]any{"quotas": map[string]any{"resources": []any{}}})
	})
	c, err := NewClient(Options{Token: "given-token-abcdef", ProjectID: testProjectID, Endpoint: f.srv.URL + "/"})
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "given-token-abcdef", gotToken)
	assert.Equal(t, int32(0), f.iamCalls.Load())
	assert.Equal(t, []string{"GET /v2/" + testProjectID + "/fgs/quotas"}, f.requests())
}

func TestGivenTokenLearnsProject(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"quotas": map[string]any{"resources": []any{}}})
	})
	c, err := NewClient(Options{Token: "given-token-abcdef", Region: "eu-de", AuthURL: f.srv.URL})
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int32(1), f.iamCalls.Load())
	assert.Contains(t, f.bodies[0], `"methods":["token"]`)
	assert.Equal(t, "given-token-abcdef", f.headers[1].Get("X-Auth-Token"))
	assert.Equal(t, "GET /v2/"+testProjectID+"/fgs/quotas", f.requests()[1])
}

func TestFindEndpoint(t *testing.T) {
	cat := []CatalogEntry{
		{Type: "compute", Endpoints: []CatalogEndpoint{{Region: "eu-de", Interface: "public", URL: "https://ecs.example"}}},
		{Type: "functiongraph", Endpoints: []CatalogEndpoint{
			{Region: "eu-de", Interface: "internal", URL: "https://internal.example"},
			{Region: "eu-nl", Interface: "public", URL: "https://functiongraph.eu-nl.example/v2/abc/"},
			{RegionID: "eu-de", Interface: "public", URL: "https://functiongraph.eu-de.example/v2/" + testProjectID},
		}},
	}
	assert.Equal(t, "https://functiongraph.eu-de.example", FindEndpoint(cat, "eu-de"), "region_id match, /v2/<pid> stripped")
	assert.Equal(t, "https://functiongraph.eu-nl.example", FindEndpoint(cat, "eu-nl"))
	assert.Equal(t, "", FindEndpoint(cat, "eu-ch2"), "region mismatch")
	plain := []CatalogEntry{{Type: "functiongraph", Endpoints: []CatalogEndpoint{{Region: "eu-de", URL: "https://fg.example/"}}}}
	assert.Equal(t, "https://fg.example", FindEndpoint(plain, "eu-de"), "no suffix, trailing slash")
	assert.Equal(t, "http://127.0.0.1:8990", normaliseEndpoint("http://127.0.0.1:8990/v2"))
}

func TestCatalogEndpointAndFallback(t *testing.T) {
	t.Run("catalog without v2 suffix", func(t *testing.T) {
		var f *fakeCloud
		var calls atomic.Int32
		f = newFakeCloud(t, quotaHandler(&f, &calls))
		f.catalog = func(base string) []CatalogEntry {
			return []CatalogEntry{{Type: "functiongraph", Endpoints: []CatalogEndpoint{{Region: "eu-de", Interface: "public", URL: base}}}}
		}
		c, err := NewClient(f.passwordOptions())
		require.NoError(t, err)
		_, err = c.Quotas.List(context.Background())
		require.NoError(t, err)
		ep, err := c.Endpoint(context.Background())
		require.NoError(t, err)
		assert.Equal(t, f.srv.URL, ep)
	})
	t.Run("region mismatch falls back to the region URL", func(t *testing.T) {
		f := newFakeCloud(t, nil)
		f.catalog = func(base string) []CatalogEntry {
			return []CatalogEntry{{Type: "functiongraph", Endpoints: []CatalogEndpoint{{Region: "eu-nl", Interface: "public", URL: base}}}}
		}
		c, err := NewClient(f.passwordOptions())
		require.NoError(t, err)
		ep, err := c.Endpoint(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "https://functiongraph.eu-de.otc.t-systems.com", ep)
	})
	t.Run("override wins", func(t *testing.T) {
		f := newFakeCloud(t, nil)
		opts := f.passwordOptions()
		opts.Endpoint = "http://127.0.0.1:8990/"
		c, err := NewClient(opts)
		require.NoError(t, err)
		ep, err := c.Endpoint(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "http://127.0.0.1:8990", ep)
	})
}

func TestAKSKSignedOnTheWire(t *testing.T) {
	now := time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)
	var seen *http.Request
	var seenBody string
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Clone(context.Background())
		bb, _ := io.ReadAll(r.Body)
		seenBody = string(bb)
		writeJSON(w, 200, map[string]any{"name": "dev", "version": "latest", "alias_urn": "x"})
	})
	c, err := NewClient(Options{
		AccessKey: testAK, SecretKey: testSK, SecurityToken: "temp-security-token-1234",
		ProjectName: "eu-de", Region: "eu-de", AuthURL: f.srv.URL + "/v3", Endpoint: f.srv.URL, Now: func() time.Time { return now },
	})
	require.NoError(t, err)
	urn := "urn:fss:eu-de:" + testProjectID + ":function:default:hello"
	_, err = c.Aliases.Update(context.Background(), urn, "dev", &UpdateAliasRequest{Version: "latest", Description: Ptr("")})
	require.NoError(t, err)

	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "GET /v3/projects?name=eu-de", reqs[0], "project name resolved with a signed IAM call")
	assert.Contains(t, f.headers[0].Get("Authorization"), "Credential="+testAK+"/20261122///sdk_request")
	assert.Empty(t, f.headers[0].Get("X-Project-Id"))

	// URN reaches the wire with literal ':' and '!' (alias path has none, so check the URN part)
	assert.Equal(t, "PUT /v2/"+testProjectID+"/fgs/functions/"+urn+"/aliases/dev", reqs[1])
	require.NotNil(t, seen)
	assert.Equal(t, testProjectID, seen.Header.Get("X-Project-Id"))
	assert.Equal(t, "temp-security-token-1234", seen.Header.Get("X-Security-Token"))
	auth := seen.Header.Get("Authorization")
	assert.True(t, strings.HasPrefix(auth, "SDK-HMAC-SHA256 Credential="+testAK+"/20261122///sdk_request, SignedHeaders="), auth)
	assert.NotContains(t, auth, "x-project-id")
	assert.NotContains(t, auth, "x-security-token")
	assert.Contains(t, auth, "host;")
	assert.Equal(t, "20261122T083000Z", seen.Header.Get("X-Sdk-Date"))

	// Verify the signature like a server would: rebuild the request with the signed headers only.
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
	assert.Equal(t, auth, vreq.Header.Get("Authorization"))
	assert.JSONEq(t, `{"version":"latest","description":""}`, seenBody)
}

func TestCanonicalURIEncodesURNCharacters(t *testing.T) {
	req, err := http.NewRequest("GET", "https://fg.example/v2/p/fgs/functions/urn:fss:eu-de:p:function:default:hello:!dev/config", nil)
	require.NoError(t, err)
	assert.Equal(t, "/v2/p/fgs/functions/urn:fss:eu-de:p:function:default:hello:!dev/config", req.URL.EscapedPath(), "wire path keeps ':' and '!'")
	canon, _ := canonicalRequest(req, nil)
	assert.Contains(t, canon, "\n/v2/p/fgs/functions/urn%3Afss%3Aeu-de%3Ap%3Afunction%3Adefault%3Ahello%3A%21dev/config/\n")
}

func TestNewClientValidation(t *testing.T) {
	_, err := NewClient(Options{})
	assert.Error(t, err)
	_, err = NewClient(Options{AccessKey: "a"})
	assert.Error(t, err)
	_, err = NewClient(Options{Password: "p", Region: "eu-de"})
	assert.Error(t, err)
	_, err = NewClient(Options{AccessKey: "a", SecretKey: "b"})
	assert.Error(t, err, "AK/SK needs an endpoint or a region")
	_, err = NewClient(Options{AccessKey: "a", SecretKey: "b", Region: "eu-de", ProjectID: "p"})
	assert.NoError(t, err)
}

func TestIAMBodyWithIDs(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	c, err := NewClient(Options{AuthURL: f.srv.URL + "/v3/", Region: "eu-de", UserID: "uid-1", Password: testPassword,
		ProjectID: testProjectID, DomainID: "did-1"})
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.NoError(t, err)
	assert.JSONEq(t, `{"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"uid-1","password":"`+testPassword+`"}}},
		"scope":{"project":{"id":"`+testProjectID+`"}}}}`, f.bodies[0])
}

func TestIAMErrorNamesIAM(t *testing.T) {
	f := newFakeCloud(t, nil)
	opts := f.passwordOptions()
	opts.Password = "nope-nope"
	c, err := NewClient(opts)
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IAM rejected POST /v3/auth/tokens: 401 Unauthorized: The username or password is wrong. (HTTP 401)")
}

func TestAKSKEndpointFromSignedCatalog(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]string{"error_code": "FSS.0404", "error_msg": "nope"})
	})
	opts := Options{AccessKey: testAK, SecretKey: testSK, Region: "eu-de", ProjectID: testProjectID, AuthURL: f.srv.URL + "/v3"}
	c, err := NewClient(opts)
	require.NoError(t, err)
	ep, err := c.Endpoint(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "https://functiongraph.eu-de.otc.t-systems.com", ep, "no catalog: region fallback")
	assert.Equal(t, 1, f.countPrefix("GET /v3/auth/catalog"), "best effort, not retried")

	f.catalog = func(base string) []CatalogEntry {
		return []CatalogEntry{{Type: "functiongraph", Endpoints: []CatalogEndpoint{{Region: "eu-de", Interface: "public", URL: base + "/v2/" + testProjectID}}}}
	}
	c, err = NewClient(opts)
	require.NoError(t, err)
	ep, err = c.Endpoint(context.Background())
	require.NoError(t, err)
	assert.Equal(t, f.srv.URL, ep)
	reqs := f.requests()
	assert.Contains(t, f.headers[len(reqs)-1].Get("Authorization"), "Credential="+testAK)
}

func TestShortLivedTokenNotRefetchedEveryRequest(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	var mu sync.Mutex
	clock := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	f.now, f.expiresIn = now, 2*time.Minute // shorter than the 5 minute margin
	opts := f.passwordOptions()
	opts.Now = now
	c, err := NewClient(opts)
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		_, err = c.Quotas.List(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), f.iamCalls.Load())
	mu.Lock()
	clock = clock.Add(61 * time.Second) // past half-life
	mu.Unlock()
	_, err = c.Quotas.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int32(2), f.iamCalls.Load())
}

func TestConcurrent401RefreshesOnce(t *testing.T) {
	var f *fakeCloud
	var calls atomic.Int32
	f = newFakeCloud(t, quotaHandler(&f, &calls))
	f.iamDelay = 20 * time.Millisecond
	c, err := NewClient(f.passwordOptions())
	require.NoError(t, err)
	_, err = c.Quotas.List(context.Background())
	require.NoError(t, err)
	f.revokeAll()
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Quotas.List(context.Background()); err != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(0), failures.Load())
	assert.Equal(t, int32(2), f.iamCalls.Load(), "one initial token, one refresh for 30 concurrent 401s")
}
