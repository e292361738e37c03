"""Records in and out of the SQLite history: exports, imports, and the sync folder's share.

The records and their kinds are exchange.py; this is their SQL, worked out
from the same registry.  Merging is by id and idempotent: a record already
here is left as it is (a copy further along, such as a session that has
ended since, replaces one in progress), and a copy that differs otherwise
is reported, never written over.  Many new records go in as one bulk
insert, in one transaction, with the tables' indexes built again after
when that is cheaper than keeping them up to date row by row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from psoas_cli.errors import HistoryError
from psoas_cli.history.exchange import (
    KINDS,
    Bad,
    Batch,
    Kind,
    Record,
    check_record,
    frozen,
    no_collection,
    storable,
)
from psoas_cli.history.liveness import judge, process_alive, this_host
from psoas_cli.history.records import IN_PROGRESS, INTERRUPTED
from psoas_cli.history.store import History
from psoas_cli.text import clip, line

CHUNK = 500  # ids in one IN (...): under SQLite's limit on parameters
REBUILD = 5000  # at least this many new rows, and more than there were: indexes after
BIG_CACHE_KIB = 32 * 1024  # SQLite's page cache for a long merge (its default: 2 MB)
T = TypeVar("T")


class Merged(NamedTuple):
    """What a merge did, by kind name."""

    added: dict[str, int]
    updated: dict[str, int]  # copies further along than the one here
    same: dict[str, int]  # already here as they are (or an older copy)
    conflicts: list[str]  # one line each: known id, different content, kept as here
    # one line each: a record SQLite would not take (its parts' ids are another
    # record's, say), set aside: the rest went in, the history is as it was
    refused: list[str]

    @classmethod
    def nothing(cls) -> Merged:
        return cls({k.name: 0 for k in KINDS}, {k.name: 0 for k in KINDS},
                   {k.name: 0 for k in KINDS}, [], [])

    def plus(self, other: Merged) -> Merged:
        def add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
            return {k: a.get(k, 0) + b.get(k, 0) for k in {**a, **b}}

        return Merged(add(self.added, other.added), add(self.updated, other.updated),
                      add(self.same, other.same), self.conflicts + other.conflicts,
                      self.refused + other.refused)

    @property
    def changed(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values())


class FileState(NamedTuple):
    """How far a file of the sync folder has been merged (the sync_files table)."""

    name: str
    machine: str | None
    size: int
    mtime_ns: int
    offset: int
    line: int  # lines merged
    mark: str  # the bytes before offset, in hex
    wrote: float | None
    problems: tuple[str, ...]


# -- reading the records here ---------------------------------------------------------

def _select(kind: Kind) -> str:
    columns = ", ".join(f.sql for f in kind.fields)
    return f"SELECT id, {kind.id_column}, machine, {columns} FROM {kind.table}"


def _read(conn: sqlite3.Connection, kind: Kind, where: str, params: Sequence[Any],
          me: str) -> list[tuple[int, Record]]:
    """(row id, record) of the rows of ``kind`` that ``where`` picks, in export order."""
    rows = conn.execute(f"{_select(kind)} {where} ORDER BY {kind.order}", params).fetchall()
    if not rows:
        return []
    found: list[tuple[int, list[Any]]] = [(row[0], [row[1], row[2] or me, *row[3:]])
                                          for row in rows]
    for part in kind.parts:
        columns = ", ".join(f.sql for f in part.fields)
        rows_of: dict[int, list[tuple[Any, ...]]] = {}
        for parent, *values in conn.execute(
                f"SELECT {part.parent}, {columns} FROM {part.table} WHERE {part.parent} IN"
                f" (SELECT id FROM {kind.table} {where}) ORDER BY {part.parent}, {part.order}",
                params):
            rows_of.setdefault(parent, []).append(tuple(values))
        for row_id, values in found:
            values.append(tuple(rows_of.get(row_id, ())))
    return [(row_id, tuple(values)) for row_id, values in found]


def _by_ids(conn: sqlite3.Connection, kind: Kind, ids: Sequence[str],
            me: str) -> dict[str, tuple[int, Record]]:
    found = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        where = f"WHERE {kind.id_column} IN ({','.join('?' * len(chunk))})"
        for row_id, record in _read(conn, kind, where, chunk, me):
            found[record[0]] = (row_id, record)
    return found


def _stamp(conn: sqlite3.Connection, me: str, *, waiting: bool = False) -> None:
    """Name every row recorded here by its id and this machine's, before it travels
    (``waiting``: only those still to go to the sync folder, found by their index:
    the others went there named)."""
    only = " AND pushed IS NULL" if waiting else ""
    for kind in KINDS:
        conn.execute(f"UPDATE {kind.table} SET machine = ? WHERE machine IS NULL{only}",
                     (me,))
        conn.execute(f"UPDATE {kind.table} SET {kind.id_column} = lower(hex(randomblob(16)))"
                     f" WHERE {kind.id_column} IS NULL{only}")


def _names(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT id, name FROM machines"))


BATCH = 2000  # rows read from SQLite at a time by an export


def _batches(conn: sqlite3.Connection, kind: Kind, where: str, params: Sequence[Any],
             me: str) -> Iterator[list[tuple[int, Record]]]:
    """``_read``'s (row id, record) pairs, BATCH rows at a time, in the same order
    (the row id breaks ties): a long history is never held whole."""
    rows = conn.execute(f"{_select(kind)} {where} ORDER BY {kind.order}, id", params)
    while batch := rows.fetchmany(BATCH):
        found: list[tuple[int, list[Any]]] = [(row[0], [row[1], row[2] or me, *row[3:]])
                                              for row in batch]
        ids = [row_id for row_id, _ in found]
        for part in kind.parts:
            columns = ", ".join(f.sql for f in part.fields)
            rows_of: dict[int, list[tuple[Any, ...]]] = {}
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                for parent, *values in conn.execute(
                        f"SELECT {part.parent}, {columns} FROM {part.table} WHERE {part.parent}"
                        f" IN ({','.join('?' * len(chunk))}) ORDER BY {part.parent},"
                        f" {part.order}", chunk):
                    rows_of.setdefault(parent, []).append(tuple(values))
            for row_id, values in found:
                values.append(tuple(rows_of.get(row_id, ())))
        yield [(row_id, tuple(values)) for row_id, values in found]


class Export(NamedTuple):
    """What ``export_to`` hands its writer."""

    machines: dict[str, str]  # the names of the machines of the records exported
    records_of: Callable[[Kind], Iterator[Record]]  # a kind's records, read as taken
    counts: dict[str, int]  # how many of each kind were taken, so far


def export_to(history: History, me: str, my_name: str, write: Callable[[Export], T], *,
              since: str | None = None) -> T:
    """``write(export)`` with every record here (of days from ``since``, YYYY-MM-DD),
    read a batch at a time as ``write`` takes them, in one read of the history:
    ``export`` gives what ``export`` would, without holding it all.  Rows
    recorded here are named for good first, when the history can be written.
    A row edited by hand beyond what an import takes (a day of 30 February, a
    name stored as bytes) is left out, and the warning names it: the rest is
    still exported."""
    bad: list[Bad] = []
    where, params = ("WHERE day >= ?", (since,)) if since else ("", ())

    def read(conn: sqlite3.Connection) -> T:
        del bad[:]
        names = _names(conn)
        names[me] = my_name
        used = _used_machines(conn, where, params, me)
        counts = {kind.name: 0 for kind in KINDS}

        def records_of(kind: Kind) -> Iterator[Record]:
            for batch in _batches(conn, kind, where, params, me):
                good = _checked(kind, batch, bad)
                counts[kind.name] += len(good)
                yield from good

        return write(Export({m: names.get(m, "") for m in sorted(used)}, records_of, counts))

    if not history.exists():
        return write(Export({}, lambda kind: iter(()), {kind.name: 0 for kind in KINDS}))
    try:
        try:
            history.file.run(lambda conn: _stamp(conn, me), write=True)
        except HistoryError:  # a read-only folder, or busy: read as it is
            pass
        return history.file.run(read, write=False)
    finally:
        if bad:
            more = f" (and {len(bad) - 1:,} more)" if len(bad) > 1 else ""
            history.file.warn(f"{len(bad):,} record{'s' if len(bad) > 1 else ''} in "
                              f"{history.path} could not be read, and "
                              f"{'are' if len(bad) > 1 else 'is'} left out of the export: "
                              f"{bad[0]}{more}")


def _used_machines(conn: sqlite3.Connection, where: str, params: Sequence[Any],
                   me: str) -> set[str]:
    """The machines of the records an export takes: of each kind, every machine
    with a record that passes the checks (the first one read, almost always)."""
    used: set[str] = set()
    for kind in KINDS:
        for (machine,) in conn.execute(f"SELECT DISTINCT machine FROM {kind.table} {where}",
                                       params).fetchall():
            if (machine or me) in used:
                continue
            which = "machine IS NULL" if machine is None else "machine = ?"
            for batch in _batches(conn, kind, f"{where} {'AND' if where else 'WHERE'} {which}",
                                  (*params, *(() if machine is None else (machine,))), me):
                if _checked(kind, batch, []):
                    used.add(machine or me)
                    break
    return used


def _checked(kind: Kind, found: Iterable[tuple[int, Record]], bad: list[Bad]) -> list[Record]:
    """The records that pass the import's checks (an id not given yet is no fault:
    a read-only history's own rows); the others are added to ``bad``."""
    good = []
    for _, record in found:
        try:
            check_record(kind, (record[0] or "-", *record[1:]))
        except Bad as exc:
            bad.append(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - any value a check could not handle
            bad.append(Bad(f"{type(exc).__name__}", kind=kind.name, item=str(record[0])))
            continue
        good.append(record)
    return good


# -- the sync folder's share: what is still to be written there ---------------------------

def _settled(conn: sqlite3.Connection, now: float) -> list[int]:
    """Sessions still 'in progress' here whose player is gone: they go as they are
    (every reader judges them interrupted), and again if they end after all."""
    here = this_host()
    gone = []
    for row_id, pid, host, heartbeat, started in conn.execute(
            "SELECT id, pid, host, heartbeat, started_at FROM sessions"
            " WHERE pushed IS NULL AND status = ?", (IN_PROGRESS,)):
        seen = heartbeat or started
        if judge(IN_PROGRESS, seen, pid, host, now, here=here,
                 alive=process_alive) == INTERRUPTED:
            gone.append(row_id)
    return gone


def _waiting_where(kind: Kind, settled: Sequence[int]) -> tuple[str, list[Any]]:
    extra = ""
    if kind.name == "session" and settled:
        extra = f" OR id IN ({','.join('?' * len(settled))})"
    return (f"WHERE pushed IS NULL AND ({kind.final}{extra})",
            list(settled) if kind.name == "session" else [])


def unpushed(history: History, me: str, now: float) -> tuple[dict[str, list[tuple[int, Record]]],
                                                            dict[str, str]]:
    """The records not yet in the sync folder that may go there now, with their row
    ids (for ``mark_pushed``), and the names of their machines.  Rows recorded
    here are named first."""

    def work(conn: sqlite3.Connection) -> tuple[dict[str, list[tuple[int, Record]]],
                                               dict[str, str]]:
        _stamp(conn, me, waiting=True)
        settled = _settled(conn, now)
        found = {}
        for kind in KINDS:
            where, params = _waiting_where(kind, settled)
            found[kind.name] = _read(conn, kind, where, params, me)
        return found, _names(conn)

    nothing: tuple[dict[str, list[tuple[int, Record]]], dict[str, str]] = (
        {kind.name: [] for kind in KINDS}, {})
    if not history.exists() or not history.file.run(_any_waiting, write=False):
        return nothing  # the usual case: found on an index, without the write lock
    return history.file.run(work, write=True)


def _any_waiting(conn: sqlite3.Connection) -> bool:
    return any(conn.execute(f"SELECT 1 FROM {kind.table} WHERE pushed IS NULL LIMIT 1")
               .fetchone() for kind in KINDS)


def mark_pushed(history: History, ids: Mapping[str, Sequence[int]]) -> None:
    def work(conn: sqlite3.Connection) -> None:
        for kind in KINDS:
            rows = list(ids.get(kind.name, ()))
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start:start + CHUNK]
                conn.execute(f"UPDATE {kind.table} SET pushed = 1 WHERE id IN"
                             f" ({','.join('?' * len(chunk))})", chunk)

    if any(ids.values()):
        history.file.run(work, write=True)


def waiting(history: History, now: float) -> dict[str, int]:
    """How many records of each kind are still to be written to the sync folder."""
    def work(conn: sqlite3.Connection) -> dict[str, int]:
        settled = _settled(conn, now)
        counts = {}
        for kind in KINDS:
            where, params = _waiting_where(kind, settled)
            (counts[kind.name],) = conn.execute(f"SELECT count(*) FROM {kind.table} {where}",
                                                params).fetchone()
        return counts

    if not history.exists():
        return {kind.name: 0 for kind in KINDS}
    return history.file.run(work, write=False)


# -- merging records in -------------------------------------------------------------------

def merge_all(history: History, batches: Sequence[tuple[str, Batch]], *, me: str,
              pushed: bool, states: Sequence[FileState] = (),
              folder: str | None = None) -> Merged:
    """Add the records of ``batches`` (each with the name of where it came from) to
    the history, by id, in one transaction.

    ``pushed``: they came from the sync folder, so are never written back to
    it (an import's are, so that the other machines get them too).
    ``states`` are saved with them (how far each sync file has been merged).
    Two files holding different copies of one record (a file and its
    conflict copy, say) give the copy further along, else the first; any
    other difference is reported.
    """
    def work(conn: sqlite3.Connection) -> Merged:
        done = Merged.nothing()
        big = sum(batch.size() for _, batch in batches) > REBUILD
        if big:  # pages of a long merge kept in memory, not spilled to the file mid-way
            conn.execute(f"PRAGMA cache_size = -{BIG_CACHE_KIB}")
        # This machine's name is its own (machine.json), whatever a file says.
        names = {m: n for _, batch in batches for m, n in batch.machines.items()
                 if n and m != me and storable(n)}
        if names:
            conn.executemany("INSERT INTO machines (id, name) VALUES (?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                             sorted(names.items()))
        for kind in KINDS:
            chosen: dict[str, tuple[Record, str]] = {}
            for source, batch in batches:
                _choose(kind, batch.records.get(kind.name, ()), source, chosen, done)
            if chosen:
                done = done.plus(_merge_kind(conn, kind, chosen, me=me, pushed=pushed))
        for state in states:  # what differed is kept with the file it came from
            mine = f"{state.name}: "
            found = tuple(c for c in done.conflicts if c.startswith(mine))
            refused = tuple(c for c in done.refused if c.startswith(mine))
            if folder is not None:
                _save_state(conn, folder, state._replace(problems=noted(
                    state.name, state.problems, found + refused, len(refused))))
        if big:
            conn.execute("PRAGMA cache_size = -2000")  # SQLite's default again
        return done

    if not any(batch.size() for _, batch in batches) and not states:
        return Merged.nothing()
    with no_collection():
        return history.file.run(work, write=True)


def merge(history: History, batch: Batch, *, me: str, source: str,
          pushed: bool) -> Merged:
    """``merge_all`` of one batch."""
    return merge_all(history, [(source, batch)], me=me, pushed=pushed)


def _choose(kind: Kind, records: Iterable[Record], source: str,
            chosen: dict[str, tuple[Record, str]], done: Merged) -> None:
    """One copy of each id into ``chosen``: the one furthest along, else the first;
    two copies that differ otherwise are reported."""
    for record in records:
        before = chosen.get(record[0])
        if before is None:
            chosen[record[0]] = (record, source)
            continue
        verdict = _compare(kind, frozen(kind, before[0]), record)
        if verdict == "newer":
            chosen[record[0]] = (record, source)
        elif verdict == "differs" and before[1] != source:
            done.conflicts.append(_conflict(kind, before[0], record, source,
                                            here=f"the one in {before[1]}"))


def _merge_kind(conn: sqlite3.Connection, kind: Kind, chosen: Mapping[str, tuple[Record, str]],
                *, me: str, pushed: bool) -> Merged:
    done = Merged.nothing()
    ids = list(chosen)
    (count,) = conn.execute(f"SELECT count(*) FROM {kind.table}").fetchone()
    known: set[str] = set()
    if count and len(ids) > CHUNK * 4:  # one pass over the index beats many look-ups
        known = {token for (token,) in conn.execute(
            f"SELECT {kind.id_column} FROM {kind.table}") if token in chosen}
    elif count:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            known.update(token for (token,) in conn.execute(
                f"SELECT {kind.id_column} FROM {kind.table} WHERE {kind.id_column} IN"
                f" ({','.join('?' * len(chunk))})", chunk))
    new = [chosen[i][0] for i in ids if i not in known]
    if known:
        here = _by_ids(conn, kind, sorted(known), me)
        for ident in sorted(known):
            row_id, mine = here[ident]
            theirs, source = chosen[ident]
            verdict = _compare(kind, mine, theirs)
            if verdict == "same":
                done.same[kind.name] += 1
            elif verdict == "newer":
                try:
                    with _savepoint(conn):
                        _update(conn, kind, row_id, theirs, pushed)
                    done.updated[kind.name] += 1
                except REFUSED as exc:
                    done.refused.append(_refused(kind, theirs, source, exc))
            else:
                done.conflicts.append(_conflict(kind, mine, theirs, source))
    if new:
        done.added[kind.name] += _insert_good(
            conn, kind, new, chosen, done.refused, pushed=pushed,
            rebuild=len(new) >= REBUILD and len(new) > count)
    return done


# What SQLite (or its Python binding) says of a record it will not store.
REFUSED = (sqlite3.IntegrityError, ValueError, OverflowError)


class _savepoint:  # noqa: N801 - used as a statement: with _savepoint(conn)
    """A part of the transaction undone alone when it fails."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("SAVEPOINT one_record")

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            self.conn.execute("ROLLBACK TO one_record")
        self.conn.execute("RELEASE one_record")


def _insert_good(conn: sqlite3.Connection, kind: Kind, records: Sequence[Record],
                 chosen: Mapping[str, tuple[Record, str]], refused: list[str], *,
                 pushed: bool, rebuild: bool = False) -> int:
    """Insert ``records``; any that SQLite refuses are found by halves, set aside
    and named in ``refused``.  How many went in."""
    try:
        with _savepoint(conn):
            _insert(conn, kind, records, pushed=pushed, rebuild=rebuild)
        return len(records)
    except REFUSED as exc:
        if len(records) == 1:
            refused.append(_refused(kind, records[0], chosen[records[0][0]][1], exc))
            return 0
    half = len(records) // 2
    return (_insert_good(conn, kind, records[:half], chosen, refused, pushed=pushed)
            + _insert_good(conn, kind, records[half:], chosen, refused, pushed=pushed))


def _refused(kind: Kind, record: Record, source: str, exc: Exception) -> str:
    text = str(exc)
    why = "SQLite cannot store it"
    if text.startswith("UNIQUE constraint failed: "):
        table = text.split(": ", 1)[1].split(".", 1)[0]
        part = next((p for p in kind.parts if p.table == table), None)
        why = (f"the id of one of its {part.name} is another {kind.name}'s" if part
               else "its id is another's")
    return f"{source}: {kind.name} {line(clip(str(record[0]), 40))}: {why}; set aside"


def repush(history: History, me: str, elsewhere: Iterable[str] = ()) -> None:
    """Write every record of this machine to the sync folder again (its file there
    was lost, emptied, or replaced by a shorter one), and those of machines with
    no file of their own in ``elsewhere`` (imported here: only its file had them)."""
    def work(conn: sqlite3.Connection) -> None:
        others = sorted(set(elsewhere) - {me})
        marks = ",".join("?" * len(others))
        for kind in KINDS:
            conn.execute(f"UPDATE {kind.table} SET pushed = NULL WHERE machine = ?"
                         f" OR machine NOT IN ({marks})", (me, *others))

    history.file.run(work, write=True)


def _compare(kind: Kind, mine: Record, theirs: Record) -> str:
    """same (or an older copy of it), newer (theirs is further along), or differs."""
    theirs = frozen(kind, theirs)
    if mine == theirs:
        return "same"
    progress = kind.progress
    if progress is not None:
        ahead, behind = progress(theirs), progress(mine)
        if ahead != behind:
            return "newer" if ahead > behind else "same"
        if ahead == 0:  # both in progress: the later sign of life
            beat = kind.place("heartbeat")
            return "newer" if (theirs[beat] or 0) > (mine[beat] or 0) else "same"
    return "differs"


def _conflict(kind: Kind, mine: Record, theirs: Record, source: str, *,
              here: str = "the one here") -> str:
    names = ["id", "machine", *(f.name for f in kind.fields), *(p.name for p in kind.parts)]
    field = next((n for n, a, b in zip(names, mine, theirs, strict=True) if a != b), "?")
    return (f"{source}: {kind.name} {mine[0]} differs from {here} (in its {field}); "
            f"kept {here}")


def _columns(kind: Kind) -> tuple[str, str]:
    """The columns an insert sets, and their values' placeholders."""
    columns = [kind.id_column, "machine", *(f.sql for f in kind.fields), "id", "pushed",
               *(c for c, _, _ in kind.derived)]
    values = ["?"] * (4 + len(kind.fields)) + [expr for _, expr, _ in kind.derived]
    return ", ".join(columns), ", ".join(values)


def _insert(conn: sqlite3.Connection, kind: Kind, records: Sequence[Record], *, pushed: bool,
            rebuild: bool) -> None:
    n = len(kind.fields)
    (top,) = conn.execute(f"SELECT coalesce(max(id), 0) FROM {kind.table}").fetchone()
    derived = [kind.place(field) for _, _, field in kind.derived]
    tail = (1 if pushed else None,)
    if derived:
        rows = [(*r[:2 + n], top + k, *tail, *(r[d] for d in derived))
                for k, r in enumerate(records, 1)]
    else:
        rows = [r[:2 + n] + (top + k, *tail) for k, r in enumerate(records, 1)]
    columns, values = _columns(kind)
    tables = [kind.table, *(p.table for p in kind.parts)]
    indexes = _drop_indexes(conn, tables) if rebuild else []
    try:
        conn.executemany(f"INSERT INTO {kind.table} ({columns}) VALUES ({values})", rows)
        for p, part in enumerate(kind.parts):
            _insert_part(conn, part.table, part.parent, [f.sql for f in part.fields],
                         ((top + k, r[2 + n + p]) for k, r in enumerate(records, 1)))
    finally:
        for statement in indexes:  # the transaction is rolled back on failure anyway
            conn.execute(statement)


def _insert_part(conn: sqlite3.Connection, table: str, parent: str, columns: Sequence[str],
                 rows_of: Iterable[tuple[int, Sequence[tuple[Any, ...]]]]) -> None:
    marks = ", ".join("?" * (len(columns) + 1))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}, {parent}) VALUES ({marks})",
                     [(*row, row_id) for row_id, rows in rows_of for row in rows])


def _drop_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    """Drop the indexes of ``tables``; the statements that make them again."""
    marks = ",".join("?" * len(tables))
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                         f" AND sql IS NOT NULL AND tbl_name IN ({marks})", tables).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _update(conn: sqlite3.Connection, kind: Kind, row_id: int, record: Record,
            pushed: bool) -> None:
    """The row ``row_id`` becomes ``record`` (a copy further along), parts and all."""
    n = len(kind.fields)
    sets = ", ".join(f"{f.sql} = ?" for f in kind.fields)
    sets += "".join(f", {c} = {expr}" for c, expr, _ in kind.derived)
    derived = [record[kind.place(field)] for _, _, field in kind.derived]
    conn.execute(f"UPDATE {kind.table} SET machine = ?, {sets},"
                 f" pushed = {1 if pushed else 'NULL'} WHERE id = ?",
                 (record[1], *record[2:2 + n], *derived, row_id))
    for p, part in enumerate(kind.parts):
        conn.execute(f"DELETE FROM {part.table} WHERE {part.parent} = ?", (row_id,))
        _insert_part(conn, part.table, part.parent, [f.sql for f in part.fields],
                     [(row_id, record[2 + n + p])])


# -- the sync folder's files: how far each was merged --------------------------------------

KEPT_PROBLEMS = 20  # the last problems kept of each file, besides the count of records set aside
_ASIDE = re.compile(r"[^\n]*?: (\d+) records? set aside \(kept in the file, not merged\)")


def set_aside(problems: Iterable[str]) -> int:
    """How many records of a file were set aside, as its problems count them."""
    for problem in problems:
        found = _ASIDE.fullmatch(problem)
        if found:
            return int(found.group(1))
    return 0


def is_count(problem: str) -> bool:
    return _ASIDE.fullmatch(problem) is not None


def noted(name: str, problems: Sequence[str], new: Sequence[str], more: int) -> tuple[str, ...]:
    """A file's ``problems`` and ``new`` ones (the last KEPT_PROBLEMS), led by a line
    counting the records set aside in all, ``more`` of them new."""
    total = set_aside(problems) + more
    lines = [p for p in dict.fromkeys([*problems, *new]) if not is_count(p)]
    head = (f"{name}: {total} record{'s' if total != 1 else ''} set aside (kept in the "
            "file, not merged)",) if total else ()
    return head + tuple(lines[-KEPT_PROBLEMS:])


def sync_states(history: History, folder: str) -> dict[str, FileState]:
    def work(conn: sqlite3.Connection) -> dict[str, FileState]:
        return {row[0]: FileState(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                                  row[7], tuple(filter(None, (row[8] or "").split("\n"))))
                for row in conn.execute(
                    "SELECT name, machine, size, mtime_ns, offset, line, mark, wrote, problems"
                    " FROM sync_files WHERE folder = ?", (folder,))}

    if not history.exists():
        return {}
    return history.file.run(work, write=False)


def save_states(history: History, folder: str, states: Iterable[FileState]) -> None:
    def work(conn: sqlite3.Connection) -> None:
        for state in states:
            _save_state(conn, folder, state)

    history.file.run(work, write=True)


def _save_state(conn: sqlite3.Connection, folder: str, state: FileState) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_files (folder, name, machine, size, mtime_ns,"
                 " offset, line, mark, wrote, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (folder, state.name, state.machine, state.size, state.mtime_ns, state.offset,
                  state.line, state.mark, state.wrote, "\n".join(state.problems) or None))


def forget_states(history: History, folder: str, names: Iterable[str]) -> None:
    """Forget files no longer in the folder."""
    gone = list(names)
    if gone:
        history.file.run(lambda conn: conn.executemany(
            "DELETE FROM sync_files WHERE folder = ? AND name = ?",
            [(folder, name) for name in gone]), write=True)


def machine_names(history: History) -> dict[str, str]:
    if not history.exists():
        return {}
    return history.file.run(_names, write=False)


def counts_by_machine(history: History) -> dict[str | None, int]:
    """Sessions recorded on each machine (None: here, not yet named)."""
    if not history.exists():
        return {}
    return history.file.run(lambda conn: dict(conn.execute(
        "SELECT machine, count(*) FROM sessions GROUP BY machine")), write=False)
