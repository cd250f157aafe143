"""Exports beside other writers on the embedded SQLite file: a PDF and a redline at once, saves meanwhile.

Real threads on a real SQLite file in WAL mode, exports on the in-process pool (two workers), as
`make run` serves them. Before the jobs kept their transactions short, a job read in one transaction
and wrote its progress in the same one, which SQLite refuses at once ("database is locked", the busy
timeout does not apply) when another writer committed in between.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from app_testing import login
from app_world import ask, wait_until_finished

from authoring.examples import example_text

pytestmark = pytest.mark.slow


@pytest.fixture
def app_config():
    return {"EXPORT_RUNNER": "thread", "EXPORT_WORKERS": 2}


def _client(app: Any, user: Any) -> Any:
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _in_threads(*work: Any) -> list[Any]:
    """Run each callable in a thread of its own, all released at once; their results in order."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(index: int, function: Any) -> None:
        start.wait()
        try:
            results[index] = function()
        except BaseException as error:  # the assertion below names it
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return results


def test_a_pdf_and_a_redline_at_once_both_finish_while_the_drafter_saves(app, szyl):
    pdf_client, redline_client = _client(app, szyl.member), _client(app, szyl.secretariat)
    saver = _client(app, szyl.drafter)
    standard_id = szyl.standard.id
    text = example_text("community-care-v2")
    exports_finished = threading.Event()

    def export(client: Any, fmt: str, base: int | None) -> dict[str, Any]:
        answer = ask(client, szyl.standard, 2, fmt, base=base)
        assert answer.status_code in (200, 202), answer.get_data(as_text=True)[:500]
        return wait_until_finished(client, answer.get_json()["status_url"], timeout=150)

    def exports() -> tuple[dict[str, Any], dict[str, Any]]:
        both = _in_threads(lambda: export(pdf_client, "pdf", None), lambda: export(redline_client, "docx", 1))
        exports_finished.set()
        return tuple(both)

    def saves() -> list[int]:
        statuses, base, round_ = [], 2, 0
        while not exports_finished.is_set() and round_ < 60:
            round_ += 1
            answer = saver.post(
                f"/standards/{standard_id}/save",
                json={"text": f"{text}\n\n<!-- 第 {round_} 次保存 -->\n", "base_revision": base},
                headers={"Accept": "application/json"},
            )
            statuses.append(answer.status_code)
            if answer.status_code == 200:
                base = answer.get_json()["revision"]
        return statuses

    (pdf, redline), statuses = _in_threads(exports, saves)
    assert pdf["status"] == "done", pdf
    assert redline["status"] == "done", redline
    assert pdf["filename"].endswith(".pdf") and redline["filename"].endswith(".docx")
    assert len(statuses) >= 2, "the saves did not run beside the exports"
    assert all(status == 200 for status in statuses), statuses
