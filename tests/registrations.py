"""Complete registrations as a worker's phone sends them: the updates of the
throughput bench (bench/throughput.py), the scale-out bench (bench/peak.py)
and the multi-process test (tests/test_scale_out.py)."""
from __future__ import annotations

from stdnum import verhoeff
from telegram import Bot

from tests.fake_bot_api import Updates

UPDATES_PER_REGISTRATION = 31


def aadhaar_for(i: int) -> str:
    body = f"{2 + i % 8}{i:010d}"
    return body + verhoeff.calc_check_digit(body)


def script(i: int, aadhaar: str | None = None) -> list[str]:
    """What worker ``i`` types (and taps: reply-keyboard buttons send their label)."""
    account = f"{30000000000 + i}"
    return ["/start", "हिन्दी", "मैं सहमत हूँ", "15/08/1988", "नहीं", "नहीं", "नहीं", f"98{i:08d}",
            aadhaar or aadhaar_for(i), "राम कुमार", "पुरुष", "श्याम लाल", "OBC", "नहीं", "4", "1", "249401", "1",
            "मकान 12, गली 3, ज्वालापुर", "नहीं", "21", "1", "छोड़ें", "7", account, account, "SBIN0001234",
            "सीता देवी", "1", "01/01/1992"]


def registration(updates: Updates, telegram_id: int, i: int, aadhaar: str | None = None) -> list[dict]:
    """Worker ``i``'s whole registration as update dicts (the JSON Telegram sends)."""
    user = Updates.user(telegram_id, "hi")
    made = [updates.text(user, line) for line in script(i, aadhaar)] + [updates.press(user, "review:submit")]
    return [u.to_dict() for u in made]


def registrations(workers: int, *, first_telegram_id: int = 10_000_000, token: str = "123456:BENCH",
                  first_update_id: int = 1) -> list[list[dict]]:
    """``workers`` registrations, each as its list of update dicts."""
    updates = Updates(Bot(token), first_update_id)
    return [registration(updates, first_telegram_id + i, i) for i in range(workers)]
