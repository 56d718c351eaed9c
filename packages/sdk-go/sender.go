package sibyl

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

const eventsPath = "/v1/events"

// sender is the state of the background goroutine: the batch being filled and its flush timer.
type sender struct {
	c      *Client
	batch  []preparedEvent
	bytes  int
	timer  *time.Timer
	timerC <-chan time.Time
}

func (c *Client) run() {
	defer close(c.done)
	s := &sender{c: c}
	for {
		select {
		case event := <-c.queue:
			s.add(event)
		case <-s.timerC:
			s.send()
		case sent := <-c.flushes:
			// Only what is queued now: events tracked after Flush was called are not its business, and other
			// goroutines tracking without pause must not keep it from returning.
			for n := len(c.queue); n > 0; n-- {
				s.add(<-c.queue)
			}
			s.send()
			sent <- struct{}{}
		case stopped := <-c.stop:
			// Close has marked the client closed, so nothing is added to the queue any more.
			for len(c.queue) > 0 {
				s.add(<-c.queue)
			}
			s.send()
			stopped <- struct{}{}
			return
		}
	}
}

// add puts an event into the batch, sending the batch first if the event would overflow it and after if the
// event filled it. The flush timer starts with a batch's first event, so no event waits longer than FlushInterval.
func (s *sender) add(event preparedEvent) {
	size := len(event.line) + 1
	if len(s.batch) > 0 && s.bytes+size > s.c.cfg.MaxBatchBytes {
		s.send()
	}
	s.batch = append(s.batch, event)
	s.bytes += size
	if len(s.batch) == 1 {
		s.timer = time.NewTimer(s.c.cfg.FlushInterval)
		s.timerC = s.timer.C
	}
	if len(s.batch) >= s.c.cfg.BatchSize || s.bytes >= s.c.cfg.MaxBatchBytes {
		s.send()
	}
}

func (s *sender) send() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer, s.timerC = nil, nil
	}
	if len(s.batch) == 0 {
		return
	}
	batch := s.batch
	s.batch, s.bytes = nil, 0
	for _, failure := range s.c.deliver(s.c.sendCtx, batch) {
		if s.c.cfg.OnError != nil {
			s.c.cfg.OnError(failure)
		}
		s.c.recordFailure(failure)
	}
}

// deliver posts events as one NDJSON batch and returns the failures, none when every event was accepted. A
// batch the server finds too large (413) is split in two and each half sent, down to single events.
func (c *Client) deliver(ctx context.Context, events []preparedEvent) []*BatchError {
	var body bytes.Buffer
	for _, event := range events {
		body.Write(event.line)
		body.WriteByte('\n')
	}
	res, err := c.post(ctx, eventsPath, "application/x-ndjson", body.Bytes())
	if err != nil {
		return []*BatchError{{Events: len(events), Err: err}}
	}
	if res.status == http.StatusRequestEntityTooLarge && len(events) > 1 {
		half := len(events) / 2
		return append(c.deliver(ctx, events[:half]), c.deliver(ctx, events[half:])...)
	}
	// An IngestResult needs both accepted and rejected, so an ErrorBody (or a proxy's page) does not decode as one.
	var report IngestResult
	if json.Unmarshal(res.body, &report) != nil {
		apiErr := apiErrorOf(http.MethodPost, eventsPath, res)
		if res.status < 300 {
			apiErr.Message = "the answer is not an IngestResult: " + apiErr.Message
		}
		return []*BatchError{{Events: len(events), Err: apiErr}}
	}
	switch res.status {
	case http.StatusOK, http.StatusMultiStatus, http.StatusBadRequest, http.StatusForbidden:
	default:
		return []*BatchError{{Events: len(events), Err: apiErrorOf(http.MethodPost, eventsPath, res)}}
	}
	if len(report.Rejected) == 0 {
		return nil
	}
	failure := &BatchError{Events: len(events), Accepted: int(report.Accepted)}
	for _, line := range report.Rejected {
		rejected := RejectedEvent{Line: int(line.Line), Errors: line.Errors}
		if line.EventType != nil {
			rejected.EventType = *line.EventType
		}
		if line.Line >= 1 && line.Line <= int64(len(events)) {
			rejected.EventID = events[line.Line-1].eventID
			if rejected.EventType == "" {
				rejected.EventType = events[line.Line-1].eventType
			}
		}
		failure.Rejected = append(failure.Rejected, rejected)
	}
	return []*BatchError{failure}
}
