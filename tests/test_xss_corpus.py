"""Hostile input: a corpus of XSS payloads stored everywhere a user can write, then every page that
shows them rendered in Chromium (issue 15, "Hostile input — XSS").

The payloads go in through the real verbs (standard text and front-matter title, a standard's title,
comments, their proposed changes and organisation, replies, user and organisation names, proposal
fields, ballot reasons, declaration fields) and through the figure upload form (the file name). The
pages are then visited twice: once as served, to check the Content-Security-Policy header, and once
with the policy bypassed (`bypass_csp`), so the escaping and the sanitiser are tested on their own and
not hidden behind the policy. A page fails on any JavaScript dialog, on `window.__xss`, on a console
message (a blocked inline script is one), on a request to the attacker's host, or on an element the
payload made executable (an `on…` attribute, a `javascript:`/`data:` link, a script or frame).

The module runs its own server with the demo data, so the payloads never reach other tests' pages.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from app_testing import LiveServer, make_test_config
from finished_exports import finished_export
from sqlalchemy import select
from werkzeug.serving import make_server

from accounts.database import utcnow
from accounts.hooks import hooks
from accounts.models import Organisation, OrgKind, Role, User
from accounts.operations import (
    add_member,
    create_user,
    find_user_by_email,
    invite,
    preview_member_import,
    rename_org,
)
from adoption import operations as adoption
from authoring import operations as authoring
from authoring.examples import example_text
from authoring.models import Standard
from exports.dossier_manifest import build_manifest, write_dossier
from extensions import db
from workflow import proposals
from workflow.ballots.operations import cast_vote, close_ballot, open_ballot_of
from workflow.comments import operations as comments
from workflow.comments.anchoring import clause_sources_of
from workflow.operations import transition
from workflow.stages import Stage
from workflow.transitions import local_today
from wsgi import create_app

pytestmark = pytest.mark.browser

#: the host no page may ever ask for
ATTACKER = "attacker.invalid"

#: every payload either sets window.__xss, opens a dialog or asks the attacker's host for something
PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<svg onload=window.__xss=1><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text y='20'>svg</text></a></svg>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</script><script>window.__xss=1</script>",
    '<a href="javascript:window.__xss=1">链接</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    f'<img src="http://{ATTACKER}/pixel.png">',
    "[点我](javascript:window.__xss=1)",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![图](javascript:alert(1))",
    f"![图](http://{ATTACKER}/image.png)",
    '![x](x" onerror="alert(1))',
    "[a](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "{{ 7*7 }} {% raw %}<img src=x onerror=alert(1)>{% endraw %}",
]

#: short enough for a name field, and still a working payload if unescaped
NAME_PAYLOAD = '<img src=x onerror="window.__xss=1">'

#: attribute injection in `{#id .class key=value}`, on headings and figures
ATTRIBUTE_PAYLOADS = [
    '## 注入条款 {#c-xss onclick="window.__xss=1" .x}',
    '## 注入条款二 {#c-xss2 onmouseover=alert(1) style="position:fixed;inset:0"}',
    "## 注入条款三 {#c-xss3 href=javascript:alert(1) .a}",
    '## 注入条款四 {#c-xss4" onfocus="alert(1)" autofocus x="}',
    '![图](figures/x.png){#fig-xss onerror="window.__xss=1" src="javascript:alert(1)"}',
    '[链接](#c-xss){onclick="alert(1)" href="javascript:alert(1)"}',
]

#: a page that shows a stored payload shows one of these as text
SHOWN = ("onerror", "<script", "javascript:")

#: pages that show only numbers and titles of standards the demo made (no field a payload is in)
NO_FREE_TEXT = {"/review"}

#: what a figure file may be called when the uploader is hostile
FIGURE_NAME = '"><img src=x onerror=alert(1)>.png'


def hostile_text() -> str:
    """The community-care standard with payloads in its front-matter title and a chapter of its own."""
    text = example_text("community-care")
    text = text.replace("zh: 社区居家养老服务规范", "zh: " + '"社区<script>window.__xss=1</script>规范"', 1)
    chapter = ["", "## 恶意输入 {#c-hostile}", ""]
    for payload in PAYLOADS:
        chapter += [payload, ""]
    chapter += ATTRIBUTE_PAYLOADS
    return text.rstrip("\n") + "\n" + "\n\n".join(chapter) + "\n"


# -- the world --------------------------------------------------------------------------------


class World:
    """The ids of what the payloads were stored in."""

    standard_id: int
    draft_id: int
    consultation_id: int
    published_id: int
    published_number: str
    comment_id: int
    ballot_id: int
    association_id: int
    submission_id: int
    invitation_token: str
    member_import_token: str


def _association() -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))


def store_payloads() -> World:
    """Write the corpus through the verbs, as the users who may write each field."""
    now = utcnow()
    world = World()
    admin = find_user_by_email("admin@demo.test")
    secretariat = find_user_by_email("secretariat@demo.test")
    drafter = find_user_by_email("drafter@demo.test")
    member = find_user_by_email("member1@demo.test")
    association = _association()
    world.association_id = association.id
    rename_org(admin, association, "深圳" + NAME_PAYLOAD + "协会")
    hostile = create_user(admin, "hostile@xss.test", "恶意" + NAME_PAYLOAD, "demo", check_password=False)
    add_member(admin, association, hostile, Role.MEMBER, unit="单位" + NAME_PAYLOAD)
    rows = [
        "邮箱,姓名,单位,角色,表决权,权重",
        f'new1@xss.test,"名{NAME_PAYLOAD.replace(chr(34), chr(34) * 2)}","{PAYLOADS[4].replace(chr(34), chr(34) * 2)}",成员,是,1',
        f'"{PAYLOADS[1].replace(chr(34), chr(34) * 2)}",名,单位,{PAYLOADS[6]},是,1',
        "member1@demo.test,<svg onload=alert(1)>,单位,秘书处,否,1",
    ]
    world.member_import_token = preview_member_import(
        secretariat, association, "成员" + NAME_PAYLOAD + ".csv", "\n".join(rows).encode("utf-8"), now=now
    ).token
    world.invitation_token = invite(
        admin,
        association,
        "invited@xss.test",
        Role.MEMBER,
        voting=True,
        weight=1,
        now=now,
        valid_for=timedelta(days=7),
        name="受邀" + NAME_PAYLOAD,
        unit="单位" + NAME_PAYLOAD,
    ).token

    standard = authoring.create_standard(
        association,
        secretariat,
        title_zh="标题" + NAME_PAYLOAD,
        title_en="</title><script>alert(1)</script>",
        committee="工作组" + NAME_PAYLOAD,
        drafters=[drafter.membership_in(association)],
        text=hostile_text(),
        now=now,
    )
    db.session.commit()
    authoring.save_revision(
        standard,
        drafter,
        hostile_text() + "\n" + PAYLOADS[1] + "\n",
        "修改说明" + NAME_PAYLOAD,
        1,
        now=now + timedelta(seconds=1),
    )
    db.session.commit()
    world.standard_id = standard.id

    consultation = db.session.scalar(select(Standard).where(Standard.stage == "consultation"))
    revision = consultation.latest_revision()
    clause = next(iter(clause_sources_of(revision.text)))
    for payload in PAYLOADS[:6]:
        comment = comments.create_comment(
            consultation,
            hostile,
            comments.Selector(revision=revision.number, clause=clause),
            comments.CommentFields(type="te", comment=payload, proposed_change=payload),
            now=now,
            organisation="单位" + NAME_PAYLOAD,
        )
        db.session.commit()
        comments.reply(comment, drafter, payload, now=now)
        db.session.commit()
    draft = authoring.create_standard(
        association,
        secretariat,
        title_zh="草案" + NAME_PAYLOAD,
        title_en=None,
        committee=None,
        drafters=[drafter.membership_in(association)],
        text=hostile_text(),
        now=now,
    )
    db.session.commit()
    world.draft_id = draft.id

    # the hostile standard goes out for public consultation, so anyone may comment on it
    transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=now,
        closes_at=local_today(now) + timedelta(days=30),
        audience="public",
    )
    db.session.commit()
    public = comments.create_public_comment(
        standard,
        comments.Selector(revision=standard.latest_number, clause="c-hostile"),
        comments.CommentFields(type="ge", comment=PAYLOADS[2], proposed_change=PAYLOADS[13]),
        name="公众" + NAME_PAYLOAD,
        organisation="单位" + NAME_PAYLOAD,
        email="public@xss.test",
        now=now,
    )
    comments.moderate(public, secretariat, True, now=now)
    db.session.commit()
    world.consultation_id = consultation.id
    world.comment_id = comment.id

    review = db.session.scalar(select(Standard).where(Standard.stage == "review"))
    ballot = open_ballot_of(review)
    cast_vote(ballot, member, "disapprove", PAYLOADS[1] + PAYLOADS[12], now=now)
    db.session.commit()
    # closed, so its page shows the record: every voter, choice and reason
    close_ballot(ballot, secretariat, now=now + timedelta(seconds=1), reason=PAYLOADS[2])
    db.session.commit()
    world.ballot_id = ballot.id

    proposals.propose(
        association,
        hostile,
        title_zh="提案" + NAME_PAYLOAD,
        scope=PAYLOADS[0],
        reason=PAYLOADS[12],
        drafting_units=PAYLOADS[4],
        now=now,
    )
    db.session.commit()

    published = db.session.scalar(select(Standard).where(Standard.number.is_not(None)))
    adoption.declare(
        published,
        hostile,
        organisation="企业" + NAME_PAYLOAD,
        credit_code="91350100M000100Y43",
        product=PAYLOADS[0],
        declared_on=None,
        contact=PAYLOADS[5],
        now=now,
    )
    db.session.commit()
    world.published_id = published.id
    world.published_number = published.number
    world.submission_id = adopt_with_payloads(published, secretariat, now=now)
    return world


def _dossier_for(standard: Standard, *, now: datetime) -> str:
    """A built dossier of `standard`'s latest revision (what a submission points at), without typst."""
    revision = standard.latest_revision()
    files = {"explanatory-note.json": b'{"chapters": []}'}
    manifest = build_manifest(
        files,
        number=standard.number,
        revision=revision.number,
        content_sha256=revision.content_hash,
        built_at=now,
        built_by="xss",
    )
    sha = finished_export(standard, revision, write_dossier(files, manifest), format="dossier").result_sha256
    db.session.flush()
    return sha


def adopt_with_payloads(standard: Standard, secretariat: User, *, now: datetime) -> int:
    """The agency (renamed hostile) asks a hostile question and adopts `standard` under a hostile reference."""
    reviewer = find_user_by_email("reviewer@demo.test")
    agency = db.session.scalar(select(Organisation).where(Organisation.kind == OrgKind.AGENCY))
    rename_org(find_user_by_email("admin@demo.test"), agency, "监管局" + NAME_PAYLOAD)
    submission = adoption.submit(standard, secretariat, agency, _dossier_for(standard, now=now), now=now)
    db.session.commit()
    adoption.post_message(submission, reviewer, PAYLOADS[0] + PAYLOADS[12], now=now)
    adoption.post_message(submission, secretariat, PAYLOADS[1], now=now)
    adoption.decide(
        submission, reviewer, "adopt", reasons=PAYLOADS[4], reference="文号" + NAME_PAYLOAD, now=now
    )
    db.session.commit()
    # a second submission stays open, so the reviewer's desk lists it
    again = adoption.submit(
        standard, secretariat, agency, _dossier_for(standard, now=now + timedelta(seconds=1)), now=now
    )
    adoption.post_message(again, reviewer, PAYLOADS[5], now=now)
    db.session.commit()
    return submission.id


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, World]]:
    """The demo world with the corpus stored in it, served on a free port of 127.0.0.1."""
    database = tmp_path_factory.mktemp("xss") / "xss.sqlite3"
    application = create_app(
        make_test_config(
            f"sqlite:///{database}",
            TESTING=False,
            DEMO=True,
            WTF_CSRF_ENABLED=True,
            DEMO_PASSWORD="demo",
            EXPORT_RUNNER="thread",
            RATELIMIT_ENABLED=False,
        )
    )
    with application.app_context():
        db.create_all()
        for load in hooks(application).demo_loaders:
            load(application)
            db.session.commit()
        world = store_payloads()
        db.session.remove()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    application.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="xss-server", daemon=True)
    thread.start()
    yield LiveServer(url=url, app=application, password="demo"), world
    server.shutdown()
    thread.join(timeout=5)


# -- the watch --------------------------------------------------------------------------------

#: elements and attributes a payload must never turn into something the browser runs or loads
_EXECUTABLE = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(element.tagName + '[' + name + ']');
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(name)
          && (value.startsWith('javascript:') || value.startsWith('vbscript:')
              || value.startsWith('data:text/html') || value.includes('attacker.invalid')))
        found.push(element.tagName + '[' + name + '=' + attribute.value + ']');
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'FRAME'].includes(element.tagName)) found.push(element.tagName);
    const type = (element.getAttribute('type') || 'text/javascript').toLowerCase();
    if (element.tagName === 'SCRIPT' && !element.src && type.includes('javascript')) {
      const code = element.textContent;
      if (code.includes('__xss') || code.includes('alert(')) found.push('inline SCRIPT: ' + code.slice(0, 80));
    }
  }
  return found;
}"""


class Watch:
    """Everything a payload could make a page do, collected while the page is open."""

    def __init__(self, page: Any, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        where = message.location.get("url", "") if message.location else ""
        if message.text.startswith("Failed to load resource") and where.startswith(self.origin):
            return  # a missing figure of the demo data; a request elsewhere is caught in _request
        self.problems.append(f"console {message.type}: {message.text} ({where})")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        host = urlsplit(request.url).hostname or ""
        if host.endswith(ATTACKER) or request.url.startswith(("javascript:", "data:text/html")):
            self.problems.append(f"request to {request.url}")

    def check(self, page: Any, where: str) -> list[str]:
        """The problems of the page now open (and of everything since the last check)."""
        page.wait_for_timeout(50)
        found = [f"{where}: {problem}" for problem in self.problems]
        self.problems.clear()
        if page.evaluate("() => window.__xss !== undefined"):
            found.append(f"{where}: window.__xss was set")
        found += [f"{where}: executable {item}" for item in page.evaluate(_EXECUTABLE)]
        return found


def _log_in(page: Any, server: LiveServer, email: str) -> None:
    page.goto(server.url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    page.click("main form button[type=submit]")
    page.wait_for_url(server.url + "/")


def _pages(world: World) -> dict[str, list[str]]:
    """Who looks at which pages: every page that shows a stored payload."""
    s, c, p, a = world.standard_id, world.consultation_id, world.published_id, world.association_id
    number = world.published_number
    reading = [
        f"/standards/{s}",
        f"/standards/{s}/history",
        f"/standards/{s}/diff",
        f"/standards/{s}/diff?view=source",
        f"/standards/{s}/revisions/1",
        f"/standards/{c}",
        f"/standards/{c}/comments",
        f"/standards/{c}/comments/dashboard",
        f"/standards/{s}/comments",
        f"/comments/{world.comment_id}",
        f"/ballots/{world.ballot_id}",
        f"/standards/{p}",
        f"/standards/{p}/adoption",
        f"/submissions/{world.submission_id}",
        f"/associations/{a}/standards",
        f"/associations/{a}/proposals",
        f"/orgs/{a}",
        "/registry",
        f"/registry/{number}",
        "/registry/adopted",
    ]
    return {
        "": [
            "/registry",
            f"/registry/{number}",
            "/registry/adopted",
            f"/standards/{p}",
            f"/standards/{s}/public-comment",
            f"/invitations/{world.invitation_token}",
        ],
        "secretariat@demo.test": [
            "/",
            *reading,
            f"/orgs/{a}/members",
            f"/orgs/{a}/members/import/{world.member_import_token}",
            f"/standards/{world.draft_id}/edit",
        ],
        "hostile@xss.test": ["/", f"/standards/{c}", f"/comments/{world.comment_id}"],
        "member1@demo.test": ["/", f"/ballots/{world.ballot_id}"],
        "reviewer@demo.test": ["/", "/review", f"/submissions/{world.submission_id}", "/registry/adopted"],
        "admin@demo.test": [
            "/",
            "/admin/organisations",
            f"/admin/organisations/{a}",
            f"/orgs/{a}/members",
            "/admin/outbox",
            "/admin/audit",
        ],
    }


def _visit_all(browser: Any, server: LiveServer, world: World, *, bypass_csp: bool) -> list[str]:
    problems: list[str] = []
    for email, paths in _pages(world).items():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=bypass_csp)
        context.set_default_timeout(10_000)
        page = context.new_page()
        watch = Watch(page, server.url)
        try:
            if email:
                _log_in(page, server, email)
                problems += watch.check(page, f"{email} /")
            for path in paths:
                response = page.goto(server.url + path)
                assert response is not None and response.status == 200, (
                    email,
                    path,
                    response and response.status,
                )
                if not bypass_csp and "script-src 'self'" not in (
                    response.headers.get("content-security-policy") or ""
                ):
                    problems.append(f"{email} {path}: no Content-Security-Policy with script-src 'self'")
                page.mouse.move(400, 300)
                problems += watch.check(page, f"{email or 'anonymous'} {path}")
                if path.startswith("/ballots/") and PAYLOADS[1] not in page.inner_text("main"):
                    problems.append(f"{email} {path}: the record does not show the hostile reasons")
                if path not in NO_FREE_TEXT and not any(mark in page.inner_text("body") for mark in SHOWN):
                    problems.append(f"{email} {path}: shows none of the payloads (nothing was tested)")
        finally:
            context.close()
    return problems


def test_no_stored_payload_runs_on_any_page_without_the_policy(browser, hostile_server):
    server, world = hostile_server
    problems = _visit_all(browser, server, world, bypass_csp=True)
    assert not problems, "\n".join(problems)


def test_every_page_with_a_payload_sends_the_policy_and_logs_nothing(browser, hostile_server):
    server, world = hostile_server
    problems = _visit_all(browser, server, world, bypass_csp=False)
    assert not problems, "\n".join(problems)


def test_the_editor_preview_of_hostile_text_runs_nothing(browser, hostile_server):
    server, world = hostile_server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(page, server.url)
    try:
        _log_in(page, server, "drafter@demo.test")
        page.goto(f"{server.url}/standards/{world.draft_id}/edit")
        page.evaluate(
            "(text) => { standardEditor.pane.setText(text); standardEditor.preview(); }",
            hostile_text() + "\n## 预览标记\n",
        )
        page.locator("#preview", has_text="预览标记").wait_for()
        page.mouse.move(400, 300)
        assert watch.check(page, "editor preview") == []
    finally:
        context.close()


def test_a_hostile_figure_file_name_is_shown_as_text(browser, hostile_server):
    server, world = hostile_server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(page, server.url)
    try:
        _log_in(page, server, "drafter@demo.test")
        page.goto(f"{server.url}/standards/{world.draft_id}")
        form = page.locator("form.figure-upload")
        png = (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
            b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00"
            b"\x00\x00IEND\xaeB`\x82"
        )
        form.locator("input[type=file]").set_input_files(
            files=[{"name": FIGURE_NAME, "mimeType": "image/png", "buffer": png}]
        )
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "onerror" in page.locator(".flashes").inner_text()
        assert watch.check(page, "figure upload") == []
    finally:
        context.close()


#: query strings a page echoes back (search boxes, revision choices, queues, pages)
REFLECTED = [
    "/registry?q={payload}",
    "/registry?q={payload}&status={payload}&association={payload}&page={payload}",
    "/registry/adopted?q={payload}&agency={payload}&page={payload}",
    "/standards/{standard}/diff?old={payload}&new=2",
    "/standards/{standard}/diff?old=1&new={payload}&view=source",
    "/associations/{association}/standards?q={payload}",
    "/review?queue={payload}",
    "/login?next={payload}",
    "/registry/{payload}",
    "/registry/T%2FSZYL%20{payload}",
    "/comments/{payload}",
]


def test_no_payload_in_a_query_string_runs(browser, hostile_server):
    server, world = hostile_server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(page, server.url)
    problems: list[str] = []
    try:
        _log_in(page, server, "admin@demo.test")
        problems += watch.check(page, "login")
        for template in REFLECTED:
            for payload in (PAYLOADS[0], PAYLOADS[4], PAYLOADS[7], "javascript:alert(1)"):
                path = template.format(
                    payload=quote(payload, safe=""),
                    standard=world.standard_id,
                    association=world.association_id,
                )
                response = page.goto(server.url + path)
                assert response is not None and response.status < 500, (path, response and response.status)
                problems += watch.check(page, path)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


#: where a hostile `next` may try to send the browser after it logs in
HOSTILE_NEXT = [
    "javascript:window.__xss=1",
    f"//{ATTACKER}/",
    f"/\\{ATTACKER}/",
    f"/\t/{ATTACKER}/",
    f"http://{ATTACKER}/",
    f"\\\\{ATTACKER}/",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_logging_in_never_follows_a_hostile_next(browser, hostile_server, target):
    server, _ = hostile_server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(page, server.url)
    try:
        page.goto(f"{server.url}/login?next={quote(target, safe='')}")
        page.fill("input[name=email]", "member1@demo.test")
        page.fill("input[name=password]", server.password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.url.startswith(server.url + "/"), page.url
        assert watch.check(page, f"login next={target!r}") == []
    finally:
        context.close()


def test_the_watch_sees_each_html_payload_that_reaches_a_page_unescaped(browser):
    """The harness itself: every HTML payload, put in a page as it is, is caught."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    watch = Watch(page, "http://127.0.0.1")
    try:
        for payload in [p for p in PAYLOADS if p.startswith(("<", '"')) and not p.startswith("<javascript")]:
            page.set_content(f"<!doctype html><body><p>{payload}</p></body>")
            page.wait_for_timeout(100)
            assert watch.check(page, payload), f"the watch missed {payload}"
            page.evaluate("() => { delete window.__xss; }")
    finally:
        context.close()


def test_a_save_conflict_over_hostile_lines_shows_them_as_text(browser, hostile_server):
    server, world = hostile_server
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(page, server.url)
    try:
        _log_in(page, server, "drafter@demo.test")
        page.goto(f"{server.url}/standards/{world.draft_id}/edit")
        base = int(page.inner_text("#revision-number"))
        text = page.evaluate("standardEditor.pane.getText()")
        assert PAYLOADS[0] in text
        with server.app.app_context():
            draft = db.session.get(Standard, world.draft_id)
            theirs = text.replace(PAYLOADS[0], PAYLOADS[2] + "甲", 1)
            authoring.save_revision(
                draft, find_user_by_email("secretariat@demo.test"), theirs, PAYLOADS[3], base, now=utcnow()
            )
            db.session.commit()
            db.session.remove()
        page.evaluate(
            "(text) => standardEditor.pane.setText(text)", text.replace(PAYLOADS[0], PAYLOADS[1] + "乙", 1)
        )
        page.fill("input[name=message]", PAYLOADS[4])
        page.click("#save-button")
        page.locator("#conflict").wait_for(state="visible")
        assert "onerror" in page.locator(".conflict-diff").inner_text()
        page.mouse.move(400, 300)
        assert watch.check(page, "save conflict") == []
    finally:
        context.close()
