"""A real Label Studio server: weaklabel's configs and tasks in, two annotators' answers out.

One server (module fixture) runs on 127.0.0.1 from Label Studio's own virtual environment,
with its data in a temporary folder. For each kind of project -- classification, spans,
supervised LLM fine-tuning -- the test creates the project from weaklabel's config over
REST, imports weaklabel's tasks (with predictions), submits annotations from two users
through the annotations API, exports (quick JSON, JSON_MIN, and a snapshot with whole
predictions) and reads everything back with weaklabel: offsets, labels and scores intact.

``WEAKLABEL_LABEL_STUDIO`` names the ``label-studio`` executable (``.ci/run`` installs it
into a virtual environment of its own: its pins clash with ours). Without it the test
skips on a developer's machine and fails in CI (``CI=true``). The first start migrates a
fresh SQLite database, which takes two to three minutes.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from weaklabel.export import (
    annotator_matrix,
    classification_config,
    classification_tasks,
    fine_tuning_config,
    fine_tuning_tasks,
    gold_labels,
    gold_spans,
    prompt_response_pairs,
    read_predictions,
    span_config,
    span_tasks,
    write_tasks,
)

pytestmark = pytest.mark.slow

ENV_VAR = "WEAKLABEL_LABEL_STUDIO"
START_TIMEOUT = 600.0  # seconds; the first start migrates the database


@dataclass
class Server:
    """A running Label Studio: its URL, an API token, and the two annotators' user ids."""

    url: str
    token: str
    log: Path
    annotators: tuple[int, int] = (0, 0)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:2000]
            raise AssertionError(f"{method} {path} -> HTTP {exc.code}: {detail}") from None
        return json.loads(raw) if raw else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _executable() -> Path:
    value = os.environ.get(ENV_VAR)
    if not value:
        reason = (
            f"{ENV_VAR} is not set: point it at the label-studio executable of its own "
            "virtualenv (python -m venv V && V/bin/pip install label-studio; "
            f"{ENV_VAR}=V/bin/label-studio) to run the real Label Studio round trip"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Label Studio round trip, but {reason}")
        pytest.skip(reason)
    path = Path(value)
    if not path.is_file():
        pytest.fail(f"{ENV_VAR}={value} is not a file")
    return path


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else ""


def _wait_until_up(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"label-studio exited with {process.returncode}:\n{_tail(server.log)}")
        try:
            with urllib.request.urlopen(server.url + "/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    pytest.fail(
        f"label-studio did not answer /health in {START_TIMEOUT:.0f} s:\n{_tail(server.log)}"
    )


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    executable = _executable()
    folder = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    token = secrets.token_hex(20)
    env = {
        **os.environ,
        "LABEL_STUDIO_USERNAME": "weaklabel@example.com",
        "LABEL_STUDIO_PASSWORD": secrets.token_hex(12),
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_BASE_DATA_DIR": str(folder / "data"),
        "LATEST_VERSION_CHECK": "false",
    }
    server = Server(f"http://127.0.0.1:{port}", token, folder / "server.log")
    command = [str(executable), "start", "--no-browser", "--internal-host", "127.0.0.1"]
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [*command, "-p", str(port)],
            env=env,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        _wait_until_up(server, process)
        me = server.call("GET", "/api/current-user/whoami")
        other = server.call(
            "POST", "/api/users/", {"email": "second@example.com", "username": "second"}
        )
        server.annotators = (int(me["id"]), int(other["id"]))
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group (it may have exited on its own already)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


# ------------------------------------------------------------------------------ helpers
def _project(
    server: Server, title: str, config: str, tasks_file: Path
) -> tuple[int, dict[int, int]]:
    """Create a project, import the task file; returns its id and row -> task id."""
    project = server.call("POST", "/api/projects", {"title": title, "label_config": config})
    pid = int(project["id"])
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    imported = server.call("POST", f"/api/projects/{pid}/import", tasks)
    assert imported["task_count"] == len(tasks)
    assert imported["prediction_count"] == sum(len(t.get("predictions", [])) for t in tasks)
    listed = server.call("GET", f"/api/tasks?project={pid}&page_size=1000")
    return pid, {t["data"]["row"]: int(t["id"]) for t in listed["tasks"]}


def _annotate(server: Server, task: int, who: int, result: list[Any], cancel: bool = False) -> None:
    body = {"result": result, "completed_by": who, "was_cancelled": cancel}
    created = server.call("POST", f"/api/tasks/{task}/annotations/", body)
    assert created["completed_by"] == who


def _exports(server: Server, pid: int) -> dict[str, Any]:
    """The quick JSON and JSON_MIN exports, and a snapshot's JSON with whole predictions."""
    out = {
        kind: server.call("GET", f"/api/projects/{pid}/export?exportType={kind}")
        for kind in ("JSON", "JSON_MIN")
    }
    options = {"predictions": {"only_id": False}}
    snapshot = server.call(
        "POST",
        f"/api/projects/{pid}/exports/",
        {"title": "weaklabel", "serialization_options": options},
    )
    for _ in range(120):
        info = server.call("GET", f"/api/projects/{pid}/exports/{snapshot['id']}")
        if info["status"] in ("completed", "failed"):
            break
        time.sleep(0.5)
    assert info["status"] == "completed", info
    out["snapshot"] = server.call(
        "GET", f"/api/projects/{pid}/exports/{snapshot['id']}/download?exportType=JSON"
    )
    return out


def _choice(name: str) -> list[dict[str, Any]]:
    return [
        {"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": [name]}}
    ]


# ------------------------------------------------------------------------------ tests
def test_label_studio_server_classification_round_trip(
    label_studio: Server, tmp_path: Path
) -> None:
    labels = ["HAM", "SPAM", "ÉGGS ☃"]
    texts = ["check out my channel 😀", "nice song", "señor, subscribe!!!", "first", "meh"]
    rows = [12, 3, 7, 0, 5]
    proba = np.array(
        [
            [0.1, 0.7, 0.2],
            [0.8, 0.15, 0.05],
            [0.25, 0.35, 0.4],
            [1 / 3, 1 / 3, 1 / 3],
            [0.5, 0.2, 0.3],
        ]
    )
    tasks = classification_tasks(texts, labels, proba=proba, rows=rows, model_version="lm 0.1")
    path = write_tasks(tasks, tmp_path / "classification.json")
    pid, task_of = _project(
        label_studio, "weaklabel classification", classification_config(labels), path
    )
    first, second = label_studio.annotators
    answers = {12: ("SPAM", "SPAM"), 3: ("HAM", "SPAM"), 7: ("ÉGGS ☃", None), 0: (None, "HAM")}
    for row, (a, b) in answers.items():
        if a is not None:
            _annotate(label_studio, task_of[row], first, _choice(a))
        if b is not None:
            _annotate(label_studio, task_of[row], second, _choice(b))
    _annotate(label_studio, task_of[5], second, [], cancel=True)  # skipped: not a label
    exports = _exports(label_studio, pid)

    expected_first = {12: 1, 3: 0, 7: 2}
    expected_second = {12: 1, 3: 1, 0: 0}
    for kind in ("JSON", "JSON_MIN", "snapshot"):
        L = annotator_matrix(exports[kind], labels, n_rows=13)
        assert L.shape == (13, 2), kind
        columns = {name: L.values[:, j] for j, name in enumerate(L.source_names)}
        for who, expected in ((first, expected_first), (second, expected_second)):
            column = np.full(13, -1)
            column[list(expected)] = list(expected.values())
            assert columns[str(who)].tolist() == column.tolist(), (kind, who)
        y = gold_labels(exports[kind], labels, n_rows=13)
        assert y[[12, 3, 7, 0, 5]].tolist() == [1, -1, 2, 0, -1], kind

    predictions = read_predictions(exports["snapshot"], "classification", labels=labels)
    got = {p.row: (p.value, p.score, p.model_version) for p in predictions}
    assert got == {
        r: (labels[int(proba[i].argmax())], float(proba[i].max()), "lm 0.1")
        for i, r in enumerate(rows)
    }


def test_label_studio_server_spans_round_trip(label_studio: Server, tmp_path: Path) -> None:
    texts = ["Zoë 😀 met Ada Lovelace in Zürich.", "nothing to see", "Grace → Paris"]
    predicted = [
        [(0, 3, "PER", 0.91), (10, 22, "PER", 0.64), (26, 32, "LOC", 0.5)],
        [],
        [(0, 5, "PER", 0.75), (8, 13, "LOC", 0.875)],
    ]
    tasks = span_tasks(texts, spans=predicted, labels=["PER", "LOC"], rows=[2, 0, 1])
    path = write_tasks(tasks, tmp_path / "spans.json")
    config = span_config(["PER", "LOC"])
    pid, task_of = _project(label_studio, "weaklabel spans", config, path)
    first, second = label_studio.annotators
    by_first = {2: [(0, 3, "PER"), (10, 22, "PER"), (26, 32, "LOC")], 0: [], 1: [(0, 5, "PER")]}
    by_second = {2: [(0, 3, "PER"), (14, 22, "PER"), (26, 32, "LOC")], 1: [(0, 5, "PER")]}
    text_of = {2: texts[0], 0: texts[1], 1: texts[2]}
    for who, answers in ((first, by_first), (second, by_second)):
        for row, spans in answers.items():
            result = [
                {
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "value": {"start": s, "end": e, "text": text_of[row][s:e], "labels": [label]},
                }
                for s, e, label in spans
            ]
            _annotate(label_studio, task_of[row], who, result)
    exports = _exports(label_studio, pid)

    for kind in ("JSON", "JSON_MIN", "snapshot"):
        export = exports[kind]
        assert gold_spans(export, annotator=first, labels=["PER", "LOC"]) == [
            by_first[0],
            by_first[1],
            sorted(by_first[2]),
        ], kind
        assert gold_spans(export, annotator=second) == [None, by_second[1], sorted(by_second[2])]
        assert gold_spans(export) == [[], [(0, 5, "PER")], [(0, 3, "PER"), (26, 32, "LOC")]]

    predictions = {p.row: p for p in read_predictions(exports["snapshot"], "spans")}
    for i, row in enumerate([2, 0, 1]):
        assert list(predictions[row].value) == [s[:3] for s in predicted[i]]
        assert list(predictions[row].region_scores) == [s[3] for s in predicted[i]]
        assert predictions[row].score == min((s[3] for s in predicted[i]), default=None)


def test_label_studio_server_fine_tuning_round_trip(label_studio: Server, tmp_path: Path) -> None:
    prompts = ["Summarise: the cat sat.", "Translate «merci» to English"]
    drafts = ["A cat sat.", None]
    tasks = fine_tuning_tasks(prompts, drafts, scores=[0.3, None])
    path = write_tasks(tasks, tmp_path / "fine_tuning.json")
    pid, task_of = _project(label_studio, "weaklabel fine-tuning", fine_tuning_config(), path)
    first, second = label_studio.annotators
    written = {(0, first): "The cat sat down. 🐈", (1, first): "thank you", (1, second): "thanks"}
    for (row, who), text in written.items():
        result = [
            {
                "from_name": "instruction",
                "to_name": "prompt",
                "type": "textarea",
                "value": {"text": [text]},
            }
        ]
        _annotate(label_studio, task_of[row], who, result)
    exports = _exports(label_studio, pid)

    for kind in ("JSON", "JSON_MIN", "snapshot"):
        pairs = prompt_response_pairs(exports[kind])
        got = {(p.row, int(p.annotator)): (p.prompt, p.response) for p in pairs}
        assert got == {(r, w): (prompts[r], t) for (r, w), t in written.items()}, kind

    predictions = read_predictions(exports["snapshot"], "fine_tuning")
    assert [(p.row, p.value, p.score, p.model_version) for p in predictions] == [
        (0, "A cat sat.", 0.3, "weaklabel")
    ]
