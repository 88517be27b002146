"""Writers and readers of the formats weaklabel hands data over in: Label Studio for now.

Use this stage to send rows to people and bring their answers back:

- :mod:`weaklabel.export.label_studio_config`: the labeling-config XML of a Label Studio
  project (text classification, span labeling, supervised LLM fine-tuning);
- :mod:`weaklabel.export.label_studio`: the tasks to import, each with its row and the
  model's guess (``model_version`` and ``score``), written atomically by
  :func:`write_tasks`;
- :mod:`weaklabel.export.label_studio_read`: exports (JSON and JSON_MIN) read back into
  gold labels, an annotator label matrix, spans, prompt/response pairs or predictions,
  every field checked.

Importing this package loads neither pandas nor spaCy (docs are read by duck typing).
"""

from __future__ import annotations

from weaklabel.errors import ExportError
from weaklabel.export.label_studio import (
    CharSpan,
    classification_tasks,
    fine_tuning_tasks,
    span_tasks,
    write_tasks,
)
from weaklabel.export.label_studio_config import (
    classification_config,
    fine_tuning_config,
    span_config,
)
from weaklabel.export.label_studio_read import (
    Prediction,
    PromptResponse,
    annotator_matrix,
    gold_labels,
    gold_spans,
    prompt_response_pairs,
    read_predictions,
)

__all__ = [
    "CharSpan",
    "ExportError",
    "Prediction",
    "PromptResponse",
    "annotator_matrix",
    "classification_config",
    "classification_tasks",
    "fine_tuning_config",
    "fine_tuning_tasks",
    "gold_labels",
    "gold_spans",
    "prompt_response_pairs",
    "read_predictions",
    "span_config",
    "span_tasks",
    "write_tasks",
]
