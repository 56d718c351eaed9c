package sibyl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"
)

// Client sends events to a Sibyl server in the background and asks it for recommendations. It is safe for use
// by many goroutines. Create it with New and end it with Close, which sends what is still queued.
type Client struct {
	cfg  Config
	base *url.URL
	// sleep waits between attempts; tests replace it to observe the delays without waiting them out.
	sleep func(context.Context, time.Duration) error

	queue   chan preparedEvent
	flushes chan chan struct{}
	stop    chan chan struct{}
	// closing is closed when Close starts, so a Track waiting for room in the queue gives up at once.
	closing chan struct{}
	// sendCtx bounds the background sends; Close cancels it when its own context ends before the queue is empty.
	sendCtx    context.Context
	cancelSend context.CancelFunc

	// mu orders Track against Close: Track enqueues under the read lock, Close marks the client closed under the
	// write lock, so no event can slip into the queue after the sender's last drain.
	mu        sync.RWMutex
	closed    bool
	closeOnce sync.Once
	done      chan struct{}

	// The failures since the last Flush or Close live here rather than in a Flush's reply, so that a Flush whose
	// context ended before the answer leaves them to the next one.
	failMu   sync.Mutex
	failures []*BatchError
	omitted  int
}

// New checks the configuration and starts the background sender.
func New(cfg Config) (*Client, error) {
	cfg, base, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	sendCtx, cancel := context.WithCancel(context.Background())
	c := &Client{
		cfg:        cfg,
		base:       base,
		sleep:      sleepContext,
		queue:      make(chan preparedEvent, cfg.QueueSize),
		flushes:    make(chan chan struct{}),
		stop:       make(chan chan struct{}),
		closing:    make(chan struct{}),
		sendCtx:    sendCtx,
		cancelSend: cancel,
		done:       make(chan struct{}),
	}
	go c.run()
	return c, nil
}

// Track queues one event (AddToCart, ItemUpsert, … or what UnmarshalEvent decoded) to be sent in the background
// and returns without waiting for the server. Unless the event has an event_id it gets one now, so the retries
// of its batch never count it twice.
//
// When the queue is full, Track waits for room until ctx is done and then returns an error wrapping both
// ErrQueueFull and ctx's error; it never drops an event silently. After Close it returns ErrClosed. Whether the
// server accepted the event is reported by the next Flush or Close (and by Config.OnError).
func (c *Client) Track(ctx context.Context, event Event) error {
	prepared, err := prepareEvent(event)
	if err != nil {
		return err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return ErrClosed
	}
	select {
	case c.queue <- prepared:
		return nil
	default:
	}
	select {
	case c.queue <- prepared:
		return nil
	case <-c.closing:
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("%w (%d events waiting): %w", ErrQueueFull, c.cfg.QueueSize, ctx.Err())
	}
}

// Flush sends every event tracked before it and waits for the server's answers. It returns nil when all of them,
// and everything sent in the background since the previous Flush, were accepted; otherwise a *FlushError naming
// the failed batches and the rejected events. When ctx ends first Flush returns ctx's error; the events are
// still sent in the background.
func (c *Client) Flush(ctx context.Context) error {
	sent := make(chan struct{}, 1)
	select {
	case c.flushes <- sent:
	case <-c.done:
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("sibyl: flush: %w", ctx.Err())
	}
	select {
	case <-sent:
		return c.takeFailures()
	case <-ctx.Done():
		return fmt.Errorf("sibyl: flush: %w", ctx.Err())
	}
}

// Close stops taking events, sends what is queued, waits for the answers and stops the sender. It returns what
// Flush would. When ctx ends first, the sends still in progress are cancelled, and Close returns ctx's error
// joined with the *FlushError naming the batches that were not delivered. Calls after the first return
// ErrClosed.
func (c *Client) Close(ctx context.Context) error {
	err := ErrClosed
	c.closeOnce.Do(func() {
		close(c.closing)
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		// The sender answers once it has sent everything queued; when ctx ends first, cancelling the sends makes
		// each remaining batch fail at once, and the failures report them as not delivered.
		stopped := make(chan struct{}, 1)
		cancelled := false
		select {
		case c.stop <- stopped:
		case <-ctx.Done():
			cancelled = true
			c.cancelSend()
			c.stop <- stopped
		}
		select {
		case <-stopped:
		case <-ctx.Done():
			cancelled = true
			c.cancelSend()
			<-stopped
		}
		err = c.takeFailures()
		if cancelled {
			err = errors.Join(fmt.Errorf("sibyl: close: %w", ctx.Err()), err)
		}
		c.cancelSend()
	})
	return err
}

// A client that never flushes, against a server that rejects everything, keeps at most this many failed batches;
// the rest are only counted.
const maxKeptFailures = 256

func (c *Client) recordFailure(failure *BatchError) {
	c.failMu.Lock()
	defer c.failMu.Unlock()
	if len(c.failures) < maxKeptFailures {
		c.failures = append(c.failures, failure)
	} else {
		c.omitted++
	}
}

// takeFailures hands over the failures since the last call: nil when there were none.
func (c *Client) takeFailures() error {
	c.failMu.Lock()
	defer c.failMu.Unlock()
	if len(c.failures) == 0 && c.omitted == 0 {
		return nil
	}
	err := &FlushError{Batches: c.failures, Omitted: c.omitted}
	c.failures, c.omitted = nil, 0
	return err
}
