from slack_bolt import App

from bot.app import Services
from bot.listeners.actions import follow_up


def register(app: App, services: Services) -> None:
    follow_up.register(app, services)
