"""What a worker reads: short messages, one word for each thing, every
refusal of a typed answer with an example of what to type, the form's
sections announced, pictures beside the words of some buttons, and a button
to start again after a stop.

The worker's messages are every message of the modules that speak to a
worker (``WORKER_MODULES``), read from the code the way the catalogues are
made (``bot.catalogues_tool``), in Hindi. The review is not among them: it
is put together from the answers, not one message of the catalogue.
"""
from __future__ import annotations

import ast
import inspect
import re
from datetime import datetime, timezone
from types import ModuleType

import pytest
from babel.messages.extract import extract_from_dir

from bot.catalogues_tool import BOT_DIR, METHOD_MAP
from bot.domain import occupations as occ
from bot.domain import validators
from bot.domain.models import Phase
from bot.flow import engine, form, steps
from bot.flow import messages as m
from bot.flow.steps import SECTION_INTROS, STEP_BY_KEY, STEPS, section_questions
from bot.i18n import translate
from bot.messages import Input
from tests.personas import RICKSHAW_DRIVER, TOO_OLD

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
#: the longest a message to a worker may be, in characters of its Hindi text
#: (the consent notice, the longest by design, is held to it too)
BUDGET = 350
#: the modules whose messages a worker reads (the CSC desk's and officials' are not)
WORKER_MODULES = ("flow/", "domain/eligibility.py", "domain/validators.py", "domain/catalogues.py",
                  "domain/occupations.py", "channels/telegram/texts.py", "jobs/reminders.py")


def worker_messages() -> list[str]:
    return sorted({msg for path, _, msg, _, _ in extract_from_dir(BOT_DIR, METHOD_MAP)
                   if path.replace("\\", "/").startswith(WORKER_MODULES)})


WORKER = worker_messages()
HINDI = {msgid: translate("hi", msgid) for msgid in WORKER}


def test_the_worker_messages_are_found() -> None:
    assert len(WORKER) > 300 and steps.STEP_BY_KEY["consent"].prompt in WORKER and m.SUBMITTED in WORKER


def test_no_worker_message_is_longer_than_the_budget() -> None:
    longest = max(HINDI.values(), key=len)
    assert len(longest) <= BUDGET, f"{len(longest)} characters: {longest}"
    greeting = engine.handle(None, Input(command="start"), engine.Context(now=NOW, user_id="w", default_lang="hi"))
    assert len(greeting.replies[0].text) <= BUDGET  # the first question, asked in every language


def test_the_consent_notice_is_short_and_can_be_read_out() -> None:
    notice = HINDI[STEP_BY_KEY["consent"].prompt]
    assert len(notice) <= BUDGET
    assert notice.startswith("इसे पढ़िए या किसी से पढ़वा लीजिए।")
    assert "वॉइस नोट" in notice and "CSC" in notice and "/delete" in notice


# -- every refusal of a typed answer says what to type ---------------------------------

def _called(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _message(node: ast.expr, module: ModuleType) -> list[str]:
    """The msgid an argument of ``Invalid(...)`` is: ``N_("...")``, a constant
    of the module, or one of another module it imported (``m.NO_NUMBER_HERE``)."""
    if isinstance(node, ast.Call) and _called(node.func) == "N_":
        return [ast.literal_eval(node.args[0])]
    if isinstance(node, ast.Name):
        value = getattr(module, node.id, None)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        value = getattr(getattr(module, node.value.id, None), node.attr, None)
    else:
        return [msg for child in ast.iter_child_nodes(node) for msg in _message(child, module)]
    return [value] if isinstance(value, str) and value in HINDI else []


def invalid_messages() -> set[str]:
    """Every message a validator or a step refuses a typed answer with:
    the arguments of each ``Invalid(...)`` and ``_wrong_number(...)``."""
    found: set[str] = set()
    for module in (validators, steps, form):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Call) and _called(node.func) in ("Invalid", "_wrong_number"):
                for arg in node.args:
                    found.update(_message(arg, module))
    return found


INVALID = sorted(invalid_messages())


def test_the_refusals_are_found() -> None:
    assert len(INVALID) >= 25 and validators.BIRTH_OR_AGE_FORMAT in INVALID and m.NO_NUMBER_HERE in INVALID


@pytest.mark.parametrize("msgid", INVALID)
def test_every_refusal_gives_an_example_of_what_to_type(msgid: str) -> None:
    assert "for example" in msgid, msgid
    assert "जैसे" in HINDI[msgid], HINDI[msgid]


# -- one word for each thing, one way to ask ------------------------------------------

#: the -ें imperatives a sentence does not use (a button's label may: "जमा करें")
SENTENCE_IMPERATIVES = "(?:चुनें|लिखें|भेजें|दबाएँ|दबाएं|बताएँ|देखें|कीजिये|लिखिये)(?![\u0900-\u097f])"
#: what the Hindi review asks not to write, and what to write instead
NOT_SAID = {
    "पंजीकरण": "रजिस्ट्रेशन", r"डेटा(?! एंट्री)": "जानकारी", "स्वीकार|स्वीकृत": "मंज़ूर",
    "कदम-दर-कदम": "एक-एक करके", "ताले में|एन्क्रिप्ट": "छुपाकर", "नामांकित": "नॉमिनी",
    "मैं कहाँ तक पहुँचा": "कितने सवाल बाक़ी", "के होने पर": "पूरे होने पर",
    # nukta words, spelled one way
    "गलत": "ग़लत", "आखिरी": "आख़िरी", "खत्म": "ख़त्म", "खुद(?![ार])": "ख़ुद", "तारीख(?!\u093c)": "तारीख़",
    "बाकी": "बाक़ी", "रकम": "रक़म", "कानून": "क़ानून", "जिल[ाे]": "ज़िला",
    # a sentence asks with -इए
    SENTENCE_IMPERATIVES: "-इए",
}


@pytest.mark.parametrize("pattern", NOT_SAID)
def test_one_word_for_each_thing(pattern: str) -> None:
    sentences = pattern == SENTENCE_IMPERATIVES
    said = [hi for hi in HINDI.values() if re.search(pattern, hi) and (not sentences or "।" in hi)]
    assert said == [], f"write {NOT_SAID[pattern]!r}: {said}"


def test_no_message_asks_for_a_buttons_number() -> None:
    """Telegram's buttons carry no numbers."""
    asking = re.compile(r"\bits number\b|number of the (button|choice|option)|button's number", re.I)
    assert [msgid for msgid in WORKER if asking.search(msgid)] == []
    assert [hi for hi in HINDI.values() if "बटन का नंबर" in hi or "उसका नंबर" in hi] == []


# -- the form's sections ---------------------------------------------------------------

def test_every_section_with_questions_is_announced() -> None:
    sections = {step.section for step in STEPS if step.counted and not step.derived}
    assert sections <= set(SECTION_INTROS)
    assert all("{count}" in intro for intro in SECTION_INTROS.values())


def _replies(persona=RICKSHAW_DRIVER) -> list[tuple[str | None, str]]:
    """(question asked, text) of every reply of ``persona``'s conversation, in Hindi."""
    said, draft = [], None
    ctx = engine.Context(now=NOW, user_id="words", default_lang=persona.lang)
    for line in persona.script:
        if not isinstance(line, str):
            continue
        out = engine.handle(draft, Input(command=line[1:]) if line.startswith("/") else Input(text=line), ctx)
        said += [(reply.question, reply.text) for reply in out.replies]
        draft = out.draft
    return said


def test_a_section_is_announced_once_with_its_questions_counted_from_the_step_list() -> None:
    said = _replies()
    texts = [text for _, text in said]
    bank = translate("hi", SECTION_INTROS[steps.BANK], count=section_questions(steps.BANK, {}))
    assert bank == "अब बैंक के 3 सवाल।" and texts.count(bank) == 1
    asked_in_bank = {q for q, _ in said if q in STEP_BY_KEY and STEP_BY_KEY[q].section == steps.BANK}
    assert len(asked_in_bank) == 3                      # account, account again, IFSC
    at = texts.index(bank)
    assert said[at + 1][0] == "bank_account"            # said just before the section's first question
    assert texts.count(translate("hi", m.READY)) == 1   # and what to keep at hand, before the first question
    assert said[texts.index(translate("hi", m.READY)) + 2][0] == "dob"
    # the Aadhaar asked again after a wrong number: its section is not announced again
    personal = translate("hi", SECTION_INTROS[steps.PERSONAL], count=9)
    assert texts.count(personal) == 1 and [q for q, _ in said].count("aadhaar") == 2


def test_bank_and_address_questions_carry_their_picture_beside_the_words() -> None:
    asked = {q: text for q, text in _replies() if q in STEP_BY_KEY}
    assert asked["bank_account"].startswith("🏦 ") and asked["ifsc"].startswith("🏦 ")
    assert asked["pin"].startswith("📍 ") and asked["address"].startswith("📍 ")
    assert not asked["name"].startswith(("🏦", "📍"))


# -- pictures beside the words on buttons ----------------------------------------------

def _at(question: str, lang: str = "hi"):
    draft, ctx = None, engine.Context(now=NOW, user_id="icons", default_lang=lang)
    for line in RICKSHAW_DRIVER.script[:RICKSHAW_DRIVER.index_of(question)]:
        if isinstance(line, str):
            draft = engine.handle(draft, Input(command=line[1:]) if line.startswith("/") else Input(text=line),
                                  ctx).draft
    assert draft is not None and draft.step == question
    return draft, ctx


@pytest.mark.parametrize("typed", ["❌ नहीं", "नहीं", "no"])
def test_yes_no_buttons_show_a_tick_and_a_cross_and_the_word_alone_still_answers(typed: str) -> None:
    draft, ctx = _at("epfo_esic")
    asked = engine.handle(draft, Input(command="help"), ctx).replies[-1]
    assert [c.label for c in asked.choices] == ["✅ हाँ", "❌ नहीं"]
    assert engine.handle(draft, Input(text=typed), ctx).draft.answers["epfo_esic"] is False


def test_the_common_work_shows_pictures_and_each_name_alone_picks_it() -> None:
    draft, ctx = _at("occupation")
    asked = engine.handle(draft, Input(command="help"), ctx).replies[-1]
    pictured = [c for c in asked.choices if c.id in occ.WORK_ICONS]
    assert len(pictured) == len(occ.WORK_ICONS) >= 10
    for choice in pictured:
        name = translate("hi", occ.OCCUPATION_BY_CODE[choice.id].label)
        assert choice.label == f"{occ.WORK_ICONS[choice.id]} {name}"
        out = engine.handle(draft, Input(text=name), ctx)
        assert out.draft.answers.get("occupation") == choice.id, name


# -- after a stop, a button to start again ---------------------------------------------

def _stopped(persona=TOO_OLD):
    draft, ctx = None, engine.Context(now=NOW, user_id="stopped", default_lang=persona.lang)
    out = None
    for line in persona.script[:persona.index_of("dob") + 1]:
        out = engine.handle(draft, Input(command=line[1:]) if line.startswith("/") else Input(text=line), ctx)
        draft = out.draft
    assert out is not None and draft is not None and draft.phase is Phase.INELIGIBLE
    return out, ctx


def test_a_stop_offers_a_button_to_start_again() -> None:
    out, ctx = _stopped()
    told = out.replies[-1]
    assert told.question == "ineligible" and [c.id for c in told.choices] == ["start"]
    assert told.choices[0].label == "🔄 " + translate("hi", m.START_OVER)
    assert "“" + translate("hi", m.START_OVER) + "”" in told.text    # the reason names the button
    again = engine.handle(out.draft, Input(text="hello"), ctx)
    assert again.draft.phase is Phase.INELIGIBLE and again.replies[-1].choices == told.choices


@pytest.mark.parametrize("pressed", [Input(button="ineligible:start"), Input(text="🔄 फिर से शुरू करें"),
                                     Input(text="फिर से शुरू करें"), Input(command="start")])
def test_the_button_or_start_begins_again_at_the_consent(pressed: Input) -> None:
    out, ctx = _stopped()
    after = engine.handle(out.draft, pressed, ctx)
    assert after.draft.phase is Phase.FORM and after.draft.step == "consent"
    assert after.draft.answers == {"language": "hi"}


def test_declining_the_consent_offers_the_button_too() -> None:
    ctx = engine.Context(now=NOW, user_id="declines", default_lang="hi")
    draft = engine.handle(None, Input(command="start"), ctx).draft
    draft = engine.handle(draft, Input(text="1"), ctx).draft
    out = engine.handle(draft, Input(text="❌ मैं सहमत नहीं हूँ"), ctx)
    assert out.draft.phase is Phase.DECLINED
    assert out.replies[-1].question == "declined" and out.replies[-1].choices[0].id == "start"
    assert engine.handle(out.draft, Input(button="declined:start"), ctx).draft.step == "consent"
