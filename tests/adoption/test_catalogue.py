"""The adopted catalogue (/registry/adopted): only decided adoptions, with agency, reference and date,
and its filters; open to anyone."""

from __future__ import annotations

from accounts.models import OrgKind


def _auth(make_token, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(user)}"}


def test_the_catalogue_lists_an_adoption_once_decided_and_filters_it(client, demo, make_token, make_org):
    secretariat, reviewer = _auth(make_token, demo.secretariat), _auth(make_token, demo.reviewer)
    job = client.post(f"/api/v1/standards/{demo.standard.id}/dossiers", headers=secretariat).json
    sha256 = client.get(f"/api/v1/jobs/{job['id']}", headers=secretariat).json["sha256"]
    agency = client.get("/api/v1/agencies", headers=secretariat).json["items"][0]
    submission = client.post(
        f"/api/v1/standards/{demo.standard.id}/submissions",
        json={"agency": agency["id"], "dossier_sha256": sha256},
        headers=secretariat,
    ).json

    under_review = client.get("/registry/adopted").get_data(as_text=True)
    assert "No standard has been adopted yet." in under_review or "尚无被采信的标准" in under_review
    assert demo.standard.number not in under_review

    decided = client.post(
        f"/api/v1/submissions/{submission['id']}/decision",
        json={"decision": "adopt", "reference": "深市监标〔2026〕12号", "decided_on": "2026-11-20"},
        headers=reviewer,
    )
    assert decided.status_code == 200, decided.json
    page = client.get("/registry/adopted").get_data(as_text=True)
    assert demo.standard.number in page and "深市监标〔2026〕12号" in page and agency["name"] in page

    other = make_org(OrgKind.AGENCY, name="另一市场监督管理局")
    shown = {
        f"agency={agency['id']}": True,
        f"agency={other.id}": False,
        f"association={demo.standard.association_id}": True,
        "year=2026": True,
        "year=2025": False,
        "q=12号": True,
        "q=" + demo.standard.number.split()[0]: True,
        "q=没有这个词": False,
        "year=abc&agency=x&page=-3": True,  # unusable values are ignored
    }
    for args, listed in shown.items():
        answer = client.get(f"/registry/adopted?{args}")
        assert answer.status_code == 200, args
        assert (demo.standard.number in answer.get_data(as_text=True)) is listed, args

    registry = client.get("/registry").get_data(as_text=True)
    assert 'href="/registry/adopted"' in registry
