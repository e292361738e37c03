"""Adding and removing routines in a routines.yaml by editing its text.

Pure Python.  Loading the YAML and dumping it again would lose the user's
comments, blank lines and layout, so the file is edited as lines instead:
a routine is its name's line under ``routines:`` and every line indented
below it.  After each edit the new text is parsed and checked to hold
exactly the routines it should (``checked()``), so a file laid out in a way
these edits don't understand is refused rather than damaged.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from psoas_cli.errors import EditError, RoutineError
from psoas_cli.files import routines_schema, yamlfile
from psoas_cli.files.datafiles import ROUTINES, bundled_path, user_routines_path
from psoas_cli.files.safefile import replace
from psoas_cli.model.catalogue import Catalogue
from psoas_cli.model.routines import Pauses, Routine

HEADER = """\
# Your own psoas routines: 'psoas routine new' adds one, 'psoas routine rm'
# removes one, 'psoas routine edit' opens this file. A routine with the name
# of a built-in one replaces it. The fields are described in the README, and
# in psoas's own routines.yaml ('psoas where' shows where that is).
version: 1
routines:
"""

_TOP = re.compile(r"routines\s*:\s*(#.*)?$")
_KEY = re.compile(r"""(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{}\[\],&*!|>%@`-][^:#]*?)\s*:(\s|$)""")


@dataclass(frozen=True)
class Entry:
    name: str
    start: int  # the name's line (0-based)
    end: int  # one past its last line (blank lines and comments after it excluded)
    heading: int  # the first of the comment lines just above it, at its indentation


@dataclass(frozen=True)
class Layout:
    lines: list[str]
    top: int | None  # the 'routines:' line, if any
    end: int  # one past the last line of the routines block
    indent: str  # how far the routines' names are indented
    entries: list[Entry]

    def find(self, name: str) -> Entry | None:
        return next((entry for entry in self.entries if entry.name == name), None)


def _blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" "))]


def layout(text: str) -> Layout:
    lines = text.splitlines(keepends=True)
    top = next((i for i, line in enumerate(lines) if _TOP.match(line)), None)
    if top is None:
        if any(line.startswith("routines") for line in lines):
            raise EditError("its 'routines:' is written on one line (flow style); "
                            "change it with 'psoas routine edit'")
        return Layout(lines, None, len(lines), "  ", [])
    end = next((i for i in range(top + 1, len(lines))
                if not _blank_or_comment(lines[i]) and not lines[i][0].isspace()), len(lines))
    body = [i for i in range(top + 1, end) if not _blank_or_comment(lines[i])]
    indent = _indent(lines[body[0]]) if body else "  "
    starts = []
    for i in body:
        if len(_indent(lines[i])) < len(indent) or "\t" in _indent(lines[i]):
            raise EditError(f"line {i + 1} is indented unevenly; fix it with "
                            "'psoas routine edit'")
        if _indent(lines[i]) == indent:
            match = _KEY.match(lines[i])
            if not match:
                raise EditError(f"line {i + 1} is not a routine's name; change the file "
                                "with 'psoas routine edit'")
            starts.append((i, _unquote(match.group(2))))
    entries = []
    for number, (start, name) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        while stop > start + 1 and (not lines[stop - 1].strip() or (
                _blank_or_comment(lines[stop - 1])
                and len(_indent(lines[stop - 1])) <= len(indent))):
            stop -= 1  # blank lines and the next routine's comments are not this one's
        heading = start
        while heading > top + 1 and lines[heading - 1].strip().startswith("#") and \
                _indent(lines[heading - 1]) == indent:
            heading -= 1
        entries.append(Entry(name, start, stop, heading))
    return Layout(lines, top, end, indent, entries)


def _unquote(key: str) -> str:
    if key.startswith('"'):
        return str(json.loads(key))  # the pattern took a whole quoted string: text
    if key.startswith("'"):
        return key[1:-1].replace("''", "'")
    return key


# -- writing a routine -----------------------------------------------------------------

def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar: only the quote, the backslash and
    control characters are escaped, so other letters stay readable."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 32 or ord(char) == 127 or char in "\u0085\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def render(name: str, slugs: Iterable[str], *, description: str = "",
           level: str | None = None, minutes: float | None = None,
           indent: str = "  ") -> str:
    """A new routine's lines, ``indent`` in from the left, its fields as far in
    again (the file's own step)."""
    inner = indent * 2
    # A name YAML would read as something else (yes, null, 007, a date) is quoted.
    lines = [f"{indent}{name if yamlfile.plain_text(name) else quoted(name)}:"]
    if description:
        lines.append(f"{inner}description: {quoted(description)}")
    if level:
        lines.append(f"{inner}level: {level}")
    if minutes is not None:
        lines.append(f"{inner}minutes: {minutes:g}")
    lines.append(f"{inner}items:")
    lines += [f"{inner}  - {slug}" for slug in slugs]
    return "\n".join(lines) + "\n"


def add(text: str, block: str) -> str:
    """``text`` with the routine ``block`` added after the last routine."""
    if not text.strip():
        return HEADER + block
    shape = layout(text)
    lines = list(shape.lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if shape.top is None:
        return "".join(lines) + "routines:\n" + block
    at = shape.entries[-1].end if shape.entries else shape.top + 1
    gap = ["\n"] if shape.entries else []
    return "".join(lines[:at] + gap + [block] + lines[at:])


def remove(text: str, name: str) -> str:
    """``text`` without the routine ``name``, and the comment lines just above it."""
    shape = layout(text)
    entry = shape.find(name)
    if entry is None or shape.top is None:  # no 'routines:' line, no routines
        raise EditError(f"there is no routine '{name}' in it")
    lines = shape.lines
    start, stop = entry.heading, entry.end
    # The blank lines that set it apart go too (those after it, or when there
    # are none, those before), so the routines left stay as far apart as before.
    first = start == shape.top + 1
    blank_after = stop < len(lines) and not lines[stop].strip()
    if blank_after and (first or not lines[start - 1].strip()):
        while stop < len(lines) and not lines[stop].strip():
            stop += 1
    elif not blank_after:
        while start > shape.top + 1 and not lines[start - 1].strip():
            start -= 1
    return "".join(lines[:start] + lines[stop:])


def block(text: str, name: str, indent: str) -> str:
    """The lines of the routine ``name`` in ``text`` with the comments just above
    it, moved to ``indent``: used to copy a built-in routine into the user's file."""
    shape = layout(text)
    entry = shape.find(name)
    if entry is None:
        raise EditError(f"there is no routine '{name}' in it")
    old = len(shape.indent)
    moved = []
    for line in shape.lines[entry.heading:entry.end]:
        moved.append(indent + line[old:] if line.strip() else line)
    text = "".join(moved)
    return text if text.endswith("\n") else text + "\n"


# -- checking an edit --------------------------------------------------------------------

# description, level, holds, reps, minutes, pauses, leave_out, purpose, closing, and
# each item's fields
Shape = tuple[str, str | None, str, str, float | None, Pauses, tuple[str, ...], str, str,
              tuple[tuple[object, ...], ...]]


def shape_of(routines: Mapping[str, Routine]) -> dict[str, Shape]:
    """What a routine is, field by field, to compare before and after an edit."""
    return {name: (r.description, r.level, r.holds, r.reps, r.minutes, r.pauses, r.leave_out,
                   r.purpose, r.closing, tuple((i.stretch.slug, *i[1:]) for i in r.items))
            for name, r in routines.items()}


def checked(new_text: str, path: str, catalogue: Catalogue, before: Mapping[str, Routine], *,
            added: str | None = None, removed: str | None = None) -> dict[str, Routine]:
    """The routines in ``new_text``, after making sure the edit changed only
    the routine it meant to: ``before`` are the file's routines before it."""
    try:
        after = routines_in(new_text, path, catalogue)
    except RoutineError as exc:
        raise EditError(f"the edit would not read back ({exc}); the file is unchanged") \
            from None
    expected = {name for name in before if name != removed} | ({added} if added else set())
    old, new = shape_of(before), shape_of(after)
    if set(after) != expected or any(old[n] != new[n] for n in expected if n != added):
        raise EditError("the edit would change more than it should; the file is unchanged. "
                        "Change it with 'psoas routine edit'")
    return after


# -- the user's routines.yaml -------------------------------------------------------------

def user_file(home: str) -> tuple[str, str]:
    """The user's routines.yaml: its path and text ("" when there is none yet).

    Anything at all there is read (and a folder, a FIFO or a link to nothing
    named), never taken for no routines."""
    path = user_routines_path(home)
    return path, read_user(path)


def read_user(path: str) -> str:
    """The text of the routines file at ``path``; "" when there is none yet."""
    return yamlfile.read_text(path, RoutineError) if os.path.lexists(path) else ""


def routines_in(text: str, path: str, catalogue: Catalogue) -> dict[str, Routine]:
    """The routines in a routines file's text, as psoas reads them."""
    if not text.strip():
        return {}
    return routines_schema.from_document(yamlfile.parse(text, path, RoutineError), catalogue)


def save(path: str, text: str) -> str:
    """Write the user's file safely; the words saying where the old one went."""
    return kept_words(replace(path, text))


def kept_words(backup: str | None) -> str:
    """Where the file as it was went (safefile.replace's backup), in words."""
    return f"the previous file is {backup}" if backup else "a new file"


def merge(base: str, theirs: str, mine: str, path: str, catalogue: Catalogue) -> str:
    """``mine``, an edit of ``base``, with the routines another psoas added,
    removed or replaced in the file meanwhile (``theirs``) changed the same
    way in it.  EditError, naming why, when both changed one routine, or when
    the file changed in some other way (by hand, elsewhere in the file)."""
    try:
        old, new, edited = (shape_of(routines_in(text, path, catalogue))
                            for text in (base, theirs, mine))
    except RoutineError as exc:
        raise EditError(f"its routines can't be compared ({exc})") from None
    order = [entry.name for entry in layout(theirs).entries] if theirs.strip() else []
    changed = sorted((n for n in set(old) | set(new) if old.get(n) != new.get(n)),
                     key=lambda n: (n in new, order.index(n) if n in order else 0))
    both = [n for n in changed if edited.get(n) != old.get(n)]
    if both:
        raise EditError(f"routine '{both[0]}' was changed both in your edit and by another "
                        "psoas meanwhile")
    replayed, merged = base, mine
    for name in changed:
        replayed, merged = _as_in(replayed, theirs, name), _as_in(merged, theirs, name)
    if replayed != theirs:
        raise EditError("it was changed meanwhile by another program")
    return merged


def _as_in(text: str, source: str, name: str) -> str:
    """``text`` with the routine ``name`` as it is in ``source`` (or without it)."""
    if text.strip() and layout(text).find(name) is not None:
        text = remove(text, name)
    if source.strip() and layout(source).find(name) is not None:
        indent = layout(text).indent if text.strip() else "  "
        text = add(text, block(source, name, indent))
    return text


def with_builtin(draft: str, name: str, yours: dict[str, Routine]) -> str:
    """``draft`` with a copy of the built-in routine ``name`` added, unless
    the user's file has one of that name already."""
    if name in yours:
        return draft
    with open(bundled_path(ROUTINES), encoding="utf-8") as stream:
        builtin_text = stream.read()
    if layout(builtin_text).find(name) is None:
        return draft
    return add(draft, block(builtin_text, name, layout(draft).indent))


def keep_rejected(path: str, text: str) -> str:
    """Keep an edit that didn't read well beside the file, for the user to pick up again."""
    rejected = path + ".rejected"
    with open(rejected, "w", encoding="utf-8") as stream:
        stream.write(text)
    return rejected
