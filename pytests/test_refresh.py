"""Operations (issue 14): the CLI's dbt pass-through."""
from __future__ import annotations

import pytest

from insight_service.cli import parse_args, split_passthrough


# ---- `insights build` / `insights dbt` pass everything through, as written -------------------

@pytest.mark.parametrize("argv, expected", [
    (["build", "--full-refresh", "--select", "x"], ["--full-refresh", "--select", "x"]),
    (["build", "--select", "x", "--full-refresh"], ["--select", "x", "--full-refresh"]),
    (["build", "--vars", "{attribution_lookback_days: 14}", "-s", "a", "b"],
     ["--vars", "{attribution_lookback_days: 14}", "-s", "a", "b"]),
    (["build", "--", "--full-refresh"], ["--full-refresh"]),           # `--` keeps working
    (["build", "--help"], ["--help"]),                                 # dbt's own help
    (["build"], []),
    (["dbt", "source", "freshness"], ["source", "freshness"]),
    (["dbt", "show", "--select", "m", "--limit", "5"], ["show", "--select", "m", "--limit", "5"]),
    (["dbt", "--", "ls", "--resource-type", "model"], ["ls", "--resource-type", "model"]),
])
def test_build_and_dbt_pass_arguments_through(argv, expected):
    args = parse_args(argv)
    assert args.command == argv[0]
    assert args.dbt_args == expected


def test_split_passthrough_keeps_own_options_and_order():
    own, rest = split_passthrough(["--force", "--select", "x", "-v", "--", "--force"], ("--force", "-v"))
    assert own == ["--force", "-v"]
    assert rest == ["--select", "x", "--force"]  # after `--` everything is dbt's


def test_other_commands_still_reject_unknown_options(capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args(["validate", "--no-such-option"])
    assert exc.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err
