"""Assisted registration and practice mode through the dispatcher."""
from __future__ import annotations

import itertools

import pytest

from bot.desk import messages as m
from bot.dispatch import Dispatcher
from bot.domain.models import ReviewState
from bot.messages import Input
from bot.i18n import translate
from bot.service import Registration
from bot.store import desk
from bot.store.audit import trail
from tests.desk.desk_fixtures import NOW, OPERATOR_A, OPERATOR_A2, add_staff
from tests.desk.desk_golden import REGISTRATION

_keys = itertools.count(1)


@pytest.fixture
async def setup(store):
    await add_staff(store, OPERATOR_A)
    yield Dispatcher(Registration(store, clock=lambda: NOW)), store


async def say(dispatcher, inp: Input, user: str = OPERATOR_A.user_id):
    return await dispatcher.handle(user, inp, default_lang="hi", update_key=f"k:{next(_keys)}")


async def test_an_operator_registers_a_walk_in_worker_for_another_to_verify(setup) -> None:
    dispatcher, store = setup
    out = await say(dispatcher, Input(command="assist"))
    assert out.replies[0].text.startswith(translate("hi", m.ASSIST_INTRO))
    out = await say(dispatcher, Input(button="assist:agree"))
    walkin = (await store.query(desk.session, OPERATOR_A.user_id))["assist"]
    # the rickshaw driver's answers after language and consent
    for line in REGISTRATION[3:]:
        out = await say(dispatcher, Input(text=line) if not line.startswith("/") else Input(command=line[1:]))
    app = await store.application_for_user(walkin)
    assert out.replies[0].text == translate("hi", m.ASSIST_DONE, reference=app.reference)
    assert out.replies[0].qr_reference == app.reference  # for the worker to keep
    row = await store.query(desk.app_row, app.reference)
    assert row.state is ReviewState.SUBMITTED and row.registered_by == OPERATOR_A.user_id
    assert app.meta["assisted_by"] == OPERATOR_A.user_id and app.meta["consent_read_out"] is True
    assert await store.query(desk.session, OPERATOR_A.user_id) == {}
    steps = [(r.action, r.actor) for r in await store.query(trail, app.reference)]
    # the consent row carries the reference now; every row names the operator, never the walk-in
    assert steps == [("assist_consent", OPERATOR_A.user_id), ("submit", OPERATOR_A.user_id)]
    # the operator's own registration was never touched
    assert await store.load_draft(OPERATOR_A.user_id) is None


async def test_assisting_can_be_stopped_and_erases_the_walk_in(setup) -> None:
    dispatcher, store = setup
    await say(dispatcher, Input(command="assist"))
    await say(dispatcher, Input(button="assist:agree"))
    walkin = (await store.query(desk.session, OPERATOR_A.user_id))["assist"]
    await say(dispatcher, Input(text="15/08/1988"))
    assert (await store.load_draft(walkin)).answers["dob"] == "1988-08-15"
    out = await say(dispatcher, Input(command="assist"))
    assert out.replies[0].text == translate("hi", m.ASSIST_BUSY)
    out = await say(dispatcher, Input(button="assist:stop"))
    assert out.replies[0].text == translate("hi", m.ASSIST_STOPPED)
    assert await store.load_draft(walkin) is None


async def test_practice_never_touches_applications_counts_or_audit(setup) -> None:
    dispatcher, store = setup
    out = await say(dispatcher, Input(command="practice"))
    assert "PRACTICE-1" in out.replies[0].text and "XXXX XXXX 7058" in out.replies[0].text
    await say(dispatcher, Input(button="practice:approve"))
    out = await say(dispatcher, Input(text="12345"))
    assert out.replies[0].text == translate("hi", m.BAD_UAN)
    out = await say(dispatcher, Input(text="100200300400"))
    assert translate("hi", m.PRACTICE_RIGHT) in out.replies[0].text
    out = await say(dispatcher, Input(button="practice:next"))
    assert "PRACTICE-2" in out.replies[0].text
    await say(dispatcher, Input(button="practice:reject"))
    out = await say(dispatcher, Input(button="practice:reason:documents"))
    assert translate("hi", m.PRACTICE_WRONG) in out.replies[0].text
    counts = await store.query(desk.queue_counts, OPERATOR_A, NOW)
    assert counts == desk.QueueCounts(0, 0, 0, 0)
    assert await store.query(_count, "applications") == 0 and await store.query(_count, "audit") == 0


def _count(table: str):
    from bot.store.sql import one
    row = yield one(f"SELECT COUNT(*) AS n FROM {table}")
    return row["n"]


async def test_the_console_presses_a_desk_button_by_its_number(setup) -> None:
    import io

    from bot.channels.console import run_console
    dispatcher, store = setup
    out = io.StringIO()
    await run_console(dispatcher, OPERATOR_A.user_id, stdin=io.StringIO("/practice\n1\n100200300400\n"),
                      stdout=out)
    shown = out.getvalue()
    assert translate("hi", m.ASK_UAN, reference="PRACTICE-1") in shown
    assert translate("hi", m.PRACTICE_RIGHT) in shown


async def test_a_walk_in_sent_back_is_corrected_at_the_csc_that_registered_it(setup) -> None:
    dispatcher, store = setup
    await add_staff(store, OPERATOR_A2)
    await say(dispatcher, Input(command="assist"))
    await say(dispatcher, Input(button="assist:agree"))
    walkin = (await store.query(desk.session, OPERATOR_A.user_id))["assist"]
    for line in REGISTRATION[3:]:
        await say(dispatcher, Input(text=line))
    ref = (await store.application_for_user(walkin)).reference
    # another operator (another CSC of the district) checks it and sends it back
    checker = OPERATOR_A2.user_id
    await say(dispatcher, Input(button="queue:next"), user=checker)
    await say(dispatcher, Input(button=f"card:back:{ref}"), user=checker)
    await say(dispatcher, Input(button=f"card:fix:{ref}:name"), user=checker)
    await say(dispatcher, Input(button=f"card:fixdone:{ref}"), user=checker)
    out = await say(dispatcher, Input(text="नाम अधूरा है"), user=checker)
    assert out.notices == []  # the walk-in has no chat: the CSC that registered them corrects it
    assert out.replies[-1].text == translate("hi", m.WALKIN_ELSEWHERE, reference=ref, csc="CSC-HW-01")
    assert "assist" not in await store.query(desk.session, checker)
    # the registering operator takes it up by the reference and corrects it with the worker
    out = await say(dispatcher, Input(command="card", arg=ref))
    assert out.replies[0].text == translate("hi", m.ASSIST_CORRECT, reference=ref)
    out = await say(dispatcher, Input(button="assist:stop"))  # leave for now
    assert out.replies[0].text == translate("hi", m.ASSIST_LEFT, reference=ref)
    assert (await store.query(desk.app_row, ref)).state is ReviewState.HAS_ISSUES
    await say(dispatcher, Input(command="card", arg=ref))
    await say(dispatcher, Input(text="राम कुमार सैनी"))
    out = await say(dispatcher, Input(text="1"))  # submit from the review
    assert out.replies[0].text == translate("hi", m.ASSIST_DONE, reference=ref)
    row = await store.query(desk.app_row, ref)
    assert row.state is ReviewState.SUBMITTED and row.edited
    assert (await store.application_for_user(walkin)).answers["name"] == "राम कुमार सैनी"
    assert [r.actor for r in await store.query(trail, ref) if r.action == "resubmit"] == [OPERATOR_A.user_id]
