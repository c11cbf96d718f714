"""The pseudo-locale (``tests/pseudo_locale.py``) through the real engine,
service, dispatcher and store: a worker registers from /start to
SUBMITTED, and a CSC operator claims the application from /queue and
approves it with a UAN, every message in the pseudo-locale. A text that
does not go through gettext would show up in plain English and fail."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone

from bot import i18n
from bot.dispatch import Dispatcher
from bot.domain.models import Phase, ReviewState
from bot.domain.roles import Role, Staff
from bot.messages import Input, Outcome
from bot.service import Registration
from bot.store import desk
from tests.desk.desk_fixtures import add_staff
from bot.flow import messages as fm
from bot.desk.card import portal_name
from bot.flow.steps import STEP_BY_KEY, STEPS
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.flow.pseudo_locale import (FILLER, PSEUDO, copy_locales, english_words, pseudo, pseudo_locale,  # noqa: F401
                                 use_locales, write_pseudo_locale)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
WORKER = "tg:5150"
OPERATOR = Staff("tg:5151", Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-07")
UAN = "100200300411"
#: typed answers, by step (none of them English words)
TYPED = {"dob": "15/08/1988", "mobile": "9812300456", "aadhaar": "2341 2341 2346", "name": "Ramu Kumar",
         "father_name": "Shyamu Lal", "pin": "249401", "address": "Makan 12, Gali 3, Jwalapur",
         "migrant_years": "4", "experience": "7", "bank_account": "30012399456", "bank_account_confirm": "30012399456",
         "ifsc": "SBIN0001234", "nominee_name": "Sita Devi", "nominee_dob": "01/01/1992"}
#: buttons pressed, by question (any other question: its first choice)
PRESSED = {"consent": "agree", "epfo_esic": "no", "nps_govt": "no", "income_tax": "no", "disability": "no",
           "migrant": "no", "other_work": "no", "review": "submit"}


def test_pseudo_text_is_accented_longer_and_keeps_what_the_code_needs() -> None:
    text = "Hello {name}, send /status or see https://eshram.gov.in for day/month/year."
    shown = pseudo(text)
    assert shown.startswith("[") and shown.endswith(FILLER + "]")
    assert 1.25 * len(text) <= len(shown) <= 1.35 * len(text) + 3
    assert "{name}" in shown and "/status" in shown and "https://eshram.gov.in" in shown
    assert english_words(shown) == [] and english_words(text) != []
    assert shown.format(name="Ramu").count("Ramu") == 1


def test_the_pseudo_locale_is_offered_only_when_configured(pseudo_locale) -> None:
    assert i18n.languages() == (PSEUDO,) and i18n.default_language() == PSEUDO
    i18n.configure(None)
    assert PSEUDO in i18n.present() and PSEUDO not in i18n.languages()
    assert i18n.language_of_phone(PSEUDO) is None


def leaks(out: Outcome | None, english: tuple[str, ...] = ()) -> list[str]:
    """Every message of the outcome, replies and notices, their buttons too:
    what is still plain English, and messages with no pseudo-localised text.
    ``english``: English the bot shows on purpose (the portal's names on the desk's card)."""
    found = []
    replies = [] if out is None else [*out.replies, *(r for n in out.notices for r in n.replies)]
    for reply in replies:
        text = reply.text
        for typed in (*TYPED.values(), *english):  # the worker's own words are not the bot's
            text = text.replace(typed, " ")
        found += [f"{w!r} in {reply.text!r}" for w in english_words(text)]
        if FILLER + "]" not in reply.text:
            found.append(f"not translated: {reply.text!r}")
        found += [f"{w!r} in button {c.label!r}" for c in reply.choices for w in english_words(c.label)]
    return found


def answer(question: str | None, out: Outcome) -> Input:
    """What the worker sends to the question just asked: a typed answer, or a button."""
    if question in TYPED:
        return Input(text=TYPED[question])
    asked = next(r for r in reversed(out.replies) if r.question == question)
    picked = PRESSED.get(question, asked.choices[0].id)
    return Input(button=f"{question}:{picked}")


async def register_worker(dispatcher: Dispatcher, store) -> list[str]:
    """/start to SUBMITTED, each answer given to the question the bot asked; what leaked."""
    keys = itertools.count(1)
    out = await dispatcher.handle(WORKER, Input(command="start"), default_lang=PSEUDO, update_key="w:0")
    found = leaks(out)
    for _ in range(80):
        draft = await store.load_draft(WORKER)
        if draft.phase is Phase.SUBMITTED:
            return found
        question = draft.step if draft.phase is Phase.FORM else draft.phase.value
        out = await dispatcher.handle(WORKER, answer(question, out), default_lang=PSEUDO,
                                      update_key=f"w:{next(keys)}")
        found += leaks(out)
    raise AssertionError(f"no submission after 80 answers: stuck at {draft.phase} {draft.step}")


async def test_a_whole_registration_in_the_pseudo_locale(store, pseudo_locale) -> None:
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    found = await register_worker(dispatcher, store)
    app = await store.application_for_user(WORKER)
    assert app is not None and app.state is ReviewState.SUBMITTED
    assert app.answers["language"] == PSEUDO and app.answers["name"] == "Ramu Kumar"
    assert found == [], "\n".join(found)


async def test_the_desk_loop_in_the_pseudo_locale(store, pseudo_locale) -> None:
    await add_staff(store, OPERATOR)
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    assert await register_worker(dispatcher, store) == []
    app = await store.application_for_user(WORKER)
    ref = app.reference
    portal = tuple(name for step in STEPS if (name := portal_name(step, app.answers)))
    assert portal  # the card names the sector and the occupation as the English e-Shram portal does
    keys = itertools.count(1)

    async def act(user: str, inp: Input) -> Outcome | None:
        return await dispatcher.handle(user, inp, default_lang=PSEUDO, update_key=f"d:{next(keys)}")

    found = []
    for inp in (Input(command="queue"), Input(button="queue:next"), Input(button=f"card:approve:{ref}"),
                Input(text="12 34"), Input(text=UAN)):
        found += leaks(await act(OPERATOR.user_id, inp), portal)
    row = await store.query(desk.app_row, ref)
    assert row.state is ReviewState.APPROVED
    status = await act(WORKER, Input(command="status"))
    assert UAN in status.replies[-1].text
    found += leaks(status)
    assert found == [], "\n".join(found)


async def test_a_string_missing_from_the_pseudo_catalogue_is_caught(tmp_path, monkeypatch) -> None:
    """What the check catches: a text shown without its translation (as a
    hard-coded string would be) comes out in plain English."""
    left_out = {STEP_BY_KEY["gender"].prompt, fm.SUBMITTED}
    locales = copy_locales(tmp_path / "locales")
    write_pseudo_locale(locales, leave_out=frozenset(left_out))
    use_locales(locales, monkeypatch, [PSEUDO], default=PSEUDO)
    store = SQLiteStore(tmp_path / "caught.db", Keyring(bytes(32)))
    await store.migrate()
    try:
        found = await register_worker(Dispatcher(Registration(store, clock=lambda: NOW)), store)
    finally:
        await store.close()
    assert any("What is your gender?" in line for line in found)
    assert any("Your application is submitted" in line for line in found)


async def test_commands_and_odd_input_in_the_pseudo_locale(store, pseudo_locale) -> None:
    """Mid-form: every worker command, a sticker, a voice note, a stale button, a wrong answer."""
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    keys = itertools.count(1)
    found = []
    for inp in (Input(command="start"), Input(button=f"language:{PSEUDO}"), Input(button="consent:agree"),
                Input(text="31/02/1990"), Input(command="help"), Input(command="status"), Input(kind="sticker"),
                Input(kind="voice"), Input(button="gender:male"), Input(command="nonsense"), Input(command="language"),
                Input(command="cancel"), Input(text="hello"), Input(button="resume:continue"), Input(command="delete"),
                Input(button="confirm_delete:no"), Input(text="15/08/1988"), Input(text="maybe")):
        found += leaks(await dispatcher.handle(WORKER, inp, default_lang=PSEUDO, update_key=f"c:{next(keys)}"))
    assert found == [], "\n".join(found)
