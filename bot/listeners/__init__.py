"""Every listener, grouped by the Slack surface that calls it."""

from slack_bolt import App

from bot.app import Services
from bot.listeners import actions, commands, errors, events, shortcuts, views
from bot.retries import drop_repeated_events


def register_listeners(app: App, services: Services) -> None:
    """Wire every listener into the app, after the filter that drops repeated events."""
    app.use(drop_repeated_events(services))
    errors.register(app)
    commands.register(app, services)
    events.register(app, services)
    actions.register(app, services)
    shortcuts.register(app, services)
    views.register(app, services)
