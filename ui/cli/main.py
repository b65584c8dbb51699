"""The `recordready` command line. Each command lives in its own module under ui/commands."""

from __future__ import annotations

from typing import Annotated

import typer

from intake.logs import ENV_VAR, LEVEL_NAMES, parse_level, setup_logging
from ui.cli.registry import COMMAND_MODULES

app = typer.Typer(
    name="recordready",
    help="Get a patient's records complete before a cell or gene therapy eligibility review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _check_level(value: str | None) -> str | None:
    try:
        parse_level(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


@app.callback()
def _root(
    log_level: Annotated[
        str | None,
        typer.Option(
            "--log-level",
            callback=_check_level,
            help=f"{'|'.join(LEVEL_NAMES)} (default: ${ENV_VAR}, else WARNING; batch "
            "progress lines are INFO). Worker processes and the app follow it.",
        ),
    ] = None,
) -> None:
    """RecordReady: read uploads, find each document, check them against a program's checklist."""
    # Exported so every process started from here (pool workers, the app's server) follows it.
    setup_logging(log_level, export=log_level is not None)


for _module in COMMAND_MODULES:
    _module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
