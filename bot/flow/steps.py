"""The e-Shram registration form as data: one ordered list of steps.

Each step is its question, its parser and its checks together (like a Rasa
form slot). The engine always asks the first step that applies and has no
answer yet, so the order here is the order of the conversation, and changing
an answer from the review simply clears the answers that depend on it.

Answers are JSON values: text, codes of options, booleans, ISO dates.

A step also declares what the rest of the system needs to know about it, so
that nothing else names steps: what personal data its answer holds
(``holds``: masked, sealed, deleted from the chat, see
``bot.domain.sensitive``), whether it sets the language of the
conversation, and whether starting over keeps it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date
from enum import StrEnum
from typing import Any, Callable, Sequence

from bot.domain import amounts
from bot.domain import catalogues as cat
from bot.domain import occupations as occ
from bot.domain import schooling
from bot.domain import validators as v
from bot.domain.eligibility import Ineligible, check_age, is_minor
from bot.domain.sensitive import Holds, mask
from bot.flow import messages as m
from bot.i18n import N_, language, languages, translate
from bot.messages import Hint

Answers = dict[str, Any]


class Msg(str):
    """A prompt parameter that is itself a message to translate (a state's name)."""


class Kind(StrEnum):
    TEXT = "text"      # typed answer, checked by ``parse``
    DATE = "date"      # typed date, checked by ``parse``, kept as an ISO date
    CHOICE = "choice"  # one of ``options``
    YES_NO = "yes_no"  # yes or no (stored as a bool)


@dataclass(frozen=True)
class Group:
    """A button that opens more buttons (a long list reached in steps): its
    option, the question it asks, and the options it offers."""
    option: cat.Option
    prompt: str
    options: tuple[cat.Option, ...]


@dataclass(frozen=True)
class Menu:
    """Buttons for a long list: a few ``first``, the rest through ``groups``."""
    first: tuple[cat.Option, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Step:
    key: str
    section: str
    label: str                       # short name of the field (review, edit, help)
    prompt: str                      # the question; placeholders from ``params``
    help: str                        # why it is asked, and how to answer
    kind: Kind = Kind.TEXT
    parse: Callable[[str, date, Answers], Any] | None = None
    options: Callable[[Answers], Sequence[cat.Option]] | Sequence[cat.Option] = ()
    when: Callable[[Answers], bool] | None = None
    optional: bool = False           # offers "skip"; a skipped answer is None
    resets: tuple[str, ...] = ()     # answers that no longer hold when this one changes
    rule: Callable[[Any, Answers, date], Ineligible | None] | None = None
    derive: Callable[[Any, Answers, date], Answers] | None = None  # further answers implied by this one
    params: Callable[[Answers], dict[str, Any]] | None = None
    hint: Hint | None = None
    in_summary: bool = True          # shown at review once answered
    editable: bool = True            # can be changed from the review (while it applies)
    #: counts towards "7 of 22 done" (not the steps that come and go with the PIN)
    counted: bool = True
    holds: Holds | None = None       # personal data the answer holds (``bot.domain.sensitive``)
    #: asks for the answer of that step again, to check it: the answer kept is only True,
    #: but the worker's message holds what that step's answer holds
    confirms: str | None = None
    sets_language: bool = False      # the answer is the language of the conversation
    kept_on_restart: bool = False    # "start over" keeps this answer
    #: the question asked again after an answer not understood (a long notice is not sent twice)
    again: str | None = None
    #: reads an option's code from typed numbers or words ("8000" -> an income slab)
    reads: Callable[[str, date], str | None] | None = None
    menu: Menu | None = None         # a long list offered a few buttons at a time
    #: "I don't know" is an answer: kept as None, completed at the CSC
    unknown: bool = False
    derived: bool = False            # never asked: another step's ``derive`` sets it
    #: shown options sorted by their shown name, these codes first (the worker's own state)
    alphabetical: Callable[[Answers], Sequence[str]] | None = None
    #: a voice note is an answer too: kept to be typed at the CSC (``bot.flow.voice``)
    voice: bool = False

    def applies(self, answers: Answers) -> bool:
        return not self.derived and (self.when is None or self.when(answers))

    def is_editable(self, answers: Answers) -> bool:
        return self.editable and self.key in answers and self.applies(answers)

    def choices(self, answers: Answers) -> Sequence[cat.Option]:
        return self.options(answers) if callable(self.options) else self.options

    def show(self, value: Any, lang: str, answers: Answers) -> str:
        """The answer as the review and the CSC's card show it (a secret number masked)."""
        if value is None:
            return translate(lang, m.AT_CSC if self.unknown else m.SKIPPED)
        if self.holds is not None and self.holds.secret:
            return mask(self.holds, value)
        if self.kind is Kind.YES_NO:
            return translate(lang, m.YES if value else m.NO)
        if self.kind is Kind.CHOICE:
            for option in self.choices(answers):
                if option.code == value:
                    return option.shown(lang)
            return str(value)
        if self.kind is Kind.DATE:
            if v.is_year_only(value):
                return translate(lang, m.YEAR_ONLY, year=value)
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        return str(value)


# -- helpers used by the steps ------------------------------------------------


def _languages(answers: Answers) -> list[cat.Option]:
    """The languages offered, each by its own name."""
    return [cat.Option(code, language(code).name) for code in languages()]


CONSENT = (cat.Option("agree", N_("I agree"), icon="✅"), cat.Option("decline", N_("I do not agree"), icon="❌"))
GUARDIAN_CONSENT = (cat.Option("agree", N_("I am the parent or guardian, and I agree"), icon="✅"),
                    cat.Option("decline", N_("I do not agree"), icon="❌"))
OTHER_PLACE = cat.Option("other", N_("None of these: I will choose"))


def _birth_date(text: str, today: date, answers: Answers) -> str:
    return v.parse_birth_date(text, today)


def _birth_or_age(text: str, today: date, answers: Answers) -> str:
    return v.parse_birth_or_age(text, today)


def _income(text: str, today: date) -> str | None:
    monthly = amounts.monthly_income(text)
    return None if monthly is None else amounts.income_slab(monthly)


def _education(text: str, today: date) -> str | None:
    school_class = schooling.school_class(text)
    return None if school_class is None else schooling.education_of_class(school_class)


def _minor(answers: Answers) -> bool:
    """under 18"""
    return answers.get("minor") is True


def _migrant(answers: Answers) -> bool:
    """migrant"""
    return answers.get("migrant") is True


def _has_other_work(answers: Answers) -> bool:
    """other work"""
    return answers.get("other_work") is True


def _no_ifsc(answers: Answers) -> bool:
    """IFSC not known"""
    return "ifsc" in answers and answers["ifsc"] is None


def _note_minor(value: str, answers: Answers, today: date) -> Answers:
    return {"minor": is_minor(v.birth_date(value), today)}


def _yes_means(reason: Ineligible):
    def rule(value: bool, answers: Answers, today: date) -> Ineligible | None:
        return reason if value else None
    rule.__doc__ = "yes"
    return rule


def _declined(reason: Ineligible):
    def rule(value: str, answers: Answers, today: date) -> Ineligible | None:
        return reason if value == "decline" else None
    rule.__doc__ = "does not agree"
    return rule


def _age_rule(value: str, answers: Answers, today: date) -> Ineligible | None:
    """under 16 or over 59"""
    return check_age(v.birth_date(value), today)


# -- an address: PIN, then the district it gives (or state and district by name), then the rest

@dataclass(frozen=True)
class Address:
    """The keys of one address's answers (``prefix`` "" is where the worker
    lives now; "home_" a migrant's permanent address)."""
    prefix: str

    def key(self, name: str) -> str:
        return self.prefix + name

    def get(self, answers: Answers, name: str, default: Any = None) -> Any:
        return answers.get(self.key(name), default)

    def places(self, answers: Answers) -> list[cat.Option]:
        return list(_places(self.get(answers, "pin") or "", languages()))

    def pin_params(self, answers: Answers) -> dict[str, Any]:
        place = cat.place_of_pin(self.get(answers, "pin") or "")
        state = place[0] if place else ""
        return {"pin": self.get(answers, "pin", ""), "state": Msg(cat.state_label(state))}

    def from_pin(self, value: str, answers: Answers, today: date) -> Answers:
        if value == OTHER_PLACE.code:
            return {}
        state, district = value.split("|", 1)
        return {self.key("state"): state, self.key("district"): district}

    def pin_found(self, answers: Answers) -> bool:
        return bool(self.places(answers))

    def choose_place(self, answers: Answers) -> bool:
        return self.get(answers, "pin_place", OTHER_PLACE.code) == OTHER_PLACE.code

    def districts(self, answers: Answers) -> Sequence[cat.Option]:
        return cat.districts(self.get(answers, "state") or "")


@lru_cache(maxsize=1024)
def _places(pin: str, offered: tuple[str, ...]) -> tuple[cat.Option, ...]:
    """The districts a PIN code may be in (with the state: "UTTARAKHAND|HARIDWAR"), then "another place"."""
    place = cat.place_of_pin(pin)
    if place is None:
        return ()
    state, districts = place
    named = cat.districts_named(state, districts)
    return (*(cat.Option(f"{state}|{d.code}", d.label, d.names, d.also) for d in named), OTHER_PLACE)


def _own_states(answers: Answers) -> list[str]:
    """The states the worker has named, shown first in a list of states."""
    return [answers[key] for key in ("state", "home_state") if answers.get(key)]


def _when(test: Callable[[Answers], bool], doc: str, also: Callable[[Answers], bool] | None = None):
    """``test`` (and ``also``) as a step's condition, named ``doc`` in the flow diagram."""
    def when(answers: Answers) -> bool:
        return (also is None or also(answers)) and test(answers)
    when.__doc__ = doc
    return when


def _address_steps(where: Address, section: str, when: Callable[[Answers], bool] | None,
                   texts: dict[str, tuple[str, str, str]]) -> tuple[Step, ...]:
    """The steps of one address; ``texts``: label, prompt and help of each."""
    def step(name: str, **more: Any) -> Step:
        label, prompt, help_ = texts[name]
        return Step(where.key(name), section, label, prompt, help_, **more)
    return (
        step("pin", parse=_text_parser(v.parse_pin), unknown=True, when=when,
             resets=(where.key("pin_place"), where.key("state"), where.key("district"))),
        step("pin_place", kind=Kind.CHOICE, options=where.places,
             when=_when(where.pin_found, "PIN found in India Post's directory", when),
             derive=where.from_pin, resets=(where.key("state"), where.key("district")),
             params=where.pin_params, counted=False, in_summary=False),
        step("state", kind=Kind.CHOICE, options=lambda a: cat.states(),
             when=_when(where.choose_place, "PIN did not settle the district", when),
             resets=(where.key("district"),), counted=False, alphabetical=_own_states),
        step("district", kind=Kind.CHOICE, options=where.districts,
             when=_when(where.choose_place, "PIN did not settle the district", when),
             counted=False, alphabetical=lambda a: ()),
        step("address", parse=_text_parser(v.parse_address), holds=Holds.FREE_TEXT, when=when, voice=True),
    )


# -- work: asked first, its sector follows from it

MORE_WORK = cat.Option("more", N_("Some other work"))
WORK_MENU = Menu(
    first=tuple(replace(occ.OCCUPATION_BY_CODE[code], icon=occ.WORK_ICONS.get(code, ""))
                for code in occ.COMMON_WORK) + (MORE_WORK,),
    groups=(Group(MORE_WORK, N_("In which area is your work? Choose it, or write your work in a few words."),
                  tuple(cat.Option(s.code, s.label) for s in occ.SECTORS)),
            *(Group(cat.Option(s.code, s.label), N_("Which of these is your work?"), s.occupations)
              for s in occ.SECTORS)))


def _every_occupation(answers: Answers) -> Sequence[cat.Option]:
    return _OCCUPATIONS


_OCCUPATIONS = tuple(occ.OCCUPATION_BY_CODE.values())


def _sector_of(sector_key: str):
    def derive(value: str, answers: Answers, today: date) -> Answers:
        return {sector_key: occ.sector_of(value)}
    return derive


def _confirm_account(text: str, today: date, answers: Answers) -> bool:
    if v.parse_account(text) != answers.get("bank_account"):
        raise v.Invalid(N_("The two account numbers do not match. Let us start again: type the number from "
                           "your passbook, for example 31245678901."), back_to="bank_account")
    return True


def _sector_options(answers: Answers) -> Sequence[cat.Option]:
    return _SECTORS


_SECTORS = tuple(cat.Option(s.code, s.label) for s in occ.SECTORS)


CURRENT, HOME = Address(""), Address("home_")


def _text_parser(fn: Callable[[str], Any]):
    """A parser of the text alone, as a step's ``parse``."""
    return lambda text, today, answers: fn(text)


_name = _text_parser(v.parse_name)
_years = _text_parser(lambda text: v.parse_whole_number(text, 0, 60))


# -- the form -----------------------------------------------------------------

START, ELIGIBILITY, GUARDIAN, PERSONAL, ADDRESS, HOME_ADDRESS, WORK, BANK, NOMINEE = (
    N_("Start"), N_("Eligibility"), N_("Guardian"), N_("Personal details"),
    N_("Address"), N_("Permanent address"), N_("Work"), N_("Bank account"), N_("Nominee"))

#: what is said before the first question of a section ({count}: how many of its
#: questions apply, ``section_questions``); a section without one starts unannounced
SECTION_INTROS: dict[str, str] = {
    ELIGIBILITY: N_("First, {count} questions: is e-Shram for you?"),
    GUARDIAN: N_("Now {count} questions for your parent or guardian."),
    PERSONAL: N_("Now {count} questions about you."),
    ADDRESS: N_("Now {count} questions about where you live."),
    HOME_ADDRESS: N_("Now {count} questions about the address of your own home."),
    WORK: N_("Now {count} questions about your work."),
    BANK: N_("Now {count} questions about your bank account."),
    NOMINEE: N_("Now {count} questions about your nominee."),
}
#: a picture beside every question of a section, for those who read slowly
SECTION_ICONS: dict[str, str] = {ADDRESS: "📍", HOME_ADDRESS: "📍", BANK: "🏦"}

STEPS: tuple[Step, ...] = (
    Step("language", START, N_("Language"),
         N_("Namaste! I am Shram Sahayak. I will help you register on e-Shram, one question at a time. "
            "Please choose your language."),
         N_("Choose the language we talk in. You can change it at any time with /language."),
         kind=Kind.CHOICE, options=_languages, in_summary=False, editable=False, counted=False,
         sets_language=True, kept_on_restart=True),
    Step("consent", START, N_("Consent"),
         N_("Please read this, or have someone read it to you.\n\n"
            "To make your e-Shram card, we will ask your date of birth, mobile, Aadhaar, name, address, "
            "work, bank account and nominee. Only the CSC operator and the labour department will see them. "
            "Aadhaar and account numbers are kept hidden. Voice notes, if you send any, are kept only until "
            "the CSC has typed them. Send /delete at any time to erase everything.\n\n"
            "Do you agree?"),
         N_("We need your consent before we ask anything personal. If you do not agree, nothing is saved."),
         kind=Kind.CHOICE, options=CONSENT, in_summary=False, editable=False, counted=False,
         again=N_("Do you agree to what is written above? Please press a button below."),
         rule=_declined(Ineligible.NO_CONSENT), kept_on_restart=True),
    # Eligibility comes before any personal detail.
    Step("dob", ELIGIBILITY, N_("Date of birth"),
         N_("What is your date of birth? Type day/month/year, for example 15/08/1990. "
            "If your Aadhaar card shows only the year, type the year, for example 1975."),
         N_("e-Shram is for workers aged 16 to 59, so the age comes first. "
            "Type the date as it is on your Aadhaar card."),
         kind=Kind.DATE, parse=_birth_date, rule=_age_rule, derive=_note_minor,
         resets=("guardian_name", "guardian_relation", "guardian_consent")),
    Step("epfo_esic", ELIGIBILITY, N_("Member of EPFO or ESIC"),
         N_("Are you a member of EPFO (PF) or ESIC? If PF or ESI money is cut from your pay, say yes."),
         N_("Workers who already get PF or ESI through an employer cannot register on e-Shram."),
         kind=Kind.YES_NO, rule=_yes_means(Ineligible.EPFO_ESIC)),
    Step("nps_govt", ELIGIBILITY, N_("Government job or NPS"),
         N_("Do you have a government job, or are you in the government-funded NPS pension? "
            "ASHA, Anganwadi, mid-day-meal and MGNREGA work is not a government job."),
         N_("Government employees and members of the government-funded NPS cannot register on e-Shram. "
            "ASHA, Anganwadi, mid-day-meal and MGNREGA workers can."),
         kind=Kind.YES_NO, rule=_yes_means(Ineligible.NPS_GOVT)),
    Step("income_tax", ELIGIBILITY, N_("Pays income tax"),
         N_("Do you pay income tax?"),
         N_("e-Shram is for workers who do not pay income tax."),
         kind=Kind.YES_NO, rule=_yes_means(Ineligible.INCOME_TAX)),
    # A 16-17 year old needs a parent's or guardian's consent (DPDP Act s.9).
    Step("guardian_name", GUARDIAN, N_("Parent or guardian"),
         N_("You are under 18, so a parent or guardian must agree to this registration. "
            "What is your parent's or guardian's name?"),
         N_("By law, anyone under 18 needs a parent's or guardian's consent."),
         parse=_name, when=_minor, holds=Holds.FREE_TEXT, voice=True),
    Step("guardian_relation", GUARDIAN, N_("Guardian's relation"),
         N_("How is {guardian_name} related to you?"),
         N_("We note who gave the consent."),
         kind=Kind.CHOICE, options=cat.GUARDIAN_RELATIONS, when=_minor,
         params=lambda a: {"guardian_name": a.get("guardian_name", "")}),
    Step("guardian_consent", GUARDIAN, N_("Guardian's consent"),
         N_("{guardian_name}, please read the notice at the start, or have someone read it to you. "
            "Do you agree that this child registers on e-Shram?"),
         N_("Only the parent or guardian should press this button."),
         kind=Kind.CHOICE, options=GUARDIAN_CONSENT, when=_minor,
         again=N_("Do you, the parent or guardian, agree? Please press a button below."),
         params=lambda a: {"guardian_name": a.get("guardian_name", "")},
         rule=_declined(Ineligible.NO_GUARDIAN_CONSENT)),
    Step("mobile", PERSONAL, N_("Mobile number"),
         N_("What is your mobile number linked to Aadhaar? (10 digits)"),
         N_("e-Shram sends a one-time password (OTP) to the mobile number linked to your Aadhaar. "
            "Without such a phone, the registration is finished at the CSC with your fingerprint."),
         parse=_text_parser(v.parse_mobile), hint=Hint.CONTACT, holds=Holds.MOBILE),
    Step("aadhaar", PERSONAL, N_("Aadhaar number"),
         N_("What is your 12-digit Aadhaar number? It is kept hidden: after this, only its last 4 digits are shown."),
         N_("e-Shram is linked to Aadhaar. Your number is kept hidden and never shown in full."),
         parse=_text_parser(v.parse_aadhaar), holds=Holds.AADHAAR),
    Step("name", PERSONAL, N_("Name"),
         N_("What is your full name, exactly as written on your Aadhaar card?"),
         N_("The name must match Aadhaar, or the check fails."),
         parse=_name, holds=Holds.FREE_TEXT, voice=True),
    Step("gender", PERSONAL, N_("Gender"), N_("What is your gender?"),
         N_("The e-Shram form asks for it."),
         kind=Kind.CHOICE, options=cat.GENDERS),
    Step("father_name", PERSONAL, N_("Father's name"), N_("What is your father's name?"),
         N_("The e-Shram form asks for your father's name."),
         parse=_name, holds=Holds.FREE_TEXT, voice=True),
    Step("category", PERSONAL, N_("Social category"), N_("Which social category are you in?"),
         N_("Some schemes are meant for particular categories."),
         kind=Kind.CHOICE, options=cat.CATEGORIES),
    Step("disability", PERSONAL, N_("Disability"), N_("Do you have a disability?"),
         N_("Some schemes give extra help to workers with a disability."),
         kind=Kind.YES_NO),
    Step("education", PERSONAL, N_("Education"),
         N_("How much have you studied? Press a button, or type your class, for example 8th pass."),
         N_("Your schooling helps match you with training and jobs."),
         kind=Kind.CHOICE, options=cat.EDUCATION, reads=_education),
    Step("income", PERSONAL, N_("Monthly income"),
         N_("About how much do you earn in a month? Press a button, or type the amount, "
            "for example 8000, or 300 a day."),
         N_("Schemes for workers are planned by income. Choose what is closest to a usual month."),
         kind=Kind.CHOICE, options=cat.INCOME_SLABS, reads=_income),
    *_address_steps(CURRENT, ADDRESS, None, {
        "pin": (N_("PIN code"), N_("What is the PIN code of the place where you live now? (6 digits)"),
                N_("The PIN code tells us your district and state. It is in your address on Aadhaar or on a letter. "
                   "If you do not know it, press “I don't know”.")),
        "pin_place": (N_("District (from the PIN code)"),
                      N_("PIN code {pin} is in {state}. Please choose your district:"),
                      N_("The district comes from the PIN code. If it is not right, press the last button.")),
        "state": (N_("State"), N_("Which state do you live in?"),
                  N_("Your state decides which labour department serves you.")),
        "district": (N_("District"), N_("Which district do you live in?"),
                     N_("Registration camps are held district by district.")),
        "address": (N_("Address"), N_("Please type your address: house number, street or village, and post office."),
                    N_("Your address is needed for the e-Shram card, and for help in an emergency."))}),
    Step("migrant", ADDRESS, N_("Migrant worker"),
         N_("Is your own home (village or town) in another district or state?"),
         N_("Workers from elsewhere can get help where they work, such as ration under One Nation One Ration Card."),
         kind=Kind.YES_NO, resets=("migrant_years",)),
    Step("migrant_years", ADDRESS, N_("Years at current place"),
         N_("For how many years have you lived here? (Type 0 if less than one year.)"),
         N_("The e-Shram form asks workers from elsewhere how long they have been where they live now."),
         parse=_years, when=_migrant),
    *_address_steps(HOME, HOME_ADDRESS, _migrant, {
        "pin": (N_("PIN code of permanent address"),
                N_("What is the PIN code of your own home (village or town), your permanent address? (6 digits)"),
                N_("e-Shram asks workers from elsewhere for both addresses: where they live now, and their own "
                   "home. If you do not know the PIN code, press “I don't know”.")),
        "pin_place": (N_("District of permanent address (from the PIN code)"),
                      N_("PIN code {pin} is in {state}. Please choose the district of your own home:"),
                      N_("The district comes from the PIN code. If it is not right, press the last button.")),
        "state": (N_("State of permanent address"), N_("In which state is your own home?"),
                  N_("The state of your own home, the one you come from.")),
        "district": (N_("District of permanent address"), N_("In which district is your own home?"),
                     N_("The district of your own home, the one you come from.")),
        "address": (N_("Permanent address"),
                    N_("Please type the address of your own home: house number, village or street, and post office."),
                    N_("The address of your own home, as on your Aadhaar card if it is written there."))}),
    # The work first, in the worker's words; e-Shram's sector follows from it.
    Step("sector", WORK, N_("Sector of main work"), N_("In which area is your main work?"),
         N_("e-Shram groups work by sector."),
         kind=Kind.CHOICE, options=_sector_options, derived=True, editable=False),
    Step("occupation", WORK, N_("Main work"),
         N_("What work do you do? Press a button below, or write your work in a few words."),
         N_("Choose your main work. If it is not among the buttons, press “Some other work”, "
            "or write it in your own words, for example “tailor” or “dhaba mein khana banana”."),
         kind=Kind.CHOICE, options=_every_occupation, menu=WORK_MENU, derive=_sector_of("sector")),
    Step("other_work", WORK, N_("Other work"), N_("Do you also do some other work, besides this one?"),
         N_("Many workers do two kinds of work, for example farming and construction."),
         kind=Kind.YES_NO, resets=("secondary_occupation", "secondary_sector")),
    Step("secondary_sector", WORK, N_("Sector of other work"), N_("In which area is your other work?"),
         N_("e-Shram groups work by sector."),
         kind=Kind.CHOICE, options=_sector_options, derived=True, editable=False),
    Step("secondary_occupation", WORK, N_("Other work"),
         N_("What is this other work? Press a button below, or write it in a few words."),
         N_("Choose the work closest to what you do."),
         kind=Kind.CHOICE, options=_every_occupation, menu=WORK_MENU, derive=_sector_of("secondary_sector"),
         when=_has_other_work),
    Step("experience", WORK, N_("Years of experience"),
         N_("For how many years have you done your main work? Type a number, for example 5."),
         N_("Your years of work are written on the e-Shram card."),
         parse=_years),
    Step("bank_account", BANK, N_("Bank account number"),
         N_("What is your bank account number? It is in your passbook. It is kept hidden: "
            "after this, only its last 4 digits are shown."),
         N_("Money from schemes is paid straight into your bank account. The number is kept hidden."),
         parse=_text_parser(v.parse_account), holds=Holds.ACCOUNT, resets=("bank_account_confirm",)),
    Step("bank_account_confirm", BANK, N_("Account number again"),
         N_("Please type the account number once more, to be sure it is right."),
         N_("A wrong account number would send your money to the wrong place, so it is asked twice."),
         parse=_confirm_account, confirms="bank_account", in_summary=False, editable=False, counted=False),
    Step("ifsc", BANK, N_("IFSC code"),
         N_("What is your bank branch's IFSC code? It is printed in your passbook, for example SBIN0001234."),
         N_("The IFSC code tells which branch your account is in."),
         parse=_text_parser(v.parse_ifsc), unknown=True),
    Step("bank_name", BANK, N_("Bank"),
         N_("No matter: the CSC will take the IFSC code from your passbook. What is your bank's name? "
            "For example State Bank of India."),
         N_("With the bank's name and branch, the CSC operator can find the IFSC code."),
         parse=_text_parser(v.parse_bank_words), holds=Holds.FREE_TEXT, when=_no_ifsc),
    Step("bank_branch", BANK, N_("Bank branch"),
         N_("In which place is your bank branch? Type the town, or the market it is in."),
         N_("With the bank's name and branch, the CSC operator can find the IFSC code."),
         parse=_text_parser(v.parse_bank_words), holds=Holds.FREE_TEXT, when=_no_ifsc),
    Step("nominee_name", NOMINEE, N_("Nominee's name"),
         N_("If something happens to you, who should get the insurance money? Type that person's name: "
            "they will be your nominee."),
         N_("If something happens to you, the insurance money goes to your nominee."),
         parse=_name, holds=Holds.FREE_TEXT, voice=True),
    Step("nominee_relation", NOMINEE, N_("Nominee's relation"),
         N_("How is {nominee_name} related to you?"),
         N_("The e-Shram form asks how the nominee is related to you."),
         kind=Kind.CHOICE, options=cat.NOMINEE_RELATIONS,
         params=lambda a: {"nominee_name": a.get("nominee_name", "")}),
    Step("nominee_dob", NOMINEE, N_("Nominee's date of birth"),
         N_("What is {nominee_name}'s date of birth? Type day/month/year; if you do not know it, "
            "the year of birth or the age, for example 35."),
         N_("The e-Shram form asks for the nominee's date of birth. The year alone or the age will do."),
         kind=Kind.DATE, parse=_birth_or_age, params=lambda a: {"nominee_name": a.get("nominee_name", "")}),
)

STEP_BY_KEY = {step.key: step for step in STEPS}


def typed_holds(step: Step) -> Holds | None:
    """What a worker's message answering ``step`` holds: what its answer
    holds, or (asked again to check it) what the confirmed answer holds."""
    return STEP_BY_KEY[step.confirms].holds if step.confirms else step.holds


def step_holding(kind: Holds) -> Step:
    """The one step whose answer holds ``kind`` (the Aadhaar number)."""
    found, = (step for step in STEPS if step.holds is kind)
    return found


# -- position in the form -------------------------------------------------------

def next_step(answers: Answers) -> Step | None:
    """The first step that applies and has no answer yet (None: the form is done)."""
    for step in STEPS:
        if step.key not in answers and step.applies(answers):
            return step
    return None


def progress(answers: Answers) -> tuple[int, int]:
    """(answered, to answer) of the steps that count towards progress."""
    counted = [s for s in STEPS if s.counted and s.applies(answers)]
    return sum(s.key in answers for s in counted), len(counted)


def has_progress(answers: Answers) -> bool:
    """At least one step that counts towards progress is answered (``progress``'s first number is not 0)."""
    return any(s.key in answers and s.counted and s.applies(answers) for s in STEPS)


def section_questions(section: str, answers: Answers) -> int:
    """How many questions of ``section`` apply so far: those counted towards
    progress, and the ones asked again to check an answer (the account
    number); the district a PIN code gives is part of the PIN's question."""
    return sum(1 for s in STEPS if s.section == section and s.applies(answers) and (s.counted or s.confirms))


# -- the worker's review: short, the key items first ------------------------------

#: The review a worker reads before submitting, one line per group of answers
#: (an icon, then the answers joined by " · "); each answer shown bare (its
#: value says what it is: a name, an address) or as "label: value". The
#: eligibility answers are not shown (a worker at the review answered no to
#: each), nor the sector (it follows from the work); the CSC card shows every
#: answer. Every answer stays changeable from "Change an answer".
REVIEW_LINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("👤", ("name", "gender", "dob")),
    ("👨‍👩‍👦", ("father_name", "category", "disability")),
    ("📞", ("mobile", "aadhaar")),
    ("🎓", ("education", "income")),
    ("🧑‍🧒", ("guardian_name", "guardian_relation")),
    ("📍", ("address", "district", "state", "pin", "migrant", "migrant_years")),
    ("🏠", ("home_address", "home_district", "home_state", "home_pin")),
    ("🛠", ("occupation", "experience", "other_work", "secondary_occupation")),
    ("🏦", ("bank_account", "ifsc", "bank_name", "bank_branch")),
    ("🛡", ("nominee_name", "nominee_relation", "nominee_dob")),
)
#: shown by their value alone
REVIEW_BARE = frozenset({"name", "gender", "category", "address", "district", "state", "pin", "occupation",
                         "home_address", "home_district", "home_state", "home_pin", "bank_name", "bank_branch",
                         "guardian_name", "nominee_relation"})
#: in the summary, but not on the worker's short review
REVIEW_LEFT_OUT = frozenset({"epfo_esic", "nps_govt", "income_tax", "sector", "secondary_sector", "guardian_consent"})
#: shorter names than the steps' labels, for the review's lines
REVIEW_LABELS = {
    "dob": N_("Born"), "father_name": N_("Father"), "disability": N_("Has a disability"), "mobile": N_("Mobile"),
    "aadhaar": N_("Aadhaar"), "education": N_("Studied"), "income": N_("Income"), "pin": N_("PIN"),
    "home_pin": N_("PIN"), "migrant": N_("Came from elsewhere"), "migrant_years": N_("Years here"),
    "experience": N_("Years in this work"), "bank_account": N_("Account"), "ifsc": N_("IFSC"),
    "nominee_name": N_("Nominee for the insurance"), "nominee_dob": N_("Born"), "guardian_relation": N_("Relation"),
}
