"""Board Bot's benchmark: latency, throughput, memory and SQL per command at a county's scale.

    python -m bench.run [--quick] [--database-url URL]

Prints a table, then as its last line one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, insert, select

from bench.dataset import ACTIONS, HELD, Dataset, generate
from bench.driver import SIGNING_SECRET, Client, Latency, percentiles, start_server
from bench.fake_slack_process import RemoteSlack
from bench.fake_slack_process import start as start_slack
from bot import rendering
from commands import calendar_feed, dispatch, minutes_docx, minutes_markdown
from commands import minutes as minutes_core
from commands.context import Invocation, PersonInfo
from commands.reminders import Sent, due_reminders, run_pass
from commands.replies import Message
from storage.database import Database
from storage.models import Action, ActionUpdate, AgendaItem, Board, Meeting
from tests.processes import SERVE, environ

ROOT = Path(__file__).resolve().parent.parent
# Reads first: the writes add actions, which would grow what later reads collate.
COMMANDS = (
    "agenda",
    "meetings",
    "actions mine",
    "summary",
    "minutes",
    "calendar",
    "action add",
    "action update",
)
SECRETARY = 2  # member index of each board's secretary
WARM_UP = 10  # requests a server answers before each command is measured
BLOCK = 10  # requests a server answers in a row while being measured
FLOOR = ["-m", "bench.bare_bolt", "--port", "0"]
FLOOR_REQUEST = ("U1", "C1", "help")


@dataclass(frozen=True)
class Size:
    name: str
    boards: int


class Everyone:
    def lookup(self, user_id: str) -> PersonInfo:
        return PersonInfo(user_id, user_id)


class Outbox:
    """Records reminders as sent without posting: makes the next pass idle."""

    def send(self, recipient: str, message: Message, tag: str, *, look_first: bool) -> Sent:
        return Sent(None, posted=True)


def command_text(name: str, dataset: Dataset, board: int, rng: random.Random) -> tuple[str, str]:
    """(user, text) for one request of this command on this board."""
    secretary = dataset.user(board, SECRETARY)
    if name == "actions mine":
        return dataset.user(board, rng.randrange(12)), "actions mine"
    if name == "action add":
        owner = dataset.user(board, rng.randrange(12))
        return secretary, f"action add <@{owner}> Benchmark follow-up by 31/12/2030"
    if name == "action update":
        number = (HELD - 2) * ACTIONS + rng.randrange(1, 2 * ACTIONS)  # still open
        return secretary, f"action update A{number} amber Progress reported to the board"
    if name == "minutes":
        return secretary, f"minutes M{HELD}"
    return secretary, name


@contextmanager
def database_for(url: str | None, folder: Path, label: str) -> Iterator[Database]:
    """A fresh database: a SQLite file, or a PostgreSQL schema of its own."""
    if url is None:
        database = Database(f"sqlite:///{folder / label}.db")
        database.upgrade()
        yield database
        database.dispose()
        return
    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    plain = url.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    database = Database(f"{url}{separator}options=-csearch_path%3D{schema}")
    database.upgrade()
    try:
        yield database
    finally:
        database.dispose()
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def server_env(database: Database, slack: RemoteSlack) -> dict[str, str]:
    return environ(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database.url,
        REMINDER_INTERVAL_SECONDS="3600",
        PYTHONPATH=str(ROOT),
    )


def request(name: str, dataset: Dataset, rng: random.Random) -> tuple[str, str, str]:
    """(user, channel, text) for one request of this command at a random board."""
    board = rng.randrange(dataset.boards)
    user, text = command_text(name, dataset, board, rng)
    return user, dataset.channel(board), text


@dataclass(frozen=True)
class Target:
    """A running server and the history its database holds."""

    client: Client
    dataset: Dataset


def measure_commands(
    floor: Client, targets: dict[str, Target], requests: int
) -> tuple[dict[str, dict[str, Latency]], Latency]:
    """Latency per command at every size, and the floor's.

    The servers take turns in blocks of BLOCK requests, so a slow patch of a shared
    machine falls on every size and on the floor alike rather than on whichever was
    being measured then. Each block is led by one request that is not counted: it
    wakes a server that sat idle through the others' turns, so what is counted is
    answered back to back.
    """
    rng = random.Random(1)
    floor_times: list[float] = []
    times: dict[str, dict[str, list[float]]] = {size: {} for size in targets}
    for name in COMMANDS:
        turns: list[tuple[list[float], Client, Callable[[], tuple[str, str, str]]]] = [
            (floor_times, floor, lambda: FLOOR_REQUEST)
        ]
        for size, target in targets.items():
            times[size][name] = []
            turns.append(
                (times[size][name], target.client, partial(request, name, target.dataset, rng))
            )
        for _, client, next_request in turns:  # caches and connections
            for _ in range(WARM_UP):
                client.timed(*next_request())
        for block in range(requests // BLOCK):
            first = block % len(turns)
            for samples, client, next_request in turns[first:] + turns[:first]:
                client.timed(*next_request())
                samples += [client.timed(*next_request()) for _ in range(BLOCK)]
    latencies = {
        size: {name: percentiles(samples) for name, samples in by_command.items()}
        for size, by_command in times.items()
    }
    return latencies, percentiles(floor_times)


def measure_throughput(target: Target, requests: int) -> float:
    rng = random.Random(2)
    reads = ("agenda", "meetings", "actions mine", "summary", "action update", "action add")
    return target.client.throughput(
        lambda i: request(reads[i % len(reads)], target.dataset, rng), requests, clients=8
    )


def statements_per_command(database: Database, dataset: Dataset, now: datetime) -> dict[str, int]:
    """SQL statements each command issues, counted at the driver (on SQLite that includes
    the explicit BEGIN; psycopg begins implicitly, so PostgreSQL counts one fewer)."""
    counted = [0]

    def count(*_: Any) -> None:
        counted[0] += 1

    event.listen(database.engine, "before_cursor_execute", count)
    rng = random.Random(3)
    result = {}
    try:
        for name in COMMANDS:
            user, text = command_text(name, dataset, 0, rng)
            invocation = Invocation(dataset.team_id, dataset.channel(0), user, text, now)
            dispatch.run(invocation, database, Everyone())  # warm the connection
            counted[0] = 0
            dispatch.run(invocation, database, Everyone())
            result[name] = counted[0]
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return result


def idle_reminder_pass_ms(database: Database, now: datetime) -> float:
    """A pass with nothing due (everything was sent before the server started)."""
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        assert not due_reminders(database, now)
    return (time.perf_counter() - started) * 1000 / rounds


def minutes_render_ms(database: Database, now: datetime) -> float:
    """Collate and render (Block Kit, Markdown, .docx): 30 items, 100 actions, 500 updates."""
    with database.transaction() as session:
        board = session.scalars(select(Board).order_by(Board.id)).first()
        assert board is not None
        start = now - timedelta(days=2)
        meeting_id = session.execute(
            insert(Meeting).returning(Meeting.id),
            [
                {
                    "board_id": board.id,
                    "number": 9_000,
                    "title": "Extraordinary board",
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=3),
                    "location": "Swanspool House",
                    "status": "scheduled",
                    "series": None,
                    "revision": 0,
                    "created_at": start,
                    "updated_at": start,
                }
            ],
        ).scalar_one()
        items = (
            session.execute(
                insert(AgendaItem).returning(AgendaItem.id),
                [
                    {
                        "meeting_id": meeting_id,
                        "position": p + 1,
                        "title": f"Item {p + 1}",
                        "presenter_id": None,
                        "minutes": 10,
                        "proposed_by": "UBENCH",
                        "created_at": start,
                    }
                    for p in range(30)
                ],
            )
            .scalars()
            .all()
        )
        actions = (
            session.execute(
                insert(Action).returning(Action.id),
                [
                    {
                        "board_id": board.id,
                        "number": 90_000 + a,
                        "owner_id": f"UOWNER{a % 12}",
                        "description": "Report back to the board",
                        "due_on": (now + timedelta(days=30)).date(),
                        "status": "open",
                        "meeting_id": meeting_id,
                        "item_id": items[a % 30],
                        "created_by": "UBENCH",
                        "created_at": start + timedelta(minutes=a),
                    }
                    for a in range(100)
                ],
            )
            .scalars()
            .all()
        )
        session.execute(
            insert(ActionUpdate),
            [
                {
                    "action_id": actions[u % 100],
                    "author_id": "UBENCH",
                    "rag": "amber",
                    "text": "Progress reported.",
                    "created_at": start + timedelta(minutes=200 + u),
                }
                for u in range(500)
            ],
        )

    def render() -> None:
        with database.transaction() as session:
            board = session.scalars(select(Board).order_by(Board.id)).first()
            meeting = session.get(Meeting, meeting_id)
            assert board is not None and meeting is not None
            collated = minutes_core.collate(session, board, meeting, now)
        rendering.payloads(minutes_core.as_message(collated))
        minutes_markdown.render(collated)
        minutes_docx.render(collated)

    # Once untimed, as the commands are warmed: what a server does once in its life
    # (the Word template trimmed, the Markdown template compiled) is not a render's.
    render()
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        render()
    return (time.perf_counter() - started) * 1000 / rounds


def ics_render_ms(database: Database, dataset: Dataset, now: datetime) -> float:
    with database.transaction() as session:
        token = session.scalars(select(Board.calendar_token).order_by(Board.id)).first()
    assert token
    rounds = 10
    started = time.perf_counter()
    for _ in range(rounds):
        calendar_feed.forget_built_feeds()  # built from the database each time, not from memory
        assert calendar_feed.feed(database, token, now)
    return (time.perf_counter() - started) * 1000 / rounds


def floor_env(slack: RemoteSlack) -> dict[str, str]:
    return environ(
        SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url, PYTHONPATH=str(ROOT)
    )


def run(quick: bool, database_url: str | None) -> dict[str, Any]:
    sizes = [Size("small", 1), Size("large", 50 if quick else 500)]
    requests = 100 if quick else 300
    now = datetime.now(UTC)
    report: dict[str, Any] = {"sizes": {}}
    slack_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (
        tempfile.TemporaryDirectory() as folder,
        start_slack(ROOT, slack_env) as slack,
        ExitStack() as opened,
    ):
        workdir = Path(folder)
        databases: dict[str, tuple[Database, Dataset]] = {}
        for size in sizes:
            database = opened.enter_context(database_for(database_url, workdir, size.name))
            started = time.perf_counter()
            dataset = generate(database, size.boards, now)
            if database.dialect == "postgresql":
                database.analyze()  # autovacuum's, on a long-lived server
            report["sizes"][size.name] = {
                "boards": size.boards,
                "generated_s": round(time.perf_counter() - started, 1),
            }
            # Record what the history makes due as sent, so the server's own
            # scheduler has nothing to post while it is being measured.
            run_pass(database, now, Outbox())
            databases[size.name] = database, dataset
        with ExitStack() as running:
            floor = running.enter_context(start_server(FLOOR, floor_env(slack), workdir))
            servers = {
                name: running.enter_context(
                    start_server(SERVE, server_env(database, slack), workdir)
                )
                for name, (database, _) in databases.items()
            }
            targets = {
                name: Target(Client(server, slack, databases[name][1].team_id), databases[name][1])
                for name, server in servers.items()
            }
            latencies, baseline = measure_commands(
                Client(floor, slack, "TBENCH"), targets, requests
            )
            report["baseline_p50_ms"] = baseline.p50_ms
            for name, target in targets.items():
                report["sizes"][name] |= {
                    "latency": {k: vars(v) for k, v in latencies[name].items()},
                    "throughput_rps": round(measure_throughput(target, requests * 3), 1),
                    "rss_mb": round(servers[name].peak_rss_mb(), 1),
                }
        for name, (database, dataset) in databases.items():
            entry = report["sizes"][name]
            entry["statements"] = statements_per_command(database, dataset, now)
            if name == "large":
                entry["reminder_idle_pass_ms"] = round(idle_reminder_pass_ms(database, now), 1)
                entry["minutes_render_ms"] = round(minutes_render_ms(database, now), 1)
                entry["ics_render_ms"] = round(ics_render_ms(database, dataset, now), 1)
    return report


def headline(report: dict[str, Any]) -> dict[str, Any]:
    small, large = report["sizes"]["small"], report["sizes"]["large"]
    worst = max(COMMANDS, key=lambda c: large["latency"][c]["p50_ms"])
    p50 = large["latency"][worst]["p50_ms"]
    return {
        "p50_ms": p50,
        "p99_ms": max(large["latency"][c]["p99_ms"] for c in COMMANDS),
        "baseline_p50_ms": report["baseline_p50_ms"],
        "ratio_p50": round(p50 / report["baseline_p50_ms"], 2),
        "growth_p50": round(
            max(large["latency"][c]["p50_ms"] / small["latency"][c]["p50_ms"] for c in COMMANDS), 2
        ),
        "statements_max": max(large["statements"].values()),
        "statements_growth": max(large["statements"][c] - small["statements"][c] for c in COMMANDS),
        "throughput_rps": large["throughput_rps"],
        "reminder_idle_pass_ms": large["reminder_idle_pass_ms"],
        "minutes_render_ms": large["minutes_render_ms"],
        "ics_render_ms": large["ics_render_ms"],
        "rss_mb": large["rss_mb"],
    }


def table(report: dict[str, Any]) -> str:
    rows = [
        f"{'command':<16}"
        + "".join(
            f"{size + ' ' + stat:>14}" for size in report["sizes"] for stat in ("p50", "p99", "SQL")
        )
    ]
    for name in COMMANDS:
        cells = ""
        for entry in report["sizes"].values():
            latency = entry["latency"][name]
            cells += f"{latency['p50_ms']:>11.2f} ms{latency['p99_ms']:>11.2f} ms"
            cells += f"{entry['statements'][name]:>14}"
        rows.append(f"{name:<16}{cells}")
    rows.append(f"{'bare Bolt p50':<16}{report['baseline_p50_ms']:>11.2f} ms")
    for size, entry in report["sizes"].items():
        rows.append(
            f"{size}: {entry['boards']} boards (generated in {entry['generated_s']} s), "
            f"{entry['throughput_rps']} req/s with 8 clients, peak RSS {entry['rss_mb']} MB"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None, print_: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 boards instead of 500")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL URL to run against (default: SQLite files)",
    )
    args = parser.parse_args(argv)
    report = run(args.quick, args.database_url)
    print_(table(report))
    print_(json.dumps(headline(report)))


if __name__ == "__main__":
    main()
