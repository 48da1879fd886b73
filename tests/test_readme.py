"""The README's console walk-through prints what the README says it prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.processes import environ, run

README = Path(__file__).resolve().parent.parent / "README.md"
# The piped lines (`printf '%s\n' \ … | …boardbot console`) and, after "It prints the
# following", the printed block.
TYPED = re.compile(r"printf '%s\\n' \\\n(?P<lines>.*?)\n\| \S+ console\n", re.S)
PRINTED = re.compile(r"It prints the following\..*?```\n(?P<output>.*?)```", re.S)


def test_the_console_walk_through_prints_what_the_readme_shows(tmp_path: Path) -> None:
    text = README.read_text()
    typed = TYPED.search(text)
    printed = PRINTED.search(text)
    assert typed and printed, "the README's console example has moved"
    lines = [shlex.split(raw.removesuffix("\\"))[0] for raw in typed["lines"].splitlines()]
    # On the day the README's output was taken, so that its dates are still ahead.
    env = environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'boardbot.db'}",
        BOARDBOT_REHEARSE_FROM="2026-11-28T12:00",
    )
    result = run(["-m", "bot", "console"], env, tmp_path, "\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == printed["output"]


def test_every_setting_the_bot_reads_is_in_the_readme_and_dotenv_example() -> None:
    """Each variable bot/config.py reads is in the README's table and in `.env.example`,
    under a comment (SPEC §8)."""
    root = README.parent
    read = set(
        re.findall(
            r'(?:environ\.get|_positive)\(\s*"([A-Z_]+)"', (root / "bot/config.py").read_text()
        )
    )
    tabled = set(re.findall(r"^\| `([A-Z_]+)` \|", README.read_text(), re.M))
    assert read >= {"SLACK_BOT_TOKEN", "DATABASE_URL", "PUBLIC_URL"}  # the pattern still finds them
    assert read == tabled
    example = (root / ".env.example").read_text().splitlines()
    for name in read:
        [at] = [i for i, text in enumerate(example) if text.startswith(f"{name}=")]
        above = next(text for text in reversed(example[:at]) if not re.match(r"[A-Z_]+=", text))
        assert above.startswith("# "), name  # its comment, or its group's
