"""``/trail <reference>``: who did what to an application, and when (for
officials of its area and admins)."""
from __future__ import annotations

from bot.addresses import shown
from bot.desk import messages as m
from bot.desk.common import in_ist, outcome, t, text
from bot.domain.references import is_reference
from bot.domain.roles import Role
from bot.messages import Outcome, Reply
from bot.flow.steps import STEP_BY_KEY
from bot.staff_commands import Request, register
from bot.store import desk
from bot.store.audit import trail as audit_trail


def _detail(req: Request, detail: dict) -> str:
    """The facts of one action: the answers sent back and a reason to reject
    by their names, the rest as written."""
    parts = []
    for key, value in detail.items():
        if key == "fields":
            parts.append(", ".join(t(req, STEP_BY_KEY[k].label) if k in STEP_BY_KEY else k for k in value))
        elif key == "reason" and value in m.REASONS:
            parts.append(t(req, m.REASONS[value]))
        elif key == "uan":
            parts.append(f"UAN {value}")
        elif value is not None:
            parts.append(str(value))
    return "; ".join(parts)


@register("trail", {Role.ADMIN, Role.OFFICIAL}, m.ABOUT_TRAIL)
async def trail(req: Request) -> Outcome:
    reference = (req.arg or "").strip().upper()
    if not is_reference(reference):
        return outcome(text(req, m.TRAIL_USAGE))
    row = await req.store.query(desk.app_row, reference)
    if row is None or not req.actor.covers(row.placement.state_code, row.placement.district):
        return outcome(text(req, m.NOT_FOUND, reference=reference))
    rows = await req.store.query(audit_trail, reference)
    if not rows:
        return outcome(text(req, m.TRAIL_EMPTY, reference=reference))
    lines = [t(req, m.TRAIL_TITLE, reference=reference)]
    for r in rows:
        when = in_ist(r.at).strftime("%d/%m/%Y %H:%M")
        action = t(req, m.ACTIONS[r.action]) if r.action in m.ACTIONS else r.action
        line = f"{when} {shown(r.actor)}: {action}"
        lines.append(line + (f" ({_detail(req, r.detail)})" if r.detail else ""))
    return outcome(Reply("\n".join(lines)))
