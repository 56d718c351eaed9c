package sibyl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBatchesAreSentWhenFullAndTheRestOnFlush(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{Key: "pk_batches", BatchSize: 3, FlushInterval: time.Hour})
	for i := range 7 {
		track(t, c, event("ann", fmt.Sprintf("i%d", i)))
	}
	// Two full batches go without a Flush; the seventh event waits for one (the interval is an hour).
	first, second := <-f.arrived, <-f.arrived
	if len(first.events) != 3 || len(second.events) != 3 {
		t.Fatalf("full batches: got %d and %d events, want 3 and 3", len(first.events), len(second.events))
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	requests := f.all()
	if len(requests) != 3 {
		t.Fatalf("got %d requests, want 3", len(requests))
	}
	if got, want := items(requests), []string{"i0", "i1", "i2", "i3", "i4", "i5", "i6"}; !reflect.DeepEqual(got, want) {
		t.Errorf("events sent %v, want %v in order", got, want)
	}
	for _, r := range requests {
		if r.path != "/v1/events" {
			t.Errorf("path %q, want /v1/events", r.path)
		}
		if got := r.header.Get("Content-Type"); got != "application/x-ndjson" {
			t.Errorf("Content-Type %q, want application/x-ndjson", got)
		}
		if got := r.header.Get("Authorization"); got != "Bearer pk_batches" {
			t.Errorf("Authorization %q, want Bearer pk_batches", got)
		}
		if got := r.header.Get("User-Agent"); got != "sibyl-go/"+Version {
			t.Errorf("User-Agent %q, want sibyl-go/%s", got, Version)
		}
		if !strings.HasSuffix(string(r.body), "}\n") || strings.Count(string(r.body), "\n") != len(r.events) {
			t.Errorf("body is not one line per event, each ending in a newline: %q", r.body)
		}
	}
}

func TestEveryEventGetsItsOwnEventIDAndKeepsOneItHas(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{})
	own := event("ann", "tent")
	own.EventID = Ptr("shop-42")
	track(t, c, event("ann", "a"), event("ann", "b"), own)
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	events := f.all()[0].events
	ids := map[string]bool{}
	for _, e := range events {
		id, _ := e["event_id"].(string)
		if id == "" || ids[id] {
			t.Fatalf("event_id %q missing or repeated in %v", id, events)
		}
		ids[id] = true
	}
	if events[2]["event_id"] != "shop-42" {
		t.Errorf("the event's own event_id became %v", events[2]["event_id"])
	}
}

func TestABatchIsSentWhenItsOldestEventHasWaitedFlushInterval(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{BatchSize: 100, FlushInterval: 20 * time.Millisecond})
	track(t, c, event("ann", "a"), event("ann", "b"))
	// No Flush: only the interval can send these.
	got := <-f.arrived
	if len(got.events) != 2 {
		t.Fatalf("the interval sent %d events, want 2", len(got.events))
	}
	track(t, c, event("ann", "c"))
	if got := <-f.arrived; len(got.events) != 1 {
		t.Fatalf("the second interval sent %d events, want 1", len(got.events))
	}
}

func TestBatchesStayUnderMaxBatchBytes(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{MaxBatchBytes: 300, FlushInterval: time.Hour})
	large := event("ann", strings.Repeat("x", 400))
	track(t, c, event("ann", "a"), event("ann", "b"), large, event("ann", "c"))
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	var sizes []int
	for _, r := range f.all() {
		sizes = append(sizes, len(r.events))
		if len(r.events) > 1 && len(r.body) > 300 {
			t.Errorf("a batch of %d events has %d bytes, over MaxBatchBytes", len(r.events), len(r.body))
		}
	}
	// The large event overflows any batch, so it travels alone; the ones around it are not held back for it.
	if want := []int{2, 1, 1}; !reflect.DeepEqual(sizes, want) {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
}

func TestFlushWithNothingQueuedSendsNothing(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{})
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if n := len(f.all()); n != 0 {
		t.Errorf("%d requests for an empty flush", n)
	}
}

func TestTrackWaitsForRoomWhenTheQueueIsFullUntilItsContextEnds(t *testing.T) {
	release := make(chan struct{})
	hold := func(w http.ResponseWriter, r *received) {
		<-release
		acceptAll(w, r)
	}
	f := newFakeServer(t, hold)
	c, _ := f.client(Config{BatchSize: 1, QueueSize: 2, FlushInterval: time.Hour})
	track(t, c, event("ann", "sent-first"))
	<-f.arrived // the sender is now stuck on the first batch, so the queue can fill up
	track(t, c, event("ann", "queued-1"), event("ann", "queued-2"))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Track(ctx, event("ann", "refused"))
	if !errors.Is(err, ErrQueueFull) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Track on a full queue with a cancelled context: %v, want ErrQueueFull and context.Canceled", err)
	}

	waited := make(chan error, 1)
	go func() { waited <- c.Track(context.Background(), event("ann", "waited")) }()
	select {
	case err := <-waited:
		t.Fatalf("Track returned (%v) while the queue was still full", err)
	default:
	}
	close(release)
	if err := <-waited; err != nil {
		t.Fatalf("the waiting Track: %v", err)
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got, want := items(f.all()), []string{"sent-first", "queued-1", "queued-2", "waited"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sent %v, want %v: the refused event must not be sent, the waiting one must", got, want)
	}
}

func TestManyGoroutinesTrackEveryEventExactlyOnce(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{BatchSize: 37, QueueSize: 50, FlushInterval: time.Millisecond})
	const goroutines, each = 8, 150
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := c.Track(context.Background(), event("ann", fmt.Sprintf("g%d-%d", g, i))); err != nil {
					t.Errorf("Track: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := c.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	seen := map[string]int{}
	for _, id := range items(f.all()) {
		seen[id]++
	}
	if len(seen) != goroutines*each {
		t.Fatalf("%d distinct events arrived, want %d", len(seen), goroutines*each)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
}
