"""The comments' and ballots' parts of an adoption dossier (providers listed in wsgi.DOSSIER_SECTIONS).

A reviewer judges consensus from two records: how the consultation's comments were handled (the
征求意见汇总处理表 and counts by type and disposition) and how the ballots went (every check with its
numbers, and every voter's counted vote). Both come from the same tables the pages show, so the
dossier never says something the association's own pages do not. The explanatory note is written in
Chinese (exports.explanatory_note), so the words here are too.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from accounts.permissions import OPERATOR
from exports.comment_tables import summary_file
from exports.dossier_sections import DossierContext, DossierPart, NoteBlock
from extensions import db
from workflow.ballots.models import Ballot
from workflow.ballots.record import record_csv, record_file_name
from workflow.comments.models import Comment, Moderation, Status
from workflow.comments.tables import heading, summary_rows

TYPE_WORDS = {"ge": "一般性", "te": "技术性", "ed": "编辑性"}
DECISION_WORDS = {
    "accepted": "采纳",
    "accepted_in_principle": "部分采纳",
    "not_accepted": "不采纳",
    "noted": "备注",
}
KIND_WORDS = {
    "project": "立项表决",
    "review": "技术审查表决",
    "approval": "批准表决",
    "withdrawal": "废止表决",
}


def comments(context: DossierContext) -> DossierPart | None:
    """The 汇总处理表 (XLSX and DOCX) and the comment counts by type and disposition."""
    standard = context.standard
    counted = [
        comment
        for comment in db.session.scalars(select(Comment).where(Comment.standard_id == standard.id))
        if comment.status != Status.WITHDRAWN.value and comment.moderation == Moderation.PUBLISHED.value
    ]
    if not counted:
        return None
    rows = summary_rows(standard, OPERATOR)
    table_heading = heading(standard)
    files = {
        "comment-table.xlsx": summary_file("xlsx", table_heading, rows),
        "comment-table.docx": summary_file("docx", table_heading, rows),
    }
    by_type = Counter((c.type, c.decision or "open") for c in counted)
    decisions = [*DECISION_WORDS, "open"]
    table = [("意见类型", *(DECISION_WORDS.get(d, "未处理") for d in decisions), "合计")]
    for code, word in TYPE_WORDS.items():
        cells = [by_type[(code, d)] for d in decisions]
        table.append((word, *map(str, cells), str(sum(cells))))
    totals = [sum(by_type[(code, d)] for code in TYPE_WORDS) for d in decisions]
    table.append(("合计", *map(str, totals), str(sum(totals))))
    organisations = len({c.organisation or c.author_name for c in counted})
    summary = (
        f"征求意见期间共收到 {organisations} 个单位或个人的意见 {len(counted)} 条，"
        f"其中采纳 {totals[0]} 条、部分采纳 {totals[1]} 条、不采纳 {totals[2]} 条、备注 {totals[3]} 条，"
        f"未处理 {totals[4]} 条。处理情况见《征求意见汇总处理表》（comment-table.xlsx / comment-table.docx）。"
    )
    return DossierPart(
        files=files, slot="comments", blocks=(NoteBlock(paragraphs=(summary,), table=tuple(table)),)
    )


def ballots(context: DossierContext) -> DossierPart | None:
    """Every closed ballot on the standard: its rule, its checks with their numbers and the reasons,
    and its record (every voter's counted vote) as a CSV file."""
    closed = db.session.scalars(
        select(Ballot)
        .where(Ballot.standard_id == context.standard.id, Ballot.closed_at.is_not(None))
        .order_by(Ballot.id)
    ).all()
    if not closed:
        return None
    files: dict[str, bytes] = {}
    blocks: list[NoteBlock] = []
    for ballot in closed:
        result = ballot.result_in("zh") or {}
        name = record_file_name(ballot)
        files[name] = record_csv(ballot)
        checks = [("检查项", "分子", "分母", "阈值", "是否满足")]
        for check in result.get("checks", []):
            checks.append(
                (
                    str(check["name"]),
                    str(check["numerator"]),
                    str(check["denominator"]),
                    str(check["threshold"]),
                    "是" if check["met"] else "否",
                )
            )
        verdict = "通过" if ballot.passed else "未通过"
        paragraphs = (
            f"{KIND_WORDS.get(ballot.kind, ballot.kind)}：针对第 {ballot.revision} 版，"
            f"表决规则 {result.get('rule', '')}，表决人数 {ballot.electorate_size}，"
            f"{ballot.closed_at:%Y-%m-%d} 截止，结果：{verdict}。"
            if ballot.closed_at
            else "",
            *[str(reason) for reason in result.get("reasons", [])],
            f"每位表决人的计入票见 {name}。",
        )
        blocks.append(
            NoteBlock(
                heading=f"{KIND_WORDS.get(ballot.kind, ballot.kind)}（第 {ballot.id} 号）",
                paragraphs=tuple(p for p in paragraphs if p),
                table=tuple(checks),
            )
        )
    return DossierPart(files=files, slot="ballots", blocks=tuple(blocks))
