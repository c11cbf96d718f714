"""Several bots, one deployment: bots A and B share one store, dispatcher
and notifier, each with its own Application (and send budget). A worker
who wrote to B hears everything from B, whichever bot the CSC operator
uses: the send-back, the approval, the rejection, the reminder, and the
links and QR codes name B. Staff are reached through the bot they last
used. Both bots poll in one process, or each is served on its own webhook
path that takes its own secret only. Through python-telegram-bot's real
``process_update`` and one fake Bot API server that tells the bots apart by
their tokens; the store on both backends where it matters."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from bot.channels.telegram.app import start_application
from bot.channels.telegram.bots import BotRoster
from bot.channels.telegram.outgoing import reference_link
from bot.channels.telegram.runners import build_applications, run_polling, webhook_app
from bot.config import Settings, derived_secret
from bot.desk import messages as m
from bot.dispatch import Dispatcher, parse_admins
from bot.domain.models import utcnow
from bot.i18n import translate
from bot.jobs.reminders import REMINDER, remind
from bot.messages import Notice, Reply
from bot.notify import Notifier
from bot.qr import qr_png
from bot.service import Registration
from bot.store import bots as recorded
from tests.desk.desk_fixtures import OPERATOR_A, add_staff
from tests.desk.desk_golden import COMMENTS, REGISTRATION
from tests.telegram.fake_bot_api import FakeBotAPI, Updates
from tests.telegram.test_bootstrap_runners import until
from tests.telegram.test_webhook import start

A, B = "111111", "222222"
TOKENS = {A: "111111:AAAA-token_of-bot-A", B: "222222:BBBB-token_of-bot-B"}
USERNAMES = {A: "ShramBotA", B: "ShramBotB"}
WORKER, OPERATOR, ADMIN = 424242, 101, 555
SECRET = "s3cret-token_for-the-webhook-123"


def settings_for(tmp_path: Path, **extra) -> Settings:
    return Settings(bot_tokens=",".join(TOKENS.values()), data_dir=tmp_path, _env_file=None,
                    max_messages_per_second=0, **extra)


def fake_api() -> FakeBotAPI:
    api = FakeBotAPI()
    api.bots.update(USERNAMES)
    return api


def to(api: FakeBotAPI, chat: int, bot: str) -> list[str]:
    """Every call ``bot`` made into ``chat``'s chat."""
    return [c.method for c in api.calls if c.bot == bot and int(c.params.get("chat_id", 0) or 0) == chat]


class Deployment:
    """Bots A and B on one store, as ``runners`` builds them for one process."""

    def __init__(self, store, tmp_path: Path) -> None:
        self.store = store
        self.api = fake_api()
        self.notifier = Notifier()
        self.roster = BotRoster(store)
        settings = settings_for(tmp_path)
        dispatcher = Dispatcher(Registration(store), admins=parse_admins(str(ADMIN)))
        self.a, self.b = build_applications(settings, settings.telegram_bots(), dispatcher, self.notifier,
                                            self.roster, request=self.api)
        # each bot numbers its own updates: the same ids on both
        self.on = {A: Updates(self.a.bot, first_id=1), B: Updates(self.b.bot, first_id=1)}

    async def send(self, bot: str, user: dict, text: str) -> int:
        """``user`` writes ``text`` (or presses "[button]") to ``bot``; the calls before it."""
        before = len(self.api.calls)
        app: Application = self.a if bot == A else self.b
        updates = self.on[bot]
        update = updates.press(user, text[1:-1]) if text.startswith("[") else updates.text(user, text)
        await app.process_update(update)
        return before

    def texts(self, chat: int, bot: str, since: int = 0) -> list[str]:
        return [c.params["text"] for c in self.api.calls[since:]
                if c.method == "sendMessage" and c.bot == bot and int(c.params["chat_id"]) == chat]


@pytest.fixture
async def deployment(store, tmp_path: Path) -> AsyncIterator[Deployment]:
    await add_staff(store, OPERATOR_A)
    one = Deployment(store, tmp_path)
    for app in (one.a, one.b):
        await start_application(app)
    try:
        yield one
    finally:
        for app in (one.a, one.b):
            await app.shutdown()


async def register_on_b(bots: Deployment, user_id: int = WORKER) -> str:
    worker = Updates.user(user_id, "hi")
    for line in REGISTRATION:
        await bots.send(B, worker, line)
    application = await bots.store.application_for_user(f"tg:{user_id}")
    return application.reference


async def test_a_worker_of_bot_b_hears_the_desk_on_bot_a_through_b(deployment: Deployment) -> None:
    bots, api = deployment, deployment.api
    ref = await register_on_b(bots)
    assert await bots.store.query(recorded.bot_of, f"tg:{WORKER}") == B
    # the reference's QR code, from B, opens B
    [qr] = api.of("sendPhoto", WORKER, bot=B)
    assert qr.uploads["photo"][1] == qr_png(reference_link(USERNAMES[B], ref))

    operator, worker = Updates.user(OPERATOR, "hi"), Updates.user(WORKER, "hi")
    for line in ("/queue", "[queue:next]", f"[card:back:{ref}]", f"[card:fix:{ref}:name]", f"[card:fixdone:{ref}]"):
        await bots.send(A, operator, line)
    before = await bots.send(A, operator, COMMENTS["hi"])
    sent_back = bots.texts(WORKER, B, before)
    assert sent_back and sent_back[0].startswith(translate("hi", m.WORKER_SENT_BACK, reference=ref,
                                                           comment=COMMENTS["hi"], fields=translate("hi", "Name")))

    await bots.send(B, worker, "राम कुमार सैनी")
    await bots.send(B, worker, "1")  # submitted again from the review
    for line in ("[queue:next]", f"[card:approve:{ref}]"):
        await bots.send(A, operator, line)
    before = await bots.send(A, operator, "1002 0030 0400")
    assert bots.texts(WORKER, B, before) == [translate("hi", m.WORKER_APPROVED, reference=ref, uan="100200300400")]
    assert translate("hi", m.APPROVED, reference=ref, uan="100200300400") in bots.texts(OPERATOR, A, before)[0]

    assert to(api, WORKER, A) == []     # A never wrote to the worker, who never opened it
    assert to(api, OPERATOR, B) == []   # nor B to the operator
    assert await bots.store.query(recorded.bot_of, f"tg:{OPERATOR}") == A


async def test_a_rejection_on_bot_a_reaches_the_worker_through_b(deployment: Deployment) -> None:
    bots = deployment
    ref = await register_on_b(bots)
    operator = Updates.user(OPERATOR, "hi")
    for line in ("/queue", "[queue:next]", f"[card:reject:{ref}]", f"[card:reason:{ref}:duplicate]"):
        await bots.send(A, operator, line)
    before = await bots.send(A, operator, f"[card:nonote:{ref}]")
    told = bots.texts(WORKER, B, before)
    assert told and translate("hi", m.WORKER_REJECTED, reference=ref) in told[0]
    assert to(bots.api, WORKER, A) == []


async def test_a_reminder_goes_through_the_workers_bot(deployment: Deployment) -> None:
    bots = deployment
    worker = Updates.user(WORKER, "hi")
    for line in REGISTRATION[:4]:  # a registration begun on B, then left
        await bots.send(B, worker, line)
    before = len(bots.api.calls)
    sent = await remind(bots.store, bots.notifier.send_text, runner="test", now=utcnow() + timedelta(days=3),
                        per_second=0)
    assert sent == 1
    assert bots.texts(WORKER, B, before) == [translate("hi", REMINDER)]
    assert to(bots.api, WORKER, A) == []


async def test_staff_are_reached_through_the_bot_they_last_used_and_links_name_it(deployment: Deployment) -> None:
    bots, api = deployment, deployment.api
    operator = Updates.user(OPERATOR, "hi")
    await bots.send(A, operator, "/queue")
    await bots.send(B, operator, "/queue")
    linked = Reply("your link", deep_link="SS-7K4M-9PQ2")
    before = len(api.calls)
    assert await bots.notifier.send(Notice(f"tg:{OPERATOR}", "hi", [linked]))
    assert bots.texts(OPERATOR, B, before) == [f"your link\n{reference_link(USERNAMES[B], 'SS-7K4M-9PQ2')}"]
    await bots.send(A, operator, "/queue")  # back on A
    before = len(api.calls)
    assert await bots.notifier.send(Notice(f"tg:{OPERATOR}", "hi", [linked]))
    assert bots.texts(OPERATOR, A, before) == [f"your link\n{reference_link(USERNAMES[A], 'SS-7K4M-9PQ2')}"]

    # a worker who opened B, then A: their notices (and links) still come from B
    worker = Updates.user(WORKER, "hi")
    await bots.send(B, worker, "/start")
    await bots.send(A, worker, "/start")
    before = len(api.calls)
    assert await bots.notifier.send(Notice(f"tg:{WORKER}", "hi", [linked]))
    assert bots.texts(WORKER, B, before) == [f"your link\n{reference_link(USERNAMES[B], 'SS-7K4M-9PQ2')}"]

    # someone the store names no bot for (wrote before bots were recorded): the first bot
    before = len(api.calls)
    assert await bots.notifier.send(Notice("tg:777", "hi", [Reply("hello")]))
    assert bots.texts(777, A, before) == ["hello"]


async def test_a_workers_erasure_erases_their_bot(deployment: Deployment) -> None:
    bots = deployment
    worker = Updates.user(WORKER, "hi")
    for line in REGISTRATION[:4]:
        await bots.send(B, worker, line)
    assert await bots.store.query(recorded.bot_of, f"tg:{WORKER}") == B
    await bots.send(B, worker, "/delete")
    await bots.send(B, worker, "[confirm_delete:yes]")
    assert await bots.store.load_draft(f"tg:{WORKER}") is None
    assert await bots.store.query(recorded.bot_of, f"tg:{WORKER}") is None


# -- running them -------------------------------------------------------------

async def test_one_process_polls_every_bot(tmp_path: Path) -> None:
    api = fake_api()
    for bot, user in ((A, ADMIN), (B, WORKER)):  # the same update id on both bots: each its own
        update = Updates(Application.builder().token(TOKENS[bot]).build().bot, first_id=1)
        api.pending_for(bot).append(update.text(Updates.user(user, "hi"), "/start").to_dict())
    stop = asyncio.Event()
    polling = asyncio.create_task(run_polling(settings_for(tmp_path, admins=str(ADMIN)), request=api, stop=stop))
    try:
        await until(lambda: api.sent_texts(ADMIN) and api.sent_texts(WORKER))
    finally:
        stop.set()
        await asyncio.wait_for(polling, 10)
    assert api.sent_texts(ADMIN, bot=A) and not api.sent_texts(ADMIN, bot=B)
    assert api.sent_texts(WORKER, bot=B) and not api.sent_texts(WORKER, bot=A)
    assert {c.bot for c in api.of("getUpdates")} == {A, B}
    assert {c.bot for c in api.of("deleteWebhook")} == {A, B}


async def test_each_webhook_path_takes_its_own_bots_secret_only(tmp_path: Path) -> None:
    api = fake_api()
    served = webhook_app(settings_for(tmp_path, webhook_secret=SECRET, webhook_url="https://bot.example.org/tg"),
                         request=api)
    assert await start(served) == {"type": "lifespan.startup.complete"}
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url="http://bot.local")
    secrets = {bot: derived_secret(SECRET, bot) for bot in (A, B)}
    try:
        for bot in (A, B):
            (registered,) = api.of("setWebhook", bot=bot)
            assert registered.params["url"] == f"https://bot.example.org/tg/{bot}"
            assert registered.params["secret_token"] == secrets[bot]

        def post(path: str, secret: str, user: int):
            body = Updates(served.application.bot, first_id=7).text(Updates.user(user, "hi"), "/start").to_dict()
            return client.post(path, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": secret})

        assert (await post(f"/telegram/{B}", secrets[A], 6001)).status_code == 403
        assert (await post(f"/telegram/{A}", secrets[B], 6001)).status_code == 403
        assert (await post(f"/telegram/{A}", SECRET, 6001)).status_code == 403   # not the one it is derived from
        assert (await post("/telegram", secrets[A], 6001)).status_code == 404     # no bot there
        assert api.sent_texts(6001) == []
        assert (await post(f"/telegram/{A}", secrets[A], 6001)).status_code == 200
        assert (await post(f"/telegram/{B}", secrets[B], 6002)).status_code == 200  # the same update id: its own
        assert api.sent_texts(6001, bot=A) and api.sent_texts(6002, bot=B)
        assert api.sent_texts(6001, bot=B) == [] and api.sent_texts(6002, bot=A) == []
        health = (await client.get("/healthz")).json()
        assert health["bots"] == [USERNAMES[A], USERNAMES[B]]
    finally:
        await client.aclose()
        await served._stop()


async def test_in_webhook_mode_the_outbox_sends_each_notice_on_its_users_bots_budget(tmp_path: Path) -> None:
    api = fake_api()
    served = webhook_app(settings_for(tmp_path, webhook_secret=SECRET, webhook_url="https://bot.example.org/tg"),
                         request=api)
    assert await start(served) == {"type": "lifespan.startup.complete"}
    try:
        roster = served.application.bot_data["roster"]
        outbox = served.application.bot_data["notifier"].outbox
        assert outbox is not None and outbox.bot_of == roster.bot_for
        await roster.note("tg:6101", B)
        assert await outbox.bot_of("tg:6101") == B
    finally:
        await served._stop()
