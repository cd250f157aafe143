"""The demo's figure: the service flow chart that the demo standard shows as `figures/service-flow.png`.

Drawn here with Pillow (boxes and arrows, labelled with Noto Sans CJK when it is installed) so that the
demo's exports show a real figure instead of a placeholder, without a binary file in the repository.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from accounts.database import utcnow
from accounts.operations import find_user_by_email
from authoring.figures import find_figure, upload_figure
from authoring.models import Standard
from extensions import db

#: the clauses of chapter 服务流程, in order
STEPS = ("服务受理", "能力评估", "服务协议", "服务计划", "服务实施", "服务回访", "服务终止")
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
)


def flow_chart() -> bytes:
    """A left-to-right flow of STEPS in two rows, as a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, box_w, box_h = 1200, 420, 230, 90
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    font_path = next((p for p in FONT_CANDIDATES if Path(p).is_file()), None)
    # index 2 of the collection is Simplified Chinese
    font = ImageFont.truetype(font_path, 30, index=2) if font_path else None
    positions = [(60 + i * 290, 60) for i in range(4)] + [(60 + (7 - i) * 290, 270) for i in range(4, 7)]
    for index, (x, y) in enumerate(positions):
        draw.rounded_rectangle((x, y, x + box_w, y + box_h), radius=14, outline="black", width=3)
        if font is not None:
            draw.text((x + box_w / 2, y + box_h / 2), STEPS[index], fill="black", font=font, anchor="mm")
        if index + 1 < len(positions):
            nx, ny = positions[index + 1]
            if ny != y:  # down to the second row, which runs right to left
                start, end = (x + box_w // 2, y + box_h), (nx + box_w // 2, ny)
            elif nx > x:
                start, end = (x + box_w, y + box_h // 2), (nx, ny + box_h // 2)
            else:
                start, end = (x, y + box_h // 2), (nx + box_w, ny + box_h // 2)
            draw.line((start, end), fill="black", width=3)
            _arrow_head(draw, start, end)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _arrow_head(draw: object, start: tuple[int, int], end: tuple[int, int]) -> None:
    (x0, y0), (x1, y1) = start, end
    if y0 == y1:
        sign = 1 if x1 > x0 else -1
        points = [(x1, y1), (x1 - sign * 16, y1 - 9), (x1 - sign * 16, y1 + 9)]
    else:
        points = [(x1, y1), (x1 - 9, y1 - 16), (x1 + 9, y1 - 16)]
    draw.polygon(points, fill="black")  # type: ignore[attr-defined]


def load_demo(app: Flask) -> None:
    """Upload the flow chart to the demo standard as its drafter (the caller commits)."""
    standard = db.session.scalar(select(Standard).where(Standard.title_zh == "社区居家养老服务规范"))
    drafter = find_user_by_email("drafter@demo.test")
    if standard is None or drafter is None or find_figure(standard, "service-flow.png") is not None:
        return
    upload_figure(standard, drafter, "service-flow.png", flow_chart(), now=utcnow())
