package sibyl

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config configures a Client. Only BaseURL and Key are required; a zero value elsewhere means the default.
type Config struct {
	// BaseURL is where the server listens, e.g. "http://127.0.0.1:8080" (a path prefix is kept).
	BaseURL string
	// Key is sent as "Authorization: Bearer <Key>": a tracking key may send behaviour and recommendation events
	// and ask for recommendations; a server key may do everything.
	Key string
	// HTTPClient sends the requests. Default: a client whose Timeout of 30 s bounds each attempt, so a hung
	// connection counts as a network error and is retried.
	HTTPClient *http.Client

	// BatchSize is the most events in one request (default 500; the server takes at most 10,000).
	BatchSize int
	// MaxBatchBytes is the most NDJSON bytes in one request (default 1 MiB; the server's default limit is
	// 16 MiB). An event larger than this is sent alone.
	MaxBatchBytes int
	// FlushInterval is the longest an event waits in the queue before its batch is sent (default 1 s).
	FlushInterval time.Duration
	// QueueSize is how many tracked events may wait to be sent (default 10,000). When the queue is full Track
	// waits for room until its context is done: the sender never drops events to make room.
	QueueSize int

	// MaxAttempts bounds the attempts of one request, the first included (default 5).
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the exponential backoff between attempts: before attempt n+1 the client
	// waits a random time in [0, min(MaxBackoff, MinBackoff·2^(n-1))] ("full jitter"), or exactly the server's
	// Retry-After when it sent one. Defaults: 200 ms and 30 s.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// OnError, when set, is called from the background sender with each *BatchError as it happens, for logging;
	// the same errors are returned by the next Flush or Close. It must not block for long: sending waits for it.
	OnError func(error)
}

const (
	defaultBatchSize     = 500
	defaultMaxBatchBytes = 1 << 20
	defaultFlushInterval = time.Second
	defaultQueueSize     = 10_000
	defaultMaxAttempts   = 5
	defaultMinBackoff    = 200 * time.Millisecond
	defaultMaxBackoff    = 30 * time.Second
	defaultHTTPTimeout   = 30 * time.Second
	// The server refuses a request with more lines than its maxBatchEvents (10,000 by default).
	maxBatchSize = 10_000
)

// withDefaults checks the configuration and fills in the defaults; base is BaseURL parsed.
func (c Config) withDefaults() (Config, *url.URL, error) {
	if c.BaseURL == "" {
		return c, nil, &ConfigError{Field: "BaseURL", Reason: "is required, e.g. http://127.0.0.1:8080"}
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil {
		return c, nil, &ConfigError{Field: "BaseURL", Reason: err.Error()}
	}
	if (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return c, nil, &ConfigError{Field: "BaseURL", Reason: "must be an absolute http or https URL, got " + c.BaseURL}
	}
	if base.RawQuery != "" || base.Fragment != "" {
		return c, nil, &ConfigError{Field: "BaseURL", Reason: "must not carry a query or fragment"}
	}
	base.Path = strings.TrimRight(base.Path, "/")
	base.RawPath = ""
	if c.Key == "" {
		return c, nil, &ConfigError{Field: "Key", Reason: "is required: a tracking or server key"}
	}
	if strings.ContainsAny(c.Key, "\r\n") {
		return c, nil, &ConfigError{Field: "Key", Reason: "must not contain line breaks"}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	checks := []struct {
		field string
		value int64
		def   int64
		set   func(int64)
	}{
		{"BatchSize", int64(c.BatchSize), defaultBatchSize, func(v int64) { c.BatchSize = int(v) }},
		{"MaxBatchBytes", int64(c.MaxBatchBytes), defaultMaxBatchBytes, func(v int64) { c.MaxBatchBytes = int(v) }},
		{"FlushInterval", int64(c.FlushInterval), int64(defaultFlushInterval), func(v int64) { c.FlushInterval = time.Duration(v) }},
		{"QueueSize", int64(c.QueueSize), defaultQueueSize, func(v int64) { c.QueueSize = int(v) }},
		{"MaxAttempts", int64(c.MaxAttempts), defaultMaxAttempts, func(v int64) { c.MaxAttempts = int(v) }},
		{"MinBackoff", int64(c.MinBackoff), int64(defaultMinBackoff), func(v int64) { c.MinBackoff = time.Duration(v) }},
		{"MaxBackoff", int64(c.MaxBackoff), int64(defaultMaxBackoff), func(v int64) { c.MaxBackoff = time.Duration(v) }},
	}
	for _, check := range checks {
		if check.value < 0 {
			return c, nil, &ConfigError{Field: check.field, Reason: "must not be negative"}
		}
		if check.value == 0 {
			check.set(check.def)
		}
	}
	if c.BatchSize > maxBatchSize {
		return c, nil, &ConfigError{Field: "BatchSize", Reason: "must be at most 10000, the server's batch limit"}
	}
	if c.MaxBackoff < c.MinBackoff {
		return c, nil, &ConfigError{Field: "MaxBackoff", Reason: "must not be below MinBackoff"}
	}
	return c, base, nil
}
