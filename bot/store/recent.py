"""What the SQLite store last read or wrote for its most recent users, kept
in memory so the next update of a worker needs no database read.

An entry holds a user's rows exactly as stored: the draft JSON with the
Aadhaar replaced by a vault token and the bank account encrypted, the vault
ciphertexts it points to, the application's columns, and the keys of the
updates applied for the user. So memory holds no personal number in clear
any more than the database file does; loading from an entry decrypts, as
loading from the file does.

``RecentUsersStore`` wraps a store from outside: it answers ``load_turn``
from its entries (or fills them with a read of the shared ``stored_rows``),
and passes everything else to the wrapped store. The transactions know
nothing of it. What a write changed it learns from the wrapped store, which
reports the users whose drafts, applications or applied updates each write
changed (SQLite: triggers, see ``bot.store.sqlite``); their entries go. So
any write, a new transaction function of the desk or a job as much as a
worker's answer, leaves no stale entry behind: a stale draft would be a
lost answer.

An entry is only put from a read or a write that no other write of the
same user overlapped: a read started before another task's write and
returning after it could hold the rows as they were (``_Fill``). After a
worker's answer is saved, the entry is written through (the entry before,
with the draft just written), so the next answer needs no read either.
Inside a unit of work (``bot.store.unit``) nothing is put: what it wrote
may still roll back.

It is only right while this process is the only writer of the file (one bot
process per SQLite file, as ``user_lock`` already requires). That is why the
shell's ``erase`` and ``rotate-key`` are refused while the bot has the file
open (``bot.store.in_use``): their changes would not be seen here.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.domain.models import Application, Draft
from bot.store import aadhaar_checks, core
from bot.store.contract import Store, Turn
from bot.store.outbox import Replies
from bot.store.crypto import Keyring
from bot.store.sql import Txn, all_rows
from bot.store.unit import UnitOfWork, current

#: users kept; at ~4 KB each, 10,000 users is ~40 MB
DEFAULT_USERS = 10_000
#: reported for a write that may have changed any user's rows
EVERYONE = "*"
T = TypeVar("T")


@dataclass
class Stored:
    """One user's rows as stored."""
    draft: str | None = None                            # drafts.data
    application: dict[str, Any] | None = None           # the application's columns (core.APPLICATION_COLUMNS)
    vault: dict[str, str] = field(default_factory=dict)  # token -> ciphertext, for the tokens above
    applied: set[str] = field(default_factory=set)      # update keys applied for this user

    def turn(self, keyring: Keyring, user_id: str, update_key: str | None) -> Turn:
        return core.turn_from(keyring, user_id, update_key is not None and update_key in self.applied,
                              self.draft, self.application, self.vault.get)

    def after_save(self, written: core.Written, applied: str | None) -> Stored:
        """The rows once the draft is ``written`` (``core.save_draft``) over these."""
        token = self.application["aadhaar_token"] if self.application is not None else None
        vault = {key: value for key, value in self.vault.items() if key == token}
        if written.entry.token is not None and written.entry.ciphertext is not None:
            vault[written.entry.token] = written.entry.ciphertext
        return Stored(written.data, self.application, vault, self.applied | ({applied} if applied else set()))


def stored_rows(user_id: str, update_key: str | None) -> Txn[Stored]:
    """The user's rows as stored: the turn's (``core.TURN_SQL``, which also
    finds ``update_key`` if it was recorded without a user: before schema 3,
    or the user was erased since) and every key applied for them."""
    row = yield from core.load_turn_row(user_id, update_key)
    keys = yield all_rows("SELECT key FROM applied_updates WHERE user_id = ?", user_id)
    application = {column: row[column] for column in core.APPLICATION_COLUMNS} \
        if row["reference"] is not None else None
    vault = {token: ciphertext for token, ciphertext in ((row["draft_token"], row["draft_vault"]),
                                                         (row["aadhaar_token"], row["application_vault"]))
             if token is not None and ciphertext is not None}
    applied = {key["key"] for key in keys} | ({update_key} if update_key is not None and row["applied"] else set())
    return Stored(row["draft"], application, vault, applied)


class RecentUsers:
    """A least-recently-used map of user id -> ``Stored``."""

    def __init__(self, size: int = DEFAULT_USERS) -> None:
        self.size = size
        self._entries: OrderedDict[str, Stored] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, user_id: str) -> Stored | None:
        entry = self._entries.get(user_id)
        if entry is not None:
            self._entries.move_to_end(user_id)
        return entry

    def put(self, user_id: str, entry: Stored) -> None:
        if self.size <= 0:
            return
        self._entries[user_id] = entry
        self._entries.move_to_end(user_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, user_id: str) -> None:
        self._entries.pop(user_id, None)

    def clear(self) -> None:
        self._entries.clear()


class Watched(Store, Protocol):
    """A store that reports the users whose rows each write changed, and
    whose ``save_draft`` returns what it wrote."""

    async def save_draft(self, draft: Draft, *, applied: str | None = None,  # type: ignore[override]
                         replies: Replies | None = None) -> core.Written:
        """``Store.save_draft``, returning ``core.save_draft``'s result."""

    def watch(self, watcher: Callable[[frozenset[str]], None]) -> None:
        """Call ``watcher(users)`` after each write that changed the drafts,
        applications or applied updates of ``users`` (``EVERYONE``: of
        anyone), in the context (task) that asked for the write."""


@dataclass(eq=False)
class _Fill:
    """A read or write of one user's rows under way, whose result may become
    their entry: not if another write of theirs is reported meanwhile."""
    fresh: bool = True


class RecentUsersStore:
    """A Store that keeps its most recent users' rows in memory around
    another (``store``), answering their next turn without a read."""

    @property
    def keyring(self) -> Keyring:
        """The key that seals what is stored (the outbox's messages use it too)."""
        return self._keyring

    def __init__(self, store: Watched, keyring: Keyring, size: int = DEFAULT_USERS) -> None:
        self.backend = store
        self._keyring = keyring
        self._recent = RecentUsers(size)
        #: reads and writes under way whose result may become an entry, by user
        self._fills: dict[str, list[_Fill]] = {}
        #: the fill the current context is doing (its own write is not another's)
        self._doing: ContextVar[_Fill | None] = ContextVar(f"doing_{id(self)}", default=None)
        #: the unit of work open in the current task, if any (nothing is put meanwhile)
        self._unit: ContextVar[UnitOfWork | None] = ContextVar(f"unit_{id(self)}", default=None)
        store.watch(self._changed)

    def __getattr__(self, name: str) -> Any:
        """The wrapped store's own attributes (a backend's ``path``, its connection)."""
        if name == "backend":
            raise AttributeError(name)
        return getattr(self.backend, name)

    def _changed(self, users: frozenset[str]) -> None:
        """A write changed these users' rows: their entries go, and what is
        being read or written for them meanwhile (by others) is put nowhere."""
        if EVERYONE in users:
            self._recent.clear()
            users = frozenset(self._fills)
        else:
            for user_id in users:
                self._recent.drop(user_id)
        own = self._doing.get()
        for user_id in users:
            for fill in self._fills.get(user_id, ()):
                if fill is not own:
                    fill.fresh = False

    @contextmanager
    def _filling(self, user_id: str) -> Iterator[_Fill]:
        fill = _Fill()
        self._fills.setdefault(user_id, []).append(fill)
        token = self._doing.set(fill)
        try:
            yield fill
        finally:
            self._doing.reset(token)
            fills = self._fills[user_id]
            fills.remove(fill)
            if not fills:
                del self._fills[user_id]

    # -- what the memory serves -----------------------------------------------

    async def load_turn(self, user_id: str, *, update_key: str | None = None) -> Turn:
        """From the user's entry if there is one (no database read), else in
        one read, which then fills the entry. Callers hold
        ``user_lock(user_id)``, as they do around every write of the user's draft."""
        stored = self._recent.get(user_id)
        if stored is None or (update_key is not None and update_key not in stored.applied
                              and stored.draft is None and stored.application is None):
            # (a user with nothing stored may be one just erased: the keys of
            # their updates are kept without their id, found by key only)
            if current(self._unit) is not None:
                return await self.backend.load_turn(user_id, update_key=update_key)
            stored = await self._fill(user_id, update_key)
        return stored.turn(self._keyring, user_id, update_key)

    async def _fill(self, user_id: str, update_key: str | None) -> Stored:
        """The user's rows, read; their entry unless another write overlapped the read."""
        with self._filling(user_id) as fill:
            stored = await self.backend.query(stored_rows, user_id, update_key)
        if fill.fresh:
            self._recent.put(user_id, stored)
        return stored

    async def save_draft(self, draft: Draft, *, applied: str | None = None, replies: Replies | None = None) -> None:
        """Saved by the wrapped store, which returns what it wrote
        (``core.Written``): the user's entry then holds that draft over the
        entry before. Without an entry, the rows are read after."""
        if current(self._unit) is not None:
            await self.backend.save_draft(draft, applied=applied, replies=replies)
            return
        user_id = draft.user_id
        before = self._recent.get(user_id)
        if before is None:
            await self.backend.save_draft(draft, applied=applied, replies=replies)
            await self._fill(user_id, None)
            return
        with self._filling(user_id) as fill:
            try:
                written = await self.backend.save_draft(draft, applied=applied, replies=replies)
            except BaseException:
                self._recent.drop(user_id)
                raise
        if fill.fresh:
            self._recent.put(user_id, before.after_save(written, applied))

    async def submit(self, draft: Draft, new_reference: Callable[[], str], *,
                     applied: str | None = None, by: str | None = None) -> Application:
        """Submitted by the wrapped store; the user's rows are read after."""
        application = await self.backend.submit(draft, new_reference, applied=applied, by=by)
        if current(self._unit) is None:
            await self._fill(draft.user_id, None)
        return application

    @asynccontextmanager
    async def unit_of_work(self, update_key: str | None, user_id: str) -> AsyncIterator[UnitOfWork]:
        async with self.backend.unit_of_work(update_key, user_id) as unit:
            token = self._unit.set(unit)
            try:
                yield unit
            finally:
                self._unit.reset(token)

    # -- the rest is the wrapped store's (its writes are reported) -------------

    async def open(self) -> RecentUsersStore:
        await self.backend.open()  # type: ignore[attr-defined]
        return self

    async def migrate(self) -> None:
        await self.backend.migrate()

    async def close(self) -> None:
        await self.backend.close()

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self.backend.user_lock(user_id)

    async def transact(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        return await self.backend.transact(txn, *args, **kwargs)

    async def query(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        return await self.backend.query(txn, *args, **kwargs)

    async def load_draft(self, user_id: str) -> Draft | None:
        return await self.backend.load_draft(user_id)

    async def is_aadhaar_registered(self, aadhaar: str, *, except_user: str | None = None) -> bool:
        return await self.backend.is_aadhaar_registered(aadhaar, except_user=except_user)

    async def check_aadhaar(self, user_id: str, aadhaar: str, *, now: datetime,
                            per_day: int = aadhaar_checks.PER_DAY, by: str | None = None) -> aadhaar_checks.Checked:
        return await self.backend.check_aadhaar(user_id, aadhaar, now=now, per_day=per_day, by=by)

    async def application_for_user(self, user_id: str) -> Application | None:
        return await self.backend.application_for_user(user_id)

    async def get_application(self, reference: str) -> Application | None:
        return await self.backend.get_application(reference)

    async def erase_user(self, user_id: str, *, applied: str | None = None, by: str | None = None) -> None:
        await self.backend.erase_user(user_id, applied=applied, by=by)

    async def is_applied(self, key: str) -> bool:
        return await self.backend.is_applied(key)

    async def forget_applied(self, before: datetime) -> int:
        return await self.backend.forget_applied(before)
