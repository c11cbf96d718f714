"""Erased means no copy anywhere: not in SQLite's write-ahead log while the
bot runs (the raw bytes of the SQLite files)."""
from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.flow.engine import Input
from bot.service import Registration
from bot.store import sqlite as sqlite_module
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.workers import Worker

KEY = bytes(range(32))


def raw_files(db: Path) -> bytes:
    """The bytes of the database, its log and its shared-memory index, as they are now."""
    return b"".join(path.read_bytes() for path in (db, db.with_name(db.name + "-wal"),
                                                   db.with_name(db.name + "-shm")) if path.exists())


# -- item: the write-ahead log -----------------------------------------------------

NAME, ADDRESS = "Zorawar Quillfeather", "7, Xylophone Gali, Qazipura"


def distinct_worker() -> tuple[str, list[str]]:
    """A worker whose name and address are found nowhere else, through to submit."""
    script = list(Worker.make(501, "en").script)
    script[9], script[18] = NAME, ADDRESS
    return "w501", script


async def play(registration: Registration, user: str, lines, keys) -> None:
    for line in lines:
        inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
        await registration.handle(user, inp, default_lang="en", update_key=f"u:{next(keys)}")


@pytest.mark.parametrize("how", ["delete", "erase_user"])
@pytest.mark.parametrize("pages", [1000, 8])
async def test_an_erasure_leaves_no_copy_in_the_write_ahead_log(tmp_path: Path, how: str, pages: int) -> None:
    db = tmp_path / "shram.db"
    store = SQLiteStore(db, Keyring(KEY))
    await store.migrate()
    # SQLite checkpoints the log every 1000 pages; a busy bot does so often:
    # the log restarts, and frames of earlier rounds (the worker's rows
    # among them) stay behind its new ones
    await store._db.execute(f"PRAGMA wal_autocheckpoint = {pages}")
    keys = itertools.count(1)
    registration = Registration(store)
    try:
        user, script = distinct_worker()
        await play(registration, user, script, keys)
        assert (await store.application_for_user(user)).answers["name"] == NAME   # submitted: draft + application
        for i in (502, 503):  # others keep writing after (and so before the erasure)
            await play(registration, f"w{i}", Worker.make(i, "en").script[:20], keys)
        assert NAME.encode() in raw_files(db) and ADDRESS.encode() in raw_files(db)

        if how == "delete":
            await play(registration, user, ["/delete", "1"], keys)
        else:  # what `shram-sahayak erase` and the desk call
            await store.erase_user(user, by="cli:CSC Haridwar, letter of 25/11")
        assert await store.load_draft(user) is None and await store.application_for_user(user) is None

        raw = raw_files(db)  # the store is still open
        for gone in (NAME, ADDRESS, "Quillfeather", "Qazipura"):
            assert gone.encode() not in raw, f"{gone!r} is still in the database's files"
        assert b"Lakshmi Devi" in raw       # the other workers' answers are still there
        await play(registration, "w502", Worker.make(502, "en").script[20:], keys)  # and the store works on
        assert await store.application_for_user("w502") is not None
    finally:
        await store.close()


async def test_an_erasure_held_back_by_a_reader_is_finished_when_it_leaves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(sqlite_module, "SCRUB_FIRST_PAUSE", 0.05)
    db = tmp_path / "shram.db"
    store = SQLiteStore(db, Keyring(KEY))
    await store.migrate()
    keys = itertools.count(1)
    registration = Registration(store)
    reader = sqlite3.connect(db, isolation_level=None)
    try:
        user, script = distinct_worker()
        await play(registration, user, script, keys)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM drafts").fetchone()  # another process, in the middle of a read

        with caplog.at_level(logging.INFO, logger="bot.store.sqlite"):
            await store.erase_user(user)
            said = [record.getMessage() for record in caplog.records if record.name == "bot.store.sqlite"]
            assert any("write-ahead log" in line for line in said), said   # the operator is told
            assert not [line for line in said if user in line or "Zorawar" in line]
            assert NAME.encode() in raw_files(db)          # held back while the read goes on...

            reader.execute("COMMIT")
            await asyncio.wait_for(store._scrubber, timeout=10)   # ...and done once it ends
        assert NAME.encode() not in raw_files(db) and ADDRESS.encode() not in raw_files(db)
    finally:
        reader.close()
        await store.close()
