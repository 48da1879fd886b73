from slack_bolt import App

from bot.app import Services
from bot.listeners.commands import board


def register(app: App, services: Services) -> None:
    """Register the slash command's listener."""
    board.register(app, services)
