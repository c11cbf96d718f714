"""Every desk command in ``STAFF_COMMANDS``: importing this module registers
them (``queue``, ``card``, ``invite``, ``staff``, ``revoke``, ``trail``,
``assist``, ``practice``) and ``desk``, the list of commands a staff user
may run."""
from __future__ import annotations

from bot.desk import assist, practice, review, roles, trail  # noqa: F401  (they register themselves)
from bot.desk import messages as m
from bot.desk.common import outcome, t
from bot.domain.roles import Role
from bot.flow.engine import Outcome, Reply
from bot.staff_commands import STAFF_COMMANDS, Request, register


@register("desk", {Role.ADMIN, Role.OFFICIAL, Role.OPERATOR}, m.ABOUT_DESK)
async def desk_help(req: Request) -> Outcome:
    lines = [t(req, m.DESK_HELP_INTRO)]
    lines += [f"/{c.name} – {t(req, c.about)}" for c in STAFF_COMMANDS.values() if req.staff.role in c.roles]
    return outcome(Reply("\n".join(lines)))
