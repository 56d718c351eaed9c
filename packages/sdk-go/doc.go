// Package sibyl is the Go client of Sibyl, the real-time, event-sourced recommendation engine.
//
// A Client sends events to a Sibyl server in the background and asks it for recommendations:
//
//   - Track puts one event on a bounded queue and returns at once; a background sender posts the queue as NDJSON
//     batches when a batch is full or the oldest queued event has waited FlushInterval.
//   - Flush waits until every event tracked before it has been answered by the server, and reports the events the
//     server rejected; Close flushes and stops the sender.
//   - Recommend asks a placement for recommendations.
//
// Every event gets an event_id before it is queued (a random UUID unless it has one), so a batch that is retried
// after a lost answer is never counted twice: the server applies an event_id once. Requests are retried only on
// 429, 503 and network errors, with exponential backoff and full jitter, honouring Retry-After; lines the server
// rejected are reported, never retried.
//
// The event and API types (AddToCart, RecoRequest, RecoResponse, ValidationError …) are generated from Sibyl's
// JSON Schemas into models.go.
package sibyl
