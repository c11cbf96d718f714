"""The audit trail (table ``audit``): every state change, reveal, edit and
export, with who, when and what. Transaction functions (``bot.store.sql``):
call ``record`` inside the same transaction as the action it describes.

``detail`` is JSON of non-personal facts (a comment, a reason, the fields
sent back); never an Aadhaar, account or mobile number.

When a worker's data is erased, their rows stay (what was done, when, to
which reference, by which staff user) but nothing in them names the worker
any more (``forget_worker``, in the erasure's own transaction).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.sql import ESCAPE, Txn, all_rows, containing, run, to_json

#: the actor of an erased worker's own rows, and what replaces their id in a detail
ERASED_WORKER = "erased-worker"
#: what a worker does themselves to their own application: in these rows
#: of the worker's own reference the actor is the worker (the same actions
#: on another reference are a staff member's, for a walk-in, see ``forget_worker``)
WORKER_ACTIONS = ("submit", "resubmit", "erase")
#: a worker's own Aadhaar check (``bot.store.aadhaar_checks``); one made for
#: a walk-in is the operator's, and its detail names the walk-in (``WALKIN``)
AADHAAR_CHECK, WALKIN = "aadhaar_check", "walkin"
#: rows about staff roles: the user ids in them are records of who held a
#: role, kept whatever that user asks to erase as a worker
ROLE_ACTIONS = ("grant", "revoke", "join", "invite")
#: details of an application's rows that an erasure removes: the UAN it was
#: given, and the operator's free-text notes (copies of the application's
#: review note, which may describe the worker)
ERASED_DETAILS = ("uan", "comment", "note")


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    reference: str | None
    detail: dict[str, Any]


def detail_json(detail: dict[str, Any]) -> str | None:
    """``detail`` as stored (None if empty): always the same text for the same facts."""
    return to_json(detail) if detail else None


def record(actor: str, action: str, reference: str | None, when: datetime,
           **detail: Any) -> Txn[None]:
    yield run("INSERT INTO audit (at, actor, action, reference, detail) VALUES (?, ?, ?, ?, ?)",
              when.isoformat(), actor, action, reference, detail_json(detail))


def trail(reference: str) -> Txn[list[AuditRow]]:
    """An application's trail, oldest first."""
    rows = yield all_rows("SELECT at, actor, action, reference, detail FROM audit"
                          " WHERE reference = ? ORDER BY id", reference)
    return [AuditRow(datetime.fromisoformat(r["at"]), r["actor"], r["action"], r["reference"],
                     json.loads(r["detail"]) if r["detail"] else {}) for r in rows]


def forget_worker(user_id: str, reference: str | None) -> Txn[None]:
    """Take the worker ``user_id`` (and their application ``reference``, if
    any) out of the trail, keeping every row and its action, time,
    reference and staff actor: their own rows get ``ERASED_WORKER`` as
    actor, a detail value equal to their id becomes ``ERASED_WORKER``
    (except in role records, ``ROLE_ACTIONS``), and the rows of their
    application lose ``ERASED_DETAILS``.

    Their own rows are the submits, resubmits and erasures of their own
    application (``reference``) and their own Aadhaar checks. What a staff
    member did as staff stays theirs when they erase their registration as
    a worker: a walk-in's application they submitted (another reference)
    and the Aadhaar numbers they checked for walk-ins (a detail naming the
    walk-in)."""
    marks = ", ".join("?" for _ in WORKER_ACTIONS)
    yield run(f"UPDATE audit SET actor = ? WHERE actor = ? AND ((action IN ({marks}) AND reference = ?)"
              f" OR (action = ? AND (detail IS NULL OR detail NOT LIKE ?{ESCAPE})))",
              ERASED_WORKER, user_id, *WORKER_ACTIONS, reference, AADHAAR_CHECK, containing(f'"{WALKIN}":'))
    marks = ", ".join("?" for _ in ROLE_ACTIONS)
    naming = yield all_rows(f"SELECT id, detail FROM audit WHERE detail LIKE ?{ESCAPE}"
                            f" AND action NOT IN ({marks})", containing(to_json(user_id)), *ROLE_ACTIONS)
    for row in naming:
        detail = json.loads(row["detail"])
        replaced = _replaced(detail, user_id)
        if replaced != detail:
            yield run("UPDATE audit SET detail = ? WHERE id = ?", to_json(replaced), row["id"])
    if reference is not None:
        for row in (yield all_rows("SELECT id, detail FROM audit WHERE reference = ? AND detail IS NOT NULL",
                                   reference)):
            detail = json.loads(row["detail"])
            kept = {key: value for key, value in detail.items() if key not in ERASED_DETAILS} \
                if isinstance(detail, dict) else detail
            if kept != detail:
                yield run("UPDATE audit SET detail = ? WHERE id = ?", to_json(kept) if kept else None, row["id"])


def _replaced(value: Any, user_id: str) -> Any:
    """``value`` (a detail as parsed) with every string equal to ``user_id`` replaced."""
    if isinstance(value, dict):
        return {key: _replaced(item, user_id) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, user_id) for item in value]
    return ERASED_WORKER if value == user_id else value


