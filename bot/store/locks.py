"""Per-user locks within one process, shared by every backend.

``UserLocks`` is the in-process part of ``Store.user_lock``: SQLite's whole
lock (one process per file), PostgreSQL's first step before the advisory
lock that queues processes (``bot.store.postgres``).
"""
from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
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

    def hold(self, user_id: str) -> AbstractAsyncContextManager[None]:
        """``user_id``'s lock, held inside ``async with``."""
        return _Hold(self._entries, user_id)


class _Hold:
    """``UserLocks.hold`` as a class: a generator-based context manager
    costs more, and every update takes two of these."""
    __slots__ = ("_entries", "_user_id", "_entry")

    def __init__(self, entries: dict[str, _LockEntry], user_id: str) -> None:
        self._entries = entries
        self._user_id = user_id

    async def __aenter__(self) -> None:
        entry = self._entries.get(self._user_id)
        if entry is None:
            entry = self._entries[self._user_id] = _LockEntry()
        entry.holders += 1
        self._entry = entry
        try:
            await entry.lock.acquire()
        except BaseException:  # (cancelled while waiting)
            self._leave()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._entry.lock.release()
        self._leave()

    def _leave(self) -> None:
        self._entry.holders -= 1
        if self._entry.holders == 0:
            del self._entries[self._user_id]
