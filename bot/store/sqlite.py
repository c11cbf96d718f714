"""The SQLite backend of the Store contract (aiosqlite): the embedded default.

One connection in WAL mode. Every read and every write is one transaction
taken while holding ``_lock``: the connection is shared by all tasks, and a
read in the middle of another task's write would otherwise see rows that may
still be rolled back. Writes use BEGIN IMMEDIATE, so a second process on the
same file waits (busy_timeout) instead of failing half-way.

Personal data on disk: the Aadhaar number only in ``aadhaar_vault``
(AES-GCM, see ``bot.store.crypto``), referenced by a random token; the bank
account number encrypted inside the JSON, bound to its user. Loaded drafts and
applications hold both in clear again, in memory only. Nothing here logs an
answer.

``user_lock`` is an in-process lock: run one bot process per SQLite file (the
PostgreSQL backend is the one to scale out).
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiosqlite

from bot.domain.models import Application, Draft, Phase, ReviewState, utcnow
from bot.store.contract import DuplicateAadhaar
from bot.store.crypto import Keyring
from bot.store.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_TABLE

log = logging.getLogger(__name__)

MAX_REFERENCE_TRIES = 10
_PRAGMAS = ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "busy_timeout = 5000")


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

    def __init__(self, path: str | Path, keyring: Keyring) -> None:
        self.path = str(path)
        self._keyring = keyring
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._user_locks = UserLocks()

    # -- connection and transactions ---------------------------------------

    async def open(self) -> SQLiteStore:
        """Connect (once); ``migrate`` calls this, so callers rarely need to."""
        if self._db is None:
            db = await aiosqlite.connect(self.path, isolation_level=None)
            db.row_factory = aiosqlite.Row
            for pragma in _PRAGMAS:
                await db.execute(f"PRAGMA {pragma}")
            self._db = db
        return self

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    @asynccontextmanager
    async def _transaction(self, mode: str = "IMMEDIATE") -> AsyncIterator[aiosqlite.Connection]:
        """One transaction: committed if the block succeeds, else rolled back."""
        if self._db is None:
            raise RuntimeError("the store is not open: call migrate() (or open()) first")
        db = self._db
        async with self._lock:
            try:
                await db.execute(f"BEGIN {mode}")
                yield db
                await db.execute("COMMIT")
            except BaseException:
                # Always ask: a cancelled BEGIN may still run first (aiosqlite
                # runs requests in order), and a failed COMMIT may have ended
                # the transaction already.
                with suppress(sqlite3.OperationalError):
                    await db.execute("ROLLBACK")
                raise

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self._user_locks.hold(user_id)

    # -- schema --------------------------------------------------------------

    async def migrate(self) -> None:
        await self.open()
        async with self._transaction() as db:
            await db.execute(SCHEMA_MIGRATIONS_TABLE)
        for version, sql in MIGRATIONS:
            async with self._transaction() as db:
                if await _one(db, "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)):
                    continue
                for statement in _statements(sql):
                    await db.execute(statement)
                await db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                 (version, _iso(utcnow())))
            log.info("applied schema migration %d", version)

    # -- drafts --------------------------------------------------------------

    async def load_draft(self, user_id: str) -> Draft | None:
        async with self._transaction("DEFERRED") as db:
            row = await _one(db, "SELECT data FROM drafts WHERE user_id = ?", (user_id,))
            if row is None:
                return None
            data = json.loads(row["data"])
            data["answers"] = await self._unseal(db, user_id, data["answers"])
        return Draft.model_validate(data)

    async def save_draft(self, draft: Draft, *, applied: str | None = None) -> None:
        async with self._transaction() as db:
            await self._write_draft(db, draft)
            await _record_applied(db, applied)

    async def _write_draft(self, db: aiosqlite.Connection, draft: Draft) -> str | None:
        """Upsert the draft; return the vault token of its Aadhaar (or None)."""
        row = await _one(db, "SELECT aadhaar_token FROM drafts WHERE user_id = ?", (draft.user_id,))
        old_token = row["aadhaar_token"] if row else None
        data = draft.model_dump(mode="json")
        aadhaar = data["answers"].get("aadhaar")
        token = None if aadhaar is None else await self._vault_put(db, _text("aadhaar", aadhaar), old_token)
        data["answers"] = self._seal(draft.user_id, data["answers"], token)
        await db.execute(
            "INSERT INTO drafts (user_id, data, phase, aadhaar_token, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, phase = excluded.phase,"
            " aadhaar_token = excluded.aadhaar_token, updated_at = excluded.updated_at",
            (draft.user_id, _json(data), draft.phase.value, token, _iso(draft.updated_at)))
        if old_token is not None and old_token != token:
            await self._vault_drop_if_unused(db, old_token)
        return token

    # -- applications --------------------------------------------------------

    async def submit(self, draft: Draft, new_reference: Callable[[], str], *,
                     applied: str | None = None) -> Application:
        """See the contract. A resubmission (the user already has an
        application) keeps its reference, UAN and first ``submitted_at``, goes
        back to SUBMITTED and gets the new answers; ``updated_at`` is now."""
        aadhaar = draft.answers.get("aadhaar")
        if not isinstance(aadhaar, str) or not aadhaar:
            raise ValueError("a draft needs an Aadhaar answer to be submitted")
        if not draft.lang:
            raise ValueError("a draft needs a language to be submitted")
        aadhaar_hash = self._keyring.aadhaar_hash(aadhaar)
        now = utcnow()
        async with self._transaction() as db:
            if await _one(db, "SELECT 1 FROM applications WHERE aadhaar_hash = ? AND user_id <> ?",
                          (aadhaar_hash, draft.user_id)):
                raise DuplicateAadhaar()
            existing = await _one(db, "SELECT reference, aadhaar_token, uan, submitted_at"
                                      " FROM applications WHERE user_id = ?", (draft.user_id,))
            if existing:
                reference, submitted_at = existing["reference"], _parse(existing["submitted_at"])
            else:
                reference, submitted_at = await self._free_reference(db, new_reference), now
            saved = draft.model_copy(deep=True, update={
                "phase": Phase.SUBMITTED, "reference": reference, "updated_at": now})
            token = await self._write_draft(db, saved)
            application = Application(
                reference=reference, user_id=draft.user_id, lang=draft.lang,
                state=ReviewState.SUBMITTED, answers=dict(saved.answers), meta=dict(saved.meta),
                uan=existing["uan"] if existing else None, submitted_at=submitted_at, updated_at=now)
            sealed = _json(self._seal(draft.user_id, saved.model_dump(mode="json")["answers"], token))
            if existing:
                await db.execute(
                    "UPDATE applications SET aadhaar_hash = ?, aadhaar_token = ?, state = ?, lang = ?,"
                    " data = ?, meta = ?, updated_at = ? WHERE reference = ?",
                    (aadhaar_hash, token, application.state.value, application.lang, sealed,
                     _json(application.meta), _iso(now), reference))
                if existing["aadhaar_token"] not in (None, token):
                    await self._vault_drop_if_unused(db, existing["aadhaar_token"])
            else:
                await db.execute(
                    "INSERT INTO applications (reference, user_id, aadhaar_hash, aadhaar_token, state,"
                    " lang, data, meta, uan, submitted_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                    (reference, draft.user_id, aadhaar_hash, token, application.state.value,
                     application.lang, sealed, _json(application.meta), _iso(submitted_at), _iso(now)))
            await _record_applied(db, applied)
        return application

    @staticmethod
    async def _free_reference(db: aiosqlite.Connection, new_reference: Callable[[], str]) -> str:
        # Checked inside the BEGIN IMMEDIATE transaction: no one can take the
        # reference between this check and the insert.
        for _ in range(MAX_REFERENCE_TRIES):
            reference = new_reference()
            if await _one(db, "SELECT 1 FROM applications WHERE reference = ?", (reference,)) is None:
                return reference
        raise RuntimeError(f"no free application reference after {MAX_REFERENCE_TRIES} tries")

    async def is_aadhaar_registered(self, aadhaar: str, *, except_user: str | None = None) -> bool:
        aadhaar_hash = self._keyring.aadhaar_hash(aadhaar)
        async with self._transaction("DEFERRED") as db:
            row = await _one(db, "SELECT 1 FROM applications WHERE aadhaar_hash = ?"
                                 " AND (? IS NULL OR user_id <> ?)", (aadhaar_hash, except_user, except_user))
        return row is not None

    async def application_for_user(self, user_id: str) -> Application | None:
        return await self._load_application("user_id", user_id)

    async def get_application(self, reference: str) -> Application | None:
        return await self._load_application("reference", reference)

    async def _load_application(self, column: str, value: str) -> Application | None:
        async with self._transaction("DEFERRED") as db:
            row = await _one(db, f"SELECT * FROM applications WHERE {column} = ?", (value,))
            if row is None:
                return None
            answers = await self._unseal(db, row["user_id"], json.loads(row["data"]))
        return Application(
            reference=row["reference"], user_id=row["user_id"], lang=row["lang"],
            state=ReviewState(row["state"]), answers=answers, meta=json.loads(row["meta"] or "{}"),
            uan=row["uan"], submitted_at=_parse(row["submitted_at"]), updated_at=_parse(row["updated_at"]))

    async def erase_user(self, user_id: str, *, applied: str | None = None) -> None:
        async with self._transaction() as db:
            await _record_applied(db, applied)
            rows = await db.execute_fetchall(
                "SELECT aadhaar_token FROM drafts WHERE user_id = :u"
                " UNION SELECT aadhaar_token FROM applications WHERE user_id = :u", {"u": user_id})
            await db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM applications WHERE user_id = ?", (user_id,))
            for (token,) in rows:
                if token is not None:
                    await self._vault_drop_if_unused(db, token)

    # -- updates applied -------------------------------------------------------

    async def is_applied(self, key: str) -> bool:
        async with self._transaction("DEFERRED") as db:
            return await _one(db, "SELECT 1 FROM applied_updates WHERE key = ?", (key,)) is not None

    async def forget_applied(self, before: datetime) -> int:
        async with self._transaction() as db:
            cursor = await db.execute("DELETE FROM applied_updates WHERE applied_at < ?", (_iso(before),))
            return cursor.rowcount

    # -- sensitive answers ---------------------------------------------------

    def _seal(self, user_id: str, answers: dict[str, Any], aadhaar_token: str | None) -> dict[str, Any]:
        """The answers as stored: Aadhaar -> vault token, bank account -> encrypted."""
        stored = dict(answers)
        if stored.get("aadhaar") is not None:
            stored["aadhaar"] = {"vault": aadhaar_token}
        if stored.get("bank_account") is not None:
            account = _text("bank_account", stored["bank_account"])
            stored["bank_account"] = {"enc": self._keyring.encrypt(account, _bank_context(user_id))}
        return stored

    async def _unseal(self, db: aiosqlite.Connection, user_id: str, stored: dict[str, Any]) -> dict[str, Any]:
        """The reverse of ``_seal``: the answers with clear values."""
        answers = dict(stored)
        if isinstance(answers.get("aadhaar"), dict):
            row = await _one(db, "SELECT ciphertext FROM aadhaar_vault WHERE token = ?",
                             (answers["aadhaar"]["vault"],))
            if row is None:
                raise LookupError(f"vault entry missing for the Aadhaar of user {user_id}")
            answers["aadhaar"] = self._keyring.decrypt(row["ciphertext"], "aadhaar")
        if isinstance(answers.get("bank_account"), dict):
            answers["bank_account"] = self._keyring.decrypt(answers["bank_account"]["enc"],
                                                            _bank_context(user_id))
        return answers

    async def _vault_put(self, db: aiosqlite.Connection, aadhaar: str, reuse: str | None) -> str:
        """The vault token for ``aadhaar``: ``reuse`` if it holds the same number, else a new row."""
        if reuse is not None:
            row = await _one(db, "SELECT ciphertext FROM aadhaar_vault WHERE token = ?", (reuse,))
            if row is not None and self._keyring.decrypt(row["ciphertext"], "aadhaar") == aadhaar:
                return reuse
        token = secrets.token_urlsafe(16)
        await db.execute("INSERT INTO aadhaar_vault (token, ciphertext, created_at) VALUES (?, ?, ?)",
                         (token, self._keyring.encrypt(aadhaar, "aadhaar"), _iso(utcnow())))
        return token

    @staticmethod
    async def _vault_drop_if_unused(db: aiosqlite.Connection, token: str) -> None:
        await db.execute(
            "DELETE FROM aadhaar_vault WHERE token = :t"
            " AND NOT EXISTS (SELECT 1 FROM drafts WHERE aadhaar_token = :t)"
            " AND NOT EXISTS (SELECT 1 FROM applications WHERE aadhaar_token = :t)", {"t": token})


# -- helpers -------------------------------------------------------------------

async def _one(db: aiosqlite.Connection, sql: str, params: Any = ()) -> sqlite3.Row | None:
    async with db.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def _record_applied(db: aiosqlite.Connection, key: str | None) -> None:
    if key is not None:
        await db.execute("INSERT OR IGNORE INTO applied_updates (key, applied_at) VALUES (?, ?)",
                         (key, _iso(utcnow())))


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


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"answer {key!r} must be a string, not {type(value).__name__}")
    return value


def _bank_context(user_id: str) -> str:
    return f"bank_account:{user_id}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _iso(moment: datetime) -> str:
    """ISO-8601 in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc).isoformat()
    return moment.astimezone(timezone.utc).isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)
