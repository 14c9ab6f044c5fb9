"""The practice pages are linked: from the gallery's index (`mlsd build`) and from `mlsd serve`."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlsd.build import build, index_text
from mlsd.load import load_spec
from mlsd.render import RenderOptions
from mlsd.serve import PreviewServer

from .conftest import SPARSE


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "sparse.yaml").write_text(SPARSE, encoding="utf-8")
    return specs


def test_build_writes_each_practice_page_and_the_index_links_it(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (result,) = build([load_spec(folder / "sparse.yaml")], out, RenderOptions())
    names = {p.name for p in result.files}
    assert {"sparse.practice.html", "sparse.practice.md", "sparse.practice.svg"} <= names
    assert (out / "sparse.practice.html").is_file()
    assert '<a href="sparse.practice.html">Practice</a>' in (out / "index.html").read_text(encoding="utf-8")
    assert "[Practice](sparse.practice.html)" in index_text([load_spec(folder / "sparse.yaml")], "md")


@pytest.fixture
def server(folder: Path) -> Iterator[PreviewServer]:
    running = PreviewServer(folder, "127.0.0.1", 0, log=lambda line: None, watch=False).start()
    try:
        assert running.preview.settle(20)
        yield running
    finally:
        running.close()


def _get(server: PreviewServer, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{server.port}"})
        reply = conn.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read().decode("utf-8")
    finally:
        conn.close()


def test_serve_links_each_spec_to_its_practice_page(server: PreviewServer) -> None:
    _get(server, "/spec/sparse.yaml")
    assert server.preview.settle(20)
    status, _, page = _get(server, "/spec/sparse.yaml")
    assert status == 200 and '<a href="/practice/sparse.yaml">practice</a>' in page
    status, headers, practice = _get(server, "/practice/sparse.yaml")
    assert status == 200
    assert "<title>Practice: A sparse design</title>" in practice
    assert "script-src 'unsafe-inline'" in headers["content-security-policy"]
    assert "Risk scorer" not in practice
    status, _, _ = _get(server, "/practice/nothing.yaml")
    assert status == 404
