"""Every test module gets its own RECORDREADY_HOME: commands and services store uploads and
cache what they read there, and must never touch the working tree's ./.recordready."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module", autouse=True)
def recordready_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = str(tmp_path_factory.mktemp("home"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RECORDREADY_HOME", home)
        yield home
