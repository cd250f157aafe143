"""The pages of a standard write dates in the one shape of each language (accounts/dates.py)."""

from __future__ import annotations

import pytest
from app_testing import dates_on_page, off_pattern_dates


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_standard_history_and_list_pages_write_dates_in_one_shape(
    client, login, save_json, make_standard, drafter, association, locale, db
):
    standard = make_standard()
    drafter.locale = locale
    db.session.commit()
    login(client, drafter)
    text = standard.latest_revision().text + "\n\n本文件另有补充说明。\n"
    assert save_json(client, standard.id, text, 1, "补充").status_code == 200
    pages = {
        "standard page and its export panel": client.get(f"/standards/{standard.id}"),
        "history page": client.get(f"/standards/{standard.id}/history"),
        "standards of the association": client.get(f"/associations/{association.id}/standards"),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert dates_on_page(html), name
        assert off_pattern_dates(html, locale) == [], name
