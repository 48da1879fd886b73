"""Configuration from the environment, with a `.env` file read if present (SPEC §8)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from dotenv import load_dotenv

from storage.database import DEFAULT_URL

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    board_timezone: str
    public_url: str

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(override=False)
        api_url = os.environ.get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            bot_token=os.environ.get("SLACK_BOT_TOKEN") or None,
            signing_secret=os.environ.get("SLACK_SIGNING_SECRET") or None,
            app_token=os.environ.get("SLACK_APP_TOKEN") or None,
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_URL,
            board_timezone=os.environ.get("BOARD_TIMEZONE") or "Europe/London",
            public_url=(os.environ.get("PUBLIC_URL") or "http://localhost:3000").rstrip("/"),
        )

    @property
    def has_slack(self) -> bool:
        return bool(self.bot_token)
