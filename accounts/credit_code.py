"""The 统一社会信用代码 (unified social credit code) of GB 32100—2015, checked as the standard says.

A self-declaration (自我声明) names the declaring organisation by this code, and a reviewer counts
declarations as evidence of wide application: a mistyped code must be caught when it is typed, with
a message that says what is wrong (the length, a character outside the code's alphabet, or the check
digit), not merely "invalid".

The code is 18 characters of the alphabet 0-9 and the capitals without I, O, Z, S and V (31 signs,
valued 0-30 in that order). The 18th is the check character: with weights W_i = 3^(i-1) mod 31 on the
first 17, it is the sign of value 31 - (Σ value_i × W_i mod 31), where 31 reads as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext as _

#: the code's signs in the order of their values (GB 32100—2015, 4.2)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
#: the weights of the first 17 characters
WEIGHTS = tuple(pow(3, position, 31) for position in range(LENGTH - 1))

ProblemKind = Literal["length", "alphabet", "check_digit"]


@dataclass(frozen=True)
class CreditCodeProblem:
    """What is wrong with a code: its kind, and the 1-based position of the character concerned."""

    kind: ProblemKind
    #: the character at fault (alphabet, check digit), or None for the length
    position: int | None = None
    #: the check character the first 17 call for (check digit only)
    expected: str | None = None

    def message(self) -> str:
        """The problem in the reader's language, saying which rule of the code it breaks."""
        if self.kind == "length":
            return _("A unified social credit code has 18 characters.")
        if self.kind == "alphabet":
            return _(
                "Character %(position)s is not allowed in a unified social credit code "
                "(digits and capital letters other than I, O, Z, S and V).",
                position=self.position,
            )
        return _(
            "The check digit (the 18th character) does not match the first 17: it should be %(expected)s.",
            expected=self.expected,
        )


def normalise_credit_code(text: str) -> str:
    """The code as typed, without surrounding or inner spaces and in capitals (people copy it grouped)."""
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """The check character that the first 17 characters (all of the alphabet) call for."""
    total = sum(ALPHABET.index(sign) * weight for sign, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> CreditCodeProblem | None:
    """None when `code` (already normalised) is a well-formed code, else its first problem."""
    if len(code) != LENGTH:
        return CreditCodeProblem("length")
    for position, sign in enumerate(code, start=1):
        if sign not in ALPHABET:
            return CreditCodeProblem("alphabet", position=position)
    expected = check_character(code[:-1])
    if code[-1] != expected:
        return CreditCodeProblem("check_digit", position=LENGTH, expected=expected)
    return None
