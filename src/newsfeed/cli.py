"""The command line."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("newsfeed: the command line is being built")
