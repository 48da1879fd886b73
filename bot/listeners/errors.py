"""The app's error handler: a listener that fails apologises where Slack shows it."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient

from bot.apology import SORRY, tell

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Install the error handler that apologises where Slack shows the failure."""

    def apologise(
        error: Exception, body: dict[str, Any], ack: Ack, respond: Respond, client: WebClient
    ) -> BoltResponse | None:
        """Log the failure and answer with the apology where Slack shows it."""
        kind = body.get("type")  # a slash command has none
        if isinstance(error, BoltUnhandledRequestError):
            # Nothing here handles it (a shortcut or button from an older version of the
            # app): acknowledge it, so that Slack shows the person no error.
            what = body.get("event", {}).get("type") or kind or body.get("command")
            log.warning("nothing handles %s; acknowledged", what)
            return BoltResponse(status=200, body="")
        what = kind or f"{body.get('command')} {body.get('text', '')}"
        log.error("%s failed", what, exc_info=error)
        fields = list(body.get("view", {}).get("state", {}).get("values", {}))
        if kind == "view_submission" and fields:
            # Under the form's first field, with the form kept open: nothing typed is lost.
            return _json({"response_action": "errors", "errors": {fields[0]: SORRY}})
        # A button, a shortcut, or a form without fields (it closes): told beside it.
        if kind in {"block_actions", "message_action", "view_submission"}:
            tell(respond, client, body.get("user", {}).get("id"), SORRY)
            return BoltResponse(status=200)
        if "command" in body:
            # A reply already made stands: what failed came after it.
            return ack.response or _json({"response_type": "ephemeral", "text": SORRY})
        return None  # Bolt's 500: an event that failed before it was seen is sent again

    app.error(apologise)


def _json(answer: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )
