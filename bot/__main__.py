"""`python -m bot` and the `boardbot` script.

Kept to this: the calendar worker (bot/calendar_worker.py) starts by re-importing the
script that started the server, and must not load the whole server with it.
"""

import sys


def main() -> int:
    """Run the `boardbot` command line; its exit status."""
    from bot.cli import main as cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
