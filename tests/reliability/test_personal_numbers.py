"""One normaliser finds personal numbers however they are typed: the address
guard and the log filter both use it (a number that gets past one gets past
neither, and none does)."""
import pytest

from bot.domain import personal_numbers as pn
from bot.domain.validators import Invalid, parse_address
from bot.logs import redact

DISGUISED = ["2341.2341.2346", "2341/2341/2346", "2341,2341,2346", "2341 - 2341 - 2346", "2341_2341_2346",
             "2341\u00a02341\u00a02346", "2341\u20092341\u20092346", "2341\u202f2341\u202f2346",
             "2341\u200b2341\u200b2346", "2341\u200d2341\u2060 2346", "२३४१ २३४१ २३४६", "२३४१.२३४१.२३४६",
             "98765.43210", "9876\u00a0543\u00a0210", "50100.2345.67891", "2341–2341–2346"]


@pytest.mark.parametrize("number", DISGUISED)
def test_address_guard_refuses_disguised_numbers(number: str) -> None:
    with pytest.raises(Invalid):
        parse_address(f"House 4, Gali 2, {number}, Roorkee")


@pytest.mark.parametrize("number", DISGUISED)
def test_log_filter_removes_disguised_numbers(number: str) -> None:
    cleaned = redact(f"user typed {number} here")
    assert "[number removed]" in cleaned and not any(ch.isdigit() for ch in cleaned), cleaned


@pytest.mark.parametrize("address", ["House 12/4, Gali 6, Roorkee", "Ward no. 12, 3/45, Near Shiv Mandir",
                                     "मकान 45, गली 3, हरिद्वार", "Flat 1203, Tower 7, Sector 62"])
def test_ordinary_addresses_pass(address: str) -> None:
    assert parse_address(address)


@pytest.mark.parametrize("text, aadhaar", [("2341 2341 2346", True), ("234123412346", True),
                                           ("मेरा आधार २३४१.२३४१.२३४६ है", True), ("VID 9134 5678 9012 3456", True),
                                           ("+91 98765 43210", False), ("98765 43210", False),
                                           ("UAN 101234567890", False), ("PIN 249401", False), ("Ramesh", False)])
def test_aadhaar_like_numbers(text: str, aadhaar: bool) -> None:
    assert pn.holds_aadhaar(text) is aadhaar


def test_the_guards_view_has_plain_digits_and_spaces() -> None:
    assert pn.normalise("Ram\u00a0Kumar\u200b १२\n३") == "Ram Kumar 12 3"


# found by a second review: more ways of writing a number between its groups and of writing its digits
MORE_DISGUISES = ["2341  2341  2346", "2341\n2341\n2346", "2341\r\n2341\r\n2346", "2341\t\t2341\t2346",
                  "2341\u20282341\u20292346", "2341--2341--2346", "2341..2341..2346", "2341:2341:2346",
                  "2341|2341|2346", "2341*2341*2346", "2341'2341'2346", "2341 • 2341 • 2346",
                  "2341・2341・2346", "2341−2341−2346", "(2341) 2341 2346", "2341，2341，2346",
                  "2341．2341．2346", "2341／2341／2346", "2341－2341－2346", "2341。2341。2346",
                  "2341।2341।2346", "２３４１２３４１２３４６", "²³⁴¹ ²³⁴¹ ²³⁴⁶", "②③④① ②③④① ②③④⑥",
                  "2\u20e33\u20e34\u20e31\u20e3 2341 2346", "2\u03013\u03014\u03011 2341 2346",
                  "+91 (987) 654 3210", "5010:0234:5678:901"]
# found by a third review: fillers and letter-like characters of other scripts as separators
LETTERLIKE = ["2341\u31642341\u31642346", "2341ー2341ー2346", "2341一2341一2346", "2341\u06402341\u06402346",
              "2341\u01c02341\u01c02346", "2341ː2341ː2346", "2341ʼ2341ʼ2346", "2341ꞏ2341ꞏ2346",
              "2341\uffa02341\uffa02346", "2341\u115f2341\u11602346"]


@pytest.mark.parametrize("number", MORE_DISGUISES + LETTERLIKE)
def test_every_guard_sees_more_disguised_numbers(number: str) -> None:
    assert pn.holds_personal_number(number)
    with pytest.raises(Invalid):
        parse_address(f"House 4, {number}, Roorkee")
    cleaned = redact(f"user typed {number} here")
    assert cleaned.startswith("user typed ") and cleaned.endswith(" here") and "[number removed]" in cleaned


def test_redaction_keeps_the_rest_of_the_text_as_it_was() -> None:
    text = "राम कुमार ने\u00a0२३४१ २३४१ २३४६ लिखा, PIN २४९४०१"
    assert redact(text) == "राम कुमार ने\u00a0[number removed] लिखा, PIN २४९४०१"


@pytest.mark.parametrize("text, aadhaar", [("+234123412346", True), ("+91 98765 43210", False),
                                           ("call +919876543210", False)])
def test_a_plus_sign_hides_no_aadhaar(text: str, aadhaar: bool) -> None:
    assert pn.holds_aadhaar(text) is aadhaar


@pytest.mark.parametrize("number", LETTERLIKE)
def test_letter_like_separators_hide_no_aadhaar(number: str) -> None:
    assert pn.holds_aadhaar(number)


@pytest.mark.parametrize("logged", [repr("2341\n2341\n2346"), repr("2341\r\n2341\t2346"),
                                    repr("2341\u20282341\u20292346"), '{"text": "2341\\n2341\\n2346"}'])
def test_line_breaks_written_as_escapes_in_a_log_hide_no_number(logged: str) -> None:
    assert "[number removed]" in redact(logged) and "2346" not in redact(logged)


def test_escapes_without_a_number_are_logged_as_they_were() -> None:
    assert redact(r"path C:\new\table, line\n2") == r"path C:\new\table, line\n2"
