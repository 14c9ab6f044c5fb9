"""Fixtures of the hardening tests."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sockets, name lookups and connections all fail, and every attempt is recorded."""
    attempts: list[str] = []

    def refuse(name: str):
        def refused(*args, **kwargs):
            attempts.append(f"{name}{args[:2]!r}")
            raise OSError(f"network disabled by the test ({name})")

        return refused

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(f"socket{args[:2]!r}")
            raise OSError("network disabled by the test (socket)")

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in (
        "create_connection",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
        "socketpair",
        "create_server",
    ):
        monkeypatch.setattr(socket, name, refuse(name))
    # Proxies in the environment must not matter either.
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(var, "http://192.0.2.1:9")  # TEST-NET-1: never routable
    return attempts
