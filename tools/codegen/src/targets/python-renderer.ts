import {
  ArrayType,
  ClassType,
  EnumType,
  funPrefixNamer,
  getOptionValues,
  MapType,
  type Name,
  type Namer,
  PythonRenderer,
  PythonTargetLanguage,
  pythonOptions,
  type RenderContext,
  type Sourcelike,
  type Type,
  UnionType,
} from "quicktype-core";
import { GENERATED_HEADER } from "./header.js";
import {
  checkModelledType,
  checkTitleKept,
  closedClasses,
  eventClasses,
  type ModelContext,
  propertyType,
  type ScalarKind,
  scalarUnionMembers,
} from "./quicktype-model.js";
import { PYTHON_RUNTIME } from "./python-runtime.js";

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);
// Names the module defines besides the models; a schema title equal to one of them fails generation.
const RUNTIME_NAMES = ["DecodeError", "SibylEvent", "EVENT_TYPES", "event_from_dict", "T", "E"];

const SCALAR_DECODERS: Record<ScalarKind, string> = {
  string: "_str",
  integer: "_int",
  double: "_number",
  bool: "_bool",
};
const SCALAR_NAMES: Record<ScalarKind, string> = {
  string: "a string",
  integer: "an integer",
  double: "a number",
  bool: "a boolean",
};

/**
 * quicktype's Python renderer for the type declarations (dataclasses, enums, type hints, doc strings), with
 * Sibyl's own decoding and encoding: `from_dict` checks what the types can tell and raises `DecodeError` with
 * a JSON pointer, `to_dict` writes only the properties that are set, and event classes carry their
 * `event_type` as a class constant.
 */
class SibylPythonRenderer extends PythonRenderer {
  private events = new Map<ClassType, string>();
  private closed = new Set<ClassType>();

  constructor(
    targetLanguage: PythonTargetLanguage,
    renderContext: RenderContext,
    private readonly context: ModelContext,
  ) {
    super(targetLanguage, renderContext, getOptionValues(pythonOptions, { "python-version": "3.9" }));
  }

  protected override forbiddenNamesForGlobalNamespace(): readonly string[] {
    return [...new Set([...super.forbiddenNamesForGlobalNamespace(), ...RUNTIME_NAMES])];
  }

  protected override makeNamedTypeNamer(): Namer {
    // Titles are already class names; quicktype's style would turn RecoAck into RecoACK.
    const base = super.makeNamedTypeNamer();
    return funPrefixNamer("types", (raw) => (PASCAL_CASE.test(raw) ? raw : base.nameStyle(raw)));
  }

  protected override namerForObjectProperty(): Namer {
    // PEP 8's trailing underscore for keywords (Filter.in_, Filter.not_) instead of a class-name prefix.
    const base = super.namerForObjectProperty();
    return funPrefixNamer("properties", (raw) =>
      PYTHON_KEYWORDS.has(raw) ? `${raw}_` : base.nameStyle(raw),
    );
  }

  protected override emitSourceStructure(): void {
    this.events = eventClasses(this.topLevels, this.context);
    this.closed = closedClasses(this.events.keys());
    const declarations = this.gatherSource(() => {
      this.forEachNamedType(
        ["interposing", 2],
        (c: ClassType) => this.emitClass(c),
        (e: EnumType) => this.emitEnum(e),
        () => undefined,
      );
    });
    const closing = this.gatherSource(() => this.emitClosingCode());
    for (const line of GENERATED_HEADER.trimEnd().split("\n")) this.emitLine(line.replace(/^\/\/ ?/, "# "));
    this.emitLine('"""Sibyl\'s event and API models, generated from the JSON Schemas in schemas/."""');
    this.ensureBlankLine();
    // Written out rather than collected: quicktype lists imports in the order it first met them.
    this.emitLine("from dataclasses import dataclass");
    this.emitLine("from enum import Enum");
    this.emitLine("from typing import Any, Callable, ClassVar, Literal, Optional, TypeVar, Union");
    this.ensureBlankLine(2);
    this.emitMultiline(PYTHON_RUNTIME);
    this.ensureBlankLine(2);
    this.emitGatheredSource(declarations);
    this.ensureBlankLine(2);
    this.emitGatheredSource(closing);
  }

  protected override emitEnum(t: EnumType): void {
    checkTitleKept(t, this.sourcelikeToString(this.nameForNamedType(t)), this.context);
    super.emitEnum(t);
  }

  protected override emitClass(t: ClassType): void {
    const className = this.nameForNamedType(t);
    checkTitleKept(t, this.sourcelikeToString(className), this.context);
    const eventType = this.events.get(t);
    this.emitLine("@", this.withImport("dataclasses", "dataclass"));
    this.declareType(t, () => {
      this.ensureBlankLine();
      if (eventType !== undefined) {
        this.emitLine(`event_type: ClassVar[Literal["${eventType}"]] = "${eventType}"`);
        this.emitDescription([this.context.eventTypeDescriptions.get(eventType)!]);
        this.ensureBlankLine();
      }
      this.forEachClassProperty(t, "none", (name, jsonName, property) => {
        checkModelledType(propertyType(property).type, `${this.sourcelikeToString(className)}.${jsonName}`);
        this.emitLine(name, ": ", this.pythonType(property.type, true));
        this.emitDescription(this.descriptionForClassProperty(t, jsonName));
        this.ensureBlankLine();
      });
      this.emitClassMembers(t);
    });
  }

  protected override emitClassMembers(t: ClassType): void {
    const className = this.nameForNamedType(t);
    const eventType = this.events.get(t);
    const required: string[] = eventType === undefined ? [] : ["event_type"];
    const optional: string[] = [];
    this.forEachClassProperty(t, "none", (_name, jsonName, property) => {
      (propertyType(property).optional ? optional : required).push(jsonName);
    });
    this.emitLine("@staticmethod");
    this.emitBlock(["def from_dict(obj: Any) -> ", this.namedType(t), ":"], () => {
      this.emitLine("fields = _object(");
      this.indent(() => {
        this.emitLine("obj,");
        this.emitLine(this.string(this.sourcelikeToString(className)), ",");
        this.emitLine(`required=${pythonTuple(required)},`);
        this.emitLine(`optional=${pythonTuple(optional)},`);
        if (!this.closed.has(t)) this.emitLine("closed=False,");
      });
      this.emitLine(")");
      if (eventType !== undefined) this.emitLine(`_event_type(fields, "${eventType}")`);
      this.emitLine("return ", className, "(");
      this.indent(() => {
        this.forEachClassProperty(t, "none", (name, jsonName, property) => {
          const { type, optional: isOptional } = propertyType(property);
          const reader = isOptional ? "_optional" : "_required";
          this.emitLine(
            name,
            "=",
            reader,
            "(fields, ",
            this.string(jsonName),
            ", ",
            this.decoder(type),
            "),",
          );
        });
      });
      this.emitLine(")");
    });
    this.ensureBlankLine();
    this.emitBlock("def to_dict(self) -> dict[str, Any]:", () => {
      this.emitLine(
        "result: dict[str, Any] = {",
        eventType === undefined ? "" : '"event_type": self.event_type',
        "}",
      );
      this.forEachClassProperty(t, "none", (name, jsonName, property) => {
        const { type, optional: isOptional } = propertyType(property);
        const assignment = ["result[", this.string(jsonName), "] = ", this.encoder(type, ["self.", name], 0)];
        if (isOptional) this.emitBlock(["if self.", name, " is not None:"], () => this.emitLine(assignment));
        else this.emitLine(assignment);
      });
      this.emitLine("return result");
    });
  }

  /** A Python expression for a function from a JSON value to the model value of `type`. */
  private decoder(type: Type): Sourcelike {
    if (type instanceof ClassType) return [this.nameForNamedType(type), ".from_dict"];
    if (type instanceof EnumType) return ["_enum(", this.nameForNamedType(type), ")"];
    if (type instanceof ArrayType) return ["_list(", this.decoder(type.items), ")"];
    if (type instanceof MapType) return ["_map(", this.decoder(type.values), ")"];
    if (type instanceof UnionType) {
      const members = scalarUnionMembers(type, "union");
      const names = members.map((kind) => SCALAR_NAMES[kind]);
      const expected = `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
      return [`_union("${expected}", `, members.map((kind) => SCALAR_DECODERS[kind]).join(", "), ")"];
    }
    return SCALAR_DECODERS[type.kind as ScalarKind];
  }

  /** A Python expression for the JSON value of `value`, a model value of `type`. */
  private encoder(type: Type, value: Sourcelike, depth: number): Sourcelike {
    const item = `v${depth}`;
    if (type instanceof ClassType) return [value, ".to_dict()"];
    if (type instanceof EnumType) return [value, ".value"];
    if (type instanceof ArrayType) {
      const encoded = this.encoder(type.items, item, depth + 1);
      return encoded === item ? ["list(", value, ")"] : ["[", encoded, ` for ${item} in `, value, "]"];
    }
    if (type instanceof MapType) {
      const encoded = this.encoder(type.values, item, depth + 1);
      return encoded === item
        ? ["dict(", value, ")"]
        : [`{k${depth}: `, encoded, ` for k${depth}, ${item} in `, value, ".items()}"];
    }
    return value;
  }

  protected override emitClosingCode(): void {
    const events = [...this.events].sort(([, a], [, b]) => (a < b ? -1 : 1));
    const names: Name[] = events.map(([t]) => this.nameForNamedType(t));
    this.emitLine("SibylEvent = Union[");
    this.indent(() => {
      for (const name of names) this.emitLine(name, ",");
    });
    this.emitLine("]");
    this.emitLine('"""Any Sibyl event; its `event_type` tells which."""');
    this.ensureBlankLine(2);
    this.emitLine("_EVENT_DECODERS: dict[str, Callable[[Any], SibylEvent]] = {");
    this.indent(() => {
      for (const [t, eventType] of events)
        this.emitLine(`"${eventType}": `, this.nameForNamedType(t), ".from_dict,");
    });
    this.emitLine("}");
    this.ensureBlankLine(2);
    this.emitLine("EVENT_TYPES: tuple[str, ...] = tuple(_EVENT_DECODERS)");
    this.emitLine('"""Every event type, in alphabetical order."""');
    this.ensureBlankLine(2);
    this.emitMultiline(`def event_from_dict(obj: Any) -> SibylEvent:
    """Decodes any event (a parsed JSON object), choosing the model by its event_type."""
    if not isinstance(obj, dict):
        raise DecodeError("", f"an event must be an object, not {_kind(obj)}")
    if "event_type" not in obj:
        raise DecodeError("/event_type", "event_type is required")
    event_type = obj["event_type"]
    if not isinstance(event_type, str):
        raise DecodeError("/event_type", f"must be a string, not {_kind(event_type)}")
    decode = _EVENT_DECODERS.get(event_type)
    if decode is None:
        raise DecodeError("/event_type", f"{event_type!r} is not an event type")
    return decode(obj)`);
  }
}

function pythonTuple(items: readonly string[]): string {
  if (items.length === 0) return "()";
  const quoted = items.map((item) => `"${item}"`);
  return items.length === 1 ? `(${quoted[0]},)` : `(${quoted.join(", ")})`;
}

/** quicktype's Python language (3.9: dataclasses, builtin generics) rendered by SibylPythonRenderer. */
export class SibylPythonLanguage extends PythonTargetLanguage {
  constructor(private readonly context: ModelContext) {
    super();
  }

  protected override makeRenderer(renderContext: RenderContext): PythonRenderer {
    return new SibylPythonRenderer(this, renderContext, this.context);
  }
}
