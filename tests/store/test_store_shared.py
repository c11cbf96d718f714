"""The transaction functions shared by every backend: roles, audit, job slots."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.domain.roles import Role, Staff
from bot.store import audit, jobs, staff

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


async def test_roles_granted_replaced_listed_revoked(store) -> None:
    assert await store.query(staff.staff_of, "tg:1") is None
    official = Staff("tg:1", Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR")
    await store.transact(staff.grant, official, "tg:9", NOW)
    assert await store.query(staff.staff_of, "tg:1") == official
    operator = Staff("tg:1", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC123")
    await store.transact(staff.grant, operator, "tg:9", NOW)
    assert await store.query(staff.list_staff) == [operator]
    assert await store.transact(staff.revoke, "tg:1") is True
    assert await store.transact(staff.revoke, "tg:1") is False
    assert await store.query(staff.staff_of, "tg:1") is None


def test_scope_of_each_role() -> None:
    state_official = Staff("a", Role.OFFICIAL, "UTTARAKHAND")
    district_official = Staff("b", Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR")
    assert state_official.covers("UTTARAKHAND", "DEHRADUN")
    assert district_official.covers("UTTARAKHAND", "HARIDWAR")
    assert not district_official.covers("UTTARAKHAND", "DEHRADUN")
    assert not district_official.covers("UTTAR PRADESH", "HARIDWAR")
    assert Staff("c", Role.ADMIN).covers(None, None)
    assert not Staff("d", Role.WORKER).covers("UTTARAKHAND", "HARIDWAR")


async def test_audit_trail_in_order_and_per_reference(store) -> None:
    await store.transact(audit.record, "tg:5", "claimed", "SS-AAAA-BBBB", NOW)
    await store.transact(audit.record, "tg:5", "approved", "SS-AAAA-BBBB", NOW + timedelta(minutes=3),
                         uan="100000000001")
    await store.transact(audit.record, "tg:6", "claimed", "SS-CCCC-DDDD", NOW)
    rows = await store.query(audit.trail, "SS-AAAA-BBBB")
    assert [(r.actor, r.action, r.detail) for r in rows] == [
        ("tg:5", "claimed", {}), ("tg:5", "approved", {"uan": "100000000001"})]
    assert rows[1].at == NOW + timedelta(minutes=3)


async def test_a_job_slot_is_claimed_once(store) -> None:
    assert await store.transact(jobs.claim_slot, "digest", "2026-11-25", "p1", NOW) is True
    assert await store.transact(jobs.claim_slot, "digest", "2026-11-25", "p2", NOW) is False
    assert await store.transact(jobs.claim_slot, "digest", "2026-11-26", "p2", NOW) is True
    assert await store.transact(jobs.forget_runs, NOW + timedelta(seconds=1)) == 2


async def test_housekeeping_runs_once_a_round_across_processes(store) -> None:
    from bot.jobs.housekeeping import housekeep_once
    ran = [await housekeep_once(store, runner) for runner in ("p1", "p2", "p3")]
    assert ran.count(True) == 1  # the round's slot went to one process
