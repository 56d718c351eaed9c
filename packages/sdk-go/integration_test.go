package sibyl_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	sibyl "github.com/sibyl-dev/sibyl/packages/sdk-go"
	"github.com/sibyl-dev/sibyl/packages/sdk-go/internal/testserver"
)

func newClient(t *testing.T, baseURL, key string) *sibyl.Client {
	t.Helper()
	c, err := sibyl.New(sibyl.Config{BaseURL: baseURL, Key: key, MinBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

func mustTrack(t *testing.T, c *sibyl.Client, events ...sibyl.Event) {
	t.Helper()
	for _, event := range events {
		if err := c.Track(context.Background(), event); err != nil {
			t.Fatalf("Track(%T): %v", event, err)
		}
	}
}

func view(visitor, item string) sibyl.DetailItemView {
	return sibyl.DetailItemView{UserInfo: sibyl.UserInfo{VisitorID: visitor}, Item: sibyl.ItemRef{ItemID: item}}
}

func TestTrackedEventsShapeTheServersRecommendations(t *testing.T) {
	server := testserver.Start(t)
	shop := newClient(t, server.URL, testserver.ServerKey)
	for _, item := range []string{"it-tent", "it-mat", "it-stove"} {
		mustTrack(t, shop, sibyl.ItemUpsert{ItemID: item, Title: item, Categories: []string{"Outdoor"}})
	}
	mustTrack(t, shop, view("it-ann", "it-tent"), view("it-ann", "it-mat"))
	if err := shop.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	browser := newClient(t, server.URL, testserver.TrackingKey)
	answer, err := browser.Recommend(context.Background(), sibyl.RecoRequest{
		Placement:      "product_page_similar",
		UserInfo:       sibyl.UserInfo{VisitorID: "it-bob"},
		ContextItemIDs: []string{"it-tent"},
		Count:          sibyl.Ptr[int64](3),
	})
	if err != nil {
		t.Fatalf("Recommend: %v", err)
	}
	if answer.Placement != "product_page_similar" || answer.RecID == "" || len(answer.Items) == 0 {
		t.Fatalf("answer %+v", answer)
	}
	if first := answer.Items[0]; first.ItemID != "it-mat" || first.Strategy != "cooccurrence" {
		t.Errorf("first item %+v, want it-mat from co-occurrence with it-tent", first)
	}
}

func TestTheServersPerLineRejectionsReachTheCaller(t *testing.T) {
	server := testserver.Start(t)
	browser := newClient(t, server.URL, testserver.TrackingKey)
	invalid := view("rj-ann", "")
	invalid.EventID = sibyl.Ptr("rj-invalid")
	forbidden := sibyl.ItemUpsert{ItemID: "rj-item", Title: "a tracking key may not send this", EventID: sibyl.Ptr("rj-forbidden")}
	mustTrack(t, browser, view("rj-ann", "rj-ok"), invalid, forbidden)
	err := browser.Flush(context.Background())
	var flushErr *sibyl.FlushError
	if !errors.As(err, &flushErr) || len(flushErr.Batches) != 1 {
		t.Fatalf("Flush: %v, want a *FlushError with one batch", err)
	}
	batch := flushErr.Batches[0]
	if batch.Events != 3 || batch.Accepted != 1 || len(batch.Rejected) != 2 {
		t.Fatalf("batch %+v, want 3 events, 1 accepted, 2 rejected", batch)
	}
	want := []struct {
		line                   int
		id, eventType, pointer string
	}{
		{2, "rj-invalid", "DetailItemView", "/item/item_id"},
		{3, "rj-forbidden", "ItemUpsert", "/event_type"},
	}
	for i, w := range want {
		got := batch.Rejected[i]
		if got.Line != w.line || got.EventID != w.id || got.EventType != w.eventType || len(got.Errors) == 0 ||
			got.Errors[0].Pointer != w.pointer {
			t.Errorf("rejected %+v, want line %d, %s, %s at %s", got, w.line, w.id, w.eventType, w.pointer)
		}
	}
}

func TestABatchRetriedAfterItsAnswerWasLostIsCountedOnce(t *testing.T) {
	server := testserver.Start(t)
	target, _ := url.Parse(server.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var ingests atomic.Int32
	// The first ingest reaches the server, which applies it; the client gets a 503 instead of its answer, as
	// when a load balancer times out, and sends the batch again.
	lossy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/events" && ingests.Add(1) == 1 {
			recorder := httptest.NewRecorder()
			proxy.ServeHTTP(recorder, r)
			if recorder.Code != http.StatusOK {
				t.Errorf("the first attempt was answered %d: %s", recorder.Code, recorder.Body)
			}
			http.Error(w, `{"error":"upstream_timeout","message":"the answer was lost"}`, http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer lossy.Close()

	// Ids of this run's own: the server outlives one run of the test (go test -count).
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	visitor := "once-ann-" + run
	purchase := func(id string) sibyl.PurchaseComplete {
		id += "-" + run
		return sibyl.PurchaseComplete{
			EventID:     sibyl.Ptr(id),
			UserInfo:    sibyl.UserInfo{VisitorID: visitor},
			Items:       []sibyl.ItemRef{{ItemID: "once-boots", Quantity: sibyl.Ptr[int64](1)}},
			Transaction: sibyl.Transaction{ID: id, Revenue: 120, Currency: "EUR"},
		}
	}
	shop := newClient(t, lossy.URL, testserver.ServerKey)
	mustTrack(t, shop, purchase("once-order-1"))
	if err := shop.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if n := ingests.Load(); n != 2 {
		t.Fatalf("%d ingest requests, want 2 (the lost one and its retry)", n)
	}
	if got := boughtCount(t, server, visitor, "once-boots"); got != 1 {
		t.Fatalf("the purchase counts %d times after a retry, want 1", got)
	}
	// The count does see a second purchase: a different event_id is a different event.
	mustTrack(t, shop, purchase("once-order-2"))
	if err := shop.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got := boughtCount(t, server, visitor, "once-boots"); got != 2 {
		t.Fatalf("after a second purchase the count is %d, want 2", got)
	}
}

// boughtCount reads how many times the server has the visitor buying the item (GET /v1/visitors, server key).
func boughtCount(t *testing.T, server *testserver.Server, visitor, item string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, server.URL+"/v1/visitors/"+visitor, nil)
	req.Header.Set("Authorization", "Bearer "+testserver.ServerKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var inspection struct {
		Purchased []struct {
			ItemID string `json:"item_id"`
			Count  int    `json:"count"`
		} `json:"purchased"`
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/visitors/%s: %d", visitor, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(&inspection); err != nil {
		t.Fatal(err)
	}
	for _, p := range inspection.Purchased {
		if p.ItemID == item {
			return p.Count
		}
	}
	return 0
}

func TestTheServersErrorsAreAPIErrors(t *testing.T) {
	server := testserver.Start(t)
	browser := newClient(t, server.URL, testserver.TrackingKey)
	_, err := browser.Recommend(context.Background(), sibyl.RecoRequest{Placement: "no-such-placement",
		UserInfo: sibyl.UserInfo{VisitorID: "err-ann"}})
	var apiErr *sibyl.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != "unknown_placement" ||
		len(apiErr.Errors) == 0 || apiErr.Errors[0].Pointer != "/placement" {
		t.Errorf("Recommend of an unknown placement: %v, want a 404 unknown_placement at /placement", err)
	}

	stranger := newClient(t, server.URL, "pk_nobody_knows_this_key")
	mustTrack(t, stranger, view("err-ann", "err-item"))
	err = stranger.Flush(context.Background())
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Code != "invalid_key" {
		t.Errorf("Flush with an unknown key: %v, want a 401 invalid_key", err)
	}
}
