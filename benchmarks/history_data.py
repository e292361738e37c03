"""Fill a psoas history with many sessions, to time ``psoas history`` on it.

    python benchmarks/history_data.py /tmp/psoas-bench --sessions 100000
    PSOAS_HOME=/tmp/psoas-bench hyperfine -N 'psoas history'

The sessions spread over about four years up to now, with rest days and
the odd stopped or unfinished session, each with a handful of stretches.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from psoas_cli.history.calendar import local_day
from psoas_cli.history.dbfile import FILE_NAME  # noqa: E402
from psoas_cli.history.store import History  # noqa: E402

ROUTINES = {  # name: stretches (slug, name, planned seconds of holding)
    "warmup": [("standing", "Standing psoas stretch", 60), ("lunge", "Low lunge", 60),
               ("glute-bridge", "Glute bridge", 90)],
    "cooldown": [("supine", "Supine psoas stretch", 60), ("pigeon", "Pigeon pose", 180),
                 ("cobra", "Cobra pose", 90), ("side-lying", "Side-lying psoas stretch", 180)],
    "desk": [("seated", "Seated psoas stretch", 60), ("standing", "Standing psoas stretch", 60)],
    "full": [("half-kneeling", "Half-kneeling hip flexor stretch", 60),
             ("lunge", "Low lunge", 60), ("camel", "Camel pose", 90),
             ("foam-roller", "Psoas release with foam roller", 120),
             ("pigeon", "Pigeon pose", 180), ("cobra", "Cobra pose", 90)],
}
YEARS = 4


def generate(folder: str, sessions: int = 100_000, *, seed: int = 4,
             now: float | None = None) -> str:
    """Write ``sessions`` sessions into a new history in ``folder``; returns its path."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    path = os.path.join(folder, FILE_NAME)
    if os.path.exists(path):
        raise SystemExit(f"{path} exists; give an empty folder")
    History(folder).create()
    day_count = YEARS * 365
    # About one day in seven is a rest day; the rest share the sessions.
    days = [d for d in range(day_count) if rng.random() > 0.14 or d == 0]
    starts = sorted(now - (days[rng.randrange(len(days))] * 86400 + rng.uniform(60, 43200))
                    for _ in range(sessions))
    session_rows, stretch_rows = [], []
    names = list(ROUTINES)
    for session_id, started in enumerate(starts, 1):
        routine = rng.choice(names)
        plan = ROUTINES[routine]
        planned = sum(seconds for *_, seconds in plan) * 1.2
        roll = rng.random()
        status = "finished" if roll < 0.82 else "stopped" if roll < 0.97 else "in progress"
        reached = len(plan) if status == "finished" else rng.randrange(1, len(plan) + 1)
        active = 0.0
        for position, (slug, name, seconds) in enumerate(plan[:reached]):
            skipped = rng.random() < 0.08
            held = rng.uniform(0, seconds * 0.5) if skipped else seconds
            active += held + 10
            stretch_rows.append((session_id, position, slug, name,
                                 "skipped" if skipped else "done", held, seconds))
        ended = None if status == "in progress" else started + active + rng.uniform(0, 60)
        session_rows.append((session_id, routine, started, local_day(started).isoformat(),
                             ended, status, planned, active))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO sessions (id, routine, started_at, day, ended_at, status,"
                     " planned_seconds, active_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     session_rows)
    conn.executemany("INSERT INTO stretches (session_id, position, slug, name, status,"
                     " held_seconds, planned_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     stretch_rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def add_practice(folder: str, days: int = 3 * 365, *, seed: int = 4,
                 now: float | None = None) -> tuple[int, int]:
    """Add a daily session for each of the last ``days`` days with a check-in
    before and after it (each hip and the back), a calm line now and then,
    and a Thomas test every two weeks: three years of a practice by default.
    Returns (check-in answers, tests) written."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    History(folder).create()
    path = os.path.join(folder, FILE_NAME)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    sessions, checkins, lines, tests, sides = [], [], [], [], []
    (last_id,) = conn.execute("SELECT coalesce(max(id), 0) FROM sessions").fetchone()
    for number, back in enumerate(range(days, 0, -1)):
        started = now - back * 86400 + rng.uniform(0, 3600)
        day = local_day(started).isoformat()
        token = f"{rng.getrandbits(128):032x}"
        active = rng.uniform(200, 600)
        sessions.append((last_id + number + 1, "desk", started, day, started + active + 30,
                         "finished", active, active, token))
        # Looser over the years, the left side tighter, with day-to-day noise.
        base = 7 - 5 * (days - back) / days
        values = {"hip-right": base, "hip-left": base + 1.5, "back": base - 1}
        for moment, shift in (("before", 1), ("after", 0)):
            for item, value in values.items():
                answer = max(0, min(10, round(value + shift + rng.uniform(-1.5, 1.5))))
                checkins.append((f"{rng.getrandbits(128):032x}", started + active, day, token,
                                 moment, item, answer))
        if rng.random() < 0.03:
            lines.append((f"{rng.getrandbits(128):032x}", started + active, day, token,
                          "back-high-after", "back", None, 4))
        if back % 14 == 0:
            test_uid = f"{rng.getrandbits(128):032x}"
            tests.append((test_uid, "thomas", started, day, "finished", 1))
            score = max(0, min(6, round(base * 6 / 10)))
            sides.append((test_uid, "right", score))
            sides.append((test_uid, "left", min(6, score + 1)))
    conn.executemany("INSERT INTO sessions (id, routine, started_at, day, ended_at, status,"
                     " planned_seconds, active_seconds, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     sessions)
    conn.executemany("INSERT INTO checkins (uid, at, day, session, moment, item, value)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", checkins)
    conn.executemany("INSERT INTO checkin_lines (uid, at, day, session, line, item,"
                     " value_before, value_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", lines)
    conn.executemany("INSERT INTO tests (uid, slug, started_at, day, status, version)"
                     " VALUES (?, ?, ?, ?, ?, ?)", tests)
    for test_uid, side, score in sides:
        conn.execute("INSERT INTO test_sides (uid, test_id, side, score, hurt) VALUES"
                     " (?, (SELECT id FROM tests WHERE uid = ?), ?, ?, 0)",
                     (f"{rng.getrandbits(128):032x}", test_uid, side, score))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return len(checkins), len(tests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="an empty folder; use it as PSOAS_HOME")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--practice", type=int, metavar="DAYS",
                        help="instead: a daily session with check-ins for DAYS days, and a "
                             "test every two weeks (3 years: 1095)")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.practice:
        answers, tests = add_practice(args.folder, args.practice)
        print(f"{args.practice} days, {answers} check-in answers and {tests} tests in "
              f"{args.folder} ({time.perf_counter() - began:.1f} s)")
        return
    path = generate(args.folder, args.sessions)
    print(f"{args.sessions} sessions in {path} ({time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
