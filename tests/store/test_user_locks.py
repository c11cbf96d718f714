"""``UserLocks``: one user's holders one at a time, in the order they came;
others never wait for them; nothing is remembered of a user once the last
holder leaves, even one cancelled while waiting."""
from __future__ import annotations

import asyncio

import pytest

from bot.store.locks import UserLocks


async def test_one_users_holders_take_turns_in_order_and_others_do_not_wait() -> None:
    locks, order = UserLocks(), []

    async def hold(user: str, name: str, pause: float) -> None:
        async with locks.hold(user):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(hold("a", "a1", 0.02), hold("a", "a2", 0), hold("b", "b1", 0))
    assert order == ["a1 in", "b1 in", "b1 out", "a1 out", "a2 in", "a2 out"]
    assert len(locks) == 0


async def test_a_holder_cancelled_while_waiting_leaves_nothing_behind() -> None:
    locks, order = UserLocks(), []

    async def hold(name: str, pause: float) -> None:
        async with locks.hold("a"):
            order.append(name)
            await asyncio.sleep(pause)

    first = asyncio.create_task(hold("first", 0.02))
    await asyncio.sleep(0)
    waiting, last = asyncio.create_task(hold("cancelled", 0)), asyncio.create_task(hold("last", 0))
    await asyncio.sleep(0)
    waiting.cancel()
    await asyncio.gather(first, last)
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert order == ["first", "last"] and len(locks) == 0


async def test_an_error_inside_releases_the_lock() -> None:
    locks = UserLocks()
    with pytest.raises(ValueError):
        async with locks.hold("a"):
            raise ValueError("inside")
    assert len(locks) == 0
    async with locks.hold("a"):
        assert len(locks) == 1
