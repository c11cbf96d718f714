"""The bots of a deployment from the settings (``Settings.telegram_bots``):
one token as before, several as a comma list or as JSON, each with its own
webhook path, URL and secret (given or derived), and clear refusals of bad
input that never show a token."""
from __future__ import annotations

import json

import pytest

from bot.config import ConfigError, Settings, TelegramBot, derived_secret

TOKEN_A = "111111:AAAA-token_of-bot-A"
TOKEN_B = "222222:BBBB-token_of-bot-B"
SECRET = "s3cret-token_for-the-webhook-123"


def settings(**given) -> Settings:
    return Settings(_env_file=None, **given)


def test_one_token_is_one_bot_on_the_webhook_settings_as_they_are() -> None:
    (bot,) = settings(bot_token=TOKEN_A, webhook_secret=SECRET, webhook_path="telegram/",
                      webhook_url="https://bot.example.org/telegram").webhook_bots()
    assert bot == TelegramBot(TOKEN_A, "/telegram", SECRET, "https://bot.example.org/telegram")
    assert bot.id == "111111"
    assert settings(bot_token=TOKEN_A).token() == TOKEN_A


def test_a_comma_list_is_several_bots_each_with_its_own_path_url_and_secret() -> None:
    given = settings(bot_tokens=f" {TOKEN_A}, {TOKEN_B},", webhook_secret=SECRET,
                     webhook_url="https://bot.example.org/telegram/")
    a, b = given.webhook_bots()
    assert (a.id, a.webhook_path, a.webhook_url) == ("111111", "/telegram/111111",
                                                     "https://bot.example.org/telegram/111111")
    assert (b.id, b.webhook_path, b.webhook_url) == ("222222", "/telegram/222222",
                                                     "https://bot.example.org/telegram/222222")
    assert a.webhook_secret == derived_secret(SECRET, "111111") and b.webhook_secret == derived_secret(SECRET, "222222")
    assert len({a.webhook_secret, b.webhook_secret, SECRET}) == 3
    assert given.token() == TOKEN_A  # the first bot is the one of one-bot callers


def test_json_bots_give_their_own_webhook_or_take_the_derived_one() -> None:
    own = "own-secret_of-bot-B-0123456789"
    bots = json.dumps([TOKEN_A, {"token": TOKEN_B, "webhook_path": "/tg/b", "webhook_secret": own,
                                 "webhook_url": "https://b.example.org/tg/b"}])
    a, b = settings(bots=bots, webhook_secret=SECRET).webhook_bots()
    assert (a.webhook_path, a.webhook_secret, a.webhook_url) == ("/telegram/111111", derived_secret(SECRET, "111111"),
                                                                 None)
    assert (b.webhook_path, b.webhook_secret, b.webhook_url) == ("/tg/b", own, "https://b.example.org/tg/b")
    # polling needs no secret
    assert [bot.id for bot in settings(bots=json.dumps([TOKEN_A, TOKEN_B])).telegram_bots()] == ["111111", "222222"]


@pytest.mark.parametrize("given, said", [
    ({}, "SHRAM_BOT_TOKEN is not set"),
    ({"bot_token": "not-a-token"}, "SHRAM_BOT_TOKEN is not a bot token"),
    ({"bot_token": TOKEN_A, "bot_tokens": TOKEN_B}, "SHRAM_BOT_TOKEN and SHRAM_BOT_TOKENS are both set"),
    ({"bot_tokens": TOKEN_A, "bots": json.dumps([TOKEN_B])}, "SHRAM_BOT_TOKENS and SHRAM_BOTS are both set"),
    ({"bot_tokens": f"{TOKEN_A},{TOKEN_B[:7]}"}, "SHRAM_BOT_TOKENS: token 2 is not a bot token"),
    ({"bot_tokens": " , "}, "SHRAM_BOT_TOKENS names no bot"),
    ({"bot_tokens": f"{TOKEN_A},{TOKEN_A[:7]}other"}, "SHRAM_BOT_TOKENS: bots 1 and 2 are the same bot"),
    ({"bots": "[{" + TOKEN_A}, "SHRAM_BOTS is not JSON (line 1, column 3)"),
    ({"bots": json.dumps({"token": TOKEN_A})}, "SHRAM_BOTS must be a JSON list"),
    ({"bots": "[]"}, "SHRAM_BOTS must be a JSON list with at least one bot"),
    ({"bots": json.dumps([TOKEN_A, 7])}, "SHRAM_BOTS: bot 2: give a token or an object"),
    ({"bots": json.dumps([{"token": TOKEN_A, "secret": "x"}])}, "SHRAM_BOTS: bot 1: unknown field(s) secret"),
    ({"bots": json.dumps([{"token": TOKEN_A, "webhook_path": 8}])}, "SHRAM_BOTS: bot 1: every field is text"),
    ({"bots": json.dumps([{"webhook_path": "/a"}])}, "SHRAM_BOTS: bot 1 is not a bot token"),
    ({"bots": json.dumps([{"token": TOKEN_A, "webhook_path": "/healthz"}])},
     "SHRAM_BOTS: bot 1: webhook_path must be a path"),
    ({"bots": json.dumps([{"token": TOKEN_A, "webhook_path": "/tg"}, {"token": TOKEN_B, "webhook_path": "tg/"}])},
     "SHRAM_BOTS: bots 1 and 2 have the same webhook path"),
])
def test_bad_bots_are_refused_clearly_without_showing_a_token(given: dict, said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings(**given).telegram_bots()
    assert str(refused.value).startswith(said)
    assert not any(secret in str(refused.value) for secret in ("AAAA-token", "BBBB-token", TOKEN_A[:7] + "other"))


@pytest.mark.parametrize("given, said", [
    ({"bot_token": TOKEN_A}, "webhook mode needs SHRAM_WEBHOOK_SECRET: 16-256"),
    ({"bot_tokens": f"{TOKEN_A},{TOKEN_B}", "webhook_secret": "short"},
     "webhook mode needs a secret for bot 1 of SHRAM_BOT_TOKENS"),
    ({"bots": json.dumps([{"token": TOKEN_A, "webhook_secret": SECRET}, TOKEN_B])},
     "webhook mode needs a secret for bot 2 of SHRAM_BOTS"),
    ({"bots": json.dumps([{"token": TOKEN_A, "webhook_secret": "has spaces in this one"}]), "webhook_secret": SECRET},
     "webhook mode needs a secret for bot 1 of SHRAM_BOTS"),
])
def test_webhook_mode_needs_every_bot_to_have_a_strong_secret(given: dict, said: str) -> None:
    with pytest.raises(ConfigError, match="^" + said.replace("(", r"\(")):
        settings(**given).webhook_bots()


def test_no_token_is_shown_by_the_settings_or_a_bot() -> None:
    given = settings(bot_tokens=f"{TOKEN_A},{TOKEN_B}", webhook_secret=SECRET)
    shown = repr(given) + json.dumps(given.model_dump(mode="json")) + repr(given.webhook_bots())
    assert "AAAA" not in shown and "BBBB" not in shown and SECRET not in shown
