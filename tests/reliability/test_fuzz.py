"""Hostile and odd input through the whole Telegram layer (python-telegram-bot's
``process_update``, the service and an on-disk store, with the fake Bot API):
random text with control, right-to-left and zero-width characters, emoji,
Devanagari, 4,096-character messages, every command with random arguments,
photos, stickers, voice, contacts (own and someone else's), edited messages
and button presses with random data, at every step of the form, in Hindi and
English, and random sequences of them through the service.

Nothing escapes (no error reaches the error handler), the worker always hears
back in their language, the question is asked again, and nothing answered is
lost. ``pytest -s tests/reliability/test_fuzz.py`` prints how many inputs were tried;
FUZZ_EXAMPLES (default 300) sets the examples per property.
(``test_flow_properties`` covers the pure engine; this goes through the channel.)
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.channels.telegram import texts
from bot.channels.telegram.app import build_application, start_application
from bot.config import Settings
from bot.domain.models import Draft, Phase
from bot.flow import form
from bot.flow.engine import COMMANDS
from bot.messages import Input
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate
from bot.service import Registration
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.telegram.fake_bot_api import FakeBotAPI, Updates
from tests.flow.test_flow_properties import POSITIONS
from tests.workers import Worker

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
DEVANAGARI = re.compile("[\u0900-\u097f]")
TRIED: Counter[str] = Counter()

ODD_CHARACTERS = st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So", "Sk", "Co"])
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=ODD_CHARACTERS, max_size=80),
    st.text(alphabet=st.characters(min_codepoint=0x0900, max_codepoint=0x097F), max_size=120),  # Devanagari
    st.text(alphabet=st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u202e\u202d\u200f\u061c"
                                     "٠١٢٣४५६0123456789 "), max_size=60),                # zero-width, RTL, digits
    st.text(min_size=4000, max_size=4096),
    st.sampled_from(["x" * 4096, "९" * 4096, "😀" * 2048, "\x00", "\u202e234123412346", "2341\u200b2341\u200b2346",
                     "%s %d {name} {0} {{}}", "<b>bold</b>", "```", "/", "//", "/ start", "@ShramSahayakBot",
                     "\u0000\u0001\u0002", "ـــ", "👨‍👩‍👧‍👦", "🇮🇳", "\r\n\r\n", "\t", " ", ""]),
).filter(lambda text: len(text) <= 4096)
COMMAND = st.tuples(st.sampled_from([*COMMANDS, "frobnicate", "START", "start@ShramSahayakBot"]),
                    st.one_of(st.none(), st.text(max_size=80).map(lambda arg: arg.replace("\n", " "))))


@st.composite
def update_kinds(draw) -> tuple:
    """(kind, value): what a Telegram client can send."""
    kind = draw(st.sampled_from(["text", "text", "text", "command", "photo", "sticker", "voice", "location",
                                 "document", "contact", "edited", "press"]))
    if kind == "text":
        return kind, draw(TEXT)
    if kind == "command":
        return kind, draw(COMMAND)
    if kind == "contact":
        return kind, (draw(st.one_of(st.text(max_size=20), st.from_regex(r"\+?91?[6-9]\d{9}", fullmatch=True))),
                      draw(st.booleans()))
    if kind == "press":
        return kind, draw(st.one_of(st.text(max_size=64),
                                    st.sampled_from(["review:submit", "review:edit", "resume:continue",
                                                     "confirm_delete:yes", "edit_pick:name", ":", "x" * 64])))
    if kind in ("edited", "photo"):
        return kind, draw(TEXT)
    return kind, None


class Harness:
    """One bot (store, application, fake API) for a whole module, on its own loop."""

    def __init__(self, directory: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.dir = directory  # under pytest's temporary directory: the run's personal data scan reads it
        self.user_ids = itertools.count(10_000_000)
        self.errors: list[logging.LogRecord] = []
        self.loop.run_until_complete(self._open())

    async def _open(self) -> None:
        self.store = SQLiteStore(self.dir / "shram.db", Keyring(bytes(range(32))))
        await self.store.migrate()
        self.api = FakeBotAPI()
        self.registration = Registration(self.store)
        self.app = build_application(Settings(bot_token="123456:TEST", data_dir=self.dir, _env_file=None,
                                              max_messages_per_second=0),
                                     self.registration, request=self.api)
        await start_application(self.app)
        self.updates = Updates(self.app.bot)

    def close(self) -> None:
        async def shut() -> None:
            await self.app.shutdown()
            await self.store.close()
        self.loop.run_until_complete(shut())
        self.loop.close()

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def update(self, user: dict, kind: str, value) -> Update:
        u = self.updates
        if kind == "text":
            return u.text(user, value) if not value.startswith("/") else u.text(user, " " + value)
        if kind == "command":
            name, arg = value
            return u.text(user, f"/{name}" + (f" {arg}" if arg else ""))
        if kind == "contact":
            phone, own = value
            return u.contact(user, phone or "0", owner_id=user["id"] if own else user["id"] + 1)
        if kind == "press":
            return u.press(user, value)
        if kind == "edited":
            return u.edited(user, value or "x")
        if kind == "photo":
            return u.photo(user, caption=value or None)
        return getattr(u, kind)(user)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory):
    harness = Harness(tmp_path_factory.mktemp("fuzz"))
    handler = _ErrorCatcher(harness.errors)
    logging.getLogger().addHandler(handler)
    try:
        yield harness
    finally:
        logging.getLogger().removeHandler(handler)
        harness.close()
        print(f"\nfuzzing through the Telegram layer and the service: {sum(TRIED.values())} inputs tried "
              f"({', '.join(f'{kind} {n}' for kind, n in sorted(TRIED.items()))})")


class _ErrorCatcher(logging.Handler):
    def __init__(self, errors: list) -> None:
        super().__init__(logging.ERROR)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        self.errors.append(record)


def sent_since(api: FakeBotAPI, before: int, chat_id: int) -> list[str]:
    return [c.params.get("text") or c.params.get("caption") or "" for c in api.calls[before:]
            if c.method in ("sendMessage", "sendPhoto") and int(c.params.get("chat_id", 0)) == chat_id]


def asks(text: str, lang: str, step: str, draft: Draft | None = None) -> bool:
    """Whether ``text`` asks the question of ``step`` (its prompt, or its short
    form asked again, whatever their placeholders hold), or the question that
    stands in for its buttons ("did you mean ...?", "which of these?", a group)."""
    if draft is not None and draft.meta.get(form.GUESS_FOR) == step:
        return True
    prompts = [p for p in (STEP_BY_KEY[step].prompt, STEP_BY_KEY[step].again) if p]
    return any(all(piece.strip() in text for piece in re.split(r"\{\w+\}", translate(lang, prompt)))
               for prompt in prompts)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(position=st.sampled_from(POSITIONS), lang=st.sampled_from(["hi", "en"]), what=update_kinds())
def test_any_update_at_any_step(harness: Harness, position: Draft, lang: str, what: tuple) -> None:
    check(harness, position, lang, *what)


#: every command, every kind of update and the oddest texts, at every step (no sampling)
SWEEP = [("command", (name, None)) for name in (*COMMANDS, "frobnicate")] + [
    ("command", ("start", "SS-7K4M-9PQ2")), ("command", ("start", "camp_haridwar_07\u202e")),
    ("photo", None), ("sticker", None), ("voice", None), ("location", None), ("document", None),
    ("contact", ("+919812345670", False)), ("edited", "x"), ("press", "review:submit"), ("press", "\x00" * 64),
    ("text", "x" * 4096), ("text", "\u202e234123412346"), ("text", "\u200b"), ("text", "😀" * 2048),
    ("text", "\x00\x07\x1b[31m"), ("text", "नमस्ते ✋🏽")]


@pytest.mark.parametrize("position", POSITIONS, ids=lambda d: d.step)
def test_every_command_and_kind_at_every_step(harness: Harness, position: Draft) -> None:
    for n, (kind, value) in enumerate(SWEEP):
        check(harness, position, "hi" if n % 2 else "en", kind, value)


def check(harness: Harness, position: Draft, lang: str, kind: str, value) -> None:
    """Send one update of a new worker waiting at ``position``; check the answer."""
    TRIED[kind] += 1
    user = Updates.user(next(harness.user_ids), lang)
    user_id = f"tg:{user['id']}"
    draft = position.model_copy(update={"user_id": user_id, "lang": lang})
    harness.run(harness.store.save_draft(draft))
    before, errors = len(harness.api.calls), len(harness.errors)

    harness.run(harness.app.process_update(harness.update(user, kind, value)))

    assert harness.errors[errors:] == [], "no error reached the error handler"
    said = sent_since(harness.api, before, user["id"])
    assert said, "the worker always hears back"
    assert translate(lang, texts.TRY_AGAIN) not in said
    after = harness.run(harness.store.load_draft(user_id))
    shown = after.lang if after is not None and after.lang else lang
    if shown == "hi":
        assert DEVANAGARI.search(said[-1]), "answered in Hindi"
    if after is None or after.phase is not Phase.FORM:
        return  # /delete (then asked to confirm), /cancel, /start...: their own replies
    assert asks(said[-1], shown, after.step, after), "the question (again)"
    if after.step == draft.step:
        assert after.answers == draft.answers or kind == "command" and value[0] == "language", "nothing lost"


TYPED = st.one_of(TEXT.map(lambda t: Input(text=t)),
                  COMMAND.map(lambda c: Input(command=c[0].split("@")[0].lower(), arg=c[1])),
                  st.sampled_from(["photo", "sticker", "voice", "edited", "location"]).map(lambda k: Input(kind=k)),
                  st.text(max_size=64).map(lambda b: Input(button=b)))


@settings(max_examples=max(EXAMPLES // 3, 20), deadline=None, suppress_health_check=list(HealthCheck))
@given(cut=st.integers(0, 31), noise=st.lists(TYPED, min_size=1, max_size=12), worker=st.integers(0, 10**6))
def test_random_sequences_through_the_service(harness: Harness, cut: int, noise: list, worker: int) -> None:
    """Part of a real registration, then a run of hostile inputs: the service
    never raises, always replies, and every answer saved before stays saved
    unless the worker changed, restarted or erased it."""
    person = Worker.make(worker)
    user_id = f"fuzz:{next(harness.user_ids)}"

    async def go() -> None:
        for line in person.script[:cut]:
            inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
            await harness.registration.handle(user_id, inp, default_lang=person.lang)
        saved = await harness.store.load_draft(user_id)
        for inp in noise:
            TRIED["service " + ("command" if inp.command else inp.kind if inp.kind != "text" else
                                "button" if inp.button is not None else "text")] += 1
            out = await harness.registration.handle(user_id, inp, default_lang=person.lang)
            assert out is not None and out.replies, "always a reply"
            assert all(isinstance(r.text, str) and r.text for r in out.replies)
        after = await harness.store.load_draft(user_id)
        wiping = {"start", "delete", "language"}
        ended = after is not None and after.phase in (Phase.INELIGIBLE, Phase.DECLINED)  # told why; answers go
        if saved is not None and after is not None and not ended \
                and not any(i.command in wiping or i.button for i in noise):
            changed = {k for k in saved.answers if after.answers.get(k) != saved.answers[k]}
            # a text that is a valid answer to the current question may change what depends on it
            dependent = {k for s in STEP_BY_KEY.values() for k in s.resets} | {saved.step}
            if saved.step == "bank_account_confirm":  # two account numbers that differ: both asked again
                dependent.add("bank_account")
            assert changed <= dependent, changed

    harness.run(go())
