"""This machine's id: ``machine.json`` in the psoas folder, made once.

Pure Python.  The id is random (a UUID's 32 hex digits) and never changes;
it names the machine's file in a sync folder and every row recorded here
once it travels.  The name is the host name when the id was made, shown
beside it.  The file is made by writing a temporary file and linking it
into place, which fails if another psoas made one meanwhile: then that one
is read, so two psoas starting at once agree on one id.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import NamedTuple

from psoas_cli import limits
from psoas_cli.errors import PsoasError
from psoas_cli.files import boundedread
from psoas_cli.files.stale import remove_stale

FILE_NAME = "machine.json"
_ID = re.compile(r"[0-9a-f]{32}")


class Machine(NamedTuple):
    id: str
    name: str  # the host name it was made on


def host_name() -> str:
    try:
        return os.uname().nodename or "this machine"
    except AttributeError:  # pragma: no cover - Windows
        return os.environ.get("COMPUTERNAME", "this machine")


def path_in(home: str) -> str:
    return os.path.join(home, FILE_NAME)


def read(home: str) -> Machine | None:
    """The machine in ``home``, or None if none was made yet; PsoasError if the
    file is there but not one psoas wrote."""
    path = path_in(home)
    try:
        data = boundedread.read_bytes(path, limits.FILE_BYTES)
    except FileNotFoundError:
        if os.path.islink(path):
            raise PsoasError(f"{path}: {boundedread.problem(FileNotFoundError(), path)}; "
                             "remove it, and psoas makes a new one") from None
        return None
    except OSError as exc:
        raise PsoasError(f"{path}: {boundedread.problem(exc, path)}") from None
    try:
        found = json.loads(data.decode("utf-8"))
        ident, name = found["id"], found.get("name", "")
        if not isinstance(ident, str) or not _ID.fullmatch(ident) or not isinstance(name, str):
            raise ValueError(ident)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise PsoasError(f"{path}: not a machine id psoas wrote; remove it, and psoas makes "
                         "a new one (this machine's sync file gets a new name)") from None
    return Machine(ident, name or host_name())


def this_machine(home: str) -> Machine:
    """The machine in ``home``, made now if there is none yet."""
    found = read(home)
    if found is not None:
        return found
    made = Machine(uuid.uuid4().hex, host_name())
    text = json.dumps({"id": made.id, "name": made.name}, ensure_ascii=False) + "\n"
    path = path_in(home)
    try:
        os.makedirs(home, exist_ok=True)
        remove_stale(path)  # what a psoas killed while making it left
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if another psoas made one meanwhile
        except FileExistsError:
            pass
        except OSError:  # no hard links here: a rename, which may race (rarely)
            if not os.path.exists(path):
                os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    except OSError as exc:
        raise PsoasError(f"cannot write {path}: {exc.strerror or exc}") from None
    return read(home) or made
