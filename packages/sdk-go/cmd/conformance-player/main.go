// Command conformance-player plays Sibyl's cross-language conformance session with the Go client. Every
// language's player has the same command line, and the conformance suite (tools/conformance) checks that they
// all get the same recommendations from one server:
//
//	go run ./cmd/conformance-player --base-url URL --key TRACKING_KEY --session PATH --visitor VID --phase track|recommend
//
// Phase track sends the session's events, with "$VISITOR" replaced by VID, through Track, then Flush and Close;
// it exits 0 only if the server accepted every one. Phase recommend asks for each of the session's requests and
// prints one JSON line {"placement", "items"} per request. Exit status 1 is a failure, 2 a wrong command line.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	sibyl "github.com/sibyl-dev/sibyl/packages/sdk-go"
)

// session is the scripted session: the orchestrator sends the catalog itself, the player the rest.
type session struct {
	Events   []json.RawMessage `json:"events"`
	Requests []struct {
		Placement    string   `json:"placement"`
		ContextItems []string `json:"context_items"`
		Count        *int64   `json:"count"`
	} `json:"requests"`
}

// played is one line of the recommend phase's output.
type played struct {
	Placement string   `json:"placement"`
	Items     []string `json:"items"`
}

type options struct {
	baseURL, key, session, visitor, phase string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseOptions(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := play(ctx, opts, stdout); err != nil {
		fmt.Fprintf(stderr, "%s phase failed: %v\n", opts.phase, err)
		return 1
	}
	return 0
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var opts options
	flags := flag.NewFlagSet("conformance-player", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&opts.baseURL, "base-url", "", "the server's base URL")
	flags.StringVar(&opts.key, "key", "", "a tracking key")
	flags.StringVar(&opts.session, "session", "", "the session file")
	flags.StringVar(&opts.visitor, "visitor", "", "the visitor id that replaces $VISITOR")
	flags.StringVar(&opts.phase, "phase", "", "track or recommend")
	usage := errors.New("usage: conformance-player --base-url URL --key TRACKING_KEY --session PATH " +
		"--visitor VID --phase track|recommend")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		return opts, usage
	}
	if opts.baseURL == "" || opts.key == "" || opts.session == "" || opts.visitor == "" ||
		(opts.phase != "track" && opts.phase != "recommend") {
		return opts, usage
	}
	return opts, nil
}

func play(ctx context.Context, opts options, stdout io.Writer) error {
	data, err := os.ReadFile(opts.session)
	if err != nil {
		return err
	}
	var script session
	if err := json.Unmarshal(data, &script); err != nil {
		return fmt.Errorf("reading %s: %w", opts.session, err)
	}
	client, err := sibyl.New(sibyl.Config{BaseURL: opts.baseURL, Key: opts.key})
	if err != nil {
		return err
	}
	if opts.phase == "track" {
		return track(ctx, client, script, opts.visitor)
	}
	err = recommend(ctx, client, script, opts.visitor, stdout)
	return errors.Join(err, client.Close(ctx))
}

func track(ctx context.Context, client *sibyl.Client, script session, visitor string) error {
	for i, raw := range script.Events {
		event, err := eventFor(raw, visitor)
		if err != nil {
			_ = client.Close(ctx)
			return fmt.Errorf("event %d of the session: %w", i+1, err)
		}
		if err := client.Track(ctx, event); err != nil {
			_ = client.Close(ctx)
			return err
		}
	}
	return errors.Join(client.Flush(ctx), client.Close(ctx))
}

// eventFor decodes one event of the session for the visitor, replacing "$VISITOR" in every string.
func eventFor(raw json.RawMessage, visitor string) (sibyl.Event, error) {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	// Numbers stay as written (an event_time is an exact integer of milliseconds).
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil {
		return nil, err
	}
	replaced, err := json.Marshal(replaceVisitor(value, visitor))
	if err != nil {
		return nil, err
	}
	return sibyl.UnmarshalEvent(replaced)
}

func replaceVisitor(value any, visitor string) any {
	switch v := value.(type) {
	case string:
		return strings.ReplaceAll(v, "$VISITOR", visitor)
	case []any:
		for i := range v {
			v[i] = replaceVisitor(v[i], visitor)
		}
	case map[string]any:
		for key, inner := range v {
			v[key] = replaceVisitor(inner, visitor)
		}
	}
	return value
}

func recommend(ctx context.Context, client *sibyl.Client, script session, visitor string, stdout io.Writer) error {
	encoder := json.NewEncoder(stdout)
	for _, request := range script.Requests {
		answer, err := client.Recommend(ctx, sibyl.RecoRequest{
			Placement:      request.Placement,
			UserInfo:       sibyl.UserInfo{VisitorID: visitor},
			ContextItemIDs: request.ContextItems,
			Count:          request.Count,
		})
		if err != nil {
			return err
		}
		line := played{Placement: request.Placement, Items: make([]string, 0, len(answer.Items))}
		for _, item := range answer.Items {
			line.Items = append(line.Items, item.ItemID)
		}
		if err := encoder.Encode(line); err != nil {
			return err
		}
	}
	return nil
}
