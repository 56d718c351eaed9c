package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	sibyl "github.com/sibyl-dev/sibyl/packages/sdk-go"
	"github.com/sibyl-dev/sibyl/packages/sdk-go/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// sendCatalog sends the session's catalog with the server key, as the conformance suite does.
func sendCatalog(t *testing.T, server *testserver.Server, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var script struct {
		Catalog []json.RawMessage `json:"catalog"`
	}
	if err := json.Unmarshal(data, &script); err != nil {
		t.Fatal(err)
	}
	shop, err := sibyl.New(sibyl.Config{BaseURL: server.URL, Key: testserver.ServerKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range script.Catalog {
		event, err := sibyl.UnmarshalEvent(raw)
		if err != nil {
			t.Fatalf("catalog event %s: %v", raw, err)
		}
		if err := shop.Track(context.Background(), event); err != nil {
			t.Fatal(err)
		}
	}
	if err := shop.Close(context.Background()); err != nil {
		t.Fatalf("sending the catalog: %v", err)
	}
}

func playPhase(t *testing.T, server *testserver.Server, session, visitor, phase string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run([]string{"--base-url", server.URL, "--key", testserver.TrackingKey, "--session", session,
		"--visitor", visitor, "--phase", phase}, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestThePlayerTracksTheSessionThenPrintsOneLinePerRequest(t *testing.T) {
	server := testserver.Start(t)
	sendCatalog(t, server, "testdata/session.json")
	if code, _, stderr := playPhase(t, server, "testdata/session.json", "go-pl-1", "track"); code != 0 {
		t.Fatalf("track phase exited %d: %s", code, stderr)
	}
	code, stdout, stderr := playPhase(t, server, "testdata/session.json", "go-pl-1", "recommend")
	if code != 0 {
		t.Fatalf("recommend phase exited %d: %s", code, stderr)
	}
	var lines []played
	for _, text := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var line played
		if err := json.Unmarshal([]byte(text), &line); err != nil {
			t.Fatalf("output line %q: %v", text, err)
		}
		lines = append(lines, line)
	}
	want := []played{
		// The visitor's views, newest first: "$VISITOR" was replaced, or they would belong to someone else.
		{Placement: "recently_viewed", Items: []string{"pl-mat", "pl-tent"}},
	}
	if len(lines) != 2 || !reflect.DeepEqual(lines[0], want[0]) {
		t.Fatalf("output %q, want two lines, the first %+v", stdout, want[0])
	}
	if lines[1].Placement != "product_page_similar" || len(lines[1].Items) == 0 || lines[1].Items[0] != "pl-stove" {
		t.Errorf("product_page_similar gave %v, want pl-stove first (viewed with pl-tent by another visitor; pl-mat "+
			"is in this visitor's cart)", lines[1].Items)
	}
}

func TestTheTrackPhaseFailsWhenTheServerRejectsAnEvent(t *testing.T) {
	server := testserver.Start(t)
	code, _, stderr := playPhase(t, server, "testdata/session-rejected.json", "go-pl-2", "track")
	if code != 1 || !strings.Contains(stderr, "/event_type") || !strings.Contains(stderr, "ItemUpsert") {
		t.Fatalf("track phase exited %d with %q, want 1 naming the rejected ItemUpsert", code, stderr)
	}
}

func TestAWrongCommandLineExitsWith2(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--base-url", "http://127.0.0.1:1", "--key", "k", "--session", "s.json", "--visitor", "v", "--phase", "sing"},
		{"--base-url", "http://127.0.0.1:1", "--key", "k", "--session", "s.json", "--visitor", "v", "--phase", "track", "extra"},
		{"--unknown"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "usage:") {
			t.Errorf("run(%q) = %d, %q; want 2 and the usage", args, code, stderr.String())
		}
	}
}
