"""The 统一社会信用代码 check of GB 32100—2015: every single-character change of a valid code is caught,
and the message says which rule it breaks."""

from __future__ import annotations

import pytest

from accounts.credit_code import (
    ALPHABET,
    check_character,
    credit_code_problem,
    normalise_credit_code,
)

#: GB 32100—2015's own example, and published codes of well-known organisations
VALID = ("91350100M000100Y43", "91110000802100433B", "91440300708461136T", "9144030071526726XG")


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert credit_code_problem(code) is None
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("position", range(18))
def test_every_single_character_change_is_refused(position):
    code = VALID[0]
    for sign in ALPHABET:
        if sign == code[position]:
            continue
        changed = code[:position] + sign + code[position + 1 :]
        problem = credit_code_problem(changed)
        assert problem is not None and problem.kind == "check_digit", changed


@pytest.mark.parametrize(
    ("code", "kind", "position"),
    [
        ("91350100M000100Y4", "length", None),
        ("91350100M000100Y433", "length", None),
        ("", "length", None),
        ("91350100M000100I43", "alphabet", 16),  # I is not a sign of the code
        ("9135O100M000100Y43", "alphabet", 5),
        ("91350100m000100Y43", "alphabet", 9),  # the check works on the normalised code
    ],
)
def test_the_problem_says_which_rule(code, kind, position):
    problem = credit_code_problem(code)
    assert problem is not None
    assert (problem.kind, problem.position) == (kind, position)


def test_messages_name_the_rule_and_the_expected_check_digit(app):
    with app.test_request_context():
        assert "18" in credit_code_problem("123").message()
        assert "5" in credit_code_problem("9135O100M000100Y43").message()
        assert "3" in credit_code_problem("91350100M000100Y44").message().split(":")[-1]


def test_codes_are_read_as_people_type_them():
    assert normalise_credit_code(" 9135 0100 m000 100y43 ") == "91350100M000100Y43"
    assert credit_code_problem(normalise_credit_code("91350100m000100y43")) is None
