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
``bot.store.core``, driven here on the connection's thread. ``SQLiteStore``,
what callers open, is this backend (``SQLiteBackend``) inside the recent
users' memory (``bot.store.recent``), which wraps it from outside: so a
worker's next input needs no read. What a write changed, the memory learns
from the database: temporary triggers on the tables it keeps rows of
(``_CHANGE_TRIGGERS``) note the users whose rows a statement changed, and
each write reports them to its watchers (``watch``) when it returns.

A unit of work (``unit_of_work``, see ``bot.store.unit``) keeps one
transaction open on the one connection from its first write to its end:
meanwhile other tasks' reads and writes wait, and its own run inside it.

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
import contextvars
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.domain.models import Application, Draft, utcnow
from bot.store import aadhaar_checks, core, files, unit as units
from bot.store.contract import Turn
from bot.store.outbox import Replies, put_replies
from bot.store.crypto import Keyring
from bot.store.in_use import DatabaseLock
from bot.store.locks import UserLocks
from bot.store.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_TABLE
from bot.store.recent import DEFAULT_USERS, EVERYONE, RecentUsersStore
from bot.store.sql import Txn, drive_sqlite
from bot.store.unit import UnitOfWork

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
#: (ok, result or exception, users whose rows it changed) of one write
WriteOutcome = tuple[bool, Any, frozenset[str]]
#: told the users whose rows a write changed; called in the context the write was asked in
Watcher = Callable[[frozenset[str]], None]

#: the users whose rows of drafts, applications, the vault and applied
#: updates a statement changes are noted in a temporary table of this
#: connection (never in the file), read and emptied after each write. A
#: vault entry rewritten (key rotation) may be anyone's: ``EVERYONE``. A
#: vault entry inserted or deleted is no one's yet or any more (its foreign
#: keys see to that): nothing to note.
_CHANGED_USERS = "CREATE TEMP TABLE IF NOT EXISTS changed_users (user_id TEXT)"
_NOTE_OLD = "INSERT INTO changed_users SELECT old.user_id WHERE old.user_id IS NOT NULL;"
_NOTE_NEW = "INSERT INTO changed_users SELECT new.user_id WHERE new.user_id IS NOT NULL;"
#: (an update notes the new user only if it differs: two plain inserts cost less than a UNION of both)
_NOTE_NEW_IF_OTHER = ("INSERT INTO changed_users SELECT new.user_id"
                      " WHERE new.user_id IS NOT NULL AND new.user_id IS NOT old.user_id;")
_CHANGE_TRIGGERS = [
    *((table, f"CREATE TEMP TRIGGER IF NOT EXISTS noted_{table}_{event.lower()} AFTER {event} ON {table}"
              f" BEGIN {notes} END")
      for table in ("drafts", "applications", "applied_updates")
      for event, notes in (("INSERT", _NOTE_NEW), ("DELETE", _NOTE_OLD),
                           ("UPDATE", f"{_NOTE_OLD} {_NOTE_NEW_IF_OTHER}"))),
    ("aadhaar_vault", "CREATE TEMP TRIGGER IF NOT EXISTS noted_vault_update AFTER UPDATE ON aadhaar_vault"
                      f" BEGIN INSERT INTO changed_users VALUES ('{EVERYONE}'); END"),
]


class SQLiteBackend:
    """``bot.store.contract.Store`` on one SQLite file (or ``":memory:"``),
    keeping nothing of its users in memory; ``SQLiteStore`` adds that."""

    def __init__(self, path: str | Path, keyring: Keyring, *, exclusive: bool = False) -> None:
        """``exclusive``: for a command that must have the database to
        itself; ``open`` raises ``bot.store.in_use.DatabaseInUse`` while
        another store has it open (a running bot). Otherwise the store
        holds it shared, waiting for such a command to finish first."""
        self.path = str(path)
        self._lock = None if self.path in ("", ":memory:") else DatabaseLock(self.path, exclusive=exclusive)
        self._keyring = keyring
        self._db: aiosqlite.Connection | None = None
        self._user_locks = UserLocks()
        self._pending: list[tuple[Callable[[Conn], Any], asyncio.Future[Any], contextvars.Context]] = []
        self._committer: asyncio.Future[None] | None = None
        self._watchers: list[Watcher] = []
        #: the unit of work of the current task, if any (see ``unit_of_work``)
        self._unit: contextvars.ContextVar[UnitOfWork | None] = \
            contextvars.ContextVar(f"unit_{id(self)}", default=None)
        #: one writer at a time: a group-commit batch, or a unit of work from its first write to its end
        self._writer = asyncio.Lock()
        #: while a unit of work has its transaction open: what others' reads wait on
        self._open: asyncio.Future[None] | None = None
        self._abandoning: asyncio.Future[None] | None = None  # a unit that failed to begin, being ended
        #: write batches tried again because another connection held the write lock
        self.busy_retries = 0
        #: an erasure's checkpoint could not complete yet (see ``_scrub_log``)
        self._scrub_owed = False
        self._scrubber: asyncio.Task[None] | None = None

    def watch(self, watcher: Watcher) -> None:
        """Tell ``watcher`` the users whose drafts, applications or applied
        updates each write changed (``EVERYONE``: it may be anyone), in the
        order the writes ran, as each returns: from the context (task) that
        asked for the write. A write that failed changed nothing."""
        self._watchers.append(watcher)

    def _report(self, changed: frozenset[str]) -> None:
        for watcher in self._watchers:
            watcher(changed)

    # -- connection and transactions ---------------------------------------

    async def open(self) -> SQLiteBackend:
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
                    await db._execute(_note_changes, db._conn)
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
        if self._abandoning is not None:
            await self._abandoning
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
        (none of them kept) if it raises. Inside a unit of work it is a part
        of the unit's transaction instead (``_run_in_unit``).

        Group commit: writes that arrive while the thread is busy are run
        together, each inside its own SAVEPOINT, in one BEGIN IMMEDIATE ...
        COMMIT, so a burst of answers costs one hop and one commit instead of
        one each. A write that fails is rolled back to its savepoint alone;
        a failed COMMIT fails every write of the batch (none is kept)."""
        self._connection()
        unit = units.current(self._unit)
        if unit is not None:
            return await self._run_in_unit(unit, work)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future, contextvars.copy_context()))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.ensure_future(self._commit_pending())
        return await future

    async def _commit_pending(self) -> None:
        while self._pending:
            async with self._writer:  # not while a unit of work has its transaction open
                batch, self._pending = self._pending, []
                try:
                    outcomes = await self._write_retrying([work for work, _, _ in batch])
                except BaseException as exc:  # the batch as a whole failed: so did each write
                    outcomes = [(False, exc, frozenset())] * len(batch)
            for (_, future, context), (ok, value, changed) in zip(batch, outcomes, strict=True):
                if changed:
                    context.run(self._report, changed)
                if not future.done():
                    future.set_result(value) if ok else future.set_exception(value)

    async def _write_retrying(self, works: list[Callable[[Conn], Any]]) -> list[WriteOutcome]:
        """``_write_batch`` on the connection's thread; while another
        connection holds the database's write lock past ``busy_timeout``
        ("database is locked"/"busy": nothing of the batch was kept), the
        whole batch is tried again after a growing pause, for up to
        ``BUSY_GIVE_UP`` seconds, so a busy moment drops no answer."""
        return await self._retrying_busy(_write_batch, works, what=f"{len(works)} writes")

    async def _retrying_busy(self, call: Callable[..., T], *args: Any, what: str) -> T:
        pause, deadline = BUSY_FIRST_PAUSE, asyncio.get_running_loop().time() + BUSY_GIVE_UP
        while True:
            db = self._connection()
            try:
                return await db._execute(call, db._conn, *args)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or asyncio.get_running_loop().time() + pause > deadline:
                    raise
                self.busy_retries += 1
                log.warning("database busy (%s); trying %s again in %.2f s", exc, what, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, BUSY_MAX_PAUSE)

    async def _read(self, work: Callable[[Conn], T]) -> T:
        """Run ``work(connection)`` as one read transaction (a consistent
        view); inside a unit of work that has written, as a part of its
        transaction (it sees the unit's writes)."""
        db = self._connection()
        unit = units.current(self._unit)
        if unit is not None and unit.writing:
            return await db._execute(work, db._conn)
        await self._no_open_unit()

        def transaction() -> T:
            conn = db._conn
            conn.execute("BEGIN DEFERRED")
            try:
                return work(conn)
            finally:
                conn.execute("COMMIT")

        # aiosqlite's own way to run a call on its thread (the same one its
        # execute() uses); pinned by the aiosqlite version range in pyproject
        return await db._execute(transaction)

    async def _no_open_unit(self) -> None:
        """Wait while another task's unit of work has its transaction open on
        the connection. Returns without pausing once there is none, so the
        call queued right after it runs outside any unit."""
        while self._open is not None:
            await asyncio.shield(self._open)

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        unit = units.current(self._unit)
        if unit is not None:
            return self._unit_lock(unit, user_id)
        return self._user_locks.hold(user_id)

    @asynccontextmanager
    async def _unit_lock(self, unit: UnitOfWork, user_id: str) -> AsyncIterator[None]:
        """A user's lock inside a unit of work: held until the unit ends."""
        if not unit.holds(user_id):
            await unit.lock(user_id, self._user_locks.hold(user_id))
        yield

    # -- units of work (bot.store.unit) ----------------------------------------

    def unit_of_work(self, update_key: str | None, user_id: str) -> AbstractAsyncContextManager[UnitOfWork]:
        """See ``bot.store.unit``: its transaction begins with the first
        write (``_begin``), after which the connection is the unit's alone
        until it ends."""
        return units.run(self._unit, update_key, user_id, transact=self.transact, finish=self._finish)

    async def _begin(self, unit: UnitOfWork) -> None:
        if unit.writing:
            return
        await self._writer.acquire()  # no batch runs meanwhile, nor another unit
        # before BEGIN is queued: others' reads queue after the unit
        self._open = asyncio.get_running_loop().create_future()
        try:
            await self._retrying_busy(_begin_immediate, what="a unit of work")
        except BaseException:
            # (cancelled while waiting, the BEGIN may still run on the thread:
            # it is ended there before anyone else may write or read)
            self._abandoning = asyncio.ensure_future(self._abandon_unit())
            raise
        unit.writing = True

    async def _finish(self, unit: UnitOfWork, commit: bool) -> None:
        """Commit (else roll back) the unit's transaction, if it began."""
        if not unit.writing:
            return
        try:
            db = self._connection()
            await db._execute(_end_transaction, db._conn, commit)
        finally:
            unit.writing = False
            self._close_unit()

    async def _abandon_unit(self) -> None:
        try:
            db = self._connection()
            await db._execute(_end_transaction, db._conn, False)
        finally:
            self._close_unit()

    def _close_unit(self) -> None:
        opened, self._open = self._open, None
        if opened is not None and not opened.done():
            opened.set_result(None)
        self._writer.release()

    async def _run_in_unit(self, unit: UnitOfWork, work: Callable[[Conn], T]) -> T:
        """``work`` as a savepoint of the unit's transaction (begun if this is its first write)."""
        await self._begin(unit)
        db = self._connection()
        ok, value, changed = await db._execute(_attempt, db._conn, work)
        if changed:
            self._report(changed)
        if not ok:
            raise value
        return value

    # -- transactions written once for every backend (bot.store.sql) ----------

    async def transact(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        """Run ``txn(*args, **kwargs)`` as one write transaction (group
        commit, see ``_run``)."""
        return await self._run(lambda conn: drive_sqlite(conn, txn(*args, **kwargs)))

    async def query(self, txn: Callable[..., Txn[T]], *args: Any, **kwargs: Any) -> T:
        """Run ``txn(*args, **kwargs)`` as one read transaction (it must not write)."""
        return await self._read(lambda conn: drive_sqlite(conn, txn(*args, **kwargs)))

    # -- schema --------------------------------------------------------------

    async def migrate(self) -> None:
        await self.open()
        await self._run(lambda conn: conn.execute(SCHEMA_MIGRATIONS_TABLE))
        for version, sql in MIGRATIONS:
            if await self._run(functools.partial(_apply_migration, version=version, sql=sql)):
                log.info("applied schema migration %d", version)
        await self._run(_note_changes)  # the triggers, on the tables as they now are

    # -- the registration core (bot.store.core) -----------------------------------

    async def load_draft(self, user_id: str) -> Draft | None:
        return await self.query(core.load_draft, self._keyring, user_id)

    async def load_turn(self, user_id: str, *, update_key: str | None = None) -> Turn:
        return await self.query(core.load_turn, self._keyring, user_id, update_key)

    async def save_draft(self, draft: Draft, *, applied: str | None = None,
                         replies: Replies | None = None) -> core.Written:
        """See the contract; returns what was written (for ``bot.store.recent``)."""
        now = utcnow()
        return await self.transact(core.save_draft, self._keyring, draft, applied, now, None,
                                   put_replies(replies, now) if replies else None)

    async def submit(self, draft: Draft, new_reference: Callable[[], str], *,
                     applied: str | None = None, by: str | None = None) -> Application:
        """See the contract. A resubmission (the user already has an
        application) keeps its reference, UAN and first ``submitted_at``, goes
        back to SUBMITTED and gets the new answers; ``updated_at`` is now.
        Written inside BEGIN IMMEDIATE: no one can take the reference found
        free before it is inserted."""
        return await self.transact(core.submit, self._keyring, draft, new_reference, applied, utcnow(), by=by)

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
        it: at once, or inside a unit of work once it has committed."""
        await self.transact(core.erase_user, user_id, applied, utcnow(), by=by)
        unit = units.current(self._unit)
        if unit is not None:
            unit.after_commit(self._scrub_log)
        else:
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
        await self._no_open_unit()
        return await db._execute(_checkpoint_truncate, db._conn)

    # -- updates applied -------------------------------------------------------

    async def is_applied(self, key: str) -> bool:
        return await self.query(core.is_applied, key)

    async def forget_applied(self, before: datetime) -> int:
        return await self.transact(core.forget_applied, before)


class SQLiteStore(RecentUsersStore):
    """The SQLite store as callers open it: ``SQLiteBackend`` with its most
    recent users' rows kept in memory (``bot.store.recent``, at most
    ``recent_users`` of them). The backend's own attributes (``path``, the
    connection) are reached through it."""

    def __init__(self, path: str | Path, keyring: Keyring, *, recent_users: int = DEFAULT_USERS,
                 exclusive: bool = False) -> None:
        super().__init__(SQLiteBackend(path, keyring, exclusive=exclusive), keyring, recent_users)


def _write_batch(conn: Conn, works: list[Callable[[Conn], Any]]) -> list[WriteOutcome]:
    """On the connection's thread: every work in one transaction, each in a
    savepoint; (True, result, changed) or (False, exception, nothing) for each."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        outcomes = [_attempt(conn, work) for work in works]
        conn.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.OperationalError):  # a failed COMMIT may have ended it already
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _attempt(conn: Conn, work: Callable[[Conn], Any]) -> WriteOutcome:
    """On the connection's thread, inside a transaction: ``work`` in a
    savepoint, rolled back to it if it raises; with the users whose rows it
    changed (``_CHANGE_TRIGGERS``)."""
    conn.execute("SAVEPOINT work")
    try:
        result = work(conn)
    except Exception as exc:
        conn.execute("ROLLBACK TO work")
        conn.execute("RELEASE work")
        return False, exc, _changed_users(conn)
    conn.execute("RELEASE work")
    return True, result, _changed_users(conn)


def _changed_users(conn: Conn) -> frozenset[str]:
    """The users noted since the last call (and the note emptied)."""
    rows = conn.execute("SELECT DISTINCT user_id FROM changed_users").fetchall()
    if not rows:
        return frozenset()
    conn.execute("DELETE FROM changed_users")
    return frozenset(row[0] for row in rows)


def _note_changes(conn: Conn) -> None:
    """Create the temporary change triggers on the tables that exist (a new
    database has none before its migrations)."""
    conn.execute(_CHANGED_USERS)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, trigger in _CHANGE_TRIGGERS:
        if table in tables:
            conn.execute(trigger)


def _begin_immediate(conn: Conn) -> None:
    conn.execute("BEGIN IMMEDIATE")


def _end_transaction(conn: Conn, commit: bool) -> None:
    """COMMIT (if that fails, ROLLBACK and raise), or ROLLBACK."""
    if commit:
        try:
            conn.execute("COMMIT")
            return
        except BaseException:
            with suppress(sqlite3.OperationalError):
                conn.execute("ROLLBACK")
            raise
    with suppress(sqlite3.OperationalError):  # ended already (a failed statement may end it)
        conn.execute("ROLLBACK")


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
