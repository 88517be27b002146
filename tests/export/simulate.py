"""Simulated Label Studio exports: what Label Studio returns for tasks and annotations.

``json_export`` builds the JSON export (a snapshot with whole predictions, or the quick
export with prediction ids only) from imported tasks and the annotators' results;
``json_min_export`` turns it into JSON_MIN the way Label Studio's converter does
(``label_studio_sdk.converter``: cancelled annotations dropped, newest annotation first,
one record per annotation, a task nobody annotated as one record with ``annotator: null``,
a single choice or text as a plain string). The real-server test checks the same readers
on Label Studio's own output.
"""

from __future__ import annotations

import copy
from typing import Any

Result = list[dict[str, Any]]


def choice(name: str, from_name: str = "label", to_name: str = "text") -> Result:
    """A classification answer."""
    value = {"choices": [name]}
    return [{"from_name": from_name, "to_name": to_name, "type": "choices", "value": value}]


def spans(text: str, triples: Any, from_name: str = "label", to_name: str = "text") -> Result:
    """A span labeling answer from ``(start, end, label)`` triples."""
    return [
        {
            "from_name": from_name,
            "to_name": to_name,
            "type": "labels",
            "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]},
        }
        for s, e, label in triples
    ]


def response(text: str, from_name: str = "instruction", to_name: str = "prompt") -> Result:
    """A fine-tuning answer."""
    return [
        {"from_name": from_name, "to_name": to_name, "type": "textarea", "value": {"text": [text]}}
    ]


def json_export(
    tasks: list[dict[str, Any]],
    answers: dict[int | str, list[Result | None]],
    *,
    cancelled: dict[int | str, list[int]] | None = None,
    ground_truth: dict[int | str, list[int]] | None = None,
    prediction_ids_only: bool = False,
) -> list[dict[str, Any]]:
    """The JSON export of a project with ``tasks`` imported and ``answers`` submitted.

    ``answers[annotator][i]`` is that annotator's result for task ``i`` (``None``: no
    annotation); ``cancelled[annotator]`` lists tasks the annotator skipped.
    """
    out = []
    next_id = 1
    clock = 0
    for i, task in enumerate(tasks):
        entry: dict[str, Any] = {"id": 100 + i, "data": copy.deepcopy(task["data"])}
        predictions = copy.deepcopy(task.get("predictions", []))
        for k, p in enumerate(predictions):
            p["id"] = 500 + 10 * i + k
        entry["predictions"] = (
            [p["id"] for p in predictions] if prediction_ids_only else predictions
        )
        annotations = []
        for who, results in answers.items():
            skipped = i in (cancelled or {}).get(who, [])
            if results[i] is None and not skipped:
                continue
            clock += 1
            annotations.append(
                {
                    "id": next_id,
                    "completed_by": who,
                    "result": [] if skipped else copy.deepcopy(results[i]),
                    "was_cancelled": skipped,
                    "ground_truth": i in (ground_truth or {}).get(who, []),
                    "created_at": f"2026-01-01T00:00:{clock:02d}Z",
                    "updated_at": f"2026-01-01T00:00:{clock:02d}Z",
                    "lead_time": 1.5,
                }
            )
            next_id += 1
        entry["annotations"] = annotations
        out.append(entry)
    return out


_TAGS = {"choices": "Choices", "labels": "Labels", "textarea": "TextArea"}


def json_min_export(export: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON_MIN of a JSON export, as Label Studio's converter writes it."""
    records = []
    for task in export:
        annotations = task["annotations"]
        if not annotations:
            records.append({**copy.deepcopy(task["data"]), "id": task["id"], **_meta(None)})
            continue
        kept = [a for a in annotations if not a.get("was_cancelled")]
        for annotation in sorted(kept, key=lambda a: a["created_at"], reverse=True):
            record = {**copy.deepcopy(task["data"]), "id": task["id"]}
            outputs: dict[str, list[dict[str, Any]]] = {}
            for region in annotation["result"]:
                value = copy.deepcopy(region["value"])
                value["type"] = _TAGS[region["type"]]
                outputs.setdefault(region["from_name"], []).append(value)
            for name, values in outputs.items():
                record[name] = _prettify(values)
            record.update(_meta(annotation))
            records.append(record)
    return records


def _meta(annotation: dict[str, Any] | None) -> dict[str, Any]:
    a = annotation or {}
    return {
        "annotator": a.get("completed_by"),
        "annotation_id": a.get("id"),
        "created_at": a.get("created_at"),
        "updated_at": a.get("updated_at"),
        "lead_time": a.get("lead_time"),
    }


def _prettify(values: list[dict[str, Any]]) -> Any:
    out: list[Any] = []
    tag = None
    for value in values:
        tag = value.pop("type")
        if tag == "Choices" and len(value["choices"]) == 1:
            out.append(value["choices"][0])
        elif tag == "TextArea" and len(value["text"]) == 1:
            out.append(value["text"][0])
        else:
            out.append(value)
    return out[0] if tag in ("Choices", "TextArea") and len(out) == 1 else out
