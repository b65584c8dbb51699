"""`recordready users add|remove|list`: coordinator and admin accounts (argon2 hashes)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from intake.access.auth import Accounts, AuthError, Role
from intake.settings import Settings
from intake.store.db import session_factory


def accounts_for(settings: Settings | None = None) -> Accounts:
    settings = settings or Settings.from_env()
    if settings.database_url.startswith("sqlite"):
        settings.home.mkdir(parents=True, exist_ok=True)
    return Accounts(session_factory(settings.database_url))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # For scripts: the first line of stdin, so the password never sits in argv or history.
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def register(app: typer.Typer) -> None:
    users = typer.Typer(
        help="Manage coordinator and admin accounts (patients use case links).",
        no_args_is_help=True,
    )

    @users.command("add")
    def add(
        username: str = typer.Argument(..., help="Sign-in name."),
        role: Annotated[
            Role, typer.Option("--role", help="coordinator or admin.")
        ] = Role.COORDINATOR,
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from stdin."
        ),
        oidc_only: bool = typer.Option(
            False,
            "--oidc-only",
            help="No password: USERNAME is the e-mail the organisation's sign-on sends.",
        ),
    ) -> None:
        """Create an account; asks for the password twice unless --password-stdin or --oidc-only."""
        if role is Role.PATIENT:
            typer.echo("Patients do not get accounts: give them their case link.", err=True)
            raise typer.Exit(2)
        if oidc_only and password_stdin:
            typer.echo("--oidc-only accounts have no password; drop --password-stdin.", err=True)
            raise typer.Exit(2)
        try:
            if oidc_only:
                accounts_for().add_oidc_only(username, role)
            else:
                accounts_for().add(username, _read_password(password_stdin), role)
        except AuthError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(
            f"added {role.value} {username}" + (" (single sign-on only)" if oidc_only else "")
        )

    @users.command("remove")
    def remove(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
        """Delete an account (its audit entries stay)."""
        if not accounts_for().remove(username):
            typer.echo(f"error: no user {username!r}", err=True)
            raise typer.Exit(1)
        typer.echo(f"removed {username}")

    @users.command("list")
    def list_() -> None:
        """Show accounts, their role and last sign-in."""
        rows = accounts_for().list()
        if not rows:
            typer.echo("no accounts yet: recordready users add NAME --role coordinator")
            return
        for u in rows:
            last = u.last_sign_in.isoformat(timespec="minutes") if u.last_sign_in else "never"
            how = "  (single sign-on only)" if u.oidc_only else ""
            typer.echo(f"{u.username:<24} {u.role.value:<12} last sign-in: {last}{how}")

    app.add_typer(users, name="users")
