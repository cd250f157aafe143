"""The adopted catalogue (采信目录): every group standard a government agency adopted, with the agency,
its adoption reference (文号) and date, filtered by agency, association, year and words.

Public like the registry it hangs from (`/registry/adopted`): what it lists is what an agency decided
and the registry already shows, a standard withdrawn since is left out. Two queries a page, whatever
the catalogue's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import ColumnElement, Select, extract, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from accounts.models import Organisation
from adoption.models import Submission, SubmissionStatus
from authoring.models import Stage, Standard
from extensions import db
from workflow.registry_search import in_registry, like_pattern, normalise_query, whole_number

bp = Blueprint("catalogue", __name__)

PER_PAGE = 20
#: the oldest and newest years the year filter accepts (anything else is ignored)
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class CatalogueQuery:
    """What a visitor asked the catalogue for; a value that cannot be used is ignored, never an error."""

    text: str = ""
    agency_id: int | None = None
    association_id: int | None = None
    year: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> CatalogueQuery:
        year = whole_number(args.get("year"))
        return cls(
            text=normalise_query(str(args.get("q") or "")),
            agency_id=whole_number(args.get("agency")),
            association_id=whole_number(args.get("association")),
            year=year if year in YEARS else None,
            page=min(whole_number(args.get("page")) or 1, 10_000),
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """This query's query string with `changes` (the pages' links)."""
        values: dict[str, Any] = {
            "q": self.text,
            "agency": self.agency_id,
            "association": self.association_id,
            "year": self.year,
            "page": self.page,
        }
        values.update(changes)
        if values.get("page") == 1:
            del values["page"]
        return {key: value for key, value in values.items() if value not in (None, "")}

    @property
    def filtered(self) -> bool:
        return bool(self.args(page=1))


@dataclass(frozen=True)
class CataloguePage:
    entries: list[Submission]
    total: int
    page: int
    pages: int


def _adoptions() -> Select[Any]:
    """Adoption decisions of standards the registry lists and that are not withdrawn."""
    return (
        select(Submission)
        .join(Standard, Standard.id == Submission.standard_id)
        .where(Submission.status == SubmissionStatus.ADOPTED.value)
        .where(in_registry(), Standard.stage != Stage.WITHDRAWN.value)
    )


def _matching(query: CatalogueQuery) -> Select[Any]:
    statement = _adoptions()
    if query.agency_id is not None:
        statement = statement.where(Submission.agency_id == query.agency_id)
    if query.association_id is not None:
        statement = statement.where(Standard.association_id == query.association_id)
    if query.year is not None:
        statement = statement.where(extract("year", Submission.decided_on) == query.year)
    for term in query.text.split():
        statement = statement.where(_mentions(term))
    return statement


def _mentions(term: str) -> ColumnElement[bool]:
    """`term` in the number, either title or the reference (case-folded where the database folds)."""
    pattern = like_pattern(term)
    fields = (Standard.number, Standard.title_zh, Standard.title_en, Submission.reference)
    return or_(*(func.lower(field).like(func.lower(pattern), escape="\\") for field in fields))


def adopted_catalogue(query: CatalogueQuery, per_page: int = PER_PAGE) -> CataloguePage:
    """One page of the catalogue, newest decision first."""
    matching = _matching(query)
    total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(query.page, pages)
    agency = aliased(Organisation)
    rows = db.session.scalars(
        matching.join(agency, agency.id == Submission.agency_id)
        .options(contains_eager(Submission.standard), contains_eager(Submission.agency.of_type(agency)))
        .order_by(Submission.decided_on.desc(), Submission.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return CataloguePage(list(rows.unique()), total, page, pages)


def catalogue_filters() -> dict[str, Any]:
    """What the filters offer: the agencies and associations with an adoption, and its years."""
    adoptions = _adoptions().subquery()
    agencies = select(Organisation).where(Organisation.id.in_(select(adoptions.c.agency_id)))
    associations = select(Organisation).where(
        Organisation.id.in_(
            select(Standard.association_id).where(Standard.id.in_(select(adoptions.c.standard_id)))
        )
    )
    years = select(extract("year", adoptions.c.decided_on)).distinct()
    return {
        "agencies": list(db.session.scalars(agencies.order_by(Organisation.name))),
        "associations": list(db.session.scalars(associations.order_by(Organisation.name))),
        "years": sorted({int(y) for y in db.session.scalars(years) if y is not None}, reverse=True),
    }


@bp.get("/registry/adopted")
def index() -> ResponseReturnValue:
    """The adopted catalogue with its filters, a page at a time."""
    query = CatalogueQuery.from_args(request.args)
    return render_template(
        "adoption/catalogue.html",
        query=query,
        result=adopted_catalogue(query),
        **catalogue_filters(),
    )


@bp.app_context_processor
def catalogue_link() -> dict[str, Any]:
    """The registry page links here without the workflow package importing this one."""
    return {"adopted_catalogue_url": lambda: url_for("catalogue.index")}
