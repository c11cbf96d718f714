"""A worker's input on PostgreSQL in three round trips: the hot path.

1. ``locked_turn``: the user's advisory lock and the turn (``core.TURN_SQL``)
   in one call of a function that takes the lock, then reads. A read in the
   same statement as the lock would see the rows as they were before the
   lock was granted; a function's own query starts a fresh snapshot, so it
   sees what the previous holder committed. The function is a temporary
   one, defined on each connection as the pool opens it (``define``): no
   schema change, and it lives exactly as long as the session.
2. ``save_draft``: the shared ``core.save_draft``, handed the draft's vault
   entry this read returned, is one batch of writes sent as one statement
   (``bot.store.postgres``).
3. the unlock, after the replies are sent (``bot.store.postgres``).
"""
from __future__ import annotations

import asyncpg

from bot.store import core

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
