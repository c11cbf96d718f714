"""Property tests: Aadhaar checksums, and hostile input at every step of the
form never raises, never loses an answer, and always asks the question again."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import verhoeff

from bot.domain import validators as v
from bot.domain.models import Draft, Phase
from bot.flow import engine, form
from bot.flow.engine import Context
from bot.messages import Input
from bot.flow.steps import STEP_BY_KEY
from tests.flow.golden import PERSONAS

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


# -- Aadhaar --------------------------------------------------------------------

@st.composite
def aadhaar_numbers(draw) -> str:
    first = draw(st.sampled_from("23456789"))
    body = first + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=10, max_size=10)))
    number = body + verhoeff.calc_check_digit(body)
    if number == number[::-1]:  # palindromes are not issued
        number = body[:-1] + ("1" if body[-1] != "1" else "2")
        number += verhoeff.calc_check_digit(number)
    return number


@given(aadhaar_numbers())
def test_valid_aadhaar_is_accepted(number: str) -> None:
    assert v.parse_aadhaar(number) == number
    assert v.parse_aadhaar(f"{number[:4]} {number[4:8]} {number[8:]}") == number


@given(aadhaar_numbers(), st.integers(0, 11), st.integers(1, 9))
def test_any_single_digit_change_is_rejected(number: str, position: int, shift: int) -> None:
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]
    with pytest.raises(v.Invalid):
        v.parse_aadhaar(changed)


# -- every step, hostile input -------------------------------------------------

def positions() -> list[Draft]:
    """A draft waiting at each step of the form (adult and minor paths), from
    the golden personas' answers, run through the pure engine."""
    drafts: dict[str, Draft] = {}
    for persona in PERSONAS:
        if persona.name not in ("rickshaw_driver_haridwar", "minor_with_guardian", "domestic_worker_edits",
                                "no_pin_no_ifsc", "migrant_two_addresses"):
            continue
        draft, ctx = None, Context(now=NOW, user_id="prop", default_lang=persona.lang)
        for line in persona.script:
            if not isinstance(line, str):
                continue
            if draft is not None and draft.phase is Phase.FORM and draft.step not in drafts:
                drafts[draft.step] = draft
            inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
            draft = engine.handle(draft, inp, ctx).draft
    return list(drafts.values())


POSITIONS = positions()
HOSTILE = st.one_of(
    st.text(),
    st.text(min_size=201, max_size=5000),
    st.text(alphabet=st.characters(categories=["So", "Cc", "Cf", "Zs", "Mn"]), max_size=50),
    st.sampled_from(["", " ", "\u200b", "\u202e123456789012", "😀" * 100, "x" * 4096, "ЁЁЁ",
                     "0", "-1", "99999999999999999999", "1/1/1", "31/02/2000", "हाँ नहीं", "%s {0} {name}"]),
)


def test_positions_cover_every_step() -> None:
    assert {d.step for d in POSITIONS} == {key for key, step in STEP_BY_KEY.items() if not step.derived}


@pytest.mark.parametrize("draft", POSITIONS, ids=lambda d: d.step)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE, lang=st.sampled_from(["hi", "en"]))
def test_hostile_text_never_raises_and_asks_again(draft: Draft, text: str, lang: str) -> None:
    draft = draft.model_copy(update={"lang": lang, "updated_at": NOW})
    step = draft.step
    out = engine.handle(draft, Input(text=text), Context(now=NOW + timedelta(seconds=5), user_id="prop"))
    new = out.draft
    assert out.replies, "the worker always hears back"
    kept = dict(draft.answers)
    if new.phase is Phase.FORM and new.step == step:
        assert out.replies[-1].question == step, "the same question is asked again"
        assert all(new.answers.get(k) == val for k, val in kept.items()), "nothing answered is lost"
    elif step == "bank_account_confirm" and new.step == "bank_account":  # mismatch: type both again
        assert out.replies[-1].question == "bank_account" and "bank_account" not in new.answers
    elif new.phase in (Phase.INELIGIBLE, Phase.DECLINED):  # a valid answer that ends the registration
        assert new.ineligible_reason and new.answers.keys() <= {"language", "age"}
    else:  # the text happened to be a valid answer (a name, an address...)
        assert new.answers.get(step) is not None or STEP_BY_KEY[step].optional
        assert all(k in new.answers for k in kept if k not in STEP_BY_KEY[step].resets)


@pytest.mark.parametrize("draft", POSITIONS, ids=lambda d: d.step)
@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "location", "document"])
def test_non_text_asks_again(draft: Draft, kind: str) -> None:
    out = engine.handle(draft, Input(kind=kind), Context(now=NOW, user_id="prop"))
    assert out.draft.answers == draft.answers
    assert out.replies[-1].question == draft.step


@pytest.mark.parametrize("draft", POSITIONS, ids=lambda d: d.step)
@given(button=st.text(max_size=80))
@settings(max_examples=20, deadline=None)
def test_stale_or_forged_buttons_ask_again(draft: Draft, button: str) -> None:
    out = engine.handle(draft, Input(button=button), Context(now=NOW, user_id="prop"))
    if out.draft.step == draft.step and out.draft.phase is Phase.FORM:
        assert out.replies[-1].question == draft.step
        assert out.draft.answers == draft.answers


@pytest.mark.parametrize("draft", POSITIONS, ids=lambda d: d.step)
@pytest.mark.parametrize("command", ["help", "status", "language", "start", "frobnicate"])
def test_commands_mid_question_keep_everything(draft: Draft, command: str) -> None:
    out = engine.handle(draft, Input(command=command), Context(now=NOW, user_id="prop"))
    changed = {"language"} if command == "language" else set()
    assert {k: a for k, a in out.draft.answers.items() if k not in changed} == \
        {k: a for k, a in draft.answers.items() if k not in changed}
    if command == "language":
        assert out.draft.lang != draft.lang
    if command != "start":
        assert out.replies[-1].question == draft.step


def test_a_number_typed_while_changing_a_typed_answer_is_the_answer() -> None:
    """Editing "years of experience" offers "keep the current answer" as
    choice 1; typing 1 still means one year."""
    draft = next(d for d in POSITIONS if d.step == "experience")
    draft = draft.model_copy(update={"editing": True,
                                     "answers": draft.answers | {"experience": 10, "bank_account": "1234567890",
                                                                 "bank_account_confirm": True}})
    out = engine.handle(draft, Input(text="1"), Context(now=NOW, user_id="prop"))
    assert out.draft.answers["experience"] == 1


@pytest.mark.parametrize("draft", POSITIONS, ids=lambda d: d.step)
@pytest.mark.parametrize("lang", ["hi", "en"])
def test_every_button_label_picks_its_choice(draft: Draft, lang: str) -> None:
    """A reply-keyboard button sends its label as text: every label of every
    question, in both languages, must pick exactly that choice."""
    draft = draft.model_copy(update={"lang": lang, "updated_at": NOW})
    asked = engine.handle(draft, Input(command="help"), Context(now=NOW, user_id="prop")).replies[-1]
    for choice in asked.choices:
        out = engine.handle(draft, Input(text=choice.label), Context(now=NOW, user_id="prop"))
        if choice.id in ("skip", "unknown"):
            assert draft.step in out.draft.answers and out.draft.answers[draft.step] is None
            continue
        if out.draft.meta.get(form.GUESS_FOR) == draft.step:  # a button that opens more ("Some other work")
            assert out.draft.meta[form.GUESS] == choice.id and draft.step not in out.draft.answers, choice.label
            continue
        assert out.draft.step != draft.step or out.draft.phase is not Phase.FORM, (lang, choice.label)
        value = out.draft.answers.get(draft.step)
        if out.draft.phase is Phase.FORM and draft.step in out.draft.answers:
            assert value == choice.id or value == (choice.id == "yes"), (lang, choice.label)
