"""What the rest of the system knows about a question comes from its Step.

The engine is two tables (every phase has what it asks and what an answer
does; every command in the menu has a handler) and names no step. What an
answer holds (``bot.domain.sensitive``) is declared once on its step, and
every consumer reads it: a new question declared as holding an account
number is deleted from the chat, masked on the review, the card and the
export, and sealed at rest, with no other change; one declared as free text
refuses a personal number.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.telegram.texts import COMMANDS as MENU
from bot.domain.models import Phase
from bot.domain.sensitive import Holds, mask
from bot.flow import engine
from bot.flow.steps import STEP_BY_KEY, STEPS, step_holding, typed_holds
from bot.store import core
from bot.store.crypto import SEALED_ANSWERS, Keyring

ROOT = Path(__file__).resolve().parents[2]
#: the modules that run the form: none may name a step
ENGINE_MODULES = ("engine", "form", "phases", "commands", "matching", "voice")


def test_every_phase_has_what_it_asks_and_what_an_answer_does() -> None:
    assert set(engine.PHASES) == set(Phase)


def test_every_command_in_the_menu_has_a_handler() -> None:
    assert {name for name, _ in MENU} == set(engine.COMMANDS)


def _string_constants(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


@pytest.mark.parametrize("module", [f"flow/{name}" for name in ENGINE_MODULES] + ["desk/card"])
def test_the_engine_and_the_card_name_no_step(module: str) -> None:
    named = _string_constants(ROOT / "bot" / f"{module}.py") & set(STEP_BY_KEY)
    assert named - set(engine.COMMANDS) == set()   # /language is a command as well as a step


def test_masks_keep_the_last_four_digits() -> None:
    assert mask(Holds.AADHAAR, "234123412346") == "XXXX XXXX 2346"
    assert mask(Holds.ACCOUNT, "12345678901") == "XXXXXXX8901"
    assert mask(Holds.MOBILE, "9876501234") == "XXXXXX1234"


def test_the_store_seals_what_the_steps_declare() -> None:
    """The one step holding the Aadhaar is the answer the store keeps in its
    vault; every answer whose step holds a sealed kind is encrypted in
    place; every other answer is kept as it is."""
    answers = {step.key: f"{i:012d}" for i, step in enumerate(STEPS, 1)}
    stored = core.seal(Keyring(bytes(32)), "tg:1", answers, "token")
    for step in STEPS:
        if step.holds is Holds.AADHAAR:
            assert stored[step.key] == {"vault": "token"}
        elif step.holds is not None and step.holds.sealed:
            assert set(stored[step.key]) == {"enc"}, step.key
        else:
            assert stored[step.key] == answers[step.key], step.key
    assert set(SEALED_ANSWERS) == {"mobile", "bank_account"}      # as before the declarations
    assert step_holding(Holds.AADHAAR).key == "aadhaar"


def test_a_number_typed_again_to_check_it_is_as_secret_as_the_first() -> None:
    confirming = [step for step in STEPS if step.confirms]
    assert confirming, "the form checks the account number by asking it twice"
    for step in confirming:
        assert typed_holds(step) is STEP_BY_KEY[step.confirms].holds and typed_holds(step).secret
        assert step.key not in SEALED_ANSWERS      # its answer is only True


#: run in a fresh interpreter: two questions are added to the form before
#: anything that reads it is imported, then a worker registers
NEW_QUESTIONS = r'''
import asyncio, json, sqlite3, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.domain import validators as v
from bot.domain.sensitive import Holds
from bot.flow import steps
from bot.flow.steps import BANK, Kind, Step

ACCOUNT, REMARK = "3012345678931", "call me on 98765 01234"
steps.STEPS = steps.STEPS + (
    Step("pension_account", BANK, "Pension account number", "What is your pension account number?",
         "Your pension is paid into it.", parse=lambda text, today, answers: v.parse_account(text),
         holds=Holds.ACCOUNT),
    Step("remarks", BANK, "Remarks", "Anything else the CSC should know?", "Optional.",
         parse=lambda text, today, answers: v.clean(text), holds=Holds.FREE_TEXT),
)
steps.STEP_BY_KEY.update({step.key: step for step in steps.STEPS[-2:]})

from bot.desk import card
from bot.messages import Input
from bot.reports import export
from bot.service import Registration
from bot.staff_commands import Request
from bot.store.crypto import SEALED_ANSWERS, Keyring
from bot.store.sqlite import SQLiteStore

TYPED = {"dob": "03/04/1985", "mobile": "9876501234", "aadhaar": sys.argv[2], "name": "Lakshmi Devi",
         "father_name": "Ramaiah", "pin": "560034", "address": "12, 4th Cross, Koramangala",
         "experience": "10", "bank_account": "50100234567891", "bank_account_confirm": "50100234567891",
         "ifsc": "HDFC0000123", "nominee_name": "Ramesh", "nominee_dob": "12/12/1980",
         "migrant_years": "3", "pension_account": ACCOUNT}


async def main(folder: Path) -> dict:
    seen: dict = {"sealed": list(SEALED_ANSWERS)}
    store = SQLiteStore(folder / "form.db", Keyring(bytes(32)))
    await store.migrate()
    now = [datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)]
    registration = Registration(store, clock=lambda: now[0], reference=lambda: "SS-2345-6789")
    out = await registration.handle("tg:1", Input(command="start"), default_lang="en")
    remarks = [REMARK, "nothing more"]
    for _ in range(80):
        reply = out.replies[-1]
        question = reply.question
        if question == "review":
            seen["review"] = reply.text
            inp = Input(button="review:submit")
        elif question == "remarks":
            inp = Input(text=remarks.pop(0))
        elif question in TYPED:
            inp = Input(text=TYPED[question])
        elif question == "language":
            inp = Input(button="language:en")
        else:                                   # yes/no: no; any other choice: the first
            ids = [c.id for c in reply.choices]
            inp = Input(button=f"{question}:{'no' if 'no' in ids else ids[0]}")
        now[0] += timedelta(seconds=30)
        out = await registration.handle("tg:1", inp, default_lang="en")
        if question in ("pension_account", "remarks"):
            seen.setdefault(question, []).append(
                {"secret": out.secret_input, "said": [r.text for r in out.replies[:-1]]})
        if question == "review":
            break
    app = await store.application_for_user("tg:1")
    seen["application"] = app.answers.get("pension_account"), app.answers.get("remarks")
    req = Request(store=store, user_id="tg:9", lang="en", staff=None, now=now[0])
    seen["card"] = card.answer_lines(req, app.answers, app.meta)
    export.ANSWER_COLUMNS += ("pension_account", "remarks")
    export.COLUMNS += ("pension_account", "remarks")
    content, _ = await export.export_csv(store, app.answers["state"], app.answers["district"])
    seen["export"] = content.decode("utf-8-sig").splitlines()
    await store.close()
    rows = sqlite3.connect(folder / "form.db").execute("SELECT data FROM applications").fetchall()
    seen["stored"] = json.loads(rows[0][0]).get("pension_account")
    seen["in_clear_on_disk"] = any(ACCOUNT.encode() in path.read_bytes() for path in folder.iterdir())
    return seen

print(json.dumps(asyncio.run(main(Path(sys.argv[1])))))
'''


@pytest.fixture(scope="module")
def with_new_questions(tmp_path_factory) -> dict:
    from tests.store.test_store import valid_aadhaar
    folder = tmp_path_factory.mktemp("new_questions")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", NEW_QUESTIONS, str(folder), valid_aadhaar(7_000_001)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_a_new_account_number_question_is_secret_everywhere(with_new_questions) -> None:
    seen = with_new_questions
    masked = "XXXXXXXXX8931"
    assert seen["pension_account"] == [{"secret": True, "said": [f"Account number {masked} noted."]}]
    assert "Pension account number: " + masked in seen["review"]
    assert "Pension account number: " + masked in seen["card"]
    header, row = seen["export"][0].split(","), seen["export"][1].split(",")
    assert row[header.index("pension_account")] == masked
    assert "pension_account" in seen["sealed"] and set(seen["stored"]) == {"enc"}
    assert seen["application"][0] == "3012345678931"       # opened again when read
    assert not seen["in_clear_on_disk"]


def test_a_new_free_text_question_refuses_a_personal_number(with_new_questions) -> None:
    seen = with_new_questions
    first, second = seen["remarks"]
    assert first["said"] == ["Please do not write a phone, Aadhaar or bank account number here. "
                             "Type only what the question asks, for example a name: Ram Kumar."] \
        and not first["secret"]
    assert second["said"] == [] and seen["application"][1] == "nothing more"
    assert "Remarks: nothing more" in seen["card"] and "remarks" not in seen["sealed"]


def test_the_short_review_shows_every_answer_of_the_summary_but_those_left_out() -> None:
    """A new question must be placed on the worker's review, or left out on purpose."""
    from bot.flow.steps import REVIEW_BARE, REVIEW_LEFT_OUT, REVIEW_LINES, STEPS
    placed = [key for _, keys in REVIEW_LINES for key in keys]
    summary = {step.key for step in STEPS if step.in_summary}
    assert len(placed) == len(set(placed)) and set(placed) <= set(STEP_BY_KEY)
    assert summary - REVIEW_LEFT_OUT == set(placed) and not REVIEW_LEFT_OUT & set(placed)
    assert REVIEW_BARE <= set(placed)
