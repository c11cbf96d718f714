"""The SQLite backend of the Store contract (aiosqlite): the embedded default.

One connection in WAL mode. aiosqlite runs every call on the connection's
own thread, one call after another; here each store operation (a whole
transaction, several statements) is one such call, so it costs one hop to
that thread instead of one per statement, and two operations can never
interleave. Writes that arrive together share one transaction (group
commit, see ``_run``). Writes use BEGIN IMMEDIATE, so a second process on
the same file waits (busy_timeout) instead of failing half-way, and a batch
that still finds the file locked is tried again (``_write_retrying``).

The registration rules themselves are the shared transaction functions of
``bot.store.core``, driven here on the connection's thread; what this
module adds is the group commit and the recent users' rows kept in memory
(``bot.store.recent``), so a worker's next input needs no read.

Personal data on disk: the Aadhaar number only in ``aadhaar_vault``
(AES-GCM, see ``bot.store.crypto``), referenced by a random token; the bank
account and mobile numbers encrypted inside the JSON, bound to their user. Loaded drafts and
applications hold both in clear again, in memory only. Nothing here logs an
answer.

Erased means no copy anywhere: ``secure_delete`` zeroes deleted rows and
freed pages in the file, and after an erasure the write-ahead log is
checkpointed into the file and truncated (``_scrub_log``), so the old
frames holding the erased rows are gone too. The database and its ``-wal``
and ``-shm`` are created 0600 (``bot.store.files``).

``user_lock`` is an in-process lock: run one bot process per SQLite file (the
PostgreSQL backend is the one to scale out). While open, a store on a file
holds ``<file>.lock`` shared (``bot.store.in_use``); the commands that need
the database to themselves (``erase``, ``rotate-key``) open it with
``exclusive=True`` and are refused while a bot has it open.
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.domain.models import Application, Draft, utcnow
from bot.store import aadhaar_checks, core, files
from bot.store.in_use import DatabaseLock
from bot.store.contract import Turn
from bot.store.crypto import Keyring
from bot.store.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_TABLE
from bot.store.recent import DEFAULT_USERS, RecentUsers, Stored
from bot.store.sql import Txn, drive_sqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
_PRAGMAS = ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", f"busy_timeout = {BUSY_TIMEOUT_MS}",
            # erased rows (and pages put on the free list) are overwritten
            # with zeros in the file, not just unlinked
            "secure_delete = ON")
#: after an erasure the log is checkpointed and truncated, waiting at most
#: SCRUB_WAIT_MS for other connections; if they still hold it, it is tried
#: again after 1 s, 2 s, ... up to a minute between tries
SCRUB_WAIT_MS, SCRUB_FIRST_PAUSE, SCRUB_MAX_PAUSE = 250, 1.0, 60.0
#: a batch that finds the database locked (after busy_timeout) is tried again,
#: pausing 0.05 s, 0.1 s, ... up to 2 s between tries, for at most a minute
BUSY_FIRST_PAUSE, BUSY_MAX_PAUSE, BUSY_GIVE_UP = 0.05, 2.0, 60.0
T = TypeVar("T")
Conn = sqlite3.Connection


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


class SQLiteStore:
    """``bot.store.contract.Store`` on one SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str | Path, keyring: Keyring, *, recent_users: int = DEFAULT_USERS,
                 exclusive: bool = False) -> None:
        """``exclusive``: for a command that must have the database to
        itself; ``open`` raises ``bot.store.in_use.DatabaseInUse`` while
        another store has it open (a running bot). Otherwise the store
        holds it shared, waiting for such a command to finish first."""
        self.path = str(path)
        self._lock = None if self.path in ("", ":memory:") else DatabaseLock(self.path, exclusive=exclusive)
        self._keyring = keyring
        self._db: aiosqlite.Connection | None = None
        self._user_locks = UserLocks()
        self._pending: list[tuple[Callable[[Conn], Any], asyncio.Future[Any]]] = []
        self._committer: asyncio.Future[None] | None = None
        #: the last rows read or written of recent users (write-through; see bot.store.recent)
        self._recent = RecentUsers(recent_users)
        #: write batches tried again because another connection held the write lock
        self.busy_retries = 0
        #: an erasure's checkpoint could not complete yet (see ``_scrub_log``)
        self._scrub_owed = False
        self._scrubber: asyncio.Task[None] | None = None

    # -- connection and transactions ---------------------------------------

    async def open(self) -> SQLiteStore:
        """Connect (once); ``migrate`` calls this, so callers rarely need to.
        The file is created (or tightened) 0600 first: see ``bot.store.files``."""
        if self._db is None:
            if self._lock is not None:
                await self._lock.acquire()
            try:
                if self.path not in ("", ":memory:"):
                    files.sqlite_files(self.path)
                db = await aiosqlite.connect(self.path, isolation_level=None)
                try:
                    db.row_factory = aiosqlite.Row
                    for pragma in _PRAGMAS:
                        await db.execute(f"PRAGMA {pragma}")
                except BaseException:
                    await db.close()
                    raise
            except BaseException:
                if self._lock is not None:
                    self._lock.release()
                raise
            self._db = db
        return self

    async def close(self) -> None:
        if self._committer is not None:
            await self._committer  # writes already asked for are committed first
        if self._scrubber is not None:
            self._scrubber.cancel()
            with suppress(asyncio.CancelledError):
                await self._scrubber
            self._scrubber = None
        if self._db is not None:
            if self._scrub_owed and not await self._checkpoint():
                log.warning("closing with erased rows possibly still in the write-ahead log: "
                            "another connection is reading the database")
            db, self._db = self._db, None
            await db.close()
        if self._lock is not None:
            self._lock.release()  # after the connection: nothing of this store is left to write

    def _connection(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open: call migrate() (or open()) first")
        return self._db

    async def _run(self, work: Callable[[Conn], T]) -> T:
        """Run ``work(connection)`` as a write transaction on the connection's
        thread: its changes are committed when this returns, and rolled back
        (none of them kept) if it raises.

        Group commit: writes that arrive while the thread is busy are run
        together, each inside its own SAVEPOINT, in one BEGIN IMMEDIATE ...
        COMMIT, so a burst of answers costs one hop and one commit instead of
        one each. A write that fails is rolled back to its savepoint alone;
        a failed COMMIT fails every write of the batch (none is kept)."""
        self._connection()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.ensure_future(self._commit_pending())
        return await future

    async def _commit_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                outcomes = await self._write_retrying([work for work, _ in batch])
            except BaseException as exc:  # the batch as a whole failed: so did each write
                outcomes = [(False, exc)] * len(batch)
            for (_, future), (ok, value) in zip(batch, outcomes):
                if not future.done():
                    future.set_result(value) if ok else future.set_exception(value)

    async def _write_retrying(self, works: list[Callable[[Conn], Any]]) -> list[tuple[bool, Any]]:
        """``_write_batch`` on the connection's thread; while another
        connection holds the database's write lock past ``busy_timeout``
        ("database is locked"/"busy": nothing of the batch was kept), the
        whole batch is tried again after a growing pause, for up to
        ``BUSY_GIVE_UP`` seconds, so a busy moment drops no answer."""
        pause, deadline = BUSY_FIRST_PAUSE, asyncio.get_running_loop().time() + BUSY_GIVE_UP
        while True:
            db = self._connection()
            try:
                return await db._execute(_write_batch, db._conn, works)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or asyncio.get_running_loop().time() + pause > deadline:
                    raise
                self.busy_retries += 1
                log.warning("database busy (%s); trying %d writes again in %.2f s", exc, len(works), pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, BUSY_MAX_PAUSE)

    def _read(self, work: Callable[[Conn], T]) -> Any:
        """Run ``work(connection)`` as one read transaction (a consistent view)."""
        db = self._connection()

        def transaction() -> T:
            conn = db._conn
            conn.execute("BEGIN DEFERRED")
            try:
                return work(conn)
            finally:
                conn.execute("COMMIT")

        # aiosqlite's own way to run a call on its thread (the same one its
        # execute() uses); pinned by the aiosqlite version range in pyproject
        return db._execute(transaction)

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self._user_locks.hold(user_id)

    # -- transactions written once for every backend (bot.store.sql) ----------

    async def transact(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        """Run ``txn(*args, **kwargs)`` as one write transaction (group
        commit, see ``_run``); the users it touched leave ``_recent``."""
        touched: set[str] = set()
        try:
            return await self._run(lambda conn: drive_sqlite(conn, txn(*args, **kwargs), touched))
        finally:
            for user_id in touched:
                self._recent.drop(user_id)

    async def query(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        """Run ``txn(*args, **kwargs)`` as one read transaction (it must not write)."""
        return await self._read(lambda conn: drive_sqlite(conn, txn(*args, **kwargs), set()))

    # -- schema --------------------------------------------------------------

    async def migrate(self) -> None:
        await self.open()
        await self._run(lambda conn: conn.execute(SCHEMA_MIGRATIONS_TABLE))
        for version, sql in MIGRATIONS:
            if await self._run(lambda conn: _apply_migration(conn, version, sql)):
                log.info("applied schema migration %d", version)

    # -- drafts --------------------------------------------------------------

    async def load_draft(self, user_id: str) -> Draft | None:
        return await self.query(core.load_draft, self._keyring, user_id)

    async def load_turn(self, user_id: str, *, update_key: str | None = None) -> Turn:
        """From the user's entry in ``_recent`` if there is one (no database
        read), else in one read, which then fills the entry. Callers hold
        ``user_lock(user_id)``, as they do around every write of the user."""
        stored = self._recent.get(user_id)
        if stored is None or (update_key is not None and update_key not in stored.applied
                              and stored.draft is None and stored.application is None):
            # (a user with nothing stored may be one just erased: the keys of
            # their updates are kept without their id, found by key only)
            def work(conn: Conn) -> Stored:
                stored = _fetch_stored(conn, user_id)
                if update_key is not None and update_key not in stored.applied \
                        and _one(conn, "SELECT 1 FROM applied_updates WHERE key = ?", (update_key,)):
                    stored.applied.add(update_key)  # recorded without its user (before schema 3)
                return stored
            stored = await self._read(work)
            self._recent.put(user_id, stored)
        return Turn(update_key is not None and update_key in stored.applied, core.draft_of(self._keyring, user_id, stored.draft, stored.vault.get),
                    core.application_of(self._keyring, stored.application, stored.vault.get))

    async def save_draft(self, draft: Draft, *, applied: str | None = None) -> None:
        before = self._recent.get(draft.user_id)

        def work(conn: Conn) -> core.Written:
            return drive_sqlite(conn, core.save_draft(self._keyring, draft, applied, utcnow()), set())

        def stored_after(written: core.Written) -> Stored | None:
            """The rows now stored, from the entry before and what was written."""
            if before is None:
                return None
            application = before.application
            vault = {token: ciphertext for token, ciphertext in before.vault.items()
                     if application is not None and token == application["aadhaar_token"]}
            if written.token is not None:
                vault[written.token] = written.ciphertext
            return Stored(written.data, application, vault, before.applied | ({applied} if applied else set()))

        await self._write_user(draft.user_id, work, stored_after)

    async def _write_user(self, user_id: str, work: Callable[[Conn], T],
                          stored_after: Callable[[T], Stored | None] | None = None) -> T:
        """A write of one user's rows (see ``_run``); afterwards the user's
        entry in ``_recent`` holds exactly what was committed, or is gone if
        the write failed. ``stored_after(result)`` gives those rows when the
        write knows them; else they are read back in the same transaction."""
        self._recent.drop(user_id)

        def write(conn: Conn) -> tuple[T, Stored]:
            result = work(conn)
            stored = stored_after(result) if stored_after is not None else None
            return result, stored if stored is not None else _fetch_stored(conn, user_id)

        result, stored = await self._run(write)
        self._recent.put(user_id, stored)
        return result

    # -- applications --------------------------------------------------------

    async def submit(self, draft: Draft, new_reference: Callable[[], str], *,
                     applied: str | None = None, by: str | None = None) -> Application:
        """See the contract. A resubmission (the user already has an
        application) keeps its reference, UAN and first ``submitted_at``, goes
        back to SUBMITTED and gets the new answers; ``updated_at`` is now.
        Written inside BEGIN IMMEDIATE: no one can take the reference found
        free before it is inserted."""
        now = utcnow()
        return await self._write_user(draft.user_id, lambda conn: drive_sqlite(
            conn, core.submit(self._keyring, draft, new_reference, applied, now, by=by), set()))

    async def is_aadhaar_registered(self, aadhaar: str, *, except_user: str | None = None) -> bool:
        return await self.query(core.is_aadhaar_registered, self._keyring.aadhaar_hash(aadhaar), except_user)

    async def check_aadhaar(self, user_id: str, aadhaar: str, *, now: datetime,
                            per_day: int = aadhaar_checks.PER_DAY, by: str | None = None) -> aadhaar_checks.Checked:
        return await self.transact(aadhaar_checks.check, self._keyring, user_id, aadhaar, now, per_day, by)

    async def application_for_user(self, user_id: str) -> Application | None:
        return await self.query(core.load_application, self._keyring, "user_id", user_id)

    async def get_application(self, reference: str) -> Application | None:
        return await self.query(core.load_application, self._keyring, "reference", reference)

    async def erase_user(self, user_id: str, *, applied: str | None = None, by: str | None = None) -> None:
        """See the contract; then the write-ahead log is checkpointed and
        truncated (``_scrub_log``), so no copy of the erased rows is left in
        it. The user leaves ``_recent``: their next turn is read again."""
        await self.transact(core.erase_user, user_id, applied, utcnow(), by=by)
        await self._scrub_log()

    # -- no copy of erased rows in the write-ahead log ---------------------------

    async def _scrub_log(self) -> None:
        """Copy the write-ahead log into the database file and truncate it
        (``wal_checkpoint(TRUNCATE)``): the erased rows' old pages in the
        log's frames are gone, and ``secure_delete`` has zeroed them in the
        file. A reader on another connection can hold the checkpoint back:
        then it is tried again in the background until it completes. (The
        erasure itself is committed either way.)"""
        try:
            done = await self._checkpoint()
        except Exception as exc:
            done = False
            log.warning("checkpoint after an erasure failed: %s", type(exc).__name__)
        if done:
            self._scrub_owed = False
            return
        self._scrub_owed = True
        log.warning("erased rows are still in the database's write-ahead log: another connection is "
                    "reading; the log is truncated as soon as it can be")
        if self._scrubber is None or self._scrubber.done():
            self._scrubber = asyncio.ensure_future(self._scrub_later())

    async def _scrub_later(self) -> None:
        pause = SCRUB_FIRST_PAUSE
        while self._scrub_owed and self._db is not None:
            await asyncio.sleep(pause)
            try:
                if await self._checkpoint():
                    self._scrub_owed = False
                    log.info("the write-ahead log is truncated: no copy of erased rows is left in it")
                    return
            except Exception as exc:  # the next try may do better; closing tries once more
                log.warning("checkpoint after an erasure failed: %s", type(exc).__name__)
            pause = min(pause * 2, SCRUB_MAX_PAUSE)

    async def _checkpoint(self) -> bool:
        """``PRAGMA wal_checkpoint(TRUNCATE)`` on the connection's thread,
        between transactions; True if it completed (or there is no log)."""
        if self.path in ("", ":memory:"):
            return True
        db = self._connection()
        return await db._execute(_checkpoint_truncate, db._conn)

    # -- updates applied -------------------------------------------------------

    async def is_applied(self, key: str) -> bool:
        return await self.query(core.is_applied, key)

    async def forget_applied(self, before: datetime) -> int:
        return await self.transact(core.forget_applied, before)


def _write_batch(conn: Conn, works: list[Callable[[Conn], Any]]) -> list[tuple[bool, Any]]:
    """On the connection's thread: every work in one transaction, each in a
    savepoint; (True, result) or (False, exception) for each."""
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for work in works:
            conn.execute("SAVEPOINT work")
            try:
                result = work(conn)
            except Exception as exc:
                conn.execute("ROLLBACK TO work")
                conn.execute("RELEASE work")
                outcomes.append((False, exc))
            else:
                conn.execute("RELEASE work")
                outcomes.append((True, result))
        conn.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.OperationalError):  # a failed COMMIT may have ended it already
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _checkpoint_truncate(conn: Conn) -> bool:
    """On the connection's thread: checkpoint and truncate the log, waiting
    at most ``SCRUB_WAIT_MS`` for another connection's reader or writer."""
    conn.execute(f"PRAGMA busy_timeout = {SCRUB_WAIT_MS}")
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return busy == 0


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection has the lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _fetch_stored(conn: Conn, user_id: str) -> Stored:
    """One user's rows as stored (see ``bot.store.recent``)."""
    draft = _one(conn, "SELECT data, aadhaar_token FROM drafts WHERE user_id = ?", (user_id,))
    application = _one(conn, "SELECT * FROM applications WHERE user_id = ?", (user_id,))
    vault = {}
    for token in {draft and draft["aadhaar_token"], application and application["aadhaar_token"]} - {None}:
        ciphertext = _vault_get(conn, token)
        if ciphertext is not None:
            vault[token] = ciphertext
    applied = {row[0] for row in conn.execute("SELECT key FROM applied_updates WHERE user_id = ?", (user_id,))}
    return Stored(draft["data"] if draft else None, dict(application) if application else None, vault, applied)


def _vault_get(conn: Conn, token: str) -> str | None:
    row = _one(conn, "SELECT ciphertext FROM aadhaar_vault WHERE token = ?", (token,))
    return row["ciphertext"] if row else None


def _apply_migration(conn: Conn, version: int, sql: str) -> bool:
    if _one(conn, "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)):
        return False
    for statement in _statements(sql):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (version, core.iso(utcnow())))
    return True


# -- helpers -------------------------------------------------------------------

def _one(conn: Conn, sql: str, params: Any = ()) -> sqlite3.Row | None:
    return conn.execute(sql, params).fetchone()


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into complete statements (no executescript:
    it would commit the surrounding transaction)."""
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                yield pending.strip()
            pending = ""
