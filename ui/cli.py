"""The `recordready` command line. Each command lives in its own module under ui/commands."""

from __future__ import annotations

import typer

from ui.commands import COMMAND_MODULES

app = typer.Typer(
    name="recordready",
    help="Get a patient's records complete before a cell or gene therapy eligibility review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """RecordReady: read uploads, find each document, check them against a program's checklist."""


for _module in COMMAND_MODULES:
    _module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
