"""The form phase: asking the worker's step, reading the answer to it, and
what an answer does (its checks, the answers it implies, a stop, the next
step). Everything particular to a step comes from its declaration in
``bot.flow.steps``; nothing here names a step."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.domain import validators as v
from bot.domain.catalogues import Option
from bot.domain.eligibility import EXPLANATION, Ineligible, age_on
from bot.domain.models import Phase
from bot.domain.personal_numbers import holds_personal_number
from bot.domain.sensitive import Holds, mask
from bot.flow import messages as m
from bot.flow.matching import Stale, matched_choice
from bot.flow.steps import STEP_BY_KEY, STEPS, Kind, Msg, Step, next_step
from bot.i18n import language_order, translate
from bot.messages import Choice, Effect, Hint, Input, Reply

if TYPE_CHECKING:
    from bot.flow.engine import Turn

#: once an answer holding a secret number is given: what the worker is told
#: (with the number masked), and what the service is asked to do with it
NOTED: dict[Holds, tuple[str, Effect | None]] = {
    Holds.AADHAAR: (m.AADHAAR_NOTED, Effect.CHECK_AADHAAR),
    Holds.ACCOUNT: (m.ACCOUNT_NOTED, None),
}


# -- asking ------------------------------------------------------------------------

def ask(turn: Turn) -> None:
    """Ask the worker's step (the first without an answer), or, the form
    done, go to the review."""
    d = turn.draft
    step = STEP_BY_KEY.get(d.step or "") or next_step(d.answers)
    if step is None:
        d.phase = Phase.REVIEW
        return turn.ask()
    d.step = step.key
    ask_step(turn, step)


def ask_step(turn: Turn, step: Step) -> None:
    answers = turn.draft.answers
    params = {k: turn.t(val) if isinstance(val, Msg) else val
              for k, val in (step.params(answers) if step.params else {}).items()}
    text = turn.t(step.prompt, **params) if params else turn.t(step.prompt)
    if step.sets_language:  # asked before a language is known: say it in every language
        text = "\n\n".join(translate(lang, step.prompt) for lang in language_order(turn.lang))
    if editing(turn, step):
        text += "\n\n" + turn.t(m.CURRENT_ANSWER, value=step.show(answers[step.key], turn.lang, answers))
    turn.replies.append(Reply(text, step_choices(turn, step), question=step.key, hint=step.hint))


def editing(turn: Turn, step: Step) -> bool:
    """Changing an answer already given (from the review)."""
    return turn.draft.editing and step.key in turn.draft.answers


def step_choices(turn: Turn, step: Step) -> list[Choice]:
    options = _options(step, turn.draft.answers, editing(turn, step))
    if step.sets_language:  # the worker's (or their phone's) language first
        order = language_order(turn.lang)
        options.sort(key=lambda o: order.index(o.code))
    return [Choice(o.code, turn.t(o.label), o.label) for o in options]


def _options(step: Step, answers: dict, editing: bool) -> list[Option]:
    options = list(step.choices(answers))
    if step.kind is Kind.YES_NO:
        options = [Option("yes", m.YES), Option("no", m.NO)]
    if step.optional:
        options.append(Option("skip", m.SKIP))
    if editing:
        options.append(Option("keep", m.KEEP))
    return options


# -- answering ---------------------------------------------------------------------

def answer(turn: Turn, inp: Input) -> None:
    """Read the worker's answer to their step."""
    d = turn.draft
    step = STEP_BY_KEY[d.step] if d.step in STEP_BY_KEY else next_step(d.answers)
    if step is None:
        d.phase = Phase.REVIEW
        return turn.ask()
    d.step = step.key
    choices = step_choices(turn, step)
    try:
        typed_answer = step.kind in (Kind.TEXT, Kind.DATE)
        picked = matched_choice(inp, step.key, choices, by_number=not typed_answer) if choices else None
        if inp.button is not None and not choices:
            raise Stale()
    except Stale:
        turn.say(m.STALE_BUTTON)
        return turn.ask()
    if picked == "keep":
        return after_answer(turn, step, changed=False)
    if picked == "skip":
        return accept(turn, step, None)
    if inp.kind == "contact" and step.hint is not Hint.CONTACT:
        turn.say(m.ONLY_TEXT)
        return turn.ask()
    if typed_answer:
        try:
            value = _parse(step, inp.text or "", turn.ctx.now.date(), d.answers)
        except v.Invalid as problem:
            turn.say(problem.message, **problem.params)
            if problem.back_to:
                d.answers.pop(problem.back_to, None)
                d.step = problem.back_to
            return turn.ask()
        return accept(turn, step, value)
    if step.kind is Kind.YES_NO:
        if picked is None and inp.text:
            try:
                yes = v.parse_yes_no(inp.text)
            except v.Invalid:
                yes = None
            picked = None if yes is None else ("yes" if yes else "no")
        if picked is None:
            turn.say(m.NOT_YES_NO)
            return turn.ask()
        return accept(turn, step, picked == "yes")
    if picked is None:
        turn.say(m.NOT_UNDERSTOOD_CHOICE)
        return turn.ask()
    return accept(turn, step, picked)


def _parse(step: Step, text: str, today: date, answers: dict) -> Any:
    """A typed answer as ``step`` keeps it; free text that carries a personal
    number is refused (it would be kept in clear)."""
    assert step.parse is not None, f"step {step.key} has no parser"
    value = step.parse(text, today, answers)
    if step.holds is Holds.FREE_TEXT and holds_personal_number(str(value)):
        raise v.Invalid(m.NO_NUMBER_HERE)
    return value


def accept(turn: Turn, step: Step, value: Any) -> None:
    d = turn.draft
    today = turn.ctx.now.date()
    if step.sets_language:
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
        return stop(turn, reason, value)
    if step.hint is Hint.CONTACT:
        note_contact(turn, step, value)
    if step.holds in NOTED and value is not None:
        noted, effect = NOTED[step.holds]
        turn.say(noted, masked=mask(step.holds, value))
        if effect is not None:
            turn.effect = effect
    after_answer(turn, step, changed)


def note_contact(turn: Turn, step: Step, value: Any) -> None:
    """A number is verified only when shared as the sender's own Telegram contact."""
    inp = turn.inp
    verified = inp is not None and inp.kind == "contact" and inp.own_contact
    turn.draft.meta[f"{step.key}_verified"] = verified
    if verified:
        turn.say(m.CONTACT_VERIFIED, number=value)
    elif inp is not None and inp.kind == "contact":
        turn.say(m.CONTACT_NOT_OWN, number=value)


def after_answer(turn: Turn, step: Step, changed: bool) -> None:
    d = turn.draft
    nxt = next_step(d.answers)
    while nxt is None and d.fix:  # sent back by a CSC operator: the next answer to fix
        key = d.fix.pop(0)
        if key in STEP_BY_KEY and STEP_BY_KEY[key].is_editable(d.answers):
            if changed:
                turn.say(m.UPDATED)
            d.phase, d.step, d.editing = Phase.FORM, key, True
            return turn.ask()
    if d.editing and nxt is None:
        d.editing = False
        if changed:
            turn.say(m.UPDATED)
    d.step = nxt.key if nxt else None
    d.phase = Phase.FORM if nxt else Phase.REVIEW
    turn.ask()


# -- stopping and starting over ----------------------------------------------------

def stop(turn: Turn, reason: Ineligible, value: Any) -> None:
    """Ineligible or no consent (``value``: the answer that said so): say
    why, keep nothing but the language (and the age, if it was the reason)."""
    d = turn.draft
    age: int | str = ""
    if reason in (Ineligible.TOO_YOUNG, Ineligible.TOO_OLD):  # the answer was the date of birth
        age = age_on(date.fromisoformat(value), turn.ctx.now.date())
    d.answers = {step.key: d.lang for step in STEPS if step.sets_language} if d.lang else {}
    if age != "":
        d.answers["age"] = age
    d.phase = Phase.DECLINED if reason is Ineligible.NO_CONSENT else Phase.INELIGIBLE
    d.ineligible_reason = reason.value
    d.step = None
    d.editing = False
    explain_stop(turn)


def explain_stop(turn: Turn) -> None:
    """Why the registration stopped (what the stopped phases ask)."""
    d = turn.draft
    reason = Ineligible(d.ineligible_reason) if d.ineligible_reason else None
    if reason is None:
        return turn.say(m.START_AGAIN)
    turn.say(EXPLANATION[reason], age=d.answers.get("age", ""))


def restart(turn: Turn, keep: Callable[[Step], bool] = lambda step: step.kept_on_restart) -> None:
    """Start the form over, keeping the answers of the steps ``keep`` picks."""
    d = turn.draft
    d.answers = {step.key: d.answers[step.key] for step in STEPS if keep(step) and step.key in d.answers}
    d.phase, d.step, d.editing, d.ineligible_reason, d.back_to = Phase.FORM, None, False, None, None
