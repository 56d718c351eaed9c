package sibyl

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// newEventID returns a random (version 4) UUID. crypto/rand makes two clients picking the same id, and so one
// event silently deduplicating another, practically impossible.
func newEventID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("sibyl: reading random bytes for an event_id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:]), nil
}

// preparedEvent is an event ready for a batch: one line of compact JSON that carries an event_id.
type preparedEvent struct {
	line      []byte
	eventID   string
	eventType string
}

// prepareEvent marshals an event and gives it an event_id when it has none, so that the id is fixed before the
// event is queued and every retry of its batch carries the same one.
func prepareEvent(event Event) (preparedEvent, error) {
	if event == nil {
		return preparedEvent{}, &InvalidEventError{Reason: "the event is nil"}
	}
	raw, err := json.Marshal(event)
	if err != nil {
		return preparedEvent{}, &InvalidEventError{Reason: "it does not marshal to JSON", Err: err}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return preparedEvent{}, &InvalidEventError{Reason: "it must marshal to a JSON object, not " + excerpt(raw, 80), Err: err}
	}
	var eventID string
	if value, present := fields["event_id"]; present {
		if err := json.Unmarshal(value, &eventID); err != nil || eventID == "" {
			return preparedEvent{}, &InvalidEventError{Reason: "its event_id must be a non-empty string, not " + excerpt(value, 80)}
		}
		// The JSON is already compact (Marshal compacts what a MarshalJSON method writes), so one line of NDJSON.
		return preparedEvent{line: raw, eventID: eventID, eventType: event.EventType()}, nil
	}
	if eventID, err = newEventID(); err != nil {
		return preparedEvent{}, err
	}
	fields["event_id"], _ = json.Marshal(eventID)
	line, err := json.Marshal(fields)
	if err != nil {
		return preparedEvent{}, &InvalidEventError{Reason: "it does not marshal to JSON", Err: err}
	}
	return preparedEvent{line: line, eventID: eventID, eventType: event.EventType()}, nil
}

// excerpt is the start of a value, at most n characters, for an error message.
func excerpt(raw []byte, n int) string {
	if runes := []rune(string(raw)); len(runes) > n {
		return string(runes[:n]) + "…"
	}
	return string(raw)
}
