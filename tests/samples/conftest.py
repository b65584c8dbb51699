"""Fixtures for the sample-record tests."""

from __future__ import annotations

from typing import Any

import pytest
from samples_support import load_truth


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    return load_truth()
