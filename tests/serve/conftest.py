"""Fixtures for the preview tests: a specs folder and the server on an ephemeral port."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlsd.serve import PreviewServer

HOSTILE = Path(__file__).parents[1] / "explain" / "specs" / "hostile.yaml"

GOOD = """\
mlsd: 1
title: Live preview test
components:
  app: {kind: client, label: Mobile app}
  api: {kind: api-gateway, label: Front door}
  ranker: {kind: ranking-service, label: Ranker Alpha}
flows:
  - app -> api -> ranker: request
"""
GOOD_KIND_LINE = 6  # the line of `kind: ranking-service`, which the tests break

BROKEN = """\
mlsd: 1
title: Broken on purpose
components:
  app: {kind: client}
  store: {kind: feature-store-onlin}
"""
BROKEN_LINE = 5

BASE = """\
mlsd: 1
title: Base design
components:
  app: {kind: client, label: Base app}
  store: {kind: feature-store-online, label: Base store}
flows:
  - app -> store
"""

CHILD = """\
extends: _base.yaml
title: Child design
components:
  app: {label: Child app}
"""


def wait_until(check: Callable[[], object], timeout: float = 10.0, what: str = "condition") -> object:
    """Poll `check` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def save(path: Path, text: str) -> None:
    """Write a file as an editor does, and make sure its mtime moves (coarse clocks)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Client:
    """Raw HTTP against the preview: http.client sends the path exactly as written (no normalising)."""

    def __init__(self, server: PreviewServer) -> None:
        self.server = server

    def get(self, path: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            default = {"Host": f"127.0.0.1:{self.server.port}"}
            for key, value in (default if headers is None else headers).items():
                conn.putheader(key, value)
            conn.endheaders()
            reply = conn.getresponse()
            body = reply.read().decode("utf-8", "replace")
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, body)
        finally:
            conn.close()


class EventStream:
    """A reader of `/events`: the parsed server-sent events, one at a time."""

    def __init__(self, server: PreviewServer, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        self.sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        status = self.file.readline().decode()
        assert " 200 " in status, status
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass  # headers

    def next(self) -> tuple[str, dict] | None:
        """The next event as (name, data); None when the stream ended."""
        name, data = "message", ""
        while True:
            line = self.file.readline()
            if not line:
                return None
            text = line.decode().rstrip("\r\n")
            if not text:
                if data:
                    return name, json.loads(data)
                continue
            field, _, value = text.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data += value

    def until(self, check: Callable[[str, dict], bool]) -> tuple[str, dict]:
        """Read events until one passes `check` (a socket timeout fails the test)."""
        while True:
            event = self.next()
            assert event is not None, "the event stream ended"
            if check(*event):
                return event

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture
def specs_dir(tmp_path: Path) -> Path:
    """A folder with a valid spec, an invalid one, a hostile one, and a child extending a base."""
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "_base.yaml").write_text(BASE, encoding="utf-8")
    (folder / "child.yaml").write_text(CHILD, encoding="utf-8")
    shutil.copy(HOSTILE, folder / "hostile.yaml")
    return folder


@pytest.fixture
def log() -> list[str]:
    """What the server printed."""
    return []


@pytest.fixture
def server(specs_dir: Path, log: list[str]) -> Iterator[PreviewServer]:
    """The preview of `specs_dir` on 127.0.0.1 and a free port, with every spec loaded."""
    running = PreviewServer(specs_dir, "127.0.0.1", 0, log=log.append).start()
    try:
        assert running.preview.settle(20), "the first loads did not finish"
        yield running
    finally:
        running.close()


@pytest.fixture
def client(server: PreviewServer) -> Client:
    return Client(server)
