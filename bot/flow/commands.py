"""The commands a worker can send at any point: /start (with a deep-link
payload), /help, /status, /language, /cancel and /delete. Each ends by
asking whatever the worker's position then calls for;
``bot.flow.engine.COMMANDS`` puts them in one table."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.domain.models import Phase, ReviewState
from bot.domain.references import is_reference
from bot.flow import form
from bot.flow import messages as m
from bot.flow.phases import ASIDES, ENDED, step_aside
from bot.flow.steps import STEP_BY_KEY, STEPS, has_progress, progress
from bot.i18n import languages, next_language

if TYPE_CHECKING:
    from bot.flow.engine import Turn

_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def start(turn: Turn, arg: str | None) -> None:
    """Greet, or pick up where the worker was; a stopped registration starts
    over (with the language kept); a deep-link payload notes the source."""
    d = turn.draft
    if arg and _PAYLOAD_RE.match(arg) and not is_reference(arg):
        d.meta.setdefault("source", arg)
        d.meta["last_source"] = arg
    if d.phase in (Phase.INELIGIBLE, Phase.DECLINED):
        return form.start_over(turn)
    if d.phase is not Phase.SUBMITTED and has_progress(d.answers):
        step_aside(turn, Phase.RESUME)
    elif d.phase in ASIDES:
        d.phase = d.back_to or Phase.FORM
    turn.ask()


def help_(turn: Turn, arg: str | None) -> None:
    step = STEP_BY_KEY.get(turn.draft.step or "") if turn.draft.phase is Phase.FORM else None
    if step is not None:
        turn.say(m.HELP_INTRO, label=turn.t(step.label))
        turn.say(step.help)
    turn.say(m.COMMANDS_HELP)
    turn.ask()


def status(turn: Turn, arg: str | None) -> None:
    d = turn.draft
    if d.phase is not Phase.SUBMITTED:
        done, total = progress(d.answers)
        turn.say(m.PROGRESS, done=done, total=total, left=total - done)
    turn.ask()
    app = turn.ctx.application
    if d.phase is Phase.SUBMITTED and app is not None and app.state is ReviewState.SUBMITTED:
        turn.replies[-1].qr_reference = app.reference


def language(turn: Turn, arg: str | None) -> None:
    """``/language hi`` picks a language; ``/language`` alone switches to the next one."""
    d = turn.draft
    d.lang = arg if arg in languages() else next_language(turn.lang)
    for step in STEPS:
        if step.sets_language and step.key in d.answers:
            d.answers[step.key] = d.lang
    turn.say(m.LANGUAGE_SET)
    turn.ask()


def cancel(turn: Turn, arg: str | None) -> None:
    """Pause: the answers stay saved."""
    if turn.draft.phase not in ENDED:
        step_aside(turn, Phase.PAUSED)
    turn.ask()


def delete(turn: Turn, arg: str | None) -> None:
    """Ask to confirm erasing everything (if there is anything to erase)."""
    if not turn.draft.answers and turn.ctx.application is None:
        turn.say(m.NOTHING_TO_DELETE)
        return turn.ask()
    step_aside(turn, Phase.CONFIRM_DELETE)
    turn.ask()


def unknown(turn: Turn, arg: str | None) -> None:
    turn.say(m.UNKNOWN_COMMAND)
    turn.say(m.COMMANDS_HELP)
    turn.ask()
