"""What the desk says: the card names the sector and the occupation as the
English e-Shram portal does and gives times in IST; a worker is told a
rejection or a send-back to them ("you"), never in the operator's words
about them; the desk's Hindi is the operators' Hinglish, one word for each
thing (the word choices of the December 2026 Hindi review)."""
from __future__ import annotations

import ast
import itertools
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import bot.desk.messages as m
from bot.desk.card import render
from bot.dispatch import Dispatcher
from bot.domain.models import Application, ReviewState
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate
from bot.messages import Input
from bot.service import Registration
from bot.staff_commands import Request
from bot.store.desk import AppRow
from bot.store.tally import Placement
from tests.desk.desk_fixtures import NOW, OPERATOR_A, add_staff, answers, submit

REFERENCE = "SS-TEST-2222"
WORK = {"sector": "construction", "occupation": "construction.labourer", "other_work": True,
        "secondary_sector": "agriculture", "secondary_occupation": "agriculture.farm_labourer"}
_keys = itertools.count(1)


def card(lang: str, work: dict, submitted_at: datetime = NOW, lease_until: datetime | None = None) -> str:
    """The card of an application with ``work`` among its answers, as operator A (who holds it) reads it."""
    req = Request(store=None, user_id=OPERATOR_A.user_id, lang=lang, staff=OPERATOR_A, now=NOW)  # type: ignore[arg-type]
    app = Application(reference=REFERENCE, user_id="tg:1", lang="hi", answers=answers() | work,
                      submitted_at=submitted_at)
    lease = (lease_until or NOW + timedelta(minutes=30)).isoformat()
    row = AppRow(REFERENCE, "tg:1", ReviewState.IN_REVIEW, "hi", None, False, OPERATOR_A.user_id, lease, None,
                 Placement("UTTARAKHAND", "HARIDWAR"))
    return render(req, app, row).text


def line_of(text: str, label_msgid: str, lang: str) -> tuple[int, str]:
    """The place and value of the last line of the card with this label
    ("Other work" labels both the yes/no and the other work itself)."""
    label = translate(lang, label_msgid) + ": "
    n, line = [(n, line) for n, line in enumerate(text.split("\n")) if line.startswith(label)][-1]
    return n, line[len(label):]


# -- the card ---------------------------------------------------------------------

def test_the_card_names_sector_and_occupation_as_the_portal_does_beside_the_hindi() -> None:
    text = card("hi", WORK)
    sector_at, sector = line_of(text, STEP_BY_KEY["sector"].label, "hi")
    work_at, work = line_of(text, STEP_BY_KEY["occupation"].label, "hi")
    hindi = translate("hi", "Construction")
    assert sector in (f"{hindi} (Construction)", f"{hindi} — Construction")  # a dash after brackets of its own
    assert work == "निर्माण मज़दूर (Construction labourer)"
    assert sector_at < work_at  # the portal asks the sector first
    other_sector_at, other_sector = line_of(text, STEP_BY_KEY["secondary_sector"].label, "hi")
    other_at, other = line_of(text, STEP_BY_KEY["secondary_occupation"].label, "hi")
    assert other_sector.endswith("Agriculture") or other_sector.endswith("(Agriculture)")
    assert other == f"{translate('hi', 'Farm labourer')} (Farm labourer)"
    assert other_sector_at < other_at


def test_a_name_with_brackets_of_its_own_gets_the_english_after_a_dash() -> None:
    text = card("hi", {"sector": "domestic", "occupation": "domestic.domestic_worker"})
    work = line_of(text, STEP_BY_KEY["occupation"].label, "hi")[1]
    assert work == f"{translate('hi', 'Domestic worker (house help)')} — Domestic worker (house help)"


def test_the_sector_comes_first_whatever_order_the_worker_is_asked_in(monkeypatch) -> None:
    from bot.desk import card as card_module
    steps = list(card_module.STEPS)
    sector = steps.pop(steps.index(STEP_BY_KEY["sector"]))
    steps.insert(steps.index(STEP_BY_KEY["occupation"]) + 1, sector)  # as if the sector were asked after the work
    monkeypatch.setattr(card_module, "STEPS", tuple(steps))
    text = card("hi", WORK)
    assert line_of(text, STEP_BY_KEY["sector"].label, "hi")[0] < line_of(text, STEP_BY_KEY["occupation"].label, "hi")[0]


def test_other_work_in_a_sector_is_named_by_its_sector_only() -> None:
    text = card("hi", {"sector": "construction", "occupation": "construction.other"})
    work = line_of(text, STEP_BY_KEY["occupation"].label, "hi")[1]
    assert work == translate("hi", "Other work in this sector")
    assert "Construction" in line_of(text, STEP_BY_KEY["sector"].label, "hi")[1]


def test_an_operator_reading_english_sees_each_name_once() -> None:
    text = card("en", WORK)
    assert line_of(text, STEP_BY_KEY["occupation"].label, "en")[1] == "Construction labourer"
    assert line_of(text, STEP_BY_KEY["sector"].label, "en")[1] == "Construction"
    assert "(Construction" not in text


def test_only_the_work_is_named_twice() -> None:
    text = card("hi", WORK)
    assert "(Male)" not in text and "(OBC)" not in text and "(General)" not in text
    assert line_of(text, STEP_BY_KEY["gender"].label, "hi")[1] == translate("hi", "Male")


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_card_dates_and_times_are_indian_time(lang: str) -> None:
    # 20:00 UTC is 01:30 the next day in India
    submitted = datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc)
    text = card(lang, WORK, submitted_at=submitted, lease_until=datetime(2026, 11, 23, 20, 45, tzinfo=timezone.utc))
    assert translate(lang, m.SUBMITTED_ON, date="24/11/2026", time="01:30") in text
    assert translate(lang, m.HELD_BY_YOU, time="02:15") in text
    assert "02:15 IST" in text and "01:30 IST" in text
    assert "Indian time" not in text and "भारतीय समय" not in text


def test_the_english_card_says_reserved_until_ist() -> None:
    assert "It is reserved for you until 15:30 IST." in card("en", WORK, lease_until=NOW)


def test_the_card_still_says_what_the_csc_completes() -> None:
    text = card("hi", {**WORK, "ifsc": None})
    fields = translate("hi", STEP_BY_KEY["ifsc"].label)
    assert translate("hi", m.TO_COMPLETE, fields=fields) in text


# -- what the worker is told ----------------------------------------------------------

#: the operator's words about the worker, which the worker must never read
ABOUT_THE_WORKER = {"hi": re.compile(r"श्रमिक|कामगार (ई-श्रम|का|की)|कारण:"),
                    "en": re.compile(r"\bthe worker\b|\bReason:", re.IGNORECASE)}
TO_THEM = {"hi": re.compile(r"आप"), "en": re.compile(r"\byou(r)?\b", re.IGNORECASE)}


async def claimed(store, lang: str) -> tuple[Dispatcher, str]:
    """A worker reading ``lang`` has submitted; operator A holds the application."""
    await add_staff(store, OPERATOR_A)
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    ref = await submit(store, "tg:5151", lang=lang)
    await say(dispatcher, Input(command="card", arg=ref))
    return dispatcher, ref


async def say(dispatcher: Dispatcher, inp: Input) -> list[str]:
    """What the worker is told after operator A's ``inp``."""
    out = await dispatcher.handle(OPERATOR_A.user_id, inp, default_lang="en", update_key=f"w:{next(_keys)}")
    return [r.text for n in out.notices for r in n.replies]


async def reject(store, lang: str, reason: str, note: str | None) -> str:
    dispatcher, ref = await claimed(store, lang)
    await say(dispatcher, Input(button=f"card:reject:{ref}"))
    await say(dispatcher, Input(button=f"card:reason:{ref}:{reason}"))
    told = await say(dispatcher, Input(text=note) if note else Input(button=f"card:nonote:{ref}"))
    assert len(told) == 1
    return told[0]


@pytest.mark.parametrize("lang", ["hi", "en"])
@pytest.mark.parametrize("reason", sorted(m.WORKER_REASONS))
async def test_each_reason_reaches_the_worker_said_to_them(store, lang: str, reason: str) -> None:
    told = await reject(store, lang, reason, None)
    why = translate(lang, m.WORKER_REASONS[reason])
    assert why in told and TO_THEM[lang].search(why)
    assert translate(lang, m.REASONS[reason]) not in told  # the operator's button, about the worker
    assert not ABOUT_THE_WORKER[lang].search(told)
    assert translate(lang, m.WORKER_REJECTED_HELP) not in told  # the reason says what to do next


@pytest.mark.parametrize("lang", ["hi", "en"])
async def test_another_reason_without_a_note_has_no_reason_line(store, lang: str) -> None:
    told = await reject(store, lang, "other", None)
    ref = re.search(r"SS-[0-9A-Z]{4}-[0-9A-Z]{4}", told)
    assert ref is not None
    assert told.split("\n\n") == [translate(lang, m.WORKER_REJECTED, reference=ref.group(0)),
                                  translate(lang, m.WORKER_REJECTED_HELP)]
    assert translate(lang, m.REASON_OTHER) not in told and not ABOUT_THE_WORKER[lang].search(told)


@pytest.mark.parametrize("lang", ["hi", "en"])
async def test_another_reason_with_a_note_shows_the_note_instead(store, lang: str) -> None:
    told = await reject(store, lang, "other", "Please come to the CSC on Monday")
    assert translate(lang, m.WORKER_REJECTED_NOTE, note="Please come to the CSC on Monday") in told
    assert translate(lang, m.REASON_OTHER) not in told and not ABOUT_THE_WORKER[lang].search(told)


@pytest.mark.parametrize("lang", ["hi", "en"])
async def test_a_send_back_tells_the_worker_what_to_correct_said_to_them(store, lang: str) -> None:
    dispatcher, ref = await claimed(store, lang)
    await say(dispatcher, Input(button=f"card:back:{ref}"))
    await say(dispatcher, Input(button=f"card:fix:{ref}:name"))
    await say(dispatcher, Input(button=f"card:fixdone:{ref}"))
    told = await say(dispatcher, Input(text="Write the name as on the Aadhaar card"))
    assert TO_THEM[lang].search(told[0]) and not ABOUT_THE_WORKER[lang].search(told[0])
    assert translate(lang, STEP_BY_KEY["name"].label) in told[0]
    assert "Write the name as on the Aadhaar card" in told[0]


# -- the desk's Hindi ----------------------------------------------------------------------

def desk_msgids() -> list[str]:
    """Every message of the desk (its N_ strings)."""
    tree = ast.parse(Path(m.__file__).read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "N_"]


#: words the review replaced (-> what the desk says now)
REPLACED = {"बनावटी": "सैंपल", "नमूना": "सैंपल", "नमूने": "सैंपल", "अभ्यास": "प्रैक्टिस",
            "संदर्भ संख्या": "रेफ़रेंस नंबर", "स्वीकृत": "Approve / मंज़ूर", "स्वीकार": "Approve / मंज़ूर",
            "कतार": "क्यू", "व्यवस्थापक": "एडमिन", "आमंत्रण": "इनवाइट लिंक", "भूमिका": "रोल",
            "टिप्पणी": "नोट", "ब्योरा": "हिस्ट्री", "पंजीकरण": "रजिस्ट्रेशन", "श्रमिक": "कामगार",
            "लौटा": "वापस भेजें", "गलत": "ग़लत", "खत्म": "ख़त्म", "खुद": "ख़ुद"}


def test_no_desk_hindi_uses_a_word_the_review_replaced() -> None:
    found = {(msgid, word) for msgid in desk_msgids() for word in REPLACED if word in translate("hi", msgid)}
    assert not found, "\n".join(f"{word!r} -> {REPLACED[word]!r} in {msgid!r}" for msgid, word in sorted(found))


def test_every_desk_message_is_in_hindi() -> None:
    untranslated = [msgid for msgid in desk_msgids()
                    if translate("hi", msgid) == msgid and re.search("[A-Za-z]", re.sub(r"{\w+}", "", msgid))]
    assert untranslated == []


def test_the_decisions_are_the_operators_words() -> None:
    assert translate("hi", m.APPROVE) == "✅ Approve करें"
    assert translate("hi", m.REJECT) == "❌ Reject करें"
    assert translate("hi", m.SEND_BACK) == "↩️ वापस भेजें (सुधार के लिए)"


def test_worker_and_operator_both_say_reference_number() -> None:
    for msgid in desk_msgids():
        if "reference" in msgid.replace("{reference}", ""):
            assert "रेफ़रेंस नंबर" in translate("hi", msgid), msgid
