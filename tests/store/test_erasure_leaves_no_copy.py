"""Erased means no copy anywhere: not in SQLite's write-ahead log while the
bot runs, not in the audit trail (which keeps what was done, when, to which
reference and by which staff user, but no longer names the worker nor holds
their UAN), not in the updates, reminder slots or desk sessions that named
them. Both backends where the rows are concerned; the raw bytes of the
SQLite files where the disk is."""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.dispatch import Dispatcher
from bot.messages import Input
from bot.service import Registration
from bot.store import audit, desk, sqlite as sqlite_module
from bot.store.crypto import Keyring
from bot.store.jobs import claim_slot
from bot.store.sqlite import SQLiteStore
from tests.desk.desk_fixtures import NOW, OPERATOR_A, add_staff, submit
from tests.desk.desk_golden import COMMENTS, REGISTRATION, as_input
from tests.store.test_store import sql
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
    persona = Worker.make(501, "en").persona.but(name=NAME, address=ADDRESS)
    return "w501", [line for line in persona.script if isinstance(line, str)]


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


# -- item: the audit trail and the other copies of a worker's id ----------------------

WORKER = "tg:424242"
UAN = "100200300400"


async def dump(store) -> str:
    """Every row of every table of the store, as text."""
    if isinstance(store, SQLiteStore):
        tables = [row[0] for row in await sql(store, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        tables = [row[0] for row in await sql(
            store, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
    assert {"audit", "applied_updates", "job_runs", "desk_sessions"} <= set(tables)
    lines = []
    for table in tables:
        lines += [f"{table}: {row}" for row in await sql(store, f"SELECT * FROM {table}")]
    return "\n".join(lines)


async def test_an_erased_worker_is_named_nowhere_and_the_trail_keeps_what_was_done(store) -> None:
    await add_staff(store, OPERATOR_A)
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    keys = itertools.count(1)
    operator = OPERATOR_A.user_id

    async def say(user: str, line: str) -> None:
        await dispatcher.handle(user, as_input(line), default_lang="hi", update_key=f"k:{next(keys)}")

    for line in REGISTRATION:                                   # the worker submits
        await say(WORKER, line)
    ref = (await store.application_for_user(WORKER)).reference
    for line in ("[queue:next]", f"[card:fix:{ref}:name]", f"[card:fixdone:{ref}]", COMMENTS["hi"]):
        await say(operator, line)                               # sent back, with a comment naming him
    for line in ("राम कुमार सैनी", "[review:submit]"):
        await say(WORKER, line)                                 # resubmitted
    for line in ("[queue:next]", f"[card:approve:{ref}]", "1002 0030 0400"):
        await say(operator, line)                               # approved, with a UAN
    assert (await store.application_for_user(WORKER)).uan == UAN
    await store.transact(claim_slot, "reminder", f"{WORKER}@2026-11-20T10:00:00+00:00", "host:1", NOW)

    await say(operator, "/assist")                              # a walk-in, up to the Aadhaar check
    await say(operator, "[assist:agree]")
    walkin = (await store.query(desk.session, operator))["assist"]
    for line in REGISTRATION[3:REGISTRATION.index("२३४१ २३४१ २३४६") + 1]:
        await say(operator, line)
    assert (await store.load_draft(walkin)) is not None
    before = await sql(store, "SELECT id, at, action, reference FROM audit ORDER BY id")
    actions = [row[2] for row in before]
    assert {"submit", "resubmit", "approve", "send_back", "assist_consent"} <= set(actions)
    assert WORKER in await dump(store) and walkin in await dump(store) and UAN in await dump(store)

    await store.erase_user(walkin, by="cli:CSC Haridwar, request of 25/11")   # erased on request
    await say(WORKER, "/delete")                                              # and by the worker
    await say(WORKER, "1")
    assert await store.application_for_user(WORKER) is None

    after = await sql(store, "SELECT id, at, action, reference, actor, detail FROM audit ORDER BY id")
    assert [row[:4] for row in after[:len(before)]] == [tuple(row) for row in before]  # every fact stays
    assert [row[2:4] for row in after[len(before):]] == [("erase", ref)]
    everything = await dump(store)
    for gone in (WORKER, WORKER.removeprefix("tg:"), walkin, UAN, "राम कुमार सैनी", "Ram Kumar"):
        assert gone not in everything, f"{gone!r} is still in the store"
    actors = {row[4] for row in after}
    assert operator in actors                                           # staff actors stay
    assert {row[4] for row in after if row[2] in ("submit", "resubmit")} == {"erased-worker"}
    # the worker's own Aadhaar check is theirs; the walk-in's was the operator's, who typed it
    assert sorted(row[4] for row in after if row[2] == "aadhaar_check") == sorted(["erased-worker", operator])
    assert [json.loads(row[5]) for row in after if row[2] == "send_back"] == [{"fields": ["name"]}]
    # the updates stay applied (a redelivered one changes nothing), without their sender
    assert await store.is_applied("k:1") and await store.is_applied(f"k:{next(keys) - 1}")
    assert await dispatcher.handle(WORKER, Input(text="1"), default_lang="hi", update_key="k:1") is None
    assert await store.load_draft(WORKER) is None
    assert await store.query(desk.session, operator) == {}              # no longer assisting the walk-in

    if isinstance(store, SQLiteStore):                                  # and not on disk either
        raw = raw_files(Path(store.path))
        for gone in (WORKER, walkin, UAN):
            assert gone.encode() not in raw, f"{gone!r} is still in the database's files"


async def test_a_staff_user_erasing_their_own_registration_keeps_their_acts_as_staff(store) -> None:
    """Only what the worker did as a worker loses their id: an operator's
    claims and approvals, and the records of their role, stay theirs."""
    operator = OPERATOR_A.user_id
    await add_staff(store, OPERATOR_A)
    other = await submit(store, "tg:9900")
    assert (await store.transact(desk.claim_next, OPERATOR_A, NOW)).reference == other
    await store.transact(desk.approve, operator, other, "100000000009", NOW)
    await store.transact(audit.record, "tg:100", "revoke", None, NOW, user=operator, role="operator")
    own = await submit(store, operator)                          # their own registration, as a worker

    await store.erase_user(operator)
    rows = await sql(store, "SELECT actor, action, reference, detail FROM audit ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("tg:9900", "submit", other, None), (operator, "claim", other, None),
        (operator, "approve", other, '{"uan":"100000000009"}'),
        ("tg:100", "revoke", None, json.dumps({"user": operator, "role": "operator"}, separators=(",", ":"))),
        ("erased-worker", "submit", own, None), ("erased-worker", "erase", own, None)]


async def test_an_operator_erasing_their_own_registration_keeps_what_they_did_for_walk_ins(store) -> None:
    """The operator's own /delete pseudonymises their own submit, erase and
    Aadhaar check rows only: the walk-in they registered (/assist) and the
    Aadhaar numbers they checked for walk-ins stay theirs on the trail; the
    walk-in's own erasure later takes the walk-in's id out of those checks."""
    operator = OPERATOR_A.user_id
    keys = itertools.count(1)
    registration = Registration(store, clock=lambda: NOW)
    dispatcher = Dispatcher(registration)

    async def say(line: str) -> None:
        await dispatcher.handle(operator, as_input(line), default_lang="hi", update_key=f"k:{next(keys)}")

    for line in Worker.make(5, "hi").script:                   # first a worker, registered
        await say(line)
    own = (await store.application_for_user(operator)).reference
    await add_staff(store, OPERATOR_A)                          # then an operator
    await say("/assist")
    await say("[assist:agree]")
    walkin = (await store.query(desk.session, operator))["assist"]
    for line in REGISTRATION[3:]:
        await say(line)
    walkin_ref = (await store.application_for_user(walkin)).reference
    trail = "SELECT actor, action, reference, detail FROM audit WHERE action IN" \
            " ('submit', 'resubmit', 'erase', 'aadhaar_check') ORDER BY id"
    assert [tuple(row) for row in await sql(store, trail)] == [
        (operator, "aadhaar_check", None, '{"found":false}'), (operator, "submit", own, None),
        (operator, "aadhaar_check", None, json.dumps({"found": False, "walkin": walkin}, separators=(",", ":"))),
        (operator, "submit", walkin_ref, None)]

    await say("/delete")                                        # the operator erases their own data
    await say("1")
    assert await store.application_for_user(operator) is None
    assert [tuple(row) for row in await sql(store, trail)] == [
        ("erased-worker", "aadhaar_check", None, '{"found":false}'), ("erased-worker", "submit", own, None),
        (operator, "aadhaar_check", None, json.dumps({"found": False, "walkin": walkin}, separators=(",", ":"))),
        (operator, "submit", walkin_ref, None), ("erased-worker", "erase", own, None)]

    await store.erase_user(walkin, by="cli:district office")   # and later the walk-in is erased
    assert [tuple(row) for row in await sql(store, trail)][2:] == [
        (operator, "aadhaar_check", None, '{"found":false,"walkin":"erased-worker"}'),
        (operator, "submit", walkin_ref, None), ("erased-worker", "erase", own, None),
        ("cli:district office", "erase", walkin_ref, None)]
    assert walkin not in await dump(store)
