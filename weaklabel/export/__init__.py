"""Writers and readers of the formats weaklabel hands data over in.

Use this stage to write training and fine-tuning files, each with a reader:

- :mod:`weaklabel.export.chat`: chat-messages JSONL (and prompt/completion) for supervised
  fine-tuning, with templates, explanations and confidence weighting;
- :mod:`weaklabel.export.validate`: a check of such files for what fine-tuning services
  reject, with per-example token counts;
- :mod:`weaklabel.export.hf`: Hugging Face ``datasets`` (``ClassLabel``, probabilities,
  provenance), saved to disk;
- :mod:`weaklabel.export.docbin`: spaCy ``DocBin`` with span groups, span scores and
  ``doc.cats``;
- :mod:`weaklabel.export.conll`: CoNLL BIO files of character spans;
- :mod:`weaklabel.export.tables`: CSV and Parquet with ``p_<label>`` probabilities, spans
  and provenance;
- :mod:`weaklabel.export.splits`: leak-free train/valid/test files in any of these formats;

and to send rows to people and bring their answers back:

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
from weaklabel.export.chat import (
    ChatExportReport,
    chat_records,
    read_chat_jsonl,
    read_explanations,
    read_prompt_completion,
    write_chat_jsonl,
    write_prompt_completion,
)
from weaklabel.export.conll import read_conll_bio, write_conll_bio
from weaklabel.export.docbin import frame_to_docs, read_docbin, write_docbin
from weaklabel.export.hf import read_hf_dataset, to_hf_dataset, write_hf_dataset
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
from weaklabel.export.splits import (
    EXPORT_FORMATS,
    SplitReport,
    check_export_path,
    export_frame,
    write_splits,
)
from weaklabel.export.tables import labels_frame, read_labels_table, write_labels_table
from weaklabel.export.validate import ChatValidationReport, validate_chat_jsonl

__all__ = [
    "EXPORT_FORMATS",
    "CharSpan",
    "ChatExportReport",
    "ChatValidationReport",
    "ExportError",
    "Prediction",
    "PromptResponse",
    "SplitReport",
    "annotator_matrix",
    "chat_records",
    "check_export_path",
    "classification_config",
    "classification_tasks",
    "export_frame",
    "fine_tuning_config",
    "fine_tuning_tasks",
    "frame_to_docs",
    "gold_labels",
    "gold_spans",
    "labels_frame",
    "prompt_response_pairs",
    "read_chat_jsonl",
    "read_conll_bio",
    "read_docbin",
    "read_explanations",
    "read_hf_dataset",
    "read_labels_table",
    "read_predictions",
    "read_prompt_completion",
    "span_config",
    "span_tasks",
    "to_hf_dataset",
    "validate_chat_jsonl",
    "write_chat_jsonl",
    "write_conll_bio",
    "write_docbin",
    "write_hf_dataset",
    "write_labels_table",
    "write_prompt_completion",
    "write_splits",
    "write_tasks",
]
