"""Roles on the desk: one-time invitations (``/invite``, ``/invites``), the
list of staff (``/staff``), taking a role away (``/revoke``), and accepting
an invitation from its deep link.

An invitation is a deep link ``/start join_<token>``: the token is 32
random bytes (``secrets.token_urlsafe``), only its SHA-256 is stored (hex
written with letters, ``digitless``), it works once and expires after
``INVITE_DAYS``. An official invites only
within their own area; an admin anywhere; nobody has more than
``desk.MAX_OPEN_INVITES`` open at once. When it is opened, the store checks
that its creator still holds a role that may give it (a revoked or moved
official's links stop working), and taking away someone's role cancels
the invitations they made. Nobody can open their own invitation; a staff
user who opens one is asked before their role changes, and an administrator
named in the settings never loses that role to a link. The creator is told
who used it.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

from bot.addresses import shown, typed
from bot.desk import messages as m
from bot.desk.assist import drop_unsubmitted, walkin_held
from bot.desk.common import (button_parts, buttons, in_ist, ist_date, menu_for, outcome, save, session, t,
                             text)
from bot.domain.catalogues import state_label
from bot.domain.personal_numbers import digitless
from bot.domain.place_names import district_name
from bot.domain.roles import CSC_CODE, Role, Staff, may_manage
from bot.messages import Notice, Outcome, Reply
from bot.staff_commands import Request, register
from bot.store import desk
from bot.store.staff import list_staff, staff_of

INVITE_PREFIX = "join_"
INVITE_DAYS = 7
INVITES_PER_PAGE = 10
MANAGERS = {Role.ADMIN, Role.OFFICIAL}
EVERY_ROLE = {Role.ADMIN, Role.OFFICIAL, Role.OPERATOR}
ROLE_NAMES = {Role.OPERATOR: m.ROLE_OPERATOR, Role.OFFICIAL: m.ROLE_OFFICIAL, Role.ADMIN: m.ROLE_ADMIN}


def token_hash(token: str) -> str:
    return digitless(hashlib.sha256(token.encode()).hexdigest())


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
    district = district_name(staff.state or "", staff.district, req.lang) if staff.district else None
    parts = [p for p in (staff.csc, district, t(req, state_label(staff.state)) if staff.state else None) if p]
    return ", ".join(parts) or "—"


def role_text(req: Request, staff: Staff) -> str:
    return f"{t(req, ROLE_NAMES[staff.role])} ({scope_text(req, staff)})"


@register("invite", MANAGERS, m.ABOUT_INVITE)
async def invite(req: Request) -> Outcome:
    words = (req.arg or "").split()
    if len(words) < 2 or words[0].lower() not in ("operator", "official"):
        return outcome(text(req, m.INVITE_USAGE))
    me = req.actor
    if words[0].lower() == "operator":
        if not CSC_CODE.match(words[1]):
            return outcome(text(req, m.BAD_CSC, value=words[1][:40]))
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
    made = await req.store.transact(desk.create_invite, token_hash(token), grants, req.user_id, req.now, expires)
    if not made:
        return outcome(text(req, m.TOO_MANY_INVITES, limit=desk.MAX_OPEN_INVITES))
    reply = text(req, m.INVITE_MADE, role=t(req, ROLE_NAMES[grants.role]), scope=scope_text(req, grants),
                 date=ist_date(expires))
    reply.deep_link = INVITE_PREFIX + token
    return outcome(reply)


async def accept(req: Request, payload: str) -> Outcome:
    """Someone opened an invitation link: give them its role (a staff user
    is asked first, see ``join``)."""
    hashed = token_hash(payload[len(INVITE_PREFIX):])
    if req.user_id in req.admins:
        return outcome(text(req, m.INVITE_ADMIN_KEEPS))
    found = await req.store.query(desk.peek_invite, hashed, req.now)
    if found is None:
        return outcome(text(req, m.INVITE_INVALID))
    if found.created_by == req.user_id:
        return outcome(text(req, m.INVITE_OWN))
    if req.staff is not None:  # a change of role: only when they say so, under this invitation's prompt
        await save(req, await session(req) | {"join": hashed})
        return outcome(buttons(t(req, m.INVITE_CHANGE_ROLE, now=role_text(req, req.staff),
                                 new=role_text(req, found.grants)),
                               "join", [(f"yes:{found.id}", t(req, m.CHANGE_ROLE)),
                                        (f"no:{found.id}", t(req, m.KEEP_ROLE))]))
    return await _join(req, hashed)


@register("join", EVERY_ROLE, m.ABOUT_JOIN, listed=False)
async def join(req: Request) -> Outcome:
    """The answer of a staff user asked whether an invitation may change their role."""
    sess = await session(req)
    hashed = sess.get("join")
    hashed = hashed and digitless(hashed)  # (a prompt shown before migration 9 named it in hex)
    parts = [digitless(p) for p in button_parts(req)]
    # the buttons name their invitation: a prompt of an earlier link answers nothing
    if hashed is None or len(parts) != 2 or parts[0] not in ("yes", "no") \
            or parts[1] != hashed[:desk.INVITE_ID_LENGTH]:
        return outcome(text(req, m.INVITE_GONE))
    if parts[0] == "no" or req.user_id in req.admins:
        await save(req, {k: v for k, v in sess.items() if k != "join"})
        return outcome(text(req, m.ROLE_KEPT))
    async with walkin_held(req.store, req.user_id):  # (see _join: the lock before the save)
        await save(req, {k: v for k, v in sess.items() if k != "join"})
        return await _join(req, hashed)


async def _join(req: Request, hashed: str) -> Outcome:
    async with walkin_held(req.store, req.user_id):  # (a change of role may end it: its lock first)
        joined = await req.store.transact(desk.use_invite, hashed, req.user_id, req.now, admins=req.admins)
        if joined.staff is None:
            return outcome(text(req, m.INVITE_OWN if joined.why == "own" else m.INVITE_INVALID))
        staff = joined.staff
        if req.staff is not None and req.staff != staff:  # their old role ended: a half-done walk-in goes with it
            await drop_unsubmitted(req.store, req.user_id, by=req.user_id)
    out = outcome(text(req, m.WELCOME_STAFF, role=t(req, ROLE_NAMES[staff.role]), scope=scope_text(req, staff)))
    out.menu = menu_for(req, staff.role)  # the chat's command menu shows the new commands
    creator = joined.created_by or ""
    told = _as(req, await _lang_of(req, creator))
    out.notices.append(Notice(creator, told.lang, [text(told, m.INVITE_USED, user=shown(req.user_id),
                                                        role=role_text(told, staff))]))
    return out


async def _lang_of(req: Request, user_id: str) -> str:
    """A staff user's language: the one they chose on the desk, else this request's."""
    chosen = (await req.store.query(desk.session, user_id)).get("lang")
    return chosen or req.lang


@register("invites", MANAGERS, m.ABOUT_INVITES)
async def invites(req: Request) -> Outcome:
    """The open invitations in the caller's area, each with a button to cancel it."""
    parts = button_parts(req)
    if parts[:1] == ["cancel"] and len(parts) == 2:
        found = [i for i in await req.store.query(desk.open_invites, req.now)
                 if i.id == digitless(parts[1]) and may_manage(req.actor, i.grants)]
        if not found:
            return outcome(text(req, m.INVITE_GONE))
        await req.store.transact(desk.cancel_invite, found[0].id, req.user_id, req.now)
        return outcome(text(req, m.INVITE_CANCELLED, role=role_text(req, found[0].grants)))
    mine = [i for i in await req.store.query(desk.open_invites, req.now) if may_manage(req.actor, i.grants)]
    if not mine:
        return outcome(text(req, m.INVITES_NONE))
    pages = (len(mine) + INVITES_PER_PAGE - 1) // INVITES_PER_PAGE
    page = int(parts[1]) if parts[:1] == ["page"] and len(parts) == 2 and parts[1].isdecimal() else 1
    page = min(max(page, 1), pages)
    first = (page - 1) * INVITES_PER_PAGE
    lines, choices = [t(req, m.INVITES_TITLE)], []
    for n, one in enumerate(mine[first:first + INVITES_PER_PAGE], first + 1):
        until = in_ist(one.expires_at).strftime("%d/%m %H:%M")
        lines.append(t(req, m.INVITES_LINE, n=n, role=role_text(req, one.grants),
                       by=shown(one.created_by), until=until))
        choices.append((f"cancel:{one.id}", t(req, m.CANCEL_INVITE, n=n)))
    if pages > 1:  # a page at a time: a message's buttons stay few
        lines.append(t(req, m.PAGE_OF, page=page, pages=pages))
        choices += [(f"page:{p}", label) for p, label in ((page - 1, t(req, m.PREVIOUS_PAGE)),
                                                          (page + 1, t(req, m.NEXT_PAGE))) if 1 <= p <= pages]
    return outcome(buttons("\n".join(lines), "invites", choices))


@register("staff", MANAGERS, m.ABOUT_STAFF)
async def staff_list(req: Request) -> Outcome:
    everyone = [s for s in await req.store.query(list_staff) if may_manage(req.actor, s)]
    if not everyone:
        return outcome(text(req, m.STAFF_NONE))
    lines = [t(req, m.STAFF_LINE, user=shown(s.user_id), role=t(req, ROLE_NAMES[s.role]),
               scope=scope_text(req, s)) for s in everyone]
    return outcome(Reply("\n".join(lines)))


@register("revoke", MANAGERS, m.ABOUT_REVOKE)
async def revoke(req: Request) -> Outcome:
    target_id = typed(req.arg or "")
    if target_id is None:
        return outcome(text(req, m.REVOKE_USAGE))
    named = shown(target_id)
    target = await req.store.query(staff_of, target_id)
    if target is None or target_id == req.user_id or not may_manage(req.actor, target):
        return outcome(text(req, m.NOT_STAFF, user=named))
    await drop_unsubmitted(req.store, target_id, by=req.user_id)
    await req.store.transact(desk.take_role, target_id, req.user_id, req.now)
    lang = await _lang_of(req, target_id)
    told = Notice(target_id, lang, [text(_as(req, lang), m.YOUR_ROLE_REMOVED)], menu=[])
    return outcome(text(req, m.REVOKED, user=named), notices=[told])


def _as(req: Request, lang: str) -> Request:
    """The request, to say something in another user's language."""
    return replace(req, lang=lang)
