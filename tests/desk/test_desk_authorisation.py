"""Who may run what: every command and every button of ``STAFF_COMMANDS``
(iterated, so commands added later are covered too) for each role. A
refusal is polite and reveals nothing: a worker gets exactly what any
unknown command or old button gets; a staff user of another role gets the
same short refusal whatever the command; an application outside an
operator's or official's area looks exactly like one that does not exist."""
from __future__ import annotations

import itertools

import pytest

from bot.desk import messages as m
from bot.dispatch import Dispatcher, parse_admins
from bot.domain.roles import Role
from bot.flow import messages as fm
from bot.messages import Input
from bot.i18n import translate
from bot.service import Registration
from bot.store.staff import staff_of
from bot.staff_commands import STAFF_COMMANDS
from tests.desk.desk_fixtures import ADMIN, NOW, OFFICIAL, OPERATOR_A, OPERATOR_B, add_staff, submit

ROLES = {"worker": None, "operator A": OPERATOR_A, "operator B": OPERATOR_B, "official": OFFICIAL, "admin": ADMIN}
_keys = itertools.count(1)


@pytest.fixture
async def desk(store):
    await add_staff(store, OPERATOR_A, OPERATOR_B, OFFICIAL, ADMIN)
    yield Dispatcher(Registration(store, clock=lambda: NOW)), store


async def texts(dispatcher, user: str, inp: Input) -> list[str]:
    out = await dispatcher.handle(user, inp, default_lang="hi", update_key=f"auth:{next(_keys)}")
    return [r.text for r in out.replies] + [r.text for n in out.notices for r in n.replies]


def as_command(name: str) -> Input:
    return Input(command=name)


def as_button(name: str) -> Input:
    return Input(button=f"{name}:next")


@pytest.mark.parametrize("form", [as_command, as_button], ids=["command", "button"])
@pytest.mark.parametrize("role", list(ROLES))
async def test_every_staff_command_is_allowed_or_refused_by_role(desk, role: str, form) -> None:
    dispatcher, store = desk
    staff = ROLES[role]
    refusal = [translate("hi", m.NOT_FOR_YOU)]
    assert STAFF_COMMANDS, "the desk registers its commands"
    for n, (name, command) in enumerate(sorted(STAFF_COMMANDS.items())):
        if staff is None:
            # a worker: exactly what an unknown command / an old button gets, in the same situation
            said = await texts(dispatcher, f"tg:{7000 + n}", form(name))
            unknown = await texts(dispatcher, f"tg:{8000 + n}", form("nosuchthing"))
            assert said == unknown, name
            assert not any(translate("hi", m.NOT_FOR_YOU) in text for text in said)
            continue
        said = await texts(dispatcher, staff.user_id, form(name))
        if staff.role in command.roles:
            assert said and said != refusal, f"{role} may run {name}"
            assert translate("hi", fm.UNKNOWN_COMMAND) not in said
        else:
            assert said == refusal, f"{role} may not run {name}"
        await texts(dispatcher, staff.user_id, Input(command="cancel"))  # leave no question pending


async def test_an_application_outside_the_area_looks_like_none(desk) -> None:
    dispatcher, store = desk
    ref = await submit(store, "tg:9500")
    nowhere = "SS-2345-6789"
    for form in (lambda r: Input(command="card", arg=r), lambda r: Input(command="start", arg=r),
                 lambda r: Input(text=r)):
        outside = await texts(dispatcher, OPERATOR_B.user_id, form(ref))
        missing = await texts(dispatcher, OPERATOR_B.user_id, form(nowhere))
        assert outside == [translate("hi", m.NOT_FOUND, reference=ref)]
        assert missing == [translate("hi", m.NOT_FOUND, reference=nowhere)]
    # an official of another district cannot read its trail either
    await add_staff(store, OFFICIAL.__class__("tg:106", Role.OFFICIAL, "UTTARAKHAND", "DEHRADUN"))
    assert await texts(dispatcher, "tg:106", Input(command="trail", arg=ref)) == \
        [translate("hi", m.NOT_FOUND, reference=ref)]
    trail = await texts(dispatcher, OFFICIAL.user_id, Input(command="trail", arg=ref))
    assert trail[0].startswith(translate("hi", m.TRAIL_TITLE, reference=ref))  # in their area: it exists


async def test_a_worker_scanning_a_reference_learns_nothing(desk) -> None:
    dispatcher, store = desk
    ref = await submit(store, "tg:9600")
    with_ref = await texts(dispatcher, "tg:9601", Input(command="start", arg=ref))
    plain = await texts(dispatcher, "tg:9602", Input(command="start"))
    assert with_ref == plain and not any(ref in text for text in with_ref)


async def test_the_operator_in_the_area_opens_it_by_qr(desk) -> None:
    dispatcher, store = desk
    ref = await submit(store, "tg:9700")
    said = await texts(dispatcher, OPERATOR_A.user_id, Input(command="start", arg=ref))
    assert ref in said[0] and "XXXX XXXX" in said[0]


async def test_admins_from_the_setting(desk, tmp_path) -> None:
    _, store = desk
    assert parse_admins(" 123, 456 ;tg:7") == {"tg:123", "tg:456", "tg:7"}
    boss = Dispatcher(Registration(store, clock=lambda: NOW), admins=parse_admins("555"))
    said = await texts(boss, "tg:555", Input(command="staff"))
    assert said and said != [translate("hi", m.NOT_FOR_YOU)]
    assert await store.query(staff_of, "tg:555") is None  # the setting is the source, not the store
