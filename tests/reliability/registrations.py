"""Complete registrations as a worker's phone sends them: the updates of the
throughput bench (bench/throughput.py), the scale-out bench (bench/peak.py)
and the multi-process test (tests/reliability/test_scale_out.py). Worker ``i`` is
``TAPPING_WORKER`` of ``tests/personas.py`` with numbers of their own."""
from __future__ import annotations

from stdnum import verhoeff
from telegram import Bot

from tests.telegram.fake_bot_api import Updates
from tests.personas import TAPPING_WORKER, Press


def aadhaar_for(i: int) -> str:
    body = f"{2 + i % 8}{i:010d}"
    return body + verhoeff.calc_check_digit(body)


def script(i: int, aadhaar: str | None = None) -> tuple[str | Press, ...]:
    """What worker ``i`` types and taps (reply-keyboard buttons send their
    label; the review's submit is an inline button), in order. The persona's
    path is worked out once: another worker's numbers take the same one."""
    account = f"{30000000000 + i}"
    lines = TAPPING_WORKER.same_path(mobile=f"98{i:08d}", aadhaar=aadhaar or aadhaar_for(i),
                                     bank_account=account, bank_account_confirm=account)
    return tuple(line for line in lines if isinstance(line, (str, Press)))


#: the updates of one registration (and the bot's answers: one each)
UPDATES_PER_REGISTRATION = len(script(0))


def registration(updates: Updates, telegram_id: int, i: int, aadhaar: str | None = None) -> list[dict]:
    """Worker ``i``'s whole registration as update dicts (the JSON Telegram sends)."""
    user = Updates.user(telegram_id, "hi")
    made = [updates.press(user, item.data) if isinstance(item, Press) else updates.text(user, item)
            for item in script(i, aadhaar)]
    return [u.to_dict() for u in made]


def registrations(workers: int, *, first_telegram_id: int = 10_000_000, token: str = "123456:BENCH",
                  first_update_id: int = 1) -> list[list[dict]]:
    """``workers`` registrations, each as its list of update dicts."""
    updates = Updates(Bot(token), first_update_id)
    return [registration(updates, first_telegram_id + i, i) for i in range(workers)]
