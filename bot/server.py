"""HTTP mode: Bolt behind a production WSGI server (waitress), plus health and calendar routes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from storage.database import Database

StartResponse = Callable[..., Any]
SERVER_THREADS = 8


class Routes:
    """`POST /slack/events` to Bolt, `GET /healthz`; everything else 404."""

    def __init__(self, app: App, database: Database) -> None:
        self._slack = SlackRequestHandler(app, path="/slack/events")
        self._database = database

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/slack/events":
            return self._slack(environ, start_response)
        if path == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            return self._health(start_response)
        return _plain(start_response, "404 Not Found", "Not Found")

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        if not self._database.ping():
            return _plain(start_response, "503 Service Unavailable", "database unreachable")
        return _plain(start_response, "200 OK", "ok")


def _plain(start_response: StartResponse, status: str, body: str) -> list[bytes]:
    data = body.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]


def make_server(routes: Routes, host: str, port: int) -> Any:
    """A waitress server bound now (port 0 picks a free one); call `.run()` to serve."""
    return create_server(routes, host=host, port=port, threads=SERVER_THREADS, ident="boardbot")


def stop_server(server: Any) -> None:
    """Stop a server running in another thread: its own loop closes its sockets, then it returns."""
    server.trigger.pull_trigger(lambda: server.asyncore.close_all(server._map, ignore_all=True))
