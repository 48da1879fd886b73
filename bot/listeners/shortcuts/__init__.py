from slack_bolt import App

from bot.app import Services
from bot.listeners.shortcuts import message_forms


def register(app: App, services: Services) -> None:
    """Register the listeners for shortcuts (on a message: Record as an action, Add to the
    agenda)."""
    message_forms.register(app, services)
