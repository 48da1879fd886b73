"""Calendars written out in a process of their own.

Writing a decade of meetings as iCalendar takes tens of milliseconds of pure
Python. Done in a server thread it holds the GIL, and every reply being made
meanwhile waits its turn; in a separate process it runs on another core. The
database is still read here: the worker gets plain rows and loads only
icalendar, so it costs little memory.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from commands import calendar_ics
from storage.calendar_rows import FeedRows

log = logging.getLogger(__name__)


class CalendarWriter:
    """Called as `calendar_ics.ics` is; the writing is done by one worker process."""

    def __init__(self) -> None:
        # spawn: the worker starts from a clean interpreter, not a fork of this threaded
        # one, and loads only the writer's own modules (and the tiny `bot.__main__`).
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=self._context,
            initializer=_in_the_background,
            initargs=(os.getpid(),),
        )
        pool.submit(int).result()  # started now, not on the first user's request
        return pool

    def __call__(self, rows: FeedRows, now: datetime) -> bytes:
        pool = self._pool
        try:
            return pool.submit(calendar_ics.ics, rows, now).result()
        except BrokenProcessPool:
            log.warning("calendar worker stopped; starting another")
            with self._lock:
                if self._pool is pool:
                    self._pool = self._start()
            return self._pool.submit(calendar_ics.ics, rows, now).result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def _in_the_background(server_pid: int) -> None:
    """In the worker: give way to the server's replies for the processor, and stop
    when the server has gone, even killed outright (SIGKILL)."""
    os.nice(10)

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                os._exit(0)

    threading.Thread(target=watch, name="server-watch", daemon=True).start()
