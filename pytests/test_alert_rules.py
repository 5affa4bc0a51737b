"""The Prometheus alert rules (ops/prometheus/alerts.yml) are valid and behave as their unit tests
(ops/prometheus/alerts_test.yml: every rule firing and not firing) say: ``promtool check rules`` and
``promtool test rules``. promtool is installed into the venv by `make install`
(ops/prometheus/install-promtool.sh); without it these tests skip, unless INSIGHTS_REQUIRE_PROMTOOL=1
(CI) makes that a failure."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

RULES_DIR = Path(__file__).resolve().parents[1] / "ops" / "prometheus"
RULES = RULES_DIR / "alerts.yml"
RULE_TESTS = RULES_DIR / "alerts_test.yml"


def promtool() -> str:
    beside_python = Path(sys.executable).parent / "promtool"
    found = str(beside_python) if beside_python.exists() else shutil.which("promtool")
    if found:
        return found
    if os.environ.get("INSIGHTS_REQUIRE_PROMTOOL") == "1":
        pytest.fail("promtool is not installed (make install puts it in the venv)")
    pytest.skip("promtool is not installed (make install puts it in the venv)")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([promtool(), *args], capture_output=True, text=True, timeout=120, cwd=RULES_DIR)


def test_rules_are_valid():
    result = run("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_unit_tests_pass():
    result = run("test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rule_is_tested_firing_and_not_firing_and_has_a_runbook():
    rules = [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]
    cases: dict[str, set[bool]] = {}
    for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]:
        for case in test.get("alert_rule_test") or []:
            cases.setdefault(case["alertname"], set()).add(bool(case.get("exp_alerts")))
    names = [rule["alert"] for rule in rules]
    assert names and {name: cases.get(name, set()) for name in names} == {name: {True, False} for name in names}
    for rule in rules:
        assert rule["labels"]["severity"] in ("critical", "warning")
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["runbook"] == f"README.md#alerts ({rule['alert']})"
    readme = (RULES_DIR.parents[1] / "README.md").read_text()
    assert [name for name in names if f"`{name}`" not in readme] == []  # each alert explained
