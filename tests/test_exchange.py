"""Records on their way out and in (history/exchange.py): checks, JSON, CSV, sync lines."""

from __future__ import annotations

import csv
import io
import json
import random
import re

import pytest

from psoas_cli.history import exchange
from psoas_cli.history.exchange import BREAK, SESSION, Bad

ME, OTHER = "a" * 32, "b" * 32


def session(ident: str = "s1", *, machine: str = ME, started: float = 1_700_000_000.25,
            status: str = "finished", stretches: tuple = ((0, "cobra", "Cobra pose", "done",
                                                            30.0, 30.0),)) -> tuple:
    return (ident, machine, "2023-11-14", started, started + 60.5, "warmup", status, 60.0,
            59.75, started + 61.0, tuple(stretches))


def brk(ident: str = "b1", *, machine: str = ME, session_id: str | None = "s1") -> tuple:
    return (ident, machine, "2023-11-14", 1_700_000_100.5, "taken", None, "desk", session_id)


def a_test(ident: str = "t1", status: str = "finished") -> tuple:
    return (ident, ME, "2023-11-15", 1_700_090_000.5, "thomas", status, 1,
            (("ts1", "left", 2, 0), ("ts2", "right", None, 1)),
            (("ta1", "left", "knee", 0, "bent", 2), ("ta2", "right", "knee", 0, None, None)))


RECORDS = {"session": [session(), session("s2", machine=OTHER, status="in progress",
                                          stretches=())],
           "break": [brk(), brk("b2", session_id=None)],
           "test": [a_test()],
           "checkin": [("c1", ME, "2023-11-14", 1_700_000_001.0, "s1", "before", "hips", 4),
                       ("c2", OTHER, "2023-11-14", 1_700_000_002.0, None, "after", "back", 0)],
           "checkin-line": [("l1", ME, "2023-11-14", 1_700_000_003.0, "s1", "easier", "hips",
                             4, 2)],
           "program-event": [("p1", ME, "2023-11-14", 1_699_999_000.0, "p1", "start", "hips",
                              "0a1b2c3d", None, 0, 0),
                             ("p2", ME, "2023-11-14", 1_700_000_000.0, "p1", "session", None,
                              None, "s1", 0, 0),
                             ("p3", OTHER, "2023-11-14", 1_700_000_200.0, "p1", "hurt", None,
                              None, None, 0, 1)]}
EMPTY = {k.name: [] for k in exchange.KINDS}
NAMES = {ME: "laptop", OTHER: "desk, the big one"}


def test_every_kind_has_its_id_its_machine_its_fields_and_its_parts():
    assert [k.name for k in exchange.KINDS] == ["session", "break", "test", "checkin",
                                                "checkin-line", "program-event"]
    assert SESSION.width == 2 + 8 + 1 and BREAK.width == 2 + 6
    assert exchange.check_record(SESSION, list(session())) == session()


@pytest.mark.parametrize("change, said", [
    ({2: "2023-02-30"}, "session 's1', field 'day': must be a day as YYYY-MM-DD, not "
                        "'2023-02-30'"),
    ({3: "noon"}, "session 's1', field 'started_at': must be a number, not 'noon'"),
    ({3: -1.0}, "session 's1', field 'started_at': must be from 0 to 1e+11, not -1.0"),
    ({6: "done"}, "session 's1', field 'status': must be one of in progress, finished, "
                  "stopped, skipped, not 'done'"),
    ({5: None}, "session 's1', field 'routine': is missing"),
    ({5: "x" * 1001}, "session 's1', field 'routine': must be at most 1000 characters"),
    ({7: True}, "session 's1', field 'planned_seconds': must be a number, not true"),
    ({10: [[0, "cobra", "Cobra pose", "maybe", 1.0, 1.0]]},
     "session 's1', field 'stretches 1, status': must be one of done, skipped, not 'maybe'"),
    ({10: [[0, "cobra"]]}, "session 's1', field 'stretches 1': must be a list of 6 values"),
    ({0: "no spaces"}, "session, field 'id': must be an id of letters, digits, - and _, not "
                       "'no spaces'"),
])
def test_a_bad_value_is_named_with_its_record_and_field(change, said):
    values = [list(v) if isinstance(v, tuple) else v for v in session()]
    values[10] = [list(row) for row in values[10]]
    for place, value in change.items():
        values[place] = value
    with pytest.raises(Bad) as caught:
        exchange.check_record(SESSION, values)
    assert str(caught.value) == said


def test_json_export_round_trips_exactly_and_is_the_same_every_time():
    text = exchange.dump_json(RECORDS, NAMES)
    assert text == exchange.dump_json(RECORDS, NAMES)
    batch = exchange.read_json(text, where="x.json")
    assert batch.records == RECORDS and batch.machines == NAMES
    document = json.loads(text)
    assert document["psoas"] == "export" and document["version"] == 1
    assert document["sessions"][0]["stretches"][0] == {
        "position": 0, "slug": "cobra", "name": "Cobra pose", "status": "done",
        "held_seconds": 30.0, "planned_seconds": 30.0}


def _whole_document(records, machines) -> str:
    """The JSON export as it was written before it streamed: one json.dumps."""
    from psoas_cli.text import json_safe

    document = {"psoas": "export", "version": 1,
                "machines": {m: {"name": machines[m]} for m in sorted(machines)}}
    for kind in exchange.KINDS:
        document[kind.plural] = [exchange._as_object(kind, r)
                                 for r in records.get(kind.name, ())]
    return json_safe(json.dumps(document, ensure_ascii=False, indent=1)) + "\n"


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_the_streamed_json_export_is_byte_for_byte_the_whole_documents(monkeypatch, chunk):
    """Written a few records at a time, the export is the text one json.dumps of the
    whole gave: names with control characters, other scripts, empty kinds and
    records without parts alike; and so is its CSV, piece by piece."""
    monkeypatch.setattr(exchange, "CHUNK_RECORDS", chunk)
    odd = session("s3", stretches=())[:5] + ("caf\u00e9 \u202e\x1b[31m \u2028 \U0001f600",) \
        + session("s3")[6:10] + ((),)
    records = {**RECORDS, "session": [*RECORDS["session"], odd]}
    names = {**NAMES, OTHER: "\u0645\u0631\u062d\u0628\u0627 \x9b \\"}
    for machines in (names, {}):
        for found in (records, {}):
            assert exchange.dump_json(found, machines) == _whole_document(found, machines)
    pieces = list(exchange.csv_chunks(names, lambda kind: records.get(kind.name, ())))
    assert "".join(pieces) == exchange.dump_csv(records, names)
    assert len(pieces) == 1 if chunk == 1000 else len(pieces) > 2


def test_floats_read_back_equal_in_json_and_csv():
    rng = random.Random(25)
    records = {"session": [session(f"s{n}", started=rng.uniform(0, 4e9),
                                   stretches=((0, "a", "A", "done", rng.random() * 1e-7,
                                               rng.uniform(0, 1e6)),))
                           for n in range(300)]}
    for dump, read in ((exchange.dump_json, exchange.read_json),
                       (exchange.dump_csv, exchange.read_csv)):
        assert read(dump(records, NAMES), where="f").records == {**EMPTY, **records}


def test_the_csv_is_one_table_python_and_a_spreadsheet_read_back():
    text = exchange.dump_csv(RECORDS, NAMES)
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len({len(r) for r in rows}) == 1  # rectangular
    assert [r["kind"] for r in rows] == ["psoas", "machine", "machine", "session", "stretch",
                                         "session", "break", "break", "test", "test-side",
                                         "test-side", "test-answer", "test-answer", "checkin",
                                         "checkin", "checkin-line", "program-event",
                                         "program-event", "program-event"]
    assert rows[0]["id"] == "export" and rows[0]["version"] == "1"
    assert rows[2]["name"] == "desk, the big one"
    stretch = rows[4]
    assert (stretch["session"], stretch["slug"], stretch["held_seconds"]) == ("s1", "cobra",
                                                                             "30.0")
    assert exchange.read_csv(text, where="f.csv").records == RECORDS
    # As a spreadsheet saves it again: a byte order mark, columns moved about.
    columns = list(rows[0])
    moved = columns[::-1]
    out = io.StringIO()
    writer = csv.DictWriter(out, moved)
    writer.writeheader()
    writer.writerows(rows)
    assert exchange.read_csv("\ufeff" + out.getvalue(), where="f.csv").records == RECORDS


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_marked_and_read_back():
    sneaky = {"session": [session()[:5] + ("=HYPERLINK(\"x\")",) + session()[6:],
                          session("s3")[:5] + ("'quoted",) + session()[6:]]}
    text = exchange.dump_csv(sneaky, NAMES)
    assert "'=HYPERLINK" in text and "''quoted" in text
    assert exchange.read_csv(text, where="f").records == {**EMPTY, **sneaky}


def test_a_bad_csv_record_is_named_by_line_and_set_aside_with_its_rows():
    text = exchange.dump_csv(RECORDS, NAMES).replace(",finished,", ",done,", 1)
    batch = exchange.read_csv(text, where="f.csv")
    assert len(batch.problems) == 1
    assert re.match(r"f\.csv:\d+: session 's1', field 'status': must be one of",
                    batch.problems[0])
    assert [r[0] for r in batch.records["session"]] == [
        r[0] for r in RECORDS["session"] if r[0] != "s1"]
    missing = "kind,id,machine,version\r\npsoas,export,,1\r\nsession,s1,x,\r\n"
    assert exchange.read_csv(missing, where="f.csv").problems == [
        "f.csv:3: session 's1', field 'day': is missing"]


@pytest.mark.parametrize("text, said", [
    ("kind,id\r\nsession,s1\r\n", "f.csv: has no 'psoas,export' row"),
    ("kind,id,version\r\npsoas,export,9\r\n", "f.csv:2: was written by a newer psoas"),
    ("kind,id,version,session\r\npsoas,export,1,\r\nstretch,,,zz\r\n",
     "f.csv:3: stretch: names no session listed above it (session 'zz')"),
    ("kind,id,version\r\npsoas,export,1\r\nlunch,x,\r\n",
     "f.csv:3: is not a kind of row psoas knows ('lunch')"),
])
def test_a_bad_csv_row_is_named_by_line(text, said):
    with pytest.raises(Bad) as caught:
        exchange.read_csv(text, where="f.csv")
    assert str(caught.value).startswith(said)


def test_a_bad_json_record_is_named_and_set_aside():
    document = {"psoas": "export", "version": 1, "sessions": [{"id": "s1"}]}
    batch = exchange.read_json(json.dumps(document), where="f.json")
    assert batch.size() == 0
    assert batch.problems == ["f.json: sessions 1: session 's1', field 'day': is missing"]


@pytest.mark.parametrize("document, said", [
    ({"psoas": "export", "version": 2}, "f.json: was written by a newer psoas (version 2"),
    ({"psoas": "export", "version": 1, "lunches": []},
     "f.json: 'lunches' is not a kind of record psoas knows"),
    ({"hello": 1}, 'f.json: not a psoas export (no "psoas": "export")'),
])
def test_a_bad_json_record_is_named(document, said):
    with pytest.raises(Bad) as caught:
        exchange.read_json(json.dumps(document), where="f.json")
    assert str(caught.value).startswith(said.split(": has")[0])


def test_an_unknown_field_in_a_json_record_is_an_error_not_silently_dropped():
    document = json.loads(exchange.dump_json(RECORDS, NAMES))
    document["sessions"][0]["mood"] = "good"
    problems = exchange.read_json(json.dumps(document), where="f").problems
    assert len(problems) == 1 and "session 's1': has an unknown field 'mood'" in problems[0]


# -- sync lines ----------------------------------------------------------------------------

def frozen(records: dict) -> dict:
    return {name: [exchange.frozen(exchange.BY_NAME[name], r) for r in found]
            for name, found in records.items()}


def sync_file(records=RECORDS, wrote=1_700_000_200.0) -> bytes:
    return exchange.sync_header(ME, "laptop") + exchange.sync_lines(records, ME, NAMES, wrote)


def test_a_sync_file_is_a_header_then_a_line_a_record():
    data = sync_file()
    lines = data.decode().splitlines()
    assert json.loads(lines[0]) == {"psoas": "sync", "version": 1, "machine": ME,
                                    "name": "laptop"}
    assert json.loads(lines[1]) == {"machines": {OTHER: "desk, the big one"}}
    assert json.loads(lines[2])[:3] == ["session", "s1", None]  # this machine's: no id again
    assert json.loads(lines[3])[:3] == ["session", "s2", OTHER]
    assert json.loads(lines[-1]) == {"wrote": 1_700_000_200.0}
    chunk = exchange.read_sync(data[data.index(b"\n") + 1:], ME, where="f", first_line=2)
    assert frozen(chunk.batch.records) == RECORDS and chunk.batch.problems == []
    assert chunk.wrote == 1_700_000_200.0 and chunk.used == len(data) - len(lines[0]) - 1


def test_a_line_cut_short_is_left_for_next_time_and_a_broken_one_is_named():
    body = sync_file().split(b"\n", 1)[1]
    lines = body.split(b"\n")
    broken = b"\n".join([lines[0], b'["session","s9",nul', *lines[1:]])
    cut = broken[:-20]  # the last line (the "wrote" mark) half there
    chunk = exchange.read_sync(cut, ME, where="psoas-x.jsonl", first_line=2)
    assert chunk.batch.problems == ["psoas-x.jsonl:3: not a line psoas wrote "
                                    "('[\"session\",\"s9\",nul')"]
    assert frozen(chunk.batch.records) == RECORDS  # every whole line
    assert chunk.used == cut.rfind(b"\n") + 1 and chunk.wrote is None


@pytest.mark.parametrize("line, said", [
    (b'["lunch","x"]', "f:2: not a kind of record psoas knows"),
    (b'["session","s1",null]', "f:2: session: has 2 values, not 11"),
    (b'["break","b9",null,"2023-11-14",NaN,"taken",null,"desk",null]', "f:2: not a line"),
    (b'"just text"', "f:2: not a line psoas wrote"),
    (b"\xff\xfe", "f:2: not a line psoas wrote"),
])
def test_lines_that_are_not_records_are_named(line, said):
    chunk = exchange.read_sync(line + b"\n", ME, where="f", first_line=2)
    assert chunk.batch.problems[0].startswith(said)


def test_a_header_from_a_newer_psoas_is_recognised_as_such():
    header = exchange.read_header(b'{"psoas":"sync","version":2,"machine":"x","name":"y"}')
    assert header is not None and header.version == 2
    assert exchange.read_header(b'{"psoas":"export"}') is None
    assert exchange.read_header(b"not json") is None


def test_read_any_tells_the_three_formats_apart():
    assert exchange.read_any(exchange.dump_json(RECORDS, NAMES).encode(), where="f")[0] == "json"
    assert exchange.read_any(exchange.dump_csv(RECORDS, NAMES).encode("utf-8-sig"),
                             where="f")[0] == "csv"
    form, batch = exchange.read_any(sync_file(), where="f")
    assert form == "sync" and batch.records == RECORDS
    with pytest.raises(Bad, match="not a psoas export or sync file"):
        exchange.read_any(b"hello", where="f")
    with pytest.raises(Bad, match="not UTF-8"):
        exchange.read_any(b"\xff\xff", where="f")
