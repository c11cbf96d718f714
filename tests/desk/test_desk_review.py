"""The review card's other paths: the worker sees the claim, a desk
question survives odd input and /cancel, a UAN already given, rejecting
with a reason and a note, putting an application back."""
from __future__ import annotations

import itertools

import pytest

from bot.desk import messages as m
from bot.desk.review import REASONS
from bot.dispatch import Dispatcher
from bot.domain.models import ReviewState
from bot.flow import messages as fm
from bot.messages import Input
from bot.i18n import translate
from bot.service import Registration
from bot.store import desk
from tests.desk.desk_fixtures import NOW, OPERATOR_A, add_staff, submit
from tests.desk.desk_golden import REGISTRATION, as_input

WORKER = "tg:424242"
_keys = itertools.count(1)


@pytest.fixture
async def setup(store):
    await add_staff(store, OPERATOR_A)
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    for line in REGISTRATION:
        await dispatcher.handle(WORKER, as_input(line), default_lang="hi")
    ref = (await store.application_for_user(WORKER)).reference
    yield dispatcher, store, ref


async def say(dispatcher, inp: Input, user: str = OPERATOR_A.user_id):
    out = await dispatcher.handle(user, inp, default_lang="en", update_key=f"v:{next(_keys)}")
    return [r.text for r in out.replies], [r.text for n in out.notices for r in n.replies]


async def test_the_worker_sees_the_claim_at_once(setup) -> None:
    dispatcher, store, ref = setup
    await say(dispatcher, Input(button="queue:next"))
    said, _ = await say(dispatcher, Input(command="status"), WORKER)
    assert said == [translate("hi", fm.STATUS_IN_REVIEW, reference=ref)]


async def test_a_desk_question_is_asked_again_after_odd_input_and_cancelled(setup) -> None:
    dispatcher, store, ref = setup
    await say(dispatcher, Input(button="queue:next"))
    await say(dispatcher, Input(button=f"card:approve:{ref}"))
    said, _ = await say(dispatcher, Input(kind="sticker"))
    assert said == [translate("en", fm.ONLY_TEXT), translate("en", m.ASK_UAN, reference=ref)]
    said, _ = await say(dispatcher, Input(command="help"))
    assert said[-1] == translate("en", m.ASK_UAN, reference=ref)
    said, _ = await say(dispatcher, Input(command="cancel"))
    assert said == [translate("en", m.CANCELLED)]
    assert (await store.query(desk.app_row, ref)).state is ReviewState.IN_REVIEW


async def test_a_uan_given_before_is_refused(setup) -> None:
    dispatcher, store, ref = setup
    other = await submit(store, "tg:9900")
    await say(dispatcher, Input(command="card", arg=other))
    await say(dispatcher, Input(button=f"card:approve:{other}"))
    await say(dispatcher, Input(text="111122223333"))
    await say(dispatcher, Input(button="queue:next"))
    await say(dispatcher, Input(button=f"card:approve:{ref}"))
    said, notices = await say(dispatcher, Input(text="1111 2222 3333"))
    assert said == [translate("en", m.UAN_TAKEN)] and notices == []
    said, notices = await say(dispatcher, Input(text="111122224444"))
    assert said[0] == translate("en", m.APPROVED, reference=ref, uan="111122224444")


async def test_reject_with_a_reason_and_a_note_tells_the_worker_in_their_language(setup) -> None:
    dispatcher, store, ref = setup
    await say(dispatcher, Input(button="queue:next"))
    said, _ = await say(dispatcher, Input(button=f"card:reject:{ref}"))
    assert said == [translate("en", m.PICK_REASON)]
    await say(dispatcher, Input(button=f"card:reason:{ref}:duplicate"))
    said, notices = await say(dispatcher, Input(text="UAN 1234 already exists"))
    assert said[0] == translate("en", m.REJECTED, reference=ref)
    assert translate("hi", m.WORKER_REASONS["duplicate"]) in notices[0]
    assert translate("hi", REASONS["duplicate"]) not in notices[0]  # the operator's words are not the worker's
    assert "UAN 1234 already exists" in notices[0]
    row = await store.query(desk.app_row, ref)
    assert row.state is ReviewState.REJECTED and row.lease_holder is None


async def test_put_back_in_the_queue_and_a_stale_card_button(setup) -> None:
    dispatcher, store, ref = setup
    await say(dispatcher, Input(button="queue:next"))
    said, _ = await say(dispatcher, Input(button=f"card:release:{ref}"))
    assert said == [translate("en", m.RELEASED, reference=ref)]
    said, _ = await say(dispatcher, Input(button=f"card:approve:{ref}"))
    assert said == [translate("en", m.NOT_HELD, reference=ref)]
    assert (await store.query(desk.app_row, ref)).state is ReviewState.SUBMITTED


async def test_staff_choose_their_desk_language(setup) -> None:
    dispatcher, store, ref = setup
    said, _ = await say(dispatcher, Input(command="language", arg="hi"))
    assert said == [translate("hi", fm.LANGUAGE_SET)]
    said, _ = await say(dispatcher, Input(command="queue"))
    assert said[0].startswith("हरिद्वार ")   # the district in Devanagari too
    assert await store.load_draft(OPERATOR_A.user_id) is None  # no registration was started for them


async def test_a_worker_erasing_their_application_is_on_the_trail(setup) -> None:
    dispatcher, store, ref = setup
    await dispatcher.handle(WORKER, Input(command="delete"), default_lang="hi")
    await dispatcher.handle(WORKER, Input(text="1"), default_lang="hi")
    assert await store.application_for_user(WORKER) is None
    from bot.store.audit import trail
    assert [r.action for r in await store.query(trail, ref)] == ["submit", "erase"]


async def test_staff_start_at_their_desk(setup) -> None:
    dispatcher, store, ref = setup
    said, _ = await say(dispatcher, Input(command="start"))
    assert said[0].startswith(translate("en", m.DESK_HELP_INTRO)) and "/queue" in said[0]
    assert await store.load_draft(OPERATOR_A.user_id) is None
