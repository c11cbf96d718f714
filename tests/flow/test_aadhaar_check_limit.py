"""Typing an Aadhaar number tells a worker at once whether it is already
registered; so that nobody can find out about other people's numbers by
typing one after another, a user gets five such checks a day. The sixth is
not made and reveals nothing, the draft keeps everything else, the next
day there are five again, erasing oneself gives no new ones; every check is
on the audit trail, never with the number. On both backends, through the
registration service."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from bot.flow import messages as m
from bot.messages import Input
from bot.i18n import translate
from bot.service import Registration
from tests.store.test_store import sql, valid_aadhaar
from tests.workers import Worker

DAY_ONE = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)   # 15:30 in India
AADHAAR_AT = Worker.make(0).persona.index_of("aadhaar")        # in a worker's script


@pytest.mark.parametrize("lang", ["hi", "en"])
async def test_the_sixth_aadhaar_check_of_a_day_is_refused_and_reveals_nothing(store, lang: str) -> None:
    clock = [DAY_ONE]
    registration = Registration(store, clock=lambda: clock[0])
    keys = itertools.count(1)

    owner, prober = Worker.make(601, "en"), Worker.make(602, lang)

    async def say(user: str, line: str):
        inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
        return await registration.handle(user, inp, default_lang=prober.lang if user == prober.user_id else "en",
                                         update_key=f"u:{next(keys)}")

    for line in owner.script:
        await say(owner.user_id, line)
    assert await store.application_for_user(owner.user_id) is not None
    for line in prober.script[:AADHAAR_AT]:
        await say(prober.user_id, line)

    taken = translate(lang, m.AADHAAR_TAKEN)
    for _ in range(5):                                   # a worker's own tries: answered
        out = await say(prober.user_id, owner.aadhaar)
        assert out.replies[0].text == taken
    unregistered = valid_aadhaar(55512345678)
    refusals = [await say(prober.user_id, number) for number in (owner.aadhaar, unregistered)]
    for out in refusals:                                 # the sixth and seventh: not checked
        said = "\n".join(reply.text for reply in out.replies)
        assert taken not in said
        assert said == translate(lang, m.AADHAAR_CHECKS_USED_UP)   # the same, registered or not
        assert out.secret_input                          # the channel still deletes the typed number
    draft = await store.load_draft(prober.user_id)
    assert "aadhaar" not in draft.answers and draft.step == "aadhaar"
    assert draft.answers["mobile"] == prober.mobile      # the rest is kept

    # erasing oneself gives no new checks
    await say(prober.user_id, "/delete")
    await say(prober.user_id, "1")
    for line in prober.script[:AADHAAR_AT]:
        await say(prober.user_id, line)
    out = await say(prober.user_id, owner.aadhaar)
    assert out.replies[0].text == translate(lang, m.AADHAAR_CHECKS_USED_UP)

    clock[0] = DAY_ONE + timedelta(days=1)               # the next day: five again
    out = await say(prober.user_id, "hello")             # welcome back...
    assert out.replies[-1].question == "resume"
    out = await say(prober.user_id, "1")                 # ...continue
    assert out.replies[-1].question == "aadhaar"
    out = await say(prober.user_id, owner.aadhaar)
    assert out.replies[0].text == taken
    out = await say(prober.user_id, prober.aadhaar)
    assert out.replies[0].text == translate(lang, m.AADHAAR_NOTED, masked="XXXX XXXX " + prober.aadhaar[-4:])
    assert (await store.load_draft(prober.user_id)).answers["aadhaar"] == prober.aadhaar

    rows = await sql(store, "SELECT actor, detail FROM audit WHERE action = 'aadhaar_check' ORDER BY id")
    found, free, refused = '{"found":true}', '{"found":false}', '{"refused":"daily_limit"}'
    assert [tuple(row) for row in rows] == [(owner.user_id, free)] + [("erased-worker", found)] * 5 + \
        [("erased-worker", refused)] * 2 + [(prober.user_id, refused), (prober.user_id, found), (prober.user_id, free)]
    trail = str(await sql(store, "SELECT * FROM audit"))
    counters = str(await sql(store, "SELECT * FROM aadhaar_checks"))
    for number in (owner.aadhaar, prober.aadhaar, unregistered, owner.aadhaar[-4:] + "'", prober.user_id):
        assert number not in counters
    for number in (owner.aadhaar, prober.aadhaar, unregistered):
        assert number not in trail

    # housekeeping forgets past days
    from bot.store.aadhaar_checks import forget_old
    assert await store.transact(forget_old, DAY_ONE + timedelta(days=2)) == 2   # day one's counters
    assert len(await sql(store, "SELECT * FROM aadhaar_checks")) == 1           # day two's, of the prober
