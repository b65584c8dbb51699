"""Fuzz suite settings: a short deterministic run by default, a long one with --fuzz-long.

`make fuzz` runs `pytest tests/fuzz --fuzz-long`; the summary line at the end says how many
inputs were tried and how each ended.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, Phase, settings

# Per target: examples in CI (deterministic) and under --fuzz-long (random, many more).
SHORT_EXAMPLES = int(os.environ.get("RECORDREADY_FUZZ_EXAMPLES", "8"))
LONG_EXAMPLES = int(os.environ.get("RECORDREADY_FUZZ_LONG_EXAMPLES", "150"))

# No shrinking: one slow input (a timeout costs the whole per-file limit) would be retried
# hundreds of times. The failing input is saved whole under tests/artifacts/fuzz instead.
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate)
_SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


@dataclass
class FuzzTally:
    """Counts every input fed to the readers in this session, by how it ended."""

    outcomes: Counter[str] = field(default_factory=Counter)
    slowest_s: float = 0.0
    peak_growth_bytes: int = 0

    @property
    def tried(self) -> int:
        return sum(self.outcomes.values())

    def line(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in sorted(self.outcomes.items()))
        return (
            f"fuzz: {self.tried} inputs tried ({parts or 'none'}); slowest {self.slowest_s:.2f} s; "
            f"largest memory growth {self.peak_growth_bytes / 2**20:.0f} MiB"
        )


TALLY = FuzzTally()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        default=False,
        help="fuzz the readers with many more random inputs (make fuzz)",
    )


def fuzz_long(config: pytest.Config) -> bool:
    # getoption with a default: when pytest starts from the repository root this conftest
    # is not an initial one, so the option may not be registered.
    return bool(config.getoption("--fuzz-long", default=False))


@pytest.fixture(scope="session")
def fuzz_settings(request: pytest.FixtureRequest) -> settings:
    if fuzz_long(request.config):
        return settings(
            max_examples=LONG_EXAMPLES,
            phases=_PHASES,
            deadline=None,
            database=None,
            suppress_health_check=_SUPPRESS,
            print_blob=True,
        )
    return settings(
        max_examples=SHORT_EXAMPLES,
        phases=_PHASES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=_SUPPRESS,
        print_blob=True,
    )


@pytest.fixture(scope="session")
def tally() -> FuzzTally:
    return TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.tried:
        terminalreporter.write_line(TALLY.line())
