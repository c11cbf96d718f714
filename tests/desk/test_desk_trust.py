"""Trust on the desk: every staff action checks the actor's role and area
when it runs, nobody decides their own work, and the audit names who acted.

Each test here reproduces a hole a security review found (through the
dispatcher, on both backends) and shows it closed: invitations of revoked
or moved staff, a walk-in's application taken over by another CSC, an
operator approving what they registered, an admin demoted by a link,
personal numbers typed into comments, a moved operator still deciding.
"""
from __future__ import annotations

import itertools

import pytest

from bot.desk import messages as m
from bot.desk.roles import INVITE_PREFIX
from bot.dispatch import Dispatcher
from bot.domain.models import ReviewState
from bot.domain.roles import Role, Staff
from bot.messages import Input
from bot.i18n import translate
from bot.service import Registration
from bot.store import desk
from bot.store.audit import trail
from bot.store.staff import grant, staff_of
from tests.desk.desk_fixtures import (ADMIN, NOW, OFFICIAL, OPERATOR_A, OPERATOR_A2, OPERATOR_B, add_staff)
from tests.desk.desk_golden import REGISTRATION, as_input

SETTINGS_ADMIN = "tg:900"           # named in SHRAM_ADMINS, not in the staff table
OPERATOR_A_SAME_CSC = Staff("tg:105", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-01")
WORKER = "tg:424242"
_keys = itertools.count(1)


@pytest.fixture
async def setup(store):
    await add_staff(store, ADMIN, OFFICIAL, OPERATOR_A, OPERATOR_A2, OPERATOR_B, OPERATOR_A_SAME_CSC)
    yield Dispatcher(Registration(store, clock=lambda: NOW), admins=frozenset({SETTINGS_ADMIN})), store


async def say(dispatcher, user: str, inp: Input):
    return await dispatcher.handle(user, inp, default_lang="en", update_key=f"t:{next(_keys)}")


def texts(out) -> list[str]:
    return [r.text for r in out.replies]


def en(msgid: str, **params) -> str:
    return translate("en", msgid, **params)


async def invite(dispatcher, who: str, arg: str) -> str:
    out = await say(dispatcher, who, Input(command="invite", arg=arg))
    return out.replies[0].deep_link


async def worker_submits(dispatcher, store) -> str:
    """A worker registers on their own (the rickshaw driver): the reference."""
    for line in REGISTRATION:
        await dispatcher.handle(WORKER, as_input(line), default_lang="hi")
    return (await store.application_for_user(WORKER)).reference


async def start_walkin(dispatcher, store, operator: str = OPERATOR_A.user_id) -> str:
    """The operator reads out the notice, the walk-in agrees: the walk-in's user id."""
    await say(dispatcher, operator, Input(command="assist"))
    await say(dispatcher, operator, Input(button="assist:agree"))
    return (await store.query(desk.session, operator))["assist"]


async def register_walkin(dispatcher, store, operator: str = OPERATOR_A.user_id) -> tuple[str, str]:
    walkin = await start_walkin(dispatcher, store, operator)
    for line in REGISTRATION[3:]:
        await say(dispatcher, operator, as_input(line))
    return walkin, (await store.application_for_user(walkin)).reference


async def send_back(dispatcher, operator: str, ref: str, comment: str = "name is incomplete"):
    await say(dispatcher, operator, Input(button=f"card:back:{ref}"))
    await say(dispatcher, operator, Input(button=f"card:fix:{ref}:name"))
    await say(dispatcher, operator, Input(button=f"card:fixdone:{ref}"))
    return await say(dispatcher, operator, Input(text=comment))


# -- H1: invitations live only as long as their creator's power to give them -------

async def test_a_revoked_officials_invitation_no_longer_works(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    out = await say(dispatcher, ADMIN.user_id, Input(command="revoke", arg="103"))
    assert texts(out) == [en(m.REVOKED, user="103")]
    assert await store.query(desk.open_invites, NOW) == []  # revoking cancelled it
    out = await say(dispatcher, "tg:301", Input(command="start", arg=link))
    assert texts(out) == [en(m.INVITE_INVALID)]
    assert await store.query(staff_of, "tg:301") is None


async def test_an_invitation_stops_working_when_its_creator_moves_out_of_its_area(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    await store.transact(grant, Staff(OFFICIAL.user_id, Role.OFFICIAL, "UTTARAKHAND", "DEHRADUN"), None, NOW)
    out = await say(dispatcher, "tg:302", Input(command="start", arg=link))
    assert texts(out) == [en(m.INVITE_INVALID)]
    assert await store.query(staff_of, "tg:302") is None
    assert "invite_void" in [r["action"] for r in await store.query(_audit_actions)]


async def test_an_invitation_of_an_admin_named_in_the_settings_works(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, SETTINGS_ADMIN, "official haridwar")
    out = await say(dispatcher, "tg:303", Input(command="start", arg=link))
    assert texts(out)[0].startswith(en(m.WELCOME_STAFF, role=en(m.ROLE_OFFICIAL), scope="x")[:8])
    assert (await store.query(staff_of, "tg:303")).role is Role.OFFICIAL


async def test_nobody_uses_an_invitation_they_made(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="start", arg=link))
    assert texts(out) == [en(m.INVITE_OWN)]
    assert (await store.query(staff_of, OFFICIAL.user_id)) == OFFICIAL


async def test_invites_lists_open_invitations_in_the_area_and_cancels_one(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    await invite(dispatcher, ADMIN.user_id, "operator CSC-DD-09 dehradun")  # outside the official's area
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="invites"))
    assert "CSC-HW-09" in out.replies[0].text and "CSC-DD-09" not in out.replies[0].text
    [cancel] = out.replies[0].choices
    out = await say(dispatcher, OFFICIAL.user_id, Input(button=f"invites:{cancel.id}"))
    assert texts(out)[0].startswith(en(m.INVITE_CANCELLED, role="")[:10])
    out = await say(dispatcher, "tg:304", Input(command="start", arg=link))
    assert texts(out) == [en(m.INVITE_INVALID)]
    assert "invite_cancel" in [r["action"] for r in await store.query(_audit_actions)]
    # an official cannot cancel an invitation outside their area by guessing its button
    out = await say(dispatcher, ADMIN.user_id, Input(command="invites"))
    [other] = out.replies[0].choices
    out = await say(dispatcher, OFFICIAL.user_id, Input(button=f"invites:{other.id}"))
    assert texts(out) == [en(m.INVITE_GONE)]
    assert len(await store.query(desk.open_invites, NOW)) == 1


async def test_open_invitations_per_creator_are_capped(setup) -> None:
    dispatcher, store = setup
    for n in range(desk.MAX_OPEN_INVITES):
        assert (await invite(dispatcher, OFFICIAL.user_id, f"operator CSC-HW-{n:02d}")).startswith(INVITE_PREFIX)
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="invite", arg="operator CSC-HW-99"))
    assert texts(out) == [en(m.TOO_MANY_INVITES, limit=desk.MAX_OPEN_INVITES)]
    assert out.replies[0].deep_link is None


async def test_invite_refuses_a_csc_code_that_is_not_one(setup) -> None:
    dispatcher, store = setup
    for code in ("=HYPERLINK(1)", "+CSC", "@x", "-1"):
        out = await say(dispatcher, OFFICIAL.user_id, Input(command="invite", arg=f"operator {code} haridwar"))
        assert texts(out) == [en(m.BAD_CSC, value=code)]
    assert await store.query(desk.open_invites, NOW) == []


def _audit_actions():
    from bot.store.sql import all_rows
    return (yield all_rows("SELECT action, actor, reference, detail FROM audit ORDER BY id"))


# -- M5: opening an invitation never silently changes a role ----------------------

async def test_an_admin_named_in_the_settings_is_never_demoted_by_a_link(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    out = await say(dispatcher, SETTINGS_ADMIN, Input(command="start", arg=link))
    assert texts(out) == [en(m.INVITE_ADMIN_KEEPS)]
    assert await store.query(staff_of, SETTINGS_ADMIN) is None
    out = await say(dispatcher, SETTINGS_ADMIN, Input(command="staff"))  # still an admin
    assert "101" in out.replies[0].text
    assert len(await store.query(desk.open_invites, NOW)) == 1  # the link still works for its person


async def test_a_staff_user_is_asked_before_a_link_changes_their_role(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    out = await say(dispatcher, ADMIN.user_id, Input(command="start", arg=link))
    yes, no = (c.id for c in out.replies[0].choices)
    assert out.replies[0].question == "join" and yes.startswith("yes:") and no.startswith("no:")
    assert await store.query(staff_of, ADMIN.user_id) == ADMIN
    out = await say(dispatcher, ADMIN.user_id, Input(button=f"join:{no}"))
    assert texts(out) == [en(m.ROLE_KEPT)]
    assert await store.query(staff_of, ADMIN.user_id) == ADMIN
    # an operator who does want the change says yes; what they held goes back to the queue
    asked = await say(dispatcher, OPERATOR_A2.user_id, Input(command="start", arg=link))
    out = await say(dispatcher, OPERATOR_A2.user_id, Input(button=f"join:{asked.replies[0].choices[0].id}"))
    assert (await store.query(staff_of, OPERATOR_A2.user_id)).csc == "CSC-HW-09"
    assert out.menu  # the new role's commands


async def test_the_creator_is_told_who_used_their_invitation(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    out = await say(dispatcher, "tg:305", Input(command="start", arg=link))
    [notice] = out.notices
    assert notice.user_id == OFFICIAL.user_id and "305" in notice.replies[0].text


# -- H2: a walk-in's application stays with the CSC that registered it --------------

async def test_another_csc_cannot_take_over_a_walk_ins_application(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    await say(dispatcher, OPERATOR_A2.user_id, Input(button="queue:next"))
    await send_back(dispatcher, OPERATOR_A2.user_id, ref)
    # operator A2 of another CSC in the district types the reference: the card, not assist mode
    out = await say(dispatcher, OPERATOR_A2.user_id, Input(text=ref))
    assert texts(out)[-1] == en(m.WALKIN_ELSEWHERE, reference=ref, csc="CSC-HW-01")
    assert "assist" not in await store.query(desk.session, OPERATOR_A2.user_id)
    # even with assist mode forced into their session, their answers are refused
    await store.transact(desk.save_session, OPERATOR_A2.user_id, {"assist": walkin}, NOW)
    out = await say(dispatcher, OPERATOR_A2.user_id, Input(text="Mohan Lal"))
    assert texts(out) == [en(m.ASSIST_NOT_YOURS, csc="CSC-HW-01")]
    assert (await store.load_draft(walkin)).answers.get("name") != "Mohan Lal"
    # another operator of the same CSC may correct it, and the trail names them
    out = await say(dispatcher, OPERATOR_A_SAME_CSC.user_id, Input(text=ref))
    assert texts(out)[0] == en(m.ASSIST_CORRECT, reference=ref)


async def test_delete_is_refused_while_assisting(setup) -> None:
    dispatcher, store = setup
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    await say(dispatcher, OPERATOR_A.user_id, Input(text="15/08/1988"))
    out = await say(dispatcher, OPERATOR_A.user_id, Input(command="delete"))
    assert texts(out) == [en(m.ASSIST_NO_DELETE)]
    assert (await store.load_draft(walkin)).answers["dob"] == "1988-08-15"


async def test_the_operator_who_registered_a_walk_in_cannot_decide_it(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    out = await say(dispatcher, OPERATOR_A.user_id, Input(button="queue:next"))
    assert texts(out) == [en(m.QUEUE_EMPTY, district="Haridwar")]  # the queue never gives it to them
    assert (await store.query(desk.queue_counts, OPERATOR_A, NOW)).waiting == 0
    assert (await store.query(desk.queue_counts, OPERATOR_A2, NOW)).waiting == 1
    out = await say(dispatcher, OPERATOR_A.user_id, Input(text=ref))
    card = out.replies[-1]
    assert card.choices == [] and en(m.YOU_REGISTERED) in card.text  # read only, says who registered it
    assert (await store.query(desk.app_row, ref)).state is ReviewState.SUBMITTED
    # even holding its lease (say, from before this rule), the decision is refused in the store
    await store.transact(_hold, ref, OPERATOR_A.user_id)
    assert await store.transact(desk.approve, OPERATOR_A.user_id, ref, "100200300400", NOW) is None
    # another operator approves it; the card told them who registered it
    out = await say(dispatcher, OPERATOR_A2.user_id, Input(text=ref))
    assert "tg:" not in out.replies[-1].text and "101" in out.replies[-1].text
    await store.transact(desk.release, OPERATOR_A.user_id, ref, NOW)


def _hold(ref: str, operator: str):
    from bot.store.sql import run
    yield run("UPDATE applications SET state = 'in_review', lease_holder = ?, lease_until = ? WHERE reference = ?",
              operator, "2999-01-01T00:00:00+00:00", ref)


async def test_an_official_verifies_a_walk_in_the_districts_operator_registered(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="card", arg=ref))
    assert [c.id for c in out.replies[-1].choices][0] == f"approve:{ref}"
    await say(dispatcher, OFFICIAL.user_id, Input(button=f"card:approve:{ref}"))
    out = await say(dispatcher, OFFICIAL.user_id, Input(text="100200300400"))
    assert texts(out) == [en(m.APPROVED, reference=ref, uan="100200300400")]
    actions = [(r.action, r.actor) for r in await store.query(trail, ref)]
    assert ("approve", OFFICIAL.user_id) in actions and all(not a.startswith("walkin:") for _, a in actions)


async def test_an_official_gives_a_walk_in_to_another_csc_to_correct(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    await say(dispatcher, OPERATOR_A2.user_id, Input(button="queue:next"))
    await send_back(dispatcher, OPERATOR_A2.user_id, ref)
    out = await say(dispatcher, OPERATOR_A.user_id, Input(command="reassign", arg=f"{ref} CSC-HW-02"))
    assert texts(out) == [en(m.NOT_FOR_YOU)]
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="reassign", arg=f"{ref} CSC-HW-02"))
    assert texts(out) == [en(m.REASSIGNED, reference=ref, csc="CSC-HW-02")]
    out = await say(dispatcher, OPERATOR_A2.user_id, Input(text=ref))
    assert texts(out)[0] == en(m.ASSIST_CORRECT, reference=ref)
    out = await say(dispatcher, OPERATOR_A.user_id, Input(text=ref))
    assert texts(out)[-1] == en(m.WALKIN_ELSEWHERE, reference=ref, csc="CSC-HW-02")
    assert [r.actor for r in await store.query(trail, ref) if r.action == "reassign"] == [OFFICIAL.user_id]


# -- M2: no personal number in a comment or note -----------------------------------

@pytest.mark.parametrize("comment", ["aadhaar 2341 2341 2346 galat hai", "khata 5010.0234.5678 check karein",
                                     "call 98765\u00a043210", "आधार २३४१२३४१२३४६ गलत"])
async def test_comments_holding_personal_numbers_are_refused(setup, comment: str) -> None:
    dispatcher, store = setup
    ref = await worker_submits(dispatcher, store)
    await say(dispatcher, OPERATOR_A.user_id, Input(button="queue:next"))
    out = await send_back(dispatcher, OPERATOR_A.user_id, ref, comment)
    assert texts(out) == [en(m.NO_NUMBERS_IN_NOTES)] and out.notices == []
    assert (await store.query(desk.app_row, ref)).state is ReviewState.IN_REVIEW  # the question waits
    await say(dispatcher, OPERATOR_A.user_id, Input(button=f"card:reject:{ref}"))
    await say(dispatcher, OPERATOR_A.user_id, Input(button=f"card:reason:{ref}:documents"))
    out = await say(dispatcher, OPERATOR_A.user_id, Input(text=comment))
    assert texts(out) == [en(m.NO_NUMBERS_IN_NOTES)] and out.notices == []
    rows = await store.query(_audit_actions)
    assert not any(r["detail"] and any(ch.isdigit() for ch in r["detail"].replace(ref, "")) for r in rows)


# -- Low: a moved operator, a revoked user's menu ----------------------------------

async def test_an_operator_moved_to_another_district_loses_the_application_they_held(setup) -> None:
    dispatcher, store = setup
    ref = await worker_submits(dispatcher, store)
    await say(dispatcher, OPERATOR_A.user_id, Input(button="queue:next"))
    await store.transact(grant, Staff(OPERATOR_A.user_id, Role.OPERATOR, "UTTARAKHAND", "DEHRADUN", "CSC-DD-05"),
                         None, NOW)
    for button in (f"card:approve:{ref}", f"card:reveal:{ref}", f"card:back:{ref}", f"card:reject:{ref}"):
        out = await say(dispatcher, OPERATOR_A.user_id, Input(button=button))
        assert texts(out) == [en(m.NOT_HELD, reference=ref)], button
    assert "reveal_aadhaar" not in [r["action"] for r in await store.query(_audit_actions)]


async def test_a_revoked_user_gets_the_everyday_menu_back(setup) -> None:
    dispatcher, store = setup
    out = await say(dispatcher, OFFICIAL.user_id, Input(command="revoke", arg="101"))
    [notice] = out.notices
    assert notice.user_id == OPERATOR_A.user_id and notice.menu == []
    assert notice.replies[0].text == en(m.YOUR_ROLE_REMOVED)


async def test_every_audit_row_of_an_assisted_registration_names_the_operator(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    rows = await store.query(_audit_actions)
    assert {r["action"] for r in rows} >= {"assist_consent", "aadhaar_check", "submit"}
    assert {r["actor"] for r in rows} == {OPERATOR_A.user_id}
    assert [r["reference"] for r in rows if r["action"] == "assist_consent"] == [ref]


# -- found by a second review ----------------------------------------------------

async def test_nobody_who_registered_or_resubmitted_a_walk_in_decides_it(setup) -> None:
    dispatcher, store = setup
    corrector = OPERATOR_A_SAME_CSC.user_id
    walkin, ref = await register_walkin(dispatcher, store)
    await say(dispatcher, OPERATOR_A2.user_id, Input(button="queue:next"))
    await send_back(dispatcher, OPERATOR_A2.user_id, ref)
    await say(dispatcher, corrector, Input(text=ref))               # the same CSC corrects it
    await say(dispatcher, corrector, Input(text="Ram Kumar Saini"))
    await say(dispatcher, corrector, Input(text="1"))
    assert (await store.query(desk.app_row, ref)).state is ReviewState.SUBMITTED
    for them in (OPERATOR_A.user_id, corrector):                    # neither gets it back
        out = await say(dispatcher, them, Input(button="queue:next"))
        assert texts(out) == [en(m.QUEUE_EMPTY, district="Haridwar")], them
        out = await say(dispatcher, them, Input(text=ref))
        assert out.replies[-1].choices == [] and en(m.YOU_REGISTERED) in out.replies[-1].text
    row = await store.query(desk.app_row, ref)
    assert row.registered_by == OPERATOR_A.user_id                  # the registrar stays the first one
    await store.transact(_hold, ref, corrector)
    assert await store.transact(desk.approve, corrector, ref, "100200300400", NOW) is None


async def test_walk_ins_registered_before_the_four_eyes_rule_keep_their_registrar(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    # as an older version left it: no registrar column, the registrar holding it
    await store.transact(_before_the_rule, ref)
    await store.migrate()
    assert (await store.query(desk.app_row, ref)).registered_by == OPERATOR_A.user_id
    await store.transact(_hold, ref, OPERATOR_A.user_id)
    assert await store.transact(desk.approve, OPERATOR_A.user_id, ref, "100200300400", NOW) is None


def _before_the_rule(ref: str):
    from bot.store.sql import run
    yield run("ALTER TABLE applications DROP COLUMN registered_by")
    yield run("DELETE FROM schema_migrations WHERE version = 8")


async def test_a_shared_contact_in_assist_mode_is_the_operators_number_and_not_verified(setup) -> None:
    dispatcher, store = setup
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    for line in REGISTRATION[3:REGISTRATION.index("98765 43210")]:
        out = await say(dispatcher, OPERATOR_A.user_id, as_input(line))
    assert all(r.hint is None for r in out.replies)                 # no "share my number" for the operator
    await say(dispatcher, OPERATOR_A.user_id, Input(text="9999900101", kind="contact", own_contact=True))
    draft = await store.load_draft(walkin)
    assert draft.answers["mobile"] == "9999900101" and not draft.meta.get("mobile_verified")


async def test_a_walk_in_from_another_district_is_registered_to_the_end(setup) -> None:
    dispatcher, store = setup
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    for line in REGISTRATION[3:]:
        await say(dispatcher, OPERATOR_A.user_id, as_input("248001" if line == "२४९४०१" else line))
    app = await store.application_for_user(walkin)
    assert app is not None and app.answers["district"] == "DEHRADUN"


async def test_no_walk_in_registration_is_left_unreachable(setup) -> None:
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    await say(dispatcher, OPERATOR_A2.user_id, Input(button="queue:next"))
    await send_back(dispatcher, OPERATOR_A2.user_id, ref)
    second = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    await say(dispatcher, OPERATOR_A.user_id, Input(text="15/08/1988"))
    out = await say(dispatcher, OPERATOR_A.user_id, Input(command="card", arg=ref))  # the sent-back one waits
    assert texts(out) == [en(m.ASSIST_FINISH_FIRST, reference=ref)]
    assert (await store.query(desk.session, OPERATOR_A.user_id))["assist"] == second
    # the operator's role goes: the half-done walk-in goes with it, the submitted one stays
    await say(dispatcher, OFFICIAL.user_id, Input(command="revoke", arg="101"))
    assert await store.load_draft(second) is None
    assert await store.application_for_user(walkin) is not None
    assert "assist" not in await store.query(desk.session, OPERATOR_A.user_id)


async def test_reassigning_waits_for_the_walk_ins_turn(setup) -> None:
    import asyncio
    dispatcher, store = setup
    walkin, ref = await register_walkin(dispatcher, store)
    await say(dispatcher, OPERATOR_A2.user_id, Input(button="queue:next"))
    await send_back(dispatcher, OPERATOR_A2.user_id, ref)
    holding, done = asyncio.Event(), asyncio.Event()

    async def a_turn_of_the_walk_in() -> None:
        async with store.user_lock(walkin):
            holding.set()
            await done.wait()

    turn = asyncio.create_task(a_turn_of_the_walk_in())
    await holding.wait()
    moving = asyncio.create_task(say(dispatcher, OFFICIAL.user_id, Input(command="reassign", arg=f"{ref} CSC-HW-02")))
    await asyncio.wait({moving}, timeout=1.0)  # time enough to finish, were it not waiting for the turn
    waited = not moving.done()
    done.set()
    await turn
    assert waited
    await moving
    assert (await store.load_draft(walkin)).meta["assisted_csc"] == "CSC-HW-02"


async def test_the_buttons_of_a_role_change_answer_only_their_own_invitation(setup) -> None:
    dispatcher, store = setup
    first = await invite(dispatcher, ADMIN.user_id, "operator CSC-HW-09 haridwar")
    second = await invite(dispatcher, ADMIN.user_id, "operator CSC-DD-09 dehradun")
    asked = await say(dispatcher, OPERATOR_A2.user_id, Input(command="start", arg=first))
    await say(dispatcher, OPERATOR_A2.user_id, Input(command="start", arg=second))
    yes_to_first = asked.replies[0].choices[0].id
    out = await say(dispatcher, OPERATOR_A2.user_id, Input(button=f"join:{yes_to_first}"))
    assert texts(out) == [en(m.INVITE_GONE)]
    assert await store.query(staff_of, OPERATOR_A2.user_id) == OPERATOR_A2


async def test_a_change_of_role_cancels_the_invitations_left_open(setup) -> None:
    dispatcher, store = setup
    old = await invite(dispatcher, OFFICIAL.user_id, "operator CSC-HW-09")
    elsewhere = await invite(dispatcher, ADMIN.user_id, "official dehradun")
    await say(dispatcher, OFFICIAL.user_id, Input(command="start", arg=elsewhere))
    await say(dispatcher, OFFICIAL.user_id, Input(button=f"join:yes:{_invite_id(elsewhere)}"))
    assert (await store.query(staff_of, OFFICIAL.user_id)).district == "DEHRADUN"
    await store.transact(grant, OFFICIAL, None, NOW)                  # moved back
    out = await say(dispatcher, "tg:306", Input(command="start", arg=old))
    assert texts(out) == [en(m.INVITE_INVALID)]


def _invite_id(link: str) -> str:
    from bot.desk.roles import token_hash
    return token_hash(link.removeprefix(INVITE_PREFIX))[:desk.INVITE_ID_LENGTH]


async def test_revoking_names_who_put_the_held_applications_back(setup) -> None:
    dispatcher, store = setup
    ref = await worker_submits(dispatcher, store)
    await say(dispatcher, OPERATOR_A.user_id, Input(button="queue:next"))
    await say(dispatcher, OFFICIAL.user_id, Input(command="revoke", arg="101"))
    released = [(r.actor, r.detail) for r in await store.query(trail, ref) if r.action == "release"]
    assert released == [(OFFICIAL.user_id, {"holder": OPERATOR_A.user_id})]
    assert (await store.query(desk.app_row, ref)).state is ReviewState.SUBMITTED


async def test_an_admin_named_in_the_settings_is_an_admin_whatever_the_store_says(setup) -> None:
    dispatcher, store = setup
    await store.transact(grant, Staff(SETTINGS_ADMIN, Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-01"),
                         None, NOW)
    out = await say(dispatcher, SETTINGS_ADMIN, Input(command="staff"))
    assert "101" in out.replies[0].text


async def test_open_invitations_are_shown_a_page_at_a_time(setup) -> None:
    from bot.desk.roles import INVITES_PER_PAGE
    dispatcher, store = setup
    for admin in range(3):                                            # 60 open invitations in the area
        await store.transact(grant, Staff(f"tg:95{admin}", Role.ADMIN), None, NOW)
        for n in range(desk.MAX_OPEN_INVITES):
            await invite(dispatcher, f"tg:95{admin}", f"operator CSC-{admin}-{n:02d} haridwar")
    out = await say(dispatcher, ADMIN.user_id, Input(command="invites"))
    first = out.replies[0]
    assert len(first.choices) == INVITES_PER_PAGE + 1 and first.choices[-1].id == "page:2"
    out = await say(dispatcher, ADMIN.user_id, Input(button="invites:page:6"))
    last = out.replies[0]
    assert "60." in last.text and [c.id for c in last.choices][-1] == "page:5"
    assert all(len(c.id) + len("invites:") <= 64 for c in first.choices + last.choices)


# -- found by a third review --------------------------------------------------------

async def test_whoever_took_up_a_walk_ins_corrections_does_not_decide_it(setup) -> None:
    dispatcher, store = setup
    editor = OPERATOR_A_SAME_CSC.user_id
    walkin, ref = await register_walkin(dispatcher, store)
    await say(dispatcher, OPERATOR_A2.user_id, Input(button="queue:next"))
    await send_back(dispatcher, OPERATOR_A2.user_id, ref)
    await say(dispatcher, editor, Input(text=ref))                  # changes the name, then stops
    await say(dispatcher, editor, Input(text="Ram Kumar Saini"))
    await say(dispatcher, editor, Input(button="assist:stop"))
    await say(dispatcher, OPERATOR_A.user_id, Input(command="card", arg=ref))   # the registrar submits it
    await say(dispatcher, OPERATOR_A.user_id, Input(text="1"))
    out = await say(dispatcher, editor, Input(button="queue:next"))
    assert texts(out) == [en(m.QUEUE_EMPTY, district="Haridwar")]
    assert ("correct", editor) in [(r.action, r.actor) for r in await store.query(trail, ref)]


async def test_a_revoke_during_a_walk_ins_turn_leaves_nothing_of_the_walk_in(setup) -> None:
    import asyncio
    dispatcher, store = setup
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    saving, go_on = asyncio.Event(), asyncio.Event()
    real_save = store.save_draft

    async def slow_save(draft, **kwargs):                           # the walk-in's turn, between load and save
        if draft.user_id == walkin:
            saving.set()
            await go_on.wait()
        return await real_save(draft, **kwargs)

    store.save_draft = slow_save
    try:
        turn = asyncio.create_task(say(dispatcher, OPERATOR_A.user_id, Input(text="15/08/1988")))
        await saving.wait()
        revoking = asyncio.create_task(say(dispatcher, OFFICIAL.user_id, Input(command="revoke", arg="101")))
        await asyncio.wait({revoking}, timeout=0.5)
        go_on.set()
        await turn
        await revoking
    finally:
        store.save_draft = real_save
    assert await store.load_draft(walkin) is None


async def test_a_refused_invitation_keeps_the_half_done_walk_in(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, ADMIN.user_id, "operator CSC-HW-09 haridwar")
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    await say(dispatcher, OPERATOR_A.user_id, Input(text="15/08/1988"))
    asked = await say(dispatcher, OPERATOR_A.user_id, Input(command="start", arg=link))
    out = await say(dispatcher, ADMIN.user_id, Input(command="invites"))
    await say(dispatcher, ADMIN.user_id, Input(button=f"invites:{out.replies[0].choices[0].id}"))  # cancelled
    out = await say(dispatcher, OPERATOR_A.user_id, Input(button=f"join:{asked.replies[0].choices[0].id}"))
    assert texts(out) == [en(m.INVITE_INVALID)]
    assert (await store.load_draft(walkin)).answers["dob"] == "1988-08-15"


async def test_an_operator_refused_at_a_walk_ins_turn_leaves_nothing_behind(setup) -> None:
    dispatcher, store = setup
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    await say(dispatcher, OPERATOR_A.user_id, Input(text="15/08/1988"))
    await store.transact(grant, Staff(OPERATOR_A.user_id, Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-05"),
                         None, NOW)                                   # moved to another CSC behind the desk's back
    out = await say(dispatcher, OPERATOR_A.user_id, Input(text="नहीं"))
    assert texts(out) == [en(m.ASSIST_NOT_YOURS, csc="CSC-HW-01")]
    assert await store.load_draft(walkin) is None
    assert "assist" not in await store.query(desk.session, OPERATOR_A.user_id)


# -- identifiers the desk makes never look like personal numbers ----------------------

async def test_the_ids_the_desk_makes_hold_no_digits(setup) -> None:
    import re
    dispatcher, store = setup
    link = await invite(dispatcher, ADMIN.user_id, "operator CSC-HW-09 haridwar")
    walkin = await start_walkin(dispatcher, store, OPERATOR_A.user_id)
    stored = [r["token_hash"] for r in await store.query(_rows, "SELECT token_hash FROM invites")]
    assert stored == [_invite_hash(link)] and not re.search(r"\d", stored[0])
    assert not re.search(r"\d", walkin.removeprefix("walkin:"))


async def test_an_invitation_made_before_its_hash_was_written_with_letters_still_works(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, ADMIN.user_id, "operator CSC-HW-09 haridwar")
    await store.transact(_as_hex, _invite_hash(link))                  # as an older version stored it
    await store.migrate()
    await say(dispatcher, "tg:306", Input(command="start", arg=link))
    assert (await store.query(staff_of, "tg:306")).csc == "CSC-HW-09"


async def test_a_role_change_asked_before_the_hash_was_written_with_letters_is_answered(setup) -> None:
    dispatcher, store = setup
    link = await invite(dispatcher, ADMIN.user_id, "operator CSC-HW-09 haridwar")
    asked = await say(dispatcher, OPERATOR_A2.user_id, Input(command="start", arg=link))
    hex_id = _hex(asked.replies[0].choices[0].id.removeprefix("yes:"))
    await store.transact(_as_hex, _invite_hash(link))
    await store.transact(desk.save_session, OPERATOR_A2.user_id, {"join": _hex(_invite_hash(link))}, NOW)
    await store.migrate()
    await say(dispatcher, OPERATOR_A2.user_id, Input(button=f"join:yes:{hex_id}"))   # the old message's button
    assert (await store.query(staff_of, OPERATOR_A2.user_id)).csc == "CSC-HW-09"


def _invite_hash(link: str) -> str:
    from bot.desk.roles import token_hash
    return token_hash(link.removeprefix(INVITE_PREFIX))


def _hex(letters: str) -> str:
    return letters.translate(str.maketrans("ghijklmnop", "0123456789"))


def _rows(sql: str):
    from bot.store.sql import all_rows
    return (yield all_rows(sql))


def _as_hex(hashed: str):
    from bot.store.sql import run
    yield run("UPDATE invites SET token_hash = ? WHERE token_hash = ?", _hex(hashed), hashed)
    yield run("DELETE FROM schema_migrations WHERE version = 9")
