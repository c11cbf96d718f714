"""Housekeeping every few minutes: forget applied-update keys once no channel
can deliver their update again (Telegram keeps an update at most 24 hours),
old job runs and old Aadhaar-check counts, and put applications whose
review lease ran out back in the desk's queue. Each round is claimed in the
store (``bot.store.jobs.claim_slot``), so with several processes it runs once.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.domain.models import utcnow
from bot.store import aadhaar_checks, desk, jobs
from bot.store.contract import Store

log = logging.getLogger(__name__)

KEEP_APPLIED = timedelta(days=2)
KEEP_JOB_RUNS = timedelta(days=7)
EVERY = 300  # seconds


async def housekeep_once(store: Store, runner: str) -> bool:
    """One round of housekeeping, if no other process has taken this slot:
    forget old update ids and job runs, put applications whose lease ran
    out back in the queue. True if this process ran it."""
    now = utcnow()
    slot = now.replace(second=0, microsecond=0, minute=now.minute - now.minute % (EVERY // 60))
    if not await store.transact(jobs.claim_slot, "housekeeping", slot.isoformat(), runner, now):
        return False
    forgotten = await store.forget_applied(now - KEEP_APPLIED)
    if forgotten:
        log.info("forgot %d old update ids", forgotten)
    await store.transact(jobs.forget_runs, now - KEEP_JOB_RUNS)
    await store.transact(aadhaar_checks.forget_old, now)
    released = await store.transact(desk.release_expired, now)
    if released:
        log.info("put %d applications with an expired lease back in the queue", released)
    return True


async def housekeeping(store: Store, runner: str, *, every: float = EVERY) -> None:
    """Housekeeping every few minutes, each round run by one process only."""
    while True:
        try:
            await housekeep_once(store, runner)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the next round tries again
            log.warning("housekeeping failed: %s", type(exc).__name__)
        await asyncio.sleep(every)
