"""Files: what a spec may read (icons, extends) and where mlsd may write (only inside -o, atomically)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mlsd.atomic
from mlsd.build import MANIFEST

from ._support import (
    LOCATED,
    REAL_DOT,
    assert_clean,
    check_html,
    invoke,
    run_mlsd,
    snapshot,
    svg_root,
    temporaries,
    write_yaml,
)

pytestmark = pytest.mark.slow
needs_graphviz = pytest.mark.skipif(REAL_DOT is None, reason="Graphviz is not installed")
PNG = b"\x89PNG\r\n\x1a\n"


def small_spec(title: str = "Small", **extra: object) -> dict:
    return {
        "mlsd": 1,
        "title": title,
        "components": {
            "app": {"kind": "client"},
            "model": {"kind": "inference-server", "group": "online"},
            "watch": {"kind": "monitoring"},
        },
        "groups": {"online": {"label": "Online"}},
        "flows": ["app -> model: predict", "model -> watch"],
        **extra,
    }


# --- reading: icons and extends stay inside the spec's folder tree ---------------------------


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    write_yaml(outside / "base.yaml", small_spec("Base outside"))
    (outside / "logo.png").write_bytes(PNG)
    return outside


def _symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not supported here")


CASES = {
    # name: (what the spec writes, how the link is made)
    "extends-file-link": ({"extends": "base.yaml"}, ("base.yaml", "outside/base.yaml")),
    "extends-folder-link": ({"extends": "shared/base.yaml"}, ("shared", "outside")),
    "icon-file-link": ({"icon": "logo.png"}, ("logo.png", "outside/logo.png")),
    "icon-folder-link": ({"icon": "shared/logo.png"}, ("shared", "outside")),
}


@needs_graphviz
@pytest.mark.parametrize("case", sorted(CASES))
def test_symlinks_out_of_the_spec_folder_are_refused(case: str, tmp_path: Path) -> None:
    _outside(tmp_path)
    specs = tmp_path / "project" / "specs"
    specs.mkdir(parents=True)
    writes, (link, target) = CASES[case]
    _symlink(specs / link, tmp_path / target)
    if "extends" in writes:
        data = {"mlsd": 1, "extends": writes["extends"], "title": "Variant"}
    else:
        data = small_spec()
        data["components"]["app"]["icon"] = writes["icon"]
    path = write_yaml(specs / "spec.yaml", data)
    out = tmp_path / "out"
    before = snapshot(tmp_path)
    for args in (["validate", path], ["render", path, "-o", out, "-f", "svg,md"], ["check", path]):
        result = invoke(*args)
        assert_clean(result, (1,), args[0])
        assert LOCATED.search(result.stderr), result.stderr
        assert "outside" in result.stderr or "leaves" in result.stderr, result.stderr
    assert snapshot(tmp_path) == before, "a refused spec wrote something"


@needs_graphviz
def test_symlinks_that_stay_inside_the_folder_are_fine(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "real").mkdir(parents=True)
    write_yaml(specs / "real" / "base.yaml", small_spec("Base inside"))
    (specs / "real" / "logo.png").write_bytes((Path(__file__).parents[1] / "render/specs/icons/gear.png").read_bytes())
    _symlink(specs / "shared", specs / "real")
    data = {
        "mlsd": 1,
        "extends": "shared/base.yaml",
        "title": "Variant",
        "components": {"app": {"kind": "client", "icon": "shared/logo.png"}},
    }
    path = write_yaml(specs / "spec.yaml", data)
    assert_clean(invoke("validate", path), (0,))
    assert_clean(invoke("render", path, "-o", tmp_path / "out", "-f", "svg"), (0,))


def test_a_symlink_loop_in_a_specs_folder_ends(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write_yaml(specs / "a.yaml", small_spec())
    _symlink(specs / "loop", specs)
    run = run_mlsd(["validate", str(specs)], limit=30)
    assert run.returncode == 0, (run.returncode, run.stdout, run.stderr)
    assert "1 spec valid" in run.stdout


URLS = [
    "http://example.com/x.png",
    "https://example.com/x.png",
    "HTTPS://EXAMPLE.COM/X.PNG",
    "ftp://example.com/x.png",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "//example.com/x.png",
    "\\\\server\\share\\x.png",
]


@pytest.mark.parametrize("url", URLS)
def test_url_icons_are_refused_without_touching_the_network(url: str, tmp_path: Path, no_network: list) -> None:
    data = small_spec()
    data["components"]["app"]["icon"] = url
    path = write_yaml(tmp_path / "spec.yaml", data)
    result = invoke("validate", path)
    assert_clean(result, (1,))
    assert LOCATED.search(result.stderr), result.stderr
    assert not no_network, no_network


@pytest.mark.parametrize("url", [u.replace(".png", ".yaml") for u in URLS if not u.startswith("data:")])
def test_url_extends_are_refused_without_touching_the_network(url: str, tmp_path: Path, no_network: list) -> None:
    path = write_yaml(tmp_path / "spec.yaml", {"mlsd": 1, "extends": url, "title": "Variant"})
    result = invoke("validate", path)
    assert_clean(result, (1,))
    assert LOCATED.search(result.stderr), result.stderr
    assert not no_network, no_network


# --- writing: only inside -o ---------------------------------------------------------------

PATHLIKE = ["../x", "../../etc/x", "/tmp/x", "a/b", "..", ".", "x\\..\\y", "~/x", "x/../../y", ".hidden", "X"]


@pytest.mark.parametrize("value", PATHLIKE)
def test_path_like_spec_and_view_ids_are_refused(value: str, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    by_id = write_yaml(specs / "by_id.yaml", small_spec(id=value))
    by_view = write_yaml(specs / "by_view.yaml", small_spec(views={value: {"include": ["app"]}}))
    before = snapshot(tmp_path)
    for path in (by_id, by_view):
        result = invoke("render", path, "-o", out, "-f", "svg,dot,md,html", "--all-views")
        assert_clean(result, (1,), "render")
        assert LOCATED.search(result.stderr), result.stderr
    assert snapshot(tmp_path) == before, "something was written"


@needs_graphviz
def test_a_view_option_that_looks_like_a_path_writes_nothing(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "specs" / "spec.yaml", small_spec(views={"online": {"include": ["online"]}}))
    out = tmp_path / "a" / "b" / "out"
    before = snapshot(tmp_path)
    result = invoke("render", path, "-o", out, "-f", "svg", "--view", "../../../escaped")
    assert_clean(result, (1,))
    assert "no view named" in result.stderr
    assert snapshot(tmp_path) == before


@needs_graphviz
@pytest.mark.parametrize("stem", ["Weird Name!", "UPPER", "-dash", "ünïcödé", "a.b.c"])
def test_ids_from_odd_file_names_write_inside_the_folder(stem: str, tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "specs" / f"{stem}.yaml", small_spec())
    out = tmp_path / "out"
    before = snapshot(tmp_path, skip=[out])
    result = invoke("render", path, "-o", out, "-f", "svg")
    assert_clean(result, (0, 1))
    assert snapshot(tmp_path, skip=[out]) == before
    if result.exit_code == 1:
        assert LOCATED.search(result.stderr), result.stderr
    else:
        written = [p for p in out.rglob("*") if p.is_file()]
        assert len(written) == 1 and written[0].parent == out, written


@needs_graphviz
@pytest.mark.parametrize("command", ["render", "build", "explain"])
def test_a_symlink_in_the_output_folder_is_replaced_not_followed(command: str, tmp_path: Path) -> None:
    """An output name that is a link to a file elsewhere: the link is replaced, the file untouched."""
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("precious\n", encoding="utf-8")
    specs = tmp_path / "specs"
    path = write_yaml(specs / "spec.yaml", small_spec())
    out = tmp_path / "out"
    out.mkdir()
    for name in ("spec.svg", "spec.md", "index.md"):
        _symlink(out / name, victim)
    args = {
        "render": ["render", path, "-o", out, "-f", "svg,md"],
        "build": ["build", specs, "-o", out],
        "explain": ["explain", path, "-o", out / "spec.md"],
    }[command]
    assert_clean(invoke(*args), (0,), command)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (out / "spec.md").is_symlink() and (out / "spec.md").is_file()


@needs_graphviz
def test_a_spec_named_index_does_not_lose_its_explanation(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    write_yaml(specs / "index.yaml", small_spec("The index spec"))
    write_yaml(specs / "other.yaml", small_spec("Other"))
    out = tmp_path / "out"
    result = invoke("build", specs, "-o", out)
    assert_clean(result, (0, 1))
    if result.exit_code == 1:
        assert LOCATED.search(result.stderr), result.stderr
        return
    explanations = [
        p
        for p in out.glob("*.md")
        if "The index spec" in p.read_text(encoding="utf-8")
        and "## Clarifying requirements" in p.read_text(encoding="utf-8")
    ]
    assert explanations, "no file holds the explanation of the spec with id 'index'"


@needs_graphviz
def test_a_view_named_like_a_reveal_frame_is_not_overwritten(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "spec.yaml", small_spec(views={"step-1": {"include": ["watch"]}}))
    out = tmp_path / "out"
    result = invoke("render", path, "-o", out, "-f", "dot", "--all-views", "--steps")
    assert_clean(result, (0, 1))
    if result.exit_code == 1:
        assert LOCATED.search(result.stderr), result.stderr
        return
    texts = [p.read_text(encoding="utf-8") for p in out.glob("*.dot")]
    only_watch = [t for t in texts if re.search(r"^\s*watch \[", t, re.M) and not re.search(r"^\s*app \[", t, re.M)]
    assert only_watch, f"the view 'step-1' was overwritten by a reveal frame ({sorted(p.name for p in out.iterdir())})"


# --- atomic writes -------------------------------------------------------------------------


def _specs(folder: Path, title: str) -> Path:
    for name in ("alpha", "beta", "gamma"):
        write_yaml(folder / f"{name}.yaml", small_spec(f"{title} {name}", views={"online": {"include": ["online"]}}))
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Specs in an old and a new version, and a complete build of each."""
    if REAL_DOT is None:
        pytest.skip("Graphviz is not installed")
    root = tmp_path_factory.mktemp("two-builds")
    old_specs, new_specs = _specs(root / "old", "Old"), _specs(root / "new", "New")
    for specs, out in ((old_specs, root / "old-out"), (new_specs, root / "new-out")):
        assert_clean(invoke("build", specs, "-o", out), (0,))
    return {"old": old_specs, "new": new_specs, "old-out": root / "old-out", "new-out": root / "new-out"}


@pytest.mark.parametrize("after", [1, 6])
def test_an_interrupted_build_leaves_every_file_old_or_new(
    after: int, two_builds: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after N files are in place: the files already replaced are put back; no *.tmp."""
    out = tmp_path / "out"
    shutil.copytree(two_builds["old-out"], out)
    old, new = _files(two_builds["old-out"]), _files(two_builds["new-out"])

    real_replace = os.replace
    calls = []

    def interrupted(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) > after:
            raise KeyboardInterrupt
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(mlsd.atomic.os, "replace", interrupted)
    result = invoke("build", two_builds["new"], "-o", out)
    monkeypatch.setattr(mlsd.atomic.os, "replace", real_replace)
    assert_clean(result, (130,), "interrupted build")
    assert "interrupted" in result.stderr
    assert len(calls) > after, "the interruption did not happen mid-build"
    assert not temporaries(out), temporaries(out)
    # All or nothing: the run was interrupted, so every file is the earlier one.
    assert _files(out) == old
    assert_clean(invoke("build", two_builds["new"], "-o", out), (0,))
    assert _files(out) == new


@needs_graphviz
def test_an_interrupt_between_specs_keeps_earlier_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.build

    specs = _specs(tmp_path / "specs", "Title")
    out = tmp_path / "out"
    assert_clean(invoke("build", specs, "-o", out), (0,))
    before = _files(out)
    _specs(tmp_path / "specs", "Another title")  # every spec changes, so every spec renders again
    real = mlsd.build.spec_outputs
    seen = []

    def second_interrupts(spec, *args, **kwargs):
        seen.append(spec.id)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(mlsd.build, "spec_outputs", second_interrupts)
    result = invoke("build", specs, "-o", out)
    assert_clean(result, (130,))
    assert not temporaries(out)
    # Files are written only once every spec has rendered: the earlier build is intact.
    assert _files(out) == before


@needs_graphviz
def test_two_builds_into_one_folder_at_once(tmp_path: Path) -> None:
    specs = _specs(tmp_path / "specs", "Concurrent")
    out = tmp_path / "out"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "mlsd", "build", str(specs), "-o", str(out), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for extra in ([], ["-j", "3"])
    ]
    results = [p.communicate(timeout=120) for p in processes]
    for process, (_, stderr) in zip(processes, results, strict=False):
        assert process.returncode == 0, stderr.decode()
        assert b"Traceback" not in stderr
    assert not temporaries(out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    listed = [name for entry in manifest["specs"].values() for name in entry["files"]]
    assert sorted(manifest["specs"]) == ["alpha", "beta", "gamma"]
    for name in listed:
        assert (out / name).is_file(), f"the manifest lists {name}, which is missing"
    for path in out.iterdir():
        data = path.read_bytes()
        if path.suffix == ".svg":
            svg_root(data)
        elif path.suffix == ".png":
            assert data.startswith(PNG) and data.rstrip().endswith(b"IEND\xaeB`\x82"), path.name
        elif path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path.name
            check_html(data.decode("utf-8"))
        elif path.suffix == ".md":
            assert data.endswith(b"\n") and data.strip(), path.name
    # and a third build finds nothing to do
    again = invoke("build", specs, "-o", out)
    assert_clean(again, (0,))
    assert "built 0 specs, 3 unchanged" in again.output
