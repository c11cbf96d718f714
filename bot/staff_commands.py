"""Commands of admins, officials and CSC operators: the shape of a handler
and the table of who may run what.

The table is data: one ``StaffCommand`` per command, with the roles allowed
to run it. The dispatcher (see ``bot.dispatch``) looks a command up here,
refuses politely (revealing nothing) when the caller's role is not listed,
and otherwise awaits the handler with a ``Request``. A command not in the
table is a worker's command and goes to the registration engine.

Inline buttons of staff screens carry callback data "<command>:<rest>" so
a button press is routed, and checked, exactly like its command.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain.roles import Role, Staff
from bot.messages import Outcome
from bot.i18n import N_

if TYPE_CHECKING:
    from bot.store.contract import Store


@dataclass(frozen=True)
class Request:
    """One staff command or button press, with who sent it."""
    store: Store
    user_id: str
    lang: str
    staff: Staff | None            # None: the caller is a worker
    now: datetime
    command: str | None = None     # without the slash
    arg: str | None = None         # the rest of the command line
    button: str | None = None      # callback data "<command>:<rest>"
    text: str | None = None        # typed text answering a staff question (a UAN, a comment)
    file: tuple[str, bytes] | None = None  # a document sent (file name, content), e.g. targets CSV
    update_key: str | None = None  # the channel update, applied at most once
    digest_hour: int = 8           # the hour (India time) of officials' daily digest (settings)
    admins: frozenset[str] = frozenset()  # administrators named in the settings (SHRAM_ADMINS)


    @property
    def actor(self) -> Staff:
        """The staff member running a command: a handler runs only for one
        (the dispatcher checks the role first)."""
        if self.staff is None:
            raise PermissionError("a staff command run without a staff member")
        return self.staff


Handler = Callable[[Request], Awaitable[Outcome]]

FILE_TOO_LARGE = N_("That file is too large (over 1 MB). Please send a smaller CSV file.")


class FileTooLarge(Exception):
    """A channel could not read a sent file because it is over its size limit."""


@dataclass(frozen=True)
class StaffCommand:
    name: str
    roles: frozenset[Role]
    handler: Handler
    about: str                     # msgid for the command menu
    listed: bool = True            # False: answers buttons only, never in a menu


#: filled by the desk and reports packages (see ``bot.dispatch``)
STAFF_COMMANDS: dict[str, StaffCommand] = {}


def register(name: str, roles: set[Role] | frozenset[Role], about: str,
             listed: bool = True) -> Callable[[Handler], Handler]:
    """Decorator: add a handler to ``STAFF_COMMANDS``."""
    def add(handler: Handler) -> Handler:
        STAFF_COMMANDS[name] = StaffCommand(name, frozenset(roles), handler, about, listed)
        return handler
    return add
