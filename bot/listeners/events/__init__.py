from slack_bolt import App

from bot.app import Services
from bot.listeners.events import app_home


def register(app: App, services: Services) -> None:
    """Register the Events API listeners (the App Home tab)."""
    app_home.register(app, services)
