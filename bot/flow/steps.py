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

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Callable, Sequence

from bot.domain import catalogues as cat
from bot.domain import occupations
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

    def applies(self, answers: Answers) -> bool:
        return self.when is None or self.when(answers)

    def is_editable(self, answers: Answers) -> bool:
        return self.editable and self.key in answers and self.applies(answers)

    def choices(self, answers: Answers) -> Sequence[cat.Option]:
        return self.options(answers) if callable(self.options) else self.options

    def show(self, value: Any, lang: str, answers: Answers) -> str:
        """The answer as the review and the CSC's card show it (a secret number masked)."""
        if value is None:
            return translate(lang, m.SKIPPED)
        if self.holds is not None and self.holds.secret:
            return mask(self.holds, value)
        if self.kind is Kind.YES_NO:
            return translate(lang, m.YES if value else m.NO)
        if self.kind is Kind.CHOICE:
            for option in self.choices(answers):
                if option.code == value:
                    return translate(lang, option.label)
            return str(value)
        if self.kind is Kind.DATE:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        return str(value)


# -- helpers used by the steps ------------------------------------------------


def _languages(answers: Answers) -> list[cat.Option]:
    """The languages offered, each by its own name."""
    return [cat.Option(code, language(code).name) for code in languages()]


CONSENT = (cat.Option("agree", N_("I agree")), cat.Option("decline", N_("I do not agree")))
GUARDIAN_CONSENT = (cat.Option("agree", N_("I am the parent or guardian, and I agree")),
                    cat.Option("decline", N_("I do not agree")))
OTHER_PLACE = cat.Option("other", N_("None of these: I will choose"))


def _date(text: str, today: date, answers: Answers) -> str:
    return v.parse_date(text, today).isoformat()


def _minor(answers: Answers) -> bool:
    """under 18"""
    return answers.get("minor") is True


def _pin_found(answers: Answers) -> bool:
    """PIN found in India Post's directory"""
    return bool(_pin_places(answers))


def _migrant(answers: Answers) -> bool:
    """migrant"""
    return answers.get("migrant") is True


def _has_other_work(answers: Answers) -> bool:
    """other work given"""
    return bool(answers.get("secondary_sector"))


def _note_minor(value: str, answers: Answers, today: date) -> Answers:
    return {"minor": is_minor(date.fromisoformat(value), today)}


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
    return check_age(date.fromisoformat(value), today)


def _pin_places(answers: Answers) -> list[cat.Option]:
    place = cat.place_of_pin(answers.get("pin", ""))
    if place is None:
        return []
    state, districts = place
    return [cat.Option(f"{state}|{d}", d.title()) for d in districts] + [OTHER_PLACE]


def _pin_params(answers: Answers) -> dict[str, Any]:
    place = cat.place_of_pin(answers.get("pin", ""))
    state = place[0] if place else ""
    return {"pin": answers.get("pin", ""), "state": Msg(cat.state_label(state))}


def _place_from_pin(value: str, answers: Answers, today: date) -> Answers:
    if value == OTHER_PLACE.code:
        return {}
    state, district = value.split("|", 1)
    return {"state": state, "district": district}


def _choose_place(answers: Answers) -> bool:
    """PIN did not settle the district"""
    return answers.get("pin_place", OTHER_PLACE.code) == OTHER_PLACE.code


def _sector_occupations(sector_key: str):
    def options(answers: Answers) -> Sequence[cat.Option]:
        sector = occupations.SECTOR_BY_CODE.get(answers.get(sector_key) or "")
        return sector.occupations if sector else ()
    return options


def _confirm_account(text: str, today: date, answers: Answers) -> bool:
    if v.parse_account(text) != answers.get("bank_account"):
        raise v.Invalid(N_("The two account numbers do not match. Let us try again."), back_to="bank_account")
    return True


def _sector_options(answers: Answers) -> list[cat.Option]:
    return [cat.Option(s.code, s.label) for s in occupations.SECTORS]


def _text_parser(fn: Callable[[str], Any]):
    """A parser of the text alone, as a step's ``parse``."""
    return lambda text, today, answers: fn(text)


_name = _text_parser(v.parse_name)
_years = _text_parser(lambda text: v.parse_whole_number(text, 0, 60))


# -- the form -----------------------------------------------------------------

START, ELIGIBILITY, GUARDIAN, PERSONAL, ADDRESS, WORK, BANK, NOMINEE = (
    N_("Start"), N_("Eligibility"), N_("Guardian"), N_("Personal details"),
    N_("Address"), N_("Work"), N_("Bank account"), N_("Nominee"))

STEPS: tuple[Step, ...] = (
    Step("language", START, N_("Language"),
         N_("Namaste! I am Shram Sahayak. I will help you register on e-Shram, step by step. "
            "Please choose your language."),
         N_("Choose the language for our conversation. You can change it any time with /language."),
         kind=Kind.CHOICE, options=_languages, in_summary=False, editable=False, counted=False,
         sets_language=True, kept_on_restart=True),
    Step("consent", START, N_("Consent"),
         N_("Before we begin, please read this.\n\n"
            "What we ask: your mobile number, Aadhaar number, name, date of birth, family, address, "
            "work and bank details, as the e-Shram form needs them.\n"
            "Why: to prepare your e-Shram registration, so that you can get your e-Shram card (UAN) "
            "and benefits such as ₹2 lakh accident insurance.\n"
            "Who sees it: only the CSC (Jan Seva Kendra) operator who checks your application, and the "
            "labour department. Your Aadhaar and bank account numbers are kept locked (encrypted) and "
            "shown only as XXXX.\n"
            "Your right: you can erase all your data at any time by sending /delete.\n\n"
            "Do you agree?"),
         N_("We need your permission before we ask for any personal details. If you do not agree, "
            "nothing is saved."),
         kind=Kind.CHOICE, options=CONSENT, in_summary=False, editable=False, counted=False,
         rule=_declined(Ineligible.NO_CONSENT), kept_on_restart=True),
    # Eligibility comes before any personal detail.
    Step("dob", ELIGIBILITY, N_("Date of birth"),
         N_("What is your date of birth? Type it as day/month/year, for example 15/08/1990."),
         N_("e-Shram is for workers aged 16 to 59, so we check your age first. "
            "Type the date as it is on your Aadhaar card."),
         kind=Kind.DATE, parse=_date, rule=_age_rule, derive=_note_minor,
         resets=("guardian_name", "guardian_relation", "guardian_consent")),
    Step("epfo_esic", ELIGIBILITY, N_("Member of EPFO or ESIC"),
         N_("Are you a member of EPFO (PF) or ESIC? If money for PF or ESI is cut from your salary, "
            "the answer is yes."),
         N_("Workers who already have PF or ESI cover from an employer cannot register on e-Shram."),
         kind=Kind.YES_NO, rule=_yes_means(Ineligible.EPFO_ESIC)),
    Step("nps_govt", ELIGIBILITY, N_("Government job or NPS"),
         N_("Do you have a government job, or are you a member of the government-funded NPS pension?"),
         N_("Government employees and members of the government-funded NPS cannot register on e-Shram."),
         kind=Kind.YES_NO, rule=_yes_means(Ineligible.NPS_GOVT)),
    Step("income_tax", ELIGIBILITY, N_("Pays income tax"),
         N_("Do you pay income tax?"),
         N_("e-Shram is for workers who do not pay income tax."),
         kind=Kind.YES_NO, rule=_yes_means(Ineligible.INCOME_TAX)),
    # A 16-17 year old needs a parent's or guardian's consent (DPDP Act s.9).
    Step("guardian_name", GUARDIAN, N_("Parent or guardian"),
         N_("You are under 18, so a parent or guardian must agree to this registration. "
            "What is your parent's or guardian's name?"),
         N_("The law needs a parent's or guardian's consent for anyone under 18."),
         parse=_name, when=_minor, holds=Holds.FREE_TEXT),
    Step("guardian_relation", GUARDIAN, N_("Guardian's relation"),
         N_("How is {guardian_name} related to you?"),
         N_("We record who gave the consent."),
         kind=Kind.CHOICE, options=cat.GUARDIAN_RELATIONS, when=_minor,
         params=lambda a: {"guardian_name": a.get("guardian_name", "")}),
    Step("guardian_consent", GUARDIAN, N_("Guardian's consent"),
         N_("{guardian_name}, please read the notice above (what we ask, why, who sees it, and how to "
            "erase it). Do you agree that this child registers on e-Shram?"),
         N_("Only the parent or guardian should press this button."),
         kind=Kind.CHOICE, options=GUARDIAN_CONSENT, when=_minor,
         params=lambda a: {"guardian_name": a.get("guardian_name", "")},
         rule=_declined(Ineligible.NO_GUARDIAN_CONSENT)),
    Step("mobile", PERSONAL, N_("Mobile number"),
         N_("What is your mobile number linked with Aadhaar? (10 digits)"),
         N_("e-Shram sends a one-time password (OTP) to the mobile number linked with your Aadhaar."),
         parse=_text_parser(v.parse_mobile), hint=Hint.CONTACT, holds=Holds.MOBILE),
    Step("aadhaar", PERSONAL, N_("Aadhaar number"),
         N_("What is your 12-digit Aadhaar number? We will keep it locked and show it only as XXXX XXXX 1234."),
         N_("e-Shram is linked with Aadhaar. Your number is stored encrypted and never shown in full."),
         parse=_text_parser(v.parse_aadhaar), holds=Holds.AADHAAR),
    Step("name", PERSONAL, N_("Name"),
         N_("What is your full name, exactly as written on your Aadhaar card?"),
         N_("The name must match Aadhaar, otherwise verification fails."),
         parse=_name, holds=Holds.FREE_TEXT),
    Step("gender", PERSONAL, N_("Gender"), N_("What is your gender?"),
         N_("The e-Shram form asks for gender."),
         kind=Kind.CHOICE, options=cat.GENDERS),
    Step("father_name", PERSONAL, N_("Father's name"), N_("What is your father's name?"),
         N_("The e-Shram form asks for your father's name."),
         parse=_name, holds=Holds.FREE_TEXT),
    Step("category", PERSONAL, N_("Social category"), N_("Which social category do you belong to?"),
         N_("Some schemes are meant for particular categories."),
         kind=Kind.CHOICE, options=cat.CATEGORIES),
    Step("disability", PERSONAL, N_("Disability"), N_("Do you have a disability?"),
         N_("Some schemes give extra support to workers with a disability."),
         kind=Kind.YES_NO),
    Step("education", PERSONAL, N_("Education"), N_("How much have you studied?"),
         N_("Education helps match you with training and jobs."),
         kind=Kind.CHOICE, options=cat.EDUCATION),
    Step("income", PERSONAL, N_("Monthly income"), N_("About how much do you earn in a month?"),
         N_("Schemes are planned for workers by income. Choose the range closest to a usual month."),
         kind=Kind.CHOICE, options=cat.INCOME_SLABS),
    Step("pin", ADDRESS, N_("PIN code"), N_("What is the PIN code of the place where you live now? (6 digits)"),
         N_("The PIN code tells us your district and state. It is in your address on Aadhaar or a letter."),
         parse=_text_parser(v.parse_pin), resets=("pin_place", "state", "district")),
    Step("pin_place", ADDRESS, N_("District (from the PIN code)"),
         N_("PIN code {pin} is in {state}. Please choose your district:"),
         N_("We found your district from the PIN code. If it is not right, choose the last option."),
         kind=Kind.CHOICE, options=_pin_places, when=_pin_found,
         derive=_place_from_pin, resets=("state", "district"),
         params=_pin_params, counted=False, in_summary=False),
    Step("state", ADDRESS, N_("State"), N_("Which state do you live in?"),
         N_("Your state decides which state labour department serves you."),
         kind=Kind.CHOICE, options=lambda a: cat.states(), when=_choose_place, resets=("district",),
         counted=False),
    Step("district", ADDRESS, N_("District"), N_("Which district do you live in?"),
         N_("Registration drives are run district by district."),
         kind=Kind.CHOICE, options=lambda a: cat.districts(a.get("state", "")), when=_choose_place,
         counted=False),
    Step("address", ADDRESS, N_("Address"),
         N_("Please type your address: house number, street or village, and post office."),
         N_("Your address is needed for the e-Shram card and for help in an emergency."),
         parse=_text_parser(v.parse_address), holds=Holds.FREE_TEXT),
    Step("migrant", ADDRESS, N_("Migrant worker"),
         N_("Have you come from another district or state for work?"),
         N_("Migrant workers can get help where they work, such as ration under One Nation One Ration Card."),
         kind=Kind.YES_NO, resets=("migrant_years",)),
    Step("migrant_years", ADDRESS, N_("Years at current place"),
         N_("For how many years have you lived at this place? (Type 0 if less than one year.)"),
         N_("The e-Shram form asks migrant workers how long they have been at the current place."),
         parse=_years, when=_migrant),
    Step("sector", WORK, N_("Sector of main work"), N_("In which area is your main work?"),
         N_("e-Shram groups occupations by sector. Choose the sector of the work you do most."),
         kind=Kind.CHOICE, options=_sector_options, resets=("occupation",)),
    Step("occupation", WORK, N_("Main work"), N_("What is your main work?"),
         N_("Choose the work closest to what you do. If nothing fits, choose the last option."),
         kind=Kind.CHOICE, options=_sector_occupations("sector")),
    Step("secondary_sector", WORK, N_("Sector of other work"),
         N_("Do you also do some other work? Choose its sector, or skip."),
         N_("This is optional. Many workers do two kinds of work, for example farming and construction."),
         kind=Kind.CHOICE, options=_sector_options, optional=True, resets=("secondary_occupation",)),
    Step("secondary_occupation", WORK, N_("Other work"), N_("What is this other work?"),
         N_("Choose the work closest to what you do."),
         kind=Kind.CHOICE, options=_sector_occupations("secondary_sector"),
         when=_has_other_work),
    Step("experience", WORK, N_("Years of experience"),
         N_("For how many years have you done your main work? (Type a number, for example 5.)"),
         N_("Experience is recorded on the e-Shram card."),
         parse=_years),
    Step("bank_account", BANK, N_("Bank account number"),
         N_("What is your bank account number? It is in your passbook. It will be kept locked."),
         N_("Benefits are paid straight into your bank account. The number is stored encrypted."),
         parse=_text_parser(v.parse_account), holds=Holds.ACCOUNT, resets=("bank_account_confirm",)),
    Step("bank_account_confirm", BANK, N_("Account number again"),
         N_("Please type the account number once more, to be sure it is correct."),
         N_("A wrong account number would send your benefits to the wrong place, so we check it twice."),
         parse=_confirm_account, confirms="bank_account", in_summary=False, editable=False, counted=False),
    Step("ifsc", BANK, N_("IFSC code"),
         N_("What is your bank branch's IFSC code? It is printed in your passbook (for example SBIN0001234)."),
         N_("The IFSC code tells which bank branch your account is in."),
         parse=_text_parser(v.parse_ifsc)),
    Step("nominee_name", NOMINEE, N_("Nominee's name"),
         N_("Whom do you want as your nominee? Type the nominee's name."),
         N_("If something happens to you, the insurance money goes to your nominee."),
         parse=_name, holds=Holds.FREE_TEXT),
    Step("nominee_relation", NOMINEE, N_("Nominee's relation"),
         N_("How is {nominee_name} related to you?"),
         N_("The e-Shram form asks how the nominee is related to you."),
         kind=Kind.CHOICE, options=cat.NOMINEE_RELATIONS,
         params=lambda a: {"nominee_name": a.get("nominee_name", "")}),
    Step("nominee_dob", NOMINEE, N_("Nominee's date of birth"),
         N_("What is {nominee_name}'s date of birth? (day/month/year)"),
         N_("The e-Shram form asks for the nominee's date of birth."),
         kind=Kind.DATE, parse=_date, params=lambda a: {"nominee_name": a.get("nominee_name", "")}),
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
    return progress(answers)[0] > 0
