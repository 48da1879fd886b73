from slack_bolt import App

from bot.app import Services
from bot.listeners.actions import follow_up, publish


def register(app: App, services: Services) -> None:
    """Register the listeners for buttons (Mark done, Post update, Publish)."""
    follow_up.register(app, services)
    publish.register(app, services)
