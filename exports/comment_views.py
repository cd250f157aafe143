"""The comment tables' downloads: the 汇总处理表 and the ISO/IEC template, XLSX or DOCX, for every
reader of the standard (exports may import workflow; workflow never imports exports)."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from accounts.api import ApiOperation, api_blueprint, api_route, api_user
from accounts.uploads import download_disposition
from authoring.api import load_api_standard
from authoring.permissions import load_standard
from exports.comment_tables import DOCX_TYPE, XLSX_TYPE, iso_file, summary_file
from workflow.comments.tables import heading, iso_rows, summary_rows

bp = Blueprint("comment_tables", __name__)
#: the same tables through the API, with a bearer token
api_bp = api_blueprint("comment_tables_api", __name__)

FORMATS = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE}


def _download(data: bytes, fmt: str, name: str) -> Response:
    response = Response(data, content_type=FORMATS[fmt])
    # `name` begins with the standard's title, as typed: a slash, a quote or a bidi override in it
    # must not reach the saved file's name
    response.headers["Content-Disposition"] = download_disposition(f"{name}.{fmt}", f"comments.{fmt}")
    return response


@bp.get("/standards/<int:standard_id>/comment-table.<fmt>")
@login_required
def comment_table(standard_id: int, fmt: str) -> ResponseReturnValue:
    """The 征求意见汇总处理表 of the latest revision."""
    if fmt not in FORMATS:
        abort(404)
    standard = load_standard(standard_id, current_user)
    data = summary_file(fmt, heading(standard), summary_rows(standard, current_user))
    return _download(data, fmt, f"{standard.title_zh}-征求意见汇总处理表")


@bp.get("/standards/<int:standard_id>/iso-comments.<fmt>")
@login_required
def iso_comments(standard_id: int, fmt: str) -> ResponseReturnValue:
    """The comments in the ISO/IEC commenting template."""
    if fmt not in FORMATS:
        abort(404)
    standard = load_standard(standard_id, current_user)
    data = iso_file(fmt, heading(standard), iso_rows(standard, current_user))
    return _download(data, fmt, f"{standard.title_zh}-comments")


def _api_table(standard_id: int, fmt: str, which: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    standard = load_api_standard(standard_id)
    if which == "summary":
        data = summary_file(fmt, heading(standard), summary_rows(standard, api_user()))
    else:
        data = iso_file(fmt, heading(standard), iso_rows(standard, api_user()))
    return _download(data, fmt, f"{standard.title_zh}-{which}")


FILE = {"type": "string", "format": "binary"}


@api_route(
    api_bp,
    "/standards/<int:standard_id>/comment-table.<fmt>",
    "GET",
    ApiOperation(
        "The 征求意见汇总处理表 (fmt: xlsx or docx)", responses={200: ("the file", FILE)}, errors=(404,)
    ),
)
def api_comment_table(standard_id: int, fmt: str) -> ResponseReturnValue:
    return _api_table(standard_id, fmt, "summary")


@api_route(
    api_bp,
    "/standards/<int:standard_id>/iso-comments.<fmt>",
    "GET",
    ApiOperation(
        "The ISO/IEC commenting template (fmt: xlsx or docx)",
        responses={200: ("the file", FILE)},
        errors=(404,),
    ),
)
def api_iso_comments(standard_id: int, fmt: str) -> ResponseReturnValue:
    return _api_table(standard_id, fmt, "iso")
