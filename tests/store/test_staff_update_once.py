"""A staff update is one unit of work (``Store.unit_of_work``): what its
handler writes and the mark that the update was applied commit together.

So a process that stops between the handler and the commit leaves nothing
of the update behind, and the update, delivered again to the restarted
process, has its effect exactly once: one camp, one approval, one walk-in.
On both backends (the ``store`` fixture of tests/test_store.py).
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace

import pytest

from bot.desk import assist
from bot.desk import messages as m
from bot.dispatch import Dispatcher
from bot.domain.models import ReviewState
from bot.i18n import translate
from bot.messages import Input
from bot.service import Registration
from bot.staff_commands import STAFF_COMMANDS
from bot.store import Keyring, SQLiteStore, Store, desk
from bot.store import sqlite as sqlite_module
from bot.store.unit import LockAfterWrite
from tests.desk.desk_fixtures import NOW, OFFICIAL, OPERATOR_A, add_staff, submit
from tests.store.postgres import DATABASE_URL, PostgresStore
from tests.store.backends import MASTER_KEY, sql
from tests.store.test_store import draft_for

WORKER = "tg:424242"


class Crash(BaseException):
    """The process stops here: nothing after this point runs."""


@contextmanager
def crash_after(monkeypatch: pytest.MonkeyPatch, name: str) -> Iterator[None]:
    """The staff command ``name`` runs its handler, then the process stops
    (before the unit of work commits)."""
    command = STAFF_COMMANDS[name]

    async def handler(req):
        await command.handler(req)
        raise Crash()

    monkeypatch.setitem(STAFF_COMMANDS, name, replace(command, handler=handler))
    try:
        yield
    finally:
        monkeypatch.setitem(STAFF_COMMANDS, name, command)


async def restarted(store: Store) -> Store:
    """The same database in a new store, as the process started again has it."""
    if isinstance(store, SQLiteStore):
        fresh: Store = SQLiteStore(store.path, Keyring(MASTER_KEY))
    elif isinstance(store, PostgresStore):
        fresh = PostgresStore(DATABASE_URL, Keyring(MASTER_KEY), server_settings=store._server_settings)
    else:  # pragma: no cover
        raise NotImplementedError(type(store).__name__)
    await fresh.migrate()
    return fresh


def dispatcher_of(store: Store) -> Dispatcher:
    return Dispatcher(Registration(store, clock=lambda: NOW))


async def count(store: Store, query: str, *params: object) -> int:
    return (await sql(store, query, *params))[0][0]


async def test_a_camp_delivered_again_after_a_crash_is_made_once(store, monkeypatch) -> None:
    await add_staff(store, OFFICIAL)
    camp = Input(command="camp", arg="new Rojgar Mela Roorkee 30-11-2026 CSC1234")
    with crash_after(monkeypatch, "camp"), pytest.raises(Crash):
        await dispatcher_of(store).handle(OFFICIAL.user_id, camp, default_lang="en", update_key="t:camp")
    assert await count(store, "SELECT count(*) FROM camps") == 0  # nothing of it was kept
    assert not await store.is_applied("t:camp")

    fresh = await restarted(store)
    try:
        again = dispatcher_of(fresh)
        out = await again.handle(OFFICIAL.user_id, camp, default_lang="en", update_key="t:camp")
        assert out.replies[0].deep_link.startswith("camp_")
        assert await again.handle(OFFICIAL.user_id, camp, default_lang="en", update_key="t:camp") is None
        assert await count(fresh, "SELECT count(*) FROM camps") == 1
        assert await fresh.is_applied("t:camp")
    finally:
        await fresh.close()


async def test_an_approval_delivered_again_after_a_crash_is_made_once(store, monkeypatch) -> None:
    await add_staff(store, OPERATOR_A)
    ref = await submit(store, WORKER)
    dispatcher = dispatcher_of(store)
    await dispatcher.handle(OPERATOR_A.user_id, Input(button="queue:next"), default_lang="en", update_key="t:1")
    await dispatcher.handle(OPERATOR_A.user_id, Input(button=f"card:approve:{ref}"), default_lang="en",
                            update_key="t:2")
    uan = Input(text="100200300400")
    with crash_after(monkeypatch, "card"), pytest.raises(Crash):
        await dispatcher.handle(OPERATOR_A.user_id, uan, default_lang="en", update_key="t:3")
    # the approval, the desk question answered and the key: none of them kept
    assert (await store.query(desk.app_row, ref)).state is ReviewState.IN_REVIEW
    assert (await store.query(desk.session, OPERATOR_A.user_id))["ask"]["kind"] == "uan"
    assert not await store.is_applied("t:3")

    fresh = await restarted(store)
    try:
        again = dispatcher_of(fresh)
        out = await again.handle(OPERATOR_A.user_id, uan, default_lang="en", update_key="t:3")
        assert out.replies[0].text == translate("en", m.APPROVED, reference=ref, uan="100200300400")
        assert [n.user_id for n in out.notices] == [WORKER]  # the worker is told, once the approval is kept
        assert await again.handle(OPERATOR_A.user_id, uan, default_lang="en", update_key="t:3") is None
        row = await fresh.query(desk.app_row, ref)
        assert (row.state, row.uan) == (ReviewState.APPROVED, "100200300400")
        assert await count(fresh, "SELECT count(*) FROM audit WHERE action = 'approve'") == 1
        assert "ask" not in await fresh.query(desk.session, OPERATOR_A.user_id)
        assert (await fresh.load_turn(WORKER)).application.state is ReviewState.APPROVED
    finally:
        await fresh.close()


async def test_a_walkin_started_halfway_leaves_nothing_and_starts_once_when_delivered_again(
        store, monkeypatch) -> None:
    """``/assist``'s start writes the walk-in's draft, the consent's audit row
    and the desk session: a failure after the first leaves none of them."""
    await add_staff(store, OPERATOR_A)
    dispatcher = dispatcher_of(store)
    await dispatcher.handle(OPERATOR_A.user_id, Input(command="assist"), default_lang="en", update_key="t:1")
    agree = Input(button="assist:agree")
    started = assist._started

    def failing(*args):
        yield from started(*args)
        raise RuntimeError("stopped half-way")

    monkeypatch.setattr(assist, "_started", failing)
    with pytest.raises(RuntimeError):
        await dispatcher.handle(OPERATOR_A.user_id, agree, default_lang="en", update_key="t:2")
    walkins = "SELECT count(*) FROM drafts WHERE user_id LIKE 'walkin:%'"
    assert await count(store, walkins) == 0
    assert await count(store, "SELECT count(*) FROM audit WHERE action = 'assist_consent'") == 0
    assert "assist" not in await store.query(desk.session, OPERATOR_A.user_id)

    monkeypatch.setattr(assist, "_started", started)
    out = await dispatcher.handle(OPERATOR_A.user_id, agree, default_lang="en", update_key="t:2")
    assert out.replies[0].text == translate("en", m.ASSIST_STARTED)
    assert await dispatcher.handle(OPERATOR_A.user_id, agree, default_lang="en", update_key="t:2") is None
    assert await count(store, walkins) == 1
    walkin = (await store.query(desk.session, OPERATOR_A.user_id))["assist"]
    assert (await store.load_draft(walkin)).meta["assisted_by"] == OPERATOR_A.user_id


async def test_a_failed_unit_keeps_nothing_and_others_go_on(store) -> None:
    await store.save_draft(draft_for("tg:7", step="name"))
    await store.load_turn("tg:7")  # (SQLite: now in memory)
    with pytest.raises(Crash):
        async with store.user_lock("tg:1"), store.unit_of_work("t:9", "tg:1"):
            async with store.user_lock("tg:7"):  # locks first, then writes
                assert await store.query(desk.session, "tg:1") == {}
                await store.transact(desk.save_session, "tg:1", {"lang": "en"}, NOW)
                assert await store.query(desk.session, "tg:1") == {"lang": "en"}  # its own write
                await store.save_draft(draft_for("tg:7", step="age"))
                assert (await store.load_turn("tg:7")).draft.step == "age"
            # another user's write meanwhile: on SQLite it waits for the unit to end
            other = asyncio.ensure_future(store.save_draft(draft_for("tg:8")))
            await asyncio.sleep(0.05)
            if isinstance(store, SQLiteStore):
                assert not other.done()
            raise Crash()
    await other
    assert await store.query(desk.session, "tg:1") == {}
    assert not await store.is_applied("t:9")
    assert (await store.load_turn("tg:7")).draft.step == "name"  # not what the unit wrote and undid
    assert (await store.load_draft("tg:8")) is not None


async def test_a_unit_commits_its_writes_with_the_key(store) -> None:
    async with store.user_lock("tg:1"), store.unit_of_work("t:9", "tg:1"):
        await store.transact(desk.save_session, "tg:1", {"lang": "en"}, NOW)
        await store.save_draft(draft_for("tg:1", step="age"))
    assert await store.query(desk.session, "tg:1") == {"lang": "en"}
    turn = await store.load_turn("tg:1", update_key="t:9")
    assert turn.applied and turn.draft.step == "age"


async def test_a_lock_asked_for_after_the_first_write_is_refused(store) -> None:
    async with store.user_lock("tg:1"), store.unit_of_work("t:9", "tg:1"):
        async with store.user_lock("tg:2"):  # before any write: held until the unit ends
            pass
        await store.transact(desk.save_session, "tg:1", {"lang": "en"}, NOW)
        async with store.user_lock("tg:2"):  # held already
            pass
        with pytest.raises(LockAfterWrite):
            async with store.user_lock("tg:3"):
                pass
    assert await store.is_applied("t:9")


async def test_a_unit_cancelled_while_it_begins_leaves_the_sqlite_connection_usable(tmp_path, monkeypatch) -> None:
    """Cancelled while its BEGIN waits on the connection's thread, a unit ends
    that transaction there before anyone else writes: nothing is left open."""
    store = SQLiteStore(tmp_path / "shram.db", Keyring(MASTER_KEY))
    await store.migrate()
    go_on = threading.Event()
    begin = sqlite_module._begin_immediate

    def slow_begin(conn) -> None:
        go_on.wait(10)
        begin(conn)

    monkeypatch.setattr(sqlite_module, "_begin_immediate", slow_begin)

    async def writing() -> None:
        async with store.user_lock("tg:1"), store.unit_of_work("t:1", "tg:1"):
            await store.transact(desk.save_session, "tg:1", {"lang": "en"}, NOW)

    try:
        unit = asyncio.ensure_future(writing())
        await asyncio.sleep(0.1)  # its BEGIN is on the thread, waiting
        unit.cancel()
        with suppress(asyncio.CancelledError):
            await unit
        go_on.set()
        await store.save_draft(draft_for("tg:2"))  # the next write has the connection to itself
        assert await store.load_draft("tg:2") is not None
        assert await store.query(desk.session, "tg:1") == {} and not await store.is_applied("t:1")
    finally:
        go_on.set()
        await store.close()
