package fgs

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// BenchmarkSign signs a PUT with a JSON body, as every AK/SK request is signed.
func BenchmarkSign(b *testing.B) {
	s := Signer{AccessKey: "QTWAOYTTINDUT2QVKYUC", SecretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"}
	body := bytes.Repeat([]byte(`{"max_instance_num":10}`), 40)
	now := time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)
	url := "https://functiongraph.eu-de.otc.t-systems.com/v2/0c4a9a1e2b3f4d5e6f708192a3b4c5d6/fgs/functions/urn:fss:eu-de:0c4a9a1e2b3f4d5e6f708192a3b4c5d6:function:default:hello:latest/config"
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if err := s.Sign(req, body, now); err != nil {
			b.Fatal(err)
		}
	}
}
