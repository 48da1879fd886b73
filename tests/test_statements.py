"""SQL statements per command stay few and do not grow with the history a board holds
(the benchmark's figure, kept here so a regression fails CI)."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bench.dataset import generate
from bench.run import COMMANDS, statements_per_command
from storage import queries
from storage.database import Database
from storage.models import Base
from storage.summary import SUB_GROUPS

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


def test_the_migrations_build_the_schema_the_models_declare(database: Database) -> None:
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_a_boards_upcoming_meetings_are_found_through_its_own_index_without_statistics(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """SQLite never analyses a file unless asked; the plan must not scan every board's."""
    database = Database(f"sqlite:///{tmp_path / 'board.db'}")
    database.upgrade()
    statement = queries.UPCOMING.compile(database.engine)
    with database.engine.connect() as connection:
        plan = connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", (1, "scheduled", str(NOW.replace(tzinfo=None)))
        ).all()
    database.dispose()
    assert [row[-1] for row in plan][0].startswith(
        "SEARCH meetings USING INDEX ix_meetings_board_status_starts (board_id=? AND status=?"
    ), plan


def test_a_boards_sub_groups_are_found_through_the_parent_index(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """Every summary looks its board's sub-groups up: never by scanning every board."""
    database = Database(f"sqlite:///{tmp_path / 'board.db'}")
    database.upgrade()
    statement = SUB_GROUPS.compile(database.engine)
    values = {"board_id": 1, "today": "2026-11-28", "now": str(NOW.replace(tzinfo=None))}
    assert statement.positiontup is not None
    with database.engine.connect() as connection:
        plan = connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}",
            tuple(values.get(name, statement.params[name]) for name in statement.positiontup),
        ).all()
    database.dispose()
    steps = [row[-1] for row in plan]
    assert "SEARCH boards USING INDEX ix_boards_parent (parent_id=?)" in steps, steps
