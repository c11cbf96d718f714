"""User ids per channel, written in one place (``bot.addresses``): made and
read back, shown to staff and typed back by them, and spelled nowhere else
in the bot."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from bot import addresses
from bot.dispatch import parse_admins

BOT = Path(__file__).resolve().parents[2] / "bot"
CHANNELS = (addresses.TELEGRAM, addresses.CONSOLE, addresses.WALKIN)
local_ids = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=30)


@given(st.sampled_from(CHANNELS), local_ids)
def test_a_user_id_is_read_back_as_it_was_made(channel: str, local: str) -> None:
    uid = addresses.user_id(channel, local)
    assert addresses.parse(uid) == (channel, local)
    assert addresses.channel_of(uid) == channel
    assert addresses.local_id(uid, channel) == local
    assert addresses.typed(addresses.shown(uid)) == uid  # what staff read, typed back, is the same user


@given(st.integers(min_value=1, max_value=10**12))
def test_a_telegram_user_is_their_private_chat_and_staff_see_the_bare_number(number: int) -> None:
    uid = addresses.user_id(addresses.TELEGRAM, number)
    assert uid == f"tg:{number}"  # as the store has always kept them
    assert addresses.telegram_chat(uid) == number
    assert addresses.shown(uid) == str(number) and addresses.typed(str(number)) == uid
    assert addresses.update_key(addresses.TELEGRAM, number) == f"tg:{number}"


def test_ids_of_other_channels_and_bad_ones() -> None:
    walkin = addresses.new_walkin("abcdefgh")
    assert addresses.is_walkin(walkin) and not addresses.is_walkin("tg:1")
    assert addresses.telegram_chat(walkin) is None and addresses.telegram_chat("tg:abc") is None
    assert addresses.shown("console:ram") == "console:ram"
    for bad in ("", "ram", ":ram", "tg:", "two words:x", "tg:1 2", "١٢٣"):
        assert addresses.typed(bad) is None, bad
    with pytest.raises(ValueError):
        addresses.user_id("", "1")
    with pytest.raises(ValueError):
        addresses.user_id("a:b", "1")
    assert parse_admins(" 123, 456 ;console:ram, walkin:x ,, nobody") == {"tg:123", "tg:456", "console:ram",
                                                                          "walkin:x"}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants in code (f-strings' parts too), docstrings left out."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_other_module_spells_a_channel_prefix() -> None:
    # the schema's migrations are left out: an applied migration is never edited
    prefixes = tuple(f"{channel}:" for channel in CHANNELS)
    found = []
    for path in sorted(BOT.rglob("*.py")):
        relative = path.relative_to(BOT).as_posix()
        if relative in ("addresses.py", "store/migrations.py"):
            continue
        for line, value in _strings(ast.parse(path.read_text(), str(path))):
            if any(prefix in value for prefix in prefixes):
                found.append(f"bot/{relative}:{line}: {value!r}")
    assert found == []
