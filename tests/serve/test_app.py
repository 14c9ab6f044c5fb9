"""The preview server over HTTP: pages, refusals, escaping, errors, live events."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from mlsd.serve import PreviewServer, SpecResult
from mlsd.serve import preview as preview_module
from mlsd.serve.worker import Worker

from .conftest import BROKEN_LINE, GOOD, GOOD_KIND_LINE, Client, EventStream, save, wait_until


def rendered_page(client: Client, server: PreviewServer, name: str) -> str:
    """The spec page once its first rendering is done."""
    client.get(f"/spec/{name}")  # the first look asks for the rendering
    assert server.preview.settle(20)
    return client.get(f"/spec/{name}").body


# ---------------------------------------------------------------- pages


def test_index_lists_every_spec_by_title_with_its_status(client: Client) -> None:
    page = client.get("/")
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'href="/spec/good.yaml">Live preview test</a>' in page.body
    assert 'href="/spec/child.yaml">Child design</a>' in page.body
    assert re.search(r"broken\.yaml</code></td>\s*<td><span class=\"badge invalid\">invalid: 1 error", page.body)
    assert "_base.yaml</code>" not in page.body  # underscore files are bases, not specs
    assert '<form class="diff" action="/diff"' in page.body


def test_spec_page_has_the_picture_both_themes_review_and_explanation(client: Client, server: PreviewServer) -> None:
    page = rendered_page(client, server, "good.yaml")
    assert page.count("<svg") == 2
    assert '<figure class="picture light"><svg' in page
    assert '<figure class="picture dark"><svg' in page
    assert "Ranker Alpha" in page
    assert '<section id="review">' in page and "sev-" in page  # the small design has findings
    assert '<iframe class="explanation"' in page and 'sandbox="allow-same-origin"' in page
    assert 'id="theme"' in page
    assert "<?xml" not in page  # the SVG is inlined as an element, not a document


def test_a_spec_page_answers_at_once_while_the_worker_is_busy(
    client: Client, server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    slow = preview_module.draw_result

    def stuck(*args: object, **kwargs: object) -> object:
        release.wait(10)
        return slow(*args, **kwargs)

    monkeypatch.setattr(preview_module, "draw_result", stuck)
    try:
        started = time.monotonic()
        first = client.get("/spec/good.yaml")
        index = client.get("/")
        again = client.get("/spec/good.yaml")
        assert time.monotonic() - started < 2
        assert first.status == index.status == again.status == 200
        assert "Rendering…" in again.body and "<svg" not in again.body
    finally:
        release.set()
    assert server.preview.settle(20)
    assert "<svg" in client.get("/spec/good.yaml").body


def test_picture_and_source_routes_serve_the_folders_own_files(client: Client, server: PreviewServer) -> None:
    rendered_page(client, server, "good.yaml")
    svg = client.get("/picture/good.yaml?theme=dark")
    assert svg.status == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "<svg" in svg.body
    assert "sandbox" in svg.headers["content-security-policy"]
    source = client.get("/source/good.yaml")
    assert source.status == 200 and source.body == GOOD
    assert source.headers["content-type"] == "text/plain; charset=utf-8"
    assert client.get("/source/_base.yaml").status == 200  # a base spec may be read too
    assert client.get("/picture/good.yaml?theme=sepia").status == 404


def test_every_response_forbids_scripts_and_loads_from_elsewhere(client: Client) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert client.get("/").headers["x-content-type-options"] == "nosniff"
    script = client.get("/live.js")
    assert script.status == 200 and "EventSource('/events')" in script.body


def test_the_script_and_style_are_the_files_in_templates_serve(client: Client) -> None:
    from mlsd.explain.render import default_templates

    folder = default_templates() / "serve"
    script = client.get("/live.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.body == (folder / "live.js").read_text(encoding="utf-8")
    style = (folder / "preview.css").read_text(encoding="utf-8")
    assert f"<style>{style}</style>" in client.get("/").body


def test_head_unknown_routes_and_other_methods(client: Client) -> None:
    head = client.get("/spec/good.yaml", method="HEAD")
    assert head.status == 200 and head.body == ""
    assert client.get("/nope").status == 404
    assert client.get("/spec/missing.yaml").status == 404
    assert client.get("/favicon.ico").status == 404
    post = client.get("/", method="POST")
    assert post.status == 405 and post.headers["allow"] == "GET, HEAD"


def test_other_host_names_are_refused(client: Client) -> None:
    # A page on another site that rebinds its name to 127.0.0.1 sends its own Host.
    assert client.get("/", headers={"Host": "evil.example"}).status == 403
    assert client.get("/", headers={}).status == 403
    assert client.get("/", headers={"Host": f"localhost:{client.server.port}"}).status == 200


# ---------------------------------------------------------------- refusals


TRAVERSALS = (
    "/source/../pyproject.toml",
    "/source/../../etc/passwd",
    "/spec/../good.yaml",
    "/source/%2e%2e/outside.yaml",
    "/source/%2E%2E%2Foutside.yaml",
    "/source/..%2f..%2fetc%2fpasswd",
    "/source/sub/../good.yaml",
    "/source/./good.yaml",
    "/source//etc/passwd",
    "/spec/%2Fetc%2Fpasswd",
    "/source/%2fetc%2fpasswd",
    "/source/..%5c..%5coutside.yaml",
    "/source/good.yaml%00.txt",
    "/source/C:/Windows/win.ini",
    "/source/%ff%fe.yaml",
    "/../outside.yaml",
    "/picture/../outside.yaml",
    "/picture/%2e%2e/outside.yaml",
)


def test_paths_out_of_the_folder_are_refused(client: Client, specs_dir: Path) -> None:
    (specs_dir.parent / "outside.yaml").write_text("secret: outside\n", encoding="utf-8")
    for path in TRAVERSALS:  # one server for all: each case is one request
        reply = client.get(path)
        assert reply.status in (400, 404), (path, reply.status)
        assert "secret" not in reply.body and "root:" not in reply.body and "[build-system]" not in reply.body, path
    assert client.get("/").status == 200


def test_absolute_paths_and_non_yaml_files_are_refused(client: Client, specs_dir: Path) -> None:
    (specs_dir / "notes.txt").write_text("private notes", encoding="utf-8")
    for path in ("/etc/passwd", "/source/etc/passwd", "/source/notes.txt", "/http://127.0.0.1/etc/passwd"):
        reply = client.get(path)
        assert reply.status in (400, 404), path
        assert "private notes" not in reply.body and "root:" not in reply.body


def test_symlinks_out_of_the_folder_are_neither_listed_nor_served(specs_dir: Path, log: list[str]) -> None:
    outside = specs_dir.parent / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(GOOD.replace("Live preview test", "Secret design"), encoding="utf-8")
    (specs_dir / "link.yaml").symlink_to(outside / "secret.yaml")
    (specs_dir / "linked").symlink_to(outside, target_is_directory=True)
    (specs_dir / "inner.yaml").symlink_to(specs_dir / "good.yaml")  # a link inside the folder is fine
    server = PreviewServer(specs_dir, "127.0.0.1", 0, log=log.append).start()
    try:
        assert server.preview.settle(20)
        client = Client(server)
        index = client.get("/").body
        assert "Secret design" not in index and "link.yaml" not in index and "linked/" not in index
        assert "inner.yaml" in index
        for path in (
            "/spec/link.yaml",
            "/source/link.yaml",
            "/spec/linked/secret.yaml",
            "/source/linked/secret.yaml",
            "/picture/link.yaml",
        ):
            reply = client.get(path)
            assert reply.status == 404, path
            assert "Secret design" not in reply.body
        assert client.get("/source/inner.yaml").status == 200
    finally:
        server.close()


# ---------------------------------------------------------------- escaping


def test_spec_text_is_escaped_everywhere(client: Client, server: PreviewServer) -> None:
    page = rendered_page(client, server, "hostile.yaml")
    index = client.get("/").body
    for html in (page, index):
        assert "<script>alert" not in html
        assert "H01 &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The explanation sits in srcdoc, escaped once more as an attribute value.
    assert "&amp;lt;script&amp;gt;" in page
    srcdoc = re.search(r'srcdoc="([^"]*)"', page)
    assert srcdoc is not None and "<" not in srcdoc.group(1)
    assert '"q"' not in page.split("<main", 1)[1].split("<svg", 1)[0]  # quotes escaped in text and attributes


def test_spec_names_are_escaped_and_url_encoded(specs_dir: Path, log: list[str]) -> None:
    (specs_dir / "a&b <x>.yaml").write_text(GOOD, encoding="utf-8")
    server = PreviewServer(specs_dir, "127.0.0.1", 0, log=log.append).start()
    try:
        assert server.preview.settle(20)
        client = Client(server)
        index = client.get("/").body
        assert "<code>a&amp;b &lt;x&gt;.yaml</code>" in index
        assert 'href="/spec/a%26b%20%3Cx%3E.yaml"' in index
        assert client.get("/spec/a%26b%20%3Cx%3E.yaml").status == 200
    finally:
        server.close()


# ---------------------------------------------------------------- errors on the page


def test_an_invalid_spec_shows_its_located_errors_instead_of_a_picture(client: Client) -> None:
    page = client.get("/spec/broken.yaml")
    assert page.status == 200
    assert "<svg" not in page.body
    assert re.search(rf"broken\.yaml:{BROKEN_LINE}:\d+: error: unknown kind &#39;feature-store-onlin&#39;", page.body)
    assert 'id="errors"' in page.body
    assert client.get("/").status == 200  # and the server lives on


def test_graphviz_failing_is_shown_and_a_fix_brings_the_picture_back(
    client: Client, server: PreviewServer, specs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-graphviz"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # `dot` is looked up on every render
    page = rendered_page(client, server, "good.yaml")
    assert "The picture could not be drawn" in page and "Graphviz is not installed" in page
    assert "<svg" not in page
    assert '<section id="review">' in page  # the rest of the page is still there
    monkeypatch.undo()
    stream = EventStream(server)
    try:
        save(specs_dir / "good.yaml", GOOD.replace("Ranker Alpha", "Ranker Again"))
        stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
    finally:
        stream.close()
    wait_until(lambda: "<svg" in client.get("/spec/good.yaml").body, what="the picture to come back")


def test_an_internal_error_in_rendering_is_shown_not_raised(
    client: Client, server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(preview_module, "draw_result", explode)
    page = rendered_page(client, server, "good.yaml")
    assert "internal error: ZeroDivisionError: boom" in page
    assert client.get("/").status == 200


def test_an_internal_error_in_the_explanation_step_is_shown_not_raised(
    client: Client, server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(preview_module, "explain_result", explode)
    page = rendered_page(client, server, "good.yaml")
    assert "internal error: ZeroDivisionError: boom" in page
    assert "<svg" not in page  # the job failed as a whole: nothing half-done is left standing


# ---------------------------------------------------------------- live updates


def test_saving_a_spec_sends_an_event_and_the_page_shows_the_change(
    client: Client, server: PreviewServer, specs_dir: Path
) -> None:
    rendered_page(client, server, "good.yaml")
    stream = EventStream(server)
    try:
        name, hello = stream.next()
        assert name == "hello" and hello["version"] == server.preview.version
        save(specs_dir / "good.yaml", GOOD.replace("Ranker Alpha", "Ranker Bravo"))
        _, change = stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
        assert change["version"] > hello["version"]
    finally:
        stream.close()
    page = client.get("/spec/good.yaml").body
    assert "Ranker Bravo" in page and "Ranker Alpha" not in page


def test_the_new_picture_is_announced_before_the_explanation_is_written(
    client: Client, server: PreviewServer, specs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered_page(client, server, "good.yaml")
    release = threading.Event()
    slow = preview_module.explain_result

    def stuck(*args: object, **kwargs: object) -> object:
        release.wait(10)
        return slow(*args, **kwargs)

    monkeypatch.setattr(preview_module, "explain_result", stuck)
    stream = EventStream(server)
    try:
        save(specs_dir / "good.yaml", GOOD.replace("Ranker Alpha", "Ranker Bravo"))
        stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
        page = client.get("/spec/good.yaml").body
        # The picture and the review are this save's; the explanation is being written.
        assert page.count("<svg") == 2 and "Ranker Bravo" in page and "Ranker Alpha" not in page
        assert '<section id="review">' in page
        assert '<section id="explanation" data-pending>' in page and "Writing the explanation…" in page
        assert "<iframe" not in page
        release.set()
        stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
    finally:
        release.set()
        stream.close()
    page = client.get("/spec/good.yaml").body
    assert "data-pending" not in page and '<iframe class="explanation"' in page and "Ranker Bravo" in page


def test_a_save_that_changes_nothing_sends_no_event(
    client: Client, server: PreviewServer, specs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered_page(client, server, "good.yaml")
    version = server.preview.version
    drawn: list[str] = []
    real = preview_module.draw_result

    def counted(result: SpecResult, spec: object) -> SpecResult:
        drawn.append(result.name)
        return real(result, spec)  # type: ignore[arg-type]

    monkeypatch.setattr(preview_module, "draw_result", counted)
    save(specs_dir / "good.yaml", GOOD)  # the same text, a new mtime
    wait_until(lambda: "good.yaml" in drawn, what="the save to be drawn")
    assert server.preview.settle(20)
    assert server.preview.version == version


def test_the_saved_spec_is_loaded_before_the_reloads_of_invalid_specs(
    client: Client, server: PreviewServer, specs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered_page(client, server, "good.yaml")
    loaded: list[str] = []
    real = preview_module.load_result

    def noted(name: str, path: Path, root: Path) -> object:
        loaded.append(name)
        return real(name, path, root)

    monkeypatch.setattr(preview_module, "load_result", noted)
    save(specs_dir / "good.yaml", GOOD.replace("Ranker Alpha", "Ranker Bravo"))
    wait_until(lambda: "good.yaml" in loaded, what="the saved spec to be loaded")
    assert server.preview.settle(20)
    # broken.yaml comes first in the folder and is reloaded on any save, but after the saved spec.
    assert loaded[0] == "good.yaml" and "broken.yaml" in loaded


def test_a_save_during_a_render_skips_the_outdated_explanation(
    client: Client, server: PreviewServer, specs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered_page(client, server, "good.yaml")
    spec = specs_dir / "good.yaml"
    queued = threading.Event()
    submit = Worker.submit

    def noted_submit(self: Worker, key: object, *, urgent: bool = False) -> None:
        submit(self, key, urgent=urgent)  # type: ignore[arg-type]
        if key == ("spec", "good.yaml"):
            queued.set()

    real_draw, real_explain = preview_module.draw_result, preview_module.explain_result
    explained: list[str] = []

    def draw_and_save_again(result: SpecResult, spec_model: object) -> SpecResult:
        drawn = real_draw(result, spec_model)  # type: ignore[arg-type]
        if "Ranker Bravo" in drawn.pictures.get("light", ""):
            queued.clear()
            save(spec, GOOD.replace("Ranker Alpha", "Ranker Charlie"))
            assert queued.wait(10), "the second save was not queued"
        return drawn

    def noted_explain(result: SpecResult, spec_model: object, templates: Path | None) -> SpecResult:
        explained.append("Bravo" if "Ranker Bravo" in result.pictures.get("light", "") else "Charlie")
        return real_explain(result, spec_model, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(Worker, "submit", noted_submit)
    monkeypatch.setattr(preview_module, "draw_result", draw_and_save_again)
    monkeypatch.setattr(preview_module, "explain_result", noted_explain)
    save(spec, GOOD.replace("Ranker Alpha", "Ranker Bravo"))
    wait_until(lambda: "Charlie" in explained, what="the newer save to be explained")
    assert server.preview.settle(20)
    assert explained == ["Charlie"]
    page = client.get("/spec/good.yaml").body
    assert "Ranker Charlie" in page and '<iframe class="explanation"' in page and "data-pending" not in page


def test_breaking_and_fixing_a_spec_live(client: Client, server: PreviewServer, specs_dir: Path) -> None:
    rendered_page(client, server, "good.yaml")
    spec = specs_dir / "good.yaml"
    stream = EventStream(server)
    try:
        save(spec, GOOD.replace("kind: ranking-service", "kind: ranking-servic"))
        _, change = stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
        assert change["list"]  # the index shows the new status
        page = client.get("/spec/good.yaml").body
        assert re.search(rf"good\.yaml:{GOOD_KIND_LINE}:\d+: error: unknown kind", page)
        assert "<svg" not in page
        save(spec, GOOD)
        stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
    finally:
        stream.close()
    page = client.get("/spec/good.yaml").body
    assert "<svg" in page and 'id="errors"' not in page


def test_saving_an_extends_base_rerenders_the_child(client: Client, server: PreviewServer, specs_dir: Path) -> None:
    assert "Base store" in rendered_page(client, server, "child.yaml")
    stream = EventStream(server)
    try:
        base = specs_dir / "_base.yaml"
        save(base, base.read_text(encoding="utf-8").replace("Base store", "Shiny store"))
        stream.until(lambda name, data: name == "change" and "child.yaml" in data["names"])
    finally:
        stream.close()
    assert "Shiny store" in client.get("/spec/child.yaml").body


def test_saving_a_template_rerenders_the_explanation(specs_dir: Path, tmp_path: Path, log: list[str]) -> None:
    from mlsd.explain.render import default_templates

    templates = tmp_path / "templates"
    templates.mkdir()
    original = (default_templates() / "explanation.html.j2").read_text(encoding="utf-8")
    (templates / "explanation.html.j2").write_text(original, encoding="utf-8")
    server = PreviewServer(specs_dir, "127.0.0.1", 0, templates=templates, log=log.append).start()
    try:
        client = Client(server)
        rendered_page(client, server, "good.yaml")
        stream = EventStream(server)
        try:
            save(templates / "explanation.html.j2", original.replace("<body>", "<body><p>MARKER-42</p>", 1))
            stream.until(lambda name, data: name == "change" and "good.yaml" in data["names"])
        finally:
            stream.close()
        assert "MARKER-42" in client.get("/spec/good.yaml").body
    finally:
        server.close()


def test_a_new_spec_appears_and_a_deleted_one_goes(client: Client, server: PreviewServer, specs_dir: Path) -> None:
    stream = EventStream(server)
    try:
        save(specs_dir / "fresh.yaml", GOOD.replace("Live preview test", "Fresh design"))
        stream.until(
            lambda name, data: (
                name == "change"
                and data["list"]
                and "fresh.yaml" in data["names"]
                and "Fresh design" in client.get("/").body
            )
        )
        (specs_dir / "broken.yaml").unlink()
        stream.until(lambda name, data: name == "change" and data["list"] and "broken.yaml" in data["names"])
    finally:
        stream.close()
    index = client.get("/").body
    assert "Fresh design" in index and "broken.yaml" not in index
    assert client.get("/spec/broken.yaml").status == 404


# ---------------------------------------------------------------- diff


def test_diff_page_compares_two_specs_side_by_side(client: Client, server: PreviewServer) -> None:
    assert "Choose an old and a new spec" in client.get("/diff").body
    chosen = client.get("/diff?old=good.yaml").body  # from a spec page's "compare with…"
    assert "Choose an old and a new spec" in chosen and '<option value="good.yaml" selected>' in chosen
    first = client.get("/diff?old=child.yaml&new=good.yaml")
    assert first.status == 200 and "Comparing…" in first.body
    assert server.preview.settle(30)
    page = client.get("/diff?old=child.yaml&new=good.yaml").body
    assert page.count("<svg") == 2
    assert "<figcaption>before: child.yaml</figcaption>" in page and "<figcaption>after: good.yaml</figcaption>" in page
    assert '<pre class="report">' in page and "components:" in page
    assert '<option value="child.yaml" selected>' in page


def test_diff_page_with_an_invalid_side_shows_the_errors(client: Client, server: PreviewServer) -> None:
    client.get("/diff?old=good.yaml&new=broken.yaml")
    assert server.preview.settle(30)
    page = client.get("/diff?old=good.yaml&new=broken.yaml").body
    assert re.search(rf"broken\.yaml:{BROKEN_LINE}:\d+: error:", page) and "<svg" not in page


def test_diff_page_refuses_names_outside_the_folder(client: Client) -> None:
    assert client.get("/diff?old=../outside.yaml&new=good.yaml").status == 404
    assert client.get("/diff?old=good.yaml&new=good.yaml&view=sideways").status == 404


# ---------------------------------------------------------------- shutdown


def test_close_ends_open_event_streams_promptly(specs_dir: Path, log: list[str]) -> None:
    server = PreviewServer(specs_dir, "127.0.0.1", 0, log=log.append).start()
    stream = EventStream(server)
    assert stream.next()[0] == "hello"
    started = time.monotonic()
    server.close()
    assert stream.next() is None  # the stream ended rather than hanging
    stream.close()
    assert time.monotonic() - started < 5


def test_a_busy_port_is_a_clear_error(server: PreviewServer, specs_dir: Path) -> None:
    from mlsd.errors import InputError

    with pytest.raises(InputError, match=rf"cannot listen on 127\.0\.0\.1:{server.port}"):
        PreviewServer(specs_dir, "127.0.0.1", server.port)
