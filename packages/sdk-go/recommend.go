package sibyl

import (
	"context"
	"encoding/json"
	"net/http"
)

const recommendPath = "/v1/recommend"

// Recommend asks a placement for recommendations and waits for the answer. An event_id is set when the request
// has none, so a request retried after a lost answer is logged, and counted, once. The server answers 404
// (unknown placement) and 400 (an invalid request, with pointers) as an *APIError.
func (c *Client) Recommend(ctx context.Context, request RecoRequest) (*RecoResponse, error) {
	return c.recommend(ctx, request)
}

// SmartSearch asks for a personalised re-ranking of a search result list; it behaves like Recommend.
func (c *Client) SmartSearch(ctx context.Context, request SmartSearchRequest) (*RecoResponse, error) {
	return c.recommend(ctx, request)
}

func (c *Client) recommend(ctx context.Context, request Event) (*RecoResponse, error) {
	c.mu.RLock()
	closed := c.closed
	c.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	prepared, err := prepareEvent(request)
	if err != nil {
		return nil, err
	}
	res, err := c.post(ctx, recommendPath, "application/json", prepared.line)
	if err != nil {
		return nil, err
	}
	if res.status != http.StatusOK {
		return nil, apiErrorOf(http.MethodPost, recommendPath, res)
	}
	var answer RecoResponse
	if err := json.Unmarshal(res.body, &answer); err != nil {
		apiErr := apiErrorOf(http.MethodPost, recommendPath, res)
		apiErr.Message = "the answer is not a RecoResponse (" + err.Error() + "): " + apiErr.Message
		return nil, apiErr
	}
	return &answer, nil
}
