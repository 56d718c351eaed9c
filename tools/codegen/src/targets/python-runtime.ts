/**
 * The fixed part of the generated Python module: the decoding error and the helpers every `from_dict` calls.
 * quicktype's own helpers validate with `assert` (gone under `python -O`), swallow every exception in unions
 * and are not typed for `mypy --strict`; these raise a `DecodeError` that carries a JSON pointer instead.
 */
export const PYTHON_RUNTIME = `T = TypeVar("T")
E = TypeVar("E", bound=Enum)


class DecodeError(ValueError):
    """A JSON document does not fit a model: \`pointer\` (RFC 6901) says where, \`reason\` says why.

    The models reject what their types can tell: a missing required property, an unknown property of an
    event, a value of the wrong JSON type, a value outside an enumeration or a wrong event_type. Bounds,
    lengths, patterns and formats are left to the server, which reports them the same way.
    """

    def __init__(self, pointer: str, reason: str) -> None:
        super().__init__(f"{pointer or '(document)'}: {reason}")
        self.pointer = pointer
        self.reason = reason

    def within(self, key: Union[str, int]) -> "DecodeError":
        """The same error seen from the value that holds this one under \`key\`."""
        return DecodeError(_pointer(key) + self.pointer, self.reason)


def _pointer(key: Union[str, int]) -> str:
    return "/" + str(key).replace("~", "~0").replace("/", "~1")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise DecodeError("", f"must be a string, not {_kind(value)}")


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        # JSON has one number type: 3.0 is the integer 3, as the server reads it.
        if value.is_integer():
            return int(value)
        raise DecodeError("", f"must be an integer, not {value}")
    raise DecodeError("", f"must be an integer, not {_kind(value)}")


def _number(value: Any) -> float:
    # An int is kept as it is (a valid float for type checkers), so 310 serialises back as 310, not 310.0.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise DecodeError("", f"must be a number, not {_kind(value)}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise DecodeError("", f"must be a boolean, not {_kind(value)}")


def _enum(cls: type[E]) -> Callable[[Any], E]:
    def decode(value: Any) -> E:
        if isinstance(value, str):
            for member in cls:
                if member.value == value:
                    return member
            allowed = ", ".join(str(member.value) for member in cls)
            raise DecodeError("", f"must be one of {allowed}, not {value!r}")
        raise DecodeError("", f"must be a string, not {_kind(value)}")

    return decode


def _list(item: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    def decode(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise DecodeError("", f"must be an array, not {_kind(value)}")
        result: list[T] = []
        for index, element in enumerate(value):
            try:
                result.append(item(element))
            except DecodeError as error:
                raise error.within(index) from None
        return result

    return decode


def _map(item: Callable[[Any], T]) -> Callable[[Any], dict[str, T]]:
    def decode(value: Any) -> dict[str, T]:
        if not isinstance(value, dict):
            raise DecodeError("", f"must be an object, not {_kind(value)}")
        result: dict[str, T] = {}
        for key, element in value.items():
            try:
                result[key] = item(element)
            except DecodeError as error:
                raise error.within(key) from None
        return result

    return decode


def _union(expected: str, *members: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        for member in members:
            try:
                return member(value)
            except DecodeError:
                continue
        raise DecodeError("", f"must be {expected}, not {_kind(value)}")

    return decode


def _object(
    value: Any, model: str, required: tuple[str, ...], optional: tuple[str, ...], closed: bool = True
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DecodeError("", f"{model} must be an object, not {_kind(value)}")
    for key in required:
        if key not in value:
            raise DecodeError(_pointer(key), f"{key} is required")
    if closed:
        for key in value:
            if key not in required and key not in optional:
                raise DecodeError(_pointer(key), f"{key} is not a {model} property")
    return value


def _event_type(fields: dict[str, Any], expected: str) -> None:
    if fields["event_type"] != expected:
        raise DecodeError("/event_type", f"must be {expected!r}, not {fields['event_type']!r}")


def _required(fields: dict[str, Any], key: str, decode: Callable[[Any], T]) -> T:
    try:
        return decode(fields[key])
    except DecodeError as error:
        raise error.within(key) from None


def _optional(fields: dict[str, Any], key: str, decode: Callable[[Any], T]) -> Optional[T]:
    # An absent property is None; a present null is a wrong type like any other, as the schema says.
    if key not in fields:
        return None
    return _required(fields, key, decode)
`;
