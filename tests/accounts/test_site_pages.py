"""What every visitor meets around the pages: the site's icon and the error pages' way onward."""

from __future__ import annotations

import re

ICON_LINK = re.compile(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">')


def test_every_page_links_the_icon_and_the_icon_is_served(client):
    page = client.get("/login").get_data(as_text=True)
    href = ICON_LINK.search(page).group(1)
    icon = client.get(href)
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.get_data()


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response.location).status_code == 200


def test_the_not_found_page_offers_an_anonymous_visitor_the_login_page(client):
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "返回我的工作台" not in page
    assert re.search(r'<a class="button" href="/login">登录</a>', page)


def test_the_not_found_page_offers_a_logged_in_user_the_desk(client, login, make_user):
    login(client, make_user())
    page = client.get("/no/such/page").get_data(as_text=True)
    assert '<a class="button" href="/">返回我的工作台</a>' in page
