"""IMEIs an operator types or scans (an Android phone does not give its IMEI to the shell since Android 10):
15 digits whose last is the Luhn check digit of the first 14 (3GPP TS 23.003, 6.2.1), so a mistyped digit
or two swapped neighbours is caught before it is recorded as the phone's."""

from __future__ import annotations

import re

from station.core.errors import StationError

_SEPARATORS = re.compile(r"[\s/-]")


class ImeiError(StationError):
    """An IMEI that is not 15 digits or fails its check digit."""


def check_digit(first14: str) -> int:
    """The Luhn check digit of 14 digits: every second digit from the left doubled (digits of the product summed)."""
    total = 0
    for position, char in enumerate(first14):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def parse_imei(text: str) -> str:
    """The IMEI in ``text`` (spaces, dashes and slashes as printed on a box are ignored), or ImeiError
    saying what is wrong with it."""
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit() or len(digits) != 15:
        raise ImeiError(f"{text.strip()!r} is not an IMEI: an IMEI is 15 digits (*#06# on the phone shows it)")
    expected = check_digit(digits[:14])
    if int(digits[14]) != expected:
        raise ImeiError(f"IMEI {digits} fails its check digit (the last digit should be {expected}): "
                        "a digit is mistyped or two are swapped; type or scan it again")
    return digits
