package sibyl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// received is one request the fake server got.
type received struct {
	path   string
	header http.Header
	body   []byte
	// events are the NDJSON lines of an ingest request, decoded.
	events []map[string]any
}

// answer writes the fake server's response to one request.
type answer func(w http.ResponseWriter, r *received)

// fakeServer is an httptest server that records every request and answers with the next scripted answer, or
// with its fallback once the script has run out.
type fakeServer struct {
	t        *testing.T
	server   *httptest.Server
	mu       sync.Mutex
	script   []answer
	fallback answer
	requests []*received
	// arrived gets every request as it comes, for tests that wait for the background sender.
	arrived chan *received
}

func newFakeServer(t *testing.T, script ...answer) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, script: script, fallback: acceptAll, arrived: make(chan *received, 1024)}
	f.server = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.server.Close)
	return f
}

func (f *fakeServer) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("fake server: reading the body: %v", err)
		return
	}
	got := &received{path: r.URL.Path, header: r.Header.Clone(), body: body}
	if r.URL.Path == eventsPath {
		scanner := bufio.NewScanner(bytes.NewReader(body))
		scanner.Buffer(nil, 16<<20)
		for scanner.Scan() {
			var event map[string]any
			if err := json.Unmarshal(scanner.Bytes(), &event); err != nil {
				f.t.Errorf("fake server: an NDJSON line is not a JSON object: %q: %v", scanner.Text(), err)
			}
			got.events = append(got.events, event)
		}
	}
	f.mu.Lock()
	f.requests = append(f.requests, got)
	var next answer
	if len(f.script) > 0 {
		next, f.script = f.script[0], f.script[1:]
	}
	f.mu.Unlock()
	f.arrived <- got
	if next == nil {
		next = f.fallback
	}
	next(w, got)
}

func (f *fakeServer) all() []*received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*received(nil), f.requests...)
}

// client is a Client of the fake server whose waits between attempts are recorded instead of slept.
func (f *fakeServer) client(cfg Config) (*Client, *[]time.Duration) {
	f.t.Helper()
	cfg.BaseURL = f.server.URL
	if cfg.Key == "" {
		cfg.Key = "pk_test"
	}
	c, err := New(cfg)
	if err != nil {
		f.t.Fatalf("New: %v", err)
	}
	var mu sync.Mutex
	slept := &[]time.Duration{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*slept = append(*slept, d)
		mu.Unlock()
		return ctx.Err()
	}
	f.t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c, slept
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func acceptAll(w http.ResponseWriter, r *received) {
	if r.path == recommendPath {
		writeJSON(w, 200, map[string]any{"rec_id": "r-1", "placement": "trending", "items": []any{}})
		return
	}
	writeJSON(w, 200, map[string]any{"accepted": len(r.events), "rejected": []any{}})
}

// status answers with an ErrorBody and, when retryAfter is not empty, a Retry-After header.
func status(code int, errorCode, retryAfter string) answer {
	return func(w http.ResponseWriter, _ *received) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		writeJSON(w, code, map[string]any{"error": errorCode, "message": "scripted " + errorCode})
	}
}

// dropConnection closes the connection without an answer: a network error for the client.
func dropConnection(w http.ResponseWriter, _ *received) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

// event is a valid behaviour event for a visitor and an item.
func event(visitor, item string) DetailItemView {
	return DetailItemView{UserInfo: UserInfo{VisitorID: visitor}, Item: ItemRef{ItemID: item}}
}

func track(t *testing.T, c *Client, events ...Event) {
	t.Helper()
	for _, e := range events {
		if err := c.Track(context.Background(), e); err != nil {
			t.Fatalf("Track(%v): %v", e, err)
		}
	}
}

// items lists the item ids of the events of the requests, in the order sent.
func items(requests []*received) []string {
	var ids []string
	for _, r := range requests {
		for _, e := range r.events {
			ids = append(ids, e["item"].(map[string]any)["item_id"].(string))
		}
	}
	return ids
}
