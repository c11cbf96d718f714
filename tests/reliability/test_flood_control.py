"""One user's flood must not delay everyone else: a flooding account's
excess updates are dropped at once (not applied, no database work, no
waiting for its lock), it hears one polite "please wait" per flood, and
another worker's reply comes after at most the flooder's burst. A person
typing or tapping quickly, or a whole registration arriving at once, is
never throttled. Polling does not hold a new message behind one user's
backlog. No wall-clock timings: the flood control runs on a clock the
tests move, and order and counts are asserted."""
from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.channels.telegram import texts
from bot.channels.telegram.app import build_application, start_application
from bot.channels.telegram.flood import (BURST, DELETES_PER_FLOOD, MAX_IN_PROGRESS, QUIET, SWEEP_EVERY,
                                        FloodControl, Verdict)
from bot.channels.telegram.polling import apply_batch, poll
from bot.config import Settings
from bot.domain.models import ReviewState
from bot.i18n import translate
from bot.service import Registration
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.telegram.fake_bot_api import FakeBotAPI, Updates
from tests.reliability.registrations import registration

FLOODER, WORKER = 111111, 222222


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Counting:
    """The dispatcher's entry, counting the updates that reach it, per user;
    ``hold`` makes a user's turns wait until it is set."""

    def __init__(self, inner: Registration) -> None:
        self.inner = inner
        self.applied: Counter[str] = Counter()
        self.hold: dict[str, asyncio.Event] = {}

    async def handle(self, user_id: str, inp, **kwargs):
        self.applied[user_id] += 1
        if user_id in self.hold:
            await self.hold[user_id].wait()
        return await self.inner.handle(user_id, inp, **kwargs)


@pytest.fixture
async def channel(tmp_path):
    store = SQLiteStore(tmp_path / "flood.db", Keyring(bytes(range(32))))
    await store.migrate()
    api = FakeBotAPI()
    clock = Clock()
    counting = Counting(Registration(store))
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, _env_file=None), counting,
                            request=api, flood=FloodControl(clock=clock))
    await start_application(app)
    try:
        yield app, api, store, counting, clock
    finally:
        await app.shutdown()
        await store.close()


@pytest.mark.parametrize("phone, lang", [("hi", "hi"), ("en", "en"), (None, "hi")])
async def test_a_flood_of_one_user_is_cut_and_does_not_hold_up_another_worker(channel, phone, lang) -> None:
    app, api, store, counting, clock = channel
    updates = Updates(app.bot)
    flooder, worker = Updates.user(FLOODER, phone), Updates.user(WORKER, "en")
    batch = [updates.text(flooder, "नमस्ते") for _ in range(300)] + [updates.text(worker, "hello")]
    await apply_batch(app, batch)                                  # as the poller applies a batch

    assert counting.applied[f"tg:{WORKER}"] == 1
    assert counting.applied[f"tg:{FLOODER}"] <= BURST             # the rest never reached the dispatcher
    slow_down = translate(lang, texts.SLOW_DOWN)
    assert api.sent_texts(FLOODER).count(slow_down) == 1          # told once, in their language
    assert api.sent_texts(WORKER)[0].startswith("Namaste! I am Shram Sahayak")
    first_reply = next(i for i, c in enumerate(api.calls) if c.method == "sendMessage"
                       and int(c.params["chat_id"]) == WORKER)
    before = [c for c in api.calls[:first_reply] if c.method == "sendMessage"]
    assert len(before) <= BURST + 1                               # the flooder's replies and one "please wait"

    clock.now += 5                                                # the flood goes on a few seconds later
    await apply_batch(app, [updates.text(flooder, "नमस्ते") for _ in range(300)])
    assert counting.applied[f"tg:{FLOODER}"] <= BURST + 5
    assert api.sent_texts(FLOODER).count(slow_down) == 1          # the same flood: not told again
    assert counting.applied[f"tg:{WORKER}"] == 1


async def test_a_whole_registration_sent_back_to_back_is_never_throttled(channel) -> None:
    """No time passes at all on the flood control's clock: every answer of
    a registration (and the submit button), one after the other; another
    worker's first ``MAX_IN_PROGRESS`` answers at once in one batch (typed
    while offline), then the rest one after the other. (More than
    ``MAX_IN_PROGRESS`` of one user at once is a flood: policy, so that a
    flood holds up polling for at most that many turns.)"""
    app, api, store, counting, clock = channel
    updates = Updates(app.bot)
    for update in registration(updates, WORKER, 1):
        await app.process_update(Update.de_json(update, app.bot))
    offline = [Update.de_json(u, app.bot) for u in registration(updates, FLOODER, 2)]
    await apply_batch(app, offline[:MAX_IN_PROGRESS])
    for update in offline[MAX_IN_PROGRESS:]:
        await app.process_update(update)
    for user in (WORKER, FLOODER):
        application = await store.application_for_user(f"tg:{user}")
        assert application is not None and application.state is ReviewState.SUBMITTED
        assert translate("hi", texts.SLOW_DOWN) not in api.sent_texts(user)
    assert counting.applied[f"tg:{WORKER}"] == counting.applied[f"tg:{FLOODER}"] == len(offline)


async def test_polling_does_not_hold_a_new_message_behind_one_users_backlog(channel) -> None:
    """The flooder's turns are held (as if each were slow); a worker's
    message arriving after them is fetched and answered while they are
    still held, and nothing unfinished is confirmed to Telegram."""
    app, api, store, counting, clock = channel
    updates = Updates(app.bot)
    release = counting.hold[f"tg:{FLOODER}"] = asyncio.Event()
    flooder = Updates.user(FLOODER, "hi")
    backlog = [updates.text(flooder, "नमस्ते").to_dict() for _ in range(3)]
    api.pending_updates = list(backlog)
    stop = asyncio.Event()
    task = asyncio.create_task(poll(app, stop, timeout=0))
    try:
        await _until(lambda: counting.applied[f"tg:{FLOODER}"] >= 1)
        api.pending_updates.append(updates.text(Updates.user(WORKER, "en"), "hello").to_dict())
        answered = await _until(lambda: api.sent_texts(WORKER))
        assert answered, "the worker's message waited for the flooder's backlog"
        assert not release.is_set() and not api.sent_texts(FLOODER)   # the backlog is still held
        assert all(offset is None or offset <= backlog[0]["update_id"] for offset in api.offsets)
    finally:
        release.set()
    await _until(lambda: api.offsets and api.offsets[-1] == updates.last_id + 1)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert counting.applied[f"tg:{FLOODER}"] == 3 and counting.applied[f"tg:{WORKER}"] == 1
    assert api.offsets[-1] == updates.last_id + 1                      # all confirmed in the end


async def _until(condition, rounds: int = 1000):
    """Yield to the event loop until ``condition()`` is true (a bound on
    rounds, not a timing): its last value."""
    for _ in range(rounds):
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.005)
    return condition()


# -- the flood control itself --------------------------------------------------

def test_a_burst_then_one_a_second() -> None:
    clock = Clock()
    flood = FloodControl(clock=clock)
    verdicts = []
    for _ in range(BURST + 5):
        verdicts.append(flood.enter("tg:1"))
        flood.leave("tg:1")
    assert verdicts == [Verdict.ADMIT] * BURST + [Verdict.DROP_AND_WARN] + [Verdict.DROP] * 4
    clock.now += 1
    assert flood.enter("tg:1") is Verdict.ADMIT
    assert flood.enter("tg:1") is Verdict.DROP                    # still the same flood: no second warning
    assert flood.enter("tg:2") is Verdict.ADMIT                   # another user is not affected
    flood.leave("tg:1")
    clock.now += BURST + QUIET                                    # quiet long enough: refilled, flood over
    for _ in range(BURST):
        assert flood.enter("tg:1") is Verdict.ADMIT
        flood.leave("tg:1")
    assert flood.enter("tg:1") is Verdict.DROP_AND_WARN           # a new flood is told again


def test_one_message_a_second_or_a_registration_at_two_a_second_is_never_dropped() -> None:
    clock = Clock()
    flood = FloodControl(clock=clock)
    for _ in range(3600):                                          # an hour at one message a second
        assert flood.enter("tg:1") is Verdict.ADMIT
        flood.leave("tg:1")
        clock.now += 1
    for _ in range(2 * 31):                                        # two registrations, tapping twice a second
        assert flood.enter("tg:2") is Verdict.ADMIT
        flood.leave("tg:2")
        clock.now += 0.5


def test_a_repeated_delivery_costs_no_token() -> None:
    flood = FloodControl(clock=Clock())
    for i in range(BURST):
        assert flood.enter("tg:1", f"tg:{i}") is Verdict.ADMIT
        flood.leave("tg:1")
    for i in range(BURST):                                         # Telegram delivers them all again
        assert flood.enter("tg:1", f"tg:{i}") is Verdict.ADMIT
        flood.leave("tg:1")
    assert flood.enter("tg:1", "tg:new") is Verdict.DROP_AND_WARN


def test_a_users_updates_in_progress_are_capped() -> None:
    clock = Clock()
    flood = FloodControl(clock=clock, burst=10 * MAX_IN_PROGRESS)
    assert all(flood.enter("tg:1") is Verdict.ADMIT for _ in range(MAX_IN_PROGRESS))
    assert flood.enter("tg:1") is Verdict.DROP_AND_WARN           # none of them done yet
    flood.leave("tg:1")
    clock.now += 1
    assert flood.enter("tg:1") is Verdict.ADMIT


def test_a_flood_empties_the_users_bucket() -> None:
    """Dropped once, a user gets nothing more until they pause, then one a
    second: not a fresh ``MAX_IN_PROGRESS`` each time their backlog is done
    (each would hold up polling behind a flood again)."""
    clock = Clock()
    flood = FloodControl(clock=clock)
    assert all(flood.enter("tg:1") is Verdict.ADMIT for _ in range(MAX_IN_PROGRESS))
    assert flood.enter("tg:1") is Verdict.DROP_AND_WARN           # the bucket still held plenty
    for _ in range(MAX_IN_PROGRESS):
        flood.leave("tg:1")
    assert [flood.enter("tg:1") for _ in range(100)] == [Verdict.DROP] * 100
    clock.now += 1
    assert flood.enter("tg:1") is Verdict.ADMIT                   # one a second after a pause
    assert flood.enter("tg:1") is Verdict.DROP
    assert flood.enter("tg:2") is Verdict.ADMIT                   # nobody else is affected


def test_idle_users_are_forgotten() -> None:
    clock = Clock()
    flood = FloodControl(clock=clock)
    for i in range(SWEEP_EVERY):
        flood.enter(f"tg:{i}")
        flood.leave(f"tg:{i}")
    clock.now += BURST + QUIET
    for i in range(SWEEP_EVERY):
        flood.enter(f"tg:new{i}")
        flood.leave(f"tg:new{i}")
    assert len(flood) <= SWEEP_EVERY


class _SlowBotAPI(FakeBotAPI):
    """Telegram as the poller sees it: getUpdates hands out at most 100
    updates from the offset; every other call takes a little time. Records,
    in one list with the dispatcher's turns, the order of what happens, and
    every offset that confirmed an update not yet applied (or dropped)."""

    def __init__(self, events: list, finished: set[int]) -> None:
        super().__init__()
        self.events, self.finished = events, finished
        self.confirmed_unfinished: list[int] = []

    async def do_request(self, url, method, request_data=None, **kwargs):
        name = url.rsplit("/", 1)[-1]
        if name == "sendMessage":
            self.events.append(("send", int(request_data.parameters["chat_id"])))
        if name != "getUpdates":
            await asyncio.sleep(0.002)
        return await super().do_request(url, method, request_data, **kwargs)

    async def _get_updates(self, params):
        offset = params.get("offset")
        if offset is not None:
            self.confirmed_unfinished += [u["update_id"] for u in self.pending_updates
                                          if u["update_id"] < offset and u["update_id"] not in self.finished]
        return await super()._get_updates(params)


async def test_polling_answers_a_worker_behind_a_flood_longer_than_one_getupdates(tmp_path) -> None:
    """300 updates of a flooder, then one of a worker, through the real
    poller: getUpdates returns at most 100 from the offset, and the offset
    stays at the oldest update not yet applied. The worker is answered after
    at most ``MAX_IN_PROGRESS`` (8) of the flooder's turns, whatever the
    flood's length (it was 40, a registration's worth); no update is confirmed before
    it and every earlier one are applied or dropped; all are confirmed in
    the end. The flood control's clock stands still: nothing refills."""
    events: list = []
    finished: set[int] = set()
    store = SQLiteStore(tmp_path / "flood.db", Keyring(bytes(range(32))))
    await store.migrate()
    api = _SlowBotAPI(events, finished)
    counting = Counting(Registration(store))
    inner_handle = counting.handle

    async def handle(user_id, inp, **kwargs):
        events.append(("turn", user_id))
        return await inner_handle(user_id, inp, **kwargs)

    counting.handle = handle
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, max_messages_per_second=0,
                                     _env_file=None), counting, request=api, flood=FloodControl(clock=Clock()))

    async def done(update, context) -> None:           # runs after the channel's handler is done with it
        finished.add(update.update_id)

    app.add_handler(TypeHandler(Update, done), group=1)
    await start_application(app)
    updates = Updates(app.bot)
    flooder = Updates.user(FLOODER, "hi")
    api.pending_updates = [updates.text(flooder, f"नमस्ते {i}").to_dict() for i in range(300)]
    api.pending_updates.append(updates.text(Updates.user(WORKER, "en"), "hello").to_dict())
    last = updates.last_id
    stop = asyncio.Event()
    task = asyncio.create_task(poll(app, stop, timeout=0))
    try:
        await _until(lambda: api.sent_texts(WORKER), rounds=4000)
        await _until(lambda: api.offsets and api.offsets[-1] == last + 1, rounds=4000)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await app.shutdown()
        await store.close()

    assert api.sent_texts(WORKER), "the worker was never answered"
    first_reply = events.index(("send", WORKER))
    flooder_turns = [e for e in events[:first_reply] if e == ("turn", f"tg:{FLOODER}")]
    flooder_sends = [e for e in events[:first_reply] if e == ("send", FLOODER)]
    # a few of the flooder's turns (their in-progress cap: a burst of offline-typed messages), not a
    # registration's worth, whatever the flood's length
    assert len(flooder_turns) <= MAX_IN_PROGRESS <= 8, f"the worker waited for {len(flooder_turns)} turns"
    assert len(flooder_sends) <= len(flooder_turns) + 1        # a reply each and one "please wait"
    assert api.sent_texts(FLOODER).count(translate("hi", texts.SLOW_DOWN)) == 1
    assert api.confirmed_unfinished == []                      # crash safety: nothing confirmed early
    assert api.offsets[-1] == last + 1                         # and everything confirmed in the end
    assert finished == set(range(1, last + 1))


async def test_an_aadhaar_in_a_dropped_message_is_deleted_a_few_times_a_flood(channel) -> None:
    """A message dropped by the flood control is not applied, but one that
    holds an Aadhaar number is still deleted from the chat: at most
    ``DELETES_PER_FLOOD`` of them in one flood, so a flood of them cannot
    spend the bot's send budget. A new flood has its own. (The flooder's
    turns are held, so all of ``MAX_IN_PROGRESS`` stay in progress.)"""
    app, api, store, counting, clock = channel
    updates = Updates(app.bot)
    flooder = Updates.user(FLOODER, "en")
    release = counting.hold[f"tg:{FLOODER}"] = asyncio.Event()
    backlog = asyncio.create_task(apply_batch(app, [updates.text(flooder, "hi") for _ in range(MAX_IN_PROGRESS)]))
    try:
        assert await _until(lambda: counting.applied[f"tg:{FLOODER}"] == 1)
        with_aadhaar = updates.text(flooder, "my aadhaar 2341\n2341 2346")
        await apply_batch(app, [with_aadhaar])
        assert counting.applied[f"tg:{FLOODER}"] == 1                       # dropped, not applied
        assert [c.params["message_id"] for c in api.of("deleteMessage")] == [with_aadhaar.message.message_id]

        await apply_batch(app, [updates.text(flooder, "2341 2341 2346") for _ in range(300)])   # it goes on
        assert len(api.of("deleteMessage", FLOODER)) == DELETES_PER_FLOOD
        slow_down = translate("en", texts.SLOW_DOWN)
        assert api.sent_texts(FLOODER) == [slow_down]                       # nothing else was sent

        clock.now += QUIET                                                  # over; the next flood is new
        await apply_batch(app, [updates.text(flooder, "2341 2341 2346") for _ in range(300)])
        assert len(api.of("deleteMessage", FLOODER)) == 2 * DELETES_PER_FLOOD
        assert api.sent_texts(FLOODER) == [slow_down, slow_down]
    finally:
        release.set()
        await backlog
    assert counting.applied[f"tg:{FLOODER}"] == MAX_IN_PROGRESS
