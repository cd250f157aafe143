"""The explanatory note (编制说明) of an adoption dossier: its chapters, as DOCX and as JSON.

The chapters follow the usual outline of a 编制说明 for a group standard submitted for adoption.
What the platform knows is generated (background and purpose from the proposal, the drafting process
from the event list with dates and actors, drafting units and drafters, the relation to international
standards from the front matter's `adoption`, the main technical changes from the clause diff against
the replaced edition); what only the drafters know is their free sections (exports.note_sections);
the slots "comments", "ballots" and "application" are filled by the dossier section providers
(exports.dossier_sections), and say "not recorded" when none does.

The DOCX goes through the export pipeline's pandoc run with the GB/T 1.1 reference DOCX, so it has
the same styles (宋体 body, 黑体 headings) and the standard's number in its header. The same chapters
are written as explanatory-note.json, which the reviewers' desk shows in the browser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from exports import pandoc_ast as ast
from exports.dossier_sections import NoteBlock

CHINESE_NUMERALS = "一二三四五六七八九十"

#: (slot, heading); "free:KEY" slots are the drafters' sections of exports.note_sections
OUTLINE: tuple[tuple[str, str], ...] = (
    ("work", "工作简况"),
    ("free:principles", "编制原则和主要技术内容的确定依据"),
    ("free:verification", "主要试验（或验证）情况"),
    ("international", "与国际标准、国外先进标准的关系"),
    ("free:laws", "与有关法律、行政法规和强制性国家标准的关系"),
    ("comments", "征求意见及处理情况"),
    ("ballots", "技术审查和表决情况"),
    ("changes", "与被代替版本相比的主要技术变化"),
    ("application", "实施应用情况"),
    ("free:implementation", "贯彻实施的措施建议"),
    ("free:other", "其他应予说明的事项"),
)

#: what an unfilled slot says
ABSENT = {
    "comments": "未记录征求意见。",
    "ballots": "未记录表决。",
    "application": "未记录自我声明。",
}
#: what a free section the drafters left empty says
NOT_WRITTEN = "（起草组未填写。）"

DEGREES = {"IDT": "等同采用", "MOD": "修改采用", "NEQ": "非等效采用"}


@dataclass(frozen=True)
class ProcessStep:
    """One line of the drafting process: the local date, what happened, who, and the note."""

    on: str
    what: str
    actor: str = ""
    note: str = ""


@dataclass(frozen=True)
class NoteInputs:
    """Everything the note says, read before the build (plain values only)."""

    number: str
    title_zh: str
    title_en: str
    association: str
    built_on: str
    #: the proposal the project came from (None for a project the secretariat created directly)
    proposal_scope: str = ""
    proposal_reason: str = ""
    proposer: str = ""
    proposed_on: str = ""
    committee: str = ""
    process: tuple[ProcessStep, ...] = ()
    #: drafting units and drafters: the front matter's, then the drafting group's (name, unit)
    drafting_units: tuple[str, ...] = ()
    drafters: tuple[str, ...] = ()
    #: the front matter's `adoption` (degree, designation), if any
    adoption: tuple[str, str] | None = None
    #: the replaced edition's number, and the main technical changes against it
    replaces: str = ""
    changes: tuple[str, ...] = ()
    free: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, tuple[NoteBlock, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Chapter:
    slot: str
    heading: str
    blocks: tuple[NoteBlock, ...]


def chapters(inputs: NoteInputs) -> list[Chapter]:
    """The note's chapters in order, numbered 一、二、…"""
    out = []
    for index, (slot, heading) in enumerate(OUTLINE):
        numbered = (
            f"{CHINESE_NUMERALS[index] if index < 10 else '十' + CHINESE_NUMERALS[index - 10]}、{heading}"
        )
        out.append(Chapter(slot, numbered, tuple(_blocks(slot, inputs))))
    return out


def _blocks(slot: str, inputs: NoteInputs) -> list[NoteBlock]:
    if slot.startswith("free:"):
        text = inputs.free.get(slot[5:], "").strip()
        paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip()) or (NOT_WRITTEN,)
        return [NoteBlock(paragraphs=paragraphs)]
    if slot == "work":
        return _work(inputs)
    if slot == "international":
        if inputs.adoption is None:
            return [NoteBlock(paragraphs=("本文件未采用国际标准或国外先进标准。",))]
        degree, of = inputs.adoption
        return [
            NoteBlock(paragraphs=(f"本文件{DEGREES.get(degree, degree)} {of}（一致性程度：{degree}）。",))
        ]
    if slot == "changes":
        if not inputs.replaces:
            return [NoteBlock(paragraphs=("本文件为首次发布，无被代替版本。",))]
        lead = f"本文件代替 {inputs.replaces}，与 {inputs.replaces} 相比，主要技术变化如下："
        items = tuple(f"{chr(ord('a') + i) if i < 26 else i + 1}) {c}" for i, c in enumerate(inputs.changes))
        return [NoteBlock(paragraphs=(lead, *(items or ("（条款文本无变化。）",))))]
    filled = inputs.slots.get(slot)
    if filled:
        return list(filled)
    return [NoteBlock(paragraphs=(ABSENT.get(slot, "未记录。"),))]


def _work(inputs: NoteInputs) -> list[NoteBlock]:
    source = f"本文件由{inputs.association}提出并归口"
    if inputs.proposer:
        source += f"，由{inputs.proposer}于 {inputs.proposed_on} 提案立项"
    if inputs.committee:
        source += f"，{inputs.committee}负责起草"
    purpose = tuple(
        p
        for p in (
            f"立项理由：{inputs.proposal_reason}" if inputs.proposal_reason else "",
            f"拟规定的范围：{inputs.proposal_scope}" if inputs.proposal_scope else "",
        )
        if p
    ) or ("（立项时未记录背景和目的。）",)
    table = (
        ("日期", "工作", "人员", "说明"),
        *tuple((step.on, step.what, step.actor, step.note) for step in inputs.process),
    )
    units = "、".join(inputs.drafting_units) or "（未记录）"
    drafters = "、".join(inputs.drafters) or "（未记录）"
    return [
        NoteBlock("（一）任务来源", (source + "。",)),
        NoteBlock("（二）目的和意义", purpose),
        NoteBlock(
            "（三）主要工作过程",
            (f"本文件的起草过程如下（据平台记录的 {len(inputs.process)} 项事件生成）：",),
            table,
        ),
        NoteBlock("（四）主要起草单位和起草人", (f"主要起草单位：{units}。", f"主要起草人：{drafters}。")),
    ]


# -- writing -----------------------------------------------------------------------------------------


def note_title(inputs: NoteInputs) -> str:
    return f"《{inputs.title_zh}》编制说明"


def note_json(inputs: NoteInputs, parts: Sequence[Chapter] | None = None) -> bytes:
    """The chapters as JSON, for the browser: {"title", "number", "chapters": [{slot, heading, blocks}]}."""
    body = {
        "title": note_title(inputs),
        "number": inputs.number,
        "built_on": inputs.built_on,
        "chapters": [asdict(chapter) for chapter in (parts or chapters(inputs))],
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def note_docx(inputs: NoteInputs, parts: Sequence[Chapter] | None = None) -> bytes:
    """The note as DOCX in the export pipeline's styles (one sandboxed pandoc run)."""
    from exports.docx import run_docx_pandoc

    return run_docx_pandoc(note_ast(inputs, parts), inputs.number)


def note_ast(inputs: NoteInputs, parts: Sequence[Chapter] | None = None) -> dict:
    blocks = [
        ast.div([ast.para(ast.text(note_title(inputs)))], custom_style="Cover Title"),
        ast.div([ast.para(ast.text(f"{inputs.number}　{inputs.built_on}"))], custom_style="Cover Draft"),
    ]
    for chapter in parts or chapters(inputs):
        blocks.append(ast.header(1, ast.text(chapter.heading)))
        for block in chapter.blocks:
            if block.heading:
                blocks.append(ast.header(2, ast.text(block.heading)))
            blocks.extend(
                ast.div([ast.para(ast.text(p))], custom_style="Body Text") for p in block.paragraphs
            )
            if block.table:
                head, *rows = block.table
                blocks.append(
                    ast.table(
                        [],
                        [[[ast.plain(ast.text(cell))] for cell in head]],
                        [[[ast.plain(ast.text(cell))] for cell in row] for row in rows],
                        ["AlignLeft"] * len(head),
                    )
                )
    return ast.document(blocks)
