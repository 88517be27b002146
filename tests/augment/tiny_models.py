"""Tiny, randomly initialised seq2seq models saved to disk, for offline tests.

:func:`save_tiny_seq2seq` trains a word-level tokenizer on a few sentences and saves it
with a 1-layer, 16-dimensional BART model, both with ``save_pretrained``; the code under
test then loads them with ``from_pretrained(path)``, exactly as it loads a real model.
The model's output is gibberish made of the training words, but it is real generation:
batching, beams, sampling and seeds behave as they do for MarianMT or NLLB.
"""

from __future__ import annotations

from pathlib import Path

SENTENCES = [
    "the cat sat on the mat",
    "a dog ran in the park",
    "she recommended two cars to her friends",
    "i love new york",
    "the committee approved the proposals",
    "paraphrase : good morning everyone",
    "el gato fr de la une",
]
SPECIAL = ["<pad>", "<s>", "</s>", "<unk>", "eng_Latn", "fra_Latn", "spa_Latn"]


def save_tiny_seq2seq(path: str | Path, *, seed: int = 0) -> Path:
    """Save a tiny tokenizer and a random tiny BART model in ``path``.

    Parameters
    ----------
    path : str or Path
        The directory (created if needed).
    seed : int, default=0
        Seeds the model's random weights.

    Returns
    -------
    Path
        ``path``, ready for ``from_pretrained``.
    """
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(SENTENCES, trainers.WordLevelTrainer(special_tokens=SPECIAL))
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", tok.token_to_id("</s>"))]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=64,
    )
    tokenizer.save_pretrained(path)
    vocab = tok.get_vocab_size()
    config = BartConfig(
        vocab_size=vocab,
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=160,  # above the default max_new_tokens (128)
        init_std=0.5,  # large weights, so that outputs depend on the input
        pad_token_id=tok.token_to_id("<pad>"),
        bos_token_id=tok.token_to_id("<s>"),
        eos_token_id=tok.token_to_id("</s>"),
        decoder_start_token_id=tok.token_to_id("</s>"),
        forced_bos_token_id=None,
        forced_eos_token_id=None,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config)
    with torch.no_grad():  # make ending less likely, so greedy outputs are not empty
        model.final_logits_bias[0, config.eos_token_id] = -2.0
    model.save_pretrained(path)
    return path
