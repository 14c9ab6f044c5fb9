"""The HTTP side: `http.server.ThreadingHTTPServer`, one handler, a handful of routes.

Routes: `/` (every spec), `/spec/NAME` (one spec), `/picture/NAME?theme=T`
(its SVG), `/source/NAME` (a YAML file of the folder), `/diff?old=&new=&view=`,
`/events` (server-sent events), `/live.js` (the package's serve/live.js). NAME
is a path relative to the specs folder; nothing else on disk is reachable.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import queue
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from mlsd.errors import InputError, MlsdError
from mlsd.practice import PAGE_POLICY as PRACTICE_POLICY
from mlsd.serve.events import CLOSED
from mlsd.serve.pages import Pages
from mlsd.serve.paths import plain_relative
from mlsd.serve.preview import DIFF_VIEWS, Preview
from mlsd.serve.results import internal
from mlsd.vocabulary import DEFAULT_THEME, THEMES

# An idle event stream sends a comment this often, so a closed tab is noticed and its thread ends.
KEEPALIVE_SECONDS = 15.0
# Pages and the SVG: scripts only from this server (never inline), styles inline (the
# explanation carries its own), images only as data: URIs, nothing from the network.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _stderr(line: str) -> None:
    print(f"mlsd: {line}", file=sys.stderr, flush=True)


class PreviewServer(ThreadingHTTPServer):
    """The live preview of one specs folder, bound to `host:port` (port 0: any free port)."""

    daemon_threads = True  # open event streams must not keep the process alive
    # A browser opening many tabs (or a burst of requests at start-up) must not overflow the
    # listen queue: dropped connections are retried only after seconds (socketserver's default is 5).
    request_queue_size = 1024

    def __init__(
        self,
        specs_dir: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        templates: Path | None = None,
        log: Callable[[str], None] = _stderr,
        watch: bool = True,
    ) -> None:
        if not specs_dir.is_dir():
            raise InputError(f"{specs_dir}: not a folder")
        self.preview = Preview(specs_dir, templates=templates, log=log, watch=watch)
        self.pages = Pages(str(specs_dir))
        self.log = log
        self.host = host
        if ":" in host:
            self.address_family = socket.AF_INET6
        self._thread: threading.Thread | None = None
        try:
            super().__init__((host.strip("[]"), port), Handler)
        except OSError as err:
            raise InputError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None

    @property
    def port(self) -> int:
        """The port listened on (the real one when 0 was asked for)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host = self.host if self.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}/"

    @property
    def loopback(self) -> bool:
        """True when only this machine can connect."""
        return is_loopback(self.host)

    def start(self) -> PreviewServer:
        """Start loading specs and serve from a background thread (tests, embedding)."""
        self.preview.start()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="mlsd-serve-http", daemon=True
        )
        self._thread.start()
        return self

    def run(self) -> None:
        """Serve in this thread until Ctrl-C (or SIGTERM), then shut down cleanly."""
        try:
            with _terminate_as_interrupt():
                if not self.loopback:
                    self.log(
                        f"warning: listening on {self.host}, not on loopback:"
                        " anyone who can reach this machine can read the specs"
                    )
                # Announced only now: a signal from here on is a clean stop.
                self.log(f"serving {self.preview.folder} at {self.url} (Ctrl-C to stop)")
                self.preview.start()
                self.serve_forever(poll_interval=0.5)
        except KeyboardInterrupt:
            self.log("stopping")
        finally:
            self.close()

    def close(self) -> None:
        """Stop everything: event streams, watcher, worker, listener."""
        self.preview.stop()
        if self._thread is not None:
            self.shutdown()  # only valid while serve_forever runs in another thread
            self._thread.join(5)
            self._thread = None
        self.server_close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def host_allowed(self, header: str | None) -> bool:
        """Bound to loopback, only loopback names may be asked for: a web page elsewhere cannot
        rebind its own domain to 127.0.0.1 and read the specs (DNS rebinding)."""
        if not self.loopback:
            return True
        if not header:
            return False
        name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
        return name.lower() in LOOPBACK_NAMES or name == self.host


class Handler(BaseHTTPRequestHandler):
    """One request; pages read the preview's results and never render."""

    server: PreviewServer
    server_version = "mlsd-serve"
    timeout = 60  # a client that stops talking frees its thread

    def do_GET(self) -> None:
        self._handle(body=True)

    def do_HEAD(self) -> None:
        self._handle(body=False)

    def _not_allowed(self) -> None:
        self._page(
            HTTPStatus.METHOD_NOT_ALLOWED,
            "Method not allowed",
            "The preview only reads.",
            body=True,
            headers={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def version_string(self) -> str:
        """No Python version in the Server header."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows renders and errors, not every request."""

    # ------------------------------------------------------------ routing

    def _handle(self, body: bool) -> None:
        try:
            self._route(body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the browser went away
        except Exception as err:
            self.server.log(f"{self.path}: {internal(err)}")
            with contextlib.suppress(OSError):
                self._page(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal error", internal(err), body=body)

    def _route(self, body: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not self.server.host_allowed(hosts[0]):
            self._page(HTTPStatus.FORBIDDEN, "Forbidden", "This preview answers only to localhost.", body=body)
            return
        split = urlsplit(self.path)
        if not split.path.startswith("/"):
            self._bad_path(body)
            return
        try:
            # Decoded per segment, so an encoded %2f or %2e%2e is seen for what it is.
            parts = [unquote(part, errors="strict") for part in split.path[1:].split("/")]
            query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True, errors="strict").items()}
        except UnicodeDecodeError:
            self._bad_path(body)
            return
        if parts == [""]:
            self._send_html(
                self.server.pages.index(self.server.preview.specs(), self.server.preview.version, DIFF_VIEWS), body
            )
            return
        head, name = parts[0], "/".join(parts[1:])
        if any(p in (".", "..") or "/" in p or "\\" in p or "\x00" in p for p in parts):
            self._bad_path(body)
            return
        if head in ("spec", "picture", "source", "practice"):
            if plain_relative(name) is None:
                self._bad_path(body)
                return
            routes = {"spec": self._spec, "picture": self._picture, "source": self._source, "practice": self._practice}
            routes[head](name, query, body)
        elif len(parts) == 1 and head == "diff":
            self._diff(query, body)
        elif len(parts) == 1 and head == "events":
            self._events()
        elif len(parts) == 1 and head == "live.js":
            self._send(HTTPStatus.OK, self.server.pages.script, "text/javascript; charset=utf-8", body)
        else:
            self._not_found(body)

    # ------------------------------------------------------------ routes

    def _spec(self, name: str, query: dict[str, str], body: bool) -> None:
        preview = self.server.preview
        version = preview.version  # read first: a change after this makes the page's `hello` refresh
        result = preview.spec(name)
        if result is None:
            self._not_found(body, f"No spec named '{name}' in this folder.")
            return
        self._send_html(self.server.pages.spec(result, version), body)

    def _picture(self, name: str, query: dict[str, str], body: bool) -> None:
        theme = query.get("theme", DEFAULT_THEME)
        result = self.server.preview.spec(name)
        if result is None or theme not in THEMES:
            self._not_found(body)
        elif theme not in result.pictures:
            self._page(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "No picture yet",
                result.picture_error or "The picture is not drawn yet (or the spec is invalid).",
                body=body,
                headers={"Retry-After": "1"},
            )
        else:
            self._send(HTTPStatus.OK, result.pictures[theme].encode("utf-8"), "image/svg+xml", body, policy=FILE_POLICY)

    def _source(self, name: str, query: dict[str, str], body: bool) -> None:
        path = self.server.preview.source_file(name)
        if path is None:
            self._not_found(body, f"No YAML file named '{name}' in this folder.")
            return
        try:
            data = path.read_bytes()
        except OSError as err:
            self._page(HTTPStatus.NOT_FOUND, "Not found", f"{name}: {err.strerror or err}", body=body)
            return
        self._send(HTTPStatus.OK, data, "text/plain; charset=utf-8", body, policy=FILE_POLICY)

    def _practice(self, name: str, query: dict[str, str], body: bool) -> None:
        path = self.server.preview.source_file(name)
        if path is None or self.server.preview.spec(name) is None:
            self._not_found(body, f"No spec named '{name}' in this folder.")
            return
        try:
            text = self.server.pages.practice(path)
        except MlsdError as err:
            self._page(HTTPStatus.UNPROCESSABLE_ENTITY, "No practice page", str(err), body=body)
            return
        self._send(HTTPStatus.OK, text.encode("utf-8"), "text/html; charset=utf-8", body, policy=PRACTICE_POLICY)

    def _diff(self, query: dict[str, str], body: bool) -> None:
        preview = self.server.preview
        version = preview.version
        names = [r.name for r in preview.specs()]
        old, new = query.get("old") or None, query.get("new") or None
        view = query.get("view") or DIFF_VIEWS[0]
        result = None
        if old is not None and new is not None:
            result = preview.diff(old, new, view)
            if result is None:
                self._not_found(body, f"Choose two specs of this folder and a view ({', '.join(DIFF_VIEWS)}).")
                return
        self._send_html(self.server.pages.diff(result, names, old, new, view, DIFF_VIEWS, version), body)

    def _events(self) -> None:
        hub = self.server.preview.hub
        inbox = hub.subscribe()  # before reading the version, so no change falls in between
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            hello = json.dumps({"version": self.server.preview.version})
            self._write(f"retry: 1000\nevent: hello\ndata: {hello}\n\n")
            while True:
                try:
                    event = inbox.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self._write(": keep-alive\n\n")
                    continue
                if event is CLOSED:
                    return
                self._write(f"event: change\ndata: {json.dumps(event)}\n\n")
        finally:
            hub.unsubscribe(inbox)

    # ------------------------------------------------------------ responses

    def _write(self, text: str) -> None:
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()

    def _bad_path(self, body: bool) -> None:
        self._page(
            HTTPStatus.BAD_REQUEST,
            "Bad path",
            "Paths are names of files inside the specs folder: no '..', '.', '//' or '\\'.",
            body=body,
        )

    def _not_found(self, body: bool, message: str = "Nothing here.") -> None:
        self._page(HTTPStatus.NOT_FOUND, "Not found", message, body=body)

    def _page(
        self, status: HTTPStatus, heading: str, message: str, *, body: bool, headers: dict[str, str] | None = None
    ) -> None:
        text = self.server.pages.message(heading, message, self.server.preview.version)
        self._send(status, text.encode("utf-8"), "text/html; charset=utf-8", body, headers=headers)

    def _send_html(self, text: str, body: bool) -> None:
        self._send(HTTPStatus.OK, text.encode("utf-8"), "text/html; charset=utf-8", body)

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        content_type: str,
        body: bool,
        *,
        policy: str = PAGE_POLICY,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) shuts down as cleanly as Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(
    specs_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    templates: Path | None = None,
    log: Callable[[str], None] = _stderr,
) -> None:
    """`mlsd serve`: preview every spec of `specs_dir` at http://host:port/ until Ctrl-C."""
    PreviewServer(specs_dir, host, port, templates=templates, log=log).run()
