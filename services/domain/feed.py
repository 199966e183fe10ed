"""The services' Qt-free change listener (变更通知): jobs nobody clicked tell the screens.

A screen that makes a call re-emits the :class:`~services.domain.dto.Changes` the call returned.
Work that no screen started (the overdue scan, expiring missed sessions, a sync pull, a holiday
schedule arriving) publishes its ``Changes`` here; the desktop's controllers subscribe and turn
them into the ``AppEvents.changed`` Qt signal. Listeners run on the publishing thread, so a
listener must be cheap and thread-safe (emitting a Qt signal is).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from services.domain.dto import Changes

Listener = Callable[[Changes], None]
log = logging.getLogger(__name__)


class ChangeFeed:
    """Subscribe to what background service work changed; publish after the commit."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns the function that removes it again."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        """Tell every listener (nothing when ``changes`` is empty).

        A failing listener is logged and the rest still hear it: the data is already committed.
        """
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # one broken listener must not hide the change from the others
                log.exception("a change listener failed")
