"""The ``insights`` command line: one module per command group, each with ``register(sub)``.

This package's face holds what every command shares: :class:`CliError` (a failure the user can
act on: one line on stderr, exit 1) and the output helpers. The parser and ``main()`` are in
:mod:`insight_service.cli.main`; every command reads the same connection (PG* variables; the
embedded server when PGHOST is unset), exits non-zero with a one-line reason on failure and
reports progress.
"""
from __future__ import annotations

import sys


class CliError(Exception):
    """A failure the user can act on: printed as one line, exit code 1."""


def say(msg: str = "") -> None:
    """A progress or result line on stdout, flushed (commands run for minutes)."""
    print(msg, flush=True)


def warn(msg: str = "") -> None:
    """A line on stderr: notes and warnings that scripts reading stdout must not see."""
    print(msg, file=sys.stderr, flush=True)


def given(value, default):
    """An optional option's value, or its default (None means "not given")."""
    return default if value is None else value
