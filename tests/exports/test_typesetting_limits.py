"""Typesetting runs in a capped child process: a text that crashes typst, outgrows its memory or its
time fails its own export with a message, and the process that asked (web worker, command line) lives.

Real typst and pandoc throughout. Before the child process, the nested formula below killed the
process running `typst.compile` with SIGSEGV: these tests would take pytest down with it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from app_world import ask, wait_until_finished

import exports.typeset
from accounts.database import utcnow
from authoring import operations
from authoring.examples import example_text
from authoring.figures import figures_digest
from exports import TEMPLATE_VERSION
from exports.models import ExportJob, job_cache_key
from extensions import db

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: 200 nested fractions: 2 KB of TeX that overflows typst's stack
NESTED_FORMULA = "$$" + "\\frac{" * 200 + "x" + "}{2}" * 200 + "$$"
#: 60 KB of inline formulas: typst needs about 520 MB and 7 s for them (450 KB took 3.5 GB)
FORMULA_FLOOD = "$a " * 20_000


def in_scope_clause(text: str, paragraph: str) -> tuple[str, int]:
    """`text` with `paragraph` added to its scope clause, and the line it is on."""
    head, tail = text.split("\n# 规范性引用文件", 1)
    combined = f"{head.rstrip()}\n\n{paragraph}\n\n# 规范性引用文件{tail}"
    return combined, combined.split("\n").index(paragraph) + 1


@pytest.fixture
def app_config(request):
    """Exports on the in-process pool, as `make run` runs them, unless a test asks otherwise."""
    return getattr(request, "param", {"EXPORT_RUNNER": "thread"})


def save_text(szyl, text: str) -> int:
    """Save `text` as the standard's next revision and return its number."""
    latest = max(revision.number for revision in szyl.standard.revisions)
    outcome = operations.save_revision(szyl.standard, szyl.drafter, text, "公式", latest, now=utcnow())
    db.session.commit()
    return outcome.revision.number


def test_a_formula_too_deep_to_typeset_fails_its_job_with_its_line_and_the_next_export_succeeds(
    drafter_client, szyl
):
    text, line = in_scope_clause(example_text("community-care-v2"), NESTED_FORMULA)
    number = save_text(szyl, text)

    failed = wait_until_finished(
        drafter_client, ask(drafter_client, szyl.standard, number, "pdf").get_json()["status_url"]
    )
    assert failed["status"] == "failed"
    assert f"第 {line} 行的公式过于复杂" in failed["error"], failed["error"]

    page = drafter_client.get(failed["page_url"]).get_data(as_text=True)
    assert f"第 {line} 行的公式过于复杂" in page and "失败" in page and "重新导出" in page

    # the same worker pool exports the next standard: nothing died with the formula
    fine = wait_until_finished(
        drafter_client, ask(drafter_client, szyl.standard, 2, "pdf").get_json()["status_url"]
    )
    assert fine["status"] == "done", fine
    assert drafter_client.get(fine["download_url"]).data.startswith(b"%PDF")


def test_the_command_line_exits_2_with_the_line_of_the_formula_not_139(tmp_path):
    text, line = in_scope_clause(example_text("community-care"), NESTED_FORMULA)
    source = tmp_path / "nested.md"
    source.write_text(text, encoding="utf-8")
    command = [sys.executable, str(ROOT / "stdforge.py"), "export", str(source), "--to", "pdf"]

    crashed = subprocess.run(
        [*command, "-o", str(tmp_path / "nested.pdf")], capture_output=True, text=True, cwd=ROOT
    )
    assert crashed.returncode == 2, (crashed.returncode, crashed.stderr)
    assert f"The formula on line {line} is too complex to typeset" in crashed.stderr
    assert "Traceback" not in crashed.stderr and not (tmp_path / "nested.pdf").exists()

    source.write_text(example_text("community-care"), encoding="utf-8")
    fine = subprocess.run(
        [*command, "-o", str(tmp_path / "fine.pdf")], capture_output=True, text=True, cwd=ROOT
    )
    assert fine.returncode == 0, fine.stderr
    assert (tmp_path / "fine.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("app_config", [{"EXPORT_RUNNER": "sync"}], indirect=True)
def test_an_export_that_outgrows_the_memory_cap_is_stopped_and_says_so(drafter_client, szyl, monkeypatch):
    # a small machine's setting: an ordinary standard needs about 100 MB of data; under an
    # address-space cap it needed 256 MB here and more on a machine with more fonts or cores
    monkeypatch.setattr(exports.typeset, "MEMORY_LIMIT_MB", 192)
    flood, _ = in_scope_clause(example_text("community-care-v2"), FORMULA_FLOOD)
    number = save_text(szyl, flood)  # uncapped, typst grows past 500 MB on it

    stopped = ask(drafter_client, szyl.standard, number, "pdf").get_json()
    assert stopped["status"] == "failed"
    assert "无法排版 PDF" in stopped["error"] and "192 MB" in stopped["error"], stopped["error"]

    fine = ask(drafter_client, szyl.standard, 2, "pdf").get_json()  # an ordinary standard fits the cap
    assert fine["status"] == "done", fine


@pytest.mark.parametrize(
    "app_config", [{"EXPORT_RUNNER": "thread", "EXPORT_HEARTBEAT_SECONDS": 0.2}], indirect=True
)
def test_a_typesetting_past_its_time_is_stopped_and_its_job_beats_meanwhile(
    drafter_client, szyl, monkeypatch
):
    monkeypatch.setattr(exports.typeset, "TIME_LIMIT", 3)
    flood, _ = in_scope_clause(example_text("community-care-v2"), FORMULA_FLOOD)
    number = save_text(szyl, flood)  # about 7 s of typst

    asked = ask(drafter_client, szyl.standard, number, "pdf").get_json()
    beats, deadline = set(), time.monotonic() + 60
    while len(beats) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
        db.session.commit()  # a fresh read of the row
        job = db.session.get(ExportJob, asked["id"])
        if job.status_enum.finished:
            break
        if job.step == "typst":
            beats.add(job.updated_at)
    assert len(beats) >= 4, "the job's row was not touched while typst ran"

    stopped = wait_until_finished(drafter_client, asked["status_url"])
    assert stopped["status"] == "failed" and "超过 3 秒" in stopped["error"], stopped["error"]


def test_an_interrupted_job_says_so_on_its_page_and_runs_again_at_once(app, drafter_client, szyl):
    first = szyl.standard.revisions[0]
    lost = ExportJob(
        standard=szyl.standard,
        revision=first,
        format="sts",
        template_version=TEMPLATE_VERSION,
        cache_key=job_cache_key(
            f"revision:{first.id}", "sts", TEMPLATE_VERSION, figures=figures_digest(szyl.standard)
        ),
        status="running",
        progress=1,
        step="start",
        warnings=[],
        created_at=utcnow() - timedelta(minutes=20),
        updated_at=utcnow() - timedelta(minutes=10),  # its worker died ten minutes ago
    )
    db.session.add(lost)
    db.session.commit()

    page = drafter_client.get(f"/exports/{lost.id}").get_data(as_text=True)
    assert "已中断" in page and "导出已中断" in page and "重新导出" in page
    assert 'http-equiv="refresh"' not in page  # it stops waiting for a job that will not finish

    again = drafter_client.post(
        f"/standards/{szyl.standard.id}/exports",
        data={"revision": "1", "format": "sts"},
        headers={"Accept": "application/json"},
    ).get_json()
    assert again["id"] != lost.id
    assert wait_until_finished(drafter_client, again["status_url"])["status"] == "done"


def test_a_failed_job_page_runs_it_again_from_its_button(app, drafter_client, szyl):
    first, second = szyl.standard.revisions[0], szyl.standard.revisions[1]
    failed = ExportJob(
        standard=szyl.standard,
        revision=second,
        base_revision=first,
        format="html",
        template_version=TEMPLATE_VERSION,
        cache_key=job_cache_key(
            f"revision:{second.id}", "html", TEMPLATE_VERSION, base_hash=f"revision:{first.id}"
        ),
        status="failed",
        progress=40,
        step="failed",
        error_zh="排版程序异常终止",
        error_en="the typesetter stopped",
        warnings=[],
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(failed)
    db.session.commit()

    page = drafter_client.get(f"/exports/{failed.id}").get_data(as_text=True)
    assert "失败" in page and "排版程序异常终止" in page
    form = page[page.index('class="export-form export-retry"') :]
    assert 'name="base" value="1"' in form and 'name="revision" value="2"' in form
    assert 'name="format" value="html"' in form

    again = drafter_client.post(
        f"/standards/{szyl.standard.id}/exports", data={"revision": "2", "base": "1", "format": "html"}
    )
    assert again.status_code == 303
    new_page = drafter_client.get(again.headers["Location"])
    assert f"/exports/{failed.id}" not in again.headers["Location"]
    assert "排版程序异常终止" not in new_page.get_data(as_text=True)


def test_the_formula_to_blame_is_the_paragraph_nested_deepest_and_plain_text_blames_none():
    from exports.pdf import deepest_nesting_line

    deep = "$$\n" + "\\frac{" * 50 + "\n" + "x" + "}{2}" * 50 + "\n$$"
    text = f"# 范围\n\n本文件规定了 $\\frac{{a}}{{b}}$。\n\n{deep}\n\n\\{{" + "\\{" * 80 + "\n"
    assert deepest_nesting_line(text) == 5  # where its paragraph starts; escaped braces do not count
    assert deepest_nesting_line("# 范围\n\n" + "{}" * 10_000) is None
