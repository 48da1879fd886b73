"""Only requests signed by Slack in the last five minutes get in (SPEC §4)."""

from urllib.parse import urlencode

from tests.conftest import CHANNEL, RunningApp
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


def test_a_signed_request_gets_in(running_app: RunningApp) -> None:
    reply = running_app.command("UCHAIR", "help")
    assert reply["response_type"] == "ephemeral"
    assert "/board meeting add" in reply["text"]


def test_health_and_unknown_paths(running_app: RunningApp) -> None:
    assert get(running_app.url + "/healthz").body == "ok"
    assert get(running_app.url + "/nothing-here").status == 404
    body = urlencode({"a": "b"}).encode()
    assert post(running_app.url + "/slack/events", body, {}).status == 401
