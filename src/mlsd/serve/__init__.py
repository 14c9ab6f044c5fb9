"""`mlsd serve`: a live preview of a specs folder in the browser.

    from mlsd.serve import serve, PreviewServer
    serve(Path("specs"))                                  # blocks until Ctrl-C
    server = PreviewServer(Path("specs"), port=0).start()  # background thread (tests)
    server.url; server.preview.settle(); server.close()

`PreviewServer` is the HTTP side (standard library); `Preview` holds the state:
results per spec, one worker thread that renders, a `watchfiles` watcher that
queues renders when files are saved, and an `EventHub` that tells open pages
(server-sent events) to fetch themselves again. See docs/serve.md.
"""

from __future__ import annotations

from mlsd.serve.events import EventHub
from mlsd.serve.preview import DIFF_VIEWS, Preview
from mlsd.serve.results import DiffResult, SpecResult
from mlsd.serve.server import PreviewServer, is_loopback, serve

__all__ = ["DIFF_VIEWS", "DiffResult", "EventHub", "Preview", "PreviewServer", "SpecResult", "is_loopback", "serve"]
