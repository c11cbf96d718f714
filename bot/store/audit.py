"""The audit trail (table ``audit``): every state change, reveal, edit and
export, with who, when and what. Transaction functions (``bot.store.sql``):
call ``record`` inside the same transaction as the action it describes.

``detail`` is JSON of non-personal facts (a comment, a reason, the fields
sent back); never an Aadhaar, account or mobile number.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.sql import Txn, all_rows, run


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    reference: str | None
    detail: dict[str, Any]


def detail_json(detail: dict[str, Any]) -> str | None:
    """``detail`` as stored (None if empty): always the same text for the same facts."""
    return json.dumps(detail, ensure_ascii=False, separators=(",", ":")) if detail else None


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
