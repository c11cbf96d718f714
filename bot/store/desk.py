"""The CSC desk's transactions (see ``bot.store.sql``): the verification
queue with leases, the review decisions, one-time invitations and a staff
user's desk session.

Every change of an application's review state here also calls
``tally.moved`` and writes an audit row, in the same transaction. A staff
update runs as one unit of work (``Store.unit_of_work``): what its handler
writes here and the update's key commit together, so a repeated update
changes nothing.

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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.domain.models import ReviewState
from bot.domain.roles import Role, Staff, may_manage
from bot.flow import voice
from bot.store import audit, tally
from bot.store.crypto import SEALED_ANSWERS
from bot.store.sql import Txn, all_rows, one, run, to_json
from bot.store.staff import grant, revoke, staff_of

#: how long a claimed application stays with its operator
LEASE = timedelta(minutes=30)

_ROW = ("reference, user_id, state, lang, uan, edited, lease_holder, lease_until, review_note,"
        " submitted_at, state_code, district, camp, csc, department, registered_by")
_WAITING = "(state = 'submitted' OR (state = 'in_review' AND lease_until < ?))"
#: audit actions whose actor entered a walk-in's answers: registered (consent, submit),
#: took up its corrections, submitted it again
ENTERED = ("assist_consent", "submit", "correct", "resubmit")
_ENTERED_SQL = "(" + ", ".join(f"'{action}'" for action in ENTERED) + ")"
#: four eyes: an application the operator (?, three times) may decide: not their own, not one
#: whose answers they entered for a walk-in worker
_NOT_THEIRS = ("user_id <> ? AND (registered_by IS NULL OR registered_by <> ?) AND NOT EXISTS"
               " (SELECT 1 FROM audit WHERE audit.reference = applications.reference"
               f" AND audit.action IN {_ENTERED_SQL} AND audit.actor = ?)")


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
    #: the staff member who submitted it for a walk-in worker: never its reviewer
    registered_by: str | None = None

    @classmethod
    def of(cls, row: Any) -> AppRow:
        return cls(row["reference"], row["user_id"], ReviewState(row["state"]), row["lang"], row["uan"],
                   bool(row["edited"]), row["lease_holder"], row["lease_until"], row["review_note"],
                   tally.Placement.of_row(row), row["registered_by"])

    def in_area_of(self, staff: Staff) -> bool:
        return staff.covers(self.placement.state_code, self.placement.district)

    def held_by(self, user_id: str) -> bool:
        return self.state is ReviewState.IN_REVIEW and self.lease_holder == user_id


@dataclass(frozen=True)
class QueueCounts:
    waiting: int        # submitted (or lease run out) in the district, that this operator may take
    at_my_csc: int      # of those, tagged to the operator's CSC
    held_by_me: int
    has_issues: int     # sent back, waiting for the worker


# -- sessions ------------------------------------------------------------------

def session(user_id: str) -> Txn[dict[str, Any]]:
    """A staff user's desk state (empty if none)."""
    row = yield one("SELECT data FROM desk_sessions WHERE user_id = ?", user_id)
    return json.loads(row["data"]) if row else {}


def save_session(user_id: str, data: dict[str, Any], now: datetime) -> Txn[None]:
    yield run("INSERT INTO desk_sessions (user_id, data, updated_at) VALUES (?, ?, ?)"
              " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
              user_id, to_json(data), iso(now))


# -- reading -------------------------------------------------------------------

def app_row(reference: str) -> Txn[AppRow | None]:
    row = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", reference)
    return AppRow.of(row) if row else None


def queue_counts(operator: Staff, now: datetime) -> Txn[QueueCounts]:
    at, me = iso(now), operator.user_id
    for_me = f"{_WAITING} AND {_NOT_THEIRS}"  # as claim_next
    row = yield one(
        f"SELECT COALESCE(SUM(CASE WHEN {for_me} THEN 1 ELSE 0 END), 0) AS waiting,"
        f" COALESCE(SUM(CASE WHEN {for_me} AND csc = ? THEN 1 ELSE 0 END), 0) AS at_my_csc,"
        " COALESCE(SUM(CASE WHEN state = 'in_review' AND lease_holder = ? AND lease_until >= ?"
        " THEN 1 ELSE 0 END), 0) AS mine,"
        " COALESCE(SUM(CASE WHEN state = 'has_issues' THEN 1 ELSE 0 END), 0) AS issues"
        " FROM applications WHERE state_code = ? AND district = ?",
        at, me, me, me, at, me, me, me, operator.csc, me, at, operator.state, operator.district)
    return QueueCounts(int(row["waiting"]), int(row["at_my_csc"]), int(row["mine"]), int(row["issues"]))


def held_by(user_id: str, now: datetime) -> Txn[list[str]]:
    """References the user holds now, oldest claim first."""
    rows = yield all_rows("SELECT reference FROM applications WHERE state = 'in_review' AND lease_holder = ?"
                          " AND lease_until >= ? ORDER BY lease_until", user_id, iso(now))
    return [r["reference"] for r in rows]


def entered_by(app: AppRow, user_id: str) -> Txn[bool]:
    """True if ``user_id`` may not decide the application ``app`` (four
    eyes): it is their own, or they entered its answers for a walk-in worker
    (registered it, took up its corrections or submitted it again: the
    audit's ``ENTERED`` rows name them)."""
    if user_id in (app.user_id, app.registered_by):
        return True
    found = yield one(f"SELECT 1 FROM audit WHERE reference = ? AND action IN {_ENTERED_SQL} AND actor = ?",
                      app.reference, user_id)
    return found is not None


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
    updated = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", row["reference"])
    return AppRow.of(updated)


def claim_next(operator: Staff, now: datetime) -> Txn[AppRow | None]:
    """The oldest waiting application of the operator's district (their
    CSC's first; never their own, nor one they registered for a walk-in),
    now held by them; None if there is none."""
    at = iso(now)
    sql = (f"SELECT {_ROW} FROM applications WHERE state_code = ? AND district = ? AND {_WAITING}"
           f" AND {_NOT_THEIRS} ORDER BY CASE WHEN csc = ? THEN 0 ELSE 1 END, submitted_at, reference LIMIT 1")
    me = operator.user_id
    row = yield one(sql, operator.state, operator.district, at, me, me, me, operator.csc,
                    pg=sql + " FOR UPDATE SKIP LOCKED")
    if row is None:
        return None
    return (yield from _take(row, operator.user_id, now, "claim"))


def _locked(reference: str) -> Txn[Any]:
    """The application's row, locked on PostgreSQL until the transaction ends:
    a decision or release waits for a claim of it under way (a lease just
    run out) and then sees who holds it, instead of changing it under them."""
    sql = f"SELECT {_ROW} FROM applications WHERE reference = ?"
    return (yield one(sql, reference, pg=sql + " FOR UPDATE"))


def claim_reference(operator: Staff, reference: str, now: datetime) -> Txn[AppRow | None]:
    """Open one application by its reference (a QR code, a typed reference):
    it is taken if waiting, renewed if already the operator's, left as it
    is otherwise (and always when they registered it themselves, or it is
    their own). None if there is none in the operator's scope."""
    sql = f"SELECT {_ROW} FROM applications WHERE reference = ?"
    row = yield one(sql, reference, pg=sql + " FOR UPDATE")
    if row is None or not operator.covers(row["state_code"], row["district"]):
        return None
    found = AppRow.of(row)
    if (yield from entered_by(found, operator.user_id)):
        return found
    waiting = row["state"] == ReviewState.SUBMITTED or (
        row["state"] == ReviewState.IN_REVIEW and (row["lease_until"] or "") < iso(now))
    if waiting or (row["state"] == ReviewState.IN_REVIEW and row["lease_holder"] == operator.user_id):
        return (yield from _take(row, operator.user_id, now, "open"))
    return found


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
    return len(rows)


def release(operator: str, reference: str, now: datetime, by: str | None = None) -> Txn[bool]:
    """The operator puts an application they hold back in the queue (or
    ``by``, who took their role away or changed it, does)."""
    row = yield from _locked(reference)
    if row is None or row["state"] != ReviewState.IN_REVIEW or row["lease_holder"] != operator:
        return False
    yield from tally.moved(tally.Placement.of_row(row), ReviewState.IN_REVIEW.value,
                           ReviewState.SUBMITTED.value, now)
    yield run("UPDATE applications SET state = 'submitted', lease_holder = NULL, lease_until = NULL,"
              " updated_at = ? WHERE reference = ?", iso(now), reference)
    yield from audit.record(by or operator, "release", reference, now, **({"holder": operator} if by else {}))
    return True


# -- decisions -----------------------------------------------------------------

def _decide(operator: str, reference: str, new: ReviewState, now: datetime,
            sets: str, params: tuple, action: str, detail: dict[str, Any]) -> Txn[AppRow | None]:
    row = yield from _locked(reference)
    if row is None or row["state"] != ReviewState.IN_REVIEW or row["lease_holder"] != operator \
            or (yield from entered_by(AppRow.of(row), operator)):  # four eyes: never one's own
        return None
    yield from tally.moved(tally.Placement.of_row(row), ReviewState.IN_REVIEW.value, new.value, now)
    yield run(f"UPDATE applications SET state = ?, lease_holder = NULL, lease_until = NULL, updated_at = ?,"
              f" {sets} WHERE reference = ?", new.value, iso(now), *params, reference)
    yield from audit.record(operator, action, reference, now, **detail)
    updated = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", reference)
    return AppRow.of(updated)


class UanTaken(Exception):
    """Another application already has this UAN."""


class VoiceUntyped(Exception):
    """An answer the worker gave by voice is not typed yet (``bot.flow.voice``)."""


def approve(operator: str, reference: str, uan: str, now: datetime) -> Txn[AppRow | None]:
    """APPROVED with ``uan``; None if the operator does not hold it. Raises
    UanTaken (and changes nothing) if the UAN belongs to another application,
    VoiceUntyped if an answer given by voice is still to be typed."""
    stored = yield one("SELECT data, meta FROM applications WHERE reference = ?", reference)
    if stored is not None and voice.untyped(json.loads(stored["data"]), json.loads(stored["meta"] or "{}")):
        raise VoiceUntyped()
    # PostgreSQL: two operators typing the same UAN at once take turns here
    # (a lock on the UAN until commit), so the second sees the first's and
    # is told UanTaken, not a unique-key error (SQLite serialises writes)
    yield one("SELECT ? AS uan", uan, pg="SELECT pg_advisory_xact_lock(hashtextextended(?, 5)) IS NULL AS uan")
    taken = yield one("SELECT 1 FROM applications WHERE uan = ? AND reference <> ?", uan, reference)
    if taken:
        raise UanTaken()
    return (yield from _decide(operator, reference, ReviewState.APPROVED, now, "uan = ?, review_note = NULL",
                               (uan,), "approve", {"uan": uan}))


#: a draft's fields that say where the worker is (never an answer): what reopening changes
POSITION = ("phase", "step", "editing", "fix", "back_to", "updated_at")


def send_back(operator: str, reference: str, fields: list[str], comment: str, now: datetime,
              reopened: dict[str, Any] | None = None) -> Txn[AppRow | None]:
    """HAS_ISSUES: the worker is to fix ``fields``; ``comment`` says what is
    wrong. ``reopened``: the worker's draft position after reopening (see
    ``engine.reopen``), written in the same transaction, so the application
    is never sent back without the draft reopening too. Only the position
    keys of the stored draft change; its (sealed) answers are left as stored."""
    decided = yield from _decide(operator, reference, ReviewState.HAS_ISSUES, now, "review_note = ?",
                                 (comment,), "send_back", {"fields": fields, "comment": comment})
    if decided is not None and reopened is not None:
        yield from _change_draft(decided.user_id, lambda data: data.update(
            {key: reopened[key] for key in POSITION if key in reopened}), moved_at=now)
    return decided


def _change_draft(user_id: str, change: Callable[[dict[str, Any]], Any],
                  moved_at: datetime | None = None) -> Txn[None]:
    """Apply ``change`` to the stored draft's JSON as it is (its answers stay
    sealed), if there is a draft; ``moved_at``: the draft moved on then (its
    ``updated_at``), else that stays."""
    stored = yield one("SELECT data FROM drafts WHERE user_id = ?", user_id)
    if stored is not None:
        data = json.loads(stored["data"])
        change(data)
        yield run("UPDATE drafts SET data = ?, phase = ?, updated_at = COALESCE(?, updated_at) WHERE user_id = ?",
                  to_json(data), data.get("phase"), iso(moved_at) if moved_at else None, user_id)


def type_voice_answer(operator: str, reference: str, key: str, value: Any, now: datetime) -> Txn[AppRow | None]:
    """The operator who holds the application typed what they heard in the
    worker's voice note for ``key``: the answer, in the application and in
    the worker's draft (a resubmission starts from it), audited without the
    text. None (nothing changed) if they do not hold it, or ``key`` was not
    answered by voice. The note's file id stays, to listen again."""
    if key in SEALED_ANSWERS:  # (a voice step holds free text, never a sealed number)
        raise ValueError(f"answer {key!r} is sealed")
    row = yield from _locked(reference)
    if row is None or row["state"] != ReviewState.IN_REVIEW or row["lease_holder"] != operator:
        return None
    stored = yield one("SELECT data, meta FROM applications WHERE reference = ?", reference)
    answers = json.loads(stored["data"])
    if key not in answers or voice.file_id(json.loads(stored["meta"] or "{}"), key) is None:
        return None
    answers[key] = value
    yield run("UPDATE applications SET data = ?, updated_at = ? WHERE reference = ?",
              to_json(answers), iso(now), reference)
    yield from _change_draft(row["user_id"], lambda data: data.setdefault("answers", {}).update({key: value}))
    yield from audit.record(operator, "voice_typed", reference, now, fields=[key])
    updated = yield one(f"SELECT {_ROW} FROM applications WHERE reference = ?", reference)
    return AppRow.of(updated)


def reject(operator: str, reference: str, reason: str, note: str | None, now: datetime) -> Txn[AppRow | None]:
    return (yield from _decide(operator, reference, ReviewState.REJECTED, now, "review_note = ?",
                               (note,), "reject", {"reason": reason, "note": note} if note else {"reason": reason}))


# -- invitations ---------------------------------------------------------------

#: open (unused, unexpired) invitations one person may have at a time
MAX_OPEN_INVITES = 20
#: an invitation is named on screen by this many hex digits of its token's hash
INVITE_ID_LENGTH = 12


@dataclass(frozen=True)
class Invite:
    """An open invitation (its token is only in the link, never here)."""
    id: str                  # the first hex digits of the token's hash
    grants: Staff            # the role and area it gives (user_id "")
    created_by: str
    expires_at: str


@dataclass(frozen=True)
class Joined:
    """What opening an invitation did: ``staff`` is the role now held
    (None: refused, ``why`` says why: "invalid", "own")."""
    staff: Staff | None
    why: str = ""
    created_by: str | None = None


_INVITES = "SELECT token_hash, role, state, district, csc, created_by, expires_at FROM invites"


def _grants(staff: Staff) -> dict[str, Any]:
    """A role and its area, as an audit row's detail."""
    return {"role": staff.role.value, "state": staff.state, "district": staff.district, "csc": staff.csc}


def _invite(row: Any) -> Invite:
    return Invite(row["token_hash"][:INVITE_ID_LENGTH],
                  Staff("", Role(row["role"]), row["state"], row["district"], row["csc"]),
                  row["created_by"], row["expires_at"])


def create_invite(token_hash: str, grants: Staff, created_by: str, now: datetime,
                  expires: datetime) -> Txn[bool]:
    """Record a new invitation; False (nothing recorded) if its creator
    already has ``MAX_OPEN_INVITES`` open ones."""
    row = yield one("SELECT COUNT(*) AS n FROM invites WHERE created_by = ? AND used_by IS NULL"
                    " AND expires_at > ?", created_by, iso(now))
    if int(row["n"]) >= MAX_OPEN_INVITES:
        return False
    yield run("INSERT INTO invites (token_hash, role, state, district, csc, created_by, created_at, expires_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", token_hash, grants.role.value, grants.state, grants.district,
              grants.csc, created_by, iso(now), iso(expires))
    yield from audit.record(created_by, "invite", None, now, **_grants(grants))
    return True


def peek_invite(token_hash: str, now: datetime) -> Txn[Invite | None]:
    """The open invitation with this hash (None if used, expired or unknown)."""
    row = yield one(f"{_INVITES} WHERE token_hash = ? AND used_by IS NULL AND expires_at > ?", token_hash, iso(now))
    return _invite(row) if row else None


def use_invite(token_hash: str, user_id: str, now: datetime, *,
               admins: frozenset[str] = frozenset()) -> Txn[Joined]:
    """Take the role an invitation grants. Refused ("invalid") if there is no
    such open invitation, or its creator no longer holds a role that may
    give it (revoked, moved to another area: checked now, not when it was
    made; ``admins``: the administrators named in the settings); refused
    ("own") to its own creator. The user's earlier role, if any, is
    replaced; the leases they held go back to the queue."""
    invite = yield from peek_invite(token_hash, now)
    if invite is None:
        return Joined(None, "invalid")
    if invite.created_by == user_id:
        return Joined(None, "own")
    creator = yield from staff_of(invite.created_by)
    if creator is None and invite.created_by in admins:
        creator = Staff(invite.created_by, Role.ADMIN)
    if creator is None or not may_manage(creator, invite.grants):
        yield run("DELETE FROM invites WHERE token_hash = ?", token_hash)
        yield from audit.record(user_id, "invite_void", None, now, **_grants(invite.grants),
                                invited_by=invite.created_by)
        return Joined(None, "invalid")
    taken = yield run("UPDATE invites SET used_by = ?, used_at = ? WHERE token_hash = ? AND used_by IS NULL",
                      user_id, iso(now), token_hash)
    if taken != 1:
        return Joined(None, "invalid")
    staff = Staff(user_id, invite.grants.role, invite.grants.state, invite.grants.district, invite.grants.csc)
    before = yield from staff_of(user_id)
    if before is not None and before != staff:  # a change of role: nothing of the old one goes on
        yield from leave_role(user_id, now, by=user_id)
    yield from grant(staff, invite.created_by, now)
    yield from audit.record(user_id, "join", None, now, **_grants(staff), invited_by=invite.created_by,
                            **({"was": before.role.value} if before is not None else {}))
    return Joined(staff, created_by=invite.created_by)


def open_invites(now: datetime) -> Txn[list[Invite]]:
    """Every open invitation, oldest first."""
    rows = yield all_rows(f"{_INVITES} WHERE used_by IS NULL AND expires_at > ? ORDER BY created_at, token_hash",
                          iso(now))
    return [_invite(r) for r in rows]


def cancel_invite(invite_id: str, by: str, now: datetime) -> Txn[Invite | None]:
    """Cancel the open invitation named ``invite_id``; the one cancelled, or None."""
    row = yield one(f"{_INVITES} WHERE substr(token_hash, 1, ?) = ? AND used_by IS NULL AND expires_at > ?",
                    INVITE_ID_LENGTH, invite_id, iso(now))
    if row is None:
        return None
    invite = _invite(row)
    yield run("DELETE FROM invites WHERE token_hash = ?", row["token_hash"])
    yield from audit.record(by, "invite_cancel", None, now, **_grants(invite.grants), invited_by=invite.created_by)
    return invite


def cancel_invites_of(created_by: str) -> Txn[int]:
    """Cancel every open invitation ``created_by`` made (their role is gone)."""
    return (yield run("DELETE FROM invites WHERE created_by = ? AND used_by IS NULL", created_by))


def take_role(user_id: str, by: str, now: datetime) -> Txn[bool]:
    """Make ``user_id`` a worker again: their role goes, the invitations they
    left open are cancelled, what they hold goes back to the queue, audited
    as done ``by`` (a staff user, or "cli"); False if they had no role."""
    before = yield from staff_of(user_id)
    if before is None:
        return False
    yield from revoke(user_id)
    cancelled, released = yield from leave_role(user_id, now, by)
    yield from audit.record(by, "revoke", None, now, user=user_id, role=before.role.value,
                            invites_cancelled=cancelled or None, released=released or None)
    return True


def leave_role(user_id: str, now: datetime, by: str) -> Txn[tuple[int, int]]:
    """What goes with a role that is taken away or changed: the invitations
    the user left open are cancelled, what they hold goes back to the queue
    (audited as done ``by``), a desk question they were asked is dropped.
    (A walk-in's registration they left unsubmitted is erased by the caller
    first, see ``bot.desk.assist.drop_unsubmitted``.) How many invitations
    were cancelled and applications released."""
    cancelled = yield from cancel_invites_of(user_id)
    held = yield from held_by(user_id, now)
    for reference in held:
        yield from release(user_id, reference, now, by=by)
    sess = yield from session(user_id)
    kept = {k: v for k, v in sess.items() if k not in ("ask", "pick", "join", "practice")}
    if kept != sess:
        yield from save_session(user_id, kept, now)
    return cancelled, len(held)


# -- walk-in workers ---------------------------------------------------------------

def reassign_walkin(reference: str, csc: str, by: str, now: datetime) -> Txn[str | None]:
    """An official gives a walk-in's sent-back application to another CSC to
    correct (``assisted_csc`` in the draft's and the application's meta);
    the CSC it had before, or None if there is no such application."""
    app = yield one("SELECT user_id, meta FROM applications WHERE reference = ?", reference)
    if app is None:
        return None
    meta = json.loads(app["meta"] or "{}")
    before = str(meta.get("assisted_csc") or "")
    meta["assisted_csc"] = csc
    yield run("UPDATE applications SET meta = ?, updated_at = ? WHERE reference = ?",
              to_json(meta), iso(now), reference)
    yield from _change_draft(app["user_id"], lambda data: data.setdefault("meta", {}).update(assisted_csc=csc))
    yield from audit.record(by, "reassign", reference, now, csc=csc, before=before or None)
    return before
