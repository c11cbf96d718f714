"""Invitations and revocation stay within the inviter's area."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from bot.desk import messages as m
from bot.desk.roles import may_manage, place
from bot.dispatch import Dispatcher
from bot.domain.roles import Role, Staff
from bot.flow import messages as fm
from bot.messages import Input
from bot.i18n import translate
from bot.service import Registration
from bot.store.staff import staff_of
from tests.desk.desk_fixtures import ADMIN, NOW, OFFICIAL, OPERATOR_A, OPERATOR_B, add_staff

STATE_OFFICIAL = Staff("tg:107", Role.OFFICIAL, "UTTARAKHAND")
_keys = itertools.count(1)


@pytest.fixture
async def setup(store):
    await add_staff(store, ADMIN, OFFICIAL, STATE_OFFICIAL, OPERATOR_A, OPERATOR_B)
    clock = [NOW]
    yield Dispatcher(Registration(store, clock=lambda: clock[0])), store, clock


async def say(dispatcher, user: str, inp: Input) -> list:
    out = await dispatcher.handle(user, inp, default_lang="en", update_key=f"r:{next(_keys)}")
    return out.replies


def test_places_are_read_as_india_post_writes_them() -> None:
    assert place("haridwar") == ("UTTARAKHAND", "HARIDWAR")
    assert place("Uttarakhand") == ("UTTARAKHAND", None)
    assert place("Atlantis") is None


def test_who_manages_whom() -> None:
    assert may_manage(OFFICIAL, OPERATOR_A) and not may_manage(OFFICIAL, OPERATOR_B)
    assert may_manage(STATE_OFFICIAL, OFFICIAL) and not may_manage(OFFICIAL, STATE_OFFICIAL)
    assert not may_manage(OFFICIAL, ADMIN) and not may_manage(OPERATOR_A, OPERATOR_A)
    assert may_manage(ADMIN, STATE_OFFICIAL)


async def test_an_official_invites_only_within_their_area(setup) -> None:
    dispatcher, store, _ = setup
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="invite", arg="operator CSC-DD-07 dehradun"))
    assert [r.text for r in out] == [translate("en", m.OUT_OF_SCOPE)]
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="invite", arg="operator CSC-HW-07"))
    assert out[0].deep_link.startswith("join_")  # their own district by default
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="invite", arg="official uttarakhand"))
    assert [r.text for r in out] == [translate("en", m.OUT_OF_SCOPE)]
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="invite", arg="official Atlantis"))
    assert [r.text for r in out] == [translate("en", m.UNKNOWN_PLACE, place="Atlantis")]


async def test_an_invitation_expires(setup) -> None:
    dispatcher, store, clock = setup
    link = (await say(dispatcher, ADMIN.user_id, Input(command="invite", arg="official haridwar")))[0].deep_link
    clock[0] += timedelta(days=8)
    out = await say(dispatcher, "tg:300", Input(command="start", arg=link))
    assert [r.text for r in out] == [translate("en", m.INVITE_INVALID)]
    assert await store.query(staff_of, "tg:300") is None


async def test_revoking_stays_within_the_area(setup) -> None:
    dispatcher, store, _ = setup
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="revoke", arg="102"))
    assert [r.text for r in out] == [translate("en", m.NOT_STAFF, user="102")]
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="staff"))
    assert "101" in out[0].text and "102" not in out[0].text
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="revoke", arg="101"))
    assert [r.text for r in out] == [translate("en", m.REVOKED, user="101")]
    assert await store.query(staff_of, OPERATOR_A.user_id) is None
    # the operator is a worker again: the desk's commands are unknown to them
    out = await say(dispatcher, OPERATOR_A.user_id, Input(command="queue"))
    assert translate("en", fm.UNKNOWN_COMMAND) in [r.text for r in out]
