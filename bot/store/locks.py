"""Per-user locks within one process, shared by every backend.

``UserLocks`` is the in-process part of ``Store.user_lock``: SQLite's whole
lock (one process per file), PostgreSQL's first step before the advisory
lock that queues processes (``bot.store.postgres``).
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _LockEntry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0  # tasks holding or waiting for the lock


class UserLocks:
    """One asyncio.Lock per user while some task holds or waits for it; the
    entry is dropped when the last one leaves, so memory does not grow with
    the number of users ever seen."""

    def __init__(self) -> None:
        self._entries: dict[str, _LockEntry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, user_id: str) -> AsyncIterator[None]:
        entry = self._entries.get(user_id)
        if entry is None:
            entry = self._entries[user_id] = _LockEntry()
        entry.holders += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.holders -= 1
            if entry.holders == 0:
                del self._entries[user_id]
