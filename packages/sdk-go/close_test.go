package sibyl

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestCloseSendsWhatIsQueuedThenRefusesEverything(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{FlushInterval: time.Hour})
	track(t, c, event("ann", "a"), event("ann", "b"))
	if err := c.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := items(f.all()); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("Close sent %v, want [a b]", got)
	}
	if err := c.Track(context.Background(), event("ann", "late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Track after Close: %v, want ErrClosed", err)
	}
	if err := c.Flush(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Flush after Close: %v, want ErrClosed", err)
	}
	if _, err := c.Recommend(context.Background(), RecoRequest{Placement: "trending"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Recommend after Close: %v, want ErrClosed", err)
	}
	if err := c.Close(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("a second Close: %v, want ErrClosed", err)
	}
}

func TestCloseReleasesATrackWaitingForRoom(t *testing.T) {
	release := make(chan struct{})
	f := newFakeServer(t, func(w http.ResponseWriter, r *received) {
		<-release
		acceptAll(w, r)
	})
	c, _ := f.client(Config{BatchSize: 1, QueueSize: 1, FlushInterval: time.Hour})
	track(t, c, event("ann", "a"))
	<-f.arrived
	track(t, c, event("ann", "b"))
	waiting := make(chan error, 1)
	go func() { waiting <- c.Track(context.Background(), event("ann", "c")) }()
	closed := make(chan error, 1)
	go func() { closed <- c.Close(context.Background()) }()
	if err := <-waiting; !errors.Is(err, ErrClosed) {
		t.Fatalf("the waiting Track: %v, want ErrClosed", err)
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := items(f.all()); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("sent %v, want [a b]", got)
	}
}

func TestCloseWhoseContextEndsCancelsTheSendsAndSaysWhatWasLost(t *testing.T) {
	stuck := make(chan struct{})
	hang := func(w http.ResponseWriter, r *received) { <-stuck }
	f := newFakeServer(t, hang)
	// Cleanups run last first: the handler must be released before the server's Close waits for it.
	t.Cleanup(func() { close(stuck) })
	c, _ := f.client(Config{BatchSize: 2, FlushInterval: time.Hour})
	track(t, c, event("ann", "a"), event("ann", "b"), event("ann", "c"))
	<-f.arrived
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Close(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Close: %v, want context.Canceled", err)
	}
	var flushErr *FlushError
	if !errors.As(err, &flushErr) {
		t.Fatalf("Close: %v, want a *FlushError naming the unsent batches", err)
	}
	unsent := 0
	for _, batch := range flushErr.Batches {
		var retryErr *RetryError
		if !errors.As(batch, &retryErr) || !errors.Is(retryErr, context.Canceled) {
			t.Errorf("batch error %v, want a *RetryError stopped by context.Canceled", batch)
		}
		unsent += batch.Events
	}
	if unsent != 3 {
		t.Errorf("%d events reported unsent, want 3", unsent)
	}
}

func TestFlushReturnsWhenItsContextEndsWhileTheBatchIsStillSent(t *testing.T) {
	release := make(chan struct{})
	f := newFakeServer(t, func(w http.ResponseWriter, r *received) {
		<-release
		acceptAll(w, r)
	})
	c, _ := f.client(Config{FlushInterval: time.Hour})
	track(t, c, event("ann", "a"))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-f.arrived
		cancel()
	}()
	if err := c.Flush(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Flush: %v, want context.Canceled", err)
	}
	close(release)
	if err := c.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := items(f.all()); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("sent %v, want [a] exactly once", got)
	}
}

func TestAFailureAnAbandonedFlushWouldHaveReportedGoesToTheNextOne(t *testing.T) {
	release := make(chan struct{})
	f := newFakeServer(t, func(w http.ResponseWriter, r *received) {
		<-release
		report(400, 1)(w, r)
	})
	c, _ := f.client(Config{FlushInterval: time.Hour})
	track(t, c, event("ann", "a"))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-f.arrived
		cancel()
	}()
	if err := c.Flush(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Flush: %v, want context.Canceled", err)
	}
	close(release)
	var flushErr *FlushError
	if err := c.Flush(context.Background()); !errors.As(err, &flushErr) || len(flushErr.Rejected()) != 1 {
		t.Fatalf("the next Flush: %v, want the rejection the abandoned one did not wait for", err)
	}
}
