"""Safe YAML reading that remembers where each mapping and key came from.

Only PyYAML's safe constructors are used (the C parser when available), so a
tag such as ``!!python/object/apply`` is refused instead of run.  While
building mappings the loader notes their line numbers, so validation errors
can point at ``file:line`` without parsing the file twice.

Reading is bounded (boundedread.py): only a regular file is opened (a FIFO or
a device would block or never end), and only up to limits.FILE_BYTES.  Anchors and aliases
(``&name``, ``*name``) are refused: psoas's files have no need of them, and
nine nested aliases make a value of 387 million items (an "alias bomb") that
anything walking it, even an error message, would expand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from psoas_cli import limits
from psoas_cli.errors import DataFileError
from psoas_cli.files import boundedread
from psoas_cli.text import clean, clip, close_matches, kind, line, quoted, shown

try:  # libyaml is several times faster; fall back to pure Python when absent.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    # Either loader will do, but the checker holds a name to one class.
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class Where:
    """Line numbers (1-based) of a mapping and of each of its keys."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def of(self, key: object) -> int:
        """The line of ``key``, as its text; any other key (a figure's path may
        hold one) has none recorded, so the mapping's own line."""
        return self.keys.get(key, self.line) if isinstance(key, str) else self.line


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key = key
        self.line = line


class _TrackingLoader(_BaseLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.where: dict[int, Where] = {}

    def construct_tracked_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
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

    def construct_tracked_seq(self, node: yaml.SequenceNode) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        data.extend(self.construct_sequence(node))
        items = {str(i): item.start_mark.line + 1 for i, item in enumerate(node.value)}
        self.where[id(data)] = Where(node.start_mark.line + 1, items)


    def construct_short_int(self, node: yaml.ScalarNode) -> int:
        # Python takes ever longer to read an int with more digits, and
        # refuses one of over 4,300; no number in psoas's files needs 20.
        if len(node.value) > 40:
            raise yaml.constructor.ConstructorError(
                None, None, "a number with too many digits", node.start_mark)
        _plain_number(node)
        return self.construct_yaml_int(node)

    def construct_plain_float(self, node: yaml.ScalarNode) -> float:
        _plain_number(node)
        return self.construct_yaml_float(node)


# YAML 1.1 reads '017' as octal 15, '1:30' as 90 and '0x1e' as 30: nobody
# writing a hold means those, so only plain decimals (no leading 0 before
# another digit), infinity and NaN are read; the rest are refused.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
                      r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


def plain_text(word: str) -> bool:
    """Whether ``word``, written plain (unquoted), reads back as that text:
    ``yes``, ``null``, ``007`` and ``2024-01-01`` do not (YAML 1.1 reads a
    truth, nothing, a number, a date)."""
    resolve: Callable[..., str] = yaml.resolver.Resolver().resolve
    return resolve(yaml.ScalarNode, word, (True, False)) == "tag:yaml.org,2002:str"


def _plain_number(node: yaml.ScalarNode) -> None:
    value = node.value
    if not _DECIMAL.fullmatch(value):
        raise yaml.constructor.ConstructorError(
            None, None, f"'{line(clip(value, 20))}': write numbers as plain digits, such as "
            "90", node.start_mark)


_TrackingLoader.add_constructor(_MAP_TAG, _TrackingLoader.construct_tracked_map)
_TrackingLoader.add_constructor(_SEQ_TAG, _TrackingLoader.construct_tracked_seq)
_TrackingLoader.add_constructor("tag:yaml.org,2002:int", _TrackingLoader.construct_short_int)
_TrackingLoader.add_constructor("tag:yaml.org,2002:float", _TrackingLoader.construct_plain_float)


@dataclass
class Document:
    """A parsed YAML file plus the positions needed for error messages."""

    path: str
    data: Any
    _where: dict[int, Where]

    def where(self, mapping: Any) -> Where:
        return self._where.get(id(mapping), Where(1))


def read_text(path: str, error: type[DataFileError],
              limit: int = limits.FILE_BYTES) -> str:
    """The file's text: a regular file of at most ``limit`` bytes, in UTF-8."""
    try:
        data = boundedread.read_bytes(path, limit)
    except OSError as exc:
        problem = boundedread.problem(exc, path, limit, "is a directory, not a YAML file")
        raise error(problem, path=path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from None


def parse(text: str, path: str, error: type[DataFileError]) -> Document:
    """Parse YAML text safely, turning every parser failure into ``error``."""
    loader = _TrackingLoader(text)
    try:
        node = loader.get_single_node()
        _refuse_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    except _Alias as exc:
        raise error("anchors and aliases (&name, *name) are not read in psoas's files; "
                    "write the value out in full", path=path, line=exc.line) from None
    except _DuplicateKey as exc:
        raise error(f"duplicate key '{exc.key}'", path=path, line=exc.line) from None
    except yaml.constructor.ConstructorError as exc:
        raise _tag_error(exc, path, error) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, error) from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark, a position
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise error(f"a control character ({code:#04x}) that YAML files may not hold",
                    path=path, line=text.count("\n", 0, exc.position) + 1) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()
    return Document(path, data, loader.where)


def load(path: str, error: type[DataFileError]) -> Document:
    return parse(read_text(path, error), path, error)


class _Alias(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _refuse_aliases(root: yaml.Node | None) -> None:
    """Raise _Alias at the first node met twice: what an alias makes.

    The walk visits each node once, so it costs no more than the file is
    long, however far the aliases would expand.
    """
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _Alias(node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)


def _line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


def _tag_error(exc: yaml.constructor.ConstructorError, path: str,
               error: type[DataFileError]) -> DataFileError:
    problem = exc.problem or "unsupported value"
    if "constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip().strip("'")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        problem = f"unsupported tag '{tag}': only plain YAML data is read, never Python objects"
    return error(problem, path=path, line=_line(exc))


def _syntax_error(exc: yaml.MarkedYAMLError, path: str,
                  error: type[DataFileError]) -> DataFileError:
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
        raise error(f"each {what} must be a mapping of fields, not {kind(mapping)}",
                    path=doc.path, line=line or where.line, item=item)
    for key in mapping:
        if key not in spec:
            name = key if isinstance(key, str) else shown(key)
            hint = _closest(name[:40], spec)
            raise error(f"unknown field{hint}", path=doc.path, line=where.of(name),
                        item=item, field=name)
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
    match = close_matches(key, spec, n=1)
    known = ", ".join(spec)
    return f" (did you mean '{match[0]}'?)" if match else f" (known fields: {known})"


def text(value: Any) -> str:
    """Non-empty text on one line, its control characters made visible."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"must be non-empty text, not {kind(value)}")
    return clean(" ".join(value.split()))


def text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"must be a list of text, not {kind(value)}")
    items = []
    for number, entry in enumerate(value, 1):
        try:
            items.append(text(entry))
        except Invalid as exc:
            raise Invalid(f"item {number} {exc}") from None
    return tuple(items)


def bounded(value: Any, bound: limits.Bound) -> float | int:
    """A finite number within ``bound`` (limits.py)."""
    try:
        return limits.check(value, bound)
    except limits.OutOfBounds as exc:
        raise Invalid(str(exc)) from None


def version_one(what: str) -> Converter:
    """The ``version`` field of a data file of which only version 1 exists so far."""
    return version_is(what, 1)


def version_is(what: str, version: int) -> Converter:
    """The ``version`` field of a data file: this psoas reads ``version`` only."""

    def convert(value: Any) -> int:
        if type(value) is not int or value != version:  # true == 1 in Python, not here
            given = repr(value) if isinstance(value, (str, float)) else shown(value)
            raise Invalid(f"this psoas reads {what} version {version}, not {shown(given)}")
        return version

    return convert


def choice(options: tuple[str, ...]) -> Converter:
    def convert(value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in options:
            raise Invalid(f"must be one of {', '.join(options)}, "
                          f"not '{shown(value) if isinstance(value, str) else kind(value)}'")
        return value.strip().lower()

    return convert


def flag(value: Any) -> bool:
    """A true/false field."""
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {quoted(value)}")
    return value
