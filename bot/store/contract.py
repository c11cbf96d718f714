"""The one async Store contract every backend implements.

Callers (``bot.service``) hold ``user_lock`` around load -> engine -> save so
that updates of one user are applied one at a time; different users run
concurrently. Every write that applies a worker's update takes the update's
key (``applied=``) and records it in the same transaction, so the caller can
ask ``is_applied`` first and skip an update delivered twice. A staff
user's update may write several things: it runs as one unit of work
(``unit_of_work``, see ``bot.store.unit``), whose writes and the update's key
commit together.
"""
from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Protocol, TypeVar

from bot.domain.models import Application, Draft
from bot.store.aadhaar_checks import PER_DAY, Checked
from bot.store.sql import Txn

if TYPE_CHECKING:
    from bot.store.outbox import Replies
    from bot.store.unit import UnitOfWork

T = TypeVar("T")


class DuplicateAadhaar(Exception):
    """An application with this Aadhaar number already exists."""


@dataclass(frozen=True)
class Turn:
    """What the service needs to handle one input of a user, read at once."""
    applied: bool                     # the update was applied before: change nothing
    draft: Draft | None
    application: Application | None


class Store(Protocol):
    async def migrate(self) -> None:
        """Create or upgrade the schema; safe to call on every start."""

    async def close(self) -> None: ...

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        """Serialise all work on one user's data. Within a process the lock
        is taken at once; a backend shared by several processes may take its
        part of it (PostgreSQL's advisory lock) with the first database work
        done under it, so work done after that (e.g. sending the replies)
        is serialised across processes too, and work before it touches no
        shared data."""

    async def transact(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        """Run a transaction function (see ``bot.store.sql``) as one write
        transaction: all of it is kept, or none of it."""

    async def query(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        """Run a read-only transaction function as one consistent read."""

    def unit_of_work(self, update_key: str | None, user_id: str) -> AbstractAsyncContextManager[UnitOfWork]:
        """Everything this task asks of the store inside the block is one
        transaction, begun by its first write, with ``update_key`` recorded
        as applied (for ``user_id``, whose lock the caller holds) at its
        end: committed together, or rolled back together if the block
        raises. User locks taken inside are held until it ends and are taken
        before its first write. See ``bot.store.unit``."""

    async def load_draft(self, user_id: str) -> Draft | None: ...

    async def load_turn(self, user_id: str, *, update_key: str | None = None) -> Turn:
        """In one read: whether ``update_key`` was applied, the user's draft and application."""

    async def save_draft(self, draft: Draft, *, applied: str | None = None, replies: Replies | None = None) -> None:
        """Insert or replace the draft; sensitive answers are encrypted.
        ``applied``: an update key to record as applied in the same transaction;
        ``replies``: the replies to that update, written to the outbox with it."""

    async def is_aadhaar_registered(self, aadhaar: str, *, except_user: str | None = None) -> bool:
        """True if an application (of another user than ``except_user``) holds this Aadhaar."""

    async def check_aadhaar(self, user_id: str, aadhaar: str, *, now: datetime,
                            per_day: int = PER_DAY, by: str | None = None) -> Checked:
        """Whether an application of another user holds this Aadhaar, if
        ``user_id`` (``by``, the staff member typing for them, if given) has
        checked fewer than ``per_day`` numbers today (India day), else
        REFUSED without looking; counted and audited, in one transaction
        (see ``bot.store.aadhaar_checks``)."""

    async def submit(self, draft: Draft, new_reference: Callable[[], str], *,
                     applied: str | None = None, by: str | None = None) -> Application:
        """Atomically create the application from the draft and save the draft
        (phase SUBMITTED, reference set). ``new_reference`` is called again on a
        reference collision. Raises DuplicateAadhaar if the Aadhaar is taken.
        ``by``: the staff member who submitted it for the worker (``/assist``),
        recorded as the audit's actor and as the application's registrar."""

    async def application_for_user(self, user_id: str) -> Application | None: ...

    async def get_application(self, reference: str) -> Application | None: ...

    async def erase_user(self, user_id: str, *, applied: str | None = None, by: str | None = None) -> None:
        """Delete the user's draft, application and vault entries; an
        application's audit trail records the erasure, by ``by`` (default: the
        worker, as ``audit.ERASED_WORKER``), and every other copy of the
        user's id goes (``core.forget_user``: their own audit rows keep the
        action without naming them, their update keys lose their user), in
        the same transaction. Nothing of the erased rows stays in the
        backend's own files that it can clean (SQLite: its write-ahead log)."""

    async def is_applied(self, key: str) -> bool:
        """True if an update with this key was recorded as applied."""

    async def forget_applied(self, before: datetime) -> int:
        """Drop applied-update keys recorded before ``before``; return how many."""
