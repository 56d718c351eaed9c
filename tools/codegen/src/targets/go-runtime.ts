/** Identifiers the Go runtime exports; a schema title equal to one of them fails generation. */
export const GO_RUNTIME_NAMES = ["DecodeError", "Event", "EventTypes", "Ptr", "UnmarshalEvent"];

/** Standard-library imports of the generated Go file, runtime included. */
export const GO_IMPORTS = ["bytes", "encoding/json", "errors", "fmt", "math", "reflect", "sort", "strconv"];

/**
 * The fixed part of the generated Go file: the decoding error and the helpers every UnmarshalJSON and
 * MarshalJSON calls. quicktype's Go output decodes with plain encoding/json, which accepts a missing required
 * property, an unknown property, null and any string for an enum; these helpers reject them with a
 * *DecodeError that carries a JSON pointer.
 */
export const GO_RUNTIME = `// DecodeError reports a JSON document that does not fit a model: Pointer (RFC 6901) says where, Reason why.
//
// The models reject what their types can tell: a missing required property, an unknown property of an event,
// null, a value of the wrong JSON type, a value outside an enumeration or a wrong event_type. Bounds, lengths,
// patterns and formats are left to the server, which reports them the same way.
type DecodeError struct {
	Pointer string
	Reason  string
}

func (e *DecodeError) Error() string {
	where := e.Pointer
	if where == "" {
		where = "(document)"
	}
	return "sibyl: " + where + ": " + e.Reason
}

// Ptr returns a pointer to a copy of v, for optional properties: sibyl.UserInfo{UserID: sibyl.Ptr("u-1")}.
func Ptr[T any](v T) *T { return &v }

func pointerToken(key string) string {
	var b bytes.Buffer
	b.WriteByte('/')
	for _, r := range key {
		switch r {
		case '~':
			b.WriteString("~0")
		case '/':
			b.WriteString("~1")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// within returns err as seen from the value that holds the failing one under key.
func within(err error, key string) error {
	var decodeErr *DecodeError
	if errors.As(err, &decodeErr) {
		return &DecodeError{Pointer: pointerToken(key) + decodeErr.Pointer, Reason: decodeErr.Reason}
	}
	return &DecodeError{Pointer: pointerToken(key), Reason: err.Error()}
}

func jsonKind(raw []byte) string {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return "nothing"
	}
	switch trimmed[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func goKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	}
	return "an object"
}

// asDecodeError gives every failure of decoding raw the same shape; a *DecodeError passes through.
func asDecodeError(err error, raw []byte) error {
	var decodeErr *DecodeError
	if errors.As(err, &decodeErr) {
		return decodeErr
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return &DecodeError{Reason: "must be " + goKind(typeErr.Type) + ", not " + jsonKind(raw)}
	}
	return &DecodeError{Reason: err.Error()}
}

// decodeInt reads an integer the way the server does: 3.0 is the integer 3, 3.5 is not an integer.
func decodeInt(raw []byte, out *int64) error {
	var number json.Number
	if err := json.Unmarshal(raw, &number); err != nil {
		return &DecodeError{Reason: "must be an integer, not " + jsonKind(raw)}
	}
	if n, err := strconv.ParseInt(number.String(), 10, 64); err == nil {
		*out = n
		return nil
	}
	f, err := strconv.ParseFloat(number.String(), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return &DecodeError{Reason: "must be an integer, not " + number.String()}
	}
	*out = int64(f)
	return nil
}

// decodeValue decodes one property or element; null is never a valid value in Sibyl's schemas.
func decodeValue[T any](raw json.RawMessage, out *T) error {
	if jsonKind(raw) == "null" {
		return &DecodeError{Reason: "must not be null"}
	}
	switch p := any(out).(type) {
	case *int64:
		return decodeInt(raw, p)
	case **int64:
		var n int64
		if err := decodeInt(raw, &n); err != nil {
			return err
		}
		*p = &n
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return asDecodeError(err, raw)
	}
	return nil
}

func decodeList[T any](raw json.RawMessage) ([]T, error) {
	var items []json.RawMessage
	if jsonKind(raw) != "an array" || json.Unmarshal(raw, &items) != nil {
		return nil, &DecodeError{Reason: "must be an array, not " + jsonKind(raw)}
	}
	list := make([]T, len(items))
	for i, item := range items {
		if err := decodeValue(item, &list[i]); err != nil {
			return nil, within(err, strconv.Itoa(i))
		}
	}
	return list, nil
}

func decodeMap[T any](raw json.RawMessage) (map[string]T, error) {
	var items map[string]json.RawMessage
	if jsonKind(raw) != "an object" || json.Unmarshal(raw, &items) != nil {
		return nil, &DecodeError{Reason: "must be an object, not " + jsonKind(raw)}
	}
	values := make(map[string]T, len(items))
	for _, key := range sortedKeys(items) {
		var value T
		if err := decodeValue(items[key], &value); err != nil {
			return nil, within(err, key)
		}
		values[key] = value
	}
	return values, nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// objectDecoder reads the properties of one JSON object into a model; it keeps the first error, and every
// step after an error does nothing.
type objectDecoder struct {
	fields map[string]json.RawMessage
	err    error
}

// openObject checks that data is an object with every required property and, when closed, no other property
// than those named.
func openObject(data []byte, model string, closed bool, required, optional []string) *objectDecoder {
	d := &objectDecoder{}
	if jsonKind(data) != "an object" || json.Unmarshal(data, &d.fields) != nil {
		d.err = &DecodeError{Reason: model + " must be an object, not " + jsonKind(data)}
		return d
	}
	for _, key := range required {
		if _, ok := d.fields[key]; !ok {
			d.err = &DecodeError{Pointer: pointerToken(key), Reason: key + " is required"}
			return d
		}
	}
	if !closed {
		return d
	}
	known := make(map[string]bool, len(required)+len(optional))
	for _, key := range required {
		known[key] = true
	}
	for _, key := range optional {
		known[key] = true
	}
	for _, key := range sortedKeys(d.fields) {
		if !known[key] {
			d.err = &DecodeError{Pointer: pointerToken(key), Reason: key + " is not a " + model + " property"}
			return d
		}
	}
	return d
}

func (d *objectDecoder) eventType(expected string) {
	if d.err != nil {
		return
	}
	var got string
	if json.Unmarshal(d.fields["event_type"], &got) != nil || got != expected {
		d.err = &DecodeError{Pointer: "/event_type", Reason: fmt.Sprintf("must be %q, not %s", expected, d.fields["event_type"])}
	}
}

func field[T any](d *objectDecoder, key string, out *T) {
	if raw, ok := d.fields[key]; ok && d.err == nil {
		if err := decodeValue(raw, out); err != nil {
			d.err = within(err, key)
		}
	}
}

func listField[T any](d *objectDecoder, key string, out *[]T) {
	if raw, ok := d.fields[key]; ok && d.err == nil {
		list, err := decodeList[T](raw)
		if err != nil {
			d.err = within(err, key)
			return
		}
		*out = list
	}
}

func mapField[T any](d *objectDecoder, key string, out *map[string]T) {
	if raw, ok := d.fields[key]; ok && d.err == nil {
		values, err := decodeMap[T](raw)
		if err != nil {
			d.err = within(err, key)
			return
		}
		*out = values
	}
}

// objectEncoder writes one JSON object property by property, keeping the first error.
type objectEncoder struct {
	buf bytes.Buffer
	err error
}

// field writes one property; keys are schema property names, which need no escaping.
func (e *objectEncoder) field(key string, value any) {
	if e.err != nil {
		return
	}
	encoded, err := json.Marshal(value)
	if err != nil {
		e.err = fmt.Errorf("sibyl: encoding %s: %w", key, err)
		return
	}
	if e.buf.Len() == 0 {
		e.buf.WriteByte('{')
	} else {
		e.buf.WriteByte(',')
	}
	e.buf.WriteString(strconv.Quote(key))
	e.buf.WriteByte(':')
	e.buf.Write(encoded)
}

func (e *objectEncoder) finish() ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	if e.buf.Len() == 0 {
		return []byte("{}"), nil
	}
	e.buf.WriteByte('}')
	return e.buf.Bytes(), nil
}

// orEmptyList makes an unset required list encode as [] rather than null.
func orEmptyList[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// orEmptyMap makes an unset required map encode as {} rather than null.
func orEmptyMap[T any](values map[string]T) map[string]T {
	if values == nil {
		return map[string]T{}
	}
	return values
}

// decodeScalar decodes a union of JSON scalars into the member pointer of the value's JSON type; a nil
// pointer-to-pointer marks a type the union does not have.
func decodeScalar(data []byte, expected string, s **string, i **int64, n **float64, b **bool) error {
	var err error
	switch kind := jsonKind(data); {
	case kind == "a string" && s != nil:
		*s = new(string)
		err = json.Unmarshal(data, *s)
	case kind == "a number" && i != nil && n == nil:
		*i = new(int64)
		err = decodeInt(data, *i)
	case kind == "a number" && n != nil:
		*n = new(float64)
		err = json.Unmarshal(data, *n)
	case kind == "a boolean" && b != nil:
		*b = new(bool)
		err = json.Unmarshal(data, *b)
	default:
		return &DecodeError{Reason: "must be " + expected + ", not " + kind}
	}
	if err != nil {
		return asDecodeError(err, data)
	}
	return nil
}

// encodeScalar encodes the one member of a scalar union that is set.
func encodeScalar(model string, s *string, i *int64, n *float64, b *bool) ([]byte, error) {
	switch {
	case s != nil:
		return json.Marshal(*s)
	case i != nil:
		return json.Marshal(*i)
	case n != nil:
		return json.Marshal(*n)
	case b != nil:
		return json.Marshal(*b)
	}
	return nil, fmt.Errorf("sibyl: a %s has none of its members set", model)
}
`;

/** The interface every event model implements, and the generic decoder the dispatch table is made of. */
export const GO_EVENT_INTERFACE = `// Event is the model of one Sibyl event: AddToCart, ItemUpsert, RecoRequest and every other event type.
// UnmarshalEvent decodes any of them; a type switch on the result tells which it is.
type Event interface {
	// EventType is the event's event_type, e.g. "AddToCart".
	EventType() string
}

func decodeEvent[T Event](data []byte) (Event, error) {
	var event T
	if err := json.Unmarshal(data, &event); err != nil {
		return nil, err
	}
	return event, nil
}`;

/** Decodes any event by its event_type, through the generated eventDecoders table. */
export const GO_UNMARSHAL_EVENT = `// UnmarshalEvent decodes one event, choosing its model by event_type: the result is an AddToCart, an
// ItemUpsert, and so on. Every failure, invalid JSON included, is a *DecodeError.
func UnmarshalEvent(data []byte) (Event, error) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, asDecodeError(err, data)
	}
	raw, ok := head["event_type"]
	if !ok {
		return nil, &DecodeError{Pointer: "/event_type", Reason: "event_type is required"}
	}
	var eventType string
	if err := json.Unmarshal(raw, &eventType); err != nil {
		return nil, &DecodeError{Pointer: "/event_type", Reason: "must be a string, not " + jsonKind(raw)}
	}
	decode, ok := eventDecoders[eventType]
	if !ok {
		return nil, &DecodeError{Pointer: "/event_type", Reason: strconv.Quote(eventType) + " is not an event type"}
	}
	return decode(data)
}`;
