"""``weaklabel validate``: is a chat (or prompt/completion) JSONL file fit for fine-tuning?

Exit 0 and a one-line summary (examples, token distribution, how tokens were counted) when
it is; exit 1 and one line per problem, each starting ``line N:``, when it is not; exit 2
when the file is missing or unreadable.
"""

from __future__ import annotations

import argparse
import sys

from weaklabel.cli._args import positive_int


def run(args: argparse.Namespace) -> int:
    """Validate the file and print the verdict (problems on stdout, summary on stderr)."""
    from weaklabel.export.validate import validate_chat_jsonl

    report = validate_chat_jsonl(
        args.file,
        max_tokens=args.max_tokens,
        min_examples=args.min_examples,
        encoding=args.encoding,
        form=args.form,
        extra_keys=tuple(args.allow_key),
    )
    for line in report.problem_lines():
        print(line)
    print(report.summary(), file=sys.stderr if report.problems else sys.stdout)
    return 0 if report.ok else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` command to the ``weaklabel`` parser."""
    validate = sub.add_parser(
        "validate",
        help="check a chat-messages (or prompt/completion) JSONL file for fine-tuning",
        description=(
            "Check a fine-tuning JSONL file for what the common fine-tuning services reject: "
            "malformed lines, lines that are not objects, unknown roles or keys, empty "
            "content, no assistant turn or a last turn that is not the assistant's, fewer "
            "than --min-examples examples, examples over --max-tokens. Exit 0 with a summary "
            "when the file is fit; exit 1 with one 'line N: ...' line per problem when not; "
            "exit 2 when the file cannot be read. Token counts are exact with tiktoken's "
            "table on this machine, else a stated estimate."
        ),
    )
    validate.add_argument("file", help="the .jsonl file to check")
    validate.add_argument(
        "--max-tokens", type=positive_int, default=16_385, help="token limit per example (16385)"
    )
    validate.add_argument(
        "--min-examples", type=positive_int, default=10, help="fewest examples a file needs (10)"
    )
    validate.add_argument(
        "--encoding", default="cl100k_base", help="tiktoken encoding to count with (cl100k_base)"
    )
    validate.add_argument(
        "--form",
        choices=("auto", "chat", "prompt-completion"),
        default="auto",
        help="the file's form (default: from its first object)",
    )
    validate.add_argument(
        "--allow-key",
        action="append",
        default=[],
        metavar="KEY",
        help="accept this extra top-level key (e.g. weight); repeatable",
    )
    validate.set_defaults(func=run)
