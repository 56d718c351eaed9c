package sibyl

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// report answers with an IngestResult that rejects the given lines.
func report(code int, rejectedLines ...int) answer {
	return func(w http.ResponseWriter, r *received) {
		var rejected []map[string]any
		for _, line := range rejectedLines {
			rejected = append(rejected, map[string]any{
				"line": line, "event_type": "DetailItemView",
				"errors": []map[string]any{{"pointer": "/item/item_id", "message": "must NOT have fewer than 1 characters"}},
			})
		}
		writeJSON(w, code, map[string]any{"accepted": len(r.events) - len(rejectedLines), "rejected": rejected})
	}
}

func TestRejectedLinesAreReportedWithTheirEventsAndNeverRetried(t *testing.T) {
	f := newFakeServer(t, report(207, 2))
	var mu sync.Mutex
	var seen []error
	c, slept := f.client(Config{FlushInterval: time.Hour, OnError: func(err error) {
		mu.Lock()
		seen = append(seen, err)
		mu.Unlock()
	}})
	second := event("ann", "b")
	second.EventID = Ptr("evt-second")
	track(t, c, event("ann", "a"), second, event("ann", "c"))
	err := c.Flush(context.Background())
	var flushErr *FlushError
	if !errors.As(err, &flushErr) {
		t.Fatalf("Flush: %v, want a *FlushError", err)
	}
	rejected := flushErr.Rejected()
	if len(rejected) != 1 {
		t.Fatalf("rejected %+v, want one event", rejected)
	}
	got := rejected[0]
	if got.Line != 2 || got.EventID != "evt-second" || got.EventType != "DetailItemView" ||
		len(got.Errors) != 1 || got.Errors[0].Pointer != "/item/item_id" {
		t.Errorf("rejected event %+v, want line 2, event_id evt-second and the server's pointer", got)
	}
	batch := flushErr.Batches[0]
	if batch.Events != 3 || batch.Accepted != 2 || batch.Err != nil {
		t.Errorf("batch %+v, want 3 events, 2 accepted, no transport error", batch)
	}
	for _, want := range []string{"1 of 3 events rejected", "line 2", "evt-second", "/item/item_id must NOT have fewer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error message %q lacks %q", err, want)
		}
	}
	if n := len(f.all()); n != 1 || len(*slept) != 0 {
		t.Errorf("%d requests and waits %v: a rejected line must not be retried", n, *slept)
	}
	if len(seen) != 1 || seen[0] != error(batch) {
		t.Errorf("OnError saw %v, want the batch error once", seen)
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Errorf("a second Flush reported %v again", err)
	}
}

func TestABatchRejectedWholeIsReportedLineByLine(t *testing.T) {
	for _, code := range []int{400, 403} {
		f := newFakeServer(t, report(code, 1, 2))
		c, _ := f.client(Config{})
		track(t, c, event("ann", "a"), event("ann", "b"))
		var flushErr *FlushError
		if err := c.Flush(context.Background()); !errors.As(err, &flushErr) {
			t.Fatalf("%d: Flush: %v, want a *FlushError", code, err)
		}
		if n := len(flushErr.Rejected()); n != 2 || flushErr.Batches[0].Accepted != 0 {
			t.Errorf("%d: %d rejected events, %d accepted; want 2 and 0", code, n, flushErr.Batches[0].Accepted)
		}
	}
}

func TestAnErrorBodyForTheWholeBatchIsAnAPIError(t *testing.T) {
	f := newFakeServer(t, func(w http.ResponseWriter, _ *received) {
		writeJSON(w, 400, map[string]any{"error": "empty_batch", "message": "the body holds no events",
			"errors": []map[string]any{{"pointer": "", "message": "holds no events"}}})
	})
	c, _ := f.client(Config{})
	track(t, c, event("ann", "a"))
	err := c.Flush(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != "empty_batch" || len(apiErr.Errors) != 1 {
		t.Fatalf("Flush: %v, want the *APIError of the ErrorBody", err)
	}
	if !strings.Contains(err.Error(), "(document) holds no events") {
		t.Errorf("message %q does not show the validation error", err)
	}
}

func TestAnAnswerThatIsNotJSONStillGivesStatusAndText(t *testing.T) {
	f := newFakeServer(t, func(w http.ResponseWriter, _ *received) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<html>proxy says hello</html>"))
	})
	c, _ := f.client(Config{})
	track(t, c, event("ann", "a"))
	err := c.Flush(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 200 || !strings.Contains(apiErr.Message, "not an IngestResult") ||
		!strings.Contains(apiErr.Message, "proxy says hello") {
		t.Fatalf("Flush: %v, want an *APIError saying the answer was not an ingest report", err)
	}
}

func TestFailuresKeptBetweenFlushesAreBounded(t *testing.T) {
	f := newFakeServer(t)
	f.fallback = status(401, "invalid_key", "")
	c, _ := f.client(Config{BatchSize: 1})
	for range maxKeptFailures + 3 {
		track(t, c, event("ann", "a"))
	}
	var flushErr *FlushError
	if err := c.Flush(context.Background()); !errors.As(err, &flushErr) {
		t.Fatalf("Flush: %v", err)
	}
	if len(flushErr.Batches) != maxKeptFailures || flushErr.Omitted != 3 {
		t.Errorf("kept %d failures and omitted %d, want %d and 3", len(flushErr.Batches), flushErr.Omitted, maxKeptFailures)
	}
	if !strings.Contains(flushErr.Error(), "and 3 more failed batches not kept") {
		t.Errorf("message %q does not count the omitted failures", flushErr.Error())
	}
}
