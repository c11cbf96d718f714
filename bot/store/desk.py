"""The CSC desk's transactions (see ``bot.store.sql``): the verification
queue with leases, the review decisions, one-time invitations and a staff
user's desk session.

Every change of an application's review state here also calls
``tally.moved`` and writes an audit row, in the same transaction, and yields
``touch`` for the worker whose application changed. Where an action applies
a channel update, its key is recorded in the same transaction too
(``applied``), so a repeated update changes nothing.

Claiming takes the oldest waiting application of the operator's district,
those tagged to the operator's CSC first; an application whose lease has
run out is waiting again. On SQLite writes are serialised; on PostgreSQL the
candidate row is locked with ``FOR UPDATE SKIP LOCKED``, so two operators
never hold the same application; a decision or release locks the row it
changes (``FOR UPDATE``), housekeeping skips rows being claimed, and a UAN
is checked under a lock on it, so the checks made here hold at commit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.domain.models import ReviewState
from bot.domain.roles import Role, Staff
from bot.store import audit, tally
from bot.store.sql import Txn, all_rows, one, run, touch
from bot.store.staff import grant

#: how long a claimed application stays with its operator
LEASE = timedelta(minutes=30)

_ROW = ("reference, user_id, state, lang, uan, edited, lease_holder, lease_until, review_note,"
        " submitted_at, state_code, district, camp, csc, department")
_WAITING = "(state = 'submitted' OR (state = 'in_review' AND lease_until < ?))"


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC, as every timestamp here is written (so they compare as text)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


@dataclass(frozen=True)
class AppRow:
    """An application's review facts, without its answers (no personal data)."""
    reference: str
    user_id: str
    state: ReviewState
    lang: str
    uan: str | None
    edited: bool
    lease_holder: str | None
    lease_until: str | None
    review_note: str | None
    placement: tally.Placement

    @classmethod
    def of(cls, row: Any) -> AppRow:
        return cls(row["reference"], row["user_id"], ReviewState(row["state"]), row["lang"], row["uan"],
                   bool(row["edited"]), row["lease_holder"], row["lease_until"], row["review_note"],
                   tally.Placement.of_row(row))

    def held_by(self, user_id: str) -> bool:
        return self.state is ReviewState.IN_REVIEW and self.lease_holder == user_id


@dataclass(frozen=True)
class QueueCounts:
    waiting: int        # submitted (or lease run out) in the district
    at_my_csc: int      # of those, tagged to the operator's CSC
    held_by_me: int
    has_issues: int     # sent back, waiting for the worker


# -- applied updates and sessions ----------------------------------------------

def mark_applied(key: str | None, user_id: str, now: datetime) -> Txn[None]:
    """Record a channel update as applied (for the user who sent it)."""
    if key is None:
        return
    yield run("INSERT INTO applied_updates (key, user_id, applied_at) VALUES (?, ?, ?)"
              " ON CONFLICT (key) DO NOTHING", key, user_id, iso(now))
    yield touch(user_id)


def forget_cached(user_id: str) -> Txn[None]:
    """Nothing to write: only drop what a backend keeps in memory of the user
    (run under the user's lock after a change made without it, e.g. a claim)."""
    yield touch(user_id)


def session(user_id: str) -> Txn[dict[str, Any]]:
    """A staff user's desk state (empty if none)."""
    row = yield one("SELECT data FROM desk_sessions WHERE user_id = ?", user_id)
    return json.loads(row["data"]) if row else {}


def put_session(user_id: str, data: dict[str, Any], now: datetime) -> Txn[None]:
    yield run("INSERT INTO desk_sessions (user_id, data, updated_at) VALUES (?, ?, ?)"
              " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
              user_id, json.dumps(data, ensure_ascii=False, separators=(",", ":")), iso(now))


def save_session(user_id: str, data: dict[str, Any], now: datetime, applied: str | None = None) -> Txn[None]:
    """Save the session and record the update that changed it, together."""
    yield from put_session(user_id, data, now)
    yield from mark_applied(applied, user_id, now)


# -- reading -------------------------------------------------------------------

def app_row(reference: str) -> Txn[AppRow | None]:
    row = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", reference)
    return AppRow.of(row) if row else None


def queue_counts(operator: Staff, now: datetime) -> Txn[QueueCounts]:
    at = iso(now)
    row = yield one(
        f"SELECT COALESCE(SUM(CASE WHEN {_WAITING} THEN 1 ELSE 0 END), 0) AS waiting,"
        f" COALESCE(SUM(CASE WHEN {_WAITING} AND csc = ? THEN 1 ELSE 0 END), 0) AS at_my_csc,"
        " COALESCE(SUM(CASE WHEN state = 'in_review' AND lease_holder = ? AND lease_until >= ?"
        " THEN 1 ELSE 0 END), 0) AS mine,"
        " COALESCE(SUM(CASE WHEN state = 'has_issues' THEN 1 ELSE 0 END), 0) AS issues"
        " FROM applications WHERE state_code = ? AND district = ?",
        at, at, operator.csc, operator.user_id, at, operator.state, operator.district)
    return QueueCounts(int(row["waiting"]), int(row["at_my_csc"]), int(row["mine"]), int(row["issues"]))


def held_by(user_id: str, now: datetime) -> Txn[list[str]]:
    """References the user holds now, oldest claim first."""
    rows = yield all_rows("SELECT reference FROM applications WHERE state = 'in_review' AND lease_holder = ?"
                          " AND lease_until >= ? ORDER BY lease_until", user_id, iso(now))
    return [r["reference"] for r in rows]


# -- claiming ------------------------------------------------------------------

def _take(row: Any, operator: str, now: datetime, how: str) -> Txn[AppRow]:
    """Give the application in ``row`` to ``operator`` for one lease."""
    placement = tally.Placement.of_row(row)
    state = row["state"]
    if state == ReviewState.IN_REVIEW and (row["lease_until"] or "") < iso(now):  # back in the queue
        yield from tally.moved(placement, ReviewState.IN_REVIEW.value, ReviewState.SUBMITTED.value, now)
        yield from audit.record(row["lease_holder"] or "-", "lease_expired", row["reference"], now)
        state = ReviewState.SUBMITTED.value
    if state != ReviewState.IN_REVIEW.value:
        yield from tally.moved(placement, state, ReviewState.IN_REVIEW.value, now)
    yield run("UPDATE applications SET state = 'in_review', lease_holder = ?, lease_until = ?, updated_at = ?"
              " WHERE reference = ?", operator, iso(now + LEASE), iso(now), row["reference"])
    yield from audit.record(operator, how, row["reference"], now)
    yield touch(row["user_id"])
    updated = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", row["reference"])
    return AppRow.of(updated)


def claim_next(operator: Staff, now: datetime, applied: str | None = None) -> Txn[AppRow | None]:
    """The oldest waiting application of the operator's district (their
    CSC's first; never their own), now held by them; None if there is none."""
    at = iso(now)
    sql = (f"SELECT {_ROW} FROM applications WHERE state_code = ? AND district = ? AND {_WAITING}"
           " AND user_id <> ? ORDER BY CASE WHEN csc = ? THEN 0 ELSE 1 END, submitted_at, reference LIMIT 1")
    row = yield one(sql, operator.state, operator.district, at, operator.user_id, operator.csc,
                    pg=sql + " FOR UPDATE SKIP LOCKED")
    yield from mark_applied(applied, operator.user_id, now)
    if row is None:
        return None
    return (yield from _take(row, operator.user_id, now, "claim"))


def _locked(reference: str) -> Txn[Any]:
    """The application's row, locked on PostgreSQL until the transaction ends:
    a decision or release waits for a claim of it under way (a lease just
    run out) and then sees who holds it, instead of changing it under them."""
    sql = f"SELECT {_ROW} FROM applications WHERE reference = ?"
    return (yield one(sql, reference, pg=sql + " FOR UPDATE"))


def claim_reference(operator: Staff, reference: str, now: datetime,
                    applied: str | None = None) -> Txn[AppRow | None]:
    """Open one application by its reference (a QR code, a typed reference):
    it is taken if waiting, renewed if already the operator's, left as it
    is otherwise. None if there is none in the operator's scope."""
    sql = f"SELECT {_ROW} FROM applications WHERE reference = ?"
    row = yield one(sql, reference, pg=sql + " FOR UPDATE")
    yield from mark_applied(applied, operator.user_id, now)
    if row is None or not operator.covers(row["state_code"], row["district"]):
        return None
    waiting = row["state"] == ReviewState.SUBMITTED or (
        row["state"] == ReviewState.IN_REVIEW and (row["lease_until"] or "") < iso(now))
    if waiting or (row["state"] == ReviewState.IN_REVIEW and row["lease_holder"] == operator.user_id):
        return (yield from _take(row, operator.user_id, now, "open"))
    return AppRow.of(row)


def release_expired(now: datetime) -> Txn[int]:
    """Put applications whose lease ran out back in the queue (housekeeping;
    claiming also takes them without this)."""
    sql = (f"SELECT {_ROW} FROM applications WHERE state = 'in_review' AND lease_until < ?"
           " ORDER BY state_code, district, reference")
    # PostgreSQL: an application being claimed right now (locked) is the claim's
    rows = yield all_rows(sql, iso(now), pg=sql + " FOR UPDATE SKIP LOCKED")
    for row in rows:
        yield from tally.moved(tally.Placement.of_row(row), ReviewState.IN_REVIEW.value,
                               ReviewState.SUBMITTED.value, now)
        yield run("UPDATE applications SET state = 'submitted', lease_holder = NULL, lease_until = NULL"
                  " WHERE reference = ? AND state = 'in_review'", row["reference"])
        yield from audit.record(row["lease_holder"] or "-", "lease_expired", row["reference"], now)
        yield touch(row["user_id"])
    return len(rows)


def release(operator: str, reference: str, now: datetime, applied: str | None = None) -> Txn[bool]:
    """The operator puts an application they hold back in the queue."""
    row = yield from _locked(reference)
    yield from mark_applied(applied, operator, now)
    if row is None or row["state"] != ReviewState.IN_REVIEW or row["lease_holder"] != operator:
        return False
    yield from tally.moved(tally.Placement.of_row(row), ReviewState.IN_REVIEW.value,
                           ReviewState.SUBMITTED.value, now)
    yield run("UPDATE applications SET state = 'submitted', lease_holder = NULL, lease_until = NULL,"
              " updated_at = ? WHERE reference = ?", iso(now), reference)
    yield from audit.record(operator, "release", reference, now)
    yield touch(row["user_id"])
    return True


# -- decisions -----------------------------------------------------------------

def _decide(operator: str, reference: str, new: ReviewState, now: datetime,
            sets: str, params: tuple, action: str, detail: dict[str, Any]) -> Txn[AppRow | None]:
    row = yield from _locked(reference)
    if row is None or row["state"] != ReviewState.IN_REVIEW or row["lease_holder"] != operator:
        return None
    yield from tally.moved(tally.Placement.of_row(row), ReviewState.IN_REVIEW.value, new.value, now)
    yield run(f"UPDATE applications SET state = ?, lease_holder = NULL, lease_until = NULL, updated_at = ?,"
              f" {sets} WHERE reference = ?", new.value, iso(now), *params, reference)
    yield from audit.record(operator, action, reference, now, **detail)
    yield touch(row["user_id"])
    updated = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", reference)
    return AppRow.of(updated)


class UanTaken(Exception):
    """Another application already has this UAN."""


def approve(operator: str, reference: str, uan: str, now: datetime,
            applied: str | None = None) -> Txn[AppRow | None]:
    """APPROVED with ``uan``; None if the operator does not hold it. Raises
    UanTaken (and changes nothing) if the UAN belongs to another application."""
    # PostgreSQL: two operators typing the same UAN at once take turns here
    # (a lock on the UAN until commit), so the second sees the first's and
    # is told UanTaken, not a unique-key error (SQLite serialises writes)
    yield one("SELECT ? AS uan", uan, pg="SELECT pg_advisory_xact_lock(hashtextextended(?, 5)) IS NULL AS uan")
    taken = yield one("SELECT 1 FROM applications WHERE uan = ? AND reference <> ?", uan, reference)
    if taken:
        raise UanTaken()
    yield from mark_applied(applied, operator, now)
    return (yield from _decide(operator, reference, ReviewState.APPROVED, now, "uan = ?, review_note = NULL",
                               (uan,), "approve", {"uan": uan}))


#: a draft's fields that say where the worker is (never an answer): what reopening changes
POSITION = ("phase", "step", "editing", "fix", "back_to", "updated_at")


def send_back(operator: str, reference: str, fields: list[str], comment: str, now: datetime,
              applied: str | None = None, reopened: dict[str, Any] | None = None) -> Txn[AppRow | None]:
    """HAS_ISSUES: the worker is to fix ``fields``; ``comment`` says what is
    wrong. ``reopened``: the worker's draft position after reopening (see
    ``engine.reopen``), written in the same transaction, so the application
    is never sent back without the draft reopening too. Only the position
    keys of the stored draft change; its (sealed) answers are left as stored."""
    yield from mark_applied(applied, operator, now)
    decided = yield from _decide(operator, reference, ReviewState.HAS_ISSUES, now, "review_note = ?",
                                 (comment,), "send_back", {"fields": fields, "comment": comment})
    if decided is not None and reopened is not None:
        stored = yield one("SELECT data FROM drafts WHERE user_id = ?", decided.user_id)
        if stored is not None:
            data = json.loads(stored["data"])
            data.update({key: reopened[key] for key in POSITION if key in reopened})
            yield run("UPDATE drafts SET data = ?, phase = ?, updated_at = ? WHERE user_id = ?",
                      json.dumps(data, ensure_ascii=False, separators=(",", ":")), data["phase"], iso(now),
                      decided.user_id)
    return decided


def reject(operator: str, reference: str, reason: str, note: str | None, now: datetime,
           applied: str | None = None) -> Txn[AppRow | None]:
    yield from mark_applied(applied, operator, now)
    return (yield from _decide(operator, reference, ReviewState.REJECTED, now, "review_note = ?",
                               (note,), "reject", {"reason": reason, "note": note} if note else {"reason": reason}))


# -- invitations ---------------------------------------------------------------

def create_invite(token_hash: str, grants: Staff, created_by: str, now: datetime,
                  expires: datetime, applied: str | None = None) -> Txn[None]:
    yield run("INSERT INTO invites (token_hash, role, state, district, csc, created_by, created_at, expires_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", token_hash, grants.role.value, grants.state, grants.district,
              grants.csc, created_by, iso(now), iso(expires))
    yield from audit.record(created_by, "invite", None, now, role=grants.role.value, state=grants.state,
                            district=grants.district, csc=grants.csc)
    yield from mark_applied(applied, created_by, now)


def use_invite(token_hash: str, user_id: str, now: datetime, applied: str | None = None) -> Txn[Staff | None]:
    """Take the role an invitation grants; None if there is no such
    invitation, it is used or it has expired."""
    yield from mark_applied(applied, user_id, now)
    row = yield one("SELECT role, state, district, csc, created_by FROM invites WHERE token_hash = ?"
                    " AND used_by IS NULL AND expires_at > ?", token_hash, iso(now))
    if row is None:
        return None
    taken = yield run("UPDATE invites SET used_by = ?, used_at = ? WHERE token_hash = ? AND used_by IS NULL",
                      user_id, iso(now), token_hash)
    if taken != 1:
        return None
    staff = Staff(user_id, Role(row["role"]), row["state"], row["district"], row["csc"])
    yield from grant(staff, row["created_by"], now)
    yield from audit.record(user_id, "join", None, now, role=staff.role.value, state=staff.state,
                            district=staff.district, csc=staff.csc, invited_by=row["created_by"])
    return staff
