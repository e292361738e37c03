"""Safe YAML reading that remembers where each mapping and key came from.

Only PyYAML's safe constructors are used (the C parser when available), so a
tag such as ``!!python/object/apply`` is refused instead of run.  While
building mappings the loader notes their line numbers, so validation errors
can point at ``file:line`` without parsing the file twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from .errors import DataFileError

try:  # libyaml is several times faster; fall back to pure Python when absent.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class Where:
    """Line numbers (1-based) of a mapping and of each of its keys."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def of(self, key: str) -> int:
        return self.keys.get(key, self.line)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key = key
        self.line = line


class _TrackingLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.where: dict[int, Where] = {}

    def construct_tracked_map(self, node: yaml.MappingNode):
        data: dict[Any, Any] = {}
        yield data
        data.update(self.construct_mapping(node))
        keys: dict[str, int] = {}
        for key_node, _ in node.value:
            name = str(key_node.value)
            line = key_node.start_mark.line + 1
            if name in keys:
                raise _DuplicateKey(name, line)
            keys[name] = line
        self.where[id(data)] = Where(node.start_mark.line + 1, keys)

    def construct_tracked_seq(self, node: yaml.SequenceNode):
        data: list[Any] = []
        yield data
        data.extend(self.construct_sequence(node))
        items = {str(i): item.start_mark.line + 1 for i, item in enumerate(node.value)}
        self.where[id(data)] = Where(node.start_mark.line + 1, items)


_TrackingLoader.add_constructor(_MAP_TAG, _TrackingLoader.construct_tracked_map)
_TrackingLoader.add_constructor(_SEQ_TAG, _TrackingLoader.construct_tracked_seq)


@dataclass
class Document:
    """A parsed YAML file plus the positions needed for error messages."""

    path: str
    data: Any
    _where: dict[int, Where]

    def where(self, mapping: Any) -> Where:
        return self._where.get(id(mapping), Where(1))


def read_text(path: str, error: type[DataFileError]) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise error("no such file", path=path) from None
    except IsADirectoryError:
        raise error("is a directory, not a YAML file", path=path) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=path) from None


def parse(text: str, path: str, error: type[DataFileError]) -> Document:
    """Parse YAML text safely, turning every parser failure into ``error``."""
    loader = _TrackingLoader(text)
    try:
        data = loader.get_single_data()
    except _DuplicateKey as exc:
        raise error(f"duplicate key '{exc.key}'", path=path, line=exc.line) from None
    except yaml.constructor.ConstructorError as exc:
        raise _tag_error(exc, path, error) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, error) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()
    return Document(path, data, loader.where)


def load(path: str, error: type[DataFileError]) -> Document:
    return parse(read_text(path, error), path, error)


def _line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


def _tag_error(exc: yaml.constructor.ConstructorError, path: str, error: type[DataFileError]):
    problem = exc.problem or "unsupported value"
    if "constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip().strip("'")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        problem = f"unsupported tag '{tag}': only plain YAML data is read, never Python objects"
    return error(problem, path=path, line=_line(exc))


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, error: type[DataFileError]):
    problem = exc.problem or "not valid YAML"
    if exc.context and exc.context not in problem:
        problem = f"{exc.context}, {problem}"
    return error(f"invalid YAML: {problem}", path=path, line=_line(exc))


# -- validating mappings into typed values ---------------------------------

class Invalid(ValueError):
    """Raised by a field converter; the caller adds file, line and field."""


Converter = Callable[[Any], Any]
REQUIRED = object()


def check_fields(
    doc: Document,
    mapping: Any,
    spec: dict[str, tuple[Converter, Any]],
    error: type[DataFileError],
    *,
    item: str | None = None,
    what: str = "entry",
    line: int | None = None,
) -> dict[str, Any]:
    """Convert ``mapping`` by ``spec`` (name -> (converter, default)).

    Rejects unknown keys and missing required ones, naming the closest known
    key so that a typo such as ``hodl`` is easy to fix.
    """
    where = doc.where(mapping)
    if not isinstance(mapping, dict):
        # A scalar has no recorded position; the caller knows its list line.
        raise error(f"each {what} must be a mapping of fields, not {type_name(mapping)}",
                    path=doc.path, line=line or where.line, item=item)
    for key in mapping:
        if key not in spec:
            hint = _closest(str(key), spec)
            raise error(f"unknown field{hint}", path=doc.path, line=where.of(str(key)),
                        item=item, field=str(key))
    values: dict[str, Any] = {}
    for name, (convert, default) in spec.items():
        if name not in mapping:
            if default is REQUIRED:
                raise error("missing", path=doc.path, line=where.line, item=item, field=name)
            values[name] = default
            continue
        try:
            values[name] = convert(mapping[name])
        except Invalid as exc:
            raise error(str(exc), path=doc.path, line=where.of(name), item=item,
                        field=name) from None
    return values


def _closest(key: str, spec: dict[str, Any]) -> str:
    from .suggest import close_matches

    match = close_matches(key, spec, n=1)
    known = ", ".join(spec)
    return f" (did you mean '{match[0]}'?)" if match else f" (known fields: {known})"


def type_name(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"must be non-empty text, not {type_name(value)}")
    return " ".join(value.split())


def text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"must be a list of text, not {type_name(value)}")
    items = []
    for number, entry in enumerate(value, 1):
        try:
            items.append(text(entry))
        except Invalid as exc:
            raise Invalid(f"item {number} {exc}") from None
    return tuple(items)


def number(value: Any, *, least: float = 0, whole: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"must be a number, not {type_name(value)}")
    if whole and int(value) != value:
        raise Invalid(f"must be a whole number, not {value}")
    if value < least:
        raise Invalid(f"must be at least {least:g}, not {value:g}")
    return int(value) if whole else value


def version_one(kind: str) -> Converter:
    """The ``version`` field of a data file: only version 1 exists so far."""

    def convert(value: Any) -> int:
        if value != 1:
            raise Invalid(f"this psoas reads {kind} version 1, not {value!r}")
        return 1

    return convert


def choice(options: tuple[str, ...]) -> Converter:
    def convert(value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in options:
            shown = value if isinstance(value, str) else type_name(value)
            raise Invalid(f"must be one of {', '.join(options)}, not '{shown}'")
        return value.strip().lower()

    return convert
