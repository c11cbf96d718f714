"""The form phase: asking the worker's step, reading the answer to it, and
what an answer does (its checks, the answers it implies, a stop, the next
step). Everything particular to a step comes from its declaration in
``bot.flow.steps``; nothing here names a step."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bot.domain import validators as v
from bot.domain.catalogues import Option
from bot.domain.eligibility import EXPLANATION, Ineligible, age_on
from bot.domain.models import Phase
from bot.domain.references import is_reference
from bot.domain.personal_numbers import holds_personal_number
from bot.domain.sensitive import Holds, mask
from bot.flow import messages as m
from bot.flow import voice
from bot.flow.matching import Stale, matched_choice
from bot.flow.steps import (OTHER_PLACE, SECTION_ICONS, SECTION_INTROS, STEP_BY_KEY, STEPS, Group, Kind, Msg, Step,
                             next_step, progress, section_questions)
from bot.flow.understanding import understand
from bot.i18n import language_order, translate, translations, words
from bot.messages import Choice, Effect, Hint, Input, Reply

#: draft.meta key: the section whose questions are being asked (its intro is said once)
SECTION = "section"
#: the picture beside the button that starts a stopped registration again
START_OVER_ICON = "🔄"

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
    step = current_step(d.step, d.answers)
    if step is None:
        d.phase = Phase.REVIEW
        return turn.ask()
    d.step = step.key
    ask_step(turn, step)


def current_step(key: str | None, answers: dict) -> Step | None:
    """The step a draft waits on: its own, unless that is never asked (a draft
    saved when the sector was still a question), else the next to answer."""
    step = STEP_BY_KEY.get(key or "")
    return step if step is not None and not step.derived else next_step(answers)


def ask_step(turn: Turn, step: Step, again: bool = False) -> None:
    """Ask ``step`` (``again``: after an answer not understood, in its short
    form), or the question that stands in for its buttons (``guessed``)."""
    answers = turn.draft.answers
    shown = guessed(turn, step)
    if shown is not None:
        text, choices = shown
        turn.replies.append(Reply(text, choices, question=step.key, hint=step.hint))
        return
    introduce(turn, step)
    params = {k: _param(turn, k, val) for k, val in (step.params(answers) if step.params else {}).items()}
    prompt = step.again if again and step.again else step.prompt
    text = turn.t(prompt, **params) if params else turn.t(prompt)
    if step.section in SECTION_ICONS:
        text = f"{SECTION_ICONS[step.section]} {text}"
    if step.sets_language:  # asked before a language is known: say it in every language
        text = "\n\n".join(translate(lang, step.prompt) for lang in language_order(turn.lang))
    if editing(turn, step):
        text += "\n\n" + turn.t(m.CURRENT_ANSWER, value=voice.shown(step, turn.lang, answers, turn.draft.meta))
    turn.replies.append(Reply(text, step_choices(turn, step), question=step.key, hint=step.hint))


def _param(turn: Turn, name: str, value: Any) -> Any:
    """A prompt's parameter as shown: a message translated; an answer given
    by voice (a nominee's name not yet typed) as "this person"."""
    if isinstance(value, Msg):
        return turn.t(value)
    if value is None and voice.file_id(turn.draft.meta, name):
        return turn.t(m.NAMED_BY_VOICE)
    return value


def introduce(turn: Turn, step: Step) -> None:
    """Before the first question of a section: how many of its questions
    there are ("Now 3 questions about your bank account"), and before the
    very first question of the form, what to keep at hand. Said once when
    the form moves into the section, not when its question is asked again,
    nor while changing an answer."""
    d = turn.draft
    if d.meta.get(SECTION) == step.section:
        return
    d.meta[SECTION] = step.section
    if editing(turn, step) or any(s.key in d.answers for s in STEPS if s.section == step.section and s.counted):
        return
    if step.counted and progress(d.answers)[0] == 0:
        turn.say(m.READY)
    count = section_questions(step.section, d.answers)
    if step.section in SECTION_INTROS and count:
        turn.say(SECTION_INTROS[step.section], count=count)


def editing(turn: Turn, step: Step) -> bool:
    """Changing an answer already given (from the review)."""
    return turn.draft.editing and step.key in turn.draft.answers


def step_choices(turn: Turn, step: Step) -> list[Choice]:
    """The buttons of ``step`` as it is asked (made once per language for a
    step whose options never change: most are asked and read every turn)."""
    if not callable(step.options) and not step.sets_language and step.alphabetical is None:
        lang = turn.lang
        key = (id(step), editing(turn, step), lang)
        catalogue = translations(lang)
        made = _FIXED_CHOICES.get(key)
        if made is None or made[0] is not step or made[1] is not catalogue:
            if len(_FIXED_CHOICES) >= _MAX_FIXED:
                _FIXED_CHOICES.clear()
            made = _FIXED_CHOICES[key] = (step, catalogue, tuple(
                _choice(turn, o) for o in _offered(step, turn.draft.answers, key[1])))
        return list(made[2])
    options = _offered(step, turn.draft.answers, editing(turn, step))
    if step.sets_language:  # the worker's (or their phone's) language first
        order = language_order(turn.lang)
        options.sort(key=lambda o: order.index(o.code))
    if step.alphabetical is not None:  # by the name shown, the worker's own first
        first = list(step.alphabetical(turn.draft.answers))
        options.sort(key=lambda o: (first.index(o.code) if o.code in first else len(first),
                                    o.code in FIXED, o.shown(turn.lang).casefold()))
    return [_choice(turn, o) for o in options]


#: ``step_choices`` of the steps whose options never change, by (step's id, editing, language):
#: (the step, the catalogue they were translated with, the buttons)
_FIXED_CHOICES: dict[tuple[int, bool, str], tuple[Step, object, tuple[Choice, ...]]] = {}
_MAX_FIXED = 4096


def _choice(turn: Turn, option: Option) -> Choice:
    """The button of ``option``: its name, with its picture beside it if it has one."""
    lang = turn.lang
    return _button(option, lang, translations(lang))


@lru_cache(maxsize=8192)
def _button(option: Option, lang: str, catalogue: object) -> Choice:
    """``_choice``, made once per option and language (an answer matches
    the worker's words against every option of its step); ``catalogue``:
    the language's translations as loaded, so catalogues loaded again (a
    test's own locales) make buttons anew."""
    shown = option.shown(lang)
    return Choice(option.code, f"{option.icon} {shown}" if option.icon else shown, option.label)


#: the buttons every kind of step may add at the end
UNKNOWN, SKIP, KEEP, NONE = (Option("unknown", m.DONT_KNOW), Option("skip", m.SKIP), Option("keep", m.KEEP),
                             Option("none", m.NONE_OF_THESE))
FIXED = {o.code for o in (UNKNOWN, SKIP, KEEP, OTHER_PLACE)}


def _yes_no() -> list[Option]:
    return list(_yes_no_of(words("yes"), words("no")))


@lru_cache(maxsize=4)
def _yes_no_of(yes: frozenset[str], no: frozenset[str]) -> tuple[Option, Option]:
    """The yes and no options, once for the words of the languages present."""
    return (Option("yes", m.YES, also=tuple(sorted(yes)), icon="✅"),
            Option("no", m.NO, also=tuple(sorted(no)), icon="❌"))


def _ending(step: Step, editing: bool) -> list[Option]:
    return [UNKNOWN] * step.unknown + [SKIP] * step.optional + [KEEP] * editing


def _offered(step: Step, answers: dict, editing: bool) -> list[Option]:
    """The buttons of ``step`` as it is asked."""
    if step.kind is Kind.YES_NO:
        options = _yes_no()
    elif step.menu is not None:
        options = list(step.menu.first)
    else:
        options = list(step.choices(answers))
    return options + _ending(step, editing)


def _every(step: Step, answers: dict, editing: bool) -> list[Option]:
    """Every option a typed answer to ``step`` may name, buttons first."""
    options = _offered(step, answers, editing)
    if step.menu is not None:
        options += [*step.choices(answers), *(group.option for group in step.menu.groups)]
    return options


# -- what stands in for a step's buttons: "did you mean ...?", "which of these?", a group

#: draft.meta keys: the step whose buttons are replaced, the options shown instead
#: (one per line), and whether they wait for a yes or no ("did you mean ...?")
GUESS_FOR, GUESS, GUESS_YES_NO = "guess_for", "guess", "guess_yes_no"


def guessed(turn: Turn, step: Step) -> tuple[str, list[Choice]] | None:
    """The question and buttons standing in for ``step``'s own, if any."""
    meta = turn.draft.meta
    if meta.get(GUESS_FOR) != step.key:
        return None
    every = {o.code: o for o in _every(step, turn.draft.answers, editing(turn, step))}
    codes = [code for code in str(meta.get(GUESS, "")).split("\n") if code in every]
    if not codes:
        return None
    if meta.get(GUESS_YES_NO):
        text = turn.t(m.DID_YOU_MEAN, choice=every[codes[0]].shown(turn.lang))
        return text, [_choice(turn, o) for o in _yes_no()]
    group = _group(step, codes[0]) if len(codes) == 1 else None
    if group is not None:
        return turn.t(group.prompt), [_choice(turn, o) for o in (*group.options, NONE)]
    return turn.t(m.WHICH_ONE), [_choice(turn, every[code]) for code in codes] + [_choice(turn, NONE)]


def _group(step: Step, code: str) -> Group | None:
    for group in step.menu.groups if step.menu else ():
        if group.option.code == code:
            return group
    return None


def _guess(turn: Turn, step: Step, codes: tuple[str, ...], yes_no: bool = False) -> None:
    turn.draft.meta.update({GUESS_FOR: step.key, GUESS: "\n".join(codes), GUESS_YES_NO: yes_no})


def forget_guess(turn: Turn) -> None:
    for key in (GUESS_FOR, GUESS, GUESS_YES_NO):
        turn.draft.meta.pop(key, None)


# -- answering ---------------------------------------------------------------------

def answer(turn: Turn, inp: Input) -> None:
    """Read the worker's answer to their step."""
    d = turn.draft
    step = current_step(d.step, d.answers)
    if step is None:
        d.phase = Phase.REVIEW
        return turn.ask()
    d.step = step.key
    if inp.voice is not None and step.voice:
        return accept_voice(turn, step, inp.voice)
    typed_answer = step.kind in (Kind.TEXT, Kind.DATE)
    if inp.text and not typed_answer:
        try:
            v.clean(inp.text)
        except v.Invalid as problem:  # 5,000 characters: say so, and ask in short
            turn.say(problem.message, **problem.params)
            return ask_step(turn, step, again=True)
    shown = guessed(turn, step)
    every = _every(step, d.answers, editing(turn, step))
    numbered = shown[1] if shown else step_choices(turn, step)
    try:
        by_number = shown is not None or not (typed_answer or step.reads)
        picked = _matched(turn, inp, step.key, numbered, every, by_number)
    except Stale:
        turn.say(m.STALE_BUTTON)
        return turn.ask()
    if shown is not None:
        if d.meta.get(GUESS_YES_NO):
            yes = {"yes": True, "no": False}.get(picked or "", v.parse_yes_no(inp.text) if inp.text else None)
            picked = str(d.meta[GUESS]) if yes else "none" if yes is False else picked
        if picked == "none":
            forget_guess(turn)
            turn.say(m.NOT_THAT)
            return ask_step(turn, step, again=True)
        forget_guess(turn)
    if picked is None and inp.text and not typed_answer:
        picked = _understood(turn, step, inp.text, every)
        if picked is None:
            return
    if picked is not None and _group(step, picked) is not None:
        _guess(turn, step, (picked,))
        return turn.ask()
    if picked == "keep":
        return after_answer(turn, step, changed=False)
    if picked in ("skip", "unknown"):
        return accept(turn, step, None)
    if inp.kind == "contact" and step.hint is not Hint.CONTACT:
        turn.say(m.ONLY_TEXT)
        return turn.ask()
    if typed_answer:
        if step.unknown and inp.text and understand(inp.text, [UNKNOWN]).sure:
            return accept(turn, step, None)
        try:
            value = parse_typed(step, inp.text or "", turn.ctx.now.date(), d.answers)
        except v.Invalid as problem:
            turn.say(problem.message, **problem.params)
            if problem.back_to:
                d.answers.pop(problem.back_to, None)
                d.step = problem.back_to
            return turn.ask()
        return accept(turn, step, value)
    if picked is None:
        turn.say(m.NOT_YES_NO if step.kind is Kind.YES_NO else m.NOT_UNDERSTOOD_CHOICE)
        return ask_step(turn, step, again=True)
    if step.kind is Kind.YES_NO:
        return accept(turn, step, picked == "yes")
    return accept(turn, step, picked)


def _matched(turn: Turn, inp: Input, question: str, numbered: list[Choice], every: list[Option],
             by_number: bool) -> str | None:
    """``matched_choice`` among the buttons shown (``numbered``) followed by
    a button of every option the answer may name: tried on the buttons shown
    first, since what matches there comes first anyway, so the others (a
    hundred occupations) are made only for an input none shown matches."""
    if numbered:
        try:
            picked = matched_choice(inp, question, numbered, by_number=by_number, numbered=numbered)
        except Stale:  # (a button of another question is stale among them all too)
            picked = None
        if picked is not None:
            return picked
    choices = numbered + [_choice(turn, o) for o in every]
    if not choices:
        if inp.button is not None:
            raise Stale()
        return None
    return matched_choice(inp, question, choices, by_number=by_number, numbered=numbered)


def _understood(turn: Turn, step: Step, text: str, every: list[Option]) -> str | None:
    """The option a typed answer to a closed question means, or None having
    asked "did you mean ...?" or "which of these?", or said it was not understood."""
    if step.kind is Kind.YES_NO:
        yes = v.parse_yes_no(text)
        if yes is not None:
            return "yes" if yes else "no"
    codes = {o.code for o in every}
    if step.reads is not None:
        read = step.reads(text, turn.ctx.now.date())
        if read in codes:
            return read
    found = understand(text, every, exactly=step.rule is not None)  # a gate: no guessing
    if found.sure is not None:
        return found.sure
    if found.maybe:
        _guess(turn, step, found.maybe, yes_no=len(found.maybe) == 1 and _group(step, found.maybe[0]) is None)
        turn.ask()
        return None
    typed = shown_back(text)
    if typed:
        turn.say(m.NOT_UNDERSTOOD_TYPED, typed=typed)
    else:
        turn.say(m.NOT_YES_NO if step.kind is Kind.YES_NO else m.NOT_UNDERSTOOD_CHOICE)
    ask_step(turn, step, again=True)
    return None


#: the longest typed answer said back in "I did not understand ..."
SAID_BACK = 40


def shown_back(text: str) -> str | None:
    """A typed answer as it may be said back: short, holding no digit and
    not an application's reference (a number, a reference or a code typed by
    mistake is never repeated: it may be someone else's)."""
    try:
        typed = v.clean(text)
    except v.Invalid:
        return None
    if not typed or len(typed) > SAID_BACK or any(ch.isdigit() for ch in typed) or is_reference(typed):
        return None
    return typed


def parse_typed(step: Step, text: str, today: date, answers: dict) -> Any:
    """A typed answer as ``step`` keeps it (the worker's, or what a CSC
    operator heard in their voice note); free text that carries a personal
    number is refused (it would be kept in clear)."""
    assert step.parse is not None, f"step {step.key} has no parser"
    value = step.parse(text, today, answers)
    if step.holds is Holds.FREE_TEXT and holds_personal_number(str(value)):
        raise v.Invalid(m.NO_NUMBER_HERE)
    return value


def takes_voice(turn: Turn, inp: Input) -> bool:
    """``inp`` is a voice note answering the worker's question, which takes one."""
    d = turn.draft
    if inp.kind != "voice" or not inp.voice or d.phase is not Phase.FORM:
        return False
    step = current_step(d.step, d.answers)
    return step is not None and step.voice


def accept_voice(turn: Turn, step: Step, file_id: str) -> None:
    """A voice note answers ``step``: kept to be typed at the CSC (``bot.flow.voice``)."""
    turn.say(m.VOICE_RECEIVED)
    accept(turn, step, None, voice_note=file_id)


def accept(turn: Turn, step: Step, value: Any, voice_note: str | None = None) -> None:
    """``value`` answers ``step`` (``voice_note``: said in it, the value None)."""
    d = turn.draft
    today = turn.ctx.now.date()
    forget_guess(turn)
    if voice_note is not None:
        voice.keep(d.meta, step.key, voice_note)
    else:
        voice.forget(d.meta, step.key)
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
    if step.kind is Kind.DATE and value is not None and v.is_year_only(value):
        turn.say(m.YEAR_NOTED, year=value)
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
        age = age_on(v.birth_date(value), turn.ctx.now.date())
    d.answers = {step.key: d.lang for step in STEPS if step.sets_language} if d.lang else {}
    if age != "":
        d.answers["age"] = age
    d.phase = Phase.DECLINED if reason is Ineligible.NO_CONSENT else Phase.INELIGIBLE
    d.ineligible_reason = reason.value
    d.step = None
    d.editing = False
    explain_stop(turn)


def explain_stop(turn: Turn) -> None:
    """Why the registration stopped (what the stopped phases ask), with a
    button to start again under it."""
    d = turn.draft
    reason = Ineligible(d.ineligible_reason) if d.ineligible_reason else None
    text = turn.t(EXPLANATION[reason], age=d.answers.get("age", "")) if reason else turn.t(m.START_AGAIN)
    again = Choice("start", f"{START_OVER_ICON} {turn.t(m.START_OVER)}", m.START_OVER)
    turn.replies.append(Reply(text, [again], question=d.phase.value))


def restart(turn: Turn, keep: Callable[[Step], bool] = lambda step: step.kept_on_restart) -> None:
    """Start the form over, keeping the answers of the steps ``keep`` picks."""
    d = turn.draft
    d.answers = {step.key: d.answers[step.key] for step in STEPS if keep(step) and step.key in d.answers}
    d.phase, d.step, d.editing, d.ineligible_reason, d.back_to = Phase.FORM, None, False, None, None
    d.meta.pop(SECTION, None)


def start_over(turn: Turn) -> None:
    """A stopped registration (not eligible, no consent) begins again: only the language is kept."""
    restart(turn, keep=lambda step: step.sets_language)
    turn.ask()
