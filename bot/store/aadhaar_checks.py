"""How many Aadhaar numbers one user may check in a day (table
``aadhaar_checks``, schema 7): transaction functions, see ``bot.store.sql``.

When a worker types an Aadhaar number the bot tells them at once if an
application already holds it, so that they can correct a typo. The same
answer would tell anyone who types someone else's number whether that
person is registered; so a user gets ``PER_DAY`` such checks a day (a
worker needs one, a typo two or three). Past the limit no check is made
and the worker is asked to come back the next day or go to a CSC.

The counter is kept per keyed hash of the user id (``Keyring.user_hash``)
and India day: it names no user, so it outlives the user's own erasure
(erasing does not give new tries), and housekeeping forgets past days
(``forget_old``). Each check is on the audit trail (``aadhaar_check``,
the user as actor, whether the number was found or the check refused),
never with the number. A check an operator makes for a walk-in worker
(``/assist``) is the operator's, and its detail names the walk-in
(``walkin``): so the operator's own erasure as a worker leaves it theirs
(``audit.forget_worker``), and the walk-in's erasure takes the walk-in's
id out of it.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bot.store import audit
from bot.store.crypto import Keyring
from bot.store.sql import Txn, one, run
from bot.store.tally import india_day

#: checks a user may make in one India day
PER_DAY = 5
#: checks a CSC operator may make in one India day for the walk-in workers they register
STAFF_PER_DAY = 200


class Checked(StrEnum):
    FREE = "free"          # no application holds the number
    TAKEN = "taken"        # an application of another user holds it
    REFUSED = "refused"    # over the day's limit: not checked


def check(keyring: Keyring, user_id: str, aadhaar: str, now: datetime,
          per_day: int = PER_DAY, by: str | None = None) -> Txn[Checked]:
    """Count one check of ``user_id`` today and, within ``per_day``, look
    the number up (applications of other users only); audited either way.
    ``by``: the staff member typing for a walk-in worker (``/assist``): the
    check is theirs, counted and audited under their name."""
    actor = by or user_id
    walkin = {"walkin": user_id} if by is not None else {}
    who, day = keyring.user_hash(actor), india_day(now).isoformat()
    yield run("INSERT INTO aadhaar_checks (who, day, n) VALUES (?, ?, 1)"
              " ON CONFLICT (who, day) DO UPDATE SET n = aadhaar_checks.n + 1", who, day)
    done = (yield one("SELECT n FROM aadhaar_checks WHERE who = ? AND day = ?", who, day))["n"]
    if done > per_day:
        yield from audit.record(actor, "aadhaar_check", None, now, refused="daily_limit", **walkin)
        return Checked.REFUSED
    taken = yield one("SELECT 1 FROM applications WHERE aadhaar_hash = ? AND user_id <> ?",
                      keyring.aadhaar_hash(aadhaar), user_id)
    yield from audit.record(actor, "aadhaar_check", None, now, found=taken is not None, **walkin)
    return Checked.TAKEN if taken is not None else Checked.FREE


def forget_old(now: datetime) -> Txn[int]:
    """Housekeeping: drop the counters of days before yesterday (India)."""
    return (yield run("DELETE FROM aadhaar_checks WHERE day < ?",
                      (india_day(now) - timedelta(days=1)).isoformat()))
