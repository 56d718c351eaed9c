package sibyl

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestNewRejectsAConfigItCannotUse(t *testing.T) {
	cases := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no base URL", Config{Key: "k"}, "BaseURL"},
		{"relative base URL", Config{BaseURL: "localhost:8080", Key: "k"}, "BaseURL"},
		{"other scheme", Config{BaseURL: "ftp://example.com", Key: "k"}, "BaseURL"},
		{"query", Config{BaseURL: "http://example.com/?x=1", Key: "k"}, "BaseURL"},
		{"no key", Config{BaseURL: "http://example.com"}, "Key"},
		{"key with a line break", Config{BaseURL: "http://example.com", Key: "k\r\nX-Evil: 1"}, "Key"},
		{"negative batch size", Config{BaseURL: "http://example.com", Key: "k", BatchSize: -1}, "BatchSize"},
		{"batch over the server's limit", Config{BaseURL: "http://example.com", Key: "k", BatchSize: 10_001}, "BatchSize"},
		{"negative interval", Config{BaseURL: "http://example.com", Key: "k", FlushInterval: -time.Second}, "FlushInterval"},
		{"backoff bounds crossed", Config{BaseURL: "http://example.com", Key: "k", MinBackoff: time.Minute, MaxBackoff: time.Second}, "MaxBackoff"},
	}
	for _, tc := range cases {
		_, err := New(tc.cfg)
		var cfgErr *ConfigError
		if !errors.As(err, &cfgErr) || cfgErr.Field != tc.field {
			t.Errorf("%s: New gave %v, want a *ConfigError on %s", tc.name, err, tc.field)
		}
	}
}

func TestNewFillsInDefaultsAndKeepsABasePath(t *testing.T) {
	c, err := New(Config{BaseURL: "https://api.example.com/sibyl/", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if c.cfg.BatchSize != 500 || c.cfg.FlushInterval != time.Second || c.cfg.QueueSize != 10_000 ||
		c.cfg.MaxAttempts != 5 || c.cfg.MinBackoff != 200*time.Millisecond || c.cfg.MaxBackoff != 30*time.Second ||
		c.cfg.MaxBatchBytes != 1<<20 || c.cfg.HTTPClient == nil || c.cfg.HTTPClient.Timeout != 30*time.Second {
		t.Errorf("defaults %+v", c.cfg)
	}
	if got := c.endpoint(eventsPath); got != "https://api.example.com/sibyl/v1/events" {
		t.Errorf("endpoint %q", got)
	}
}
