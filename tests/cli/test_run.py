"""``weaklabel run CONFIG``: raw CSV to a validated chat JSONL, and every bad config -> exit 2."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import weaklabel.cli as cli

HAM = [
    "I love this song so much",
    "Best song of the year, love it",
    "This video is amazing, what a voice",
    "Her voice is beautiful, love the song",
    "Such a great song, I play it every day",
    "This song never gets old",
    "Amazing video, the dancing is the best",
    "I love the melody of this song",
    "Great song, brings back memories",
    "Wow, this song is still the best",
    "love love love this song",
    "the best music video on youtube",
]
SPAM = [
    "Check out my channel for free music",
    "Please subscribe to my channel!!",
    "Visit http://cheap-stuff.example.com for free gifts",
    "check out my new video and subscribe",
    "Subscribe to me, I sub back",
    "Free iTunes codes at http://codes.example.com",
    "check out my channel please, new vids every day",
    "Make money online: http://money.example.com",
    "Please check out my music channel",
    "subscribe for daily videos on my channel",
    "Win a free phone at www.win.example.com",
    "My channel has the best covers, check out my channel",
]


def _raw_csv(folder: Path) -> Path:
    """A raw comment table with HTML, entities, BOMs, a duplicate and a missing text."""
    texts = [*HAM, *SPAM]
    texts[0] = "I love this song<br />so much\ufeff"
    texts[1] = "Best song of the year, I&#39;m loving it"
    texts += ["I love this song   so much", None]  # a duplicate of row 0, a missing text
    raw = pd.DataFrame(
        {
            "COMMENT_ID": [f"c{i:03d}" for i in range(len(texts))],
            "CONTENT": texts,
            "CLASS": [0] * len(HAM) + [1] * len(SPAM) + [0, 0],
        }
    )
    path = folder / "raw.csv"
    raw.to_csv(path, index=False)
    return path


CONFIG = """
[data]
path = "raw.csv"
text_column = "CONTENT"
id_column = "COMMENT_ID"
label_names = ["HAM", "SPAM"]
keep_columns = ["CLASS"]

[[prepare]]
step = "strip_html"
[[prepare]]
step = "fix_text"
[[prepare]]
step = "whitespace"
[[prepare]]
step = "exact_duplicates"
[[prepare]]
step = "near_duplicates"
threshold = 0.9
[[prepare]]
step = "length"
min_words = 2

[[sources]]
type = "keyword"
name = "kw_channel"
keywords = ["check out", "subscribe", "my channel"]
label = "SPAM"
[[sources]]
type = "regex"
name = "link"
pattern = "https?://|www\\\\."
label = "SPAM"
[[sources]]
type = "lexicon"
name = "lex_ham"
terms = { love = "HAM", song = "HAM", voice = "HAM", best = "HAM" }
[[sources]]
type = "python"
object = "my_rules:free_stuff"

[model]
name = "majority"

[augment]
augmenters = ["noise"]
n = 1
seed = 0

[outputs]
prepared = "out/prepared.csv"
dropped = "out/dropped.csv"
matrix = "out/matrix.csv"
labels = "out/labels.csv"
augmented = "out/augmented.csv"
chat = "out/train.jsonl"

[outputs.chat_options]
system = "Label the YouTube comment as HAM or SPAM."
"""

RULES = """
from weaklabel import ABSTAIN, labeling_function


@labeling_function()
def free_stuff(x):
    return "SPAM" if "free" in x.CONTENT.lower() else ABSTAIN
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the raw CSV, a rules module, an output folder and a good config."""
    _raw_csv(tmp_path)
    (tmp_path / "my_rules.py").write_text(RULES, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "flow.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def test_run_takes_a_raw_csv_to_a_validated_chat_jsonl(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    for stage in (
        "prepare input",
        "prepare near_duplicates",
        "apply:",
        "fit MajorityVote",
        "augment:",
        "wrote chat",
    ):
        assert stage in err
    out = project / "out"
    dropped = pd.read_csv(out / "dropped.csv")
    assert dict(zip(dropped["id"], dropped["reason"], strict=True)) == {
        "c025": "missing text",
        "c024": "exact duplicate of id c000",
    }
    prepared = pd.read_csv(out / "prepared.csv")
    assert prepared["CONTENT"].iloc[0] == "I love this song so much"
    assert prepared["CONTENT"].iloc[1] == "Best song of the year, I'm loving it"
    labels = pd.read_csv(out / "labels.csv")
    assert set(labels["COMMENT_ID"]) <= set(prepared["COMMENT_ID"])  # every row traces back
    assert {"label", "confidence", "n_votes", "p_HAM", "p_SPAM", "CLASS"} <= set(labels.columns)
    gold = labels["CLASS"].map({0: "HAM", 1: "SPAM"})
    assert (labels["label"] == gold).mean() >= 0.9
    matrix = pd.read_csv(out / "matrix.csv")
    assert list(matrix.columns) == [
        "COMMENT_ID",
        "CONTENT",
        "kw_channel",
        "link",
        "lex_ham",
        "free_stuff",
    ]
    augmented = pd.read_csv(out / "augmented.csv")
    assert len(augmented) > len(labels)
    lines = (out / "train.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(augmented)
    first = json.loads(lines[0])["messages"]
    assert [m["role"] for m in first] == ["system", "user", "assistant"]
    assert all(json.loads(line)["messages"][-1]["content"] in ("HAM", "SPAM") for line in lines)
    assert not list(out.glob(".*"))  # no temporary file left behind
    capsys.readouterr()
    assert cli.main(["validate", str(out / "train.jsonl")]) == 0


def test_run_refuses_to_replace_outputs_without_force(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 0
    before = (project / "out" / "train.jsonl").read_bytes()
    capsys.readouterr()
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "[E843]" in err and "outputs.prepared" in err and "--force" in err
    assert (project / "out" / "train.jsonl").read_bytes() == before
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress", "--force"]) == 0


def test_run_reads_a_yaml_config(project: Path) -> None:
    import tomllib

    import yaml

    raw = tomllib.loads(CONFIG)
    raw["outputs"] = {"labels": "out/labels.jsonl"}
    raw.pop("augment")
    (project / "flow.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert cli.main(["run", str(project / "flow.yaml"), "--no-progress"]) == 0
    labels = pd.read_json(project / "out" / "labels.jsonl", lines=True)
    assert len(labels) >= 20


def test_run_fails_when_the_chat_file_would_not_validate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = CONFIG.replace("min_words = 2", "min_words = 9")  # 3 rows left: fewer than 10
    text = text.replace('[augment]\naugmenters = ["noise"]\nn = 1\nseed = 0\n', "")
    text = text.replace('augmented = "out/augmented.csv"\n', "")
    (project / "flow.toml").write_text(text, encoding="utf-8")
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "[E846]" in err and "outputs.chat" in err and "line " in err
    assert not (project / "out" / "train.jsonl").exists()
    assert not list((project / "out").glob(".*"))


def _replace(old: str, new: str) -> tuple[str, str]:
    assert old in CONFIG, old
    return old, new


# (id, (old, new) replaced in CONFIG -- or None to append the new text --, expected pieces)
BAD_CONFIGS = [
    (
        "unknown top key",
        (None, "[modle]\nname = 'x'\n"),
        ["[E833]", "'modle'", "did you mean 'model'"],
    ),
    (
        "unknown data key",
        _replace("text_column =", "text_colum ="),
        ["[E833]", "'data.text_colum'", "did you mean 'text_column'"],
    ),
    ("missing data path", _replace('path = "raw.csv"\n', ""), ["[E834]", "'data.path'"]),
    (
        "missing data file",
        _replace('path = "raw.csv"', 'path = "nope.csv"'),
        ["[E840]", "'data.path'", "'nope.csv'", "does not exist"],
    ),
    (
        "data path is a folder",
        _replace('path = "raw.csv"', 'path = "."'),
        ["[E840]", "'data.path'", "is a folder"],
    ),
    (
        "wrong type",
        _replace('label_names = ["HAM", "SPAM"]', 'label_names = "HAM"'),
        ["[E835]", "'data.label_names'", "at least two distinct"],
    ),
    (
        "missing text column",
        _replace('text_column = "CONTENT"', 'text_column = "BODY"'),
        ["[E845]", "'data.text_column'", "'BODY'", "CONTENT"],
    ),
    (
        "unknown step",
        _replace('step = "fix_text"', 'step = "fix_txt"'),
        ["[E835]", "'prepare[1].step'", "did you mean 'fix_text'"],
    ),
    (
        "unknown step key",
        _replace("threshold = 0.9", "treshold = 0.9"),
        ["[E833]", "'prepare[4].treshold'", "did you mean 'threshold'"],
    ),
    (
        "step value out of range",
        _replace("threshold = 0.9", "threshold = 1.5"),
        ["[E835]", "'prepare[4].threshold'", "(0.0, 1.0]"],
    ),
    (
        "step value wrong type",
        _replace("min_words = 2", 'min_words = "two"'),
        ["[E835]", "'prepare[5].min_words'", "an integer"],
    ),
    (
        "keywords wrong type",
        _replace('keywords = ["check out", "subscribe", "my channel"]', "keywords = 3"),
        ["[E835]", "'sources[0].keywords'", "a list of strings"],
    ),
    (
        "unknown source key",
        _replace('name = "kw_channel"', 'name = "kw_channel"\nkeyword = ["x"]'),
        ["[E833]", "'sources[0].keyword'", "did you mean 'keywords'"],
    ),
    (
        "unknown source type",
        _replace('type = "regex"', 'type = "regexp"'),
        ["[E835]", "'sources[1].type'", "did you mean 'regex'"],
    ),
    (
        "label not a class",
        _replace(
            'label = "SPAM"\n[[sources]]\ntype = "regex"',
            'label = "SPAMM"\n[[sources]]\ntype = "regex"',
        ),
        ["[E836]", "'sources[0].label'", "did you mean 'SPAM'"],
    ),
    (
        "lexicon label not a class",
        _replace('best = "HAM"', 'best = "GOOD"'),
        ["[E836]", "'sources[2].terms.best'", "'GOOD'"],
    ),
    (
        "bad regex",
        _replace('pattern = "https?://|www\\\\."', 'pattern = "(unclosed"'),
        ["[E836]", "'sources[1]'", "[E038]"],
    ),
    (
        "python object missing",
        _replace("my_rules:free_stuff", "my_rules:free_stuf"),
        ["[E844]", "'sources[3].object'", "did you mean 'free_stuff'"],
    ),
    (
        "python module missing",
        _replace("my_rules:free_stuff", "no_such_rules:x"),
        ["[E844]", "'sources[3].object'", "no_such_rules"],
    ),
    (
        "python object not a source",
        _replace("my_rules:free_stuff", "my_rules:ABSTAIN"),
        ["[E836]", "'sources[3].object'", "not a source"],
    ),
    (
        "source named like a column",
        _replace('name = "link"', 'name = "CONTENT"'),
        ["[E836]", "'sources[1]'", "'CONTENT'"],
    ),
    (
        "duplicate source names",
        _replace('name = "link"', 'name = "kw_channel"'),
        ["[E836]", "'sources'", "'kw_channel'"],
    ),
    ("no sources", (None, "sources = []\n"), ["[E834]", "'sources'"]),
    (
        "unknown model",
        _replace('name = "majority"', 'name = "majorty"'),
        ["[E835]", "'model.name'", "did you mean 'majority'"],
    ),
    (
        "unknown model param",
        _replace('name = "majority"', 'name = "majority"\nparams = {sed = 1}'),
        ["[E833]", "'model.params.sed'", "did you mean 'seed'"],
    ),
    (
        "unknown augmenter",
        _replace('augmenters = ["noise"]', 'augmenters = ["noize"]'),
        ["[E835]", "'augment.augmenters[0]'", "did you mean 'noise'"],
    ),
    ("augment n not positive", _replace("n = 1\n", "n = 0\n"), ["[E835]", "'augment.n'", ">= 1"]),
    (
        "no outputs",
        _replace(
            'prepared = "out/prepared.csv"\ndropped = "out/dropped.csv"\n'
            'matrix = "out/matrix.csv"\nlabels = "out/labels.csv"\n'
            'augmented = "out/augmented.csv"\nchat = "out/train.jsonl"\n',
            "",
        ),
        ["[E834]", "'outputs'", "at least one of"],
    ),
    (
        "output folder missing",
        _replace('labels = "out/labels.csv"', 'labels = "gone/labels.csv"'),
        ["[E842]", "'outputs.labels'", "does not exist"],
    ),
    (
        "output suffix",
        _replace('labels = "out/labels.csv"', 'labels = "out/labels.xlsx"'),
        ["[E842]", "'outputs.labels'", ".parquet"],
    ),
    (
        "output is the input",
        _replace('labels = "out/labels.csv"', 'labels = "raw.csv"'),
        ["[E842]", "'outputs.labels'", "it is an input"],
    ),
    (
        "two outputs one file",
        _replace('matrix = "out/matrix.csv"', 'matrix = "out/labels.csv"'),
        ["[E842]", "'outputs.labels'", "outputs.matrix writes there too"],
    ),
    (
        "chat suffix",
        _replace('chat = "out/train.jsonl"', 'chat = "out/train.csv"'),
        ["[E842]", "'outputs.chat'", ".jsonl"],
    ),
    (
        "unknown chat option",
        _replace("system = ", "sytem = "),
        ["[E833]", "'outputs.chat_options.sytem'", "did you mean 'system'"],
    ),
    (
        "unknown output",
        _replace('labels = "out/labels.csv"', 'label = "out/labels.csv"'),
        ["[E833]", "'outputs.label'", "did you mean 'labels'"],
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS]
)
def test_run_bad_config_exit_2_naming_the_problem(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str | None, str],
    expected: list[str],
) -> None:
    old, new = change
    text = CONFIG + new if old is None else CONFIG.replace(old, new, 1)
    if old is None and new.startswith("sources = []"):
        text = new + CONFIG.replace("[[sources]]", "[[unused]]")
        text = text.split("[[unused]]")[0] + CONFIG[CONFIG.index("[model]") :]
    config = project / "flow.toml"
    config.write_text(text, encoding="utf-8")
    assert cli.main(["run", str(config), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: ["), err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for piece in expected:
        assert piece in err, (piece, err)
    assert not list((project / "out").iterdir())  # nothing written: checked before the work


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("flow.toml", "[data\npath = 1", ["[E830]", "bad TOML", "line 1"]),
        ("flow.yaml", "data: [unclosed", ["[E830]", "bad YAML"]),
        ("flow.ini", "[data]", ["[E831]", ".toml, .yaml or .yml"]),
        ("flow.toml", "", ["[E834]", "'data'"]),
        ("flow.yaml", "- a list", ["[E832]", "got list"]),
    ],
)
def test_run_unreadable_config_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: list[str]
) -> None:
    config = project / name
    config.write_text(text, encoding="utf-8")
    assert cli.main(["run", str(config)]) == 2
    err = capsys.readouterr().err
    for piece in expected:
        assert piece in err, (piece, err)


def test_run_missing_config_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", str(tmp_path / "none.toml")]) == 2
    assert "[E830]" in capsys.readouterr().err


def test_run_yaml_without_pyyaml_names_the_extra(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "yaml" else real(name, *a)
    )
    (project / "flow.yaml").write_text("data: {}", encoding="utf-8")
    assert cli.main(["run", str(project / "flow.yaml")]) == 2
    err = capsys.readouterr().err
    assert "[E070]" in err and "PyYAML" in err and "weaklabel[flow]" in err


def test_run_guide_example_is_a_valid_config() -> None:
    """The configuration shown in docs/guide/run.md passes the schema check."""
    import tomllib

    from weaklabel.flow import check_config

    guide = Path(__file__).resolve().parents[2] / "docs" / "guide" / "run.md"
    block = guide.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    check_config(tomllib.loads(textwrap.dedent(block)), "run.md")


def test_run_bad_chat_option_value_exit_2_before_the_work(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = CONFIG.replace('system = "Label', 'weight = "everything"\nsystem = "Label')
    (project / "flow.toml").write_text(text, encoding="utf-8")
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "[E836]" in err and "'outputs.chat_options'" in err and "weight" in err
    assert not list((project / "out").iterdir())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.parquet", b"not a parquet file", ["[E841]", "'data.path'", "'bad.parquet'"]),
        ("empty.csv", b"", ["[E841]", "'data.path'", "'empty.csv'"]),
        ("header.csv", b"CONTENT,CLASS\n", ["[E841]", "'header.csv'", "no rows"]),
        ("rules.txt", b"x", ["[E841]", "'rules.txt'", "suffix"]),
    ],
)
def test_run_unreadable_data_exit_2(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    expected: list[str],
) -> None:
    (project / name).write_bytes(content)
    text = CONFIG.replace('path = "raw.csv"', f'path = "{name}"')
    (project / "flow.toml").write_text(text, encoding="utf-8")
    assert cli.main(["run", str(project / "flow.toml")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for piece in expected:
        assert piece in err, (piece, err)


def test_run_writes_leak_free_splits(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = CONFIG.replace(
        'chat = "out/train.jsonl"\n',
        'chat = "out/train.jsonl"\nsplits = "out/splits"\n'
        "[outputs.split_options]\nsizes = [0.6, 0.2, 0.2]\nseed = 1\n",
    )
    (project / "flow.toml").write_text(text, encoding="utf-8")
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "wrote splits:" in err and "; 0 leaks across splits" in err
    folder = project / "out" / "splits"
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["test.jsonl", "train.jsonl", "valid.jsonl"]
    augmented = pd.read_csv(project / "out" / "augmented.csv")
    split_of = {}
    for name in ("train", "valid", "test"):
        for line in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            split_of.setdefault(json.loads(line)["messages"][1]["content"], set()).add(name)
    by_text = dict(zip(augmented["CONTENT"], augmented["original_id"], strict=False))
    splits_of_original: dict[str, set[str]] = {}
    for text_, names in split_of.items():
        splits_of_original.setdefault(by_text[text_], set()).update(names)
    assert all(len(names) == 1 for names in splits_of_original.values())  # copies stay together


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ('format = "xlsx"', ["[E835]", "'outputs.split_options.format'"]),
        ("sizes = [0.5, 0.5, 0.5]", ["[E835]", "'outputs.split_options.sizes'", "summing to 1"]),
        ("sizes = [0.5, 0.5]", ["[E835]", "'outputs.split_options.sizes'", "three fractions"]),
        ("seeds = 1", ["[E833]", "'outputs.split_options.seeds'", "did you mean 'seed'"]),
    ],
)
def test_run_bad_split_options_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], options: str, expected: list[str]
) -> None:
    text = CONFIG.replace(
        'chat = "out/train.jsonl"\n',
        f'chat = "out/train.jsonl"\nsplits = "out/splits"\n[outputs.split_options]\n{options}\n',
    )
    (project / "flow.toml").write_text(text, encoding="utf-8")
    assert cli.main(["run", str(project / "flow.toml"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    for piece in expected:
        assert piece in err, (piece, err)
    assert not list((project / "out").iterdir())
