"""A process's descendants, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> dict[int, int]:
    """Every process below `pid`, as {pid: parent pid}."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    below: dict[int, int] = {}
    found = True
    while found:
        found = False
        for child, parent in parents.items():
            if child not in below and (parent == pid or parent in below):
                below[child] = parent
                found = True
    return below


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}
