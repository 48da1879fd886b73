"""A local fake of the Slack Web API for tests.

`FakeSlack` runs a real HTTP server on 127.0.0.1 (random free port) that the
real ``slack_sdk.WebClient(base_url=fake.api_url, token="xoxb-test")`` talks to.
It records every request as a `Call`, answers the way Slack documents, and
checks each method and parameter name against Slack's published OpenAPI spec
(plus the explicit `SPEC_ADDITIONS` below), collecting mismatches in
`FakeSlack.violations`.

Routes served:

- ``/api/<method>``   Web API methods (GET or POST; query, form, JSON or multipart).
- ``/upload/<file_id>`` upload URLs handed out by ``files.getUploadURLExternal``.
- ``/response/<key>`` response URLs from `FakeSlack.response_url`.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import HeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

SPEC_FILENAME = "slack_web_openapi_v2.json"
SPECS_DIR_ENV = "SLACK_SPECS_DIR"
SPECS_DIR = Path(__file__).parent / "slack-specs"
_POLL_INTERVAL = 0.02

TEAM_ID = "T0BOARD"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0BOARD"

# Methods and parameters newer than the 2021 spec (or missing from it) that
# slack_sdk 3.x legitimately sends. Each entry is merged with the spec's own
# parameter names for that method.
SPEC_ADDITIONS: dict[str, frozenset[str]] = {
    # Step 1 of WebClient.files_upload_v2 (method added 2024, after the spec).
    "files.getUploadURLExternal": frozenset({"filename", "length", "alt_txt", "snippet_type"}),
    # Step 3 of WebClient.files_upload_v2 (method added 2024); `channels` is
    # sent when files_upload_v2(channels=[...]) is used instead of `channel`.
    "files.completeUploadExternal": frozenset(
        {"files", "channel_id", "channels", "initial_comment", "thread_ts"}
    ),
    # Socket Mode handshake (2021, after the spec); the app token travels in
    # the Authorization header, so there are no body parameters.
    "apps.connections.open": frozenset(),
    # Message metadata (2022) and the `markdown_text` alternative to `text`
    # (2025) are both named keyword arguments of WebClient.chat_postMessage.
    "chat.postMessage": frozenset({"metadata", "markdown_text"}),
    # Returning message metadata in history (2022) is opt-in with this flag.
    "conversations.history": frozenset({"include_all_metadata"}),
    # `markdown_text` is a named keyword argument of WebClient.chat_postEphemeral.
    "chat.postEphemeral": frozenset({"markdown_text"}),
    # WebClient.chat_update names `metadata`, `markdown_text`, `file_ids` and
    # `reply_broadcast` (all newer than the spec's chat.update entry).
    "chat.update": frozenset({"metadata", "markdown_text", "file_ids", "reply_broadcast"}),
    # WebClient.views_open / views_push accept `interactivity_pointer` in place
    # of `trigger_id` (for workflow-step/function interactivity).
    "views.open": frozenset({"interactivity_pointer"}),
    "views.push": frozenset({"interactivity_pointer"}),
}

# Recorded names for requests that are not Web API methods (never validated).
_PSEUDO_METHODS = frozenset({"upload", "response_url"})

# Parameters never reported as violations: slack_sdk sends the token as an
# Authorization header, but callers may also pass it explicitly; and a
# WebClient built with team_id (as Bolt builds the one it hands listeners)
# adds `team_id` to every call's default parameters, which Slack accepts.
IGNORED_PARAMS: frozenset[str] = frozenset({"token", "team_id"})

# chat.postMessage refuses blocks whose text adds up to more than this (undocumented;
# seen by Slack's own maintainers, slackapi/bolt-js#2509).
BLOCKS_TEXT_LIMIT = 12_000


def blocks_text_length(blocks: list[dict[str, Any]]) -> int:
    """The characters of text in these blocks and their elements (a context's, a button's)."""

    def length(text: Any) -> int:
        return len(text) if isinstance(text, str) else len((text or {}).get("text", ""))

    return sum(
        length(block.get("text")) + sum(length(e.get("text")) for e in block.get("elements", []))
        for block in blocks
    )


# Default `error` strings for `fail_next`, keyed by HTTP status.
_DEFAULT_ERRORS: dict[int, str] = {
    200: "fatal_error",
    429: "ratelimited",
    500: "internal_error",
    503: "service_unavailable",
}


@dataclass(frozen=True)
class Call:
    """One request received by the fake.

    `method` is the Web API method name (e.g. ``"chat.postMessage"``),
    ``"response_url"`` for POSTs to a response URL, or ``"upload"`` for file
    bytes sent to an upload URL. `params` merges query-string, form, JSON and
    multipart fields (JSON values as parsed, form values as ``str``, multipart
    file parts as ``bytes``). `headers` has lower-cased names.
    """

    method: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True)
class _Failure:
    status: int
    retry_after: int | None
    error: str


@dataclass(frozen=True)
class _Reply:
    """An HTTP answer: JSON-serialisable body (or raw text) plus status."""

    body: dict[str, Any] | str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def find_specs_dir() -> Path:
    """The folder of Slack's specs: ``$SLACK_SPECS_DIR`` if set, else the copy kept
    beside the tests (``tests/slack-specs``, see its README for where it comes from)."""
    return Path(os.environ.get(SPECS_DIR_ENV) or SPECS_DIR)


@functools.lru_cache(maxsize=4)
def load_spec_params(spec_path: Path) -> dict[str, frozenset[str]]:
    """Map each method in the OpenAPI (swagger 2) spec to its parameter names.

    Collects every operation's parameters (``formData``, ``query``, ``header``,
    ``path``) and the properties of any ``body`` schema. Cached per path.
    """
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    definitions = spec.get("definitions", {})
    methods: dict[str, frozenset[str]] = {}
    for path, item in spec.get("paths", {}).items():
        names: set[str] = set()
        parameter_lists = [item.get("parameters", [])]
        parameter_lists += [
            op.get("parameters", []) for op in item.values() if isinstance(op, dict)
        ]
        for parameters in parameter_lists:
            for parameter in parameters:
                if parameter.get("in") == "body":
                    names |= _schema_properties(parameter.get("schema", {}), definitions)
                elif "name" in parameter:
                    names.add(parameter["name"])
        methods[path.lstrip("/")] = frozenset(names)
    return methods


def _schema_properties(schema: dict[str, Any], definitions: dict[str, Any]) -> set[str]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/definitions/"):
        schema = definitions.get(ref.removeprefix("#/definitions/"), {})
    return set(schema.get("properties", {}))


def _maybe_json(value: Any) -> Any:
    """Parse `value` if it is JSON text (form-encoded blocks, views, files)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """Split a multipart/form-data body: text fields as str, file parts as bytes."""
    header = HeaderParser().parsestr(f"Content-Type: {content_type}\r\n\r\n")
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str):
        return {}
    fields: dict[str, Any] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        raw_headers, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        part = HeaderParser().parsestr(raw_headers.decode("utf-8") + "\r\n\r\n")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        is_file = part.get_param("filename", header="content-disposition") is not None
        fields[name] = content if is_file else content.decode("utf-8")
    return fields


def parse_request_params(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Merge query-string params with a JSON, form-encoded or multipart body."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return params
    if media_type == "application/json":
        parsed = json.loads(body.decode("utf-8"))
        if isinstance(parsed, dict):
            params.update(parsed)
    elif media_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif media_type == "multipart/form-data":
        params.update(_parse_multipart(body, content_type))
    return params


class FakeSlack:
    """A recording fake of the Slack Web API served over real HTTP.

    Use as a context manager (or call `start` / `stop`) and point a
    ``WebClient`` at `api_url`.
    """

    def __init__(self, spec_path: Path | None = None) -> None:
        """Load the spec (default: ``tests/slack-specs``, see `find_specs_dir`)."""
        self.spec_path = spec_path or find_specs_dir() / SPEC_FILENAME
        spec = load_spec_params(self.spec_path)
        self._allowed: dict[str, frozenset[str]] = dict(spec)
        for method, extra in SPEC_ADDITIONS.items():
            self._allowed[method] = self._allowed.get(method, frozenset()) | extra
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel id -> posted messages
        self.delays: dict[str, float] = {}  # method -> seconds to wait before answering
        self.socket_url = "ws://127.0.0.1:1/"  # what apps.connections.open hands out
        self._files: dict[str, dict[str, Any]] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._ts_counter = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> FakeSlack:
        """Start serving on 127.0.0.1 with a random free port."""
        if self._server is not None:
            return self
        server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},  # bounds how long stop() waits
            name="FakeSlack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the server and release its port."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (the server must be started)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def api_url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)`` (ends with '/')."""
        return f"{self.base_url}/api/"

    # -- test controls -------------------------------------------------------

    def add_user(
        self, user_id: str, name: str, real_name: str | None = None, email: str | None = None
    ) -> None:
        """Register a user that ``users.info`` will return."""
        self.users[user_id] = {"name": name, "real_name": real_name or name, "email": email}

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Make the next `times` calls to `method` fail with HTTP `status`.

        429 answers carry ``Retry-After: retry_after`` (unless None) and
        ``{"ok": false, "error": "ratelimited"}``; other statuses answer
        ``{"ok": false, "error": <error or a Slack-style default>}``. Failed
        calls are still recorded. `method` may also be "upload" or "response_url".
        """
        failure = _Failure(status, retry_after, error or _DEFAULT_ERRORS.get(status, "fatal_error"))
        with self._cond:
            self._failures.setdefault(method, deque()).extend([failure] * times)

    def response_url(self, key: str = "r1") -> str:
        """A response URL on this server; POSTs to it are recorded as "response_url"."""
        return f"{self.base_url}/response/{key}"

    def reset(self) -> None:
        """Forget calls, queued failures, violations and uploads (keeps users)."""
        with self._cond:
            self.calls.clear()
            self.violations.clear()
            self.uploads.clear()
            self.messages.clear()
            self._files.clear()
            self._failures.clear()

    def calls_to(self, method: str) -> list[Call]:
        """Calls received for `method`, in arrival order."""
        with self._cond:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least `count` calls to `method` have arrived.

        Returns those calls; raises AssertionError (listing what did arrive)
        on timeout.
        """
        with self._cond:
            arrived = self._cond.wait_for(
                lambda: len(self.calls_to(method)) >= count, timeout=timeout
            )
            if not arrived:
                seen = [call.method for call in self.calls]
                msg = f"expected {count} call(s) to {method} within {timeout}s; arrived: {seen}"
                raise AssertionError(msg)
            return self.calls_to(method)

    # -- request handling (called from server threads) -----------------------

    def _handle(self, path: str, query: str, body: bytes, headers: dict[str, str]) -> _Reply:
        content_type = headers.get("content-type", "")
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
            params = parse_request_params(query, body, content_type)
            return self._record(method, params, headers, self._answer_api)
        if path.startswith("/upload/"):
            file_id = path.removeprefix("/upload/")
            return self._record_upload(file_id, body, content_type, headers)
        if path.startswith("/response/"):
            params = parse_request_params(query, body, content_type)
            params["_key"] = path.removeprefix("/response/")
            return self._record("response_url", params, headers, lambda *_: _Reply({"ok": True}))
        return _Reply({"ok": False, "error": "not_found"}, status=404)

    def _record_upload(
        self, file_id: str, body: bytes, content_type: str, headers: dict[str, str]
    ) -> _Reply:
        # files_upload_v2 POSTs raw bytes (urllib labels them form-encoded);
        # a multipart body is also accepted and its first file part stored.
        # Like Slack's upload host, answers 200 "OK - <size>" as plain text.
        data = body
        params: dict[str, Any] = {"file_id": file_id}
        if content_type.lower().startswith("multipart/form-data"):
            fields = _parse_multipart(body, content_type)
            data = next((v for v in fields.values() if isinstance(v, bytes)), b"")
            params.update({k: v for k, v in fields.items() if isinstance(v, str)})
        params["size"] = len(data)

        def answer(_method: str, _params: dict[str, Any]) -> _Reply:
            self.uploads[file_id] = data
            return _Reply(f"OK - {len(data)}")

        return self._record("upload", params, headers, answer)

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        headers: dict[str, str],
        answer: Callable[[str, dict[str, Any]], _Reply],
    ) -> _Reply:
        """Validate and record a call, then answer it (or fail it, if queued).

        Answers run under the lock so ids, timestamps and stored files stay
        consistent across the server's request threads.
        """
        with self._cond:
            if method not in _PSEUDO_METHODS:
                self._check(method, params)
            queue = self._failures.get(method)
            failure = queue.popleft() if queue else None
            self.calls.append(Call(method, params, headers))
            self._cond.notify_all()
            if failure is None:
                return answer(method, params)
        reply_headers = {}
        if failure.status == 429 and failure.retry_after is not None:
            reply_headers["Retry-After"] = str(failure.retry_after)
        return _Reply({"ok": False, "error": failure.error}, failure.status, reply_headers)

    def _report(self, violation: str) -> None:
        with self._cond:
            self.violations.append(violation)

    def _check(self, method: str, params: dict[str, Any]) -> None:
        allowed = self._allowed.get(method)
        if allowed is None:
            self.violations.append(f"{method}: method not in the Slack Web API spec")
            return
        unknown = sorted(set(params) - allowed - IGNORED_PARAMS)
        if unknown:
            self.violations.append(f"{method}: parameters not in the spec: {', '.join(unknown)}")

    # -- answers -------------------------------------------------------------

    def _next_ts(self) -> str:
        n = next(self._ts_counter)
        return f"{1700000000 + n // 10000}.{(n % 10000) * 100:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _answer_api(self, method: str, params: dict[str, Any]) -> _Reply:
        if delay := self.delays.get(method):
            time.sleep(delay)  # a slow Slack: answers arrive while other work goes on
        if method not in self._allowed:
            return _Reply({"ok": False, "error": "unknown_method"})
        handler = _ANSWERS.get(method)
        if handler is None:
            return _Reply({"ok": True})
        return _Reply(handler(self, params))

    def _auth_test(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://boardbot-test.slack.com/",
            "team": "Board Bot Test",
            "user": "boardbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user", ""))
        user = self.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        profile: dict[str, Any] = {"real_name": user["real_name"], "display_name": user["name"]}
        if user.get("email") is not None:
            profile["email"] = user["email"]
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "team_id": TEAM_ID,
                "name": user["name"],
                "deleted": False,
                "real_name": user["real_name"],
                "tz": "Europe/London",
                "tz_label": "Greenwich Mean Time",
                "tz_offset": 0,
                "profile": profile,
                "is_bot": False,
            },
        }

    def _message(self, params: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": params.get("text", ""),
            "ts": ts,
        }
        for key in ("blocks", "attachments", "metadata"):
            if key in params:
                message[key] = _maybe_json(params[key])
        if "thread_ts" in params:
            message["thread_ts"] = params["thread_ts"]
        return message

    @staticmethod
    def _channel_id(channel: str) -> str:
        # Posting to a user ID delivers to (and reports) the bot's DM with them.
        return f"D{channel}" if channel[:1] in ("U", "W") else channel

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        channel = self._channel_id(str(params.get("channel", "")))
        message = self._message(params, ts)
        if blocks_text_length(message.get("blocks") or []) > BLOCKS_TEXT_LIMIT:
            return {"ok": False, "error": "msg_blocks_too_long"}
        with self._cond:
            self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Messages posted to the channel, newest first, a page of `limit` at a time (the
        cursor is where the next page starts); metadata only when asked for."""
        oldest = float(params.get("oldest") or 0)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._cond:
            posted = list(self.messages.get(str(params.get("channel", "")), []))
        found = [
            {k: v for k, v in m.items() if with_metadata or k != "metadata"}
            for m in reversed(posted)
            if float(m["ts"]) > oldest
        ]
        start, limit = int(params.get("cursor") or 0), int(params.get("limit") or 100)
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": found[start : start + limit],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _conversations_join(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": str(params.get("channel", ""))}}

    def _chat_post_ephemeral(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = str(params.get("ts", ""))
        return {
            "ok": True,
            "channel": str(params.get("channel", "")),
            "ts": ts,
            "text": params.get("text", ""),
            "message": self._message(params, ts),
        }

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if "channel" in params:
            return {"ok": True, "channel": {"id": str(params["channel"])}}
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        channel_id = f"D{users[0]}" if len(users) == 1 else "G" + "".join(sorted(users))
        return {"ok": True, "channel": {"id": channel_id}}

    def _views(self, params: dict[str, Any]) -> dict[str, Any]:
        view = _maybe_json(params.get("view", {}))
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = str(params.get("view_id") or self._next_id("V"))
        answer = {
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "state": {"values": {}},
            "hash": f"{self._next_ts()}.abcdef",
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
        }
        return {"ok": True, "view": answer}

    def _files_get_upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = params.get("filename")
        if not filename or "length" not in params:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next_id("F")
        self._files[file_id] = {"name": str(filename), "size": int(params["length"])}
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        files = _maybe_json(params.get("files", "[]"))
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        answered = []
        for item in files:
            file_id = str(item.get("id", ""))
            known = self._files.get(file_id, {})
            title = item.get("title") or known.get("name", "")
            if file_id in self._files:
                self._files[file_id]["title"] = title
            answered.append({"id": file_id, "title": title})
        return {"ok": True, "files": answered}

    def _files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file", ""))
        known = self._files.get(file_id)
        if known is None:
            return {"ok": False, "error": "file_not_found"}
        return {
            "ok": True,
            "file": {"id": file_id, "title": known.get("title", known["name"]), **known},
        }

    def _apps_connections_open(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.socket_url}


_ANSWERS = {
    "auth.test": FakeSlack._auth_test,
    "users.info": FakeSlack._users_info,
    "chat.postMessage": FakeSlack._chat_post_message,
    "chat.postEphemeral": FakeSlack._chat_post_ephemeral,
    "chat.update": FakeSlack._chat_update,
    "conversations.open": FakeSlack._conversations_open,
    "conversations.history": FakeSlack._conversations_history,
    "conversations.join": FakeSlack._conversations_join,
    "views.open": FakeSlack._views,
    "views.update": FakeSlack._views,
    "views.push": FakeSlack._views,
    "views.publish": FakeSlack._views,
    "files.getUploadURLExternal": FakeSlack._files_get_upload_url,
    "files.completeUploadExternal": FakeSlack._files_complete_upload,
    "files.info": FakeSlack._files_info,
    "apps.connections.open": FakeSlack._apps_connections_open,
}


def _make_handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to `fake`."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeSlack/1.0"

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            self._serve()

        def do_POST(self) -> None:  # noqa: N802 (http.server naming)
            self._serve()

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                reply = fake._handle(url.path, url.query, body, headers)
            except Exception as exc:  # e.g. a malformed body: answer and flag it, never hang
                fake._report(f"{self.command} {url.path}: unreadable request ({exc!r})")
                reply = _Reply({"ok": False, "error": "invalid_request"}, 400)
            if isinstance(reply.body, str):
                payload, content_type = reply.body.encode("utf-8"), "text/plain; charset=utf-8"
            else:
                payload, content_type = (
                    json.dumps(reply.body).encode("utf-8"),
                    "application/json; charset=utf-8",
                )
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Silence per-request logging."""

    return Handler
