"""Tests for tests/fake_slack.py, driven by the real slack_sdk clients."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View
from slack_sdk.webhook import WebhookClient

from tests.fake_slack import SPEC_FILENAME, FakeSlack, find_specs_dir


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    # No retry handlers beyond slack_sdk's default (connection errors only).
    return WebClient(base_url=fake.api_url, token="xoxb-test")


def test_auth_test(fake: FakeSlack, client: WebClient) -> None:
    response = client.auth_test()

    assert response["team_id"] == "T0BOARD"
    assert response["user_id"] == "UBOT"
    assert response["bot_id"] == "BBOT"
    assert {"url", "team", "user"} <= set(response.data)
    (call,) = fake.calls_to("auth.test")
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert fake.violations == []


def test_users_info_known(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1", "ada", real_name="Ada Lovelace", email="ada@example.org")

    user = client.users_info(user="U1")["user"]

    assert user["id"] == "U1"
    assert user["name"] == "ada"
    assert user["real_name"] == "Ada Lovelace"
    assert user["profile"] == {
        "real_name": "Ada Lovelace",
        "display_name": "ada",
        "email": "ada@example.org",
    }
    assert user["tz"] == "Europe/London"
    assert user["is_bot"] is False
    assert fake.calls_to("users.info")[0].params == {"user": "U1"}
    assert fake.violations == []


def test_users_info_unknown(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="UNOBODY")

    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "user_not_found"
    assert fake.violations == []


def test_chat_post_message_with_blocks(fake: FakeSlack, client: WebClient) -> None:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text="*Board meeting* on Friday")),
        ActionsBlock(
            block_id="rsvp",
            elements=[ButtonElement(text="Attend", action_id="attend", value="yes")],
        ),
    ]

    first = client.chat_postMessage(channel="C1", text="Board meeting", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])

    assert first["channel"] == "C1"
    assert first["ts"] == "1700000000.000100"
    assert second["ts"] > first["ts"]
    assert first["message"]["text"] == "Board meeting"
    assert first["message"]["blocks"][1]["block_id"] == "rsvp"
    call = fake.calls_to("chat.postMessage")[0]
    assert set(call.params) == {"channel", "text", "blocks"}
    assert call.params["blocks"] == [block.to_dict() for block in blocks]
    assert call.headers["content-type"].startswith("application/json")
    assert fake.calls_to("chat.postMessage")[1].params["thread_ts"] == first["ts"]
    assert fake.violations == []


def test_bogus_param_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="hi", colour="red")

    assert fake.violations == ["chat.postMessage: parameters not in the spec: colour"]


def test_unknown_method_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("boards.frobnicate", params={"board": "B1"})

    assert raised.value.response["error"] == "unknown_method"
    assert fake.violations == ["boards.frobnicate: method not in the Slack Web API spec"]
    assert fake.calls_to("boards.frobnicate")[0].params == {"board": "B1"}


def test_rate_limit_is_retried(fake: FakeSlack) -> None:
    client = WebClient(
        base_url=fake.api_url,
        token="xoxb-test",
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)

    response = client.chat_postMessage(channel="C1", text="hi")

    assert response["ok"] is True
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert fake.violations == []


def test_rate_limit_without_retry_handler(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hi")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"


def test_server_error_raises_then_recovers(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=500)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hi")

    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_fail_next_with_slack_error_code(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=200, error="channel_not_found", times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError, match="channel_not_found"):
            client.chat_postMessage(channel="CGONE", text="hi")
    assert client.chat_postMessage(channel="CGONE", text="hi")["ok"] is True


def test_files_upload_v2(fake: FakeSlack, client: WebClient) -> None:
    content = b"# Minutes\n\n- approved budget\r\n\x00\xff"

    response = client.files_upload_v2(
        content=content, filename="minutes.md", channel="C1", initial_comment="x"
    )

    file_id = response["file"]["id"]
    assert fake.uploads == {file_id: content}
    assert response["files"] == [{"id": file_id, "title": "minutes.md"}]
    assert [call.method for call in fake.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    step1, _, step3 = fake.calls
    assert step1.params == {"filename": "minutes.md", "length": str(len(content))}
    assert step3.params["channel_id"] == "C1"
    assert step3.params["initial_comment"] == "x"
    assert json.loads(step3.params["files"]) == [{"id": file_id, "title": "minutes.md"}]
    assert client.files_info(file=file_id)["file"]["name"] == "minutes.md"
    assert fake.violations == []


def test_multipart_upload_stores_file_part(fake: FakeSlack, client: WebClient) -> None:
    url = client.files_getUploadURLExternal(filename="a.bin", length=3)["upload_url"]
    boundary = "xyz"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="filename"\r\n\r\na.bin\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"\x01\r\n"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200

    (upload,) = fake.uploads.values()
    assert upload == b"\x01\r\n"
    assert fake.calls_to("upload")[0].params["filename"] == "a.bin"


def test_views_open(fake: FakeSlack, client: WebClient) -> None:
    view = View(
        type="modal",
        callback_id="new_item",
        title=PlainTextObject(text="New agenda item"),
        submit=PlainTextObject(text="Add"),
        blocks=[
            InputBlock(
                block_id="item", label="Item", element=PlainTextInputElement(action_id="text")
            )
        ],
    )

    response = client.views_open(trigger_id="123.456", view=view)

    assert response["view"]["id"].startswith("V")
    assert response["view"]["callback_id"] == "new_item"
    assert response["view"]["title"]["text"] == "New agenda item"
    (call,) = fake.calls_to("views.open")
    assert call.params == {"trigger_id": "123.456", "view": view.to_dict()}
    assert fake.violations == []


def test_methods_the_app_uses_are_in_the_spec(fake: FakeSlack, client: WebClient) -> None:
    # Exercises the WebClient calls a Board Bot makes; any new parameter
    # slack_sdk sends that the 2021 spec lacks shows up as a violation here.
    view = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
    }
    posted = client.chat_postMessage(
        channel="U1", text="hi", metadata={"event_type": "board", "event_payload": {"id": 1}}
    )
    assert posted["channel"] == "DU1"
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="edited")
    assert (updated["ts"], updated["text"]) == (posted["ts"], "edited")
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    assert client.conversations_open(users=["U1", "U2"])["channel"]["id"].startswith("G")
    assert client.views_publish(user_id="U1", view=view)["view"]["type"] == "home"
    opened = client.views_open(trigger_id="t", view={**view, "type": "modal"})["view"]
    assert (
        client.views_update(view_id=opened["id"], view={**view, "type": "modal"})["view"]["id"]
        == opened["id"]
    )
    assert client.views_push(trigger_id="t", view={**view, "type": "modal"})["ok"]
    assert client.apps_connections_open(app_token="xapp-test")["url"] == "ws://127.0.0.1:1/"
    assert client.reactions_add(channel="C1", timestamp=posted["ts"], name="thumbsup")["ok"] is True
    assert client.conversations_info(channel="C1")["ok"] is True
    assert fake.calls_to("conversations.open")[1].params == {"users": "U1,U2"}
    assert fake.violations == []


def test_response_url_via_webhook_client(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url("abc"))

    response = webhook.send(text="Done", replace_original=True)

    assert response.status_code == 200
    assert json.loads(response.body) == {"ok": True}
    (call,) = fake.calls_to("response_url")
    assert call.params == {"text": "Done", "replace_original": True, "_key": "abc"}
    assert fake.violations == []


def test_wait_for_from_another_thread(fake: FakeSlack, client: WebClient) -> None:
    def post_later() -> None:
        time.sleep(0.05)
        client.chat_postMessage(channel="C1", text="one")
        client.chat_postMessage(channel="C1", text="two")

    worker = threading.Thread(target=post_later)
    worker.start()
    calls = fake.wait_for("chat.postMessage", count=2, timeout=5)
    worker.join()

    assert [call.params["text"] for call in calls] == ["one", "two"]


def test_wait_for_times_out_listing_arrivals(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()

    with pytest.raises(AssertionError, match=r"views\.open.*auth\.test"):
        fake.wait_for("views.open", timeout=0.05)


def test_malformed_body_is_flagged(fake: FakeSlack) -> None:
    request = urllib.request.Request(
        fake.api_url + "chat.postMessage",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)

    raised.value.close()
    assert raised.value.code == 400
    assert len(fake.violations) == 1
    assert fake.violations[0].startswith("POST /api/chat.postMessage: unreadable request")


def test_reset_keeps_users(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1", "ada")
    client.chat_postMessage(channel="C1", text="hi", colour="red")
    fake.fail_next("users.info", status=500)

    fake.reset()

    assert (fake.calls, fake.violations) == ([], [])
    assert client.users_info(user="U1")["user"]["real_name"] == "ada"


def test_spec_dir_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SLACK_SPECS_DIR", str(tmp_path))
    assert find_specs_dir() == tmp_path
    monkeypatch.delenv("SLACK_SPECS_DIR")
    assert (find_specs_dir() / SPEC_FILENAME).is_file()


def test_bolt_app_starts_against_fake(fake: FakeSlack, client: WebClient) -> None:
    from slack_bolt import App

    app = App(client=client, signing_secret="secret")

    assert app.client is client
    assert fake.calls_to("auth.test")
    assert fake.violations == []
