"""What a person sees when a listener fails on our side: a sentence, never Slack's
own "failed with error" nor silence."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse, Respond

from bot.listeners.views.update_modal import TEXT_BLOCK

SORRY = "Sorry, something went wrong on the board bot's side. Please try again in a moment."
log = logging.getLogger(__name__)


def register(app: App) -> None:
    def apologise(error: Exception, body: dict[str, Any], respond: Respond | None) -> BoltResponse:
        """Log the failure and answer 200 with the apology where Slack shows it: in the
        update form (kept open, so nothing typed is lost), to the clicker of a button,
        or as the command's reply."""
        log.error("a %s failed", body.get("type") or body.get("command"), exc_info=error)
        kind = body.get("type")
        if kind == "view_submission":
            return _json({"response_action": "errors", "errors": {TEXT_BLOCK: SORRY}})
        if kind == "block_actions":
            if respond is not None:
                respond(response_type="ephemeral", replace_original=False, text=SORRY)
            return BoltResponse(status=200)
        return _json({"response_type": "ephemeral", "text": SORRY})

    app.error(apologise)


def _json(answer: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )
