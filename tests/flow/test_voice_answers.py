"""A voice note answers a question that asks for a name or an address
(``Step.voice``): kept to be typed at the CSC (``bot.flow.voice``), the
worker told so, the next question asked, the review showing it. Anywhere
else it gets a short answer and the question again. The note's file id
goes when the answer goes (typed again, starting over)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.models import Draft, Phase
from bot.domain.sensitive import Holds
from bot.flow import engine
from bot.flow import messages as m
from bot.flow import voice
from bot.flow.engine import Context
from bot.flow.steps import STEP_BY_KEY, STEPS, next_step
from bot.i18n import translate
from bot.messages import Input, Outcome
from bot.store.crypto import SEALED_ANSWERS
from tests.personas import (MIGRANT_TWO_ADDRESSES, MINOR_WITH_GUARDIAN, START, TAPPING_WORKER, Persona,
                            answer_until, input_of, pending)

FILE_ID = "AwACAgUAAxkBAAIBdGVvaWNlLW9mLXJhbQ"  # as Telegram writes a voice note's id
VOICE = Input(kind="voice", voice=FILE_ID)
VOICE_STEPS = ("guardian_name", "name", "father_name", "address", "home_address", "nominee_name")


class Phone:
    """One worker talking to the pure engine, on the fixed clock."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.draft: Draft | None = None

    @property
    def lang(self) -> str:
        return self.draft.lang if self.draft is not None and self.draft.lang else "hi"

    def send(self, inp: Input, later: timedelta = timedelta(0)) -> Outcome:
        out = engine.handle(self.draft, inp, Context(now=START + later, user_id="voice"))
        self.draft = out.draft
        return out

    async def walk_to(self, question: str) -> Phone:
        async def send(item) -> Outcome:
            return self.send(input_of(item))

        async def asked() -> str | None:
            return pending(self.draft)
        self.send(Input(command="start"))
        await answer_until(self.persona, question, asked, send)
        return self


def test_the_questions_that_take_a_voice_note_are_names_and_addresses() -> None:
    assert tuple(step.key for step in STEPS if step.voice) == VOICE_STEPS
    for key in VOICE_STEPS:  # typed by the operator as the worker would: free text, never a sealed number
        step = STEP_BY_KEY[key]
        assert step.holds is Holds.FREE_TEXT and step.parse is not None and key not in SEALED_ANSWERS


@pytest.mark.parametrize("persona, key", [
    (TAPPING_WORKER, "name"), (TAPPING_WORKER, "father_name"), (TAPPING_WORKER, "address"),
    (TAPPING_WORKER, "nominee_name"), (MIGRANT_TWO_ADDRESSES, "home_address"),
    (MINOR_WITH_GUARDIAN, "guardian_name")])
async def test_a_voice_note_answers_a_question_that_takes_one(persona: Persona, key: str) -> None:
    phone = await Phone(persona).walk_to(key)
    before = dict(phone.draft.answers)
    out = phone.send(VOICE)
    draft = out.draft
    assert draft.answers == before | {key: None}
    assert voice.file_id(draft.meta, key) == FILE_ID
    assert out.replies[0].text == translate(phone.lang, m.VOICE_RECEIVED)
    assert out.replies[-1].question == next_step(draft.answers).key != key   # the next question follows
    assert "None" not in out.replies[-1].text


async def test_a_name_said_by_voice_is_this_person_in_the_questions_that_name_it() -> None:
    phone = await Phone(TAPPING_WORKER).walk_to("nominee_name")
    out = phone.send(VOICE)
    this_person = translate("hi", m.NAMED_BY_VOICE)
    assert out.replies[-1].text == translate("hi", STEP_BY_KEY["nominee_relation"].prompt, nominee_name=this_person)
    out = phone.send(Input(text="1"))
    assert out.replies[-1].text.startswith(translate("hi", STEP_BY_KEY["nominee_dob"].prompt,
                                                     nominee_name=this_person))


@pytest.mark.parametrize("key", ["dob", "mobile", "aadhaar", "gender", "pin", "occupation", "experience",
                                 "bank_account", "nominee_dob"])
async def test_a_voice_note_at_another_question_gets_a_short_answer_and_the_question_again(key: str) -> None:
    phone = await Phone(TAPPING_WORKER).walk_to(key)
    before = phone.draft
    out = phone.send(VOICE)
    assert [r.text for r in out.replies[:-1]] == [translate("hi", m.NO_VOICE)]
    assert out.replies[-1].question == key and out.draft.answers == before.answers
    assert FILE_ID not in out.draft.model_dump_json()


async def test_a_voice_note_at_the_review_gets_the_short_answer_and_the_review_again() -> None:
    phone = await Phone(TAPPING_WORKER).walk_to("review")
    out = phone.send(VOICE)
    assert out.replies[0].text == translate("hi", m.NO_VOICE) and out.replies[-1].question == "review"
    assert FILE_ID not in out.draft.model_dump_json()


@pytest.mark.parametrize("inp", [Input(kind="voice"), Input(kind="audio"), Input(kind="video_note")])
async def test_a_sound_that_is_no_voice_note_is_not_an_answer(inp: Input) -> None:
    phone = await Phone(TAPPING_WORKER).walk_to("name")
    out = phone.send(inp)
    assert out.replies[0].text == translate("hi", m.NO_VOICE) and out.replies[-1].question == "name"
    assert "name" not in out.draft.answers


async def test_the_review_shows_the_answer_given_by_voice_and_a_new_answer_replaces_it() -> None:
    phone = await Phone(TAPPING_WORKER).walk_to("name")
    phone.send(VOICE)
    out = await answer_until(TAPPING_WORKER, "review", _asked(phone), _sender(phone))
    review = out.replies[-1]
    label = translate("hi", STEP_BY_KEY["name"].label)
    assert review.question == "review" and f"{label}: {translate('hi', m.BY_VOICE)}" in review.text

    phone.send(Input(button="review:edit"))
    asked = phone.send(Input(button="edit_pick:name")).replies[-1].text
    assert asked.endswith(translate("hi", m.CURRENT_ANSWER, value=translate("hi", m.BY_VOICE)))
    phone.send(Input(kind="voice", voice="second-note"))     # said again
    assert voice.file_id(phone.draft.meta, "name") == "second-note" and phone.draft.phase is Phase.REVIEW
    assert [k for k in phone.draft.meta if k.startswith(voice.PREFIX)] == ["voice:name"]

    phone.send(Input(button="review:edit"))
    phone.send(Input(button="edit_pick:name"))
    phone.send(Input(text="राम कुमार"))                      # typed after all: the note goes
    assert phone.draft.answers["name"] == "राम कुमार" and voice.file_id(phone.draft.meta, "name") is None
    assert phone.draft.phase is Phase.REVIEW


async def test_starting_over_drops_the_voice_note() -> None:
    phone = await Phone(TAPPING_WORKER).walk_to("name")
    phone.send(VOICE)
    assert voice.file_id(phone.draft.meta, "name") == FILE_ID
    resume = phone.send(Input(text="नमस्ते"), later=engine.RESUME_AFTER * 2)  # back after long: continue?
    assert resume.replies[-1].question == Phase.RESUME.value
    phone.send(Input(button="resume:restart"), later=engine.RESUME_AFTER * 2)
    assert "name" not in phone.draft.answers
    assert not [k for k in phone.draft.meta if k.startswith(voice.PREFIX)]


def _asked(phone: Phone):
    async def asked() -> str | None:
        return pending(phone.draft)
    return asked


def _sender(phone: Phone):
    async def send(item) -> Outcome:
        return phone.send(input_of(item))
    return send
