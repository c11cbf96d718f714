"""``shram-sahayak staff``: bootstrap an admin from the shell, list, revoke."""
from __future__ import annotations

from bot.cli import main


def test_add_list_and_revoke_an_admin(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SHRAM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SHRAM_DATABASE_URL", raising=False)
    assert main(["staff", "add-admin", "123456789"]) == 0
    assert main(["staff", "list"]) == 0
    assert "tg:123456789\tadmin\teverywhere" in capsys.readouterr().out
    assert main(["staff", "revoke", "123456789"]) == 0
    assert "role taken away" in capsys.readouterr().out
    assert main(["staff", "list"]) == 0
    assert "tg:123456789" not in capsys.readouterr().out
    assert main(["staff", "add-admin", "not a number"]) == 2


def test_revoking_from_the_shell_cancels_the_invitations_left_open(tmp_path, monkeypatch, capsys) -> None:
    import asyncio
    from datetime import timedelta

    from bot.config import Settings
    from bot.domain.models import utcnow
    from bot.domain.roles import Role, Staff
    from bot.store import desk, open_store

    monkeypatch.setenv("SHRAM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SHRAM_DATABASE_URL", raising=False)
    assert main(["staff", "add-admin", "123456789"]) == 0

    async def invite_then_count(make: bool) -> int:
        store = await open_store(Settings())
        try:
            if make:
                now = utcnow()
                await store.transact(desk.create_invite, "ab" * 32, Staff("", Role.OFFICIAL, "UTTARAKHAND"),
                                     "tg:123456789", now, now + timedelta(days=7))
            return len(await store.query(desk.open_invites, utcnow()))
        finally:
            await store.close()

    assert asyncio.run(invite_then_count(True)) == 1
    assert main(["staff", "revoke", "123456789"]) == 0
    assert asyncio.run(invite_then_count(False)) == 0


def test_making_an_operator_an_admin_from_the_shell_ends_what_the_operator_role_held(tmp_path, monkeypatch) -> None:
    import asyncio

    from bot.config import Settings
    from bot.domain.models import Draft, utcnow
    from bot.domain.roles import Role, Staff
    from bot.store import desk, open_store
    from bot.store.staff import grant

    monkeypatch.setenv("SHRAM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SHRAM_DATABASE_URL", raising=False)
    walkin = "walkin:0123456789abcdef"

    async def an_operator_assisting() -> None:
        store = await open_store(Settings())
        try:
            now = utcnow()
            await store.transact(grant, Staff("tg:77", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-1"), None, now)
            await store.save_draft(Draft(user_id=walkin, lang="hi", answers={"language": "hi", "consent": "agree"},
                                         meta={"assisted_by": "tg:77", "assisted_csc": "CSC-1"}))
            await store.transact(desk.save_session, "tg:77", {"assist": walkin}, now)
        finally:
            await store.close()

    async def left() -> tuple:
        store = await open_store(Settings())
        try:
            return await store.load_draft(walkin), await store.query(desk.session, "tg:77")
        finally:
            await store.close()

    asyncio.run(an_operator_assisting())
    assert main(["staff", "add-admin", "77"]) == 0
    assert asyncio.run(left()) == (None, {})
