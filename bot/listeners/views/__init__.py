from slack_bolt import App

from bot.app import Services
from bot.listeners.views import update_modal


def register(app: App, services: Services) -> None:
    """Register the listeners for modals (the Post update form)."""
    update_modal.register(app, services)
