"""Hostile specs stop at load with a located message, exit 1, and nothing written.

Each case goes through the real command line (`validate`, then `render` into a
folder that must stay absent), so a limit the loader forgets shows up as a
crash or a half-written output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.cli import main
from mlsd.load import MAX_EXTENDS
from mlsd.model import MAX_COMPONENTS, MAX_GROUP_DEPTH, MAX_ID_LENGTH, MAX_LABEL_LENGTH

HEAD = "mlsd: 1\ntitle: Limits\n"
APP = "components:\n  app: {kind: client}\n"
LOCATED = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$", re.M)


def refused(spec: Path, tmp_path: Path) -> list[tuple[str, int, int, str]]:
    """The located errors `validate` prints; `render` must refuse the same spec and write nothing."""
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", str(spec)])
    assert checked.exit_code == 1, checked.output
    assert "Traceback" not in checked.output
    out = tmp_path / "out"
    rendered = runner.invoke(main, ["render", str(spec), "-o", str(out), "-f", "svg,md"])
    assert rendered.exit_code == 1, rendered.output
    assert not out.exists() or not any(out.iterdir())
    found = [
        (Path(m["file"]).name, int(m["line"]), int(m["col"]), m["message"]) for m in LOCATED.finditer(checked.output)
    ]
    assert found, checked.output
    return found


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "'users' in 'requirements.scale' must be a finite number, not nan"),
        (".inf", "'users' in 'requirements.scale' must be a finite number, not inf"),
        ("-3", "'users' in 'requirements.scale' must not be negative (found -3)"),
        ("-0.5", "'users' in 'requirements.scale' must not be negative (found -0.5)"),
        ("1" + "0" * 400, "'users' in 'requirements.scale' is larger than the limit of 10**18"),
        ("1e400", "'users' in 'requirements.scale' must be a finite number, not inf"),
    ],
)
def test_scale_numbers_are_finite_non_negative_and_bounded(tmp_path: Path, value: str, message: str) -> None:
    spec = write(tmp_path, "s.yaml", HEAD + f"requirements:\n  scale:\n    users: {value}\n" + APP)
    ((name, line, column, text),) = refused(spec, tmp_path)
    assert (name, line, column) == ("s.yaml", 5, 12)
    assert text.startswith(message)


def test_a_number_too_long_to_read_is_located(tmp_path: Path) -> None:
    spec = write(tmp_path, "s.yaml", HEAD + "requirements:\n  scale:\n    users: " + "9" * 5000 + "\n" + APP)
    ((_, line, column, text),) = refused(spec, tmp_path)
    assert (line, column) == (5, 12)
    assert text == "cannot read '99999999999999999999'... (5,000 characters) as int"


def test_ids_too_long_for_a_file_name(tmp_path: Path) -> None:
    long_id = "c" * (MAX_ID_LENGTH + 1)
    spec = write(
        tmp_path,
        "s.yaml",
        HEAD
        + f"id: {'s' * 190}\ncomponents:\n  {long_id}: {{kind: client}}\nviews:\n  {'v' * 100}: {{include: [{long_id}]}}\n",
    )
    found = refused(spec, tmp_path)
    assert [(line, column) for _, line, column, _ in found] == [(3, 5), (5, 3), (7, 3)]
    assert found[0][3] == f"spec id 'ssssssssssssssssssss...' is 190 characters long; the limit is {MAX_ID_LENGTH}"
    assert "component id" in found[1][3] and "view id" in found[2][3]


def test_a_megabyte_label_is_a_stated_limit(tmp_path: Path) -> None:
    spec = write(tmp_path, "s.yaml", HEAD + "components:\n  app: {kind: client, label: " + "x" * 1_000_000 + "}\n")
    ((_, line, column, text),) = refused(spec, tmp_path)
    assert (line, column) == (4, 30)
    assert text.endswith(f"is 1,000,000 characters long; the limit is {MAX_LABEL_LENGTH}")


def test_a_long_flow_label_is_located(tmp_path: Path) -> None:
    label = "y" * (MAX_LABEL_LENGTH + 1)
    spec = write(tmp_path, "s.yaml", HEAD + APP + "  api: {kind: api-gateway}\nflows:\n  - app -> api: " + label + "\n")
    ((_, line, _column, text),) = refused(spec, tmp_path)
    assert line == 7 and text.startswith("flow label 'yyyy")


def test_five_thousand_components_is_a_stated_limit(tmp_path: Path) -> None:
    body = "".join(f"  c{i}: {{kind: client}}\n" for i in range(5000))
    spec = write(tmp_path, "s.yaml", HEAD + "components:\n" + body)
    ((_, line, column, text),) = refused(spec, tmp_path)
    assert (line, column) == (3, 1)
    assert (
        text == f"5,000 components; a design may have at most {MAX_COMPONENTS} (split it into views or several specs)"
    )


def test_deeply_nested_groups_stop_at_a_limit(tmp_path: Path) -> None:
    groups = "".join(f"  g{i}: {{parent: g{i - 1}}}\n" if i else "  g0: {}\n" for i in range(50))
    spec = write(tmp_path, "s.yaml", HEAD + "components:\n  app: {kind: client, group: g49}\ngroups:\n" + groups)
    ((_, line, _, text),) = refused(spec, tmp_path)
    assert line == 6 + MAX_GROUP_DEPTH
    assert (
        text
        == f"group 'g{MAX_GROUP_DEPTH}' is nested {MAX_GROUP_DEPTH + 1} groups deep; the limit is {MAX_GROUP_DEPTH}"
    )


def test_deeply_nested_yaml_stops_at_a_limit(tmp_path: Path) -> None:
    spec = write(tmp_path, "s.yaml", HEAD + APP + "summary: " + "[" * 5000 + "]" * 5000 + "\n")
    ((_, line, _, text),) = refused(spec, tmp_path)
    # libyaml's own limit or mlsd's, whichever the parser meets first: one message.
    assert line == 5 and text == "nesting is deeper than 32 levels"


def test_raw_nul_and_escaped_controls(tmp_path: Path) -> None:
    escaped = write(tmp_path, "e.yaml", HEAD + APP + 'summary: "bell \\a and \\0"\n')
    assert refused(escaped, tmp_path) == [("e.yaml", 5, 10, "control character U+0007 in this text; remove it")]
    raw = tmp_path / "r.yaml"
    raw.write_bytes((HEAD + APP).encode() + b"summary: a\x01b\n")
    assert refused(raw, tmp_path) == [("r.yaml", 5, 11, "control character U+0001; a spec is plain text")]


# --- extends -------------------------------------------------------------------------------------


def test_extends_naming_a_folder(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    spec = write(tmp_path, "s.yaml", HEAD + "extends: base\n" + APP)
    assert refused(spec, tmp_path) == [
        ("s.yaml", 3, 10, "'extends: base' names a folder; name the base spec file in it")
    ]


def test_extends_naming_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = write(tmp_path, "base.yaml", HEAD + APP)
    spec = write(tmp_path, "s.yaml", HEAD + "extends: base.yaml\n")
    real_open = Path.open

    def no_access(self: Path, *args: object, **kwargs: object) -> object:
        # chmod 000 does not stop root (the test may run as root); refuse the read itself.
        if self == base:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", no_access)
    assert refused(spec, tmp_path) == [("s.yaml", 3, 10, "'extends: base.yaml' cannot be read: permission denied")]


def test_extends_naming_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    spec = write(tmp_path, "s.yaml", HEAD + "extends: a.yaml\n")
    assert refused(spec, tmp_path) == [("s.yaml", 3, 10, "'extends: a.yaml' is a symlink loop")]


def test_a_spec_that_is_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "a.yaml")])
    # The command line's own check of its arguments meets it first: a usage error, not a crash.
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_an_extends_chain_of_a_thousand_files_stops_at_the_limit(tmp_path: Path) -> None:
    write(tmp_path, "f0.yaml", HEAD + APP)
    for i in range(1, 1000):
        write(tmp_path, f"f{i}.yaml", HEAD + f"extends: f{i - 1}.yaml\n")
    found = refused(tmp_path / "f999.yaml", tmp_path)
    assert found == [
        (f"f{999 - MAX_EXTENDS}.yaml", 3, 10, f"'extends' chains more than {MAX_EXTENDS} base specs; mlsd stops there")
    ]


def test_an_extends_chain_within_the_limit_loads(tmp_path: Path) -> None:
    write(tmp_path, "f0.yaml", HEAD + APP)
    for i in range(1, MAX_EXTENDS + 1):
        write(tmp_path, f"f{i}.yaml", f"mlsd: 1\nextends: f{i - 1}.yaml\ntitle: Level {i}\n")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / f"f{MAX_EXTENDS}.yaml")])
    assert result.exit_code == 0, result.output


def test_yaml_1_1_booleans_are_ids_on_the_command_line(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "s.yaml",
        HEAD + "components:\n  on: {kind: client}\n  no: {kind: api-gateway}\n  yes: {kind: data-warehouse}\n"
        "flows:\n  - on -> no -> yes\n",
    )
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 0, result.output


def test_a_utf16_spec_validates(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_bytes((HEAD + APP).encode("utf-16"))
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 0, result.output


def test_a_deep_document_read_from_git_is_refused_where_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.chdir(tmp_path)
    for key, value in (("GIT_CONFIG_NOSYSTEM", "1"), ("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))):
        monkeypatch.setenv(key, value)
    deep = write(tmp_path, "deep.yaml", HEAD + APP + "summary: " + "[" * 3000 + "]" * 3000 + "\n")
    for args in (
        ["init", "-q"],
        ["add", "deep.yaml"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, timeout=60)
    result = CliRunner().invoke(main, ["diff", "HEAD:deep.yaml", str(deep)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "HEAD:deep.yaml:5:" in result.stderr and "nesting is deeper than 32 levels" in result.stderr
