"""SQL statements per command stay few and do not grow with the history a board holds
(the benchmark's figure, kept here so a regression fails CI)."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.dataset import generate
from bench.run import COMMANDS, statements_per_command
from storage.database import Database

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
MOST = 10


def test_every_benchmarked_command_runs_the_same_few_statements_at_any_size(
    database: Database,
) -> None:
    dataset = generate(database, 1, NOW)
    small = statements_per_command(database, dataset, NOW)
    bigger = generate(database, 3, NOW, first=1)
    large = statements_per_command(database, bigger, NOW)
    assert set(small) == set(COMMANDS)
    assert all(count <= MOST for count in large.values()), large
    assert large == small
