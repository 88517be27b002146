"""Label Studio labeling configs (the XML of *Settings > Labeling Interface*) for weaklabel's tasks.

Use these with :mod:`weaklabel.export.label_studio`: each config shows the task fields
that module writes and names the tags whose answers :mod:`weaklabel.export.label_studio_read`
reads back, for three kinds of project -- text classification (``Choices``), span
labeling (``Labels``) and Label Studio's *Supervised LLM fine-tuning* template (a
``TextArea`` answering a prompt). Pass the XML as ``label_config`` to
``POST /api/projects``, or paste it into the project settings.

The XML is built with :mod:`xml.etree.ElementTree`, so label names with quotes,
ampersands or angle brackets are escaped correctly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from weaklabel.errors import ParameterError
from weaklabel.export._errors import Errors

__all__ = ["check_names", "classification_config", "fine_tuning_config", "span_config"]


def check_names(labels: Iterable[str], *, minimum: int, what: str) -> list[str]:
    """``labels`` as a list of at least ``minimum`` distinct, non-empty names."""
    if isinstance(labels, str):
        raise ParameterError(
            Errors.E060.format(name=what, param="labels", expected="a list of names", value=labels)
        )
    names = [str(n) for n in labels]
    if len(names) < minimum or len(set(names)) != len(names) or not all(names):
        raise ParameterError(
            Errors.E060.format(
                name=what,
                param="labels",
                expected=f"at least {minimum} distinct non-empty names",
                value=names,
            )
        )
    return names


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode") + "\n"


def classification_config(
    labels: Iterable[str],
    *,
    text_field: str = "text",
    from_name: str = "label",
    to_name: str = "text",
    header: str | None = None,
) -> str:
    """The labeling config of a single-label text classification project.

    Parameters
    ----------
    labels : iterable of str
        The class names in id order (a :class:`~weaklabel.labels.LabelSpace`'s ``names``).
    text_field : str, default "text"
        The task data field that holds the text.
    from_name, to_name : str
        Names of the ``Choices`` and ``Text`` tags; the readers need the same ``from_name``.
    header : str, optional
        A line shown above the choices.

    Returns
    -------
    str
        The XML, e.g. ``<View><Text name="text" value="$text"/><Choices ...>``.
    """
    names = check_names(labels, minimum=2, what="classification_config")
    root = ET.Element("View")
    ET.SubElement(root, "Text", name=to_name, value=f"${text_field}")
    if header:
        ET.SubElement(root, "Header", value=header)
    choices = ET.SubElement(
        root, "Choices", name=from_name, toName=to_name, choice="single", showInLine="true"
    )
    for name in names:
        ET.SubElement(choices, "Choice", value=name)
    return _xml(root)


def span_config(
    labels: Iterable[str],
    *,
    text_field: str = "text",
    from_name: str = "label",
    to_name: str = "text",
) -> str:
    """The labeling config of a span labeling (named entity) project.

    Parameters
    ----------
    labels : iterable of str
        The entity types, e.g. ``TokenMatrix.entity_types``.
    text_field, from_name, to_name : str
        As in :func:`classification_config`; ``from_name`` names the ``Labels`` tag.

    Returns
    -------
    str
        The XML: a ``Labels`` tag with one ``Label`` per type, over a ``Text`` tag.
    """
    names = check_names(labels, minimum=1, what="span_config")
    root = ET.Element("View")
    tags = ET.SubElement(root, "Labels", name=from_name, toName=to_name)
    for name in names:
        ET.SubElement(tags, "Label", value=name)
    ET.SubElement(root, "Text", name=to_name, value=f"${text_field}")
    return _xml(root)


def fine_tuning_config(
    *, prompt_field: str = "prompt", from_name: str = "instruction", to_name: str = "prompt"
) -> str:
    """The labeling config of Label Studio's *Supervised LLM fine-tuning* template.

    The annotator reads the prompt and writes (or corrects) the response; the defaults
    are the template's own names, so projects created from the template read back too.

    Parameters
    ----------
    prompt_field : str, default "prompt"
        The task data field that holds the prompt.
    from_name, to_name : str
        Names of the ``TextArea`` (the response) and of the ``Text`` showing the prompt.

    Returns
    -------
    str
        The XML.
    """
    root = ET.Element("View")
    ET.SubElement(root, "Text", name=to_name, value=f"${prompt_field}")
    ET.SubElement(
        root,
        "TextArea",
        name=from_name,
        toName=to_name,
        maxSubmissions="1",
        editable="true",
        required="true",
        requiredMessage="You must provide the response to the prompt",
        placeholder="Type your answer here...",
        rows="10",
    )
    return _xml(root)
