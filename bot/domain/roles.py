"""Who may do what: admins, officials, CSC operators; everyone else is a worker.

An official's scope is one state (``district`` None) or one district in it;
an operator works for one CSC (``csc``) in one district. Places are written
as India Post writes them (``UTTARAKHAND``, ``HARIDWAR``), the same spelling
the registration's answers and the applications' columns use.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
