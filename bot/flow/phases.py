"""The phases around the form: the review, picking an answer to change,
resuming after a while, confirming an erasure, a pause, and the ends
(stopped, submitted). Each has what it asks and what an answer to it does;
``bot.flow.engine.PHASES`` puts them in one table."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.models import Phase, ReviewState
from bot.flow import form, voice
from bot.flow import messages as m
from bot.flow.matching import Stale, matched_choice
from bot.flow.steps import (REVIEW_BARE, REVIEW_LABELS, REVIEW_LEFT_OUT, REVIEW_LINES, STEP_BY_KEY, STEPS, Step,
                            progress)
from bot.messages import Choice, Effect, Input, Reply

if TYPE_CHECKING:
    from bot.flow.engine import Turn

#: filling in the form: a worker away for long is asked to resume, and "continue" goes back here
FILLING = (Phase.FORM, Phase.REVIEW, Phase.EDIT_PICK)
#: questions on the side (a command, a long absence); answered, they go back to ``Draft.back_to``
ASIDES = (Phase.RESUME, Phase.PAUSED, Phase.CONFIRM_DELETE)
#: the registration has ended; nothing more is asked
ENDED = (Phase.SUBMITTED, Phase.INELIGIBLE, Phase.DECLINED)

STATUS = {ReviewState.SUBMITTED: m.STATUS_SUBMITTED, ReviewState.IN_REVIEW: m.STATUS_IN_REVIEW,
          ReviewState.HAS_ISSUES: m.STATUS_HAS_ISSUES, ReviewState.APPROVED: m.STATUS_APPROVED,
          ReviewState.REJECTED: m.STATUS_REJECTED}


def step_aside(turn: Turn, phase: Phase) -> None:
    """Go to an aside ``phase``, remembering where to come back to (coming
    from another aside, the place remembered stays)."""
    d = turn.draft
    if d.phase not in ASIDES:
        d.back_to = d.phase
    d.phase = phase


def _question(turn: Turn, phase: Phase, text: str, choices: list[Choice]) -> None:
    turn.replies.append(Reply(text, choices, question=phase.value))


# -- the review --------------------------------------------------------------------

def ask_review(turn: Turn) -> None:
    """The answers on a few lines (``REVIEW_LINES``), then submit or change."""
    d = turn.draft
    lines = [turn.t(m.REVIEW_INTRO), ""]
    placed = {key for _, keys in REVIEW_LINES for key in keys} | REVIEW_LEFT_OUT
    unplaced = tuple(step.key for step in STEPS if step.in_summary and step.key not in placed)
    for icon, keys in (*REVIEW_LINES, ("•", unplaced)):  # a question added but not placed yet: last
        items = [_review_item(turn, STEP_BY_KEY[key]) for key in keys if key in d.answers]
        if items:
            lines.append(f"{icon} " + " · ".join(items))
    lines += ["", turn.t(m.REVIEW_OUTRO)]
    _question(turn, Phase.REVIEW, "\n".join(lines),
              [Choice("submit", turn.t(m.REVIEW_SUBMIT)), Choice("edit", turn.t(m.REVIEW_EDIT))])


def _review_item(turn: Turn, step: Step) -> str:
    answers = turn.draft.answers
    shown = voice.shown(step, turn.lang, answers, turn.draft.meta)
    if step.key in REVIEW_BARE and answers[step.key] is not None:
        return shown
    return f"{turn.t(REVIEW_LABELS.get(step.key, step.label))}: {shown}"


def answer_review(turn: Turn, inp: Input) -> None:
    picked = turn.closed_question(inp, Phase.REVIEW.value)
    if picked == "submit":
        turn.effect = Effect.SUBMIT
    elif picked == "edit":
        turn.draft.phase = Phase.EDIT_PICK
        turn.ask()


def ask_edit_pick(turn: Turn) -> None:
    d = turn.draft
    choices = [Choice(s.key, turn.t(s.label), s.label) for s in STEPS if s.is_editable(d.answers)]
    choices.append(Choice("back", turn.t(m.EDIT_BACK)))
    _question(turn, Phase.EDIT_PICK, turn.t(m.EDIT_PICK), choices)


def answer_edit_pick(turn: Turn, inp: Input) -> None:
    d = turn.draft
    picked = turn.closed_question(inp, Phase.EDIT_PICK.value)
    if picked == "back":
        d.phase = Phase.REVIEW
        turn.ask()
    elif picked:
        d.phase, d.step, d.editing = Phase.FORM, picked, True
        turn.ask()


# -- asides ------------------------------------------------------------------------

def ask_resume(turn: Turn) -> None:
    done, total = progress(turn.draft.answers)
    _question(turn, Phase.RESUME, turn.t(m.WELCOME_BACK, done=done, total=total, left=total - done),
              [Choice("continue", turn.t(m.RESUME_CONTINUE)), Choice("restart", turn.t(m.RESUME_RESTART))])


def answer_resume(turn: Turn, inp: Input) -> None:
    d = turn.draft
    picked = turn.closed_question(inp, Phase.RESUME.value)
    if picked == "continue":
        d.phase = d.back_to if d.back_to in FILLING else Phase.FORM
        d.back_to = None
        turn.ask()
    elif picked == "restart":
        form.restart(turn)
        turn.say(m.RESTARTED)
        turn.ask()


def ask_delete(turn: Turn) -> None:
    has_app = turn.ctx.application is not None
    text = turn.t(m.CONFIRM_DELETE, application=turn.t(m.CONFIRM_DELETE_APPLICATION) if has_app else "")
    _question(turn, Phase.CONFIRM_DELETE, text,
              [Choice("yes", turn.t(m.DELETE_YES)), Choice("no", turn.t(m.DELETE_NO))])


def answer_delete(turn: Turn, inp: Input) -> None:
    d = turn.draft
    picked = turn.closed_question(inp, Phase.CONFIRM_DELETE.value)
    if picked == "yes":
        turn.effect = Effect.ERASE
        turn.say(m.DELETED)
    elif picked == "no":
        d.phase = d.back_to or Phase.FORM
        d.back_to = None
        turn.say(m.NOT_DELETED)
        turn.ask()


def ask_paused(turn: Turn) -> None:
    turn.say(m.PAUSED)


def answer_paused(turn: Turn, inp: Input) -> None:
    """Any message after a pause: continue or start over?"""
    turn.draft.phase = Phase.RESUME
    turn.ask()


# -- the ends ----------------------------------------------------------------------

def answer_stopped(turn: Turn, inp: Input) -> None:
    """Told why it stopped: the button under the reason (or its name typed)
    starts again; anything else hears the reason again, with the button."""
    form.explain_stop(turn)
    offered = turn.replies[-1]
    try:
        picked = matched_choice(inp, offered.question or "", offered.choices)
    except Stale:  # a button of an earlier question
        picked = None
    if picked == "start":
        turn.replies.pop()
        form.start_over(turn)


def say_status(turn: Turn) -> None:
    """Where the application stands (or, before it, how far the form is)."""
    app = turn.ctx.application
    if app is None:
        if turn.draft.phase in (Phase.FORM, Phase.REVIEW):
            done, total = progress(turn.draft.answers)
            turn.say(m.PROGRESS, done=done, total=total, left=total - done)
        return
    turn.say(STATUS[app.state], reference=app.reference, uan=app.uan or "")


def answer_submitted(turn: Turn, inp: Input) -> None:
    say_status(turn)
