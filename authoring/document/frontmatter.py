"""The YAML front matter (the cover), read without type guessing and validated.

Every scalar is read as text (no YAML 1.1 guessing: `ics: 03.080` stays "03.080", `language: no` stays
"no"), so the validation below decides types and reports wrong ones as Problems with the key's line.
"""

from __future__ import annotations

import re
from datetime import date

import yaml

from .tree import Adoption, FrontMatter, Problem

try:  # libyaml when present: the cover is small, but parse runs on every keystroke
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class _TextLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that resolves no implicit types except null: every scalar stays a string."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.M)
#: prefix + space + sequence (with its parts: 1.1, 20000.1) + dash + year; any dash accepted, — (U+2014)
#: kept. The prefix: T/ + association code (团体标准), Q/ + enterprise code (企业标准), GB, GB/T, GB/Z
#: (national), DB + province code (/T, /Z) (local), or a two-letter sector code (JB/T, YY/T)
NUMBER_RE = re.compile(
    r"(T/[A-Z0-9]{2,12}|Q/[A-Z0-9]{1,12}|GB(?:/[TZ])?|DB[0-9]{2}(?:/[TZ])?|[A-Z]{2}(?:/[TZ])?) "
    r"([0-9]{1,5}(?:\.[0-9]{1,3}){0,3})[-–—]([0-9]{4})"
)
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DEGREES = ("IDT", "MOD", "NEQ")


def normalise_number(value: str) -> str | None:
    """The number with its dash normalised to —, or None when it does not follow the format."""
    match = NUMBER_RE.fullmatch(value.strip())
    if match is None:
        return None
    prefix, sequence, year = match.groups()
    return f"{prefix} {sequence}—{year}"


def read_front_matter(yaml_text: str | None) -> tuple[FrontMatter, list[Problem]]:
    """Validate the cover; what cannot be accepted becomes a Problem at the key's line."""
    meta = FrontMatter()
    problems: list[Problem] = []
    if yaml_text is None:
        problems.append(
            Problem(
                "META-MISSING",
                1,
                "缺少封面信息（YAML 前置元数据）。",
                "The front matter (YAML cover) is missing.",
            )
        )
        return meta, problems
    lines = {m.group(1): yaml_text.count("\n", 0, m.start()) + 2 for m in _TOP_KEY.finditer(yaml_text)}
    meta.lines = lines
    try:
        raw = yaml.load(yaml_text, Loader=_TextLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        problems.append(
            Problem(
                "META-MISSING",
                line,
                f"封面信息不是有效的 YAML：{error}",
                f"The front matter is not valid YAML: {error}",
            )
        )
        meta.readable = False
        return meta, problems
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                "META-MISSING",
                2,
                "封面信息应为“键: 值”的列表。",
                "The front matter must be a list of `key: value`.",
            )
        )
        meta.readable = False
        return meta, problems
    _Validator(meta, raw, lines, problems).run()
    return meta, problems


class _Validator:
    """Reads each known key into FrontMatter, adding a Problem for every value it cannot accept."""

    def __init__(self, meta: FrontMatter, raw: dict, lines: dict[str, int], problems: list[Problem]):
        self.meta = meta
        self.raw = raw
        self.lines = lines
        self.problems = problems
        meta.raw = {str(k): v for k, v in raw.items()}

    def line(self, key: str) -> int:
        return self.lines.get(key, 2)

    def problem(self, code: str, key: str, zh: str, en: str) -> None:
        self.problems.append(Problem(code, self.line(key), zh, en))

    def text(self, key: str, code: str = "META-MISSING") -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        self.problem(code, key, f"“{key}”应为一段文字。", f"`{key}` must be a text.")
        return None

    def text_list(self, key: str, code: str = "META-MISSING") -> list[str]:
        value = self.raw.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()]
        self.problem(code, key, f"“{key}”应为文字的列表。", f"`{key}` must be a list of texts.")
        return []

    def run(self) -> None:
        meta = self.meta
        self.read_title()
        self.read_issuers()
        meta.proposer = self.text("proposer")
        meta.responsible = self.text("responsible")
        meta.ics = self.text("ics")
        meta.ccs = self.text("ccs")
        meta.draft = self.text("draft")
        meta.drafting_units = self.text_list("drafting_units")
        meta.drafters = self.text_list("drafters")
        self.read_language()
        self.read_numbers()
        self.read_adoption()
        self.read_dates()

    def read_issuers(self) -> None:
        """`association`: the issuing body, or two of them side by side as on joint GB/T covers."""
        value = self.raw.get("association")
        if value is None:
            zh, en = (
                ("缺少发布单位（association）。", "The publishing association (`association`) is missing.")
                if "association" not in self.raw
                else ("发布单位（association）为空。", "`association` is empty.")
            )
            self.problem("META-MISSING", "association", zh, en)
            return
        names = value if isinstance(value, list) else [value]
        if not all(isinstance(name, str) for name in names) or len(names) > 2:
            self.problem(
                "META-MISSING", "association",
                "发布单位（association）应为一个名称，或一至两个名称的列表。",
                "`association` must be a name, or a list of one or two names.",
            )  # fmt: skip
            return
        self.meta.issuers = [name.strip() for name in names if name.strip()]
        self.meta.association = "、".join(self.meta.issuers) or None
        if self.meta.association is None:
            self.problem(
                "META-MISSING", "association", "发布单位（association）为空。", "`association` is empty."
            )

    def read_title(self) -> None:
        title = self.raw.get("title")
        if isinstance(title, str):
            self.meta.title_zh = title.strip() or None
        elif isinstance(title, dict):
            zh, en = title.get("zh"), title.get("en")
            if (zh is not None and not isinstance(zh, str)) or (en is not None and not isinstance(en, str)):
                self.problem(
                    "META-MISSING",
                    "title",
                    "标题（title.zh / title.en）应为文字。",
                    "`title.zh` and `title.en` must be texts.",
                )
            self.meta.title_zh = (zh.strip() or None) if isinstance(zh, str) else None
            self.meta.title_en = (en.strip() or None) if isinstance(en, str) else None
        elif title is not None:
            self.problem(
                "META-MISSING", "title", "标题（title）应包含 zh 和 en。", "`title` must have `zh` and `en`."
            )
        english = str(self.meta.raw.get("language", "")).strip() == "en"
        if self.meta.title_zh is None and not (english and self.meta.title_en):  # en needs no Chinese title
            self.problem(
                "META-MISSING",
                "title",
                "缺少中文标题（title.zh）。",
                "The Chinese title (`title.zh`) is missing.",
            )

    def read_language(self) -> None:
        language = self.text("language")
        if language is None:
            return
        if language in ("zh", "en"):
            self.meta.language = language
        else:
            self.problem(
                "META-MISSING", "language", "语言（language）应为 zh 或 en。", "`language` must be zh or en."
            )

    def read_numbers(self) -> None:
        number = self.text("number", "META-NUMBER")
        if number is not None:
            normal = normalise_number(number)
            if normal is None:
                self.problem(
                    "META-NUMBER", "number",
                    f"编号“{number}”不符合格式“代号 顺序号—年份”（如 T/SZAS 12—2025、GB/T 1.1—2020）。",
                    f"The number `{number}` does not follow the format `PREFIX N—YYYY` (e.g. T/SZAS 12—2025, GB/T 1.1—2020).",
                )  # fmt: skip
            self.meta.number = normal or number
        for value in self.text_list("replaces", "META-NUMBER"):
            normal = normalise_number(value)
            if normal is None:
                self.problem(
                    "META-NUMBER", "replaces",
                    f"被代替文件编号“{value}”不符合格式“代号 顺序号—年份”（如 T/SZAS 12—2025、GB/T 1.1—2020）。",
                    f"The replaced number `{value}` does not follow the format `PREFIX N—YYYY` (e.g. T/SZAS 12—2025, GB/T 1.1—2020).",
                )  # fmt: skip
            self.meta.replaces.append(normal or value)

    def read_adoption(self) -> None:
        adoption = self.raw.get("adoption")
        if adoption is None:
            return
        if (
            isinstance(adoption, dict)
            and adoption.get("degree") in _DEGREES
            and isinstance(adoption.get("of"), str)
            and adoption["of"].strip()
        ):
            self.meta.adoption = Adoption(degree=adoption["degree"], of=adoption["of"].strip())
            return
        self.problem(
            "META-MISSING", "adoption",
            "采用国际标准（adoption）应写为 {degree: IDT|MOD|NEQ, of: 标准编号}。",
            "`adoption` must be {degree: IDT|MOD|NEQ, of: designation}.",
        )  # fmt: skip

    def read_dates(self) -> None:
        meta = self.meta
        meta.publish_date = self.date("publish_date")
        meta.implement_date = self.date("implement_date")
        if meta.publish_date and meta.implement_date and meta.implement_date < meta.publish_date:
            self.problem(
                "META-DATES", "implement_date",
                "实施日期早于发布日期。",
                "The implementation date is earlier than the publication date.",
            )  # fmt: skip

    def date(self, key: str) -> date | None:
        value = self.text(key, "META-DATES")
        if value is None:
            return None
        match = _DATE_RE.fullmatch(value)
        try:
            if match is None:
                raise ValueError(value)
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            self.problem(
                "META-DATES", key,
                f"“{key}”的值“{value}”不是日期（应为 YYYY-MM-DD）。",
                f"`{key}` is `{value}`, which is not a date (YYYY-MM-DD).",
            )  # fmt: skip
            return None
