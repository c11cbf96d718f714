"""One unit of work: everything one update changes, and the mark that it
was applied, kept together or not at all (``Store.unit_of_work``).

The dispatcher opens one around a staff user's update, under that user's
lock; every store call the handler makes inside it, in the same task, joins
one database transaction:

- the transaction begins with the first write (``transact``, ``save_draft``,
  ``submit``, ``erase_user``, ...); reads before it see what is committed,
  reads after it see the unit's own writes too;
- each ``transact`` inside it is a savepoint: a transaction function that
  raises (``UanTaken``) leaves nothing of itself and the unit goes on;
- at the end the update key is recorded as applied (for the unit's user) in
  the same transaction, which then commits; an exception anywhere in the
  block rolls all of it back, so a redelivered update finds nothing applied
  and runs once more, as if for the first time;
- a user's lock taken inside it (a worker whose application is decided) is
  held until the unit has committed or rolled back, so nobody reads that
  user's rows half-changed; taking one after the unit's first write raises
  ``LockAfterWrite`` (it could wait for a user whose holder waits for this
  unit's transaction: take the locks first, then write);
- what must follow the commit (SQLite's scrub of its write-ahead log after
  an erasure) runs after it.

Keep it short and never wait on the network inside it after its first write:
SQLite has one connection, so other users' reads and writes wait while a
unit's transaction is open. Replies are delivered after the commit.

The backends keep their own state of a unit (``state``) and implement
``begin`` (lazily, at the first write) and ``finish``; ``run`` is the part
they share.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from typing import Any

from bot.domain.models import utcnow
from bot.store import core


class LockAfterWrite(RuntimeError):
    """A user's lock was asked for inside a unit of work after its first write."""


class UnitOfWork:
    """One unit of work under way (see the module)."""

    def __init__(self, update_key: str | None, user_id: str, state: Any = None) -> None:
        self.update_key = update_key
        #: the user whose update this is: the caller holds their lock already
        self.user_id = user_id
        #: the task that opened it: only its calls are part of it (a task it
        #: starts inherits its context, not the unit)
        self.task = asyncio.current_task()
        #: the backend's own part (PostgreSQL: the connection and its transaction)
        self.state = state
        #: the transaction has begun (there was a write)
        self.writing = False
        self._locked: set[str] = {user_id}
        self._locks = AsyncExitStack()
        self._after: list[Callable[[], Awaitable[None]]] = []

    def holds(self, user_id: str) -> bool:
        """True if this unit holds ``user_id``'s lock already."""
        return user_id in self._locked

    async def lock(self, user_id: str, lock: Any) -> None:
        """Take ``lock`` (an async context manager: ``user_id``'s lock) until the unit ends."""
        if self.writing:
            raise LockAfterWrite(f"a user's lock was asked for after the unit's first write ({user_id})")
        await self._locks.enter_async_context(lock)
        self._locked.add(user_id)

    def after_commit(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` once the unit has committed (not if it rolls back)."""
        self._after.append(work)


Transact = Callable[..., Awaitable[Any]]


def current(unit: ContextVar[UnitOfWork | None]) -> UnitOfWork | None:
    """The unit of work of the running task, if it has one open."""
    found = unit.get()
    return found if found is not None and found.task is asyncio.current_task() else None


@asynccontextmanager
async def run(var: ContextVar[UnitOfWork | None], update_key: str | None, user_id: str, *,
              transact: Transact, finish: Callable[[UnitOfWork, bool], Awaitable[None]],
              state: Any = None) -> AsyncIterator[UnitOfWork]:
    """The shared course of a unit: ``var`` names it for the backend's
    calls made inside; at the end the update key is recorded with the
    backend's ``transact`` (so inside the unit), then ``finish(unit, True)``
    commits (rolling back and raising if that fails), or on an exception
    ``finish(unit, False)`` rolls back. Locks taken inside are left after
    that, and ``after_commit`` work runs last."""
    if current(var) is not None:
        raise RuntimeError("a unit of work was opened inside another")
    unit = UnitOfWork(update_key, user_id, state)
    token = var.set(unit)
    try:
        try:
            yield unit
            if update_key is not None:
                await transact(core.record_applied, update_key, user_id, utcnow())
        except BaseException:
            await finish(unit, False)
            raise
        await finish(unit, True)
    finally:
        var.reset(token)
        await unit._locks.aclose()
    for work in unit._after:
        await work()
