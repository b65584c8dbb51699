"""The case list's stored summaries and paged list on a real PostgreSQL (scripts/services.sh):
the same checks as on SQLite (tests/batch/case_list_checks.py), each in a database of its
own so the other scale tests' cases are not in its list."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from intake.settings import Settings
from intake.store import Store
from tests.batch.case_list_checks import (
    every_change_makes_the_summary_out_of_date,
    the_list_searches_filters_orders_and_pages_in_the_store,
)


@pytest.mark.parametrize(
    "check",
    [
        every_change_makes_the_summary_out_of_date,
        the_list_searches_filters_orders_and_pages_in_the_store,
    ],
)
def test_case_list_on_postgresql(
    services: dict[str, str], tmp_path: Path, check: Callable[[Store], None]
) -> None:
    url = services["RECORDREADY_DATABASE_URL"]
    assert url.startswith("postgresql")
    name = f"rr_case_list_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = url.rsplit("/", 1)[0] + "/" + name
    try:
        check(Store(Settings(home=tmp_path, database_url=own, blob_dir=tmp_path / "blobs")))
    finally:
        from intake.store.db import engine_for

        engine_for(own).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
