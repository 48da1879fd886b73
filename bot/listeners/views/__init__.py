from slack_bolt import App

from bot.app import Services
from bot.listeners.views import record_form, update_modal


def register(app: App, services: Services) -> None:
    """Register the listeners for modals (the Post update and Record an action forms)."""
    update_modal.register(app, services)
    record_form.register(app, services)
