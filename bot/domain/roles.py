"""Who may do what: admins, officials, CSC operators; everyone else is a worker.

An official's scope is one state (``district`` None) or one district in it;
an operator works for one CSC (``csc``) in one district. Places are written
as India Post writes them (``UTTARAKHAND``, ``HARIDWAR``), the same spelling
the registration's answers and the applications' columns use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

#: a CSC code as officials type it (letters, digits, - and _): nothing that a
#: spreadsheet or a chat could read as a formula or a link
CSC_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")


class Role(StrEnum):
    ADMIN = "admin"
    OFFICIAL = "official"
    OPERATOR = "operator"
    WORKER = "worker"


@dataclass(frozen=True)
class Staff:
    """A user with a role other than worker, and where it holds."""
    user_id: str
    role: Role
    state: str | None = None     # officials and operators
    district: str | None = None  # operators always; officials of a district
    csc: str | None = None       # operators

    def covers(self, state: str | None, district: str | None) -> bool:
        """True if an application placed in ``state``/``district`` is in scope."""
        if self.role is Role.ADMIN:
            return True
        if self.role is Role.WORKER or self.state is None or state != self.state:
            return False
        return self.district is None or district == self.district


def may_manage(manager: Staff, target: Staff) -> bool:
    """An admin manages everyone; an official, the operators of their area and
    (a state's official) the district officials of their state. Whoever
    manages a role may invite someone to it and take it away."""
    if manager.role is Role.ADMIN:
        return True
    if manager.role is not Role.OFFICIAL or not manager.covers(target.state, target.district):
        return False
    if target.role is Role.OPERATOR:
        return True
    return target.role is Role.OFFICIAL and manager.district is None and target.district is not None
