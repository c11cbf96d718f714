"""The desk's queue and the daily digest with several bot processes on one
PostgreSQL database (here, two stores on one schema, each with its own pool,
standing for two processes): no application is handed out twice, a claim
skips a row another transaction holds instead of waiting for it, and the
digest goes out once. Skipped, with the reason, where no PostgreSQL server
answers (see tests/postgres.py)."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta, timezone

from bot.domain.models import ReviewState
from bot.domain.roles import Role, Staff
from bot.reports import digest
from bot.store import desk
from bot.store.audit import trail
from bot.store.postgres import PostgresStore
from bot.store.reports import subscribe
from bot.store.staff import grant
from tests.desk_fixtures import NOW, submit
from tests.test_postgres_store import two  # noqa: F401  (the fixture: two stores, one schema)
from tests.test_store import sql

OPERATORS = [Staff(f"tg:{600 + i}", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", f"CSC-{i}") for i in range(24)]


async def claim_rounds(stores: list[PostgresStore], now: datetime) -> list[tuple[str, str]]:
    """Every operator claims at once (alternately through each store) until a
    round hands out nothing; what each claim returned, in order."""
    claimed: list[tuple[str, str]] = []
    while True:
        rows = await asyncio.gather(*(stores[i % len(stores)].transact(desk.claim_next, op, now)
                                      for i, op in enumerate(OPERATORS)))
        got = [(row.reference, row.lease_holder) for row in rows if row is not None]
        if not got:
            return claimed
        claimed += got


async def states(store: PostgresStore) -> dict[str, int]:
    """The review-state counters of the district (dimension ``all``)."""
    rows = await sql(store, "SELECT review_state, n FROM tallies WHERE dim = 'all' AND n <> 0")
    return dict(rows)


async def test_two_processes_claiming_at_once_never_hand_out_an_application_twice(two) -> None:
    a, b = two
    refs = {await submit(a if i % 2 else b, f"tg:{9000 + i}") for i in range(40)}
    claimed = await claim_rounds([a, b], NOW)
    assert sorted(ref for ref, _ in claimed) == sorted(refs)          # each once, none lost
    for ref, holder in claimed:
        row = await b.query(desk.app_row, ref)
        assert row.state is ReviewState.IN_REVIEW and row.lease_holder == holder
    assert await states(a) == {"in_review": 40}

    # the leases run out: all of them are claimed again at once, each by one operator
    later = NOW + desk.LEASE + timedelta(minutes=1)
    again = await claim_rounds([b, a], later)
    assert sorted(ref for ref, _ in again) == sorted(refs)
    assert await states(b) == {"in_review": 40}
    expired = Counter(ref for (ref,) in await sql(a, "SELECT reference FROM audit WHERE action = 'lease_expired'"))
    assert expired == Counter(refs)                                    # one expiry row per application
    first = dict(claimed)
    for ref, holder in again:
        actions = [(r.actor, r.action) for r in await a.query(trail, ref)]
        assert actions[-3:] == [(first[ref], "claim"), (first[ref], "lease_expired"), (holder, "claim")]


async def test_a_claim_skips_the_application_another_transaction_has_locked(two) -> None:
    a, b = two
    oldest = await submit(a, "tg:9100")
    next_one = await submit(a, "tg:9101")
    operator = OPERATORS[0]
    # another process is in the middle of claiming the oldest: its row is locked
    async with a._get_pool().acquire() as conn, conn.transaction():
        await conn.execute("SELECT 1 FROM applications WHERE reference = $1 FOR UPDATE", oldest)
        row = await asyncio.wait_for(b.transact(desk.claim_next, operator, NOW), timeout=5)
        assert row.reference == next_one                                # not blocked, not the same one
    # the lock is gone: the oldest is there for the next claim
    assert (await b.transact(desk.claim_next, operator, NOW)).reference == oldest


async def test_the_digest_goes_out_once_when_two_processes_run_it_at_once(two) -> None:
    a, b = two
    official = Staff("tg:10", Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR")
    await a.transact(grant, official, None, NOW)
    assert await a.transact(subscribe, official.user_id, "hi", True, NOW)
    await submit(b, "tg:9200")
    sent = []

    async def send(notice) -> None:
        sent.append(notice)
    morning = datetime(2026, 11, 24, 4, 0, tzinfo=timezone.utc)     # 09:30 in India
    results = await asyncio.gather(*(digest.run_digest(store, send, morning, 8, f"p{i}")
                                     for i, store in enumerate([a, b, a, b])))
    assert sorted(results, key=str) == [1, None, None, None]
    assert [(n.user_id, n.lang) for n in sent] == [("tg:10", "hi")]
    assert "1" in sent[0].replies[0].text and sent[0].replies[0].photo[1].startswith(b"\x89PNG")
