from slack_bolt import App

from bot.app import Services
from bot.listeners.views import message_forms, update_modal


def register(app: App, services: Services) -> None:
    """Register the listeners for modals (the Post update form, and the forms a message's
    shortcuts open)."""
    update_modal.register(app, services)
    message_forms.register(app, services)
