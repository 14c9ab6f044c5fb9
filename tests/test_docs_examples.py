"""The user documentation stays true: its example specs validate and its links stay inside the repository.

Example specs are the ```yaml blocks of docs/spec-format.md and docs/cli.md whose
first line that is not a comment is `mlsd: 1`. A block whose leading comments
include `# file: NAME.yaml` is written under that name, so a variant can
`extends:` a base shown earlier on the same page; the others get a name of
their own. A ```yaml invalid block must fail validation with the lines of the
```text block that follows it. Other info strings (```yaml fragment) are not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from mlsd.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DOCS = ("docs/spec-format.md", "docs/cli.md")

# CommonMark: the info string of a backtick fence has no backtick ("```` ```x ````" is a code span).
_FENCE = re.compile(r"^ {0,3}(?:(`{3,})\s*([^`]*)|(~{3,})\s*(.*))$")
_FILE_NAME = re.compile(r"^#\s*file:\s*([A-Za-z0-9_.-]+\.yaml)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a Markdown file."""

    doc: str
    line: int  # of the opening fence, from 1
    info: str
    text: str

    @property
    def is_spec(self) -> bool:
        for line in self.text.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                return line.strip() == "mlsd: 1"
        return False

    @property
    def file_name(self) -> str:
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            found = _FILE_NAME.match(line)
            if found:
                return found.group(1)
        return f"example-line-{self.line}.yaml"


def _fence_parts(opening: re.Match[str]) -> tuple[str, str]:
    """The fence characters and the info string of an opening fence line."""
    backticks, info, tildes, tilde_info = opening.groups()
    return (backticks, info) if backticks else (tildes, tilde_info)


def fenced_blocks(doc: str) -> list[Block]:
    """Every fenced block of `doc` (a path relative to the repository), in order."""
    blocks: list[Block] = []
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, info = _fence_parts(opening)
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", lines[end]):
            body.append(lines[end])
            end += 1
        blocks.append(Block(doc, index + 1, info.strip(), "\n".join(body) + "\n"))
        index = end + 1
    return blocks


def _examples(kind: str) -> list[Block]:
    return [b for doc in EXAMPLE_DOCS for b in fenced_blocks(doc) if b.info == kind and b.is_spec]


VALID = _examples("yaml")
INVALID = _examples("yaml invalid")


def _write_examples(doc: str, folder: Path) -> None:
    """Every example spec of `doc` into `folder`, so `extends` finds its base."""
    for block in fenced_blocks(doc):
        if block.info in ("yaml", "yaml invalid") and block.is_spec:
            (folder / block.file_name).write_text(block.text, encoding="utf-8")


def _validate(block: Block, folder: Path, monkeypatch: pytest.MonkeyPatch):
    _write_examples(block.doc, folder)
    monkeypatch.chdir(folder)  # messages then name the file as the page shows it
    return CliRunner().invoke(main, ["validate", block.file_name])


def test_the_format_page_has_examples() -> None:
    assert any(b.doc == "docs/spec-format.md" for b in VALID)
    names = [b.file_name for b in VALID + INVALID]
    assert len(names) == len(set(names)), "two examples name the same file"


@pytest.mark.parametrize("block", VALID, ids=[f"{b.doc}:{b.line}" for b in VALID])
def test_example_spec_is_valid(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _validate(block, tmp_path, monkeypatch)
    assert result.exit_code == 0, f"the example at {block.doc}:{block.line} is not valid:\n{result.output}"


@pytest.mark.parametrize("block", INVALID, ids=[f"{b.doc}:{b.line}" for b in INVALID])
def test_invalid_example_reports_what_the_page_shows(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = fenced_blocks(block.doc)
    shown = next((b for b in blocks if b.line > block.line), None)
    assert shown is not None and shown.info == "text", f"{block.doc}:{block.line} needs a ```text block after it"
    result = _validate(block, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    printed = result.output.splitlines()
    for line in shown.text.splitlines():
        assert line in printed, f"{block.doc}:{shown.line} shows a line mlsd does not print: {line!r}\n{result.output}"


# ---------------------------------------------------------------- links

LINKED_DOCS = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]

_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def outside_fences(doc: str) -> str:
    """The Markdown of `doc` without its fenced blocks."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    kept, fence = [], None
    for line in lines:
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = _fence_parts(opening)[0]
        elif fence is not None and re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", line):
            fence = None
        elif fence is None:
            kept.append(line)
    return "\n".join(kept)


def prose(doc: str) -> str:
    """The Markdown of `doc` without fenced blocks and code spans, where nothing is a link."""
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", outside_fences(doc), flags=re.DOTALL)


def links(doc: str) -> list[str]:
    """Every link target written in `doc`."""
    text = prose(doc)
    return _INLINE.findall(text) + _REFERENCE.findall(text) + _HTML.findall(text)


def _local(target: str) -> tuple[str, str] | None:
    """(path, fragment) of a link into the repository; None for a URL or a bare fragment."""
    if _SCHEME.match(target) or target.startswith("//"):
        return None
    path, _, fragment = target.partition("#")
    path = path.split("?", 1)[0]
    return (unquote(path), unquote(fragment)) if path else None


def _resolve(doc: str, path: str) -> Path:
    base = ROOT if path.startswith("/") else (ROOT / doc).parent
    return (base / path.lstrip("/")).resolve()


@pytest.mark.parametrize("doc", LINKED_DOCS)
def test_relative_links_stay_in_the_repository(doc: str) -> None:
    problems = []
    for target in links(doc):
        local = _local(target)
        if local is None:
            continue
        resolved = _resolve(doc, local[0])
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
    assert not problems, f"{doc} has broken links:\n" + "\n".join(problems)


def slugs(doc: Path) -> set[str]:
    """The anchors GitHub makes from the headings of a Markdown file."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    for line in outside_fences(str(doc.relative_to(ROOT))).splitlines():
        heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
        text = re.sub(r"<[^>]+>", "", text).lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        number = counts.get(slug, 0)
        counts[slug] = number + 1
        found.add(slug if number == 0 else f"{slug}-{number}")
    return found


@pytest.mark.parametrize("doc", LINKED_DOCS)
def test_anchors_name_a_heading(doc: str) -> None:
    problems = []
    for target in links(doc):
        if target.startswith("#"):
            file, fragment = ROOT / doc, unquote(target[1:])
        else:
            local = _local(target)
            if local is None or not local[1]:
                continue
            file, fragment = _resolve(doc, local[0]), local[1]
        if file.suffix == ".md" and file.is_relative_to(ROOT) and file.is_file() and fragment not in slugs(file):
            problems.append(f"{target}: no heading makes the anchor #{fragment}")
    assert not problems, f"{doc} links to missing anchors:\n" + "\n".join(problems)
