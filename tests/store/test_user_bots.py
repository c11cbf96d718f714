"""The bot each user is reached through (``bot.store.bots``, migration 12),
on both backends: a worker keeps the bot they first wrote to, a staff user's
follows the bot they last used, and erasing a worker erases the record."""
from __future__ import annotations

from bot.domain.models import Draft, Phase
from bot.store import bots
from tests.desk.desk_fixtures import NOW, OPERATOR_A, add_staff, submit
from tests.store.backends import sql

BOT_A, BOT_B = "111111", "222222"


async def test_a_worker_keeps_the_bot_they_first_wrote_to(store) -> None:
    assert await store.query(bots.bot_of, "tg:5001") is None
    await store.transact(bots.wrote_to, "tg:5001", BOT_B, NOW)
    await store.transact(bots.wrote_to, "tg:5001", BOT_A, NOW)  # opened the other bot too
    assert await store.query(bots.bot_of, "tg:5001") == BOT_B


async def test_a_staff_users_bot_is_the_one_they_last_used(store) -> None:
    await add_staff(store, OPERATOR_A)
    for bot in (BOT_A, BOT_B, BOT_A):
        await store.transact(bots.wrote_to, OPERATOR_A.user_id, bot, NOW)
        assert await store.query(bots.bot_of, OPERATOR_A.user_id) == bot


async def test_erasing_a_worker_erases_their_bot(store) -> None:
    await store.transact(bots.wrote_to, "tg:5002", BOT_B, NOW)
    await submit(store, "tg:5002")
    await store.transact(bots.wrote_to, "tg:5003", BOT_B, NOW)
    await store.save_draft(Draft(user_id="tg:5003", lang="hi", phase=Phase.FORM, answers={"consent": "agree"}))
    await store.transact(bots.wrote_to, "tg:5004", BOT_A, NOW)

    await store.erase_user("tg:5002")                     # with an application
    await store.erase_user("tg:5003", applied="tg:9001")  # with a draft only, by /delete
    assert await store.query(bots.bot_of, "tg:5002") is None
    assert await store.query(bots.bot_of, "tg:5003") is None
    assert await sql(store, "SELECT user_id, bot FROM user_bots") == [("tg:5004", BOT_A)]  # others stay
