"""The floor: a bare Bolt app on the same server stack whose `/board` only acks a fixed text.

python -m bench.bare_bolt --port 0    (needs SLACK_SIGNING_SECRET, SLACK_API_URL)
"""

from __future__ import annotations

import argparse
import logging
import os
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.server import Routes, make_server
from storage.database import Database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    client = WebClient(token="xoxb-bench", base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
    )

    @app.command(re.compile(r"^/"))
    def answer(ack: Ack) -> None:
        ack(response_type="ephemeral", text="Board Bot is here.")

    # Same WSGI routing and waitress settings as `boardbot serve`; the database is never used.
    routes = Routes(app, Database("sqlite://"), signing_secret=os.environ["SLACK_SIGNING_SECRET"])
    server = make_server(routes, "127.0.0.1", args.port)
    logging.getLogger("boardbot").info(
        "serving on http://127.0.0.1:%s/slack/events", server.effective_port
    )
    server.run()


if __name__ == "__main__":
    main()
