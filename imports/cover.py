"""The cover of a Word standard → front matter: number, ICS, CCS, titles, dates, replaces, issuing body.

GB/T 1.1 fixes what a cover holds, so each line is recognised by what it says (a number, "ICS …",
"… 发布"), or by our export's paragraph styles when they are there. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: a standard's number: GB, GB/T, GB/Z, sector (JB/T), local (DB44/T), group (T/…), enterprise (Q/…)
NUMBER = re.compile(
    r"((?:GB(?:/[TZ])?|[A-Z]{2}(?:/[TZ])?|DB\d{2}(?:/[TZ])?|T/[A-Z0-9]{2,12}|Q/[A-Z0-9]{1,12})"
    r"\s*\d[\d.]*(?:\s*[—–-]+\s*\d{4}))"
)
_ICS = re.compile(r"^ICS\s+([\d.;\s]+)$")
_CCS = re.compile(r"^CCS\s+(.+)$")
_DATE = re.compile(r"(\d{4})\s*[-－.]\s*(\d{1,2})\s*[-－.]\s*(\d{1,2})")
_DRAFT = re.compile(r"^[（(]?(工作组讨论稿|征求意见稿|送审稿|报批稿)[）)]?$")
_KIND = re.compile(
    r"^(中华人民共和国.*标准|国家标准化指导性技术文件|.*地方标准|团体标准|企业标准|"
    r"(Group|National|Enterprise|Local|Sector) Standard|Standard of the .*)$",
    re.IGNORECASE,
)
_PLACEHOLDER_DATE = re.compile(r"X{4}-X{2}-X{2}")
_NOTICE = re.compile(r"(专利|patent)", re.IGNORECASE)
_ISSUED_BY = re.compile(r"^(?:Issued by\s+(.+)|(.+?)\s*发\s*布)$")
_CJK = re.compile(r"[\u3400-\u9fff]")


def normalise_number(text: str) -> str:
    """`T/SZYL 3-2025` → `T/SZYL 3—2025`: one space before the sequence, an em dash before the year."""
    text = re.sub(r"\s*[—–-]+\s*(\d{4})$", r"—\1", text.strip())
    return re.sub(r"^([A-Z0-9/]+?)\s*(\d)", r"\1 \2", text)


@dataclass
class Cover:
    """What the cover said, in front-matter keys; `unread` are the lines nothing claimed."""

    number: str | None = None
    replaces: list[str] = field(default_factory=list)
    title_zh: str | None = None
    title_en: str | None = None
    ics: str | None = None
    ccs: str | None = None
    #: the issuing body, or the two printed one under the other beside 发布
    association: str | list[str] | None = None
    publish_date: str | None = None
    implement_date: str | None = None
    draft: str | None = None
    unread: list[tuple[int, str]] = field(default_factory=list)

    def read(self, text: str, style: str, position: int) -> None:
        """Take one cover paragraph."""
        line = re.sub(r"\s+", " ", text).strip()
        if not line:
            return
        if line in ("ICS", "CCS"):
            return  # the codes not given yet: the cover prints the bare label
        if match := _ICS.match(line):
            self.ics = match.group(1).strip()
        elif match := _CCS.match(line):
            self.ccs = match.group(1).strip()
        elif line.startswith(("代替", "Replaces")):
            self.replaces = [normalise_number(m) for m in NUMBER.findall(line)]
        elif (match := NUMBER.fullmatch(line)) and self.number is None:
            self.number = normalise_number(match.group(1))
        elif match := _DRAFT.match(line):
            self.draft = match.group(1)
        elif _KIND.match(line) or style == "Cover Kind":
            return  # the label follows from the number; it is generated
        elif re.search(r"发布|实施|Issued|Implemented", line) and _PLACEHOLDER_DATE.search(line):
            return  # a draft without dates: the cover's placeholder is generated
        elif _DATE.search(line) and re.search(r"发布|实施|Issued|Implemented", line):
            self._dates(line)
        elif (match := _ISSUED_BY.match(line)) or style == "Cover Publisher":
            body = (match.group(1) or match.group(2)) if match else line
            self.association = re.sub(r"[\s\u3000]+", " ", body).strip()
        elif _NOTICE.search(line) or style == "Cover Notice":
            return  # the patent notice of a draft is generated
        elif style in ("Cover Title", "Cover English Title"):
            # an English document's cover leads with its English title: the script says which it is
            if _CJK.search(line):
                self.title_zh = self.title_zh or line
            else:
                self.title_en = self.title_en or line
        elif style == "Cover English Title" or (not _CJK.search(line) and self.title_zh is not None):
            self.title_en = self.title_en or line
        elif style == "Cover Title" or (_CJK.search(line) and self.title_zh is None):
            self.title_zh = line
        elif not _CJK.search(line) and self.title_en is None:
            self.title_en = line
        else:
            self.unread.append((position, line))

    def read_table(self, texts: list[str], position: int) -> None:
        """A table on the cover: two issuing bodies beside one 发布 (GB/T 1.1—2020, 8.1, as our export
        lays them out), else each of its paragraphs as a cover line."""
        if len(texts) == 3 and re.fullmatch(r"发\s*布", texts[-1]):
            self.association = [re.sub(r"[\s\u3000]+", " ", body).strip() for body in texts[:2]]
            return
        for text in texts:
            self.read(text, "", position)

    def _dates(self, line: str) -> None:
        for match in _DATE.finditer(line):
            value = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
            after = line[match.end() : match.end() + 6]
            before = line[max(0, match.start() - 12) : match.start()]
            if "实施" in after or "Implemented" in before:
                self.implement_date = value
            else:
                self.publish_date = value
