"""Webhook mode over HTTP, through an ASGI test client (httpx): the secret
header is checked before anything is read, bad bodies are refused, and the
process keeps serving; start-up opens the store and registers the webhook."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.channels.telegram.runners import webhook_app
from bot.channels.telegram.webhook import MAX_BODY, WebhookApp
from bot.config import ConfigError, Settings
from tests.telegram.fake_bot_api import FakeBotAPI, Updates

SECRET = "s3cret-token_for-the-webhook-123"


def settings_for(tmp_path: Path, **extra) -> Settings:
    return Settings(bot_token="123456:TEST", data_dir=tmp_path, webhook_secret=SECRET, **extra)


async def start(app: WebhookApp) -> dict:
    """Start the ASGI lifespan the way uvicorn does; ``app._stop`` ends it."""
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan"}, inbox.get, outbox.put))

    async def stop() -> None:
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 5)

    app._stop = stop
    return await asyncio.wait_for(outbox.get(), 5)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[WebhookApp, FakeBotAPI, httpx.AsyncClient]]:
    api = FakeBotAPI()
    app = webhook_app(settings_for(tmp_path, webhook_url="https://bot.example.org/telegram"), request=api)
    assert (await start(app)) == {"type": "lifespan.startup.complete"}
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot.local")
    try:
        yield app, api, client
    finally:
        await client.aclose()
        await app._stop()


def update_body(app: WebhookApp, text: str = "/start", user_id: int = 5151) -> dict:
    return Updates(app.application.bot, first_id=100).text(Updates.user(user_id), text).to_dict()


async def test_start_up_registers_the_webhook_with_its_secret(served) -> None:
    app, api, client = served
    (registered,) = api.of("setWebhook")
    assert registered.params["url"] == "https://bot.example.org/telegram"
    assert registered.params["secret_token"] == SECRET
    assert set(registered.params["allowed_updates"]) == {"message", "edited_message", "callback_query"}
    assert api.of("setMyCommands")


async def test_a_good_update_is_applied(served) -> None:
    app, api, client = served
    response = await client.post("/telegram", json=update_body(app),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 200
    assert api.sent_texts(5151)[0].startswith("नमस्ते")


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, 403),
    ({"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}, 403),
    ({"X-Telegram-Bot-Api-Secret-Token": ""}, 403),
])
async def test_missing_or_wrong_secret_is_refused_and_nothing_is_processed(served, headers, status) -> None:
    app, api, client = served
    api.clear()
    response = await client.post("/telegram", json=update_body(app), headers=headers)
    assert response.status_code == status
    assert api.calls == []
    store = app.application.bot_data["channel"].registration.store
    assert await store.load_draft("tg:5151") is None


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", b'{"update_id": "7"}', b"\xff\xfe",
                                  b'{"update_id": 5, "message": {"chat": 3}}'])
async def test_malformed_body_is_400_and_the_process_keeps_serving(served, body) -> None:
    app, api, client = served
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    response = await client.post("/telegram", content=body, headers=secret)
    assert response.status_code == 400
    response = await client.post("/telegram", json=update_body(app, user_id=6262), headers=secret)
    assert response.status_code == 200 and api.sent_texts(6262)


async def test_oversized_body_is_refused(served) -> None:
    app, api, client = served
    response = await client.post("/telegram", content=b"x" * (MAX_BODY + 1),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 413


async def test_health_other_paths_and_methods(served) -> None:
    app, api, client = served
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json()["ok"] is True
    assert (await client.get("/telegram")).status_code == 405
    assert (await client.post("/elsewhere", json={})).status_code == 404


async def test_the_same_update_twice_is_applied_once(served) -> None:
    app, api, client = served
    body = update_body(app, "/start", user_id=7373)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for _ in range(2):
        assert (await client.post("/telegram", json=body, headers=headers)).status_code == 200
    assert len(api.sent_texts(7373)) == 1


def test_webhook_mode_needs_a_strong_secret(tmp_path: Path) -> None:
    for secret in (None, "short", "has spaces in it here", "x" * 257):
        with pytest.raises(ConfigError):
            webhook_app(Settings(bot_token="1:x", data_dir=tmp_path, webhook_secret=secret))


def test_bot_api_url_forms() -> None:
    assert Settings().bot_api_urls() == ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")
    assert Settings(bot_api_url="http://127.0.0.1:8081/").bot_api_urls() == \
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
    assert Settings(bot_api_url="http://emu:9000/bot").bot_api_urls() == \
        ("http://emu:9000/bot", "http://emu:9000/file/bot")
    with pytest.raises(ConfigError):
        Settings().token()
    assert json.dumps(Settings(bot_token="1:x").model_dump(mode="json")).count("1:x") == 0  # a secret is not dumped
