package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/providers/applehealth/exportgen"
	"github.com/wearables-go/wearables/server"
)

// TestUploadStreams uploads a generated 96 MB export through a pipe (never
// in memory on the client either) and checks that the heap never grows by
// more than half the export's size: the server streams the body into the
// importer.
func TestUploadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 96 MB")
	}
	const size = 96 << 20
	e := newEnv(t, envOpts{})
	tn := e.newTenant("upload@example.com")
	r := e.do("POST", "/api/v1/users", tn.key, map[string]any{"external_id": "uploader"})
	require.Equal(t, 201, r.status)
	var u struct{ ID string }
	r.json(t, &u)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()

	pr, pw := io.Pipe()
	var written atomic.Int64
	go func() {
		st, err := exportgen.Write(pw, exportgen.Config{Size: size})
		_ = st
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", e.url+"/api/v1/users/"+u.ID+"/imports/apple-health", &countingReader{r: pr, n: &written})
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tn.key)
	req.Header.Set("Content-Type", "application/xml")
	res, err := e.client.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	close(stop)
	<-sampled
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, string(body))
	var rep server.ImportReport
	require.NoError(t, json.Unmarshal(body, &rep))
	assert.Positive(t, rep.Written.Total().Inserted)
	assert.GreaterOrEqual(t, written.Load(), int64(size), "the whole export was sent")
	growth := int64(peak.Load()) - int64(base)
	t.Logf("uploaded %d MB, %d records; peak heap growth %d MB", written.Load()>>20, rep.Written.Total().Inserted, growth>>20)
	assert.Less(t, growth, int64(size/2), "the upload is streamed, not buffered")
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
