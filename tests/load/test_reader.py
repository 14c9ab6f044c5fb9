"""The YAML reader's guards: fast, located, and with the documented messages.

The timings are sanity bounds only (each guard must stop long before doing the
expensive work it guards against), not benchmarks.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mlsd.errors import SpecError
from mlsd.load import load_spec
from mlsd.load.reader import MAX_BYTES, MAX_DEPTH, MAX_NODES, read_tree
from mlsd.positions import Map, to_plain

SPEC = "mlsd: 1\ntitle: Reader test\ncomponents:\n  app: {kind: client}\n"
FAST = 1.0  # seconds


def problems(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return [str(p) for p in caught.value.problems]


def only_problem(path: Path) -> str:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


def timed_problem(path: Path) -> tuple[str, float]:
    start = time.perf_counter()
    message = only_problem(path)
    return message, time.perf_counter() - start


@pytest.fixture
def spec_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write bytes or text to s.yaml in a temporary folder that is also the working folder."""
    monkeypatch.chdir(tmp_path)

    def make(content: str | bytes, name: str = "s.yaml") -> Path:
        path = Path(name)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make


# --- size ----------------------------------------------------------------------------------


def test_forty_megabyte_file_is_rejected_fast(spec_file) -> None:
    path = spec_file(SPEC + "# " + "x" * (40 * 1024 * 1024) + "\n")
    message, seconds = timed_problem(path)
    assert message == "s.yaml:1:1: error: file is larger than 1024 KiB; a spec is a small text file"
    assert seconds < FAST


def test_file_of_exactly_the_limit_loads(spec_file) -> None:
    padding = MAX_BYTES - len(SPEC) - 3
    path = spec_file(SPEC + "# " + "x" * padding + "\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_spec(path).title == "Reader test"


def test_one_byte_over_the_limit_is_rejected(spec_file) -> None:
    padding = MAX_BYTES - len(SPEC) - 2
    path = spec_file(SPEC + "# " + "x" * padding + "\n")
    assert path.stat().st_size == MAX_BYTES + 1
    assert "file is larger than 1024 KiB" in only_problem(path)


# --- aliases and size after expansion --------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_rejected_fast(spec_file) -> None:
    path = spec_file(SPEC + billion_laughs(9))
    message, seconds = timed_problem(path)
    assert message.startswith("s.yaml:")
    assert message.endswith(
        f"error: document holds more than {MAX_NODES:,} values, counting each use of an alias;"
        " a spec is far smaller (an alias bomb?)"
    )
    assert seconds < FAST


def test_alias_bomb_inside_a_mapping_value_is_rejected_fast(spec_file) -> None:
    text = SPEC + "requirements:\n  scale: &big {" + ", ".join(f"k{i}: {i}" for i in range(500)) + "}\n"
    text += "talking_points: [" + ", ".join(["*big"] * 400) + "]\n"
    message, seconds = timed_problem(spec_file(text))
    assert "document holds more than 100,000 values" in message
    assert seconds < FAST


def test_many_plain_values_are_rejected(spec_file) -> None:
    text = SPEC + "talking_points: [" + ",".join(["1"] * (MAX_NODES + 1)) + "]\n"
    message, seconds = timed_problem(spec_file(text))
    assert "document holds more than 100,000 values" in message
    # Looser bound: every value is built in Python before the count trips (about 1-2 s
    # here); a file under 1 MiB can hold no more values than this, so it stays bounded.
    assert seconds < 10 * FAST


def test_a_few_aliases_are_fine(spec_file) -> None:
    text = SPEC + "requirements:\n  user_actions: &acts [a, b]\n  constraints: *acts\n"
    assert load_spec(spec_file(text)).requirements.constraints == ["a", "b"]


def test_unknown_alias(spec_file) -> None:
    path = spec_file(SPEC + "talking_points: *nowhere\n")
    assert only_problem(path) == "s.yaml:5:17: error: unknown alias '*nowhere'"


def test_merge_key_of_a_scalar(spec_file) -> None:
    path = spec_file(SPEC + "framing:\n  <<: 1\n")
    assert only_problem(path) == "s.yaml:6:7: error: '<<' merges only mappings"


# --- nesting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a: ", "}")])
def test_very_deep_nesting_is_rejected_fast(spec_file, opener: str, closer: str) -> None:
    depth = 50_000
    path = spec_file(SPEC + "scaling: " + opener * depth + "1" + closer * depth + "\n")
    assert path.stat().st_size < MAX_BYTES
    message, seconds = timed_problem(path)
    # libyaml's scanner looks ahead inside flow collections and may hit its own depth
    # limit ("exceeded maximum nesting depth") before mlsd's guard sees the events.
    assert message.startswith("s.yaml:5:")
    assert message.endswith(f"error: nesting is deeper than {MAX_DEPTH} levels") or (
        "error: invalid YAML: exceeded maximum nesting depth" in message
    )
    assert seconds < FAST


def test_deep_block_nesting_is_rejected(spec_file) -> None:
    lines = [SPEC.rstrip("\n"), "framing:"]
    lines += ["  " * level + "k:" for level in range(1, 40)]
    lines[-1] += " 1"
    assert only_problem(spec_file("\n".join(lines) + "\n")).endswith(f"nesting is deeper than {MAX_DEPTH} levels")


def test_nesting_limit_boundary(tmp_path: Path) -> None:
    """MAX_DEPTH levels (the top mapping counts as one) are fine; one more is not."""
    ok = tmp_path / "ok.yaml"
    ok.write_text("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    tree, found = read_tree(ok, "ok.yaml")
    assert isinstance(tree, Map) and found == []
    deep = tmp_path / "deep.yaml"
    deep.write_text("x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    with pytest.raises(SpecError) as caught:
        read_tree(deep, "deep.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"deep.yaml:1:{3 + MAX_DEPTH}: error: nesting is deeper than {MAX_DEPTH} levels"
    ]


# --- bytes and encodings -----------------------------------------------------------------------


def test_nul_byte_is_located(spec_file) -> None:
    path = spec_file(SPEC.encode() + b"summary: ab\x00cd\n")
    assert only_problem(path) == ("s.yaml:5:12: error: file is binary (contains a NUL byte), not YAML text")


def test_binary_file_is_rejected_fast(spec_file) -> None:
    path = spec_file(bytes(range(256)) * 4000)
    message, seconds = timed_problem(path)
    assert message == "s.yaml:1:1: error: file is binary (contains a NUL byte), not YAML text"
    assert seconds < FAST


def test_non_utf8_column_counts_characters_not_bytes(spec_file) -> None:
    path = spec_file("mlsd: 1\ntitle: é – \xff\n".encode().replace(b"\xc3\xbf", b"\xff"))
    assert only_problem(path) == "s.yaml:2:12: error: file is not UTF-8 text; save it as UTF-8"


def test_latin1_file_is_rejected(spec_file) -> None:
    path = spec_file(SPEC.replace("Reader test", "Café").encode("latin-1"))
    assert only_problem(path) == "s.yaml:2:11: error: file is not UTF-8 text; save it as UTF-8"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_files_are_read(spec_file, encoding: str) -> None:
    # YAML allows them, with or without a byte order mark; Windows editors save them.
    path = spec_file(SPEC.replace("Reader test", "Détection — 検出").encode(encoding))
    assert load_spec(path).title == "Détection — 検出"


def test_a_broken_utf16_file_is_named(spec_file) -> None:
    path = spec_file(SPEC.encode("utf-16")[:-1])
    assert only_problem(path) == "s.yaml:1:1: error: file starts like UTF-16 text but is not; save it as UTF-8"


@pytest.mark.parametrize(
    ("written", "column", "name"),
    [('"a\\0b"', 10, "U+0000"), ('"\\x07"', 10, "U+0007"), ('"\\x9b"', 10, "U+009B"), ('"\\e[31m"', 10, "U+001B")],
)
def test_control_characters_written_as_escapes_are_refused(spec_file, written: str, column: int, name: str) -> None:
    path = spec_file(SPEC + f"summary: {written}\n")
    assert only_problem(path) == f"s.yaml:5:{column}: error: control character {name} in this text; remove it"


def test_raw_control_characters_are_refused_where_written(spec_file) -> None:
    path = spec_file(SPEC.encode() + b"summary: ab\x7fc\n")
    assert only_problem(path) == "s.yaml:5:12: error: control character U+007F; a spec is plain text"


def test_utf8_bom_is_accepted(spec_file) -> None:
    path = spec_file(b"\xef\xbb\xbf" + SPEC.encode())
    assert load_spec(path).title == "Reader test"


# --- documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "~\n", "null\n", "---\n...\n"])
def test_empty_documents(spec_file, text: str) -> None:
    assert only_problem(spec_file(text)) == ("s.yaml:1:1: error: file is empty; a spec starts with 'mlsd: 1'")


def test_explicit_single_document_markers_are_fine(spec_file) -> None:
    assert load_spec(spec_file("---\n" + SPEC + "...\n")).title == "Reader test"


def test_second_document_is_rejected_at_its_marker(spec_file) -> None:
    path = spec_file("---\n" + SPEC + "---\n" + SPEC)
    assert only_problem(path) == (
        "s.yaml:6:1: error: file holds more than one YAML document ('---'); keep one spec per file"
    )


@pytest.mark.parametrize(
    "text,found",
    [("- a\n- b\n", "a list"), ("just text\n", "a single value"), ("42\n", "a single value")],
)
def test_top_level_must_be_a_mapping(spec_file, text: str, found: str) -> None:
    assert only_problem(spec_file(text)) == (f"s.yaml:1:1: error: expected a mapping of keys at the top, found {found}")


def test_complex_key_is_rejected(spec_file) -> None:
    path = spec_file(SPEC + "? [a, b]\n: c\n")
    assert only_problem(path) == ("s.yaml:5:3: error: a key must be a plain value, not a list or mapping")


# --- tags ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,shown",
    [
        ("!!python/object/apply:os.system ['true']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!Ref other", "!Ref"),
    ],
)
def test_tags_are_refused(spec_file, value: str, shown: str) -> None:
    path = spec_file(SPEC + f"summary: {value}\n")
    assert only_problem(path) == (
        f"s.yaml:5:10: error: tag '{shown}' is not allowed; a spec is plain YAML without tags"
    )


def test_python_tag_is_never_executed(spec_file, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = spec_file(SPEC + f"summary: !!python/object/apply:os.system ['touch {marker}']\n")
    problems(path)
    assert not marker.exists()


def test_standard_scalar_tags_are_allowed(spec_file) -> None:
    path = spec_file(SPEC + "summary: !!str 42\nrequirements:\n  scale: {n: !!int 7, f: !!float 1}\n")
    spec = load_spec(path)
    assert spec.summary == "42"
    assert spec.requirements.scale == {"n": 7, "f": 1.0}
    assert type(spec.requirements.scale["f"]) is float


def test_explicit_tag_wins_over_quotes(spec_file) -> None:
    path = spec_file(SPEC + "requirements:\n  scale: {n: !!int '7'}\n")
    assert load_spec(path).requirements.scale == {"n": 7}


def test_bad_value_for_a_standard_tag(spec_file) -> None:
    path = spec_file(SPEC + "requirements:\n  scale: {n: !!int seven}\n")
    assert only_problem(path) == "s.yaml:6:14: error: cannot read 'seven' as int"


# --- syntax ------------------------------------------------------------------------------------------


def test_syntax_error_is_located(spec_file) -> None:
    path = spec_file("mlsd: 1\ntitle: [unclosed\ncomponents:\n  app: {kind: client}\n")
    message = only_problem(path)
    assert message.startswith("s.yaml:")
    assert ": error: invalid YAML: " in message


def test_tab_indentation_is_an_error(spec_file) -> None:
    path = spec_file("mlsd: 1\ntitle: T\ncomponents:\n\tapp: {kind: client}\n")
    message = only_problem(path)
    assert message.startswith("s.yaml:4:1: error: invalid YAML")


def test_tab_indentation_message_names_the_tab(spec_file) -> None:
    """PyYAML only says 'found character that cannot start any token'; mlsd names the fix."""
    path = spec_file("mlsd: 1\ntitle: T\ncomponents:\n\tapp: {kind: client}\n")
    message = only_problem(path).lower()
    assert "tab" in message and "spaces" in message


def test_duplicate_keys_are_all_reported(spec_file) -> None:
    path = spec_file("mlsd: 1\ntitle: A\ntitle: B\ncomponents:\n  app: {kind: client}\n  app: {kind: llm}\n")
    assert problems(path) == [
        "s.yaml:3:1: error: duplicate key 'title' (first written on line 2); each key may appear once in a mapping",
        "s.yaml:6:3: error: duplicate key 'app' (first written on line 5); each key may appear once in a mapping",
    ]


def test_duplicate_keys_are_reported_with_the_other_problems(spec_file) -> None:
    path = spec_file("mlsd: 1\ntitle: A\ntitle: B\ncomponents:\n  app: {kind: clent}\n")
    assert problems(path) == [
        "s.yaml:3:1: error: duplicate key 'title' (first written on line 2); each key may appear once in a mapping",
        "s.yaml:5:15: error: unknown kind 'clent' in component 'app'; did you mean 'client'?",
    ]


# --- files ----------------------------------------------------------------------------------------


def test_missing_file(spec_file) -> None:
    assert only_problem(Path("nowhere.yaml")) == "nowhere.yaml:1:1: error: file not found"


def test_folder_instead_of_file(spec_file, tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    assert only_problem(Path("folder.yaml")) == ("folder.yaml:1:1: error: is a folder, not a spec file")


def test_located_tree_positions(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - {c: d}\n")
    tree, found = read_tree(path, "t.yaml")
    assert found == []
    assert to_plain(tree) == {"a": 1, "b": ["x", {"c": "d"}]}
    b = tree.entries["b"]
    assert (b.key_loc.line, b.key_loc.column) == (2, 1)
    second = b.value.items[1]
    assert (second.loc.file, second.loc.line, second.loc.column) == ("t.yaml", 4, 5)
