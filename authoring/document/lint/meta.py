"""META-*: the cover (front matter) has what a published standard needs, in the right form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..tree import Problem
from .codes import SEVERITY
from .context import LintContext
from .findings import Finding, finding

#: spec §1: T/ + 2–12 capitals or digits + space + 1–5 digits + dash + year; -, – accepted on input
_NUMBER = re.compile(r"T/[A-Z0-9]{2,12} \d{1,5}[—–-]\d{4}")
_DATE_KEYS = ("publish_date", "implement_date")


def check_front_matter(ctx: LintContext) -> Iterator[Finding]:
    """Lint's own checks of the cover, then the parser's problems at places those did not cover.

    The parser reports what it cannot read (a list where a text belongs, no front matter at all) and
    some of what lint checks too; where both speak of the same rule and line, lint's message (which
    says how to fix it) is the one kept. A cover that is missing or cannot be read at all gets only the
    parser's problem: its keys are not "missing", they are unreadable.
    """
    cover_read = ctx.doc.body_line > 1 and ctx.doc.meta.readable
    own = [*_missing(ctx), *_numbers(ctx), *_dates(ctx)] if cover_read else []
    covered = {(f.rule, f.line) for f in own}
    yield from own
    for problem in ctx.doc.problems:
        if (problem.code, problem.line) not in covered:
            yield _from_problem(problem)


def _from_problem(problem: Problem) -> Finding:
    return Finding(
        problem.code,
        SEVERITY.get(problem.code, "error"),
        problem.line,
        None,
        "PROBLEM",
        (("en", problem.en), ("zh", problem.zh)),
    )


def _line(ctx: LintContext, *keys: str) -> int:
    """The line of the first key found, else the first line inside the front matter (as the parser)."""
    lines = ctx.doc.meta.lines
    return next((lines[key] for key in keys if key in lines), 2)


def _missing(ctx: LintContext) -> Iterator[Finding]:
    meta = ctx.doc.meta
    if not (meta.title_zh or "").strip() and not (meta.language == "en" and (meta.title_en or "").strip()):
        yield finding("META-MISSING", _line(ctx, "title.zh", "title"), None, "title")
    written = meta.raw.get("association")
    # a list or mapping that is not one or two names: the parser's problem says how it is wrong
    if not (meta.association or "").strip() and (written is None or isinstance(written, str)):
        yield finding("META-MISSING", _line(ctx, "association"), None, "association")


def _numbers(ctx: LintContext) -> Iterator[Finding]:
    meta = ctx.doc.meta
    if meta.number is not None and not _NUMBER.fullmatch(str(meta.number).strip()):
        yield finding("META-NUMBER", _line(ctx, "number"), None, "number", value=str(meta.number))
    for replaced in meta.replaces:
        if not _NUMBER.fullmatch(str(replaced).strip()):
            yield finding("META-NUMBER", _line(ctx, "replaces"), None, "replaces", value=str(replaced))


def _dates(ctx: LintContext) -> Iterator[Finding]:
    meta = ctx.doc.meta
    for key in _DATE_KEYS:
        written = meta.raw.get(key)
        if written not in (None, "") and not isinstance(getattr(meta, key), date):
            yield finding("META-DATES", _line(ctx, key), None, "invalid", key=key, value=str(written))
    if meta.publish_date and meta.implement_date and meta.implement_date < meta.publish_date:
        yield finding(
            "META-DATES",
            _line(ctx, "implement_date"),
            None,
            "order",
            implement=meta.implement_date.isoformat(),
            publish=meta.publish_date.isoformat(),
        )
