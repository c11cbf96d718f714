"""What only the PostgreSQL backend promises: several processes (here, several
stores on one database, each with its own pool) behave as one. Skipped, with
the reason, where no PostgreSQL server answers (see tests/store/postgres.py)."""
from __future__ import annotations

import asyncio

import pytest

from bot.store import DecryptionError, Keyring, core
from bot.store.jobs import claim_slot
from bot.store.postgres import PostgresStore, numbered, postgres_sql
from bot.domain.models import utcnow
from tests.store.postgres import DATABASE_URL
from tests.store.test_store import AADHAAR, BANK_ACCOUNT, draft_for, references, valid_aadhaar


def test_placeholders_and_migration_text() -> None:
    assert numbered("SELECT ? WHERE a = ? AND b = '?'") == "SELECT $1 WHERE a = $2 AND b = '?'"
    assert "IDENTITY PRIMARY KEY" in postgres_sql("id INTEGER PRIMARY KEY,")
    assert postgres_sql("version INTEGER NOT NULL") == "version INTEGER NOT NULL"


async def test_user_lock_serialises_one_user_across_processes(two) -> None:
    a, b = two
    inside: list[str] = []
    overlaps = 0

    async def hold(store: PostgresStore, name: str) -> None:
        nonlocal overlaps
        async with store.user_lock("u1"):
            # across processes the lock is taken with the first database work under it
            await (store.load_turn("u1") if name in "0246" else store.load_draft("u1"))
            overlaps += bool(inside)
            inside.append(name)
            await asyncio.sleep(0.02)
            inside.remove(name)

    await asyncio.gather(*(hold(store, f"{i}") for i, store in enumerate([a, b] * 4)))
    assert overlaps == 0

    other_in = asyncio.Event()

    async def other_user() -> None:
        async with b.user_lock("u2"):
            other_in.set()

    async with a.user_lock("u1"):  # another user is not held up
        await asyncio.wait_for(other_user(), timeout=2)
    assert other_in.is_set()


async def test_user_locks_nest_for_another_user(two) -> None:
    a, b = two
    got_it = asyncio.Event()

    async def other_process() -> None:
        async with b.user_lock("worker"):
            await b.load_turn("worker")
            got_it.set()

    async with a.user_lock("operator"):
        async with a.user_lock("worker"):          # taken on the connection already held
            await a.save_draft(draft_for("worker"))
            waiting = asyncio.create_task(other_process())
            await asyncio.sleep(0.1)
            assert not got_it.is_set()             # the other process waits for the worker
        await asyncio.wait_for(waiting, 2)         # the inner lock is released, the outer still held
    assert got_it.is_set() and (await b.load_draft("worker")).user_id == "worker"


async def test_an_update_delivered_to_two_processes_is_applied_once(two) -> None:
    a, b = two

    async def apply(store: PostgresStore) -> bool:
        async with store.user_lock("u1"):
            turn = await store.load_turn("u1", update_key="tg:5")
            if turn.applied:
                return False
            await store.save_draft(draft_for("u1"), applied="tg:5")
            return True

    assert sorted(await asyncio.gather(apply(a), apply(b))) == [False, True]
    assert await b.is_applied("tg:5")


async def test_a_job_slot_is_claimed_by_one_process(two) -> None:
    a, b = two
    now = utcnow()
    won = await asyncio.gather(*(store.transact(claim_slot, "digest", "2026-11-25", f"p{i}", now)
                                 for i, store in enumerate([a, b, a, b])))
    assert sorted(won) == [False, False, False, True]


async def test_the_same_aadhaar_from_two_processes_registers_once(two) -> None:
    a, b = two
    results = await asyncio.gather(
        a.submit(draft_for("u1"), references("SS-0001")),
        b.submit(draft_for("u2"), references("SS-0002")), return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["Application", "DuplicateAadhaar"]
    assert await a.is_aadhaar_registered(AADHAAR)


async def test_another_key_does_not_open_the_data(two) -> None:
    a, _ = two
    await a.save_draft(draft_for("u1"))
    other = PostgresStore(DATABASE_URL, Keyring(bytes(32)), server_settings=a._server_settings)
    await other.migrate()
    try:
        with pytest.raises(DecryptionError):
            await other.load_draft("u1")
    finally:
        await other.close()


async def test_no_aadhaar_account_or_mobile_number_in_any_table(two) -> None:
    a, _ = two
    numbers = [valid_aadhaar(70000000000 + i * 1234567) for i in range(3)]
    for i, number in enumerate(numbers):
        await a.submit(draft_for(f"w{i}", aadhaar=number), references(f"SS-W{i}"))
    async with a._get_pool().acquire() as conn:
        tables = [r["table_name"] for r in await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
        dump = "".join([str(list(map(tuple, await conn.fetch(f'SELECT * FROM "{t}"')))) for t in tables])
    assert "राम कुमार" in dump  # the check can see answers at all
    for secret in [BANK_ACCOUNT, "9876501234", *numbers]:  # the mobile number of draft_for
        assert secret not in dump


async def test_a_turn_saves_in_one_statement_and_reads_the_entry_again_after_another_write(two, monkeypatch) -> None:
    a, b = two
    await a.save_draft(draft_for("u1"))
    generic: list[str] = []
    transact = PostgresStore.transact

    async def counted(self, txn, *args, **kwargs):
        generic.append(f"{'a' if self is a else 'b'}:{txn.__name__}")
        return await transact(self, txn, *args, **kwargs)

    monkeypatch.setattr(PostgresStore, "transact", counted)
    async with a.user_lock("u1"):
        await a.load_turn("u1", update_key="tg:1")
        await a.save_draft(draft_for("u1", step="name"), applied="tg:1")
        await a.save_draft(draft_for("u1", step="age"), applied="tg:2")  # what it wrote is known too
    assert generic == []
    async with a.user_lock("u1"):
        await a.load_turn("u1", update_key="tg:3")
        # another write in the same turn may change the draft (here its Aadhaar, whose old
        # vault entry goes): what the load read of it is no longer taken as known
        await a.transact(core.save_draft, a._keyring, draft_for("u1", aadhaar=valid_aadhaar(55544433322)), None,
                         utcnow())
        await a.save_draft(draft_for("u1", step="mobile"), applied="tg:3")
    assert generic == ["a:save_draft", "a:save_draft"]
    loaded = await b.load_draft("u1")
    assert loaded.step == "mobile" and loaded.answers["aadhaar"] == AADHAAR
    assert await b.is_applied("tg:3")
    async with b._get_pool().acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM aadhaar_vault") == 1


async def test_a_task_cancelled_waiting_for_a_lock_leaves_no_lock_behind(two) -> None:
    # connections go back to the pool without asyncpg's reset (which would
    # unlock everything): a session that may hold a lock is ended instead
    a, b = two
    entered, release = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with a.user_lock("u1"):
            await a.load_turn("u1")
            entered.set()
            await release.wait()

    async def waiter() -> None:
        async with b.user_lock("u1"):
            await b.load_turn("u1")

    holding = asyncio.create_task(holder())
    await entered.wait()
    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0.2)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await holding
    for store in (b, a, b):
        async with store.user_lock("u1"):
            await asyncio.wait_for(store.load_turn("u1"), 3)
