"""The checkpoint's suites are built from the marts' dbt tests plus hand-written checks (no
warehouse needed): every dbt grain, not-null, accepted-values and row rule of a validated mart
is a check under its agreed name, and no check is written twice."""
from __future__ import annotations

from insight_service.quality.dbt_tests import DbtTest, MartTests, _parse_test, mart_tests
from insight_service.quality.from_dbt import checks_from_dbt, mart_suite
from insight_service.quality.suites import all_suites


def test_every_dbt_test_of_a_validated_mart_is_a_check():
    dbt = mart_tests()
    for suite in all_suites():
        mart = dbt[suite.mart]
        by_name = {c.name: c for c in suite.checks}
        assert suite.grain == mart.grain and "unique_grain" in by_name, suite.mart
        for test in mart.of("not_null"):
            assert f"not_null:{test.column}" in by_name, (suite.mart, test.column)
        for test in mart.of("accepted_values"):
            check = by_name[f"accepted_values:{test.column}"]
            assert check.kwargs["value_set"] == list(test.arguments["values"]), (suite.mart, test.column)
        for test in mart.of("no_rows_where"):
            if test.severity == "error":
                assert (test.checkpoint or test.name) in by_name, (suite.mart, test.name)


def test_names_the_checkpoint_tests_rely_on_come_from_dbt_meta():
    suites = {s.mart: {c.name for c in s.checks} for s in all_suites()}
    assert "touch_before_conversion" in suites["fct_attribution_credits"]
    assert "money_converted_at_fx_rate" in suites["fct_benchmark_comparison"]


def test_a_row_rule_lists_the_grain_and_the_columns_it_reads():
    mart = MartTests("fct_x", ("store_id", "day", "spent", "note"), (
        DbtTest("fct_x", "unique_combination", None, {"columns": ["store_id", "day"]}),
        DbtTest("fct_x", "no_rows_where", None, {"condition": "spent < 0"}, name="x_spent_not_negative"),
        DbtTest("fct_x", "no_rows_where", None, {"condition": "note = ''"}, name="x_warn", severity="warn"),
    ))
    checks = {c.name: c for c in checks_from_dbt(mart)}
    assert set(checks) == {"unique_grain", "x_spent_not_negative"}
    assert "select store_id, day, spent from mart where spent < 0 order by store_id, day" in \
        checks["x_spent_not_negative"].offenders


def test_a_check_written_by_hand_and_in_dbt_is_refused():
    mart = MartTests("fct_x", ("store_id",), (DbtTest("fct_x", "unique", "store_id", {}),))
    hand = checks_from_dbt(mart)[:1]
    try:
        mart_suite(mart, hand, [], "")
    except ValueError as exc:
        assert "unique_grain" in str(exc)
    else:
        raise AssertionError("a duplicated check was accepted")


def test_the_api_accepts_the_quarantine_reasons_of_dbt():
    """The API's reason filter (a Literal, for its schema) names the reasons dbt accepts in the
    quarantine mart (read here rather than at import: the API does not read the dbt project)."""
    from insight_service.api.data_quality.schemas import Reason

    assert set(Reason.__args__) == set(mart_tests()["data_quality_issues"].accepted_values("reason"))


def test_test_arguments_are_read_in_both_yaml_forms():
    new = _parse_test("m", "c", {"accepted_values": {"arguments": {"values": ["a"]}, "config": {"severity": "warn"}}})
    old = _parse_test("m", "c", {"accepted_values": {"values": ["a"]}})
    assert new.arguments == old.arguments == {"values": ["a"]} and new.severity == "warn" and old.severity == "error"
