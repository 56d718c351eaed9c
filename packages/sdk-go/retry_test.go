package sibyl

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestRetriesHonourRetryAfterAndResendTheSameEvents(t *testing.T) {
	f := newFakeServer(t,
		status(503, "overloaded", "2"),
		status(429, "rate_limited", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)),
	)
	c, slept := f.client(Config{})
	track(t, c, event("ann", "a"), event("ann", "b"))
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	requests := f.all()
	if len(requests) != 3 {
		t.Fatalf("%d requests, want 3 (two refused, one accepted)", len(requests))
	}
	for _, r := range requests[1:] {
		if string(r.body) != string(requests[0].body) {
			t.Errorf("a retry sent a different body:\n%s\nthen\n%s", requests[0].body, r.body)
		}
	}
	if len(*slept) != 2 || (*slept)[0] != 2*time.Second {
		t.Fatalf("waits %v, want 2s (Retry-After: 2) then about an hour (an HTTP date)", *slept)
	}
	if hour := (*slept)[1]; hour < 59*time.Minute || hour > time.Hour {
		t.Errorf("Retry-After as an HTTP date an hour ahead gave a wait of %v", hour)
	}
}

func TestNetworkErrorsAreRetriedWithBackoff(t *testing.T) {
	f := newFakeServer(t, dropConnection, dropConnection)
	c, slept := f.client(Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	track(t, c, event("ann", "a"))
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if n := len(f.all()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
	for i, d := range *slept {
		if ceiling := 100 * time.Millisecond << i; d < 0 || d > ceiling {
			t.Errorf("wait %d was %v, want within [0, %v]", i+1, d, ceiling)
		}
	}
}

func TestBackoffIsFullJitterUnderAnExponentialCeiling(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", Key: "k", MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	for attempt, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond,
		4: 800 * time.Millisecond, 5: time.Second, 80: time.Second} {
		var low, high bool
		for range 2000 {
			d := c.backoff(attempt, 0)
			if d < 0 || d > ceiling {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", attempt, d, ceiling)
			}
			low = low || d < ceiling/4
			high = high || d > ceiling*3/4
		}
		if !low || !high {
			t.Errorf("attempt %d: 2000 waits did not spread over [0, %v]", attempt, ceiling)
		}
	}
	if d := c.backoff(3, 7*time.Second); d != 7*time.Second {
		t.Errorf("with Retry-After 7s the wait is %v", d)
	}
}

func TestRetriesAreBoundedAndTheLastErrorIsKept(t *testing.T) {
	f := newFakeServer(t, status(503, "overloaded", ""), status(503, "overloaded", ""), status(503, "overloaded", "3"))
	c, _ := f.client(Config{MaxAttempts: 3})
	track(t, c, event("ann", "a"), event("ann", "b"))
	err := c.Flush(context.Background())
	var flushErr *FlushError
	if !errors.As(err, &flushErr) || len(flushErr.Batches) != 1 {
		t.Fatalf("Flush: %v, want a *FlushError with one batch", err)
	}
	batch := flushErr.Batches[0]
	var retryErr *RetryError
	var apiErr *APIError
	if batch.Events != 2 || !errors.As(batch, &retryErr) || retryErr.Attempts != 3 || !errors.As(batch, &apiErr) {
		t.Fatalf("batch error %#v, want 2 events, a *RetryError after 3 attempts and the last *APIError", batch)
	}
	if apiErr.Status != 503 || apiErr.Code != "overloaded" || apiErr.RetryAfter != 3*time.Second || !apiErr.Retryable() {
		t.Errorf("last error %+v, want the third 503 with its Retry-After", apiErr)
	}
	if n := len(f.all()); n != 3 {
		t.Errorf("%d requests, want MaxAttempts = 3", n)
	}
}

func TestOtherStatusesAreNotRetried(t *testing.T) {
	for _, code := range []int{401, 404, 413, 415, 500, 502} {
		f := newFakeServer(t, status(code, "scripted", "1"))
		c, slept := f.client(Config{})
		track(t, c, event("ann", "a"))
		err := c.Flush(context.Background())
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != code || apiErr.Code != "scripted" || apiErr.Retryable() {
			t.Errorf("%d: Flush gave %v, want its *APIError", code, err)
		}
		if n := len(f.all()); n != 1 || len(*slept) != 0 {
			t.Errorf("%d: %d requests and waits %v, want one request and no retry", code, n, *slept)
		}
	}
}

func TestATooLargeBatchIsSplitUntilTheServerTakesIt(t *testing.T) {
	f := newFakeServer(t)
	f.fallback = func(w http.ResponseWriter, r *received) {
		if len(r.events) > 2 {
			status(413, "payload_too_large", "")(w, r)
			return
		}
		acceptAll(w, r)
	}
	c, _ := f.client(Config{FlushInterval: time.Hour})
	track(t, c, event("ann", "a"), event("ann", "b"), event("ann", "c"), event("ann", "d"), event("ann", "e"))
	if err := c.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	var accepted []string
	for _, r := range f.all() {
		if len(r.events) <= 2 {
			accepted = append(accepted, items([]*received{r})...)
		}
	}
	if want := []string{"a", "b", "c", "d", "e"}; !reflect.DeepEqual(accepted, want) {
		t.Errorf("accepted %v, want %v once each, in order", accepted, want)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"5":                             5 * time.Second,
		" 12 ":                          12 * time.Second,
		"0":                             0,
		"-3":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 12:00:30 GMT": 30 * time.Second,
		"Thu, 01 Jan 2026 11:00:00 GMT": 0,
		"999999999":                     24 * time.Hour,
	}
	for value, want := range cases {
		if got := parseRetryAfter(value, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", value, got, want)
		}
	}
}
