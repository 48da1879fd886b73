"""A dump of every table, to prove a refused command changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.database import Database
from storage.models import Base


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }
