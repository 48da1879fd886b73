"""What goes to Slack after a reply, one at a time on the delivery lane: the rest of a
long reply, channel posts, DMs and files; and publishing a Home tab."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.error import HTTPError

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.models.views import View

from bot import rendering
from bot.apology import apologising
from commands.calendar_feed import Writer
from commands.context import Invocation
from commands.errors import Unavailable
from commands.home import home
from commands.replies import File, Message, Outcome
from storage.database import Database

if TYPE_CHECKING:
    from bot.app import Services

T = TypeVar("T")
log = logging.getLogger(__name__)
# Slack takes five posts to a command's response_url: of a reply longer than the first
# part and three more (two posts are kept for what the deliveries after it may have to
# say), the rest goes as ephemeral messages in the channel instead, still private.
FOLLOW_UPS = 3


class Lane:
    """What commands send after their replies (the rest of a long reply, channel posts,
    DMs, files), one at a time in the order the commands came.

    Not Bolt's lazy listeners: they run side by side, and a burst of calendar files,
    made at once, held the GIL from the replies (p99 of the next command 60 ms
    instead of 20 in the benchmark); they also copy every request, even one with
    nothing to send. One lane rather than several: with two, or four, keyed by
    channel, that p99 was 43-68 ms. The price is that a delivery Slack holds up (a
    Retry-After, or the client's 30-second timeout) holds up those queued behind it.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="delivery")

    def submit(self, job: Callable[..., None], *args: object) -> None:
        self._executor.submit(job, *args).add_done_callback(_log_failure)

    def close(self) -> None:
        """Send what is queued, then stop."""
        self._executor.shutdown(wait=True)


def _log_failure(done: Future[None]) -> None:
    """An executor keeps what a job raises to itself: log it, as Bolt would."""
    if error := done.exception():
        log.error("delivery failed", exc_info=error)


def send_the_rest(
    services: Services,
    client: WebClient,
    respond: Respond,
    invocation: Invocation,
    rest: list[dict[str, Any]],
    outcome: Outcome,
) -> None:
    """The rest of a long reply, then channel posts, DMs and files (made as of the
    command, as its reply was); a sentence to the caller for each that failed."""
    what = f"after {invocation.command or 'a click:'} {invocation.text}"  # for the log
    say = partial(respond, response_type="ephemeral", replace_original=False)
    with apologising(respond, client, invocation.user_id, what):  # the reply's rest
        for part in rest:
            if len(rest) <= FOLLOW_UPS:
                say(**part)
                continue
            # Slack posts an ephemeral message only where the bot is: a public channel
            # it posts in without joining (chat:write.public), it joins.
            privately = partial(
                client.chat_postEphemeral,
                channel=invocation.channel_id,
                user=invocation.user_id,
                **part,
            )
            as_member(client, invocation.channel_id, privately)
    with apologising(respond, client, invocation.user_id, what):  # whatever befalls it
        failures = deliver(
            client,
            invocation.channel_id,
            outcome,
            services.database,
            invocation.now,
            services.write_ics,
        )
        for failure in failures:
            say(text=failure)


def deliver(
    client: WebClient,
    channel_id: str,
    outcome: Outcome,
    database: Database,
    now: datetime,
    write_ics: Writer,
) -> list[str]:
    """Post the announcement and attach the files; a sentence for each that failed.

    One failure does not stop the rest: each is tried, and each failure explained.
    """
    failures: list[str] = []
    if outcome.announcement:
        posted, error = post_parts(client, channel_id, rendering.payloads(outcome.announcement))
        if error is not None:
            failure = _failure(channel_id, error)
            undo = outcome.if_not_announced
            if undo and not posted and _refused(error):
                undo.run(database, now)
                return [failure, undo.explanation]  # its files would belong to nothing
            if undo is None:  # what was typed is kept: typed again, it would be done twice
                failure += " What you typed is saved: no need to type it again."
            failures.append(failure)
    for notice in outcome.notices:
        _, error = post_parts(client, notice.recipient, rendering.payloads(notice.message))
        if error is not None:
            failures.append(_failure(notice.recipient, error))
    for file in outcome.files:
        target = file.recipient or channel_id
        try:
            data = file.made(database, now, write_ics)
        except Unavailable as error:
            failures.append(f"I couldn't make {file.filename}: {error}")
            continue
        except Exception:  # noqa: BLE001 - a file that cannot be made stops none of the rest
            log.exception("making %s failed", file.filename)
            failures.append(f"I couldn't make {file.filename}. Sorry: it has been logged.")
            continue
        if data is not None:
            failures += _attempt(target, partial(upload, client, target, file, data))
    return failures


def failure_reason(error: Exception) -> str:
    """Why Slack did not take a call, in a few words: its error, why its upload host
    refused a file, or why it was not reached (connection refused, reset, timed out)."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    if isinstance(error, HTTPError | SlackRequestError):  # the upload host's answer
        return "Slack did not take the file"
    return f"Slack could not be reached: {error}"


def _attempt(target: str, send: Callable[[], object]) -> list[str]:
    """Send; if Slack refused (the upload host too) or could not be reached, the sentence
    that says so."""
    try:
        send()
    except (SlackApiError, SlackRequestError, OSError) as error:
        return [_failure(target, error)]
    return []


def _failure(target: str, error: SlackApiError | SlackRequestError | OSError) -> str:
    reason = failure_reason(error)
    log.warning("delivering to %s failed: %s (%s)", target, reason, error)
    return _explain(target, reason)


def post(client: WebClient, target: str, message: Message) -> None:
    """Post a message, split into several if Slack's limits need it."""
    _, error = post_parts(client, target, rendering.payloads(message))
    if error is not None:
        raise error


def post_parts(
    client: WebClient,
    target: str,
    parts: list[dict[str, Any]],
    metadata: Callable[[int], dict[str, Any]] | None = None,
    skip: Collection[int] = (),
) -> tuple[dict[int, str], SlackApiError | OSError | None]:
    """Post a message's parts in order, but those in `skip`, each with `metadata(part)` if
    given: the timestamps of those posted, by part, and what stopped the rest."""
    posted: dict[int, str] = {}
    for index, part in enumerate(parts):
        if index in skip:
            continue
        tag = metadata(index) if metadata else None
        try:
            posted[index] = str(client.chat_postMessage(channel=target, metadata=tag, **part)["ts"])
        except (SlackApiError, OSError) as error:
            return posted, error
    return posted, None


def _refused(error: SlackApiError | OSError) -> bool:
    """Whether Slack certainly did not act: it answered, and not with a server error
    (after which, as after a dropped connection, it may have posted)."""
    return isinstance(error, SlackApiError) and error.response.status_code < 500


def is_person(target: str) -> bool:
    """A user id (U…, or W… on Enterprise Grid) rather than a channel's."""
    return target.startswith(("U", "W"))


def conversation(client: WebClient, target: str) -> str:
    """The channel itself, or for a person the bot's DM with them."""
    if is_person(target):
        return str(client.conversations_open(users=target)["channel"]["id"])
    return target


def upload(client: WebClient, target: str, file: File, data: bytes) -> None:
    """Attach a file to a channel, or to a person's DM with the bot. The bot posts in a
    public channel without being in it (chat:write.public), but shares a file there
    only as a member: it joins, as it does to look back for reminders."""
    channel = conversation(client, target)
    share = partial(
        client.files_upload_v2,
        channel=channel,
        content=data,
        filename=file.filename,
        title=file.title,
    )
    if channel != target:  # a DM, which the bot is always in
        share()
    else:
        as_member(client, channel, share)


def as_member(client: WebClient, channel: str, call: Callable[[], T]) -> T:
    """`call`, and if Slack says the bot is not in the (public) channel, again after
    joining it. A join Slack refuses raises its own answer (a scope not granted, say)."""
    try:
        return call()
    except SlackApiError as error:
        if error.response.get("error") != "not_in_channel":
            raise
    client.conversations_join(channel=channel)
    return call()


def _explain(target: str, reason: str) -> str:
    person = is_person(target)
    if reason in {"not_in_channel", "channel_not_found"} and not person:
        return "I couldn't post to this channel: I'm not in it. Invite me with /invite."
    where = f"<@{target}>" if person else f"<#{target}>"
    # The reason may quote urllib (`<urlopen error …>`): Slack would read that as markup.
    return f"I couldn't deliver a message to {where} ({rendering.escape(reason)})."


def publish_home(client: WebClient, services: Services, team_id: str, user_id: str) -> None:
    """Publish the user's Home tab: their open actions on every board of the workspace."""
    message = home(services.database, team_id, user_id, services.clock())
    client.views_publish(user_id=user_id, view=View(type="home", blocks=rendering.blocks(message)))
