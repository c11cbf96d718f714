"""The registration engine: (draft, input, context) -> (new draft, replies).

Pure: no Telegram, no database, no clock of its own. What needs the store
(checking an Aadhaar number is not taken, submitting, erasing) is returned as
an ``Effect``; the service carries it out and, where the conversation goes
on, calls back in (``aadhaar_taken``, ``submitted``).

A turn is read from two tables: ``PHASES`` (for each phase of the
conversation, what it asks and what an answer to it does: the form in
``bot.flow.form``, the others in ``bot.flow.phases``) and ``COMMANDS``
(``bot.flow.commands``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.catalogues import Option
from bot.domain.models import Application, Draft, Phase
from bot.domain.sensitive import Holds
from bot.flow import commands, form, phases, voice
from bot.flow import messages as m
from bot.flow.matching import Stale, matched_choice
from bot.flow.steps import STEP_BY_KEY, has_progress, step_holding, typed_holds
from bot.flow.understanding import understand
from bot.i18n import default_language, translate
from bot.messages import Effect, Input, Outcome, Reply

#: after this long away, a returning worker is asked: continue or start over?
RESUME_AFTER = timedelta(hours=3)


@dataclass(frozen=True)
class Context:
    now: datetime
    user_id: str
    default_lang: str = field(default_factory=default_language)
    application: Application | None = None


#: what to say for input that is not text, by ``Input.kind`` (a voice note where
#: the question takes one is an answer, see ``form.takes_voice``)
NOT_TEXT = {"edited": m.EDITED_MESSAGE, "voice": m.NO_VOICE, "audio": m.NO_VOICE, "video_note": m.NO_VOICE}


class Turn:
    """One input being handled: the draft it changes and the replies it makes."""

    def __init__(self, draft: Draft, ctx: Context, inp: Input | None = None) -> None:
        self.draft = draft
        self.ctx = ctx
        self.inp = inp
        self.replies: list[Reply] = []
        self.effect: Effect | None = None

    @property
    def lang(self) -> str:
        return self.draft.lang or self.ctx.default_lang

    def t(self, msgid: str, **params) -> str:
        return translate(self.lang, msgid, **params)

    def say(self, msgid: str, **params) -> None:
        self.replies.append(Reply(self.t(msgid, **params)))

    def outcome(self, secret_input: bool = False) -> Outcome:
        self.draft.updated_at = self.ctx.now
        voice.forget_unanswered(self.draft.answers, self.draft.meta)
        return Outcome(self.draft, self.replies, self.effect, secret_input)

    def ask(self) -> None:
        """Ask whatever the worker's position calls for."""
        PHASES[self.draft.phase].ask(self)

    def handle(self, inp: Input) -> None:
        d = self.draft
        if inp.command:
            return COMMANDS.get(inp.command, commands.unknown)(self, inp.arg)
        if inp.kind not in ("text", "contact") and not form.takes_voice(self, inp):
            self.say(NOT_TEXT.get(inp.kind, m.ONLY_TEXT))
            return self.ask()
        if d.phase in phases.FILLING and self.ctx.now - d.updated_at > RESUME_AFTER and has_progress(d.answers):
            phases.step_aside(self, Phase.RESUME)
            return self.ask()
        PHASES[d.phase].answer(self, inp)

    def closed_question(self, inp: Input, question: str) -> str | None:
        """Match input against the choices the last ``ask`` of this phase
        offered; if it picks none, say so and ask again."""
        self.ask()
        offered = self.replies.pop()
        try:
            picked = matched_choice(inp, question, offered.choices)
        except Stale:
            self.say(m.STALE_BUTTON)
            self.replies.append(offered)
            return None
        if picked is None and inp.text:  # typed in the worker's own words ("जमा कर दो"), a whole name only
            picked = understand(inp.text, [Option(c.id, c.msgid or c.label) for c in offered.choices],
                                exactly=True).sure
        if picked is None:
            self.say(m.NOT_UNDERSTOOD_CHOICE)
            self.replies.append(offered)
        return picked


# -- the tables ----------------------------------------------------------------

@dataclass(frozen=True)
class Handling:
    """What a phase asks, and what an answer to it does."""
    ask: Callable[[Turn], None]
    answer: Callable[[Turn, Input], None]


PHASES: dict[Phase, Handling] = {
    Phase.FORM: Handling(form.ask, form.answer),
    Phase.REVIEW: Handling(phases.ask_review, phases.answer_review),
    Phase.EDIT_PICK: Handling(phases.ask_edit_pick, phases.answer_edit_pick),
    Phase.RESUME: Handling(phases.ask_resume, phases.answer_resume),
    Phase.CONFIRM_DELETE: Handling(phases.ask_delete, phases.answer_delete),
    Phase.PAUSED: Handling(phases.ask_paused, phases.answer_paused),
    Phase.DECLINED: Handling(form.explain_stop, phases.answer_stopped),
    Phase.INELIGIBLE: Handling(form.explain_stop, phases.answer_stopped),
    Phase.SUBMITTED: Handling(phases.say_status, phases.answer_submitted),
}

#: the worker's commands (without the slash); any other is answered as unknown
COMMANDS: dict[str, Callable[[Turn, str | None], None]] = {
    "start": commands.start,
    "help": commands.help_,
    "status": commands.status,
    "language": commands.language,
    "cancel": commands.cancel,
    "delete": commands.delete,
}


# -- entry points --------------------------------------------------------------

def handle(draft: Draft | None, inp: Input, ctx: Context) -> Outcome:
    """Apply one input to a worker's draft (None: a newcomer)."""
    if draft is None:
        draft = Draft(user_id=ctx.user_id, created_at=ctx.now, updated_at=ctx.now)
        if not inp.command:  # a newcomer's first message, whatever it says: greet them
            inp = Input(command="start")
    else:
        draft = draft.clone()
    turn = Turn(draft, ctx, inp)
    step = STEP_BY_KEY.get(draft.step or "") if draft.phase is Phase.FORM else None
    holds = typed_holds(step) if step is not None else None
    secret = holds is not None and holds.secret and not inp.command
    turn.handle(inp)
    return turn.outcome(secret_input=secret)


def _ask_aadhaar_again(draft: Draft) -> None:
    key = step_holding(Holds.AADHAAR).key
    draft.answers.pop(key, None)
    draft.phase, draft.step = Phase.FORM, key


def aadhaar_taken(draft: Draft, ctx: Context) -> Outcome:
    """The Aadhaar just given belongs to an existing application: ask again."""
    draft = draft.clone()
    _ask_aadhaar_again(draft)
    turn = Turn(draft, ctx)
    turn.say(m.AADHAAR_TAKEN)
    turn.ask()
    return turn.outcome()


def aadhaar_not_checked(before: Draft | None, after: Draft, ctx: Context) -> Outcome:
    """The worker has used up today's Aadhaar checks (``bot.store.aadhaar_checks``):
    the number just typed is neither checked nor kept. The draft stays as
    it was ``before`` this answer (else ``after`` without the Aadhaar),
    still at the Aadhaar question, and the worker is told to come back
    tomorrow or go to a CSC; nothing says whether the number is registered."""
    if before is not None:
        draft = before.clone()
    else:
        draft = after.clone()
        _ask_aadhaar_again(draft)
    turn = Turn(draft, ctx)
    turn.say(m.AADHAAR_CHECKS_USED_UP)
    return turn.outcome()


def submitted(draft: Draft, application: Application, ctx: Context, *, again: bool = False) -> Outcome:
    """``again``: a resubmission after a CSC operator sent it back."""
    turn = Turn(draft.clone(), ctx)
    turn.say(m.RESUBMITTED if again else m.SUBMITTED, reference=application.reference)
    turn.replies[-1].qr_reference = application.reference
    return turn.outcome()


def ask(draft: Draft, ctx: Context) -> Outcome:
    """Just ask what the draft's position calls for (a draft prepared
    elsewhere, e.g. an assisted registration after the consent was read out)."""
    turn = Turn(draft.clone(), ctx)
    turn.ask()
    return turn.outcome()


def reopen(draft: Draft, fields: list[str], ctx: Context) -> Outcome:
    """A CSC operator sent the application back: the draft reopens at the
    first of ``fields`` (each asked with its current answer, to keep or
    change), then the review, to submit again."""
    d = draft.clone()
    editable = [key for key in fields if key in STEP_BY_KEY and STEP_BY_KEY[key].is_editable(d.answers)]
    turn = Turn(d, ctx)
    if not editable:
        d.phase, d.step, d.editing, d.fix = Phase.REVIEW, None, False, []
    else:
        d.phase, d.step, d.editing, d.fix = Phase.FORM, editable[0], True, editable[1:]
    d.back_to = None
    turn.ask()
    return turn.outcome()


def repeat(draft: Draft, ctx: Context) -> Outcome:
    """Ask again whatever the worker's position calls for, changing nothing."""
    turn = Turn(draft.clone(), ctx)
    turn.ask()
    return Outcome(None, turn.replies)
