"""Drafts are written with pydantic's JSON serialiser and read with its
parser (``bot.store.core.draft_json``, ``draft_of``), on every answer: the
text must be what ``to_json`` (the standard library's) writes, and read back
to the same values."""
from __future__ import annotations

import json
import random

from pydantic_core import from_json

from bot.store.core import draft_json
from bot.store.sql import to_json

LETTERS = ["a", "क", "😀", "\n", "\t", "\x00", "\x1f", "\x7f", "\u2028", '"', "\\", "/", "é", "\uffff", " ", "<", "&"]


def value(rng: random.Random, depth: int = 0):
    kind = rng.randint(0, 7 if depth < 3 else 4)
    if kind == 0:
        return "".join(rng.choice(LETTERS) for _ in range(rng.randint(0, 12)))
    if kind == 1:
        return rng.randint(-10**18, 10**18)
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return rng.choice([0.5, 1.5, 123456789.125, 1 / 3, -0.0])
    if kind == 4:
        return rng.randint(0, 10)
    if kind == 5:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {"".join(rng.choice(LETTERS) for _ in range(rng.randint(0, 6))): value(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}


def test_draft_json_is_to_json_and_reads_back() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        data = {"user_id": "tg:1", "answers": value(rng), "meta": {"section": "x", "tallied": True}}
        text = draft_json(data)
        assert text == to_json(data)
        assert from_json(text, cache_strings="keys") == json.loads(text) == data


def test_a_float_with_an_exponent_reads_back_alike() -> None:
    data = {"answers": {"tiny": 1e-7, "huge": 1e300}}
    assert json.loads(draft_json(data)) == data == from_json(to_json(data))
