"""Each family of bronze expectations on hand-made rows: clean rows pass, each violation is caught."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ecap_pipeline.lake.contracts import BRONZE_TABLES
from ecap_pipeline.quality.frames import validation_columns
from ecap_pipeline.quality.outcomes import ExpectationOutcome, TableOutcome, failures_markdown
from ecap_pipeline.quality.rules import Severity
from ecap_pipeline.quality.suites import build_suite
from ecap_pipeline.quality.validation import validate_tables
from tests.unit.quality.conftest import AT, CLEAN, Validate, rows


def _only_failure(outcome: TableOutcome, severity: Severity = Severity.ERROR) -> ExpectationOutcome:
    assert outcome.failures(Severity.ERROR if severity is Severity.WARN else Severity.WARN) == ()
    (failure,) = outcome.failures(severity)
    return failure


def _lines(**changes: object) -> list[dict[str, object]]:
    """The clean order lines with the first line changed."""
    first, *others = CLEAN["order_items"]
    return [{**first, **changes}, *others]


def test_every_bronze_table_has_a_suite_with_error_and_warn_rules() -> None:
    for table in BRONZE_TABLES:
        suite = build_suite(table)
        assert suite.name == f"bronze.{table}"
        assert {expectation.severity.value for expectation in suite.expectations} >= {"critical"}
        assert all(expectation.description for expectation in suite.expectations)


def test_clean_rows_pass_every_expectation(validate: Validate) -> None:
    for table in ("customers", "sessions", "products", "orders", "order_items"):
        outcome = validate(table, CLEAN[table])
        assert [failure.summary() for failure in outcome.failures(Severity.ERROR)] == []
        assert [failure.summary() for failure in outcome.failures(Severity.WARN)] == []
        assert outcome.rows == len(CLEAN[table])


def test_quantity_zero_breaks_the_range_rule_with_its_order_line_as_example(validate: Validate) -> None:
    failure = _only_failure(validate("order_items", _lines(quantity=0)))
    assert failure.name == "expect_column_values_to_be_between(quantity)"
    assert (failure.failing_rows, failure.checked_rows) == (1, 2)
    assert failure.examples == ({"order_id": "O1", "line_number": 1, "quantity": 0},)
    assert "1 of 2 row(s) break it; e.g. order_id=O1, line_number=1, quantity=0" in failure.summary()


def test_zero_price_and_cost_break_the_strict_minimum(validate: Validate) -> None:
    failures = validate("order_items", _lines(unit_price=0.0, unit_cost=0.0)).failures(Severity.ERROR)
    assert {(failure.name, failure.failing_rows) for failure in failures} == {
        ("expect_column_values_to_be_between(unit_price)", 1),
        ("expect_column_values_to_be_between(unit_cost)", 1),
    }


def test_missing_required_value_is_counted(validate: Validate) -> None:
    failure = _only_failure(validate("order_items", _lines(unit_price=None)))
    assert failure.name == "expect_column_values_to_not_be_null(unit_price)"
    assert failure.failing_rows == 1


def test_the_defaults_of_a_landed_order_export_are_valid_bronze(validate: Validate) -> None:
    order = {**CLEAN["orders"][0], "payment_method": "unknown", "device": "unknown", "country_code": None}
    assert not validate("orders", [order]).failures(Severity.ERROR)
    assert not validate("order_items", _lines(product_id=None, unit_cost=None)).failures(Severity.ERROR)


def test_duplicated_compound_key_reports_both_rows(validate: Validate) -> None:
    failure = _only_failure(validate("order_items", _lines(line_number=2)))
    assert failure.name == "expect_compound_columns_to_be_unique(order_id, line_number)"
    assert failure.failing_rows == 2


def test_unknown_payment_method_and_country_are_caught(validate: Validate) -> None:
    order = {**CLEAN["orders"][0], "payment_method": "bitcoin", "country_code": "XX"}
    failures = validate("orders", [order]).failures(Severity.ERROR)
    assert {failure.name for failure in failures} == {
        "expect_column_values_to_be_in_set(payment_method)",
        "expect_column_values_to_be_in_set(country_code)",
    }
    assert all(failure.failing_rows == 1 for failure in failures)


def test_timestamp_outside_the_partition_day_is_caught(validate: Validate) -> None:
    order = {**CLEAN["orders"][0], "ordered_at": AT + dt.timedelta(days=1)}
    failure = _only_failure(validate("orders", [order]))
    assert failure.name == "expect_column_pair_values_to_be_equal(ordered_at_day, partition_date)"
    assert failure.failing_rows == 1


def test_order_for_an_unknown_customer_breaks_referential_integrity(validate: Validate) -> None:
    order = {**CLEAN["orders"][0], "customer_id": "C404"}
    failure = _only_failure(validate("orders", [order]))
    assert failure.name == "expect_column_values_to_be_null(customer_id_not_in_customers)"
    assert failure.examples[0]["customer_id_not_in_customers"] == "C404"


def test_order_line_of_an_unknown_order_breaks_referential_integrity(validate: Validate) -> None:
    failure = _only_failure(validate("order_items", CLEAN["order_items"], orders=[]))
    assert failure.name == "expect_column_values_to_be_null(order_id_not_in_orders)"
    assert failure.failing_rows == 2


def test_cost_above_price_is_only_a_warning(validate: Validate) -> None:
    failure = _only_failure(validate("order_items", _lines(unit_cost=31.0)), Severity.WARN)
    assert failure.name == "expect_column_pair_values_a_to_be_greater_than_b(unit_price, unit_cost)"
    assert failure.severity is Severity.WARN


def test_session_ending_before_it_starts_is_an_error(validate: Validate) -> None:
    session = {**CLEAN["sessions"][0], "ended_at": AT - dt.timedelta(minutes=1)}
    failure = _only_failure(validate("sessions", [session]))
    assert failure.name == "expect_column_pair_values_a_to_be_greater_than_b(ended_at, started_at)"


def test_unexpected_column_and_wrong_type_break_the_schema_rules() -> None:
    frame = rows("products", CLEAN["products"]).with_columns(pl.col("unit_price").cast(pl.String), pl.lit(1).alias("x"))
    outcome = validate_tables({"products": frame}, run_name="unit-test")["products"]
    names = {failure.name for failure in outcome.failures(Severity.ERROR)}
    assert "expect_table_columns_to_match_ordered_list()" in names or any("ordered_list" in name for name in names)
    assert "expect_column_values_to_be_of_type(unit_price)" in names
    assert validation_columns("products")[-1] != "x"


def test_failures_markdown_lists_rule_count_and_examples(validate: Validate) -> None:
    failures = validate("order_items", _lines(quantity=0)).failures(Severity.ERROR)
    text = failures_markdown(failures)
    assert "| `expect_column_values_to_be_between(quantity)` | quantity is at least 1. | 1 of 2 |" in text
    assert "| O1 | 1 | 0 |" in text
