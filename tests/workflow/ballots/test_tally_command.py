"""`stdforge tally` as a shell user runs it: the Tally JSON of spec §4 and its exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def stdforge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stdforge", "tally", *args], capture_output=True, text=True)


def test_a_passed_ballot_prints_the_tally_and_exits_0():
    done = stdforge(
        "--rule",
        "iso",
        "--electorate",
        "12",
        "--for",
        "6",
        "--against",
        "2",
        "--abstain",
        "3",
        "--against-without-reasons",
        "1",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["passed"] is True and result["rule"] == "iso"
    assert result["counts"] == {
        "electorate": 12,
        "for": 6,
        "against": 2,
        "against_without_reasons": 1,
        "abstain": 3,
    }
    assert [c["name"] for c in result["checks"]] == ["approval", "against"]
    assert result["checks"][0] == {
        "name": "approval",
        "numerator": 6,
        "denominator": 8,
        "threshold": "2/3",
        "met": True,
    }


def test_a_failed_ballot_exits_1_and_says_why():
    done = stdforge(
        "--rule",
        "cn-tc",
        "--electorate",
        "12",
        "--for",
        "8",
        "--against",
        "4",
        "--abstain",
        "0",
        "--format",
        "json",
    )
    assert done.returncode == 1
    assert "反对票 4/12 超过 1/4" in json.loads(done.stdout)["reasons"]
    text = stdforge(
        "--rule",
        "cn-tc",
        "--electorate",
        "12",
        "--for",
        "8",
        "--against",
        "4",
        "--abstain",
        "0",
        "--lang",
        "en",
    )
    assert text.returncode == 1 and "Votes against 4/12 exceed 1/4" in text.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--rule", "iso", "--electorate", "3", "--for", "2", "--against", "2", "--abstain", "0"),
        ("--rule", "iso", "--electorate", "3", "--for", "-1", "--against", "0", "--abstain", "0"),
        ("--rule", "unanimity", "--electorate", "3", "--for", "1", "--against", "0", "--abstain", "0"),
        ("--rule", "iso", "--electorate", "three", "--for", "1", "--against", "0", "--abstain", "0"),
        ("--rule", "iso", "--electorate", "3", "--for", "1", "--abstain", "0"),
    ],
    ids=[
        "more votes than the electorate",
        "a negative count",
        "an unknown preset",
        "not a number",
        "a count missing",
    ],
)
def test_bad_arguments_exit_2_with_a_message_and_no_traceback(args):
    done = stdforge(*args)
    assert done.returncode == 2
    assert "error" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
