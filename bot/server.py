"""HTTP mode: Bolt behind a production WSGI server (waitress), plus health and calendar routes."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from bot.app import signed_by_slack
from commands import calendar_feed, calendar_ics
from commands.dates import utc_now
from commands.errors import Unavailable
from storage.database import Database

log = logging.getLogger(__name__)
StartResponse = Callable[..., Any]
SERVER_THREADS = 8
CALENDAR_PATH = re.compile(r"/calendar/(?P<token>[A-Za-z0-9_-]{1,100})\.ics")


class _SlackEvents(SlackRequestHandler):
    """Bolt's WSGI handler, except for a body Bolt cannot read (not UTF-8, not JSON, not
    a form holding a JSON object) or a payload it trips over (a view submission without
    the view's type, a button click without its action: what Slack always sends). Bolt
    reads the body before it checks the signature, and would answer 500. Such a request
    is refused 401 unless Slack signed it (then 400), like any other nobody signed."""

    def __init__(self, app: App, signing_secret: str) -> None:
        super().__init__(app, path="/slack/events")
        self._verifier = SignatureVerifier(signing_secret)

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        length = int(request.environ.get("CONTENT_LENGTH") or 0)
        raw = request.environ["wsgi.input"].read(length) if length else b""
        headers = request.get_headers()
        try:
            bolt_request = BoltRequest(
                body=raw.decode("utf-8"), query=request.query_string, headers=headers
            )
            return self.app.dispatch(bolt_request)
        # What Bolt raises parsing the body, or reading the payload again in its error
        # handler to build that handler's arguments.
        except (LookupError, TypeError, AttributeError, ValueError):
            timestamp = str(headers.get("x-slack-request-timestamp", ""))
            signature = str(headers.get("x-slack-signature", ""))
            signed = signed_by_slack(self._verifier, raw, timestamp, signature)
            # With its trace: a signed one may be our error handler's fault, not Slack's.
            log.warning(
                "a request Bolt cannot handle (%s)",
                "signed" if signed else "unsigned",
                exc_info=True,
            )
            return BoltResponse(status=400 if signed else 401, body="")


class Routes:
    """`POST /slack/events` to Bolt (unless `slack_events` is off: Socket Mode), `GET`
    (or `HEAD`) `/healthz` and `/calendar/<token>.ics`; else 404."""

    def __init__(
        self,
        app: App,
        database: Database,
        clock: Callable[[], datetime] = utc_now,
        write_ics: calendar_feed.Writer = calendar_ics.ics,
        *,
        slack_events: bool = True,
        signing_secret: str | None,
    ) -> None:
        """`signing_secret` is the app's, which a request Bolt cannot read is checked with:
        taking Slack's requests (`slack_events`) needs it."""
        if slack_events and not signing_secret:
            raise ValueError("Slack's requests are taken only with the signing secret")
        self._slack = _SlackEvents(app, signing_secret or "") if slack_events else None
        self._database = database
        self._clock = clock
        self._write_ics = write_ics

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/slack/events" and self._slack is not None:
            return self._slack(environ, start_response)
        if path == "/healthz" and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            return self._health(start_response)
        calendar = CALENDAR_PATH.fullmatch(path)
        if calendar and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            return self._calendar(calendar["token"], start_response)
        return _not_found(start_response)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        if not self._database.ping():
            return _plain(start_response, "503 Service Unavailable", "database unreachable")
        return _plain(start_response, "200 OK", "ok")

    def _calendar(self, token: str, start_response: StartResponse) -> Iterable[bytes]:
        """A board's feed, built now; any token that opens nothing is an ordinary 404."""
        try:
            content = calendar_feed.feed(self._database, token, self._clock(), self._write_ics)
        except Unavailable:
            log.warning("calendar feed: database unavailable", exc_info=True)
            return _plain(start_response, "503 Service Unavailable", "try again shortly")
        if content is None:
            return _not_found(start_response)
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Length", str(len(content))),
                # The link is someone's private key to the board's calendar: no shared caches.
                ("Cache-Control", "private, no-cache"),
            ],
        )
        return [content]


def _not_found(start_response: StartResponse) -> list[bytes]:
    return _plain(start_response, "404 Not Found", "Not Found")


def _plain(start_response: StartResponse, status: str, body: str) -> list[bytes]:
    data = body.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]


def make_server(routes: Routes, host: str, port: int) -> Any:
    """A waitress server bound now (port 0 picks a free one); call `.run()` to serve."""
    return create_server(routes, host=host, port=port, threads=SERVER_THREADS, ident="boardbot")


def stop_server(server: Any, thread: threading.Thread) -> None:
    """Stop a server running `run()` in `thread`, then close its sockets.

    The loop runs while its socket map is non-empty, so emptying the map from
    inside the loop (a trigger thunk) ends it cleanly; closing the sockets
    while it still polls them would fail with a bad file descriptor.
    """
    dispatchers: list[Any] = []

    def empty_the_map() -> None:
        dispatchers.extend(server._map.values())
        server._map.clear()

    server.trigger.pull_trigger(empty_the_map)
    thread.join(timeout=10)
    if thread.is_alive():
        log.warning("the HTTP server's loop did not stop within 10 s; closing its sockets")
    for dispatcher in dispatchers:
        with suppress(OSError):
            dispatcher.close()
    server.task_dispatcher.shutdown()
