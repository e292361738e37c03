"""Where psoas's data files are, and loading them through the cache.

A catalogue or routines file is parsed and validated once; the result is
cached by name (cache.py), so later starts read it back without importing
PyYAML at all.  Pure Python.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from psoas_cli.errors import CatalogueError, DataFileError
from psoas_cli.files import cache

if TYPE_CHECKING:  # the models load when data is built: names alone need none
    from psoas_cli.model.catalogue import Catalogue, Moves
    from psoas_cli.model.checkins import Checkins
    from psoas_cli.model.programs import Programs
    from psoas_cli.model.routines import Routines
    from psoas_cli.model.selftests import SelfTests

CATALOGUE = "stretches.yaml"
ROUTINES = "routines.yaml"
PROGRAMS = "programs.yaml"  # psoas program: built in, and the user's in the psoas folder
CONFIG = "config.toml"  # settings in the psoas folder (config.py reads it)
SELFTESTS = "tests.yaml"  # the self-tests of psoas test: additions, never the catalogue's
CHECKINS = "checkins.yaml"  # the check-ins' questions, screens and calm lines


def bundled_path(name: str) -> str:
    """Where a data file shipped with psoas lives.

    A wheel carries ``psoas_cli/data``; an editable install or a checkout
    reads ``data/`` at the top of the repository.
    """
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder in (os.path.join(package, "data"), os.path.join(os.path.dirname(package), "data")):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    raise CatalogueError(f"psoas's own {name} is missing from {package}; reinstall psoas")


def user_routines_path(home: str) -> str:
    return os.path.join(home, ROUTINES)


def user_programs_path(home: str) -> str:
    return os.path.join(home, PROGRAMS)


# -- the catalogue ------------------------------------------------------------------

def load_catalogue(path: str | None = None, *, cache_dir: str | None = None) -> Catalogue:
    """Read and validate a catalogue; the bundled one when ``path`` is None.

    A catalogue that gives no general caution, breathing cue, closing line or
    moves between positions takes the bundled catalogue's, the one source of
    their words: they hold for any stretch.
    """
    catalogue = _read_catalogue(path or bundled_path(CATALOGUE), cache_dir)
    if path is None or (catalogue.caution and catalogue.breathing and catalogue.closing
                        and catalogue.moves.between):
        return catalogue
    from psoas_cli.model.catalogue import Catalogue  # noqa: PLC0415 - off TAB completion: 0.9 ms

    bundled = _general_words(cache_dir)
    # The spoken caution goes with the written one: the bundled one's only with it.
    said = catalogue.said_caution if catalogue.caution else bundled["said_caution"]
    return Catalogue(catalogue.caution or bundled["caution"], catalogue.stretches,
                     catalogue.breathing or bundled["breathing"],
                     catalogue.closing or bundled["closing"],
                     catalogue.moves if catalogue.moves.between else _moves(bundled), said)


def _read_catalogue(path: str, cache_dir: str | None) -> Catalogue:
    def parsed() -> Catalogue:
        from psoas_cli.files.catalogue_schema import parse  # noqa: PLC0415 - PyYAML: 16 ms

        return parse(path)

    return _through_cache((path,), "catalogue", cache_dir, read=_catalogue_from_plain,
                          parse=parsed, plain=_catalogue_to_plain)


_GENERAL = ("caution", "breathing", "closing", "between", "places", "said_caution")


def _general_words(cache_dir: str | None) -> dict[str, Any]:
    """The bundled catalogue's general caution, breathing cue, closing line
    and moves; straight from its cached data when it is there, without
    building its stretches."""
    try:
        path = bundled_path(CATALOGUE)
        stored = _cached(path, kind="catalogue", cache_dir=cache_dir)
        if isinstance(stored, dict) and all(name in stored for name in _GENERAL):
            return stored
        return _catalogue_to_plain(_read_catalogue(path, cache_dir))
    except CatalogueError:  # psoas's own file is gone: the user's catalogue still works
        return {"caution": "", "breathing": "", "closing": "", "between": {}, "places": {},
                "said_caution": ""}


def _moves(plain: dict[str, Any]) -> Moves:
    # As the other models here: loaded when data is built (catalogue: 1.5 ms).
    from psoas_cli.model.catalogue import Moves  # noqa: PLC0415 - data is being built

    return Moves(dict(plain["between"]), dict(plain["places"]))


def _cached(*paths: str, kind: str, cache_dir: str | None) -> Any:
    """The cached data made from ``paths``, or None."""
    if not cache_dir:
        return None
    key = cache.key_for(*paths, kind=kind)
    return cache.read(cache_dir, key) if key is not None else None


def _store(value: dict[str, Any], *paths: str, kind: str, cache_dir: str | None) -> None:
    if not cache_dir:
        return
    key = cache.key_for(*paths, kind=kind)
    if key is not None:
        cache.write(cache_dir, key, value)


Made = TypeVar("Made")


def _through_cache(paths: Sequence[str], kind: str, cache_dir: str | None, *,
                   read: Callable[[Any], Made], parse: Callable[[], Made],
                   plain: Callable[[Made], dict[str, Any]]) -> Made:
    """What ``paths`` hold: the cached copy read back with ``read``; on a miss,
    or cached data of another shape, ``parse()`` (which loads its schema, and
    PyYAML with it, then only), stored as ``plain`` makes it."""
    stored = _cached(*paths, kind=kind, cache_dir=cache_dir)
    if stored is not None:
        try:
            return read(stored)
        except (TypeError, ValueError, KeyError):
            pass  # data of another shape: parse afresh
    made = parse()
    _store(plain(made), *paths, kind=kind, cache_dir=cache_dir)
    return made


_RANGES = ("hold", "reps")


def _catalogue_to_plain(catalogue: Catalogue) -> dict[str, Any]:
    """Builtins only, fields by name: marshal refuses tuple subclasses."""
    stretches = []
    for stretch in catalogue.stretches:
        fields = stretch._asdict()
        for name in _RANGES:
            fields[name] = tuple(fields[name])
        if stretch.figure is not None:
            fields["figure"] = stretch.figure.to_plain()
        if stretch.gentle is not None:
            fields["gentle"] = stretch.gentle._asdict()
        stretches.append(fields)
    return {"caution": catalogue.caution, "breathing": catalogue.breathing,
            "closing": catalogue.closing, "said_caution": catalogue.said_caution,
            "between": dict(catalogue.moves.between),
            "places": dict(catalogue.moves.places), "stretches": stretches}


def _catalogue_from_plain(plain: dict[str, Any]) -> Catalogue:
    # TAB completion reads names from the cache without the models.
    from psoas_cli.model.catalogue import (  # noqa: PLC0415 - 0.9 ms
        Catalogue,
        Range,
        Stretch,
        Variant,
    )

    stretches = []
    for fields in plain["stretches"]:
        if set(fields) != set(Stretch._fields):  # never fill a missing field with its default
            raise ValueError("a cached stretch of another shape")
        for name in _RANGES:
            fields[name] = Range(*fields[name])
        if fields["figure"] is not None:
            from psoas_cli.model.figures import Figure  # noqa: PLC0415 - off TAB completion: 0.6 ms

            fields["figure"] = Figure.from_plain(fields["figure"])
        if fields["gentle"] is not None:
            fields["gentle"] = Variant(**fields["gentle"])
        stretches.append(Stretch(**fields))
    return Catalogue(plain["caution"], tuple(stretches), plain["breathing"], plain["closing"],
                     _moves(plain), plain["said_caution"])


# -- the self-tests and the check-ins -----------------------------------------------------
# psoas's own files only (no option points elsewhere), cached as the catalogue
# is: 'psoas' alone and 'psoas progress' read them without importing PyYAML.

def load_selftests(*, cache_dir: str | None = None, path: str | None = None) -> SelfTests:
    """The self-tests of tests.yaml, validated (SelfTestError if not)."""
    path = path or bundled_path(SELFTESTS)

    def parsed() -> SelfTests:
        from psoas_cli.files.practice_schema import parse_tests  # noqa: PLC0415 - a cache miss

        return parse_tests(path)

    return _through_cache((path,), "selftests", cache_dir, read=_selftests_from_plain,
                          parse=parsed, plain=_selftests_to_plain)


def _selftests_to_plain(tests: SelfTests) -> dict[str, Any]:
    plain = []
    for test in tests.tests:
        fields = test._asdict()
        fields["questions"] = [{**q._asdict(), "answers": [list(a) for a in q.answers]}
                               for q in test.questions]
        fields["bands"] = [list(b) for b in test.bands]
        if test.figure is not None:
            fields["figure"] = test.figure.to_plain()
        plain.append(fields)
    return {"version": tests.version, "retest_days": tests.retest_days,
            "before": tests.before, "tests": plain}


def _selftests_from_plain(plain: dict[str, Any]) -> SelfTests:
    # noqa below: the models load when data is built, as the catalogue's (datafiles' rule)
    from psoas_cli.model.selftests import Answer, Question, SelfTest, SelfTests  # noqa: PLC0415

    tests = []
    for fields in plain["tests"]:
        if set(fields) != set(SelfTest._fields):
            raise ValueError("a cached test of another shape")
        fields["questions"] = tuple(
            Question(**{**q, "answers": tuple(Answer(*a) for a in q["answers"])})
            for q in fields["questions"])
        fields["bands"] = tuple(tuple(b) for b in fields["bands"])
        if fields["figure"] is not None:
            from psoas_cli.model.figures import Figure  # noqa: PLC0415 - as the catalogue's

            fields["figure"] = Figure.from_plain(fields["figure"])
        tests.append(SelfTest(**fields))
    return SelfTests(plain["version"], plain["retest_days"], tuple(plain["before"]),
                     tuple(tests))


def load_checkins(*, cache_dir: str | None = None, path: str | None = None) -> Checkins:
    """The check-ins of checkins.yaml, validated (CheckinError if not)."""
    path = path or bundled_path(CHECKINS)

    def parsed() -> Checkins:
        from psoas_cli.files.practice_schema import parse_checkins  # noqa: PLC0415 - as above

        return parse_checkins(path)

    return _through_cache((path,), "checkins", cache_dir, read=_checkins_from_plain,
                          parse=parsed, plain=_checkins_to_plain)


def _checkins_to_plain(checkins: Checkins) -> dict[str, Any]:
    fields = checkins._asdict()
    fields["questions"] = [q._asdict() for q in checkins.questions]
    fields["lines"] = {name: line._asdict() for name, line in checkins.lines.items()}
    return fields


def _checkins_from_plain(plain: dict[str, Any]) -> Checkins:
    from psoas_cli.model.checkins import CalmLine, CheckinQuestion, Checkins  # noqa: PLC0415

    if set(plain) != set(Checkins._fields):
        raise ValueError("cached check-ins of another shape")
    plain["questions"] = tuple(CheckinQuestion(**q) for q in plain["questions"])
    plain["lines"] = {name: CalmLine(**line) for name, line in plain["lines"].items()}
    return Checkins(**plain)


# -- routines ---------------------------------------------------------------------

def load_routines(catalogue: Catalogue, *, catalogue_path: str | None = None,
                  home: str | None = None, extra: str | None = None,
                  cache_dir: str | None = None,
                  broken: Callable[[DataFileError], None] | None = None) -> Routines:
    """Built-in routines, then the user's file in ``home``, then ``extra``.

    Later files win on a name clash, so a user can redefine ``warmup``.
    Built-in routines the catalogue can't play (the user's own catalogue,
    without their stretches) are left out, each noted in ``unavailable``;
    a mistake in the user's files is an error, or, given ``broken``, is
    passed to it and that file left out.  Routines name stretches, so a
    cached copy is used only while both the routines file and the catalogue
    are unchanged.
    """
    from psoas_cli.model.routines import Routines  # noqa: PLC0415 - off TAB completion: 1.8 ms

    catalogue_path = catalogue_path or bundled_path(CATALOGUE)
    routines = Routines()
    for path in _routines_paths(home, extra):
        builtin = path == bundled_path(ROUTINES)
        try:
            found = load_routines_file(path, catalogue, catalogue_path=catalogue_path,
                                       cache_dir=cache_dir, builtin=builtin)
        except DataFileError as exc:
            if broken is None or builtin:
                raise
            broken(exc)
            continue
        routines.update(found)
        for name in found:
            routines.unavailable.pop(name, None)  # yours plays instead
        routines.unavailable.update(found.unavailable)
    return routines


def _routines_paths(home: str | None, extra: str | None) -> list[str]:
    paths = [bundled_path(ROUTINES)]
    # Anything there (a directory, a dangling link, a device) is read, and so
    # refused with the same words as --routines, rather than passed over.
    if home and os.path.lexists(user_routines_path(home)):
        paths.append(user_routines_path(home))
    if extra:
        paths.append(extra)
    return paths


def load_routines_file(path: str, catalogue: Catalogue, *, catalogue_path: str,
                       cache_dir: str | None = None, builtin: bool = False) -> Routines:
    """The routines in one file.  ``builtin``: psoas's own file, whose routines
    that don't fit ``catalogue`` are noted as unavailable rather than wrong."""
    def parsed() -> Routines:
        from psoas_cli.files.routines_schema import parse  # noqa: PLC0415 - PyYAML: 17 ms
        from psoas_cli.model.routines import Routines  # noqa: PLC0415 - off TAB completion

        unavailable: dict[str, str] | None = {} if builtin else None
        return Routines(parse(path, catalogue, unavailable=unavailable).items(), unavailable)

    return _through_cache((path, catalogue_path), "routines", cache_dir,
                          read=lambda stored: _routines_from_plain(stored, catalogue),
                          parse=parsed, plain=_routines_to_plain)


def _routines_to_plain(routines: Routines) -> dict[str, Any]:
    plain = []
    for routine in routines.values():
        items = [{**i._asdict(), "stretch": i.stretch.slug} for i in routine.items]
        plain.append({"name": routine.name, "description": routine.description,
                      "holds": routine.holds, "reps": routine.reps,
                      "pauses": routine.pauses._asdict(), "items": items,
                      "level": routine.level, "minutes": routine.minutes,
                      "leave_out": routine.leave_out, "purpose": routine.purpose,
                      "closing": routine.closing})
    return {"routines": plain, "unavailable": routines.unavailable}


def _routines_from_plain(plain: dict[str, Any], catalogue: Catalogue) -> Routines:
    # Never on TAB completion (tests/test_completion.py checks it).
    from psoas_cli.model.routines import Item, Pauses, Routine, Routines  # noqa: PLC0415 - 1.8 ms

    by_slug = {stretch.slug: stretch for stretch in catalogue}
    routines = Routines(unavailable=plain["unavailable"])
    for fields in plain["routines"]:
        if set(fields) != set(Routine._fields):  # never fill a missing field with its default
            raise ValueError("a cached routine of another shape")
        fields["pauses"] = Pauses(**fields["pauses"])
        fields["items"] = tuple(Item(**{**item, "stretch": by_slug[item["stretch"]]})
                                for item in fields["items"])
        routines[fields["name"]] = Routine(**fields)
    return routines


# -- names alone, for TAB completion ------------------------------------------------
# Read straight from a warm cache without building the models: completion
# asks on every TAB and wants nothing more.  A cold cache is filled once.

def stretch_names(path: str | None = None, *,
                  cache_dir: str | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(slug, name, aliases) of every stretch, in catalogue order."""
    path = path or bundled_path(CATALOGUE)
    stored = _cached(path, kind="catalogue", cache_dir=cache_dir)
    try:
        return [(f["slug"], f["name"], tuple(f["aliases"])) for f in stored["stretches"]]
    except (TypeError, KeyError):  # not cached (None), or of another shape
        return [(s.slug, s.name, s.aliases) for s in load_catalogue(path, cache_dir=cache_dir)]


def routine_descriptions(*, catalogue_path: str | None = None, home: str | None = None,
                         extra: str | None = None, cache_dir: str | None = None,
                         own_only: bool = False) -> dict[str, str]:
    """name: description of every routine load_routines would give; ``own_only``:
    of those in the user's file alone (the ones 'psoas routine rm' removes)."""
    catalogue_path = catalogue_path or bundled_path(CATALOGUE)
    found: dict[str, str] = {}
    paths = _routines_paths(home, extra)
    if own_only:
        paths = [p for p in paths if home and p == user_routines_path(home)]
    for path in paths:
        stored = _cached(path, catalogue_path, kind="routines", cache_dir=cache_dir)
        try:
            found.update({fields["name"]: fields["description"]
                          for fields in stored["routines"]})
        except (TypeError, KeyError):
            catalogue = load_catalogue(catalogue_path, cache_dir=cache_dir)
            if own_only:
                return {name: routine.description for name, routine in load_routines_file(
                    path, catalogue, catalogue_path=catalogue_path,
                    cache_dir=cache_dir).items()}
            return {name: routine.description for name, routine in load_routines(
                catalogue, catalogue_path=catalogue_path, home=home, extra=extra,
                cache_dir=cache_dir).items()}
    return found


def selftest_names(*, cache_dir: str | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(slug, name, aliases) of every self-test, in tests.yaml's order."""
    stored = _cached(bundled_path(SELFTESTS), kind="selftests", cache_dir=cache_dir)
    try:
        return [(f["slug"], f["name"], tuple(f["aliases"])) for f in stored["tests"]]
    except (TypeError, KeyError):
        return [(t.slug, t.name, t.aliases) for t in load_selftests(cache_dir=cache_dir).tests]


def program_descriptions(*, catalogue_path: str | None = None, home: str | None = None,
                         extra: str | None = None,
                         cache_dir: str | None = None) -> dict[str, str]:
    """name: description of every program load_programs would give."""
    catalogue_path = catalogue_path or bundled_path(CATALOGUE)
    depends = [catalogue_path, *_routines_paths(home, extra)]
    found: dict[str, str] = {}
    for path in _programs_paths(home):
        stored = _cached(path, *depends, kind="programs", cache_dir=cache_dir)
        try:
            found.update({fields["name"]: fields["description"]
                          for fields in stored["programs"]})
        except (TypeError, KeyError):
            catalogue = load_catalogue(catalogue_path, cache_dir=cache_dir)
            routines = load_routines(catalogue, catalogue_path=catalogue_path, home=home,
                                     extra=extra, cache_dir=cache_dir)
            return {name: program.description for name, program in load_programs(
                catalogue, routines, catalogue_path=catalogue_path, home=home, extra=extra,
                cache_dir=cache_dir).items()}
    return found


# -- programs ---------------------------------------------------------------------

def load_programs(catalogue: Catalogue, routines: Routines, *,
                  catalogue_path: str | None = None, home: str | None = None,
                  extra: str | None = None, cache_dir: str | None = None,
                  broken: Callable[[DataFileError], None] | None = None) -> Programs:
    """Built-in programs, then the user's programs.yaml in ``home``.

    A program names routines and stretches, so it is checked against those
    in use, and a cached copy is used only while the programs file, the
    catalogue and every routines file read (``home``'s, ``extra``) are
    unchanged.  Built-in programs that can't be played with them are left
    out, each noted in ``unavailable``; a mistake in the user's file is an
    error, or, given ``broken``, passed to it and the file left out.
    """
    from psoas_cli.model.programs import Programs  # noqa: PLC0415 - off TAB completion

    catalogue_path = catalogue_path or bundled_path(CATALOGUE)
    depends = [catalogue_path, *_routines_paths(home, extra)]
    programs = Programs()
    paths = _programs_paths(home)
    for path in paths:
        builtin = path == paths[0]
        try:
            found = _programs_file(path, catalogue, routines, depends, cache_dir=cache_dir,
                                   builtin=builtin)
        except DataFileError as exc:
            if broken is None or builtin:
                raise
            broken(exc)
            continue
        programs.update(found)
        for name in found:
            programs.unavailable.pop(name, None)  # yours plays instead
        programs.unavailable.update(found.unavailable)
    return programs


def _programs_paths(home: str | None) -> list[str]:
    paths = [bundled_path(PROGRAMS)]
    if home and os.path.lexists(user_programs_path(home)):
        paths.append(user_programs_path(home))
    return paths


def _programs_file(path: str, catalogue: Catalogue, routines: Routines, depends: list[str],
                   *, cache_dir: str | None, builtin: bool) -> Programs:
    def parsed() -> Programs:
        from psoas_cli.files.programs_schema import parse  # noqa: PLC0415 - PyYAML on a miss
        from psoas_cli.model.programs import Programs  # noqa: PLC0415 - as above

        unavailable: dict[str, str] | None = {} if builtin else None
        return Programs(parse(path, catalogue, routines, unavailable=unavailable,
                              own=not builtin).items(), unavailable)

    return _through_cache((path, *depends), "programs", cache_dir, read=_programs_from_plain,
                          parse=parsed, plain=_programs_to_plain)


def _programs_to_plain(programs: Programs) -> dict[str, Any]:
    plain = []
    for program in programs.values():
        fields = program._asdict()
        fields["sessions"] = [tuple(s) for s in program.sessions]
        fields["weeks"] = [tuple(w) for w in program.weeks]
        fields["deload"] = tuple(program.deload) if program.deload is not None else None
        fields["variations"] = [tuple(v) for v in program.variations]
        plain.append(fields)
    return {"programs": plain, "unavailable": programs.unavailable}


def _programs_from_plain(plain: dict[str, Any]) -> Programs:
    from psoas_cli.model.programs import (  # noqa: PLC0415 - as above
        Deload,
        Program,
        Programs,
        SessionKind,
        Variation,
        Week,
    )

    programs = Programs(unavailable=plain["unavailable"])
    for fields in plain["programs"]:
        if set(fields) != set(Program._fields):
            raise ValueError("a cached program of another shape")
        fields["sessions"] = tuple(SessionKind(*s) for s in fields["sessions"])
        fields["weeks"] = tuple(Week(*w) for w in fields["weeks"])
        fields["deload"] = Deload(*fields["deload"]) if fields["deload"] is not None else None
        fields["variations"] = tuple(Variation(*v) for v in fields["variations"])
        programs[fields["name"]] = Program(**fields)
    return programs
