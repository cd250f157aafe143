"""One shape for a date and one for a date with time in each language, on every page that shows one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from app_testing import dates_on_page, off_pattern_dates
from flask_babel import force_locale

from accounts import operations
from accounts.database import utcnow
from accounts.dates import show_date, show_datetime
from accounts.models import Role

#: 03:06 UTC is 11:06 in Asia/Shanghai, the default time zone
WHEN = datetime(2026, 12, 2, 3, 6, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "as_date", "as_datetime"),
    [("zh_CN", "2026年12月2日", "2026年12月2日 11:06"), ("en", "Dec 2, 2026", "Dec 2, 2026, 11:06")],
)
def test_a_date_and_a_date_with_time_have_one_shape_per_language(app, locale, as_date, as_datetime):
    with app.test_request_context("/"), force_locale(locale):
        assert show_date(WHEN) == as_date
        assert show_date(date(2026, 12, 2)) == as_date
        assert show_datetime(WHEN) == as_datetime


def test_a_date_is_taken_in_local_time(app):
    late_evening_utc = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # already 2 December in Shenzhen
    with app.test_request_context("/"), force_locale("zh_CN"):
        assert show_date(late_evening_utc) == "2026年12月2日"


def test_a_missing_date_shows_nothing(app):
    with app.test_request_context("/"):
        assert show_date(None) == "" and show_datetime(None) == ""


def test_the_checker_finds_the_shapes_babel_writes_by_default(app):
    """The page checks below would pass on nothing if the date finder found nothing."""
    with app.test_request_context("/"), force_locale("en"):
        from flask_babel import format_datetime

        mixed = f"<p>{format_datetime(WHEN, 'short')}</p><p>{format_datetime(WHEN)}</p>"
    assert len(dates_on_page(mixed)) == 2
    assert off_pattern_dates(mixed, "en") == dates_on_page(mixed)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_members_and_invitation_pages_write_dates_in_one_shape(
    client, login, make_org, make_member, db, locale
):
    association = make_org(code="SZYL")
    secretariat = make_member(association, Role.SECRETARIAT, locale=locale)
    issued = operations.invite(
        secretariat,
        association,
        "invited@example.org",
        Role.MEMBER,
        voting=True,
        weight=1,
        now=utcnow(),
        valid_for=timedelta(days=14),
    )
    db.session.commit()
    login(client, secretariat)
    pages = {
        "desk": client.get("/").get_data(as_text=True),
        "members": client.get(f"/orgs/{association.id}/members").get_data(as_text=True),
    }
    client.post("/logout")
    client.post("/language", data={"locale": locale})
    pages["invitation"] = client.get(f"/invitations/{issued.token}").get_data(as_text=True)

    assert dates_on_page(pages["members"]) and dates_on_page(pages["invitation"])
    for name, html in pages.items():
        assert off_pattern_dates(html, locale) == [], name
