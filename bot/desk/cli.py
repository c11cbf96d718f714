"""``shram-sahayak staff``: bootstrap and inspect desk roles from the shell
(an admin's first role cannot come from an invitation)."""
from __future__ import annotations

from bot.config import Settings
from bot.addresses import typed
from bot.domain.models import utcnow
from bot.domain.roles import Role, Staff
from bot.desk.assist import drop_unsubmitted
from bot.store import audit, desk, open_store
from bot.store.staff import grant, list_staff, staff_of


def _add_admin(user_id: str):
    now = utcnow()
    before = yield from staff_of(user_id)
    if before is not None and before.role is not Role.ADMIN:  # a change of role: nothing of the old one goes on
        yield from desk.leave_role(user_id, now, by="cli")
    yield from grant(Staff(user_id, Role.ADMIN), "cli", now)
    yield from audit.record("cli", "grant", None, now, user=user_id, role="admin")


async def run_staff(settings: Settings, command: str, user: str | None) -> int:
    user_id = typed(user) if user else None
    if command in ("add-admin", "revoke") and user_id is None:
        print("give a Telegram user id (digits), e.g. 123456789")
        return 2
    store = await open_store(settings)
    try:
        if command == "add-admin" and user_id is not None:
            await drop_unsubmitted(store, user_id, "cli")
            await store.transact(_add_admin, user_id)
            print(f"{user_id} is now an admin")
        elif command == "revoke" and user_id is not None:
            await drop_unsubmitted(store, user_id, "cli")
            gone = await store.transact(desk.take_role, user_id, "cli", utcnow())
            print(f"{user_id}: role taken away" if gone else f"{user_id} had no role")
        else:
            for staff in await store.query(list_staff):
                scope = ", ".join(p for p in (staff.csc, staff.district, staff.state) if p) or "everywhere"
                print(f"{staff.user_id}\t{staff.role.value}\t{scope}")
    finally:
        await store.close()
    return 0
