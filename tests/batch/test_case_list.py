"""The case list's stored summaries and paged list on SQLite (see case_list_checks)."""

from __future__ import annotations

from pathlib import Path

from intake.store import Store
from tests.batch.case_list_checks import (
    every_change_makes_the_summary_out_of_date,
    the_list_searches_filters_orders_and_pages_in_the_store,
)


def test_every_change_to_a_case_makes_its_summary_out_of_date(tmp_path: Path) -> None:
    every_change_makes_the_summary_out_of_date(Store.at(tmp_path))


def test_the_case_list_searches_filters_orders_and_pages_in_sql(tmp_path: Path) -> None:
    the_list_searches_filters_orders_and_pages_in_the_store(Store.at(tmp_path))
