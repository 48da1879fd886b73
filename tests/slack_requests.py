"""Requests exactly as Slack sends them: form-encoded, signed with the signing secret."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


class ResponseUrls(Protocol):
    """A fake Slack (in this process or another) that gives out response URLs."""

    def response_url(self, key: str = ...) -> str: ...


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read().decode(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read().decode(), dict(error.headers))


def get(url: str, timeout: float = 10) -> Response:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return Response(answer.status, answer.read().decode(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read().decode(), dict(error.headers))


class SlackSender:
    """Signs and posts slash commands, interactions and events to the app."""

    def __init__(self, url: str, secret: str, team_id: str, slack: ResponseUrls) -> None:
        self.url = url
        self.team_id = team_id
        self.slack = slack
        self._verifier = SignatureVerifier(secret)
        self._responses = 0

    def headers(self, body: bytes, *, age: float = 0, content_type: str) -> dict[str, str]:
        timestamp = str(int(time.time() - age))
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self._verifier.generate_signature(timestamp=timestamp, body=body)
            or "",
        }

    def command_body(
        self, user: str, text: str, channel: str, command: str = "/board", channel_name: str = ""
    ) -> bytes:
        self._responses += 1
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                "team_domain": "wellingborough-csp",
                "channel_id": channel,
                "channel_name": channel_name or "csp-board",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0BOARD",
                "is_enterprise_install": "false",
                "response_url": self.slack.response_url(f"cmd{self._responses}"),
                "trigger_id": f"trigger.{self._responses}",
            }
        ).encode()

    def command(
        self, user: str, text: str, *, channel: str, command: str = "/board", channel_name: str = ""
    ) -> Response:
        """`channel_name` as Slack gives it: `directmessage`, `mpdm-…` for a group DM."""
        body = self.command_body(user, text, channel, command, channel_name)
        content_type = "application/x-www-form-urlencoded"
        return post(self.url, body, self.headers(body, content_type=content_type))

    def interaction(self, payload: dict[str, Any]) -> Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        content_type = "application/x-www-form-urlencoded"
        return post(self.url, body, self.headers(body, content_type=content_type))

    def submit_update(
        self, user: str, private_metadata: str, text: str, rag: str | None = None
    ) -> Response:
        """Submit the Post update form (`private_metadata` as the bot set it when opening it)."""
        label = {"type": "plain_text", "text": (rag or "").title()}
        chosen = {"value": rag, "text": label} if rag else None
        values = {
            "update": {"text": {"type": "plain_text_input", "value": text}},
            "rag": {"status": {"type": "static_select", "selected_option": chosen}},
        }
        return self.submit_form(user, "post_update", private_metadata, values)

    def submit_form(
        self, user: str, callback_id: str, private_metadata: str, values: dict[str, Any]
    ) -> Response:
        """Submit a modal the bot opened, its fields' `values` as Slack's view state has them."""
        return self.interaction(
            {
                "type": "view_submission",
                "team": {"id": self.team_id, "domain": "wellingborough-csp"},
                "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
                "api_app_id": "A0BOARD",
                "token": "legacy-verification-token",
                "trigger_id": "trigger.view",
                "view": {
                    "id": "V1",
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": private_metadata,
                    "state": {"values": values},
                },
            }
        )

    def message_shortcut(
        self,
        user: str,
        text: str,
        *,
        channel: str,
        callback_id: str = "record_action",
        author: str = "UCHAIR",
    ) -> Response:
        """Use a message shortcut on a message in `channel` that `author` wrote, saying
        `text` (as Slack writes a message: mentions as `<@U…>`, the three control
        characters escaped)."""
        return self.interaction(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "trigger_id": "trigger.shortcut",
                "response_url": self.slack.response_url("shortcut"),
                "team": {"id": self.team_id, "domain": "wellingborough-csp"},
                "channel": {"id": channel, "name": "csp-board"},
                "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
                "message_ts": "1764590400.000200",
                "message": {
                    "type": "message",
                    "user": author,
                    "ts": "1764590400.000200",
                    "text": text,
                },
                "token": "legacy-verification-token",
                "action_ts": "1764590500.000300",
            }
        )

    def event(self, event: dict[str, Any], event_id: str, retry_num: int | None = None) -> Response:
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                "api_app_id": "A0BOARD",
                "event": event,
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
            }
        ).encode()
        headers = self.headers(body, content_type="application/json")
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return post(self.url, body, headers)
