"""The registration engine: (draft, input, context) -> (new draft, replies).

Pure: no Telegram, no database, no clock of its own. What needs the store
(checking an Aadhaar number is not taken, submitting, erasing) is returned as
an ``Effect``; the service carries it out and, where the conversation goes
on, calls back in (``aadhaar_taken``, ``submitted``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.domain import validators as v
from bot.domain.catalogues import Option
from bot.domain.eligibility import EXPLANATION, Ineligible, age_on
from bot.domain.models import Application, Draft, Phase, ReviewState
from bot.domain.references import is_reference
from bot.flow import messages as m
from bot.flow.steps import STEP_BY_KEY, STEPS, Kind, Msg, Step
from bot.i18n import default_language, language_order, languages, next_language, translate
from bot.messages import Choice, Effect, Hint, Input, Outcome, Reply

#: after this long away, a returning worker is asked: continue or start over?
RESUME_AFTER = timedelta(hours=3)
COMMANDS = ("start", "help", "status", "language", "cancel", "delete")
_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Context:
    now: datetime
    user_id: str
    default_lang: str = field(default_factory=default_language)
    application: Application | None = None


#: what to say for input that is not text, by ``Input.kind``
NOT_TEXT = {"edited": m.EDITED_MESSAGE, "voice": m.NO_VOICE, "audio": m.NO_VOICE, "video_note": m.NO_VOICE}


# -- position in the form ------------------------------------------------------

def next_step(answers: dict) -> Step | None:
    for step in STEPS:
        if step.key not in answers and step.applies(answers):
            return step
    return None


def _counted(answers: dict) -> Iterator[Step]:
    """The steps that count towards progress for these answers."""
    return (s for s in STEPS if s.counted and s.applies(answers))


def progress(answers: dict) -> tuple[int, int]:
    counted = list(_counted(answers))
    return sum(s.key in answers for s in counted), len(counted)


def has_progress(draft: Draft) -> bool:
    return any(s.key in draft.answers for s in _counted(draft.answers))


def _lang(draft: Draft, ctx: Context) -> str:
    return draft.lang or ctx.default_lang


def _options(step: Step, answers: dict, editing: bool) -> list[Option]:
    options = list(step.choices(answers))
    if step.kind is Kind.YES_NO:
        options = [Option("yes", m.YES), Option("no", m.NO)]
    if step.optional:
        options.append(Option("skip", m.SKIP))
    if editing:
        options.append(Option("keep", m.KEEP))
    return options


def show_answer(step: Step, value, lang: str, answers: dict) -> str:
    if value is None:
        return translate(lang, m.SKIPPED)
    if step.key == "aadhaar":
        return v.mask_aadhaar(value)
    if step.key == "bank_account":
        return v.mask_account(value)
    if step.kind is Kind.YES_NO:
        return translate(lang, m.YES if value else m.NO)
    if step.kind is Kind.CHOICE:
        for option in step.choices(answers):
            if option.code == value:
                return translate(lang, option.label)
        return str(value)
    if step.kind is Kind.DATE:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


# -- the engine ----------------------------------------------------------------

class _Turn:
    """One input being handled: the draft it changes and the replies it makes."""

    def __init__(self, draft: Draft, ctx: Context, inp: Input | None = None) -> None:
        self.draft = draft
        self.ctx = ctx
        self.inp = inp
        self.replies: list[Reply] = []
        self.effect: Effect | None = None

    @property
    def lang(self) -> str:
        return _lang(self.draft, self.ctx)

    def t(self, msgid: str, **params) -> str:
        return translate(self.lang, msgid, **params)

    def say(self, msgid: str, **params) -> None:
        self.replies.append(Reply(self.t(msgid, **params)))

    def outcome(self, secret_input: bool = False) -> Outcome:
        self.draft.updated_at = self.ctx.now
        return Outcome(self.draft, self.replies, self.effect, secret_input)

    # asking ---------------------------------------------------------------

    def ask(self) -> None:
        """Ask whatever the worker's position calls for."""
        d = self.draft
        phase = d.phase
        if phase is Phase.FORM:
            step = STEP_BY_KEY.get(d.step or "") or next_step(d.answers)
            if step is None:
                d.phase = Phase.REVIEW
                return self.ask()
            d.step = step.key
            self.ask_step(step)
        elif phase is Phase.REVIEW:
            self.ask_review()
        elif phase is Phase.EDIT_PICK:
            choices = [Choice(s.key, self.t(s.label), s.label) for s in STEPS if s.is_editable(d.answers)]
            choices.append(Choice("back", self.t(m.EDIT_BACK)))
            self.replies.append(Reply(self.t(m.EDIT_PICK), choices, question=Phase.EDIT_PICK.value))
        elif phase is Phase.RESUME:
            done, total = progress(d.answers)
            self.replies.append(Reply(self.t(m.WELCOME_BACK, done=done, total=total),
                                      [Choice("continue", self.t(m.RESUME_CONTINUE)),
                                       Choice("restart", self.t(m.RESUME_RESTART))],
                                      question=Phase.RESUME.value))
        elif phase is Phase.CONFIRM_DELETE:
            has_app = self.ctx.application is not None
            text = self.t(m.CONFIRM_DELETE, application=self.t(m.CONFIRM_DELETE_APPLICATION) if has_app else "")
            self.replies.append(Reply(text, [Choice("yes", self.t(m.DELETE_YES)), Choice("no", self.t(m.DELETE_NO))],
                                      question=Phase.CONFIRM_DELETE.value))
        elif phase is Phase.PAUSED:
            self.say(m.PAUSED)
        elif phase in (Phase.INELIGIBLE, Phase.DECLINED):
            self.explain_stop()
        elif phase is Phase.SUBMITTED:
            self.say_status()

    def ask_step(self, step: Step) -> None:
        answers = self.draft.answers
        params = {k: self.t(val) if isinstance(val, Msg) else val
                  for k, val in (step.params(answers) if step.params else {}).items()}
        text = self.t(step.prompt, **params) if params else self.t(step.prompt)
        if step.key == "language":  # asked before a language is known: say it in both
            text = "\n\n".join(translate(lang, step.prompt) for lang in self.languages_first())
        if self.editing(step):
            text += "\n\n" + self.t(m.CURRENT_ANSWER, value=show_answer(step, answers[step.key], self.lang, answers))
        self.replies.append(Reply(text, self.step_choices(step), question=step.key, hint=step.hint))

    def editing(self, step: Step) -> bool:
        """Changing an answer already given (from the review)."""
        return self.draft.editing and step.key in self.draft.answers

    def step_choices(self, step: Step) -> list[Choice]:
        options = _options(step, self.draft.answers, self.editing(step))
        if step.key == "language":
            options.sort(key=lambda o: self.languages_first().index(o.code))
        return [Choice(o.code, self.t(o.label), o.label) for o in options]

    def languages_first(self) -> tuple[str, ...]:
        """Every language offered, the worker's (or their phone's) first."""
        return language_order(self.lang)

    def ask_review(self) -> None:
        d = self.draft
        lines = [self.t(m.REVIEW_INTRO), ""]
        section = None
        for step in STEPS:
            if not step.in_summary or step.key not in d.answers:
                continue
            if step.section != section:
                section = step.section
                lines.append(f"— {self.t(section)} —")
            lines.append(f"{self.t(step.label)}: {show_answer(step, d.answers[step.key], self.lang, d.answers)}")
        lines += ["", self.t(m.REVIEW_OUTRO)]
        self.replies.append(Reply("\n".join(lines),
                                  [Choice("submit", self.t(m.REVIEW_SUBMIT)), Choice("edit", self.t(m.REVIEW_EDIT))],
                                  question=Phase.REVIEW.value))

    def explain_stop(self) -> None:
        reason = Ineligible(self.draft.ineligible_reason) if self.draft.ineligible_reason else None
        if reason is None:
            return self.say(m.START_AGAIN)
        age = self.draft.answers.get("age", "")
        self.say(EXPLANATION[reason], age=age)

    def say_status(self) -> None:
        app = self.ctx.application
        if app is None:
            if self.draft.phase is Phase.FORM or self.draft.phase is Phase.REVIEW:
                done, total = progress(self.draft.answers)
                return self.say(m.PROGRESS, done=done, total=total)
            return
        msgid = {ReviewState.SUBMITTED: m.STATUS_SUBMITTED, ReviewState.IN_REVIEW: m.STATUS_IN_REVIEW,
                 ReviewState.HAS_ISSUES: m.STATUS_HAS_ISSUES, ReviewState.APPROVED: m.STATUS_APPROVED,
                 ReviewState.REJECTED: m.STATUS_REJECTED}[app.state]
        self.say(msgid, reference=app.reference, uan=app.uan or "")

    # answering ------------------------------------------------------------

    def matched_choice(self, inp: Input, question: str, choices: list[Choice],
                       by_number: bool = True) -> str | None:
        """The id of the choice the input picks, or None. Buttons carry the
        question they belong to; a typed answer may be the label or (unless
        numbers are answers themselves) its number."""
        if inp.button is not None:
            asked, _, picked = inp.button.partition(":")
            if asked != question or picked not in {c.id for c in choices}:
                raise _Stale()
            return picked
        if not inp.text:
            return None
        try:
            typed = v.ascii_digits(inp.text).lower().strip()
        except v.Invalid:
            return None
        number = typed.strip(" .)")  # "2", "2." and "2)" all pick the second choice
        if by_number and number.isascii() and number.isdigit() and 1 <= int(number) <= len(choices):
            return choices[int(number) - 1].id
        for c in choices:
            labels = {c.label.lower(), c.id.lower()}
            if c.msgid:
                labels |= {translate(lang, c.msgid).lower() for lang in languages()}
            if typed in labels or typed.rstrip(".") in labels:
                return c.id
        return None

    def answer_step(self, inp: Input) -> None:
        d = self.draft
        step = STEP_BY_KEY[d.step] if d.step in STEP_BY_KEY else next_step(d.answers)
        if step is None:
            d.phase = Phase.REVIEW
            return self.ask()
        d.step = step.key
        choices = self.step_choices(step)
        try:
            typed_answer = step.kind in (Kind.TEXT, Kind.DATE)
            picked = self.matched_choice(inp, step.key, choices, by_number=not typed_answer) if choices else None
            if inp.button is not None and not choices:
                raise _Stale()
        except _Stale:
            self.say(m.STALE_BUTTON)
            return self.ask()
        if picked == "keep":
            return self.after_answer(step, changed=False)
        if picked == "skip":
            return self.accept(step, None)
        if inp.kind == "contact" and step.hint is not Hint.CONTACT:
            self.say(m.ONLY_TEXT)
            return self.ask()
        if typed_answer:
            try:
                value = step.parse(inp.text or "", self.ctx.now.date(), d.answers)
            except v.Invalid as problem:
                self.say(problem.message, **problem.params)
                if problem.back_to:
                    d.answers.pop(problem.back_to, None)
                    d.step = problem.back_to
                return self.ask()
            return self.accept(step, value)
        if step.kind is Kind.YES_NO:
            if picked is None and inp.text:
                try:
                    yes = v.parse_yes_no(inp.text)
                except v.Invalid:
                    yes = None
                picked = None if yes is None else ("yes" if yes else "no")
            if picked is None:
                self.say(m.NOT_YES_NO)
                return self.ask()
            return self.accept(step, picked == "yes")
        if picked is None:
            self.say(m.NOT_UNDERSTOOD_CHOICE)
            return self.ask()
        return self.accept(step, picked)

    def accept(self, step: Step, value) -> None:
        d = self.draft
        today = self.ctx.now.date()
        if step.key == "language":
            d.lang = value
        changed = d.answers.get(step.key, object()) != value
        if changed:
            for key in step.resets:
                d.answers.pop(key, None)
        d.answers[step.key] = value
        if step.derive is not None and value is not None:
            d.answers.update(step.derive(value, d.answers, today))
        reason = step.rule(value, d.answers, today) if step.rule and value is not None else None
        if reason is not None:
            return self.stop(reason)
        if step.hint is Hint.CONTACT:
            self.note_contact(step, value)
        if step.key == "aadhaar":
            self.say(m.AADHAAR_NOTED, masked=v.mask_aadhaar(value))
            self.effect = Effect.CHECK_AADHAAR
        elif step.key == "bank_account":
            self.say(m.ACCOUNT_NOTED, masked=v.mask_account(value))
        self.after_answer(step, changed)

    def note_contact(self, step: Step, value) -> None:
        """A number is verified only when shared as the sender's own Telegram contact."""
        inp = self.inp
        verified = inp is not None and inp.kind == "contact" and inp.own_contact
        self.draft.meta[f"{step.key}_verified"] = verified
        if verified:
            self.say(m.CONTACT_VERIFIED, number=value)
        elif inp is not None and inp.kind == "contact":
            self.say(m.CONTACT_NOT_OWN, number=value)

    def after_answer(self, step: Step, changed: bool) -> None:
        d = self.draft
        nxt = next_step(d.answers)
        while nxt is None and d.fix:  # sent back by a CSC operator: the next answer to fix
            key = d.fix.pop(0)
            if key in STEP_BY_KEY and STEP_BY_KEY[key].is_editable(d.answers):
                if changed:
                    self.say(m.UPDATED)
                d.phase, d.step, d.editing = Phase.FORM, key, True
                return self.ask()
        if d.editing and nxt is None:
            d.editing = False
            if changed:
                self.say(m.UPDATED)
        d.step = nxt.key if nxt else None
        d.phase = Phase.FORM if nxt else Phase.REVIEW
        self.ask()

    def stop(self, reason: Ineligible) -> None:
        """Ineligible or no consent: say why, keep nothing but the language."""
        d = self.draft
        age = ""
        if reason in (Ineligible.TOO_YOUNG, Ineligible.TOO_OLD):
            age = age_on(date.fromisoformat(d.answers["dob"]), self.ctx.now.date())
        d.answers = {"language": d.lang} if d.lang else {}
        if age != "":
            d.answers["age"] = age
        d.phase = Phase.DECLINED if reason is Ineligible.NO_CONSENT else Phase.INELIGIBLE
        d.ineligible_reason = reason.value
        d.step = None
        d.editing = False
        self.explain_stop()

    def restart(self) -> None:
        d = self.draft
        kept = {k: d.answers[k] for k in ("language", "consent") if k in d.answers}
        d.answers = kept
        d.phase, d.step, d.editing, d.ineligible_reason, d.back_to = Phase.FORM, None, False, None, None

    # commands -------------------------------------------------------------

    def command(self, name: str, arg: str | None) -> None:
        d = self.draft
        if name == "start":
            if arg and _PAYLOAD_RE.match(arg) and not is_reference(arg):
                d.meta.setdefault("source", arg)
                d.meta["last_source"] = arg
            if d.phase in (Phase.INELIGIBLE, Phase.DECLINED):
                self.restart()
                d.answers.pop("consent", None)
            elif d.phase is not Phase.SUBMITTED and has_progress(d):
                if d.phase not in (Phase.RESUME, Phase.PAUSED, Phase.CONFIRM_DELETE):
                    d.back_to = d.phase
                d.phase = Phase.RESUME
            elif d.phase in (Phase.PAUSED, Phase.CONFIRM_DELETE, Phase.RESUME):
                d.phase = d.back_to or Phase.FORM
            return self.ask()
        if name == "help":
            step = STEP_BY_KEY.get(d.step or "") if d.phase is Phase.FORM else None
            if step is not None:
                self.say(m.HELP_INTRO, label=self.t(step.label))
                self.say(step.help)
            self.say(m.COMMANDS_HELP)
            return self.ask()
        if name == "status":
            if d.phase is not Phase.SUBMITTED:
                done, total = progress(d.answers)
                self.say(m.PROGRESS, done=done, total=total)
            self.ask()
            app = self.ctx.application
            if d.phase is Phase.SUBMITTED and app is not None and app.state is ReviewState.SUBMITTED:
                self.replies[-1].qr_reference = app.reference
            return
        if name == "language":
            d.lang = arg if arg in languages() else next_language(self.lang)
            if "language" in d.answers:
                d.answers["language"] = d.lang
            self.say(m.LANGUAGE_SET)
            return self.ask()
        if name == "cancel":
            if d.phase not in (Phase.SUBMITTED, Phase.INELIGIBLE, Phase.DECLINED, Phase.PAUSED):
                if d.phase not in (Phase.RESUME, Phase.CONFIRM_DELETE):
                    d.back_to = d.phase
                d.phase = Phase.PAUSED
            return self.ask()
        if name == "delete":
            if not d.answers and self.ctx.application is None:
                self.say(m.NOTHING_TO_DELETE)
                return self.ask()
            if d.phase is not Phase.CONFIRM_DELETE:
                if d.phase not in (Phase.RESUME, Phase.PAUSED):
                    d.back_to = d.phase
                d.phase = Phase.CONFIRM_DELETE
            return self.ask()
        self.say(m.UNKNOWN_COMMAND)
        self.say(m.COMMANDS_HELP)
        return self.ask()

    # phases other than the form -------------------------------------------

    def closed_question(self, inp: Input, question: str) -> str | None:
        """Match input against the choices the last ``ask`` of this phase offered."""
        self.ask()
        offered = self.replies.pop()
        try:
            picked = self.matched_choice(inp, question, offered.choices)
        except _Stale:
            self.say(m.STALE_BUTTON)
            self.replies.append(offered)
            return None
        if picked is None:
            self.say(m.NOT_UNDERSTOOD_CHOICE)
            self.replies.append(offered)
        return picked

    def handle(self, inp: Input) -> None:
        d = self.draft
        if inp.command:
            return self.command(inp.command, inp.arg)
        if inp.kind not in ("text", "contact"):
            self.say(NOT_TEXT.get(inp.kind, m.ONLY_TEXT))
            return self.ask()
        phase = d.phase
        if phase in (Phase.FORM, Phase.REVIEW, Phase.EDIT_PICK) and has_progress(d) \
                and self.ctx.now - d.updated_at > RESUME_AFTER:
            d.back_to, d.phase = phase, Phase.RESUME
            return self.ask()
        if phase is Phase.FORM:
            return self.answer_step(inp)
        if phase is Phase.REVIEW:
            picked = self.closed_question(inp, phase.value)
            if picked == "submit":
                self.effect = Effect.SUBMIT
            elif picked == "edit":
                d.phase = Phase.EDIT_PICK
                self.ask()
            return
        if phase is Phase.EDIT_PICK:
            picked = self.closed_question(inp, phase.value)
            if picked == "back":
                d.phase = Phase.REVIEW
                self.ask()
            elif picked:
                d.phase, d.step, d.editing = Phase.FORM, picked, True
                self.ask()
            return
        if phase is Phase.RESUME:
            picked = self.closed_question(inp, phase.value)
            if picked == "continue":
                d.phase = d.back_to if d.back_to in (Phase.FORM, Phase.REVIEW, Phase.EDIT_PICK) else Phase.FORM
                d.back_to = None
                self.ask()
            elif picked == "restart":
                self.restart()
                self.say(m.RESTARTED)
                self.ask()
            return
        if phase is Phase.CONFIRM_DELETE:
            picked = self.closed_question(inp, phase.value)
            if picked == "yes":
                self.effect = Effect.ERASE
                self.say(m.DELETED)
            elif picked == "no":
                d.phase = d.back_to or Phase.FORM
                d.back_to = None
                self.say(m.NOT_DELETED)
                self.ask()
            return
        if phase is Phase.PAUSED:
            d.phase = Phase.RESUME
            return self.ask()
        if phase in (Phase.INELIGIBLE, Phase.DECLINED):
            self.explain_stop()
            return self.say(m.START_AGAIN)
        if phase is Phase.SUBMITTED:
            return self.say_status()


class _Stale(Exception):
    """A button that does not belong to the question being asked."""


# -- entry points --------------------------------------------------------------

def handle(draft: Draft | None, inp: Input, ctx: Context) -> Outcome:
    """Apply one input to a worker's draft (None: a newcomer)."""
    if draft is None:
        draft = Draft(user_id=ctx.user_id, created_at=ctx.now, updated_at=ctx.now)
        if not inp.command:  # a newcomer's first message, whatever it says: greet them
            inp = Input(command="start")
    else:
        draft = draft.clone()
    turn = _Turn(draft, ctx, inp)
    step = STEP_BY_KEY.get(draft.step or "") if draft.phase is Phase.FORM else None
    secret = step is not None and step.hint is Hint.SECRET and not inp.command
    turn.handle(inp)
    return turn.outcome(secret_input=secret)


def aadhaar_taken(draft: Draft, ctx: Context) -> Outcome:
    """The Aadhaar just given belongs to an existing application: ask again."""
    draft = draft.clone()
    draft.answers.pop("aadhaar", None)
    draft.phase, draft.step = Phase.FORM, "aadhaar"
    turn = _Turn(draft, ctx)
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
        draft.answers.pop("aadhaar", None)
        draft.phase, draft.step = Phase.FORM, "aadhaar"
    turn = _Turn(draft, ctx)
    turn.say(m.AADHAAR_CHECKS_USED_UP)
    return turn.outcome()


def submitted(draft: Draft, application: Application, ctx: Context, *, again: bool = False) -> Outcome:
    """``again``: a resubmission after a CSC operator sent it back."""
    turn = _Turn(draft.clone(), ctx)
    turn.say(m.RESUBMITTED if again else m.SUBMITTED, reference=application.reference)
    turn.replies[-1].qr_reference = application.reference
    return turn.outcome()


def ask(draft: Draft, ctx: Context) -> Outcome:
    """Just ask what the draft's position calls for (a draft prepared
    elsewhere, e.g. an assisted registration after the consent was read out)."""
    turn = _Turn(draft.clone(), ctx)
    turn.ask()
    return turn.outcome()


def reopen(draft: Draft, fields: list[str], ctx: Context) -> Outcome:
    """A CSC operator sent the application back: the draft reopens at the
    first of ``fields`` (each asked with its current answer, to keep or
    change), then the review, to submit again."""
    d = draft.clone()
    editable = [key for key in fields if key in STEP_BY_KEY and STEP_BY_KEY[key].is_editable(d.answers)]
    turn = _Turn(d, ctx)
    if not editable:
        d.phase, d.step, d.editing, d.fix = Phase.REVIEW, None, False, []
    else:
        d.phase, d.step, d.editing, d.fix = Phase.FORM, editable[0], True, editable[1:]
    d.back_to = None
    turn.ask()
    return turn.outcome()


def greet(draft: Draft | None, ctx: Context) -> Outcome:
    """What a newcomer (or /start) sees first."""
    return handle(draft, Input(command="start"), ctx)


def repeat(draft: Draft, ctx: Context) -> Outcome:
    """Ask again whatever the worker's position calls for, changing nothing."""
    turn = _Turn(draft.clone(), ctx)
    turn.ask()
    return Outcome(None, turn.replies)
