"""Scheduled jobs that run once across all bot processes (table ``job_runs``).

A job names its run by a slot (``"digest", "2026-11-25"``); the first
process to claim the slot runs it, every other process gets False:

    if await store.transact(claim_slot, "digest", today.isoformat(), runner, now):
        await send_digests(...)
"""
from __future__ import annotations

from datetime import datetime

from bot.store.sql import Txn, run


def claim_slot(job: str, slot: str, runner: str, when: datetime) -> Txn[bool]:
    changed = yield run("INSERT INTO job_runs (job, slot, runner, started_at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (job, slot) DO NOTHING", job, slot, runner, when.isoformat())
    return changed == 1


def forget_runs(before: datetime) -> Txn[int]:
    return (yield run("DELETE FROM job_runs WHERE started_at < ?", before.isoformat()))
