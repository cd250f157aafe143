"""The API's submissions, thread, decision and declarations on the demo's published standard."""

from __future__ import annotations

from accounts.models import OrgKind, Role


def _auth(make_token, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(user)}"}


def _dossier(client, demo, headers) -> str:
    job = client.post(f"/api/v1/standards/{demo.standard.id}/dossiers", headers=headers).json
    return client.get(f"/api/v1/jobs/{job['id']}", headers=headers).json["sha256"]


def _submit(client, demo, headers) -> dict:
    """A dossier of the demo's standard built and submitted to the demo's agency: the submission."""
    sha256 = _dossier(client, demo, headers)
    agency = client.get("/api/v1/agencies", headers=headers).json["items"][0]
    return client.post(
        f"/api/v1/standards/{demo.standard.id}/submissions",
        json={"agency": agency["id"], "dossier_sha256": sha256},
        headers=headers,
    ).json


def test_submission_question_answer_and_adoption(client, demo, make_token, make_org, make_member):
    secretariat, reviewer = _auth(make_token, demo.secretariat), _auth(make_token, demo.reviewer)
    sha256 = _dossier(client, demo, secretariat)
    agency = client.get("/api/v1/agencies", headers=secretariat).json["items"][0]
    created = client.post(
        f"/api/v1/standards/{demo.standard.id}/submissions",
        json={"agency": agency["id"], "dossier_sha256": sha256},
        headers=secretariat,
    )
    assert created.status_code == 201 and created.json["status"] == "submitted"
    submission_id = created.json["id"]
    again = client.post(
        f"/api/v1/standards/{demo.standard.id}/submissions",
        json={"agency": agency["id"], "dossier_sha256": sha256},
        headers=secretariat,
    )
    assert again.status_code == 409

    # another agency's reviewer sees nothing of it
    other = make_member(make_org("agency", name="另一局"), Role.REVIEWER)
    assert (
        client.post(
            f"/api/v1/submissions/{submission_id}/thread",
            json={"text": "?"},
            headers=_auth(make_token, other),
        ).status_code
        == 404
    )
    assert client.get("/api/v1/submissions", headers=_auth(make_token, other)).json["total"] == 0

    asked = client.post(
        f"/api/v1/submissions/{submission_id}/thread", json={"text": "应用情况？"}, headers=reviewer
    )
    assert asked.status_code == 201 and asked.json["status"] == "in_review"
    answered = client.post(
        f"/api/v1/submissions/{submission_id}/thread", json={"text": "已广泛应用。"}, headers=secretariat
    )
    assert [m["text"] for m in answered.json["thread"]] == ["应用情况？", "已广泛应用。"]
    assert (
        client.post(
            f"/api/v1/submissions/{submission_id}/decision", json={"decision": "adopt"}, headers=secretariat
        ).status_code
        == 403
    )
    missing = client.post(
        f"/api/v1/submissions/{submission_id}/decision", json={"decision": "adopt"}, headers=reviewer
    )
    assert missing.status_code == 422 and "reference" in missing.json["error"]["fields"]
    decided = client.post(
        f"/api/v1/submissions/{submission_id}/decision",
        json={"decision": "adopt", "reference": "深市监标〔2026〕1号", "decided_on": "2026-03-02"},
        headers=reviewer,
    )
    assert decided.status_code == 200
    assert (
        decided.json["decision"]["reference"] == "深市监标〔2026〕1号" and decided.json["status"] == "adopted"
    )
    adopted = client.get("/api/v1/registry?adopted=true").json
    assert [item["number"] for item in adopted["items"]] == [demo.standard.number]
    assert adopted["items"][0]["adopted"] is True
    late = client.post(f"/api/v1/submissions/{submission_id}/thread", json={"text": "补充"}, headers=reviewer)
    assert late.status_code == 409


def test_a_bad_credit_code_is_refused_naming_the_check_digit(client, demo, make_token):
    headers = _auth(make_token, demo.member)
    body = {
        "organisation": "深圳某科技有限公司",
        "credit_code": "91350100M000100Y44",
        "product": "电子发票平台",
    }
    refused = client.post(f"/api/v1/standards/{demo.standard.id}/declarations", json=body, headers=headers)
    assert refused.status_code == 422
    assert "校验码" in refused.json["error"]["fields"]["credit_code"]
    body["credit_code"] = "91350100M000100Y43"
    made = client.post(f"/api/v1/standards/{demo.standard.id}/declarations", json=body, headers=headers)
    assert made.status_code == 201 and made.json["status"] == "active"
    listed = client.get(f"/api/v1/standards/{demo.standard.id}/declarations").json
    assert listed["total"] == 1 and listed["items"][0]["credit_code"] == "91350100M000100Y43"
    assert client.post(f"/api/v1/standards/{demo.standard.id}/declarations", json=body).status_code == 401


def test_the_registry_page_lists_declarations_with_a_chart(client, demo, login):
    login(client, demo.member, "demo-password-1")
    page = client.post(
        f"/registry/{demo.standard.number}/declarations",
        data={
            "organisation": "深圳某科技有限公司",
            "credit_code": "91350100M000100Y43",
            "product": "电子发票平台",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "电子发票平台" in page and '<svg class="declaration-chart"' in page
    assert OrgKind.AGENCY  # the demo has its agency


def test_an_adopted_standard_shows_its_pages_and_the_mark(client, demo, make_token, login):
    secretariat, reviewer = _auth(make_token, demo.secretariat), _auth(make_token, demo.reviewer)
    submission = _submit(client, demo, secretariat)
    assert client.get(f"/standards/{demo.standard.id}").status_code == 200  # in adoption review
    client.post(
        f"/api/v1/submissions/{submission['id']}/decision",
        json={"decision": "adopt", "reference": "文号2"},
        headers=reviewer,
    )
    login(client, demo.secretariat, "demo-password-1")
    assert "文号2" in client.get(f"/standards/{demo.standard.id}").get_data(as_text=True)
    registry = client.get(f"/registry/{demo.standard.number}").get_data(as_text=True)
    assert "status-adopted" in registry


def test_an_uploaded_dossier_version_is_checked_and_attached(client, demo, make_token, login):
    import io
    import zipfile

    secretariat = _auth(make_token, demo.secretariat)
    submission = _submit(client, demo, secretariat)
    data = client.get("/api/v1/jobs/1/download", headers=secretariat).data
    login(client, demo.secretariat, "demo-password-1")
    url = f"/submissions/{submission['id']}/thread"
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as copy:
        for info in source.infolist():
            content = source.read(info)
            copy.writestr(info, content + b"x" if info.filename == "declarations.csv" else content)
    page = client.post(
        url,
        data={"text": "新版", "dossier_file": (io.BytesIO(broken.getvalue()), "d.zip")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "declarations.csv" in page and "与清单不一致" in page
    page = client.post(
        url,
        data={"text": "非材料包", "dossier_file": (io.BytesIO(b"not a zip"), "d.zip")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "不是 ZIP 文件" in page


def test_an_adopted_standard_confirmed_after_its_periodic_review_stays_adopted(client, demo, make_token):
    secretariat, reviewer = _auth(make_token, demo.secretariat), _auth(make_token, demo.reviewer)
    submission = _submit(client, demo, secretariat)
    client.post(
        f"/api/v1/submissions/{submission['id']}/decision",
        json={"decision": "adopt", "reference": "深市监标〔2026〕9号", "decided_on": "2026-03-02"},
        headers=reviewer,
    )
    moves = f"/api/v1/standards/{demo.standard.id}/transitions"
    started = client.post(moves, json={"to": "periodic_review"}, headers=secretariat)
    assert started.status_code == 200 and started.json["stage"] == "periodic_review", started.json
    catalogue = client.get("/registry/adopted").get_data(as_text=True)
    assert "深市监标〔2026〕9号" in catalogue, "under review it is still an adopted standard"
    confirmed = client.post(moves, json={"to": "confirm"}, headers=secretariat)
    assert confirmed.status_code == 200 and confirmed.json["stage"] == "adopted" and confirmed.json["adopted"]
    registry = client.get("/api/v1/registry?adopted=true").json
    assert [item["number"] for item in registry["items"]] == [demo.standard.number]
    assert "status-adopted" in client.get(f"/registry/{demo.standard.number}").get_data(as_text=True)
    decision = client.get("/api/v1/submissions", headers=reviewer).json["items"][0]
    assert (decision["status"], decision["decision"]["reference"]) == ("adopted", "深市监标〔2026〕9号")
    assert "深市监标〔2026〕9号" in client.get("/registry/adopted").get_data(as_text=True)
