"""People as Slack knows them: users.info, cached in memory for an hour."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery import failure_reason
from commands.context import PersonInfo

log = logging.getLogger(__name__)
CACHE_SECONDS = 3600


class SlackDirectory:
    """The core's `Directory`, over the Web API; safe to share between threads."""

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._cache: dict[str, tuple[float, PersonInfo | None]] = {}
        self._lock = threading.Lock()

    def lookup(self, user_id: str) -> PersonInfo | None:
        with self._lock:
            cached = self._cache.get(user_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        found = self._fetch(user_id)
        if found is None or not found.provisional:  # a failed lookup is asked again next time
            with self._lock:
                self._cache[user_id] = (time.monotonic() + CACHE_SECONDS, found)
        return found

    def name_of(self, user_id: str) -> str:
        """The person's name, where only text can name them (a form's fields and errors);
        their id if Slack does not know them."""
        found = self.lookup(user_id)
        return found.name if found else user_id

    def _fetch(self, user_id: str) -> PersonInfo | None:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except (SlackApiError, OSError) as error:
            if isinstance(error, SlackApiError) and error.response.get("error") == "user_not_found":
                return None
            log.warning("users.info failed for %s: %s", user_id, failure_reason(error))
            return PersonInfo(user_id=user_id, name=user_id, provisional=True)
        profile = user.get("profile", {})
        name = profile.get("real_name") or user.get("real_name") or user.get("name") or user_id
        return PersonInfo(user_id=user_id, name=name, email=profile.get("email"))
