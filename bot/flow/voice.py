"""Answers given as a voice note, at the questions that take one
(``Step.voice``: a name or an address, which many workers cannot type).

What is kept, in the draft and in the application made from it:

- ``answers[key] = None``: the question is answered (the form goes on),
  and every reader of the answers (the export, the parsers, the prompts
  that name an answer) still sees only text or None;
- ``meta["voice:<key>"]``: the voice note's file id in its channel
  (Telegram's), by which the CSC operator plays it. The worker's voice is
  personal data: the id lives only in the draft and the application, is
  erased with them (``/delete``, ``shram-sahayak erase``), and is never
  logged nor written in the audit trail.

The review and the card show such an answer as "answered by voice (to be
typed at the CSC)" (``shown``). Until an operator types what they hear
(``bot.desk.review``), it is ``untyped`` and the application cannot be
approved; once typed, ``answers[key]`` holds the text and the id stays,
so the operator can listen again. When the worker answers the question
again (typed, or another voice note) or the answer goes (an answer it
depends on changed, starting over, a stop), the old id goes too.
"""
from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from bot.flow import messages as m
from bot.flow.steps import STEPS, Step
from bot.i18n import translate

#: how a voice note's key in ``meta`` begins
PREFIX = "voice:"


def meta_key(key: str) -> str:
    return PREFIX + key


def file_id(meta: Mapping[str, Any], key: str) -> str | None:
    """The voice note that answered ``key``, if any."""
    found = meta.get(meta_key(key))
    return found if isinstance(found, str) and found else None


def answered(meta: Mapping[str, Any]) -> list[Step]:
    """The steps answered by a voice note, in the order of the form."""
    return [step for step in STEPS if step.voice and file_id(meta, step.key)]


def untyped(answers: Mapping[str, Any], meta: Mapping[str, Any]) -> list[Step]:
    """The voice answers no one has typed yet (the CSC must, before approving)."""
    return [step for step in answered(meta) if step.key in answers and answers[step.key] is None]


def keep(meta: MutableMapping[str, Any], key: str, voice: str) -> None:
    meta[meta_key(key)] = voice


def forget(meta: MutableMapping[str, Any], key: str) -> None:
    meta.pop(meta_key(key), None)


def forget_unanswered(answers: Mapping[str, Any], meta: MutableMapping[str, Any]) -> None:
    """Drop the voice notes of answers no longer held."""
    for name in [name for name in meta if name.startswith(PREFIX)]:
        if name[len(PREFIX):] not in answers:
            del meta[name]


def shown(step: Step, lang: str, answers: Mapping[str, Any], meta: Mapping[str, Any]) -> str:
    """``step``'s answer as the review and the card show it."""
    value = answers[step.key]
    if value is None and file_id(meta, step.key):
        return translate(lang, m.BY_VOICE)
    return step.show(value, lang, dict(answers))
