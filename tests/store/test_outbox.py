"""The outbox (``bot.outbox``), on both backends: a desk notice is kept
with the decision that causes it and delivered once, even when the process
dies between the commit and the sending; several processes sharing one
store share one send budget and lose nothing."""
from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from bot.dispatch import Dispatcher
from bot.domain.models import ReviewState, utcnow
from bot.messages import Input, Notice, Reply
from bot.notify import Notifier
from bot.outbox import BULK, NOTICE, Outbox, SendBudget
from bot.service import Registration
from bot.store import outbox as rows
from tests.desk.desk_fixtures import OPERATOR_A, add_staff, submit
from tests.store.backends import sql

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
_keys = itertools.count(1)


class Phone:
    """A channel that records what it was handed, and when."""

    def __init__(self, clock=None) -> None:
        self.got: list[Notice] = []
        self.at: list[int] = []
        self.clock = clock

    async def __call__(self, notice: Notice) -> None:
        self.got.append(notice)
        if self.clock is not None:
            self.at.append(int(self.clock()))


def notifier_with(phone: Phone) -> Notifier:
    notifier = Notifier()
    notifier.register("tg", phone)
    return notifier


async def waiting(store) -> int:
    return await store.query(rows.waiting)


async def approve(dispatcher: Dispatcher, reference: str) -> None:
    """The operator claims the application and approves it with a UAN."""
    async def say(inp: Input):
        return await dispatcher.handle(OPERATOR_A.user_id, inp, default_lang="en", update_key=f"t:{next(_keys)}")
    await say(Input(button="queue:next"))
    await say(Input(button=f"card:approve:{reference}"))
    await say(Input(text="100200300400"))


async def test_a_decisions_notice_is_kept_with_it_and_delivered_once_after_a_crash(store) -> None:
    await add_staff(store, OPERATOR_A)
    reference = await submit(store, "tg:5001")
    # process 1: its outbox writes, but dies before delivering (never kicked into sending)
    dying = Outbox(store, notifier_with(Phone()).deliver)
    dying.kick = lambda: None  # type: ignore[method-assign]
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    dispatcher.outbox = dying
    await approve(dispatcher, reference)
    assert (await store.get_application(reference)).state is ReviewState.APPROVED
    assert await waiting(store) == 1                     # committed with the approval

    # process 2 (after the restart): its round delivers it, once
    phone = Phone()
    alive = Outbox(store, notifier_with(phone).deliver)
    assert await alive.deliver_waiting() == 1
    assert await alive.deliver_waiting() == 0
    assert [n.user_id for n in phone.got] == ["tg:5001"] and "100200300400" in phone.got[0].replies[0].text
    assert await waiting(store) == 0


async def test_the_notice_goes_at_once_after_the_commit(store) -> None:
    await add_staff(store, OPERATOR_A)
    reference = await submit(store, "tg:5002")
    phone = Phone()
    notifier = notifier_with(phone)
    outbox = Outbox(store, notifier.deliver)
    notifier.outbox = outbox
    dispatcher = Dispatcher(Registration(store, clock=lambda: NOW))
    dispatcher.outbox = outbox
    await approve(dispatcher, reference)
    await outbox.drain()
    assert [n.user_id for n in phone.got] == ["tg:5002"] and await waiting(store) == 0


async def test_a_unit_of_work_that_fails_leaves_no_message(store) -> None:
    outbox = Outbox(store, notifier_with(Phone()).deliver)
    with pytest.raises(RuntimeError):
        async with store.unit_of_work("t:fail", "tg:1"):
            await outbox.put([Notice("tg:5003", "en", [Reply("approved")])])
            raise RuntimeError("the handler failed")
    assert await waiting(store) == 0


async def test_erasing_a_worker_erases_the_messages_waiting_for_them(store) -> None:
    outbox = Outbox(store, notifier_with(Phone()).deliver)
    await outbox.put([Notice("tg:5004", "hi", [Reply("आपका आवेदन मंज़ूर हो गया")]),
                      Notice("tg:5005", "hi", [Reply("याद दिलाना")])])
    await store.erase_user("tg:5004")
    assert [r[0] for r in await sql(store, "SELECT user_id FROM outbox")] == ["tg:5005"]


async def test_a_refused_message_is_tried_again_later_then_dropped(store) -> None:
    clock = [NOW]
    refused = Notifier()

    async def blocked(notice: Notice) -> None:
        raise RuntimeError("Forbidden: bot was blocked by the user")
    refused.register("tg", blocked)
    outbox = Outbox(store, refused.deliver, clock=lambda: clock[0])
    await outbox.put([Notice("tg:5006", "en", [Reply("approved")])])
    for _ in range(4):
        assert await outbox.deliver_waiting() == 0
        clock[0] = clock[0].replace(hour=clock[0].hour + 2)
    assert outbox.dropped == 1 and await waiting(store) == 0


async def test_replies_come_before_notices_and_notices_before_reminders(store) -> None:
    phone = Phone()
    outbox = Outbox(store, notifier_with(phone).deliver)
    await outbox.put([Notice("tg:1", "en", [Reply("reminder")])], BULK)
    await outbox.put([Notice("tg:2", "en", [Reply("approved")])], NOTICE)
    await outbox.deliver_waiting()
    assert [n.replies[0].text for n in phone.got] == ["approved", "reminder"]


class Clock:
    """A clock that moves only when the budget waits."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.25

    def __call__(self) -> float:
        return self.now


async def test_three_processes_share_one_send_budget_and_lose_nothing(two, monkeypatch) -> None:
    """Three outboxes (two of them on separate connections, as processes)
    deliver 200 messages at 30 a second at most, each once."""
    first, second = two
    clock = Clock()
    pause = asyncio.sleep

    async def sleep(seconds: float) -> None:   # waiting for the next second moves the clock
        clock.now = int(clock.now) + 1 + 0.25
        await pause(0)
    monkeypatch.setattr("bot.outbox.asyncio.sleep", sleep)
    phones = [Phone(clock) for _ in range(3)]
    outboxes = [Outbox(store, notifier_with(phone).deliver, SendBudget(store, 30, clock=clock))
                for store, phone in zip((first, second, first), phones)]
    await outboxes[0].put([Notice(f"tg:{6000 + i}", "en", [Reply(f"message {i}")]) for i in range(200)])
    await asyncio.gather(*(outbox.deliver_waiting() for outbox in outboxes))
    got = [n.user_id for phone in phones for n in phone.got]
    assert sorted(got) == sorted(f"tg:{6000 + i}" for i in range(200))   # every one, once
    per_second = Counter(second for phone in phones for second in phone.at)
    assert max(per_second.values()) <= 30 and len(per_second) >= 200 // 30
    assert sum(1 for phone in phones if phone.got) >= 2                    # the processes shared the work


# -- a worker's replies ------------------------------------------------------------------

class Died(Exception):
    """The process died after the commit, before sending."""


async def _dies(out) -> None:
    raise Died()


def registration_with_outbox(store, phone: Phone, clock=lambda: NOW) -> Registration:
    registration = Registration(store, clock=lambda: NOW)
    registration.outbox = Outbox(store, notifier_with(phone).deliver, clock=clock)
    return registration


async def test_a_reply_kept_by_a_process_that_died_goes_once_when_the_update_comes_again(store) -> None:
    first = registration_with_outbox(store, Phone())
    await first.handle("tg:7001", Input(command="start"), default_lang="hi", update_key="tg:1",
                       deliver=lambda out: asyncio.sleep(0))
    await first.outbox.drain()                                               # the first reply, sent, forgotten
    with pytest.raises(Died):
        await first.handle("tg:7001", Input(text="1"), default_lang="hi", update_key="tg:2", deliver=_dies)
    assert (await store.load_draft("tg:7001")).answers["language"] == "hi"   # the answer is kept...
    assert await waiting(store) == 1                                         # ...and so is its reply

    second = registration_with_outbox(store, Phone())  # after the restart, Telegram sends the update again
    delivered = []

    async def deliver(out) -> None:
        delivered.append([r.text for r in out.replies])
    out = await second.handle("tg:7001", Input(text="1"), default_lang="hi", update_key="tg:2", deliver=deliver)
    assert out is not None and delivered == [[r.text for r in out.replies]]
    assert "/delete" in delivered[0][-1]                                     # the consent notice, once
    await second.outbox.drain()
    assert await waiting(store) == 0
    assert await second.handle("tg:7001", Input(text="1"), default_lang="hi", update_key="tg:2",
                               deliver=deliver) is None
    assert len(delivered) == 1


async def test_a_reply_kept_by_a_process_that_died_goes_on_the_next_round_if_the_update_does_not_come(store) -> None:
    first = registration_with_outbox(store, Phone())
    with pytest.raises(Died):
        await first.handle("tg:7002", Input(command="start"), default_lang="en", update_key="tg:3", deliver=_dies)
    phone = Phone()
    later = utcnow() + timedelta(minutes=1)
    other = Outbox(store, notifier_with(phone).deliver, clock=lambda: later)
    assert await other.deliver_waiting() == 1 and await other.deliver_waiting() == 0
    assert [n.user_id for n in phone.got] == ["tg:7002"] and "Namaste" in phone.got[0].replies[0].text
    assert await waiting(store) == 0


async def test_a_message_is_sealed_at_rest(store) -> None:
    outbox = Outbox(store, notifier_with(Phone()).deliver)
    await outbox.put([Notice("tg:5010", "hi", [Reply("मोबाइल: 9123400001")])])
    (body,), = await sql(store, "SELECT body FROM outbox")
    assert "9123400001" not in body and "मोबाइल" not in body


async def test_each_bot_has_a_budget_of_its_own(store) -> None:
    clock = Clock()
    budget = SendBudget(store, 30, clock=clock)
    for bot in ("111", "222"):
        for _ in range(30):
            await asyncio.wait_for(budget.take(bot=bot), 1)       # this second: 30 each
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(budget.take(bot="111"), 0.05)      # the 31st waits for the next second
    assert budget.taken == 60
