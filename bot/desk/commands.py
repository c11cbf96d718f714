"""Every desk command in ``STAFF_COMMANDS``: importing this module registers
them (``queue``, ``card``, ``invite``, ``staff``, ``revoke``, ``trail``,
``assist``, ``practice``) and ``desk``, the list of commands a staff user
may run."""
from __future__ import annotations

from bot.desk import assist, practice, review, roles, trail  # noqa: F401  (they register themselves)
from bot.desk import messages as m
from bot.desk.common import menu_for, outcome, t
from bot.domain.roles import Role
from bot.messages import Outcome, Reply
from bot.staff_commands import Request, register


@register("desk", {Role.ADMIN, Role.OFFICIAL, Role.OPERATOR}, m.ABOUT_DESK)
async def desk_help(req: Request) -> Outcome:
    menu = menu_for(req, req.actor.role)
    out = outcome(Reply("\n".join([t(req, m.DESK_HELP_INTRO), *(f"/{name} – {about}" for name, about in menu)])))
    out.menu = menu  # the chat's command menu shows them too
    return out
