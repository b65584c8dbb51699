"""`recordready app`: start the Streamlit app (patient and coordinator pages) on the case store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from intake.settings import Settings

# server.py serves main.py's pages plus the routes that set the staff session cookie.
APP_SCRIPT = Path(__file__).resolve().parents[1] / "app" / "server.py"
# Long enough for the browser's own reconnect after a network blip, short enough that a
# closed staff tab cannot be picked up again by whoever finds its session id.
DISCONNECTED_SESSION_TTL_S = 5


def streamlit_command(host: str, port: int, max_upload_mb: int) -> list[str]:
    """The `streamlit run` line: no telemetry, no file watcher, no browser pop-up on servers."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--server.maxUploadSize",
        str(max_upload_mb),
        "--server.enableXsrfProtection",
        "true",
        # A closed tab's session (a signed-in staff member's included) is kept for
        # resumption only this long; Streamlit's 120 s let anyone holding its id resume it.
        "--server.disconnectedSessionTTL",
        str(DISCONNECTED_SESSION_TTL_S),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--client.showErrorDetails",
        "false",
        "--theme.base",
        "light",
        "--theme.primaryColor",
        "#1d4ed8",
    ]


def first_run_hint(settings: Settings) -> str | None:
    """How to create the first coordinator, when none exists yet (no default password, ever)."""
    from ui.cli.users import accounts_for

    if accounts_for(settings).staff_exists():
        return None
    return (
        "No coordinator account exists yet, so nobody can sign in to the coordinator pages.\n"
        "Create one (you will be asked for a password):\n"
        "    .venv/bin/recordready users add YOUR-NAME --role admin\n"
        "Patients can use the app without an account."
    )


def register(app: typer.Typer) -> None:
    @app.command("app")
    def app_(
        port: int = typer.Option(8501, "--port", help="Port to listen on."),
        host: str = typer.Option(
            "127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface)."
        ),
        max_upload_mb: int = typer.Option(200, "--max-upload-mb", help="Largest single upload."),
    ) -> None:
        """Start the web app: patients upload and see what is missing, coordinators review cases."""
        settings = Settings.from_env()
        hint = first_run_hint(settings)
        if hint:
            typer.echo(hint)
        typer.echo(
            f"RecordReady app: http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"
        )
        typer.echo(f"Data folder: {settings.home}")
        env = dict(os.environ, RECORDREADY_HOME=str(settings.home))
        cmd = streamlit_command(host, port, max_upload_mb)
        sys.stdout.flush()
        # Replace this process: Ctrl-C and service managers' signals reach Streamlit directly,
        # and no orphaned server can outlive a killed wrapper.
        os.execve(cmd[0], cmd, env)
