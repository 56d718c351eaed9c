package sibyl

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestEventIDsAreRandomVersion4UUIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 10_000 {
		id, err := newEventID()
		if err != nil {
			t.Fatal(err)
		}
		if !uuidV4.MatchString(id) {
			t.Fatalf("%q is not a version 4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("%q came twice", id)
		}
		seen[id] = true
	}
}

func TestPrepareEventAddsAnEventIDAndWritesOneLine(t *testing.T) {
	view := DetailItemView{UserInfo: UserInfo{VisitorID: "ann"},
		Item: ItemRef{ItemID: "line\nbreak <b>"}, EventTime: Ptr[int64](1790841600000)}
	prepared, err := prepareEvent(view)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(string(prepared.line), '\n') {
		t.Fatalf("the line holds a line break: %q", prepared.line)
	}
	var back map[string]any
	if err := json.Unmarshal(prepared.line, &back); err != nil {
		t.Fatal(err)
	}
	if back["event_id"] != prepared.eventID || !uuidV4.MatchString(prepared.eventID) ||
		back["event_type"] != "DetailItemView" || prepared.eventType != "DetailItemView" ||
		back["event_time"] != 1790841600000.0 || back["item"].(map[string]any)["item_id"] != "line\nbreak <b>" {
		t.Errorf("prepared %s (event_id %s)", prepared.line, prepared.eventID)
	}
	decoded, err := UnmarshalEvent(prepared.line)
	if err != nil {
		t.Fatalf("the prepared line does not decode back into its model: %v", err)
	}
	if got := decoded.(DetailItemView); got.Item != view.Item || *got.EventID != prepared.eventID {
		t.Errorf("decoded back %+v", got)
	}
}

func TestPrepareEventKeepsTheEventsOwnID(t *testing.T) {
	prepared, err := prepareEvent(HomePageView{UserInfo: UserInfo{VisitorID: "ann"}, EventID: Ptr("mine")})
	if err != nil {
		t.Fatal(err)
	}
	if prepared.eventID != "mine" || strings.Count(string(prepared.line), "event_id") != 1 {
		t.Errorf("prepared %s with id %q", prepared.line, prepared.eventID)
	}
}

// notAnObject is an Event whose JSON is not an object.
type notAnObject struct{}

func (notAnObject) EventType() string            { return "HomePageView" }
func (notAnObject) MarshalJSON() ([]byte, error) { return []byte(`["HomePageView"]`), nil }

func TestPrepareEventRefusesWhatItCannotSend(t *testing.T) {
	var nilView *HomePageView
	cases := map[string]Event{
		"nil":            nil,
		"a nil pointer":  nilView,
		"not an object":  notAnObject{},
		"empty event_id": HomePageView{UserInfo: UserInfo{VisitorID: "ann"}, EventID: Ptr("")},
	}
	for name, event := range cases {
		_, err := prepareEvent(event)
		var invalid *InvalidEventError
		if !errors.As(err, &invalid) {
			t.Errorf("%s: %v, want an *InvalidEventError", name, err)
		}
	}
}
