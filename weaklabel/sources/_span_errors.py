"""Error messages of span labeling (codes E500-E599, W500-W599), numbered so they can be grepped.

Use this catalogue from the span modules only: span sources and gazetteers
(:mod:`weaklabel.sources.spans`, :mod:`weaklabel.sources.gazetteer`), token matrices
(:mod:`weaklabel.tokens`), the span applier, the CoNLL reader and the span analysis. Every
message names the source, the document (by its position in the list) and the token when
there is one, and says how to fix the problem. Raise them with the exception classes of
:mod:`weaklabel.errors` (``SourceError``, ``ParameterError``, ``DatasetError``).
"""

from __future__ import annotations

from weaklabel.errors import ErrorCatalogue

__all__ = ["Errors"]


class Errors(metaclass=ErrorCatalogue):
    """The catalogue of span messages (format them with ``.format(**fields)``)."""

    # --- span sources ------------------------------------------------------------------
    E500 = (
        "Span source {source!r} returned {value} on doc {doc} ({n_tokens} tokens). A span "
        "source returns (start, end, label) token offsets with 0 <= start < end <= "
        "len(doc) and a non-empty str label, or spaCy Span objects of that doc."
    )
    E501 = (
        "Span source {source!r} raised {exc_type} on doc {doc}: {exc}\n  doc: {preview}\n"
        "Fix the source, or pass fault_tolerant=True to count such errors and leave the "
        "doc without spans from this source."
    )
    E502 = (
        "{what} is not a span source. Pass a weaklabel span source (span_function, "
        "regex_spans, gazetteer_source, lexicon_spans, SpacyNERSource, doc_function), a "
        "skweak annotator, or a callable Doc -> Doc with a `.name` that writes "
        "doc.spans[name]."
    )
    E503 = "Two span sources share the name {name!r}; every source needs a unique name."
    E504 = (
        "Source {source!r} ran on doc {doc} but did not write doc.spans[{source!r}]. A "
        "Doc -> Doc callable must store its spans under its own name (as skweak annotators "
        "do); wrap a function that returns spans with @span_function() instead."
    )
    E505 = (
        "Doc {doc} has no doc.spans[{name!r}]; its span groups are {keys}. Apply the "
        "source first (apply_spans([...], docs)) or check the source name."
    )
    E506 = (
        "Span sources run on spaCy Doc objects; item {index} is a {kind}. Build Docs with "
        "nlp.pipe(texts) or Doc(nlp.vocab, words=tokens) (nlp = spacy.blank('en') needs "
        "no download)."
    )
    E507 = (
        "Span labeling needs spaCy, which is not installed. Install it with "
        '`pip install "weaklabel[spans]"`.'
    )
    E508 = "Source {source!r}: {problem}"
    E509 = (
        "Source {source!r}: the pattern {pattern!r} does not compile: {exc}. Fix the "
        "regular expression."
    )

    # --- BIO tags and token matrices -------------------------------------------------------
    E510 = (
        "Unknown tag {tag!r} at token {token} of doc {doc}{where}. Tags are 'O' or "
        "'B-X'/'I-X' with X among the entity types {types}; pass entity_types=[...] to "
        "include more."
    )
    E511 = (
        "Doc {doc} has {n_tokens} tokens but {n_tags} {what} were given for it; give one per token."
    )
    E512 = (
        "Invalid entity types {types}: {problem}. Entity types are distinct, non-empty "
        "strings other than 'O' (e.g. ['Chemical', 'Disease'])."
    )
    E513 = (
        "The weak labels of doc {doc} have shape {shape}; expected ({n_tokens}, "
        "{n_sources}): one row per token and one column per source."
    )
    E514 = (
        "The weak labels of doc {doc} hold the tag id {value}, outside 0 .. {max_id} (the "
        "ids of {tag_names})."
    )
    E515 = "Got {n_docs} docs but {n_values} {what}; give exactly one per doc."
    E516 = (
        "The probabilities of doc {doc} have shape {shape}; expected ({n_tokens}, {n_tags}): "
        "one row per token and one column per tag of {tag_names}."
    )
    E517 = (
        "Got {n_names} source names for weak labels with {n_columns} columns; give one "
        "name per column."
    )
    E518 = "No source named {name!r}; the token matrix has {names}."
    E519 = (
        "Tag ids need tag names to be turned into spans: pass tag_names=[...] (e.g. "
        "TokenMatrix.tag_names) or give tags as strings."
    )

    # --- gazetteers --------------------------------------------------------------------------
    E520 = "No gazetteer file at {path}. Check the path (JSONL or TSV, see gazetteers/README.md)."
    E521 = "Line {line} of {path}: {problem}"
    E522 = (
        "Unknown built-in gazetteer {name!r}; the package ships {names}. Load your own list "
        "with Gazetteer.from_file(path)."
    )
    E523 = "Gazetteer record {index}: {problem}"
    E524 = (
        "Cannot tell the format of {path}: name it *.jsonl (one JSON object per line) or "
        "*.tsv (entry<TAB>label[<TAB>alias|alias...]), or pass format='jsonl'/'tsv'."
    )
    E525 = (
        "The built-in gazetteer files are missing: looked in {places}. Reinstall weaklabel, "
        "or in a checkout run `python gazetteers/build.py`."
    )

    # --- CoNLL files -------------------------------------------------------------------------
    E540 = "Line {line} of {path}: {problem}"
    E541 = (
        "Token {token!r} (token {index} of doc {doc}) contains whitespace, which the CoNLL "
        "format cannot hold. Retokenize, or replace the whitespace (e.g. with '_')."
    )
    E542 = "No CoNLL file at {path}."

    # --- analysis ------------------------------------------------------------------------
    E550 = (
        "Gold spans: {problem}. Pass the name of a span group on the docs (e.g. 'gold'), "
        "'ents' for doc.ents, one list of (start, end, label) spans per doc, or one list of "
        "BIO tags per doc."
    )

    # --- warnings ------------------------------------------------------------------------
    W500 = (
        "Some span sources raised and were counted as empty ({summary}). See "
        "TokenMatrix.fault_counts; rerun with fault_tolerant=False to see the error."
    )
