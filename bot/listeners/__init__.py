"""Every listener, grouped by the Slack surface that calls it."""

from slack_bolt import App

from bot.app import Services
from bot.listeners import actions, commands, views


def register_listeners(app: App, services: Services) -> None:
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)
