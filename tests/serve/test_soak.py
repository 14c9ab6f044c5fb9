"""The preview under load and through hostile changes to its folder, over real loopback sockets."""

from __future__ import annotations

import http.client
import os
import shutil
import threading
import time
from pathlib import Path

from mlsd.serve import PreviewServer

from .conftest import GOOD, Client, save, wait_until

REQUESTS = 200
LIMIT = 30.0  # seconds for every request to be answered


def _folder(tmp_path: Path, count: int = 6) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    for n in range(count):
        (folder / f"spec{n}.yaml").write_text(GOOD.replace("Live preview test", f"Design {n}"), encoding="utf-8")
    return folder


def _get(port: int, path: str, answers: list[tuple[str, int | str]]) -> None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=LIMIT)
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        reply = conn.getresponse()
        reply.read()
        conn.close()
        answers.append((path, reply.status))
    except OSError as err:
        answers.append((path, f"{type(err).__name__}: {err}"))


def test_200_concurrent_requests_at_start_up_are_all_answered(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    log: list[str] = []
    server = PreviewServer(folder, "127.0.0.1", 0, log=log.append).start()  # no waiting for the first loads
    try:
        routes = ["/", *(f"/spec/spec{n}.yaml" for n in range(6)), *(f"/picture/spec{n}.yaml" for n in range(6))]
        answers: list[tuple[str, int | str]] = []
        go = threading.Barrier(REQUESTS)

        def one(path: str) -> None:
            go.wait()  # all connect at the same moment
            _get(server.port, path, answers)

        start = time.monotonic()
        threads = [threading.Thread(target=one, args=(routes[i % len(routes)],)) for i in range(REQUESTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(LIMIT + 5)
        seconds = time.monotonic() - start
        assert len(answers) == REQUESTS, f"{REQUESTS - len(answers)} requests unanswered after {seconds:.1f} s"
        # A picture not drawn yet is a 503 with Retry-After: an answer, as designed.
        failed = [a for a in answers if a[1] not in (200, 503)]
        assert not failed, failed[:5]
        assert seconds < LIMIT, f"{REQUESTS} requests took {seconds:.1f} s"
        assert all(status == 200 for path, status in answers if not path.startswith("/picture/")), answers
        # Each spec is loaded and drawn once for all those requests, not once per request.
        assert server.preview.settle(60)
        drawn = [line for line in log if line.endswith(" s") and "rendered in" in line]
        assert len(drawn) == 6, drawn
    finally:
        server.close()


def test_a_folder_removed_and_made_again_is_listed_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    log: list[str] = []
    server = PreviewServer(folder, "127.0.0.1", 0, log=log.append).start()
    client = Client(server)
    try:
        assert server.preview.settle(20)
        assert "Design 1" in client.get("/").body
        shutil.rmtree(folder)
        wait_until(lambda: "Design 1" not in client.get("/").body, what="the removed folder's specs to go")
        folder.mkdir()
        save(folder / "again.yaml", GOOD.replace("Live preview test", "Back again"))
        wait_until(lambda: "Back again" in client.get("/").body, timeout=15, what="the new folder's spec")
        save(folder / "more.yaml", GOOD.replace("Live preview test", "And one more"))
        wait_until(lambda: "And one more" in client.get("/").body, timeout=15, what="a later spec in it")
    finally:
        server.close()


def test_a_symlink_loop_does_not_stop_the_watcher(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 1)
    log: list[str] = []
    server = PreviewServer(folder, "127.0.0.1", 0, log=log.append).start()
    client = Client(server)
    try:
        assert server.preview.settle(20)
        os.symlink("loop.yaml", folder / "loop.yaml")  # a link to itself, made while watching
        os.symlink("b", folder / "a")
        os.symlink("a", folder / "b")
        time.sleep(1)
        save(folder / "later.yaml", GOOD.replace("Live preview test", "Saved after the loop"))
        wait_until(lambda: "Saved after the loop" in client.get("/").body, timeout=15, what="a save after the loop")
        assert not [line for line in log if "live reload is off" in line], log
        assert any("loop.yaml" in line and "symlink loop" in line for line in log), log
    finally:
        server.close()


def test_a_symlink_out_of_the_folder_is_reported_and_not_listed(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 1)
    outside = tmp_path / "outside.yaml"
    outside.write_text(GOOD.replace("Live preview test", "Secret design"), encoding="utf-8")
    (folder / "leak.yaml").symlink_to(outside)
    log: list[str] = []
    server = PreviewServer(folder, "127.0.0.1", 0, log=log.append).start()
    try:
        assert server.preview.settle(20)
        assert "Secret design" not in Client(server).get("/").body
        assert any("leak.yaml:1:1: error: is a symlink to" in line for line in log), log
    finally:
        server.close()
