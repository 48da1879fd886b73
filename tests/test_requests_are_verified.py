"""Only requests signed by Slack in the last five minutes get in (SPEC §4)."""

import json
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from tests.conftest import CHANNEL, SIGNING_SECRET, TEAM, RunningApp
from tests.slack_requests import get, post
from tests.snapshots import dump


def test_unsigned_and_stale_requests_are_refused_and_change_nothing(
    running_app: RunningApp,
) -> None:
    sender = running_app.sender
    before = dump(running_app.database)
    body = sender.command_body("UCHAIR", "setup Forged Board", CHANNEL)
    form = "application/x-www-form-urlencoded"

    unsigned = post(sender.url, body, {"Content-Type": form})
    assert unsigned.status == 401

    stale = post(sender.url, body, sender.headers(body, age=6 * 60, content_type=form))
    assert stale.status == 401

    wrong = sender.headers(body, content_type=form) | {"X-Slack-Signature": "v0=" + "0" * 64}
    assert post(sender.url, body, wrong).status == 401

    tampered = sender.headers(body, content_type=form)
    assert post(sender.url, body.replace(b"Forged", b"Other"), tampered).status == 401

    assert dump(running_app.database) == before
    assert running_app.slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{garbage", "application/json"),
        (b"null", "application/json"),
        (b"[1]", "application/json"),
        (b"payload=%7Bbad", "application/x-www-form-urlencoded"),
        (b"payload=1", "application/x-www-form-urlencoded"),
        (b"\xff\xfe", "application/x-www-form-urlencoded"),
        (  # a form without the view's type, which Slack always sends
            urlencode(
                {"payload": json.dumps({"type": "view_submission", "view": {"callback_id": "x"}})}
            ).encode(),
            "application/x-www-form-urlencoded",
        ),
        (  # a click without its action
            urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}).encode(),
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_a_body_bolt_cannot_handle_is_refused_401_unsigned_and_400_signed(
    running_app: RunningApp, body: bytes, content_type: str
) -> None:
    """Never a 500: Bolt reads the body before it checks who sent it."""
    sender = running_app.sender
    forged = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=00",
    }
    assert post(sender.url, body, forged).status == 401
    if body.isascii():  # slack-sdk signs (and verifies) UTF-8 bodies only
        signed = post(sender.url, body, sender.headers(body, content_type=content_type))
        assert signed.status == 400
    assert running_app.command("UCHAIR", "help")["response_type"] == "ephemeral"


def test_a_signed_request_gets_in(running_app: RunningApp) -> None:
    reply = running_app.command("UCHAIR", "help")
    assert reply["response_type"] == "ephemeral"
    assert "/board meeting add" in reply["text"]


def test_health_and_unknown_paths(running_app: RunningApp) -> None:
    assert get(running_app.url + "/healthz").body == "ok"
    head = urllib.request.Request(running_app.url + "/healthz", method="HEAD")
    with urllib.request.urlopen(head, timeout=5) as answer:  # what load balancers send
        assert answer.status == 200
    assert get(running_app.url + "/nothing-here").status == 404
    body = urlencode({"a": "b"}).encode()
    assert post(running_app.url + "/slack/events", body, {}).status == 401


@pytest.mark.parametrize("kind", ["command", "button", "form", "event"])
def test_a_timestamp_that_is_not_a_number_is_refused_and_nothing_is_sent(
    running_app: RunningApp, kind: str
) -> None:
    """Signed over the odd timestamp itself: only the timestamp is wrong."""
    sender, slack = running_app.sender, running_app.slack
    form = "application/x-www-form-urlencoded"
    person = {"id": "UCHAIR", "username": "chair", "team_id": TEAM}
    payloads = {
        "command": (sender.command_body("UCHAIR", "setup Forged Board", CHANNEL), form),
        "button": (
            interaction(
                {
                    "type": "block_actions",
                    "user": person,
                    "team": {"id": TEAM},
                    "response_url": slack.response_url("forged"),
                    "actions": [{"action_id": "mark_done", "value": "1:1", "type": "button"}],
                }
            ),
            form,
        ),
        "form": (interaction({"type": "view_submission", "user": person}), form),
        "event": (
            json.dumps(
                {
                    "type": "event_callback",
                    "team_id": TEAM,
                    "event_id": "Ev1",
                    "event": {"type": "app_home_opened", "user": "UCHAIR", "tab": "home"},
                }
            ).encode(),
            "application/json",
        ),
    }
    body, content_type = payloads[kind]
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp="abc", body=body)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": "abc",
        "X-Slack-Signature": signature or "",
    }
    before = dump(running_app.database)
    slack.reset()

    assert post(sender.url, body, headers).status == 401
    assert dump(running_app.database) == before
    assert [call.method for call in slack.calls] == []


def interaction(payload: dict[str, object]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_a_signature_that_is_not_ascii_is_refused_and_nothing_is_sent(
    running_app: RunningApp,
) -> None:
    sender, slack = running_app.sender, running_app.slack
    body = sender.command_body("UCHAIR", "setup Forged Board", CHANNEL)
    headers = sender.headers(body, content_type="application/x-www-form-urlencoded")
    before = dump(running_app.database)
    slack.reset()

    assert post(sender.url, body, headers | {"X-Slack-Signature": "v0=é"}).status == 401
    assert dump(running_app.database) == before
    assert [call.method for call in slack.calls] == []
