"""End to end: the real bot (``python -m bot.cli run`` / ``webhook``) as a
separate process, talking HTTP to the Bot API emulator (``bot_api_server``).

Long polling in Hindi and English at once, SIGTERM and SIGKILL with a
restart on the same data directory (the draft survives, a redelivered
update is not applied twice), no Aadhaar or mobile number in the logs, and
the webhook server with its secret header. Only localhost; every wait has a
timeout and every process started is killed at the end.
"""
from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.flow import messages as m
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import translate
from tests.telegram.bot_api_server import BotAPIServer
from tests.telegram.fake_bot_api import DATE

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-token_for-the-emulator"
SECRET = "s3cret-token_for-the-webhook-123"
AADHAAR = "234123412346"
MOBILES = {"hi": "9876543210", "en": "9812345670"}
DEVANAGARI = re.compile("[\u0900-\u097f]")

pytestmark = pytest.mark.timeout(60)


def prompt(lang: str, key: str) -> str:
    return translate(lang, STEP_BY_KEY[key].prompt)


class Phone:
    """One Telegram user writing to the bot; updates go through the emulator."""

    def __init__(self, api: BotAPIServer, update_ids: Iterator[int], user_id: int, lang: str) -> None:
        self.api, self.update_ids, self.lang = api, update_ids, lang
        self.user = {"id": user_id, "is_bot": False, "first_name": "Ram", "language_code": lang}
        self.message_ids = itertools.count(1)
        self.seen = 0  # texts from the bot already read

    def update(self, text: str) -> dict[str, Any]:
        """The update a Telegram client makes of ``text`` (a new update id)."""
        message = {"message_id": next(self.message_ids), "date": DATE, "text": text, "from": self.user,
                   "chat": {"id": self.user["id"], "type": "private", "first_name": "Ram"}}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self.update_ids), "message": message}

    def send(self, text: str) -> dict[str, Any]:
        """Queue ``text`` for getUpdates; return its update."""
        update = self.update(text)
        self.api.queue(update)
        return update

    def replies(self, expected: str, timeout: float = 15) -> list[str]:
        """Wait for a text containing ``expected``; return the texts since the last call."""
        def arrived(_calls) -> list[str] | None:
            new = self.api.sent_texts(self.user["id"])[self.seen:]
            return new if any(expected in text for text in new) else None
        new = self.api.wait_until(arrived, timeout)
        self.seen += len(new)
        return new


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def api() -> Iterator[BotAPIServer]:
    with BotAPIServer(TOKEN) as server:
        yield server


@pytest.fixture
def launch(tmp_path: Path, api: BotAPIServer) -> Iterator[Callable[..., subprocess.Popen]]:
    """``launch("run")`` starts the bot on tmp_path/data; output goes to tmp_path/bot-<n>.log.
    Whatever is still running at the end is killed."""
    started: list[subprocess.Popen] = []
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SHRAM_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost", SHRAM_BOT_TOKEN=TOKEN,
               SHRAM_BOT_API_URL=api.url, SHRAM_DATA_DIR=str(tmp_path / "data"))

    def start(*args: str, **extra_env: str) -> subprocess.Popen:
        with open(tmp_path / f"bot-{len(started)}.log", "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path,
                                    env={**env, **extra_env}, stdout=log, stderr=subprocess.STDOUT)
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    proc.send_signal(sig)
    return proc.wait(10)


def logs(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(tmp_path.glob("bot-*.log")))


def test_the_emulator_answers_like_telegram(api: BotAPIServer) -> None:
    with httpx.Client(base_url=f"{api.url}/bot{TOKEN}", timeout=5, trust_env=False) as client:
        wrong = httpx.post(f"{api.url}/bot123456:WRONG/getMe", trust_env=False)
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        assert client.post("/getMe").json()["result"]["username"]
        first = client.post("/sendMessage", json={"chat_id": 7, "text": "a"}).json()["result"]
        client.post("/sendMessage", data={"chat_id": "7", "text": "b", "reply_markup": '{"remove_keyboard": true}'})
        photo = client.post("/sendPhoto", data={"chat_id": "7", "caption": "रसीद"},
                            files={"photo": ("qr.png", b"\x89PNG...")}).json()["result"]
        assert client.post("/deleteMessage", data={"chat_id": "7", "message_id": "1"}).json() == \
            {"ok": True, "result": True}
        for update_id in (1, 2):
            api.queue({"update_id": update_id})
        assert client.post("/getUpdates", json={"offset": 2, "timeout": 0}).json()["result"] == [{"update_id": 2}]
        started = time.monotonic()
        assert client.post("/getUpdates", data={"offset": "3", "timeout": "30"}).json()["result"] == []
        assert 0.9 < time.monotonic() - started < 3  # a long poll, capped at a second
    assert api.sent_texts(7) == ["a", "b"]
    assert api.of("sendMessage")[1].params["reply_markup"] == {"remove_keyboard": True}
    (sent_photo,) = api.of("sendPhoto")
    assert sent_photo.params == {"chat_id": 7, "caption": "रसीद"} and sent_photo.files == ["photo"]
    assert photo["caption"] == "रसीद" and photo["message_id"] > first["message_id"]
    assert api.offsets == [2, 3]


def test_polling_in_two_languages_then_a_restart(api: BotAPIServer, launch, tmp_path: Path) -> None:
    update_ids = itertools.count(1)
    phones = [Phone(api, update_ids, 1001, "hi"), Phone(api, update_ids, 1002, "en")]
    bot = launch("run")

    def both(answers: dict[str, str] | str, key: str) -> None:
        """Both users answer at once; each gets the question ``key``."""
        for phone in phones:
            phone.send(answers if isinstance(answers, str) else answers[phone.lang])
        for phone in phones:
            assert prompt(phone.lang, key) in phone.replies(prompt(phone.lang, key))[-1]

    both("/start", "language")
    both("1", "consent")                        # the phone's language is offered first
    both("1", "dob")                            # I agree
    both("15/08/1990", "epfo_esic")
    both("2", "nps_govt")
    both("2", "income_tax")
    both("2", "mobile")
    both(MOBILES, "aadhaar")
    sent = {phone.lang: phone.send(AADHAAR) for phone in phones}
    for phone in phones:
        said = "\n\n".join(phone.replies(prompt(phone.lang, "name")))
        assert translate(phone.lang, m.AADHAAR_NOTED, masked="XXXX XXXX 2346") in said and AADHAAR not in said
    deleted = {(c.params["chat_id"], c.params["message_id"]) for c in api.of("deleteMessage")}
    assert deleted == {(u["message"]["chat"]["id"], u["message"]["message_id"]) for u in sent.values()}
    hindi, english = (api.sent_texts(phone.user["id"]) for phone in phones)
    assert all(DEVANAGARI.search(text) for text in hindi)
    assert not any(DEVANAGARI.search(text) for text in english[1:])  # after the bilingual welcome
    assert api.of("deleteWebhook") and len(api.of("setMyCommands")) == 3

    assert stop(bot) == 0                        # SIGTERM: a clean stop
    assert api.offsets[-1] == sent["en"]["update_id"] + 1  # the last batch was confirmed
    output = logs(tmp_path)
    assert "polling as @" in output
    assert AADHAAR not in output and not any(number in output for number in MOBILES.values())
    assert TOKEN.split(":")[1] not in output, "the bot token never reaches a log"

    # restart on the same data: the drafts are there, and a redelivered update is not
    # applied again; being the worker's newest, its reply may have been lost, so the
    # current question is asked again
    polls = len(api.offsets)
    bot = launch("run")
    api.queue(sent["hi"])                        # Telegram hands the Aadhaar message out again
    api.wait_confirmed(sent["hi"]["update_id"], since=polls)
    again = api.sent_texts(1001)[phones[0].seen:]
    assert again == [prompt("hi", "name")] and len(api.of("deleteMessage")) == 2
    phones[0].seen += 1
    for phone in phones:
        phone.send({"hi": "राम कुमार", "en": "Ram Kumar"}[phone.lang])
        assert phone.replies(prompt(phone.lang, "gender")) == [prompt(phone.lang, "gender")]
    assert stop(bot) == 0
    output = logs(tmp_path)
    assert AADHAAR not in output and not any(number in output for number in MOBILES.values())
    assert TOKEN.split(":")[1] not in output, "the bot token never reaches a log"


def test_nothing_is_lost_when_the_process_is_killed(api: BotAPIServer, launch) -> None:
    phone = Phone(api, itertools.count(500), 2002, "hi")
    bot = launch("run")
    for text, key in (("/start", "language"), ("1", "consent")):
        phone.send(text)
        phone.replies(prompt("hi", key))
    consent = phone.send("1")
    phone.replies(prompt("hi", "dob"))
    assert stop(bot, signal.SIGKILL) == -signal.SIGKILL

    polls, before = len(api.offsets), len(api.sent_texts(2002))
    bot = launch("run")
    api.queue(consent)                           # delivered again: not applied twice,
    api.wait_confirmed(consent["update_id"], since=polls)
    again = api.sent_texts(2002)[before:]
    # its question asked again; or, killed between sending the reply and forgetting the
    # outbox's copy of it, that reply again (delivered at least once, never lost)
    assert len(again) == 1 and again[0].endswith(prompt("hi", "dob"))
    phone.seen = len(api.sent_texts(2002))
    phone.send("15/08/1990")                     # the draft survived: the next question
    assert phone.replies(prompt("hi", "epfo_esic")) == [prompt("hi", "epfo_esic")]
    assert stop(bot) == 0


def test_webhook_server(api: BotAPIServer, launch, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bot = launch("webhook", "--host", "127.0.0.1", "--port", str(port),
                 SHRAM_WEBHOOK_SECRET=SECRET, SHRAM_WEBHOOK_URL=f"{base}/telegram")
    phone = Phone(api, itertools.count(900), 3003, "en")
    with httpx.Client(base_url=base, timeout=10, trust_env=False) as client:
        deadline = time.monotonic() + 20
        while True:
            assert bot.poll() is None, "the webhook server exited"
            assert time.monotonic() < deadline, "the webhook server did not come up"
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        (registered,) = api.of("setWebhook")
        assert registered.params["url"] == f"{base}/telegram" and registered.params["secret_token"] == SECRET

        def post(update: Any, secret: str = SECRET) -> int:
            body = update if isinstance(update, bytes) else httpx.Request("POST", "/", json=update).read()
            return client.post("/telegram", content=body, headers={
                "X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}).status_code

        assert post(phone.update("/start")) == 200  # applied before the answer
        assert phone.replies(prompt("en", "language"), timeout=0)
        calls = len(api.recorded())
        assert post(phone.update("1"), secret=SECRET[:-1] + "x") == 403
        assert post(b'{"update_id": 5, "message": ') == 400
        assert len(api.recorded()) == calls        # nothing was sent for either
        assert post(phone.update("1")) == 200
        assert phone.replies(prompt("en", "consent"))[-1] == prompt("en", "consent")
    # uvicorn shuts down gracefully, then raises the SIGTERM it caught again (exit status -15)
    assert stop(bot) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in logs(tmp_path)
    assert TOKEN.split(":")[1] not in logs(tmp_path)
