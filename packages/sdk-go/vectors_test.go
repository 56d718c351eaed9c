package sibyl_test

// The shared test vectors of schemas/examples, read by the Go models as the TypeScript and Python suites read
// them. Every valid vector decodes into its model and encodes back to an equal JSON document. Every invalid
// vector carries one defect; the models reject the kinds their types can tell (a missing required property,
// an unknown property, a wrong JSON type, a value outside an enumeration or const) at the vector's expected
// pointer. The other kinds are left to the server, and the models must carry such a document unchanged:
// string lengths and patterns, numeric bounds, list sizes, uniqueItems, formats, and the Filter's
// exactly-one-key rule (min/maxProperties). Which kind a vector has is read from the schema, not listed here.

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/format"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	sibyl "github.com/sibyl-dev/sibyl/packages/sdk-go"
)

var schemasDir = filepath.Join("..", "..", "schemas")

type vector struct {
	eventType string
	name      string
	raw       []byte
	document  any
	// pointer is the JSON pointer of an invalid vector's defect, from its .expected.json.
	pointer string
}

func loadVectors(t *testing.T, kind string) []vector {
	t.Helper()
	examples := filepath.Join(schemasDir, "examples")
	types, err := os.ReadDir(examples)
	if err != nil {
		t.Fatalf("reading %s: %v", examples, err)
	}
	var vectors []vector
	for _, typeDir := range types {
		dir := filepath.Join(examples, typeDir.Name(), kind)
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
		for _, file := range files {
			name := file.Name()
			if !strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".expected.json") {
				continue
			}
			v := vector{eventType: typeDir.Name(), name: name, raw: readFile(t, filepath.Join(dir, name))}
			v.document = decodeJSON(t, v.raw)
			if kind == "invalid" {
				var expected struct {
					Pointer *string `json:"pointer"`
				}
				expectedFile := filepath.Join(dir, strings.TrimSuffix(name, ".json")+".expected.json")
				if err := json.Unmarshal(readFile(t, expectedFile), &expected); err != nil || expected.Pointer == nil {
					t.Fatalf("%s: no pointer (%v)", expectedFile, err)
				}
				v.pointer = *expected.Pointer
			}
			vectors = append(vectors, v)
		}
	}
	if len(vectors) == 0 {
		t.Fatalf("no %s vectors under %s", kind, examples)
	}
	return vectors
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	var value any
	if err := json.Unmarshal(data, &value); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return value
}

// modelTypes maps each event type to its model, found by decoding the valid vectors: no hand-kept list.
func modelTypes(t *testing.T) map[string]reflect.Type {
	t.Helper()
	types := map[string]reflect.Type{}
	for _, v := range loadVectors(t, "valid") {
		event, err := sibyl.UnmarshalEvent(v.raw)
		if err != nil {
			t.Fatalf("%s/%s: %v", v.eventType, v.name, err)
		}
		types[v.eventType] = reflect.TypeOf(event)
	}
	return types
}

func TestValidVectorsRoundTrip(t *testing.T) {
	vectors := loadVectors(t, "valid")
	for _, v := range vectors {
		t.Run(v.eventType+"/"+v.name, func(t *testing.T) {
			event, err := sibyl.UnmarshalEvent(v.raw)
			if err != nil {
				t.Fatalf("rejected a valid event: %v", err)
			}
			if event.EventType() != v.eventType || reflect.TypeOf(event).Name() != v.eventType {
				t.Fatalf("decoded as %T (event type %q)", event, event.EventType())
			}
			encoded, err := json.Marshal(event)
			if err != nil {
				t.Fatalf("encoding: %v", err)
			}
			if back := decodeJSON(t, encoded); !reflect.DeepEqual(back, v.document) {
				t.Fatalf("round trip changed the document\n in: %s\nout: %s", v.raw, encoded)
			}
		})
	}
	if got, want := len(sibyl.EventTypes()), len(modelTypes(t)); got != want {
		t.Errorf("EventTypes() lists %d event types, the vectors cover %d", got, want)
	}
}

func TestInvalidVectors(t *testing.T) {
	types := modelTypes(t)
	for _, v := range loadVectors(t, "invalid") {
		t.Run(v.eventType+"/"+v.name, func(t *testing.T) {
			model, ok := types[v.eventType]
			if !ok {
				t.Fatalf("no valid vector of %s to find its model", v.eventType)
			}
			defect := defectKind(t, v)
			decoded := reflect.New(model)
			err := json.Unmarshal(v.raw, decoded.Interface())
			if defect != "" {
				var decodeErr *sibyl.DecodeError
				if !errors.As(err, &decodeErr) {
					t.Fatalf("%s at %s: want a *DecodeError, got %v", defect, v.pointer, err)
				}
				if decodeErr.Pointer != v.pointer {
					t.Fatalf("%s: error at %q, want %q (%v)", defect, decodeErr.Pointer, v.pointer, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("the defect at %s is the server's to report, but the model rejected it: %v", v.pointer, err)
			}
			encoded, err := json.Marshal(decoded.Elem().Interface())
			if err != nil {
				t.Fatalf("encoding: %v", err)
			}
			if back := decodeJSON(t, encoded); !reflect.DeepEqual(back, v.document) {
				t.Fatalf("the model changed the document it passes on\n in: %s\nout: %s", v.raw, encoded)
			}
		})
	}
}

func TestUnmarshalEventNamesWhatIsWrong(t *testing.T) {
	cases := []struct{ document, pointer, reason string }{
		{`[]`, "", "must be an object, not an array"},
		{`{"item_id":"a"}`, "/event_type", "event_type is required"},
		{`{"event_type":7}`, "/event_type", "must be a string, not a number"},
		{`{"event_type":"Teleport"}`, "/event_type", `"Teleport" is not an event type`},
		{`{"event_type":"ItemRemove","item_id":"a","event_time":1.5}`, "/event_time", "must be an integer, not 1.5"},
		{`{"event_type":"ItemRemove","item_id":null}`, "/item_id", "must not be null"},
	}
	for _, c := range cases {
		_, err := sibyl.UnmarshalEvent([]byte(c.document))
		var decodeErr *sibyl.DecodeError
		if !errors.As(err, &decodeErr) || decodeErr.Pointer != c.pointer || decodeErr.Reason != c.reason {
			t.Errorf("%s: got %v, want %q at %q", c.document, err, c.reason, c.pointer)
		}
	}
	event, err := sibyl.UnmarshalEvent([]byte(`{"event_type":"ItemRemove","item_id":"a","event_time":3.0}`))
	if err != nil || *event.(sibyl.ItemRemove).EventTime != 3 {
		t.Errorf("3.0 is the integer 3 to the server, so to the model too: %v %v", event, err)
	}
}

func TestModelsEncodeOnlyWhatIsSet(t *testing.T) {
	patch := sibyl.ItemPatch{ItemID: "sku-1", Tags: []string{}, Title: sibyl.Ptr("Tent")}
	encoded, err := json.Marshal(patch)
	if err != nil {
		t.Fatal(err)
	}
	// An empty list is a value (ItemPatch: clear the tags), unlike a nil one (keep them).
	want := `{"event_type":"ItemPatch","item_id":"sku-1","tags":[],"title":"Tent"}`
	if string(encoded) != want {
		t.Errorf("got %s, want %s", encoded, want)
	}
	var value sibyl.FilterValue
	if _, err := json.Marshal(value); err == nil {
		t.Error("a FilterValue with no member set encoded without an error")
	}
}

func TestGeneratedModelsAreGofmtFormatted(t *testing.T) {
	source := readFile(t, "models.go")
	formatted, err := format.Source(source)
	if err != nil {
		t.Fatalf("models.go does not parse: %v", err)
	}
	if !bytes.Equal(formatted, source) {
		t.Error("models.go is not gofmt-formatted: fix the Go target in tools/codegen and run pnpm generate")
	}
}

// defectKind names the defect of an invalid vector when the model's types can tell it ("" when only the
// server can), reading the schema at the vector's expected pointer.
func defectKind(t *testing.T, v vector) string {
	t.Helper()
	tokens := pointerTokens(v.pointer)
	if len(tokens) == 0 {
		t.Fatalf("pointer %q names the whole document", v.pointer)
	}
	parentTokens, last := tokens[:len(tokens)-1], tokens[len(tokens)-1]
	parent := valueAt(t, v.document, parentTokens)
	schemas := schemaCache{}
	eventFile := filepath.Join(schemasDir, "events", v.eventType+".schema.json")
	_, parentSchema := schemas.at(t, eventFile, parentTokens)
	var value any
	switch p := parent.(type) {
	case map[string]any:
		present := false
		value, present = p[last]
		if !present {
			return "missing required property"
		}
		properties, _ := parentSchema["properties"].(map[string]any)
		if _, known := properties[last]; !known && parentSchema["additionalProperties"] == false {
			return "unknown property"
		}
	case []any:
		index, err := strconv.Atoi(last)
		if err != nil || index >= len(p) {
			t.Fatalf("pointer %q: no element %s", v.pointer, last)
		}
		value = p[index]
	default:
		t.Fatalf("pointer %q goes through a scalar", v.pointer)
	}
	_, schema := schemas.at(t, eventFile, tokens)
	if expected, ok := schema["const"]; ok && !reflect.DeepEqual(expected, value) {
		return "wrong const"
	}
	if allowed, ok := schema["enum"].([]any); ok && !containsValue(allowed, value) {
		return "value outside the enumeration"
	}
	if declared, ok := schema["type"]; ok && !typeMatches(declared, value) {
		return "wrong type"
	}
	return ""
}

func pointerTokens(pointer string) []string {
	if pointer == "" {
		return nil
	}
	parts := strings.Split(pointer[1:], "/")
	for i, part := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
	}
	return parts
}

func valueAt(t *testing.T, document any, tokens []string) any {
	t.Helper()
	value := document
	for _, token := range tokens {
		switch v := value.(type) {
		case map[string]any:
			value = v[token]
		case []any:
			index, err := strconv.Atoi(token)
			if err != nil || index >= len(v) {
				t.Fatalf("no element %q", token)
			}
			value = v[index]
		default:
			t.Fatalf("cannot step into %v with %q", value, token)
		}
	}
	return value
}

type schemaCache map[string]map[string]any

func (c schemaCache) load(t *testing.T, path string) map[string]any {
	t.Helper()
	if schema, ok := c[path]; ok {
		return schema
	}
	schema, ok := decodeJSON(t, readFile(t, path)).(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object", path)
	}
	c[path] = schema
	return schema
}

// resolve follows $refs (relative file paths and #/ fragments) until it reaches a schema without one.
func (c schemaCache) resolve(t *testing.T, file string, schema map[string]any) (string, map[string]any) {
	t.Helper()
	for {
		ref, ok := schema["$ref"].(string)
		if !ok {
			return file, schema
		}
		target, fragment, _ := strings.Cut(ref, "#")
		if target != "" {
			file = filepath.Join(filepath.Dir(file), target)
		}
		node := any(c.load(t, file))
		for _, token := range pointerTokens(fragment) {
			node = node.(map[string]any)[token]
		}
		schema = node.(map[string]any)
	}
}

// at returns the schema that governs the value at tokens, with the file it lives in.
func (c schemaCache) at(t *testing.T, file string, tokens []string) (string, map[string]any) {
	t.Helper()
	file, schema := c.resolve(t, file, c.load(t, file))
	for _, token := range tokens {
		var next map[string]any
		if properties, ok := schema["properties"].(map[string]any); ok && properties[token] != nil {
			next = properties[token].(map[string]any)
		} else if items, ok := schema["items"].(map[string]any); ok {
			next = items
		} else if values, ok := schema["additionalProperties"].(map[string]any); ok {
			next = values
		} else {
			return file, map[string]any{}
		}
		file, schema = c.resolve(t, file, next)
	}
	return file, schema
}

func containsValue(list []any, value any) bool {
	for _, item := range list {
		if reflect.DeepEqual(item, value) {
			return true
		}
	}
	return false
}

func typeMatches(declared, value any) bool {
	names := []string{}
	switch d := declared.(type) {
	case string:
		names = append(names, d)
	case []any:
		for _, name := range d {
			names = append(names, name.(string))
		}
	}
	for _, name := range names {
		switch v := value.(type) {
		case string:
			if name == "string" {
				return true
			}
		case bool:
			if name == "boolean" {
				return true
			}
		case float64:
			if name == "number" || (name == "integer" && v == math.Trunc(v)) {
				return true
			}
		case []any:
			if name == "array" {
				return true
			}
		case map[string]any:
			if name == "object" {
				return true
			}
		case nil:
			if name == "null" {
				return true
			}
		}
	}
	return false
}
