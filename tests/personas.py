"""Every worker the tests register, in one place: their answers keyed by the
question they answer, and the end their conversation must reach.

A persona does not list what a worker types in order. It says, for each
question of the form (a step's key, e.g. "dob", "pin_place") and each
question of the other phases ("review", "edit_pick", "resume",
"confirm_delete"), what the worker answers; ``converse`` answers whatever
the bot asks, reading the question from the bot's last reply
(``Reply.question``). So adding a question to ``bot/flow/steps.py`` moves no
other answer, and a persona that no longer reaches its ``end`` (submitted,
refused for age, declined consent, ...) fails with ``WrongConversation``
instead of being recorded.

- An answer given as a tuple is given again each time that question is
  asked (a mistyped Aadhaar, then the right one; a changed answer).
- ``before`` sends lines the first time a question is asked, before its
  answer (a /cancel, time passing, a /status); ``after`` sends lines once
  the end is reached (what a refused worker types next).
- A question the persona has no answer for stops the run with an error
  naming it, except a plain choice (a step of kind CHOICE), which takes its
  first option (``DEFAULT_CHOICE``) and is listed in
  ``Conversation.defaults``. Why: a new plain choice that does not change a
  persona's path needs no edit of every persona, and the default cannot
  record a wrong conversation: a path it changes either asks a question the
  persona cannot answer (named) or misses the persona's end (refused).
  Typed answers, yes/no questions and the other phases never take a
  default: a gate or a typed value must be written down on purpose.
- Every answer given must be used: an answer left over when the end is
  reached (a question no longer asked, asked fewer times) is an error too.

``Persona.script`` is the run as typed lines, in order, through the pure
engine (for tests that replay a registration line by line); the golden
transcripts (``tests/flow/golden.py``, ``tests/desk/desk_golden.py``) run the personas
live through the real service. ``answer_until`` answers as asked up to one
question, for a test that looks closely at some questions only (Telegram's,
where the question pending is read from the stored draft by ``pending``).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any, TypeVar, Union

from bot.channels.console import parse_line
from bot.domain.eligibility import Ineligible
from bot.domain.models import Draft, Phase
from bot.flow import engine
from bot.flow.steps import STEP_BY_KEY, Kind
from bot.messages import Effect, Input, Outcome

#: the fixed clock every persona's conversation starts at
START = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
#: between two lines a worker types
TYPING = timedelta(seconds=30)
#: what a persona answers to a plain choice it has no answer for: the first option
DEFAULT_CHOICE = "1"
#: a run that has sent this many lines without reaching its end is going round in circles
LIMIT = 300

T = TypeVar("T")


@dataclass(frozen=True)
class Later:
    """Time passes between two messages."""
    delta: timedelta
    label: str


@dataclass(frozen=True)
class Press:
    """A tap on an inline button: its callback data, "<question>:<choice id>"."""
    data: str


Item = Union[str, Press, Later]
Answer = Union[str, Press, tuple[Union[str, Press], ...]]


@dataclass(frozen=True)
class End:
    """Where a persona's conversation must arrive."""
    name: str
    phase: Phase
    reason: Ineligible | None = None
    at: str | None = None  # the question a worker who stops half-way is left at

    def __str__(self) -> str:
        return self.name

    def reached(self, draft: Draft | None, asked: str | None) -> bool:
        return (draft is not None and draft.phase is self.phase
                and (self.reason is None or draft.ineligible_reason == self.reason.value)
                and (self.at is None or asked == self.at))


SUBMITTED = End("submitted", Phase.SUBMITTED)
DECLINED = End("declined consent", Phase.DECLINED, Ineligible.NO_CONSENT)


def refused(reason: Ineligible) -> End:
    """Told they cannot register, and why (too old, an EPFO member, ...)."""
    return End(f"refused ({reason.value})", Phase.INELIGIBLE, reason)


def waiting_at(question: str) -> End:
    """Left half-way, the bot asking ``question``."""
    return End(f"waiting at {question!r}", Phase.FORM, at=question)


class WrongConversation(AssertionError):
    """A persona's conversation went where its answers were not written for."""


@dataclass(frozen=True)
class Persona:
    name: str
    about: str
    lang: str                          # the language the worker's phone suggests
    answers: Mapping[str, Answer]      # by question: a step's key, or a phase's name
    end: End
    before: Mapping[str, tuple[Item, ...]] = field(default_factory=dict)
    after: tuple[Item, ...] = ()
    first: Item = "/start"

    def but(self, **answers: Answer | None) -> Persona:
        """The same persona with some answers changed (None: no answer to that question)."""
        changed = {**self.answers, **answers}
        return dataclasses.replace(self, answers={q: a for q, a in changed.items() if a is not None})

    @cached_property
    def run(self) -> Conversation:
        """This persona's conversation through the pure engine (no store)."""
        return run_on_engine(self)

    @property
    def script(self) -> tuple[Item, ...]:
        """The lines typed (and pauses), in order, from the first to the last of ``after``."""
        return tuple(self.run.lines)

    def index_of(self, question: str) -> int:
        """Where in ``script`` the first answer to ``question`` is."""
        return self.run.asked.index(question)

    def same_path(self, **answers: str) -> tuple[Item, ...]:
        """``script`` with these answers in place of the persona's own, without
        running the engine again: only for answers that take the same path
        (another worker's valid numbers). Each replaces every answer to its question."""
        return tuple(answers.get(asked, line) if asked in answers else line
                     for line, asked in zip(self.run.lines, self.run.asked))


@dataclass
class Conversation:
    """What a persona sent, and how it ended."""
    persona: Persona
    lines: list[Item] = field(default_factory=list)
    #: the question pending when each line was sent (None: none, or a pause)
    asked: list[str | None] = field(default_factory=list)
    #: the plain choices answered with ``DEFAULT_CHOICE``, for want of an answer
    defaults: list[str] = field(default_factory=list)
    #: the last outcome before ``after``: where the end was reached
    ended: Outcome | None = None


def asked_in(outcome: Outcome | None) -> str | None:
    """The question the bot's last reply asks (a step's key or a phase's name)."""
    return outcome.replies[-1].question if outcome is not None and outcome.replies else None


def _where(outcome: Outcome | None) -> str:
    draft = outcome.draft if outcome is not None else None
    if draft is None:
        return "no draft"
    reason = f" ({draft.ineligible_reason})" if draft.ineligible_reason else ""
    return f"phase {draft.phase.value}{reason}"


def _said(outcome: Outcome | None) -> str:
    if outcome is None or not outcome.replies:
        return ""
    said = outcome.replies[-1].text.strip().splitlines()[0]
    return f" ({said[:70]!r}…)" if len(said) > 70 else f" ({said!r})"


class Answers:
    """A persona's answers as they are given: the next answer to each
    question asked, the default of a plain choice, and what is left over."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.left = {q: list(a) if isinstance(a, tuple) else [a] for q, a in persona.answers.items()}
        self.given = {q: len(a) for q, a in self.left.items()}
        #: the plain choices answered with ``DEFAULT_CHOICE``, for want of an answer
        self.defaults: list[str] = []

    def next(self, asked: str, said: str = "") -> str | Press:
        """The answer to ``asked`` (``said``: how the bot put it, for the error)."""
        if asked in self.left:
            if not self.left[asked]:
                raise self.wrong(f"the bot asks {asked!r}{said} again, more than the {self.given[asked]} "
                                 "time(s) the persona answers it")
            return self.left[asked].pop(0)
        step = STEP_BY_KEY.get(asked)
        if step is not None and step.kind is Kind.CHOICE:
            self.defaults.append(asked)
            return DEFAULT_CHOICE
        raise self.wrong(f"the bot asks {asked!r}{said} and the persona has no answer for it")

    def unused(self) -> list[str]:
        return sorted(q for q, a in self.left.items() if a)

    def wrong(self, problem: str) -> WrongConversation:
        return WrongConversation(f"persona {self.persona.name!r} (must end {self.persona.end}): {problem}; "
                                 "see tests/personas.py")


async def converse(persona: Persona, send: Callable[[str | Press], Awaitable[Outcome | None]],
                   pause: Callable[[Later], Awaitable[None]] | None = None) -> Conversation:
    """Play ``persona`` against a bot: ``send`` delivers one line or button
    press and returns the bot's outcome; ``pause`` lets time pass. Raises
    ``WrongConversation`` when the bot asks a question the persona cannot
    answer, or the conversation stops anywhere but at the persona's end."""
    talk = Conversation(persona)
    sheet = Answers(persona)
    talk.defaults = sheet.defaults
    before = dict(persona.before)
    last: Outcome | None = None

    async def put(item: Item, asked: str | None) -> None:
        nonlocal last
        talk.lines.append(item)
        talk.asked.append(asked)
        if isinstance(item, Later):
            if pause is None:
                raise sheet.wrong("time passes, and this bot has no clock to move")
            await pause(item)
        else:
            last = await send(item)

    await put(persona.first, None)
    while True:
        asked = asked_in(last)
        if persona.end.reached(last.draft if last else None, asked):
            break
        if len(talk.lines) >= LIMIT:
            raise sheet.wrong(f"{LIMIT} lines sent and the end not reached ({_where(last)}, asked {asked!r})")
        if asked is None:
            raise sheet.wrong(f"the bot asks nothing more{_said(last)}, {_where(last)}")
        if asked in before:
            for item in before.pop(asked):
                await put(item, asked_in(last))
            continue
        await put(sheet.next(asked, f"{_said(last)} in {_where(last)}"), asked)
    if sheet.unused() or before:
        raise sheet.wrong(f"it ended ({_where(last)}) before using the answers to {sheet.unused()}"
                          + (f" and the lines before {sorted(before)}" if before else ""))
    talk.ended = last
    for item in persona.after:
        await put(item, asked_in(last))
    return talk


def pending(draft: Draft | None) -> str | None:
    """The question a saved draft waits on (a step's key or a phase's name), if any."""
    if draft is None:
        return None
    if draft.phase is Phase.FORM:
        return draft.step
    asking = (Phase.REVIEW, Phase.EDIT_PICK, Phase.RESUME, Phase.CONFIRM_DELETE)
    return draft.phase.value if draft.phase in asking else None


async def answer_until(persona: Persona, question: str, asked: Callable[[], Awaitable[str | None]],
                       send: Callable[[str | Press], Awaitable[T]]) -> T | None:
    """Answer whatever the bot asks with ``persona``'s answers until it asks
    ``question``, for a test that looks closely at some questions and not at
    the ones between (``asked``: the question pending, e.g. ``pending`` of
    the stored draft). Returns what the last ``send`` returned. ``before``,
    ``after`` and the end are the caller's to check."""
    sheet = Answers(persona)
    last: T | None = None
    for _ in range(LIMIT):
        now = await asked()
        if now == question:
            return last
        if now is None:
            raise sheet.wrong(f"the bot asks nothing before {question!r}")
        last = await send(sheet.next(now))
    raise sheet.wrong(f"{LIMIT} lines sent and {question!r} never asked")


def input_of(item: str | Press) -> Input:
    return Input(button=item.data) if isinstance(item, Press) else parse_line(item)


def _finish(coroutine: Coroutine[Any, Any, Conversation]) -> Conversation:
    """Run a coroutine that never waits on anything (the pure engine's turns)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("the engine's conversation waited for something")


def run_on_engine(persona: Persona, lang: str | None = None) -> Conversation:
    """``converse`` against the pure engine, on the fixed clock: an Aadhaar
    number is never taken, a submit always succeeds."""
    now, draft = [START], [None]

    async def send(item: str | Press) -> Outcome:
        now[0] += TYPING
        out = engine.handle(draft[0], input_of(item), engine.Context(now=now[0], user_id=f"persona:{persona.name}",
                                                                      default_lang=lang or persona.lang))
        if out.effect is Effect.SUBMIT and out.draft is not None:
            out.draft.phase = Phase.SUBMITTED
            out.replies = []
        draft[0] = out.draft
        return out

    async def pause(later: Later) -> None:
        now[0] += later.delta

    return _finish(converse(persona, send, pause))


# -- the personas ----------------------------------------------------------------
# The golden ones first (tests/flow/golden/*.txt is their conversation), then the
# ones other tests build on.

RICKSHAW_DRIVER = Persona(
    "rickshaw_driver_haridwar", "Hindi-speaking rickshaw driver from Haridwar (PIN 249401) "
    "completes his registration; mistypes his Aadhaar once, uses Devanagari digits", "hi", {
        "language": "1", "consent": "मैं सहमत हूँ", "dob": "१५/०८/१९८८",
        "epfo_esic": "नहीं", "nps_govt": "nahi", "income_tax": "नहीं",
        "mobile": "98765 43210", "aadhaar": ("2341 2341 2345", "२३४१ २३४१ २३४६"),
        "name": "राम कुमार", "gender": "1", "father_name": "श्याम लाल", "category": "2",
        "disability": "नहीं", "education": "4", "income": "1",
        "pin": "२४९४०१", "pin_place": "1", "address": "मकान 12, गली 3, ज्वालापुर", "migrant": "नहीं",
        "occupation": "1", "other_work": "नहीं", "experience": "7",
        "bank_account": "12345678901", "bank_account_confirm": "12345678901", "ifsc": "sbin0001234",
        "nominee_name": "सीता देवी", "nominee_relation": "1", "nominee_dob": "01/01/1992",
        "review": "1"},
    SUBMITTED)

DOMESTIC_WORKER = Persona(
    "domestic_worker_edits", "English-speaking domestic worker in Bengaluru who changes "
    "two answers at the review", "en", {
        "language": "1", "consent": "1", "dob": "03-04-1985",
        "epfo_esic": "no", "nps_govt": "no", "income_tax": "no",
        "mobile": "+91 91234 56789", "aadhaar": "499118665246",
        "name": "Lakshmi Devi", "gender": "Female", "father_name": "Ramaiah", "category": "3",
        "disability": "no", "education": ("class 3", "10th"), "income": ("8000", "12000"),
        "pin": "560034", "pin_place": "1", "address": "12, 4th Cross, Koramangala",
        "migrant": "yes", "migrant_years": "6",
        "home_pin": "563101", "home_pin_place": "1", "home_address": "Door 3, Temple Street, Kolar",
        "occupation": "3", "other_work": "no", "experience": "10",
        "bank_account": "5010023456789", "bank_account_confirm": "5010023456789", "ifsc": "HDFC0000123",
        "nominee_name": "Ramesh", "nominee_relation": "Husband or wife", "nominee_dob": "12/12/1980",
        "review": ("2", "2", "1"), "edit_pick": ("Education", "Monthly income")},
    SUBMITTED)

MINOR_WITH_GUARDIAN = Persona(
    "minor_with_guardian", "17-year-old apprentice tailor in Lucknow who registers with "
    "his mother's consent, picks his district himself and also works on farms", "hi", {
        "language": "1", "consent": "1", "dob": "10/05/2009",
        "epfo_esic": "2", "nps_govt": "2", "income_tax": "2",
        "guardian_name": "सुनीता देवी", "guardian_relation": "1", "guardian_consent": "1",
        "mobile": "9812345670", "aadhaar": "987654321096",
        "name": "अमन", "gender": "1", "father_name": "राकेश", "category": "3",
        "disability": "no", "education": "6", "income": "1",
        "pin": "226001", "pin_place": "2", "state": "उत्तर प्रदेश", "district": "lucknow",
        "address": "मकान 45, अमीनाबाद", "migrant": "2",
        "occupation": "दर्जी", "other_work": "हाँ", "secondary_occupation": "खेती",
        "experience": "2",
        "bank_account": "30012345678", "bank_account_confirm": "30012345678", "ifsc": "PUNB0123400",
        "nominee_name": "सुनीता देवी", "nominee_relation": "5", "nominee_dob": "05/06/1985",
        "review": "1"},
    SUBMITTED)

TOO_OLD = Persona(
    "too_old", "62-year-old vegetable seller: not eligible, told why and what to do instead", "hi",
    {"language": "1", "consent": "1", "dob": "01/03/1964"},
    refused(Ineligible.TOO_OLD), after=("hello", Press("ineligible:start")))

EPFO_MEMBER = Persona(
    "epfo_member", "English-speaking factory worker who is an EPFO member: not eligible", "en",
    {"language": "1", "consent": "I agree", "dob": "20/11/1995", "epfo_esic": "yes"},
    refused(Ineligible.EPFO_ESIC), after=("anything",))

PAUSE_AND_RESUME = Persona(
    "pause_and_resume", "Construction worker who pauses after the PIN code and comes back "
    "two days later", "hi", {
        "language": "1", "consent": "1", "dob": "01/01/1990",
        "epfo_esic": "2", "nps_govt": "2", "income_tax": "2",
        "mobile": "7065432109", "aadhaar": "234567890124",
        "name": "सुरेश यादव", "gender": "1", "father_name": "महेश यादव", "category": "2",
        "disability": "2", "education": "1", "income": "1",
        "resume": "1", "pin": "110001", "pin_place": "1"},
    waiting_at("address"),
    before={"pin": ("/cancel", Later(timedelta(days=2), "two days later"), "नमस्ते"),
            "pin_place": ("/status",)})

HINDI_TYPIST = Persona(
    "hindi_typist", "Hindi-speaking rickshaw driver who types every answer in his own words, "
    "never pressing a button", "hi", {
        "language": "हिंदी", "consent": "हाँ जी", "dob": "5 अगस्त 1986",
        "epfo_esic": "नहीं", "nps_govt": "nahi", "income_tax": "नहीं भरता",
        "mobile": "98765 43210", "aadhaar": "२३४१ २३४१ २३४६",
        "name": "राम कुमार", "gender": "आदमी", "father_name": "श्याम लाल", "category": "ओबीसी",
        "disability": "नहीं", "education": "5वीं पास", "income": "8000",
        "pin": "२४९४०१", "pin_place": "हरिद्वार", "address": "मकान 12, गली 3, ज्वालापुर", "migrant": "नहीं",
        "occupation": "रिक्शा चलाता हूँ", "other_work": "कोई नहीं", "experience": "10 साल",
        "bank_account": "12345678901", "bank_account_confirm": "12345678901", "ifsc": "sbin0001234",
        "nominee_name": "सीता देवी", "nominee_relation": "पत्नी", "nominee_dob": "35 साल",
        "review": "जमा कर दो"},
    SUBMITTED)

YEAR_OF_BIRTH_ONLY = Persona(
    "year_of_birth_only", "Older farm labourer whose Aadhaar shows only his year of birth; "
    "he gives his wife's age, not her date of birth", "hi", {
        "language": "1", "consent": "हाँ", "dob": "1972",
        "epfo_esic": "नहीं", "nps_govt": "नहीं", "income_tax": "नहीं",
        "mobile": "9412345678", "aadhaar": "234123412346",
        "name": "हरि सिंह", "gender": "पुरुष", "father_name": "गोपाल सिंह", "category": "सामान्य",
        "disability": "नहीं", "education": "अनपढ़", "income": "300 रोज़",
        "pin": "247001", "pin_place": "1", "address": "गाँव नागल, सहारनपुर", "migrant": "नहीं",
        "occupation": "खेती", "other_work": "हाँ", "secondary_occupation": "मनरेगा", "experience": "30",
        "bank_account": "30012345678", "bank_account_confirm": "30012345678", "ifsc": "PUNB0123400",
        "nominee_name": "कमला देवी", "nominee_relation": "पत्नी", "nominee_dob": "50",
        "review": "1"},
    SUBMITTED)

NO_PIN_NO_IFSC = Persona(
    "no_pin_no_ifsc", "Domestic worker in Gorakhpur who knows neither her PIN code nor her bank's "
    "IFSC code: she names her state and district, and her bank and branch, for the CSC to complete", "hi", {
        "language": "1", "consent": "1", "dob": "12/03/1990",
        "epfo_esic": "नहीं", "nps_govt": "नहीं", "income_tax": "नहीं",
        "mobile": "9415012345", "aadhaar": "987654321096",
        "name": "गीता देवी", "gender": "महिला", "father_name": "रामलाल", "category": "एससी",
        "disability": "नहीं", "education": "8वीं", "income": "6 हज़ार",
        "pin": "पता नहीं", "state": "उत्तर प्रदेश", "district": "गोरखपुर",
        "address": "मोहल्ला बसंतपुर, गोरखपुर", "migrant": "नहीं",
        "occupation": "घर का काम", "other_work": "नहीं", "experience": "8",
        "bank_account": "50100234567", "bank_account_confirm": "50100234567", "ifsc": "पता नहीं",
        "bank_name": "पंजाब नेशनल बैंक", "bank_branch": "गोलघर, गोरखपुर",
        "nominee_name": "सोनू", "nominee_relation": "बेटा", "nominee_dob": "2010",
        "review": "1"},
    SUBMITTED)

MIGRANT_TWO_ADDRESSES = Persona(
    "migrant_two_addresses", "Construction worker from Saran, Bihar, who lives in Gurugram: "
    "he gives where he lives now and his permanent home", "en", {
        "language": "English", "consent": "yes", "dob": "5 Aug 92",
        "epfo_esic": "no", "nps_govt": "no", "income_tax": "no",
        "mobile": "8051234567", "aadhaar": "499118665246",
        "name": "Sunil Paswan", "gender": "man", "father_name": "Ramesh Paswan", "category": "sc",
        "disability": "no", "education": "class 9", "income": "500 per day",
        "pin": "122001", "pin_place": "1", "address": "Room 4, Chakkarpur village, Gurugram",
        "migrant": "yes", "migrant_years": "4 years",
        "home_pin": "don't know", "home_state": "bihar", "home_district": "saran",
        "home_address": "Ward 7, Daulatganj, Chhapra",
        "occupation": "mason", "other_work": "no", "experience": "6",
        "bank_account": "20012345678", "bank_account_confirm": "20012345678", "ifsc": "SBIN0000123",
        "nominee_name": "Rita Devi", "nominee_relation": "wife", "nominee_dob": "1994",
        "review": "submit"},
    SUBMITTED)

#: the personas of the golden transcripts, tests/flow/golden/<name>.<lang>.txt
GOLDEN = (RICKSHAW_DRIVER, DOMESTIC_WORKER, MINOR_WITH_GUARDIAN, TOO_OLD, EPFO_MEMBER, PAUSE_AND_RESUME,
          HINDI_TYPIST, YEAR_OF_BIRTH_ONLY, NO_PIN_NO_IFSC, MIGRANT_TWO_ADDRESSES)

#: a Hindi worker who types every answer (tests/workers.py gives each their own numbers)
HINDI_WORKER = dataclasses.replace(RICKSHAW_DRIVER.but(aadhaar="२३४१ २३४१ २३४६"), name="hindi_worker",
                                   about="Hindi-speaking worker who registers without a slip")
#: an English worker who types every answer and submits at once
ENGLISH_WORKER = dataclasses.replace(DOMESTIC_WORKER.but(education="3", income="1", review="1", edit_pick=None),
                                     name="english_worker", about="English-speaking worker who submits at once")

#: a Hindi worker on a phone: reply-keyboard buttons send their label, and
#: the review's submit is an inline button (tests/reliability/registrations.py)
TAPPING_WORKER = Persona(
    "tapping_worker", "Hindi-speaking worker who taps the buttons of the keyboard", "hi", {
        "language": "हिन्दी", "consent": "✅ मैं सहमत हूँ", "dob": "15/08/1988",
        "epfo_esic": "❌ नहीं", "nps_govt": "❌ नहीं", "income_tax": "❌ नहीं",
        "mobile": "9800000000", "aadhaar": "234123412346",
        "name": "राम कुमार", "gender": "पुरुष", "father_name": "श्याम लाल", "category": "ओबीसी (पिछड़ा वर्ग)",
        "disability": "❌ नहीं", "education": "4", "income": "1",
        "pin": "249401", "pin_place": "1", "address": "मकान 12, गली 3, ज्वालापुर", "migrant": "❌ नहीं",
        "occupation": "🚲 रिक्शा चालक", "other_work": "❌ नहीं", "experience": "7",
        "bank_account": "30000000000", "bank_account_confirm": "30000000000", "ifsc": "SBIN0001234",
        "nominee_name": "सीता देवी", "nominee_relation": "1", "nominee_dob": "01/01/1992",
        "review": Press("review:submit")},
    SUBMITTED)

#: an English worker at the console (tests/flow/test_console.py), which greets by itself
CONSOLE_WORKER = Persona(
    "console_worker", "English-speaking worker who registers at the terminal", "en", {
        "language": "1", "consent": "1", "dob": "15/08/1990",
        "epfo_esic": "no", "nps_govt": "no", "income_tax": "no",
        "mobile": "9876543210", "aadhaar": "234123412346",
        "name": "Ram Kumar", "gender": "1", "father_name": "Shyam Lal", "category": "2",
        "disability": "no", "education": "4", "income": "1",
        "pin": "249401", "pin_place": "1", "address": "House 12, Gali 3, Jwalapur", "migrant": "no",
        "occupation": "1", "other_work": "no", "experience": "7",
        "bank_account": "12345678901", "bank_account_confirm": "12345678901", "ifsc": "SBIN0001234",
        "nominee_name": "Sita Devi", "nominee_relation": "1", "nominee_dob": "01/01/1992",
        "review": "1"},
    SUBMITTED)

#: every persona, by name
PERSONAS = {p.name: p for p in (*GOLDEN, HINDI_WORKER, ENGLISH_WORKER, TAPPING_WORKER, CONSOLE_WORKER)}
