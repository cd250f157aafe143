"""Everything the editor and the read view show about a text, computed in one pass from the core.

The document core (authoring.document) parses, numbers, lints and renders; this module asks it once
per distinct text and keeps the answer in `RenderCache` under the text's SHA-256, so that page views
read stored HTML and findings instead of parsing a 300 KB standard on every request (PITFALLS.md,
Serving: 19 req/s parsed per request against 968 req/s cached). A text the core cannot read (a bug
in the parser on some odd input) still gets an analysis: a message instead of a stack trace, and the
drafter's text is saved all the same.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.document import DocumentTooComplex, DocumentTooLarge, parse
from authoring.document import lint as lint_module
from authoring.document.foreword import foreword_sentences
from authoring.document.ids import DerivedId, write_ids
from authoring.document.outline import outline
from authoring.document.render import render_html
from authoring.document.tree import Document
from authoring.models import RenderCache, content_hash, findings_in
from extensions import db

log = logging.getLogger(__name__)

#: the rule code of the finding that stands in for every other when the core failed on a text
PARSE_FAILED = "PARSE-FAILED"


@dataclass
class Analysis:
    """One text seen by the core: HTML, outline, findings in both languages, reference targets."""

    content_hash: str
    html: str
    outline: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, str]] = field(default_factory=list)
    clause_digests: dict[str, list[str | None]] = field(default_factory=dict)
    language: str = "zh"
    foreword_sentences: list[str] = field(default_factory=list)

    @property
    def hints(self) -> dict[str, Any]:
        return {"language": self.language, "foreword_sentences": self.foreword_sentences}

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding["severity"] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding["severity"] == "warning")

    def findings_in(self, language: str) -> list[dict[str, Any]]:
        return findings_in(self.findings, language)


def clause_digests(doc: Document) -> dict[str, list[str | None]]:
    """{id: [sha-256 of the section's own source, parent id]} for every section with an id."""
    digests: dict[str, list[str | None]] = {}

    def visit(section: Any, parent_id: str | None) -> None:
        own = hashlib.sha256(section.own_source.encode("utf-8")).hexdigest()
        digests[section.id] = [own, parent_id]
        for child in section.children:
            visit(child, section.id)

    for section in doc.sections:
        visit(section, None)
    return digests


def reference_targets(doc: Document) -> list[dict[str, str]]:
    """Every id a cross reference may point at, with its label and a title for the picker."""
    titles = {section.id: section.title for section in doc.walk()}
    for section in doc.walk():
        for block in section.blocks:
            if block.id:
                titles.setdefault(block.id, block.caption or "")
    return [
        {"id": ref_id, "label": label, "title": titles.get(ref_id, "")}
        for ref_id, label in doc.labels.items()
    ]


def prepare(text: str) -> tuple[str, Document | None]:
    """`text` with the derived heading ids written in (so ids stay stable), and its parsed document
    when parsing `text` already gave it (no id had to be written: the usual save from the editor).

    One parse instead of the two that `with_derived_ids` and a separate parse would cost: a 300 KB
    standard parses in about 60 ms, and a save must stay under 300 ms.
    """
    try:
        doc = parse(text)
    except DocumentTooLarge as error:  # a flood: the save is refused whole, with the line to look at
        raise refusal(error) from error
    derived = [DerivedId(s.line, s.id, s.title) for s in doc.walk() if not s.id_explicit]
    if not derived:
        return text, doc
    return write_ids(text, derived), None


def refusal(error: DocumentTooLarge) -> Refused:
    """The core's refusal of a text too large or too complex, as a verb's refusal in the reader's
    language (the core's message names the cap and the line where it was passed)."""
    from flask_babel import get_locale

    return Refused("too_large", error.message("en" if str(get_locale() or "").startswith("en") else "zh"))


def analyse(text: str, doc: Document | None = None) -> Analysis:
    """Parse (unless `doc` is `text` parsed already), lint and render; a failure of the core becomes
    a single PARSE-FAILED finding, so the text is saved all the same."""
    digest = content_hash(text)
    try:
        doc = doc if doc is not None else parse(text)
        findings = [
            {**finding.as_json("zh"), "message": {"zh": finding.message("zh"), "en": finding.message("en")}}
            for finding in lint_module.lint(doc)
        ]
        return Analysis(
            content_hash=digest,
            html=render_html(doc),
            outline=outline(doc),
            findings=findings,
            labels=reference_targets(doc),
            clause_digests=clause_digests(doc),
            language=doc.language,
            foreword_sentences=list(foreword_sentences(doc.meta)),
        )
    except DocumentTooComplex as error:  # a stored text from before the caps, or a preview of a flood
        return _refused(digest, error)
    except DocumentTooLarge:
        raise
    except Exception:  # the core must never cost a drafter their text
        log.exception("the document core failed on a text of %d characters", len(text))
        return Analysis(
            content_hash=digest,
            html="",
            findings=[
                {
                    "rule": PARSE_FAILED,
                    "severity": "error",
                    "line": 1,
                    "clause": None,
                    "message": {
                        "zh": "无法解析本文本：已保存原文，但暂时无法显示预览和检查结果。",
                        "en": "This text could not be read: it is saved as written, but the preview "
                        "and the checks are not available for it.",
                    },
                }
            ],
        )


def _refused(digest: str, error: DocumentTooComplex) -> Analysis:
    """No page, one finding that says what is too much and where: a flood costs nothing to show."""
    message = {"zh": error.message("zh"), "en": error.message("en")}
    finding = {
        "rule": PARSE_FAILED,
        "severity": "error",
        "line": error.line,
        "clause": None,
        "message": message,
    }
    return Analysis(content_hash=digest, html="", findings=[finding])


def store(analysis: Analysis) -> None:
    """Keep `analysis` in the cache; a concurrent save of the same text may have stored it already."""
    values = {
        "content_hash": analysis.content_hash,
        "html": analysis.html,
        "outline": analysis.outline,
        "findings": analysis.findings,
        "labels": analysis.labels,
        "clause_digests": analysis.clause_digests,
        "hints": analysis.hints,
        "errors": analysis.errors,
        "warnings": analysis.warnings,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(RenderCache)
        .values(**values, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["content_hash"])
    )
    db.session.execute(statement)


def cached(text: str, doc: Document | None = None) -> RenderCache | Analysis:
    """The stored analysis of `text`, or a fresh one (not stored: `store` it in the save transaction)."""
    row = db.session.get(RenderCache, content_hash(text))
    return row if row is not None else analyse(text, doc)


def stored_digests(text_hash: str) -> dict[str, Any] | None:
    """Only the clause digests of a stored analysis: the HTML of a large text stays unread."""
    return db.session.scalar(select(RenderCache.clause_digests).where(RenderCache.content_hash == text_hash))
