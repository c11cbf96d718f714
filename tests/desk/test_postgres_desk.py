"""The desk's queue and the daily digest with several bot processes on one
PostgreSQL database (here, two stores on one schema, each with its own pool,
standing for two processes): no application is handed out twice, a claim
skips a row another transaction holds instead of waiting for it, and the
digest goes out once. Skipped, with the reason, where no PostgreSQL server
answers (see tests/store/postgres.py)."""
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
from tests.desk.desk_fixtures import NOW, submit
from tests.store.test_store import sql

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


async def test_claims_and_releases_in_one_district_at_once_do_not_deadlock(two) -> None:
    a, b = two
    for i in range(30):
        await submit(a, f"tg:{9300 + i}")
    operators = OPERATORS[:16]
    held = {op.user_id: (await a.transact(desk.claim_next, op, NOW)).reference for op in operators[:8]}
    for _ in range(6):      # those holding one put it back while the others claim, all at once
        results = await asyncio.gather(*(
            (a, b)[i % 2].transact(desk.release, op.user_id, held[op.user_id], NOW) if op.user_id in held
            else (a, b)[i % 2].transact(desk.claim_next, op, NOW) for i, op in enumerate(operators)))
        assert all(r is True for op, r in zip(operators, results) if op.user_id in held)
        held = {op.user_id: r.reference for op, r in zip(operators, results)
                if op.user_id not in held and r is not None}
        assert len(held) == 8 and len(set(held.values())) == 8
    assert await states(a) == {"in_review": 8, "submitted": 22}


async def test_a_decision_waits_for_a_claim_under_way_and_then_sees_the_new_holder(two) -> None:
    a, b = two
    ref = await submit(a, "tg:9400")
    first, second = OPERATORS[0], OPERATORS[1]
    await a.transact(desk.claim_next, first, NOW)
    later = NOW + desk.LEASE + timedelta(minutes=1)
    async with b._get_pool().acquire() as conn:
        claim = conn.transaction()
        await claim.start()
        # the second operator's claim of the run-out lease, under way in another process
        await conn.execute("SELECT 1 FROM applications WHERE reference = $1 FOR UPDATE", ref)
        approving = asyncio.create_task(a.transact(desk.approve, first.user_id, ref, "100000000001", later))
        releasing = asyncio.create_task(b.transact(desk.release_expired, later))
        assert await asyncio.wait_for(releasing, 5) == 0        # housekeeping leaves it to the claim
        await asyncio.sleep(0.2)
        assert not approving.done()                              # the decision waits for the claim
        await conn.execute("UPDATE applications SET lease_holder = $1, lease_until = $2 WHERE reference = $3",
                           second.user_id, desk.iso(later + desk.LEASE), ref)
        await claim.commit()
    assert await asyncio.wait_for(approving, 5) is None         # no longer the first operator's
    row = await a.query(desk.app_row, ref)
    assert row.state is ReviewState.IN_REVIEW and row.lease_holder == second.user_id and row.uan is None
    assert await states(a) == {"in_review": 1}


async def test_the_same_uan_typed_for_two_applications_at_once_is_given_once(two) -> None:
    a, b = two
    await submit(a, "tg:9500")
    await submit(a, "tg:9501")
    one_op, other_op = OPERATORS[0], OPERATORS[1]
    mine = (await a.transact(desk.claim_next, one_op, NOW)).reference
    theirs = (await b.transact(desk.claim_next, other_op, NOW)).reference

    async def approve(store, operator, ref):
        try:
            return await store.transact(desk.approve, operator.user_id, ref, "100000000009", NOW)
        except desk.UanTaken:
            return "taken"
    results = await asyncio.gather(approve(a, one_op, mine), approve(b, other_op, theirs))
    assert sorted(map(type, results), key=str) == sorted([desk.AppRow, str], key=str)
    assert await sql(a, "SELECT COUNT(*) FROM applications WHERE uan = '100000000009'") == [(1,)]
