package sibyl

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrClosed is returned by Track, Flush and Recommend once Close has been called.
var ErrClosed = errors.New("sibyl: client is closed")

// ErrQueueFull is wrapped, together with the context's error, by Track when the queue stayed full until the
// context was done. errors.Is(err, ErrQueueFull) tells it apart from other failures.
var ErrQueueFull = errors.New("sibyl: event queue is full")

// ConfigError reports a Config that New cannot use.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("sibyl: invalid Config.%s: %s", e.Field, e.Reason)
}

// InvalidEventError reports an event Track or Recommend cannot send: it is nil, it does not marshal to a JSON
// object, or its event_id is empty.
type InvalidEventError struct {
	Reason string
	Err    error
}

func (e *InvalidEventError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("sibyl: cannot track event: %s: %v", e.Reason, e.Err)
	}
	return "sibyl: cannot track event: " + e.Reason
}

func (e *InvalidEventError) Unwrap() error { return e.Err }

// APIError is an answer of the server that is not a success: its HTTP status and the ErrorBody it sent.
type APIError struct {
	Method string
	Path   string
	Status int
	// Code is the ErrorBody's stable machine-readable code, e.g. "unknown_placement"; empty when the body was
	// not an ErrorBody (a proxy's error page, for instance).
	Code    string
	Message string
	// Errors are the validation errors, each with a JSON pointer into the request, when the server sent them.
	Errors []ValidationError
	// RetryAfter is the wait the server asked for with Retry-After (429 and 503), zero when it did not.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sibyl: %s %s: %d", e.Method, e.Path, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	writeValidationErrors(&b, e.Errors)
	return b.String()
}

// Retryable tells whether the request may succeed if sent again unchanged (429 and 503).
func (e *APIError) Retryable() bool { return retryableStatus(e.Status) }

// RetryError reports a request that was given up: every attempt failed with a retryable error, or the context
// was done before the next attempt. It unwraps to the last attempt's error (an *APIError or a network error)
// and, when the context stopped the retries, to the context's error.
type RetryError struct {
	Method   string
	Path     string
	Attempts int
	// Err is the last attempt's error.
	Err error
	// Stopped is the context's error when the context ended the retries, nil when the attempts ran out.
	Stopped error
}

func (e *RetryError) Error() string {
	if e.Stopped != nil {
		return fmt.Sprintf("sibyl: %s %s: stopped after %d attempts (%v); last error: %v",
			e.Method, e.Path, e.Attempts, e.Stopped, e.Err)
	}
	return fmt.Sprintf("sibyl: %s %s: gave up after %d attempts; last error: %v", e.Method, e.Path, e.Attempts, e.Err)
}

func (e *RetryError) Unwrap() []error {
	if e.Stopped != nil {
		return []error{e.Err, e.Stopped}
	}
	return []error{e.Err}
}

// RejectedEvent is one event the server refused, and why. It is never sent again: the event itself must change.
type RejectedEvent struct {
	// Line is the event's 1-based line in the batch that carried it.
	Line      int
	EventID   string
	EventType string
	// Errors say what to fix, each with a JSON pointer into the event.
	Errors []ValidationError
}

// BatchError reports a batch of events that was not entirely accepted: either the server answered with a
// per-line report naming the rejected events (Err is nil), or the whole batch failed (Err is the *APIError or
// *RetryError, and none of its events were accepted).
type BatchError struct {
	Events   int
	Accepted int
	Rejected []RejectedEvent
	Err      error
}

func (e *BatchError) Error() string {
	var b strings.Builder
	if e.Err != nil {
		fmt.Fprintf(&b, "sibyl: a batch of %d events was not delivered: %v", e.Events, e.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "sibyl: %d of %d events rejected", len(e.Rejected), e.Events)
	for i, r := range e.Rejected {
		if i == maxReportedEvents {
			fmt.Fprintf(&b, "; and %d more", len(e.Rejected)-i)
			break
		}
		fmt.Fprintf(&b, "; line %d (%s, event_id %s)", r.Line, orUnknown(r.EventType), r.EventID)
		writeValidationErrors(&b, r.Errors)
	}
	return b.String()
}

func (e *BatchError) Unwrap() error { return e.Err }

// FlushError gathers the batches that failed since the previous Flush (or Close). Its Unwrap gives each
// *BatchError, so errors.As finds the first one and errors.Is finds an *APIError's sentinel anywhere.
type FlushError struct {
	Batches []*BatchError
	// Omitted counts failed batches beyond those kept: the client keeps a bounded number between flushes.
	Omitted int
}

func (e *FlushError) Error() string {
	events := 0
	for _, batch := range e.Batches {
		events += batch.Events - batch.Accepted
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sibyl: %d events in %d batches were not accepted", events, len(e.Batches))
	if e.Omitted > 0 {
		fmt.Fprintf(&b, " (and %d more failed batches not kept)", e.Omitted)
	}
	for i, batch := range e.Batches {
		if i == maxReportedBatches {
			fmt.Fprintf(&b, "\n  … and %d more batches", len(e.Batches)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %v", batch)
	}
	return b.String()
}

func (e *FlushError) Unwrap() []error {
	errs := make([]error, len(e.Batches))
	for i, batch := range e.Batches {
		errs[i] = batch
	}
	return errs
}

// Rejected lists every event the server rejected, over all the failed batches.
func (e *FlushError) Rejected() []RejectedEvent {
	var all []RejectedEvent
	for _, batch := range e.Batches {
		all = append(all, batch.Rejected...)
	}
	return all
}

// Error messages stay readable however large a batch was; the full detail is in the fields.
const (
	maxReportedEvents  = 5
	maxReportedBatches = 5
)

func writeValidationErrors(b *strings.Builder, errs []ValidationError) {
	for i, v := range errs {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		pointer := v.Pointer
		if pointer == "" {
			pointer = "(document)"
		}
		fmt.Fprintf(b, "%s %s", pointer, v.Message)
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown event_type"
	}
	return s
}
