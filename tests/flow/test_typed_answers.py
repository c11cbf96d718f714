"""Everyday answers, typed instead of tapped: each must reach the answer it
means, or the bot must ask about the right option ("did you mean ...?").

Each row: the question, what a worker types (Devanagari Hindi, romanised
Hindi, English, typos), and what must happen:

- a value: the answer kept (an option's code, True/False, a date, a number;
  None for "I don't know");
- "?code": the bot asks "did you mean <that option>?";
- "~code": the bot offers a few options to choose from, that one among them.

The rows run through the real engine, one answer at a time, at the question
they answer. ``test_share_understood`` prints how many are understood on the
first try (kept at once, not asked about)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.channels.console import parse_line
from bot.domain.models import Draft, Phase
from bot.flow import engine, form
from bot.flow.steps import STEP_BY_KEY, STEPS

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)

#: stored answers that bring a worker to any question (each row keeps those before its own)
BASE = {
    "language": "hi", "consent": "agree", "dob": "1988-08-15", "epfo_esic": False, "nps_govt": False,
    "income_tax": False, "mobile": "9876543210", "aadhaar": "234123412346", "name": "राम कुमार",
    "gender": "male", "father_name": "श्याम लाल", "category": "obc", "disability": False,
    "education": "primary", "income": "upto_10000", "pin": None, "state": "UTTARAKHAND", "district": "HARIDWAR",
    "address": "मकान 12, ज्वालापुर", "migrant": True, "migrant_years": 3, "home_pin": None,
    "home_state": "UTTAR PRADESH", "home_district": "GORAKHPUR", "home_address": "गाँव रामपुर",
    "sector": "transport", "occupation": "transport.rickshaw_puller", "other_work": True,
    "secondary_sector": "agriculture", "secondary_occupation": "agriculture.farm_labourer", "experience": 7,
    "bank_account": "12345678901", "bank_account_confirm": True, "ifsc": "SBIN0001234",
    "nominee_name": "सीता देवी", "nominee_relation": "spouse", "nominee_dob": "1992-01-01",
}

ROWS: list[tuple[str, str, object]] = [
    # consent
    ("consent", "हाँ", "agree"), ("consent", "हां", "agree"), ("consent", "haan ji", "agree"),
    ("consent", "yes", "agree"), ("consent", "Yes", "agree"), ("consent", "ok", "agree"),
    ("consent", "मैं सहमत हूँ", "agree"), ("consent", "सहमत हूं", "agree"), ("consent", "theek hai", "agree"),
    ("consent", "I agree", "agree"), ("consent", "जी", "agree"), ("consent", "haa", "agree"),
    ("consent", "manjoor hai", "agree"), ("consent", "sahmat hu", "agree"), ("consent", "जी हाँ", "agree"),
    ("consent", "नहीं", "decline"), ("consent", "nahi", "decline"), ("consent", "no", "decline"),
    ("consent", "मैं सहमत नहीं हूँ", "decline"), ("consent", "i dont agree", "decline"),
    # date of birth
    ("dob", "5 अगस्त 1986", "1986-08-05"), ("dob", "1986", "1986"), ("dob", "15081990", "1990-08-15"),
    ("dob", "5 Aug 86", "1986-08-05"), ("dob", "15/8/1990", "1990-08-15"), ("dob", "15-08-1990", "1990-08-15"),
    ("dob", "15 08 1990", "1990-08-15"), ("dob", "१५/०८/१९९०", "1990-08-15"), ("dob", "सन 1986", "1986"),
    ("dob", "05.08.1986", "1986-08-05"), ("dob", "5/8/86", "1986-08-05"), ("dob", "5th August 1986", "1986-08-05"),
    ("dob", "१९७५", "1975"), ("dob", "15 aug 1990", "1990-08-15"),
    # yes / no
    ("epfo_esic", "नहीं", False), ("epfo_esic", "nahi", False), ("epfo_esic", "no", False),
    ("epfo_esic", "na", False), ("epfo_esic", "नही", False), ("epfo_esic", "nope", False),
    ("nps_govt", "नहीं है", False), ("nps_govt", "bilkul nahi", False), ("nps_govt", "No", False),
    ("income_tax", "नहीं भरता", False), ("income_tax", "nahin", False), ("income_tax", "हाँ", True),
    ("disability", "नहीं", False), ("disability", "haan", True), ("disability", "yes", True),
    ("disability", "जी नहीं", False), ("migrant", "हाँ", True), ("migrant", "haan ji", True),
    ("migrant", "नहीं", False), ("other_work", "नहीं", False), ("other_work", "कोई नहीं", False),
    ("other_work", "none", False), ("other_work", "haan", True), ("other_work", "kuch nahi", False),
    # gender
    ("gender", "आदमी", "male"), ("gender", "पुरुष", "male"), ("gender", "male", "male"), ("gender", "Male", "male"),
    ("gender", "mard", "male"), ("gender", "aadmi", "male"), ("gender", "महिला", "female"),
    ("gender", "औरत", "female"), ("gender", "female", "female"), ("gender", "lady", "female"),
    ("gender", "aurat", "female"), ("gender", "स्त्री", "female"), ("gender", "femal", "female"),
    ("gender", "किन्नर", "transgender"), ("gender", "ladki", "female"), ("gender", "femail", "?female"),
    ("gender", "mahila hu", "female"), ("gender", "पुरूष", "male"),
    # social category
    ("category", "ओबीसी", "obc"), ("category", "OBC", "obc"), ("category", "obc", "obc"),
    ("category", "पिछड़ा वर्ग", "obc"), ("category", "सामान्य", "general"), ("category", "general", "general"),
    ("category", "जनरल", "general"), ("category", "एससी", "sc"), ("category", "SC", "sc"),
    ("category", "अनुसूचित जाति", "sc"), ("category", "एसटी", "st"), ("category", "ST", "st"),
    ("category", "आदिवासी", "st"), ("category", "genral", "general"), ("category", "pichda varg", "obc"),
    ("category", "backward", "obc"), ("category", "ओ बी सी", "obc"),
    # education
    ("education", "5वीं पास", "primary"), ("education", "class 8", "middle"), ("education", "8वीं", "middle"),
    ("education", "आठवीं पास", "middle"), ("education", "10th", "secondary"), ("education", "दसवीं", "secondary"),
    ("education", "हाई स्कूल", "secondary"), ("education", "12वीं", "higher_secondary"),
    ("education", "इंटर", "higher_secondary"), ("education", "BA", "graduate"), ("education", "बीए", "graduate"),
    ("education", "graduate", "graduate"), ("education", "अनपढ़", "not_literate"),
    ("education", "anpadh", "not_literate"), ("education", "कभी स्कूल नहीं गया", "not_literate"),
    ("education", "ITI", "diploma"), ("education", "MA", "post_graduate"), ("education", "B.Tech", "technical_degree"),
    ("education", "class 3", "below_primary"), ("education", "matric", "secondary"),
    ("education", "5th pass", "primary"), ("education", "padha nahi", "not_literate"),
    ("education", "12 pass", "higher_secondary"), ("education", "8", "middle"), ("education", "10", "secondary"),
    # income
    ("income", "8000", "upto_10000"), ("income", "8,000", "upto_10000"), ("income", "₹8000", "upto_10000"),
    ("income", "8 हज़ार", "upto_10000"), ("income", "आठ हजार", "upto_10000"), ("income", "300 रोज़", "upto_10000"),
    ("income", "500 roz", "10001_15000"), ("income", "12000", "10001_15000"), ("income", "15 hazar", "10001_15000"),
    ("income", "16000", "15001_18000"), ("income", "20000", "18001_21000"), ("income", "25000", "above_21000"),
    ("income", "10-12 हज़ार", "10001_15000"), ("income", "बहुत कम", "upto_10000"), ("income", "Rs 9000", "upto_10000"),
    ("income", "दिहाड़ी 400", "10001_15000"), ("income", "६०००", "upto_10000"),
    ("income", "5 हजार महीना", "upto_10000"),
    # main work
    ("occupation", "रिक्शा चलाता हूँ", "transport.rickshaw_puller"), ("occupation", "ई-रिक्शा", "transport.e_rickshaw"),
    ("occupation", "खेती", "agriculture.farm_labourer"), ("occupation", "kheti", "agriculture.farm_labourer"),
    ("occupation", "ghar ka kaam", "domestic.domestic_worker"), ("occupation", "घर का काम", "domestic.domestic_worker"),
    ("occupation", "राजमिस्त्री", "construction.mason"), ("occupation", "आशा", "healthcare.asha"),
    ("occupation", "asha worker", "healthcare.asha"), ("occupation", "आंगनवाड़ी", "healthcare.anganwadi"),
    ("occupation", "anganwadi", "healthcare.anganwadi"), ("occupation", "मनरेगा", "agriculture.mgnrega"),
    ("occupation", "nrega", "agriculture.mgnrega"), ("occupation", "ईंट भट्ठा", "construction.brick_kiln"),
    ("occupation", "मिड डे मील", "food.mid_day_meal"), ("occupation", "delivery boy", "transport.delivery"),
    ("occupation", "पल्लेदार", "transport.loader"), ("occupation", "दिहाड़ी मजदूरी", "misc.daily_wage"),
    ("occupation", "रेहड़ी", "retail.street_vendor"), ("occupation", "दर्जी", "apparel.tailor"),
    ("occupation", "tailor", "apparel.tailor"), ("occupation", "नाई", "beauty.barber"),
    ("occupation", "dhobi", "services.dhobi"), ("occupation", "chowkidar", "security.watchman"),
    ("occupation", "security guard", "security.guard"), ("occupation", "plumber", "construction.plumber"),
    ("occupation", "carpenter", "wood.carpenter"), ("occupation", "बढ़ई", "wood.carpenter"),
    ("occupation", "truck driver", "transport.truck_driver"), ("occupation", "कबाड़ी", "retail.scrap_dealer"),
    ("occupation", "sabji bechta hu", "retail.vegetable_seller"), ("occupation", "मजदूर", "misc.daily_wage"),
    ("occupation", "construction labour", "construction.labourer"), ("occupation", "बीड़ी", "tobacco.beedi"),
    ("occupation", "maid", "domestic.domestic_worker"), ("occupation", "tailr", "apparel.tailor"),
    ("secondary_occupation", "खेती", "agriculture.farm_labourer"),
    ("secondary_occupation", "construction", "~construction"),
    # don't know: PIN and IFSC
    ("pin", "पता नहीं", None), ("pin", "pata nahi", None), ("pin", "don't know", None), ("pin", "249401", "249401"),
    ("pin", "२४९४०१", "249401"), ("pin", "नहीं पता", None), ("ifsc", "पता नहीं", None), ("ifsc", "nahi pata", None),
    ("ifsc", "sbin0001234", "SBIN0001234"), ("home_pin", "मालूम नहीं", None),
    # state and district by name
    ("state", "उत्तर प्रदेश", "UTTAR PRADESH"), ("state", "यूपी", "UTTAR PRADESH"), ("state", "UP", "UTTAR PRADESH"),
    ("state", "uttar pradesh", "UTTAR PRADESH"), ("state", "bihar", "BIHAR"), ("state", "बिहार", "BIHAR"),
    ("state", "उत्तराखंड", "UTTARAKHAND"), ("state", "हरियाणा", "HARYANA"), ("state", "haryana", "HARYANA"),
    ("state", "delhi", "DELHI"), ("state", "दिल्ली", "DELHI"), ("state", "MP", "MADHYA PRADESH"),
    ("state", "rajasthan", "RAJASTHAN"), ("state", "jharkhand", "JHARKHAND"), ("state", "bangal", "WEST BENGAL"),
    ("state", "gujrat", "GUJARAT"), ("state", "uttar pardesh", "UTTAR PRADESH"), ("home_state", "बिहार", "BIHAR"),
    ("district", "हरिद्वार", "HARIDWAR"), ("district", "haridwar", "HARIDWAR"), ("district", "देहरादून", "DEHRADUN"),
    ("district", "dehradun", "DEHRADUN"), ("district", "नैनीताल", "NAINITAL"), ("district", "almora", "ALMORA"),
    ("district", "ऊधम सिंह नगर", "UDAM SINGH NAGAR"), ("district", "derhadun", "?DEHRADUN"),
    ("home_district", "लखनऊ", "LUCKNOW"), ("home_district", "lucknow", "LUCKNOW"),
    ("home_district", "प्रयागराज", "PRAYAGRAJ"), ("home_district", "allahabad", "PRAYAGRAJ"),
    ("home_district", "आगरा", "AGRA"), ("home_district", "वाराणसी", "VARANASI"),
    ("home_district", "gorakhpur", "GORAKHPUR"),
    ("home_district", "गोरखपुर", "GORAKHPUR"),
    # relations
    ("nominee_relation", "पत्नी", "spouse"), ("nominee_relation", "wife", "spouse"),
    ("nominee_relation", "पति", "spouse"),
    ("nominee_relation", "husband", "spouse"), ("nominee_relation", "बेटा", "son"), ("nominee_relation", "beta", "son"),
    ("nominee_relation", "बेटी", "daughter"), ("nominee_relation", "माँ", "mother"),
    ("nominee_relation", "maa", "mother"),
    ("nominee_relation", "पिताजी", "father"), ("nominee_relation", "papa", "father"),
    ("nominee_relation", "भाई", "brother"),
    ("nominee_relation", "bhai", "brother"), ("nominee_relation", "बहन", "sister"),
    ("nominee_relation", "didi", "sister"),
    ("nominee_relation", "मेरी पत्नी", "spouse"), ("nominee_relation", "my wife", "spouse"),
    ("nominee_relation", "son", "son"), ("nominee_relation", "daughter", "daughter"),
    ("nominee_relation", "uncle", "other"),
    ("nominee_relation", "husbnd", "spouse"), ("nominee_relation", "घरवाली", "spouse"),
    ("nominee_relation", "चाचा", "other"),
    # nominee's date of birth: a date, a year or an age (today is 23/11/2026)
    ("nominee_dob", "1992", "1992"), ("nominee_dob", "35", "1991"), ("nominee_dob", "35 साल", "1991"),
    ("nominee_dob", "उम्र 40", "1986"), ("nominee_dob", "01/01/1992", "1992-01-01"), ("nominee_dob", "5 साल", "2021"),
    ("nominee_dob", "12 मार्च 1990", "1990-03-12"),
    # years
    ("migrant_years", "10 साल", 10), ("migrant_years", "10", 10), ("migrant_years", "दस", 10),
    ("migrant_years", "das saal", 10), ("migrant_years", "6 महीने", 0), ("migrant_years", "१०", 10),
    ("experience", "5 years", 5), ("experience", "पाँच साल", 5), ("experience", "20 saal", 20), ("experience", "0", 0),
    # the language
    ("language", "हिंदी", "hi"), ("language", "hindi", "hi"), ("language", "English", "en"),
    ("language", "angrezi", "en"),
]


def _draft(question: str) -> Draft:
    """A worker at ``question``, every question before it answered."""
    upto = [step.key for step in STEPS].index(question)
    answers = {key: value for key, value in BASE.items() if [s.key for s in STEPS].index(key) < upto}
    if question.startswith("home_") and question != "home_pin":
        answers |= {"migrant": True, "migrant_years": 3, "home_pin": None}
    if question == "home_district":
        answers["home_state"] = "UTTAR PRADESH"
    if question in ("bank_name", "bank_branch"):
        answers["ifsc"] = None
    return Draft(user_id="tg:1", lang="hi", phase=Phase.FORM, step=question, answers=answers,
                 created_at=NOW, updated_at=NOW)


def reply_to(question: str, typed: str) -> tuple[Draft, object]:
    assert STEP_BY_KEY[question].applies(_draft(question).answers), question
    out = engine.handle(_draft(question), parse_line(typed), engine.Context(now=NOW, user_id="tg:1"))
    assert out.draft is not None
    return out.draft, out


def outcome_of(question: str, typed: str) -> object:
    """The answer kept, or "?code" / "~code..." for the options asked about, or "not understood"."""
    draft, _ = reply_to(question, typed)
    if draft.phase is Phase.DECLINED:  # no consent: nothing is kept
        return "decline"
    if draft.phase is Phase.INELIGIBLE:  # a yes that rules the worker out: nothing is kept
        return True
    if question in draft.answers:
        return draft.answers[question]
    if draft.meta.get(form.GUESS_FOR) == question:
        codes = str(draft.meta[form.GUESS]).split("\n")
        return "?" + codes[0] if draft.meta.get(form.GUESS_YES_NO) else "~" + "~".join(codes)
    return "not understood"


@pytest.mark.parametrize("question, typed, expected", ROWS, ids=[f"{q}:{t}" for q, t, _ in ROWS])
def test_everyday_answer(question, typed, expected):
    got = outcome_of(question, typed)
    if isinstance(expected, str) and expected.startswith("~"):
        assert isinstance(got, str) and got.startswith("~") and expected[1:] in got[1:].split("~"), got
    else:
        assert got == expected


def test_the_table_is_big_and_covers_every_closed_question():
    asked = {q for q, _, _ in ROWS}
    closed = {s.key for s in STEPS if s.kind.value in ("choice", "yes_no") and not s.derived
              and s.key not in ("pin_place", "home_pin_place", "guardian_relation", "guardian_consent")}
    assert len(ROWS) >= 200
    assert closed <= asked, closed - asked


def test_share_understood(capsys):
    """How many rows are kept on the first try (not asked about), printed for the closing note."""
    first_try = sum(1 for q, t, _ in ROWS if not str(outcome_of(q, t)).startswith(("?", "~", "not understood")))
    with capsys.disabled():
        print(f"\ntyped answers understood on the first try: {first_try}/{len(ROWS)} "
              f"({100 * first_try / len(ROWS):.1f}%)")
    assert first_try >= 0.9 * len(ROWS)


def test_a_draft_saved_at_the_old_sector_question_is_asked_its_work():
    """Drafts saved when the sector was asked before the work go on at the work."""
    draft = _draft("occupation").model_copy(update={"step": "sector"})
    out = engine.handle(draft, parse_line("खेती"), engine.Context(now=NOW, user_id="tg:1"))
    assert out.draft.answers["occupation"] == "agriculture.farm_labourer"
    assert out.draft.answers["sector"] == "agriculture" and out.draft.step == "other_work"


def test_an_answer_not_understood_is_said_back_unless_it_could_be_someones_number_or_reference():
    said = [r.text for r in reply_to("gender", "xyzzy")[1].replies]
    assert "xyzzy" in said[0]
    for private in ("SS-AFXM-TZVJ", "ss-afxm-tzvj", "98765 43210", "5वीं"):
        assert private not in reply_to("gender", private)[1].replies[0].text
