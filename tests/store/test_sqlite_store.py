"""What only the SQLite backend does: group commit, and the rows of recent
users kept in memory (``bot.store.recent``). The contract itself is checked
in ``test_store.py``."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import DuplicateAadhaar, Keyring, SQLiteStore
from bot.store import sqlite as sqlite_module
from bot.store.recent import stored_rows
from tests.store.test_store import AADHAAR, BANK_ACCOUNT, MASTER_KEY, draft_for, valid_aadhaar


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "shram.db", Keyring(MASTER_KEY))
    await opened.migrate()
    yield opened
    await opened.close()


async def reopened(store: SQLiteStore) -> SQLiteStore:
    """The same file in a new store, as after a restart: nothing in memory."""
    fresh = SQLiteStore(store.path, Keyring(MASTER_KEY))
    await fresh.migrate()
    return fresh


def no_reads(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(work):
        raise AssertionError("read the database")
    monkeypatch.setattr(store.backend, "_read", refuse)


# -- group commit ------------------------------------------------------------------

async def test_writes_at_once_share_transactions_and_a_failure_stays_alone(
        store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    await store.save_draft(draft_for("owner"))
    await store.submit(await store.load_draft("owner"), lambda: "SS-AAAA-AAAA")
    batches = []
    write_batch = sqlite_module._write_batch

    def counting(conn, works):
        batches.append(len(works))
        return write_batch(conn, works)

    monkeypatch.setattr(sqlite_module, "_write_batch", counting)
    await store.save_draft(draft_for("thief", aadhaar=valid_aadhaar(55500011122)))
    users = [f"u{i}" for i in range(40)]
    results = await asyncio.gather(
        *(store.save_draft(draft_for(u, aadhaar=valid_aadhaar(30000000000 + i)), applied=f"tg:{i}")
          for i, u in enumerate(users)),
        store.submit(draft_for("thief"), lambda: "SS-BBBB-BBBB", applied="tg:bad"),  # owner's Aadhaar
        return_exceptions=True)

    assert [r for r in results if r is not None and not isinstance(r, DuplicateAadhaar)] == []
    assert isinstance(results[-1], DuplicateAadhaar)
    assert sum(batches) == 1 + 41 and len(batches) < 1 + 41 / 2  # grouped
    fresh = await reopened(store)
    try:
        for i, user in enumerate(users):
            turn = await fresh.load_turn(user, update_key=f"tg:{i}")
            assert turn.applied
            assert (await fresh.load_draft(user)).answers["aadhaar"] == valid_aadhaar(30000000000 + i)
        assert not await fresh.is_applied("tg:bad")
        thief = await fresh.load_turn("thief")
        assert thief.application is None and thief.draft.answers["aadhaar"] == valid_aadhaar(55500011122)
    finally:
        await fresh.close()


async def test_close_commits_writes_already_asked_for(store: SQLiteStore) -> None:
    pending = [asyncio.ensure_future(store.save_draft(draft_for(f"u{i}", aadhaar=valid_aadhaar(40000000000 + i))))
               for i in range(10)]
    await asyncio.sleep(0)
    await asyncio.gather(*pending)
    await store.close()
    fresh = await reopened(store)
    try:
        assert all([await fresh.load_draft(f"u{i}") is not None for i in range(10)])
    finally:
        await fresh.close()


# -- recent users ------------------------------------------------------------------

async def test_the_next_turn_after_a_write_needs_no_read(store: SQLiteStore,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    await store.load_turn("u1", update_key="tg:1")
    await store.save_draft(draft_for("u1"), applied="tg:1")
    await store.submit(await store.load_draft("u1"), lambda: "SS-AAAA-AAAA", applied="tg:2")
    no_reads(store, monkeypatch)
    turn = await store.load_turn("u1", update_key="tg:3")
    assert not turn.applied and (await store.load_turn("u1", update_key="tg:2")).applied
    assert turn.draft.answers["aadhaar"] == AADHAAR and turn.draft.answers["bank_account"] == BANK_ACCOUNT
    assert turn.application.reference == "SS-AAAA-AAAA" and turn.application.answers["aadhaar"] == AADHAAR

    fresh = await reopened(store)  # what memory served is what the file holds
    try:
        from_file = await fresh.load_turn("u1", update_key="tg:3")
        assert from_file == turn
        assert (await fresh.load_turn("u1", update_key="tg:2")).applied
    finally:
        await fresh.close()


async def test_memory_holds_no_aadhaar_or_account_number(store: SQLiteStore) -> None:
    await store.save_draft(draft_for("u1"))
    await store.submit(await store.load_draft("u1"), lambda: "SS-AAAA-AAAA")
    await store.load_turn("u1")
    held = repr(store._recent._entries)
    assert "SS-AAAA-AAAA" in held  # the entry is there...
    assert AADHAAR not in held and BANK_ACCOUNT not in held  # ...sealed, as on disk


async def test_erase_and_failed_writes_leave_no_stale_rows(store: SQLiteStore) -> None:
    await store.save_draft(draft_for("owner"))
    await store.submit(await store.load_draft("owner"), lambda: "SS-AAAA-AAAA")
    thief = draft_for("thief", aadhaar=valid_aadhaar(55500011122))
    await store.save_draft(thief)
    with pytest.raises(DuplicateAadhaar):
        await store.submit(draft_for("thief"), lambda: "SS-BBBB-BBBB")
    assert (await store.load_turn("thief")).draft.answers["aadhaar"] == valid_aadhaar(55500011122)

    await store.erase_user("owner", applied="tg:9")
    turn = await store.load_turn("owner", update_key="tg:10")
    assert (turn.applied, turn.draft, turn.application) == (False, None, None)
    assert (await store.load_turn("owner", update_key="tg:9")).applied


async def test_recent_users_are_bounded(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "shram.db", Keyring(MASTER_KEY), recent_users=3)
    await store.migrate()
    try:
        for i in range(6):
            await store.save_draft(draft_for(f"u{i}", aadhaar=valid_aadhaar(60000000000 + i)), applied=f"tg:{i}")
        assert len(store._recent) == 3
        turn = await store.load_turn("u0", update_key="tg:0")  # gone from memory: read again
        assert turn.applied
        assert (await store.load_turn("u0")).draft.answers["aadhaar"] == valid_aadhaar(60000000000)
    finally:
        await store.close()


async def test_keys_applied_before_schema_3_still_count(store: SQLiteStore) -> None:
    """Keys recorded before applied_updates had a user column are found by key."""
    await store.save_draft(draft_for("u1"))
    await store._db.execute("INSERT INTO applied_updates (key, applied_at) VALUES ('tg:old', '2026-11-22T00:00:00')")
    fresh = await reopened(store)
    try:
        assert (await fresh.load_turn("u1", update_key="tg:old")).applied
        assert not (await fresh.load_turn("u1", update_key="tg:new")).applied
    finally:
        await fresh.close()


async def test_memory_follows_every_kind_of_write(store: SQLiteStore) -> None:
    """After each write, the turn served from memory is the turn a restarted
    store reads from the file: new Aadhaar, same Aadhaar, submit, saves after
    submitting, resubmission, erase."""
    other = valid_aadhaar(70000000001)
    steps = [
        lambda: store.save_draft(draft_for("u1"), applied="tg:1"),
        lambda: store.save_draft(draft_for("u1"), applied="tg:2"),
        lambda: store.save_draft(draft_for("u1", aadhaar=other), applied="tg:3"),
        lambda: store.save_draft(draft_for("u1", answers={"name": "राम"}), applied="tg:4"),
        lambda: store.save_draft(draft_for("u1"), applied="tg:5"),
        lambda: store.submit(draft_for("u1"), lambda: "SS-AAAA-AAAA", applied="tg:6"),
        lambda: store.save_draft(draft_for("u1", aadhaar=other), applied="tg:7"),
        lambda: store.submit(draft_for("u1", aadhaar=other), lambda: "SS-BBBB-BBBB", applied="tg:8"),
        lambda: store.save_draft(draft_for("u1"), applied="tg:9"),
        lambda: store.erase_user("u1", applied="tg:10"),
        lambda: store.save_draft(draft_for("u1"), applied="tg:11"),
    ]
    await store.load_turn("u1")
    for n, write in enumerate(steps, start=1):
        await write()
        from_memory = await store.load_turn("u1", update_key=f"tg:{n + 1}")
        fresh = await reopened(store)
        try:
            assert from_memory == await fresh.load_turn("u1", update_key=f"tg:{n + 1}"), f"after write {n}"
            assert (await store.load_turn("u1", update_key=f"tg:{n}")).applied
            assert store._recent.get("u1").vault.keys() == (await fresh.query(stored_rows, "u1", None)).vault.keys()
        finally:
            await fresh.close()
