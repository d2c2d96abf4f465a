package fgs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignerVectors(t *testing.T) {
	s := Signer{AccessKey: "QTWAOYTTINDUT2QVKYUC", SecretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"}
	now := time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)
	const prefix = "SDK-HMAC-SHA256 Credential=QTWAOYTTINDUT2QVKYUC/20261122///sdk_request, SignedHeaders=accept;content-type;host;x-sdk-date, Signature="
	cases := []struct {
		name, method, url, body, sig string
	}{
		{"list", "GET", "https://functiongraph.eu-de.otc.t-systems.com/v2/0c4a9a1e2b3f4d5e6f708192a3b4c5d6/fgs/functions?maxitems=400&marker=0", "",
			"1cd6808cc58608584985d8ce3d14cd79f1414960fa44e4d7a783a75db451a984"},
		{"create", "POST", "https://functiongraph.eu-de.otc.t-systems.com/v2/0c4a9a1e2b3f4d5e6f708192a3b4c5d6/fgs/functions",
			`{"func_name":"hello","package":"default","runtime":"Python3.9","handler":"index.handler","memory_size":128,"timeout":30,"code_type":"inline"}`,
			"ccbd6280c68811b5b8bffd3d58678433a34239c96893d6ad9203aee7d71615c9"},
		{"maxinst", "PUT", "https://functiongraph.eu-de.otc.t-systems.com/v2/0c4a9a1e2b3f4d5e6f708192a3b4c5d6/fgs/functions/urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello:latest/config-max-instance",
			`{"max_instance_num":10}`,
			"7e5e2037bef8be6f4f94a3538e8d07db8f0a41494a738c1867edd63c6c16a646"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.body != "" {
				body = []byte(tc.body)
			}
			req, err := http.NewRequest(tc.method, tc.url, bytes.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			require.NoError(t, s.Sign(req, body, now))
			assert.Equal(t, prefix+tc.sig, req.Header.Get("Authorization"))
			assert.Equal(t, "20261122T083000Z", req.Header.Get("X-Sdk-Date"))
		})
	}
}

func TestSignerPostWithoutBodyHashesQuery(t *testing.T) {
	req, err := http.NewRequest("POST", "https://fg.example/v2/p/fgs/functions/u/snapshots/enable?a=1&b=2", nil)
	require.NoError(t, err)
	canon, signed := canonicalRequest(req, nil)
	assert.Equal(t, "", signed)
	sum := sha256.Sum256([]byte("a=1&b=2"))
	assert.True(t, strings.HasSuffix(canon, "\n"+hex.EncodeToString(sum[:])))
}
