"""Every listener, grouped by the Slack surface that calls it."""

from slack_bolt import App

from bot.app import Services
from bot.listeners import commands


def register_listeners(app: App, services: Services) -> None:
    commands.register(app, services)
