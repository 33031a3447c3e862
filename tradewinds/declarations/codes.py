"""Code checks and normalisations that are standards, not business rules: ISO 6346 container
numbers and UN Recommendation 19 transport modes."""

from __future__ import annotations

import re
import string

_CONTAINER = re.compile(r"^[A-Z]{3}[UJZR][0-9]{7}$")
# ISO 6346 letter values: A=10 onwards, skipping multiples of 11 (11, 22, 33).
_LETTER_VALUES: dict[str, int] = {}
_value = 10
for _letter in string.ascii_uppercase:
    if _value % 11 == 0:
        _value += 1
    _LETTER_VALUES[_letter] = _value
    _value += 1


def normalise_container(raw: str) -> str:
    return re.sub(r"[\s\-/]", "", raw or "").upper()


def container_check_digit(first_ten: str) -> int:
    """The ISO 6346 check digit of owner code, category and serial number (10 characters)."""
    total = 0
    for position, char in enumerate(first_ten):
        value = _LETTER_VALUES[char] if char.isalpha() else int(char)
        total += value * (2**position)
    return total % 11 % 10


def container_problem(number: str) -> str | None:
    """Why a (normalised) container number is not valid ISO 6346, or None when it is."""
    if not _CONTAINER.match(number):
        return "not in ISO 6346 form: 3-letter owner code, U/J/Z/R, 6-digit serial, check digit"
    if container_check_digit(number[:10]) != int(number[10]):
        return f"check digit should be {container_check_digit(number[:10])}, not {number[10]}"
    return None


def with_check_digit(first_ten: str) -> str:
    """A valid container number from owner code, category and serial (demo data, tests)."""
    return f"{first_ten}{container_check_digit(first_ten)}"


# UN/ECE Recommendation 19 first digit (customs systems often send it times ten: 10 sea, 40 air).
_REC19 = {"1": "sea", "2": "other", "3": "road", "4": "air", "5": "post", "7": "other", "8": "sea", "9": "other"}
TRANSPORT_MODES = ("sea", "air", "road", "post", "other")


def normalise_transport_mode(raw: str) -> str | None:
    """The model's transport mode for a word or a Rec. 19 code, None when it is neither."""
    value = (raw or "").strip().lower()
    if value in TRANSPORT_MODES:
        return value
    if value.isdigit() and value[0] in _REC19 and (len(value) == 1 or set(value[1:]) == {"0"}):
        return _REC19[value[0]]
    return None
