"""Member lists for the import tests, written the way Excel and people write them."""

from __future__ import annotations

import io
from collections.abc import Sequence

ENGLISH = ("email", "name", "organisation", "role", "voting", "weight")
CHINESE = ("邮箱", "姓名", "单位", "角色", "表决权", "权重")


def csv_bytes(
    rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", header: Sequence[str] = ENGLISH
) -> bytes:
    """A CSV file with `header` then `rows`, CRLF line ends as Excel writes them."""
    lines = [",".join(header)] + [",".join("" if cell is None else str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, header: Sequence[str] = ENGLISH) -> bytes:
    """An Excel workbook whose first sheet holds `header` then `rows` (a cell "=…" is a formula)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, org, data: bytes, filename: str = "members.csv"):
    """POST the file to the import page, as the browser's form does."""
    return client.post(
        f"/orgs/{org.id}/members/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def preview_path(response) -> str:
    """The preview's address that an accepted upload redirects to."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.location
