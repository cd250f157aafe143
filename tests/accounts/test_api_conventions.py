"""The API's conventions (docs/api.md): one error shape for every refusal and HTTP error under /api/v1,
messages in the language of Accept-Language (Chinese by default), pagination, and an OpenAPI 3.1
document that describes every route the application serves."""

from __future__ import annotations

import pytest
from app_testing import bearer

from accounts.api import api_rules, openapi_document


@pytest.fixture
def token(make_user, make_token) -> str:
    return make_token(make_user())


def _error(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/json"
    body = answer.json
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def test_an_unknown_path_under_the_api_is_a_json_404(client, token):
    _error(client.get("/api/v1/no-such-thing", headers=bearer(token)), 404, "not_found")
    _error(client.get("/api/v1/standards/999999", headers=bearer(token)), 404, "not_found")


@pytest.mark.parametrize("standard_id", [2**31, 2**63, 10**30])
def test_an_id_larger_than_any_row_can_have_is_a_404_not_a_500(client, token, standard_id):
    _error(client.get(f"/api/v1/standards/{standard_id}", headers=bearer(token)), 404, "not_found")
    assert client.get(f"/standards/{standard_id}").status_code == 404
    # not 405: the rule of the GET does not match such a path either
    _error(client.post(f"/api/v1/standards/{standard_id}/comments", headers=bearer(token)), 404, "not_found")


def test_a_wrong_method_is_a_json_405(client, token):
    _error(client.delete("/api/v1/agencies", headers=bearer(token)), 405, "method_not_allowed")


@pytest.fixture
def secretariat_token(make_org, make_member, make_token) -> str:
    return make_token(make_member(make_org(code="SZYL"), "secretariat"))


def _post_raw(client, token: str, data: str):
    return client.post(
        "/api/v1/associations/SZYL/standards",
        data=data,
        headers=bearer(token, **{"Content-Type": "application/json"}),
    )


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"a string"', ""])
def test_a_body_that_is_not_a_json_object_is_400_invalid_with_fields(client, secretariat_token, body):
    error = _error(_post_raw(client, secretariat_token, body), 400, "invalid")
    assert set(error["fields"]) == {"body"}


def test_a_mistyped_field_is_400_naming_it(client, secretariat_token):
    error = _error(_post_raw(client, secretariat_token, '{"title_zh": 5, "drafters": "x"}'), 400, "invalid")
    assert set(error["fields"]) == {"title_zh", "drafters"}


def test_a_body_larger_than_the_server_accepts_is_413(app, client, secretariat_token):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    _error(_post_raw(client, secretariat_token, '{"title_zh": "' + "x" * 5000 + '"}'), 413, "too_large")


@pytest.mark.parametrize("app_config", [{"API_LIMIT": "3 per minute"}])
def test_too_many_calls_are_429_rate_limited(client, token):
    for _ in range(3):
        assert client.get("/api/v1/agencies", headers=bearer(token)).status_code == 200
    _error(client.get("/api/v1/agencies", headers=bearer(token)), 429, "rate_limited")


def test_messages_follow_accept_language_with_chinese_by_default(client):
    chinese = _error(client.get("/api/v1/agencies"), 401, "unauthenticated")["message"]
    english = _error(
        client.get("/api/v1/agencies", headers={"Accept-Language": "en-US,en;q=0.9"}), 401, "unauthenticated"
    )["message"]
    also_chinese = _error(
        client.get("/api/v1/agencies", headers={"Accept-Language": "zh-CN"}), 401, "unauthenticated"
    )["message"]
    assert "API" in english and "token" in english
    assert chinese == also_chinese != english
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_the_language_of_the_account_does_not_change_the_api_s(client, make_user, make_token):
    token = make_token(make_user(locale="en"))
    message = _error(client.get("/api/v1/nothing", headers=bearer(token)), 404, "not_found")["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


# -- pagination ------------------------------------------------------------------------------------


def test_lists_are_paginated(client, token, make_org):
    for n in range(5):
        make_org("agency", name=f"市场监督管理局{n}")
    first = client.get("/api/v1/agencies?per_page=2", headers=bearer(token)).json
    assert (first["page"], first["per_page"], first["total"], len(first["items"])) == (1, 2, 5, 2)
    last = client.get("/api/v1/agencies?per_page=2&page=3", headers=bearer(token)).json
    assert len(last["items"]) == 1 and last["page"] == 3
    beyond = client.get("/api/v1/agencies?per_page=2&page=9", headers=bearer(token)).json
    assert beyond["items"] == [] and beyond["total"] == 5
    names = [o["name"] for o in first["items"] + last["items"]]
    assert len(set(names)) == 3
    assert first["items"][0].keys() == {"id", "kind", "name"} and first["items"][0]["kind"] == "agency"


@pytest.mark.parametrize(
    ("query", "field"),
    [("page=0", "page"), ("page=x", "page"), ("per_page=201", "per_page"), ("per_page=-1", "per_page")],
)
def test_a_bad_page_is_400_invalid_naming_the_parameter(client, token, query, field):
    error = _error(client.get(f"/api/v1/agencies?{query}", headers=bearer(token)), 400, "invalid")
    assert set(error["fields"]) == {field}


def test_the_largest_page_is_200(client, token):
    assert client.get("/api/v1/agencies?per_page=200", headers=bearer(token)).json["per_page"] == 200


# -- the OpenAPI document --------------------------------------------------------------------------


def test_openapi_json_is_public_and_version_3_1(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_every_api_route_of_the_url_map_is_in_openapi_json(app, client):
    document = client.get("/api/v1/openapi.json").json
    import re

    described = {(path, method) for path, entries in document["paths"].items() for method in entries}
    served = {
        (re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
        for rule, method in api_rules(app)
    }
    assert served, "no API route is served"
    assert served - described == set()
    assert described - served == set()


def test_a_route_served_without_its_declaration_breaks_the_document(app):
    from flask import Blueprint

    stray = Blueprint("stray_api", __name__, url_prefix="/api/v1")
    stray.add_url_rule("/stray", endpoint="stray", view_func=lambda: "")
    app.register_blueprint(stray)
    with pytest.raises(LookupError, match="stray"):
        openapi_document(app)


def test_every_schema_reference_of_the_document_resolves(client):
    document = client.get("/api/v1/openapi.json").json
    import json
    import re

    references = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert references and references <= set(document["components"]["schemas"])
    for path, entries in document["paths"].items():
        for method, entry in entries.items():
            assert entry["summary"] and entry["responses"], (method, path)
            names = {p["name"] for p in entry["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), (method, path)


def test_the_document_lists_400_for_query_parameters_and_404_for_path_parameters(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    agencies = paths["/agencies"]["get"]["responses"]
    assert "400" in agencies and agencies["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Error"
    )
    assert "404" in paths["/standards/{standard_id}"]["get"]["responses"]
    assert "404" not in paths["/agencies"]["get"]["responses"]


def test_an_empty_query_value_is_documented_and_served_as_not_given(client, token):
    agencies = client.get("/api/v1/openapi.json").json["paths"]["/agencies"]["get"]
    assert all(p["allowEmptyValue"] for p in agencies["parameters"] if p["in"] == "query")
    answer = client.get("/api/v1/agencies?per_page=&page=", headers=bearer(token))
    assert answer.status_code == 200 and answer.json["per_page"] == 50


def test_public_routes_list_the_401_of_a_wrong_token(client):
    declarations = client.get("/api/v1/openapi.json").json["paths"]["/standards/{standard_id}/declarations"]
    assert "401" in declarations["get"]["responses"]
    _error(client.get("/api/v1/registry", headers=bearer("sf_no-such-token")), 401, "unauthenticated")
