from slack_bolt import App

from bot.app import Services
from bot.listeners.shortcuts import record_action


def register(app: App, services: Services) -> None:
    """Register the listeners for shortcuts (Record as an action, on a message)."""
    record_action.register(app, services)
