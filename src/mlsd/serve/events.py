"""Fan-out of change events to every open page (each one an SSE stream)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping

CLOSED = None  # what a subscriber receives when the server stops


class EventHub:
    """Each subscriber gets its own queue; `publish` puts one event in all of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[queue.Queue] = set()
        self._closed = False

    def subscribe(self) -> queue.Queue:
        """A new queue of events; one that subscribes after `close` gets CLOSED at once."""
        inbox: queue.Queue = queue.Queue()
        with self._lock:
            if self._closed:
                inbox.put(CLOSED)
            else:
                self._subscribers.add(inbox)
        return inbox

    def unsubscribe(self, inbox: queue.Queue) -> None:
        """Stop delivering to `inbox` (the page went away)."""
        with self._lock:
            self._subscribers.discard(inbox)

    def publish(self, event: Mapping[str, object]) -> None:
        """Deliver `event` to every subscriber; never blocks (the queues are unbounded)."""
        with self._lock:
            for inbox in self._subscribers:
                inbox.put(dict(event))

    def close(self) -> None:
        """Tell every stream to end, so shutdown does not wait on open pages."""
        with self._lock:
            self._closed = True
            for inbox in self._subscribers:
                inbox.put(CLOSED)
            self._subscribers.clear()

    @property
    def count(self) -> int:
        """How many streams are open."""
        with self._lock:
            return len(self._subscribers)
