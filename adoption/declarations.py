"""Self-declarations as the public and the dossier read them: the list, the counts over time, the chart.

The registry page lists a standard's declarations with a chart of how many were active at the end of
each month (an inline SVG drawn here: no script, no CDN); the dossier counts them as evidence of wide
application (`dossier_section`, listed in wsgi.DOSSIER_SECTIONS: the note's slot "application" and
declarations.csv).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape
from sqlalchemy import func, select

from accounts.spreadsheets import csv_bytes
from adoption.models import Declaration, DeclarationStatus
from authoring.models import Standard
from exports.dossier_sections import DossierContext, DossierPart, NoteBlock
from extensions import db


def declarations_of(standard: Standard) -> list[Declaration]:
    """Every declaration of `standard`, newest first (withdrawn and flagged ones stay listed, marked)."""
    return list(
        db.session.scalars(
            select(Declaration)
            .where(Declaration.standard_id == standard.id)
            .order_by(Declaration.declared_on.desc(), Declaration.id.desc())
        )
    )


def active_count(standard: Standard) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Declaration)
            .where(
                Declaration.standard_id == standard.id, Declaration.status == DeclarationStatus.ACTIVE.value
            )
        )
        or 0
    )


@dataclass(frozen=True)
class MonthCount:
    month: str  #: "2026-03"
    count: int  #: declarations made up to the end of the month and active now


def counts_over_time(declarations: list[Declaration], today: date) -> list[MonthCount]:
    """Cumulative active declarations per month, from the first declaration's month to `today`'s."""
    active = sorted(d.declared_on for d in declarations if d.status == DeclarationStatus.ACTIVE.value)
    if not active:
        return []
    year, month = active[0].year, active[0].month
    out: list[MonthCount] = []
    while (year, month) <= (today.year, today.month):
        count = sum(1 for on in active if (on.year, on.month) <= (year, month))
        out.append(MonthCount(f"{year:04d}-{month:02d}", count))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out[-24:]


def counts_svg(counts: list[MonthCount], title: str) -> Markup:
    """A small bar chart of `counts` as inline SVG, with the numbers written on the bars."""
    if not counts:
        return Markup("")
    width, height, left, bottom = 480, 160, 28, 28
    top = max(c.count for c in counts) or 1
    step = (width - left - 8) / len(counts)
    bar = max(4.0, step * 0.7)
    parts = [
        f'<svg class="declaration-chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#888"/>',
    ]
    for index, item in enumerate(counts):
        h = (height - bottom - 20) * item.count / top
        x = left + index * step + (step - bar) / 2
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#2f6f9f"/>')
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">{item.count}</text>'
        )
        if len(counts) <= 12 or index % 3 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" font-size="10" '
                f'text-anchor="middle">{escape(item.month)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def dossier_section(context: DossierContext) -> DossierPart:
    """The declarations as evidence of wide application: the note's slot "application" and a table."""
    from workflow.transitions import local_today

    rows = declarations_of(context.standard)
    active = [d for d in rows if d.status == DeclarationStatus.ACTIVE.value]
    today = local_today(context.now).isoformat()
    table_rows = [
        [
            "组织 Organisation",
            "统一社会信用代码",
            "产品或服务 Product or service",
            "声明日期 Date",
            "状态 Status",
        ]
    ]
    table_rows += [
        [d.organisation, d.credit_code, d.product, d.declared_on.isoformat(), d.status] for d in rows
    ]
    if not rows:
        return DossierPart(
            files={"declarations.csv": csv_bytes(table_rows)},
            slot="application",
            blocks=(NoteBlock(paragraphs=(f"截至 {today}，平台未收到对本文件的自我声明。",)),),
        )
    organisations = len({d.credit_code for d in active})
    withdrawn = sum(1 for d in rows if d.status == DeclarationStatus.WITHDRAWN.value)
    flagged = sum(1 for d in rows if d.status == DeclarationStatus.FLAGGED.value)
    summary = (
        f"截至 {today}，共有 {organisations} 家单位就 {len(active)} 项产品或服务声明执行本文件"
        f"（另有撤回 {withdrawn} 项、经秘书处标记为不实 {flagged} 项，均不计入）。"
    )
    table = tuple((d.organisation, d.credit_code, d.product, d.declared_on.isoformat()) for d in active)
    return DossierPart(
        files={"declarations.csv": csv_bytes(table_rows)},
        slot="application",
        blocks=(
            NoteBlock(
                paragraphs=(summary,), table=(("组织", "统一社会信用代码", "产品或服务", "声明日期"), *table)
            ),
        ),
    )
