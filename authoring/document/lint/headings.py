"""NUM-MANUAL: a heading that starts with a number the author typed (`## 4.2 要求`).

The product numbers every heading, so a typed number would print twice ("4.2 4.2 要求") and go
stale on the next move. Only a clause-number pattern followed by white space counts: "24小时温度监控"
and "3D打印" are titles that start with a digit, and "10 kV 开关柜" starts with a quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import LintContext
from .findings import Finding, finding

_MANUAL_NUMBER = re.compile(
    r"""
    (?P<number>
        (?:附录|Annex|Appendix)[ \t\u3000]*[A-Z](?:\.\d{1,3})*  # 附录A, Annex B
      | 第[ \t\u3000]*[0-9一二三四五六七八九十]{1,3}[ \t\u3000]*[章条]  # 第4章
      | [A-Z](?:\.\d{1,3})+                             # A.1, B.2.3
      | \d{1,3}(?:\.\d{1,3})+                           # 4.2, 0.1, 5.1.2
      | \d{1,2}                                         # 4
    )
    [\s\u3000]+(?P<rest>\S.*)?
    """,
    re.VERBOSE | re.DOTALL,
)
#: after a bare number, a unit symbol means a quantity ("10 kV 开关柜", "1.5 倍额定电流"), not a clause
#: number; Chinese measure words are left out, as they also begin words (人员, 年度, 项目, 个人)
_QUANTITY = re.compile(r"(?:[kMGmcnμµ]?(?:m|g|s|V|A|W|Hz|Pa|J|N|L|t|B)|℃|°C?|%|‰|h|d|min|倍)(?![A-Za-z])")
_DIGITS_ONLY = re.compile(r"[\d.]+")


def manual_number(title: str) -> str | None:
    """The hand-typed number a heading starts with, or None."""
    match = _MANUAL_NUMBER.match(title)
    if match is None:
        return None
    number, rest = match["number"], match["rest"] or ""
    if _DIGITS_ONLY.fullmatch(number) and _QUANTITY.match(rest):
        return None
    return number


def check_manual_numbers(ctx: LintContext) -> Iterator[Finding]:
    for placed in ctx.sections:
        section = placed.section
        number = manual_number(section.title)
        if number is not None:
            yield finding("NUM-MANUAL", section.line, section.number, title=section.title, number=number)
