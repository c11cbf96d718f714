"""The desk's transactions: claims never overlap, leases run out, decisions
need the lease and leave an audit row. On every backend (SQLite serialises
writes; PostgreSQL runs the claims at once, ``FOR UPDATE SKIP LOCKED``);
several PostgreSQL processes claiming together: tests/desk/test_postgres_desk.py."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.models import ReviewState
from bot.domain.roles import Role, Staff
from bot.store import desk
from bot.store.audit import trail
from tests.desk.desk_fixtures import NOW, OPERATOR_A, OPERATOR_A2, OPERATOR_B, submit


async def test_many_operators_claiming_at_once_never_share_an_application(store) -> None:
    refs = {await submit(store, f"tg:{9000 + i}") for i in range(40)}
    operators = [Staff(f"tg:{500 + i}", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", f"CSC-{i}") for i in range(25)]
    claimed: list[tuple[str, str]] = []
    while True:
        rows = await asyncio.gather(*(store.transact(desk.claim_next, op, NOW) for op in operators))
        got = [(row.reference, row.lease_holder) for row in rows if row is not None]
        if not got:
            break
        claimed += got
        # what was claimed is held, so the next round must not see it again
    assert len(claimed) == len(refs)
    assert {ref for ref, _ in claimed} == refs
    for ref, holder in claimed:
        row = await store.query(desk.app_row, ref)
        assert row.state is ReviewState.IN_REVIEW and row.lease_holder == holder


async def test_an_expired_lease_is_claimed_again_and_counted(store) -> None:
    ref = await submit(store, "tg:9100")
    first = await store.transact(desk.claim_next, OPERATOR_A, NOW)
    assert first.reference == ref
    assert await store.transact(desk.claim_next, OPERATOR_A2, NOW + timedelta(minutes=29)) is None
    counts = await store.query(desk.queue_counts, OPERATOR_A2, NOW + timedelta(minutes=31))
    assert counts.waiting == 1
    second = await store.transact(desk.claim_next, OPERATOR_A2, NOW + timedelta(minutes=31))
    assert second.reference == ref and second.lease_holder == OPERATOR_A2.user_id
    # the first operator can no longer decide on it
    assert await store.transact(desk.approve, OPERATOR_A.user_id, ref, "100200300400",
                                NOW + timedelta(minutes=32)) is None
    actions = [(r.actor, r.action) for r in await store.query(trail, ref)]
    assert actions[1:] == [(OPERATOR_A.user_id, "claim"), (OPERATOR_A.user_id, "lease_expired"),
                           (OPERATOR_A2.user_id, "claim")]
    assert actions[0][1] == "submit"  # written by the submission itself


async def test_claims_prefer_the_operators_csc_then_the_oldest_and_stay_in_the_district(store) -> None:
    other_district = await submit(store, "tg:9200", district="DEHRADUN")
    oldest = await submit(store, "tg:9201")
    mine = await submit(store, "tg:9202", source="csc_CSC-HW-02")
    assert (await store.transact(desk.claim_next, OPERATOR_A2, NOW)).reference == mine
    assert (await store.transact(desk.claim_next, OPERATOR_A2, NOW)).reference == oldest
    assert await store.transact(desk.claim_next, OPERATOR_A2, NOW) is None
    assert (await store.transact(desk.claim_next, OPERATOR_B, NOW)).reference == other_district


async def test_uan_must_be_unique(store) -> None:
    one, two = await submit(store, "tg:9300"), await submit(store, "tg:9301")
    await store.transact(desk.claim_next, OPERATOR_A, NOW)
    await store.transact(desk.claim_next, OPERATOR_A, NOW)
    assert (await store.transact(desk.approve, OPERATOR_A.user_id, one, "100000000001", NOW)).uan == "100000000001"
    with pytest.raises(desk.UanTaken):
        await store.transact(desk.approve, OPERATOR_A.user_id, two, "100000000001", NOW)
    assert (await store.query(desk.app_row, two)).state is ReviewState.IN_REVIEW


async def test_open_by_reference_only_in_scope(store) -> None:
    ref = await submit(store, "tg:9400")
    assert await store.transact(desk.claim_reference, OPERATOR_B, ref, NOW) is None
    assert await store.transact(desk.claim_reference, OPERATOR_B, "SS-NONE-0000", NOW) is None
    assert (await store.transact(desk.claim_reference, OPERATOR_A, ref, NOW)).held_by(OPERATOR_A.user_id)
    # held by A: A2 sees it, but does not take it
    row = await store.transact(desk.claim_reference, OPERATOR_A2, ref, NOW)
    assert row.lease_holder == OPERATOR_A.user_id


async def test_an_operator_is_never_given_their_own_application(store) -> None:
    await submit(store, OPERATOR_A.user_id)
    assert await store.transact(desk.claim_next, OPERATOR_A, NOW) is None
    assert (await store.transact(desk.claim_next, OPERATOR_A2, NOW)) is not None


async def test_housekeeping_puts_expired_leases_back(store) -> None:
    ref = await submit(store, "tg:9800")
    await store.transact(desk.claim_next, OPERATOR_A, NOW)
    assert await store.transact(desk.release_expired, NOW + timedelta(minutes=10)) == 0
    assert await store.transact(desk.release_expired, NOW + timedelta(minutes=31)) == 1
    row = await store.query(desk.app_row, ref)
    assert row.state is ReviewState.SUBMITTED and row.lease_holder is None
