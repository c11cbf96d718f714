"""Roles on the desk: one-time invitations (``/invite``), the list of staff
(``/staff``), taking a role away (``/revoke``), and accepting an invitation
from its deep link.

An invitation is a deep link ``/start join_<token>``: the token is 32
random bytes (``secrets.token_urlsafe``), only its SHA-256 is stored, it
works once and expires after ``INVITE_DAYS``. An official invites only
within their own area; an admin anywhere.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import lru_cache

from bot.desk import messages as m
from bot.desk.common import menu_for, outcome, t, text
from bot.domain.catalogues import state_label
from bot.domain.roles import Role, Staff
from bot.flow.engine import Outcome, Reply
from bot.staff_commands import Request, register
from bot.store import audit, desk
from bot.store.staff import list_staff, revoke as revoke_role, staff_of

INVITE_PREFIX = "join_"
INVITE_DAYS = 7
MANAGERS = {Role.ADMIN, Role.OFFICIAL}
ROLE_NAMES = {Role.OPERATOR: m.ROLE_OPERATOR, Role.OFFICIAL: m.ROLE_OFFICIAL, Role.ADMIN: m.ROLE_ADMIN}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def _districts() -> dict[str, tuple[str, ...]]:
    """District (India Post's spelling) -> the states that have one of that name."""
    import indian_pincode
    found: dict[str, list[str]] = {}
    for state in indian_pincode.list_states():
        for district in indian_pincode.list_districts(state):
            found.setdefault(district, []).append(state)
    return {d: tuple(s) for d, s in found.items()}


def place(name: str, within: str | None = None) -> tuple[str, str | None] | None:
    """"haridwar" -> ("UTTARAKHAND", "HARIDWAR"); "uttarakhand" -> ("UTTARAKHAND", None);
    None if unknown or ambiguous (``within``: prefer that state)."""
    import indian_pincode
    key = " ".join(name.upper().split())
    if key in indian_pincode.list_states():
        return key, None
    states = _districts().get(key, ())
    if within in states:
        return within, key
    return (states[0], key) if len(states) == 1 else None


def scope_text(req: Request, staff: Staff) -> str:
    parts = [p for p in (staff.csc, staff.district.title() if staff.district else None,
                         t(req, state_label(staff.state)) if staff.state else None) if p]
    return ", ".join(parts) or "—"


def may_manage(manager: Staff, target: Staff) -> bool:
    """An admin manages everyone; an official, the operators of their area and
    (a state's official) the district officials of their state."""
    if manager.role is Role.ADMIN:
        return True
    if manager.role is not Role.OFFICIAL or not manager.covers(target.state, target.district):
        return False
    if target.role is Role.OPERATOR:
        return True
    return target.role is Role.OFFICIAL and manager.district is None and target.district is not None


@register("invite", MANAGERS, m.ABOUT_INVITE)
async def invite(req: Request) -> Outcome:
    words = (req.arg or "").split()
    if len(words) < 2 or words[0].lower() not in ("operator", "official"):
        return outcome(text(req, m.INVITE_USAGE))
    me = req.staff
    if words[0].lower() == "operator":
        csc = words[1].upper()
        where = " ".join(words[2:]) or (me.district or "")
        found = place(where, me.state) if where else None
        if not where:
            return outcome(text(req, m.INVITE_USAGE))
        if found is None or found[1] is None:
            return outcome(text(req, m.UNKNOWN_PLACE, place=where))
        grants = Staff("", Role.OPERATOR, found[0], found[1], csc)
    else:
        where = " ".join(words[1:])
        found = place(where, me.state)
        if found is None:
            return outcome(text(req, m.UNKNOWN_PLACE, place=where))
        grants = Staff("", Role.OFFICIAL, found[0], found[1])
    if not may_manage(me, grants):
        return outcome(text(req, m.OUT_OF_SCOPE))
    token = secrets.token_urlsafe(32)
    expires = req.now + timedelta(days=INVITE_DAYS)
    await req.store.transact(desk.create_invite, token_hash(token), grants, req.user_id, req.now, expires,
                             req.update_key)
    reply = text(req, m.INVITE_MADE, role=t(req, ROLE_NAMES[grants.role]), scope=scope_text(req, grants),
                 date=expires.strftime("%d/%m/%Y"))
    reply.deep_link = INVITE_PREFIX + token
    return outcome(reply)


async def accept(req: Request, payload: str) -> Outcome:
    """Someone opened an invitation link: give them its role."""
    staff = await req.store.transact(desk.use_invite, token_hash(payload[len(INVITE_PREFIX):]), req.user_id,
                                     req.now, req.update_key)
    if staff is None:
        return outcome(text(req, m.INVITE_INVALID))
    out = outcome(text(req, m.WELCOME_STAFF, role=t(req, ROLE_NAMES[staff.role]), scope=scope_text(req, staff)))
    out.menu = menu_for(req, staff.role)  # the chat's command menu shows the new commands
    return out


@register("staff", MANAGERS, m.ABOUT_STAFF)
async def staff_list(req: Request) -> Outcome:
    everyone = [s for s in await req.store.query(list_staff) if may_manage(req.staff, s)]
    if not everyone:
        return outcome(text(req, m.STAFF_NONE))
    lines = [t(req, m.STAFF_LINE, user=s.user_id.removeprefix("tg:"), role=t(req, ROLE_NAMES[s.role]),
               scope=scope_text(req, s)) for s in everyone]
    return outcome(Reply("\n".join(lines)))


def user_id_of(arg: str) -> str | None:
    arg = arg.strip()
    if arg.isdigit():
        return f"tg:{arg}"
    return arg if ":" in arg and " " not in arg else None


@register("revoke", MANAGERS, m.ABOUT_REVOKE)
async def revoke(req: Request) -> Outcome:
    target_id = user_id_of(req.arg or "")
    if target_id is None:
        return outcome(text(req, m.REVOKE_USAGE))
    shown = target_id.removeprefix("tg:")
    target = await req.store.query(staff_of, target_id)
    if target is None or target_id == req.user_id or not may_manage(req.staff, target):
        return outcome(text(req, m.NOT_STAFF, user=shown))
    await req.store.transact(_revoke, target, req)
    return outcome(text(req, m.REVOKED, user=shown))


def _revoke(target: Staff, req: Request):
    yield from revoke_role(target.user_id)
    yield from audit.record(req.user_id, "revoke", None, req.now, user=target.user_id, role=target.role.value)
    yield from desk.mark_applied(req.update_key, req.user_id, req.now)
