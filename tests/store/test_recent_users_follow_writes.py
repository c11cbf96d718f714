"""The SQLite store's recent users in memory (``bot.store.recent``) wrap the
store from outside: no transaction tells them what it changed, the
database does. Whatever writes a user's rows, however new the transaction
function, and whoever runs it (with or without the user's lock), the next
turn served from memory is what the file holds: a stale draft would be a
lost answer."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.models import ReviewState
from bot.store import Keyring, SQLiteStore, core, desk
from bot.store.recent import stored_rows
from bot.store.sql import one, run, to_json
from tests.desk.desk_fixtures import NOW, OPERATOR_A, add_staff, submit
from tests.store.test_store import MASTER_KEY, draft_for

WORKER = "tg:424242"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "shram.db", Keyring(MASTER_KEY))
    await opened.migrate()
    await add_staff(opened, OPERATOR_A)
    yield opened
    await opened.close()


def renamed(user_id: str, name: str):
    """A transaction function the memory knows nothing of: a new name in the stored draft."""
    row = yield one("SELECT data FROM drafts WHERE user_id = ?", user_id)
    data = json.loads(row["data"])
    data["answers"]["name"] = name
    yield run("UPDATE drafts SET data = ? WHERE user_id = ?", to_json(data), user_id)


def paused(monkeypatch: pytest.MonkeyPatch, store: SQLiteStore, method: str,
           txn) -> tuple[asyncio.Event, asyncio.Event]:
    """The backend's ``method`` (query, transact) pauses after running ``txn``,
    until told to go on: (done, go_on)."""
    done, go_on = asyncio.Event(), asyncio.Event()
    call = getattr(store.backend, method)

    async def pausing(fn, *args, **kwargs):
        result = await call(fn, *args, **kwargs)
        if fn is txn:
            done.set()
            await go_on.wait()
        return result

    monkeypatch.setattr(store.backend, method, pausing)
    return done, go_on


async def test_any_transaction_function_leaves_no_stale_entry(store: SQLiteStore) -> None:
    await store.save_draft(draft_for(WORKER))
    assert store._recent.get(WORKER) is not None
    await store.transact(renamed, WORKER, "सीता देवी")
    assert store._recent.get(WORKER) is None
    assert (await store.load_turn(WORKER)).draft.answers["name"] == "सीता देवी"


async def test_a_claim_made_without_the_workers_lock_is_seen_at_their_next_turn(store: SQLiteStore) -> None:
    await submit(store, WORKER)
    assert (await store.load_turn(WORKER)).application.state is ReviewState.SUBMITTED  # in memory
    await store.transact(desk.claim_next, OPERATOR_A, NOW)
    assert (await store.load_turn(WORKER)).application.state is ReviewState.IN_REVIEW


async def test_a_read_that_another_write_overlapped_is_not_kept(store: SQLiteStore, monkeypatch) -> None:
    await submit(store, WORKER)
    store._recent.clear()
    read, go_on = paused(monkeypatch, store, "query", stored_rows)
    loading = asyncio.ensure_future(store.load_turn(WORKER))
    await read.wait()
    await store.transact(desk.claim_next, OPERATOR_A, NOW)  # after the read, before it is kept
    go_on.set()
    assert (await loading).application.state is ReviewState.SUBMITTED  # what it read...
    assert store._recent.get(WORKER) is None                            # ...is not kept
    assert (await store.load_turn(WORKER)).application.state is ReviewState.IN_REVIEW


async def test_a_save_that_another_write_overlapped_is_not_written_through(store: SQLiteStore, monkeypatch) -> None:
    await submit(store, WORKER)
    await store.load_turn(WORKER)
    saved, go_on = paused(monkeypatch, store, "transact", core.save_draft)
    saving = asyncio.ensure_future(store.save_draft(draft_for(WORKER, step="name")))
    await saved.wait()
    await store.transact(desk.claim_next, OPERATOR_A, NOW)
    go_on.set()
    await saving
    assert store._recent.get(WORKER) is None
    turn = await store.load_turn(WORKER)
    assert turn.application.state is ReviewState.IN_REVIEW and turn.draft.step == "name"


async def test_a_rewritten_vault_entry_may_be_anyones(store: SQLiteStore) -> None:
    for user in (WORKER, "tg:5"):
        await store.save_draft(draft_for(user, aadhaar="234123412346" if user == WORKER else "987654321096"))
    assert len(store._recent) == 2
    await store.transact(lambda: (yield run("UPDATE aadhaar_vault SET created_at = created_at")))
    assert len(store._recent) == 0


async def test_nothing_is_kept_from_inside_a_unit_of_work(store: SQLiteStore) -> None:
    async with store.user_lock(OPERATOR_A.user_id), store.unit_of_work("t:1", OPERATOR_A.user_id):
        await store.save_draft(draft_for(WORKER, step="name"))
        assert (await store.load_turn(WORKER)).draft.step == "name"
        assert store._recent.get(WORKER) is None  # it may still roll back
    assert (await store.load_turn(WORKER)).draft.step == "name"
    assert store._recent.get(WORKER) is not None  # read once committed


def moved(key: str, user_id: str | None):
    yield run("UPDATE applied_updates SET user_id = ? WHERE key = ?", user_id, key)


def applied(key: str, user_id: str):
    yield run("INSERT INTO applied_updates (key, user_id, applied_at) VALUES (?, ?, ?)", key, user_id, NOW.isoformat())


async def test_a_row_moved_to_another_user_is_noted_for_both(store: SQLiteStore) -> None:
    """The change triggers note the old and the new user of an updated row
    (once if they are the same, never a user id that is absent)."""
    reports: list[frozenset[str]] = []
    store.backend.watch(reports.append)
    await store.transact(applied, "tg:update:1", WORKER)
    await store.transact(moved, "tg:update:1", WORKER)
    await store.transact(moved, "tg:update:1", "tg:99")
    await store.transact(moved, "tg:update:1", None)
    assert reports == [frozenset({WORKER}), frozenset({WORKER}), frozenset({WORKER, "tg:99"}), frozenset({"tg:99"})]
