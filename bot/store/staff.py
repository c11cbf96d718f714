"""Roles in the store (table ``staff``): transaction functions, see ``bot.store.sql``."""
from __future__ import annotations

from datetime import datetime

from bot.domain.roles import Role, Staff
from bot.store.sql import Txn, all_rows, one, run


def _staff(row) -> Staff | None:
    if row is None:
        return None
    return Staff(row["user_id"], Role(row["role"]), row["state"], row["district"], row["csc"])


def staff_of(user_id: str) -> Txn[Staff | None]:
    """The user's role, or None for a worker."""
    row = yield one("SELECT user_id, role, state, district, csc FROM staff WHERE user_id = ?", user_id)
    return _staff(row)


def grant(staff: Staff, granted_by: str | None, now: datetime) -> Txn[None]:
    """Give ``staff.user_id`` this role and scope (replacing any earlier one)."""
    yield run("INSERT INTO staff (user_id, role, state, district, csc, granted_by, granted_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
              " state = excluded.state, district = excluded.district, csc = excluded.csc,"
              " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
              staff.user_id, staff.role.value, staff.state, staff.district, staff.csc, granted_by,
              now.isoformat())


def revoke(user_id: str) -> Txn[bool]:
    """Make the user a worker again; False if they had no role."""
    return (yield run("DELETE FROM staff WHERE user_id = ?", user_id)) > 0


def list_staff() -> Txn[list[Staff]]:
    rows = yield all_rows("SELECT user_id, role, state, district, csc FROM staff"
                          " ORDER BY role, state, district, csc, user_id")
    return [Staff(row["user_id"], Role(row["role"]), row["state"], row["district"], row["csc"]) for row in rows]
