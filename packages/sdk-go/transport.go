package sibyl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A response body larger than this is an error rather than memory the client cannot bound. The largest answer
// Sibyl sends, an ingest report naming every line of a full batch, stays well below it.
const maxResponseBytes = 64 << 20

// response is a server answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// post sends a request, retrying on 429, 503 and network errors, and returns the first answer that is not
// retryable. Every attempt sends the same body, so the event_ids in it make the retries idempotent.
func (c *Client) post(ctx context.Context, path, contentType string, body []byte) (*response, error) {
	for attempt := 1; ; attempt++ {
		res, err := c.attempt(ctx, path, contentType, body)
		var retryAfter time.Duration
		if err == nil {
			if !retryableStatus(res.status) {
				return res, nil
			}
			apiErr := apiErrorOf(http.MethodPost, path, res)
			retryAfter = apiErr.RetryAfter
			err = apiErr
		}
		if ctx.Err() != nil {
			return nil, &RetryError{Method: http.MethodPost, Path: path, Attempts: attempt, Err: err, Stopped: ctx.Err()}
		}
		if attempt >= c.cfg.MaxAttempts {
			return nil, &RetryError{Method: http.MethodPost, Path: path, Attempts: attempt, Err: err}
		}
		delay := c.backoff(attempt, retryAfter)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			// Waiting would outlive the context: give up now with the real reason instead of after a pointless wait.
			return nil, &RetryError{Method: http.MethodPost, Path: path, Attempts: attempt, Err: err,
				Stopped: context.DeadlineExceeded}
		}
		if err := c.sleep(ctx, delay); err != nil {
			return nil, &RetryError{Method: http.MethodPost, Path: path, Attempts: attempt, Err: err, Stopped: ctx.Err()}
		}
	}
}

// attempt sends one request; an error is a network error (or the context's), never an HTTP status.
func (c *Client) attempt(ctx context.Context, path, contentType string, body []byte) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("sibyl: building POST %s: %w", path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Key)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "sibyl-go/"+Version)
	res, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("sibyl: reading the answer to POST %s: %w", path, err)
	}
	if len(data) > maxResponseBytes {
		return nil, fmt.Errorf("sibyl: the answer to POST %s is larger than %d bytes", path, maxResponseBytes)
	}
	return &response{status: res.StatusCode, header: res.Header, body: data}, nil
}

func (c *Client) endpoint(path string) string {
	u := *c.base
	u.Path += path
	return u.String()
}

// backoff is the wait before attempt n+1: the server's Retry-After when it sent one, else full jitter.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	ceiling := c.cfg.MaxBackoff
	if shift := attempt - 1; shift < 62 && c.cfg.MinBackoff <= c.cfg.MaxBackoff>>shift {
		ceiling = c.cfg.MinBackoff << shift
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// sleepContext waits d or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date. Zero when absent or unreadable.
func parseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds <= 0 {
			return 0
		}
		if seconds > int64((24 * time.Hour).Seconds()) {
			seconds = int64((24 * time.Hour).Seconds())
		}
		return time.Duration(seconds) * time.Second
	}
	if at, err := http.ParseTime(value); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}

// apiErrorOf reads an error answer. A body that is not an ErrorBody still gives the status and a bounded excerpt.
func apiErrorOf(method, path string, res *response) *APIError {
	apiErr := &APIError{Method: method, Path: path, Status: res.status,
		RetryAfter: parseRetryAfter(res.header.Get("Retry-After"), time.Now())}
	var body ErrorBody
	if err := json.Unmarshal(res.body, &body); err == nil && body.Error != "" {
		apiErr.Code, apiErr.Message, apiErr.Errors = body.Error, body.Message, body.Errors
		return apiErr
	}
	apiErr.Message = excerpt(bytes.TrimSpace(res.body), 200)
	if apiErr.Message == "" {
		apiErr.Message = http.StatusText(res.status)
	}
	return apiErr
}
