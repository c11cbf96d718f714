"""A worker's input on PostgreSQL in three round trips: the hot path.

1. ``locked_turn``: the user's advisory lock and the turn (``core.TURN_SQL``)
   in one call of a function that takes the lock, then reads. A read in the
   same statement as the lock would see the rows as they were before the
   lock was granted; a function's own query starts a fresh snapshot, so it
   sees what the previous holder committed. The function is a temporary
   one, defined on each connection as the pool opens it (``define``): no
   schema change, and it lives exactly as long as the session.
2. ``save_draft`` (below).
3. the unlock, after the replies are sent (``bot.store.postgres``).

Most updates of a worker (an answer typed or tapped) end in ``save_draft``.
Run as the generic transaction (``bot.store.core.save_draft``) that is
BEGIN, a read of the draft's vault entry, the vault insert, the upsert, the
vault clean-up, the update key and COMMIT: up to seven round trips. Here it
is one statement whose data-modifying parts (PostgreSQL's ``WITH ... INSERT
/ DELETE``) commit together, or not at all.

What it needs to know beforehand, the draft's current vault entry, was read
by ``load_turn`` under the same user lock (``Known``). In case something
changed the draft since (it should not: every write of a user's draft holds
that user's lock), the statement checks that the draft still points at that
entry and writes nothing if not; the caller then falls back to the generic
transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from bot.domain.models import Draft
from bot.store import core
from bot.store.crypto import Keyring

_TURN_IN_FUNCTION = core.TURN_SQL.replace("?", "{}").format("p_key", "p_user", "p_user")

LOCKED_TURN_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pg_temp.shram_locked_turn(p_user text, p_key text)
RETURNS TABLE (applied boolean, draft text, draft_token text, draft_vault text, reference text,
               user_id text, lang text, state text, data text, meta text, uan text,
               submitted_at text, updated_at text, aadhaar_token text, application_vault text)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
    PERFORM pg_advisory_lock(hashtextextended(p_user, 0));
    RETURN QUERY {_TURN_IN_FUNCTION};
END
$fn$
"""


async def define(conn: asyncpg.Connection) -> None:
    """Define this session's ``shram_locked_turn`` (the pool's ``init``)."""
    await conn.execute(LOCKED_TURN_FUNCTION)


async def locked_turn(conn: asyncpg.Connection, user_id: str, update_key: str | None) -> asyncpg.Record:
    """Take ``user_id``'s session advisory lock, then read the turn (a row
    of ``core.TURN_SQL``). Failed or cancelled, the session may hold the lock
    even so: it is ended, which releases it."""
    try:
        return await conn.fetchrow("SELECT * FROM pg_temp.shram_locked_turn($1, $2)", user_id, update_key)
    except BaseException:
        conn.terminate()
        raise

SAVE_DRAFT_SQL = """
WITH guard AS (
    SELECT (SELECT aadhaar_token FROM drafts WHERE user_id = $1) IS NOT DISTINCT FROM $2::text AS ok
), vault_in AS (
    INSERT INTO aadhaar_vault (token, ciphertext, created_at)
    SELECT $3::text, $4::text, $5::text FROM guard WHERE ok AND $4::text IS NOT NULL
), saved AS (
    INSERT INTO drafts (user_id, data, phase, aadhaar_token, updated_at)
    SELECT $1, $6, $7, $3::text, $8 FROM guard WHERE ok
    ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, phase = excluded.phase,
        aadhaar_token = excluded.aadhaar_token, updated_at = excluded.updated_at
), vault_out AS (
    DELETE FROM aadhaar_vault
    WHERE token = $2::text AND $2::text IS DISTINCT FROM $3::text AND (SELECT ok FROM guard)
      AND NOT EXISTS (SELECT 1 FROM drafts WHERE aadhaar_token = $2::text AND user_id <> $1)
      AND NOT EXISTS (SELECT 1 FROM applications WHERE aadhaar_token = $2::text)
), applied AS (
    INSERT INTO applied_updates (key, user_id, applied_at)
    SELECT $9::text, $1, $5::text FROM guard WHERE ok AND $9::text IS NOT NULL
    ON CONFLICT (key) DO NOTHING
)
SELECT ok FROM guard
"""


@dataclass(frozen=True)
class Known:
    """A user's draft's vault entry as last read or written under the user's lock."""
    token: str | None
    ciphertext: str | None


async def save_draft(conn: asyncpg.Connection, keyring: Keyring, draft: Draft, known: Known,
                     applied: str | None, now: datetime) -> Known | None:
    """Save ``draft`` (and record ``applied``) in one statement; the vault
    entry now known, or None if the draft no longer points at ``known``
    (nothing was written)."""
    token, ciphertext, new = core.aadhaar_entry(keyring, draft, known.token, known.ciphertext)
    ok = await conn.fetchval(
        SAVE_DRAFT_SQL, draft.user_id, known.token, token, ciphertext if new else None, core.iso(now),
        core.sealed_draft(keyring, draft, token), draft.phase.value, core.iso(draft.updated_at), applied)
    return Known(token, ciphertext) if ok else None
