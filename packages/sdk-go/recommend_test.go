package sibyl

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestRecommendSendsTheRequestAndDecodesTheAnswer(t *testing.T) {
	f := newFakeServer(t, func(w http.ResponseWriter, _ *received) {
		writeJSON(w, 200, map[string]any{"rec_id": "r-9", "placement": "product_page_similar", "items": []map[string]any{
			{"item_id": "mat", "score": 0.9, "strategy": "cooccurrence", "context_item_id": "tent"},
			{"item_id": "stove", "score": 0.4, "strategy": "popular"},
		}})
	})
	c, _ := f.client(Config{Key: "pk_reco"})
	answer, err := c.Recommend(context.Background(), RecoRequest{
		Placement:      "product_page_similar",
		UserInfo:       UserInfo{VisitorID: "bob"},
		ContextItemIDs: []string{"tent"},
		Count:          Ptr[int64](2),
	})
	if err != nil {
		t.Fatalf("Recommend: %v", err)
	}
	if answer.RecID != "r-9" || len(answer.Items) != 2 || answer.Items[0].ItemID != "mat" ||
		*answer.Items[0].ContextItemID != "tent" || answer.Items[1].Score != 0.4 {
		t.Errorf("answer %+v", answer)
	}
	sent := f.all()[0]
	if sent.path != "/v1/recommend" || sent.header.Get("Content-Type") != "application/json" ||
		sent.header.Get("Authorization") != "Bearer pk_reco" {
		t.Errorf("request %s with headers %v", sent.path, sent.header)
	}
	var body map[string]any
	if err := json.Unmarshal(sent.body, &body); err != nil {
		t.Fatal(err)
	}
	id, _ := body["event_id"].(string)
	if body["event_type"] != "RecoRequest" || len(id) != 36 || body["placement"] != "product_page_similar" ||
		!reflect.DeepEqual(body["context_item_ids"], []any{"tent"}) || body["count"] != 2.0 {
		t.Errorf("request body %s", sent.body)
	}
}

func TestARetriedRecommendCarriesTheSameEventID(t *testing.T) {
	f := newFakeServer(t, status(503, "recovering", "1"), dropConnection)
	c, slept := f.client(Config{})
	if _, err := c.Recommend(context.Background(), RecoRequest{Placement: "trending", UserInfo: UserInfo{VisitorID: "v"}}); err != nil {
		t.Fatalf("Recommend: %v", err)
	}
	requests := f.all()
	if len(requests) != 3 || string(requests[0].body) != string(requests[2].body) {
		t.Fatalf("%d requests; the retries must resend the same body with its event_id", len(requests))
	}
	if (*slept)[0] != time.Second {
		t.Errorf("waits %v, want Retry-After's 1s first", *slept)
	}
}

func TestSmartSearchSendsASmartSearchRequest(t *testing.T) {
	f := newFakeServer(t)
	c, _ := f.client(Config{})
	request := SmartSearchRequest{Query: "tent", ResultItemIDs: []string{"a", "b"}, UserInfo: UserInfo{VisitorID: "v"},
		EventID: Ptr("search-1")}
	if _, err := c.SmartSearch(context.Background(), request); err != nil {
		t.Fatalf("SmartSearch: %v", err)
	}
	var body map[string]any
	if err := json.Unmarshal(f.all()[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if body["event_type"] != "SmartSearchRequest" || body["event_id"] != "search-1" {
		t.Errorf("request body %v", body)
	}
}

func TestRecommendErrorsCarryTheServersPointers(t *testing.T) {
	f := newFakeServer(t, func(w http.ResponseWriter, _ *received) {
		writeJSON(w, 404, map[string]any{"error": "unknown_placement", "message": `no placement "nope"`,
			"errors": []map[string]any{{"pointer": "/placement", "message": `no placement "nope"`}}})
	})
	c, slept := f.client(Config{})
	_, err := c.Recommend(context.Background(), RecoRequest{Placement: "nope", UserInfo: UserInfo{VisitorID: "v"}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != "unknown_placement" ||
		apiErr.Errors[0].Pointer != "/placement" || apiErr.Path != "/v1/recommend" {
		t.Fatalf("Recommend: %v, want the 404 *APIError", err)
	}
	if len(*slept) != 0 || len(f.all()) != 1 {
		t.Errorf("a 404 was retried")
	}
}

func TestRecommendStopsWhenItsContextIsCancelled(t *testing.T) {
	stuck := make(chan struct{})
	f := newFakeServer(t, func(http.ResponseWriter, *received) { <-stuck })
	t.Cleanup(func() { close(stuck) })
	c, _ := f.client(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-f.arrived
		cancel()
	}()
	_, err := c.Recommend(ctx, RecoRequest{Placement: "trending", UserInfo: UserInfo{VisitorID: "v"}})
	var retryErr *RetryError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &retryErr) || retryErr.Attempts != 1 {
		t.Fatalf("Recommend: %v, want context.Canceled after one attempt", err)
	}
	if len(f.all()) != 1 {
		t.Errorf("a cancelled request was retried")
	}
}

func TestRecommendGivesUpAtOnceWhenRetryAfterOutlivesTheDeadline(t *testing.T) {
	f := newFakeServer(t, status(503, "overloaded", "7200"))
	c, slept := f.client(Config{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	_, err := c.Recommend(ctx, RecoRequest{Placement: "trending", UserInfo: UserInfo{VisitorID: "v"}})
	var apiErr *APIError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &apiErr) || apiErr.RetryAfter != 2*time.Hour {
		t.Fatalf("Recommend: %v, want DeadlineExceeded with the 503's Retry-After", err)
	}
	if len(*slept) != 0 {
		t.Errorf("waited %v although the deadline came first", *slept)
	}
}
