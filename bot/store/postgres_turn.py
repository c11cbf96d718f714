"""A worker's draft saved on PostgreSQL in one statement: the hot path.

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
