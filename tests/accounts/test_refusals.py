"""One refusal type and one decision type: the status, code and reasons a page or the API shows."""

from __future__ import annotations

import pytest

from accounts.json_errors import json_error
from accounts.permissions import OPERATOR, can_create_org, can_manage_members
from accounts.refusals import Decision, Refused


def test_each_kind_answers_with_its_status_and_api_code():
    expected = {
        "forbidden": (403, "forbidden"),
        "not_found": (404, "not_found"),
        "closed": (409, "closed"),
        "conflict": (409, "conflict"),
        "gate": (409, "gate"),
        "invalid": (422, "invalid"),
        "too_large": (413, "too_large"),
    }
    for kind, (status, code) in expected.items():
        refused = Refused(kind, "不行")  # type: ignore[arg-type]
        assert (refused.status, refused.code) == (status, code)


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        Refused("nope", "x")  # type: ignore[arg-type]


def test_the_api_body_carries_reasons_and_fields_only_when_there_are_some(app):
    with app.test_request_context("/api/v1/x"):
        plain, status = json_error(409, "不能进入审查", code="gate")
        assert status == 409 and plain.json["error"] == {"code": "gate", "message": "不能进入审查"}
        full, _ = json_error(409, "不能进入审查", code="gate", reasons=["2 条意见未处理"], fields={"to": "x"})
        assert full.json["error"]["reasons"] == ["2 条意见未处理"] and full.json["error"]["fields"] == {
            "to": "x"
        }


def test_a_refused_decision_is_falsy_and_require_raises_its_reasons():
    decision = Decision.no("征求意见期至 2026-03-01 结束", "2 条意见未处理")
    assert not decision and decision.reason == "征求意见期至 2026-03-01 结束 2 条意见未处理"
    with pytest.raises(Refused) as refused:
        decision.require("gate", "还不能进入下一阶段")
    assert refused.value.kind == "gate" and refused.value.reasons == decision.reasons


def test_an_allowed_decision_is_truthy_and_requires_nothing():
    assert Decision.yes() and Decision.yes().reason is None
    Decision.yes().require()


def test_the_operator_acts_as_the_administrator_and_nobody_is_all_powerful_by_default(app, make_org):
    org = make_org()
    assert can_create_org(OPERATOR) and can_manage_members(OPERATOR, org)
    assert not can_create_org(None) and not can_manage_members(None, org)
