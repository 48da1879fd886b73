"""The Bolt app: one Web API client, signature verification, and every listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware.request_verification import (
    RequestVerification as BoltRequestVerification,
)
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.delivery import Lane, failure_reason
from bot.directory import SlackDirectory
from commands.calendar_feed import Writer
from commands.context import Invocation
from commands.errors import Unavailable
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What listeners share: settings, the database, the people directory, the clock,
    what writes calendars out, and the lane commands' deliveries go out on."""

    settings: Settings
    database: Database
    directory: SlackDirectory
    clock: Callable[[], datetime]
    write_ics: Writer
    deliveries: Lane

    def invocation(
        self,
        team_id: str,
        channel_id: str,
        user_id: str,
        text: str = "",
        command: str | None = None,
    ) -> Invocation:
        """What someone did, as the core sees it: now, with this deployment's settings."""
        return self.settings.invocation(self.clock(), team_id, channel_id, user_id, text, command)


def web_client(settings: Settings) -> WebClient:
    """A client that honours Retry-After on 429, when Slack has certainly not acted.

    Neither 5xx answers nor dropped connections are retried here: Slack may already
    have posted, so callers that must post exactly once decide for themselves.
    """
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


# Slack's answers to auth.test that mean the token itself is wrong.
WRONG_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)


class TokenRefused(Exception):
    """Slack says the bot token is wrong: no use starting."""


def check_token(settings: Settings) -> None:
    """Raise TokenRefused if Slack says the bot token is wrong. Slack out of reach, or
    busy, is no reason to stay down: Bolt asks again on the first request."""
    try:
        lookup_client(settings).auth_test()
    except (SlackApiError, OSError) as error:
        reason = failure_reason(error)
        if reason in WRONG_TOKEN:
            raise TokenRefused(reason) from error
        log.warning("could not check the bot token (%s): checking on the first request", reason)


# What a lookup made before a reply may take: Slack wants the reply within 3 seconds, and
# a wait on the database may then take up to storage.database.ANSWERING_WAIT_MS more.
LOOKUP_TIMEOUT_SECONDS = 1


def lookup_client(settings: Settings) -> WebClient:
    """For calls nothing should wait long on: users.info while the person waits for the
    reply, and the token check as the bot starts. No waiting out a Retry-After and no
    retry; a lookup that fails names no one yet, and is asked again later."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=LOOKUP_TIMEOUT_SECONDS,
        retry_handlers=[],
    )


class RequestVerification(BoltRequestVerification):
    """Bolt's check of Slack's signature and timestamp, where a header slack-sdk's
    verifier raises on (a timestamp that is not a number, a signature that is not
    ASCII) fails it too, rather than reach the error handler, which would then act on
    a request nobody signed."""

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # noqa: A002
    ) -> BoltResponse:
        if self._can_skip(req.mode, req.body):
            return next()
        timestamp = req.headers.get("x-slack-request-timestamp", ["0"])[0]
        signature = req.headers.get("x-slack-signature", [""])[0]
        verified = signed_by_slack(self.verifier, req.raw_body, timestamp, signature)
        return next() if verified else self._build_error_response()


def signed_by_slack(
    verifier: SignatureVerifier, body: str | bytes, timestamp: str, signature: str
) -> bool:
    """Whether Slack signed this body, and lately; whatever slack-sdk's verifier raises
    on (a timestamp that is not a number, a signature that is not ASCII), it did not."""
    try:
        return verifier.is_valid(body, timestamp, signature)
    except Exception:  # noqa: BLE001 - whatever it raises on, it was not verified
        return False


def build_app(
    settings: Settings,
    database: Database,
    directory: SlackDirectory,
    deliveries: Lane,
    clock: Callable[[], datetime],
    write_ics: Writer,
) -> App:
    """The Bolt app for this deployment, answering in the acknowledgement, with every
    listener registered."""
    from bot.listeners import register_listeners

    client = web_client(settings)
    app = App(
        client=client,
        signing_secret=settings.signing_secret,
        # Bolt's signature check, in its place before authorisation, made strict.
        request_verification_enabled=False,
        before_authorize=RequestVerification(settings.signing_secret or ""),
        # Answer in the HTTP response itself; what follows goes on the delivery lane
        # (commands) or to lazy listeners (buttons, forms, the Home tab).
        process_before_response=True,
        # What no listener handles goes to the error handler, which acknowledges it.
        raise_error_for_unhandled_request=True,
        # auth.test on the first request, not here: Slack may be out of reach as the bot
        # starts (`check_token` has caught a wrong token), and the health check and
        # calendar feed do not need it.
        token_verification_enabled=False,
        user_facing_authorize_error_message=str(Unavailable()),
    )
    services = Services(settings, database, directory, clock, write_ics, deliveries)
    register_listeners(app, services)
    return app
