"""Accounts, case links, access rules and the audit log on a real SQLite file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select, update

from intake.access.audit import AuditLog
from intake.access.auth import (
    AccessDenied,
    Accounts,
    Action,
    AuthError,
    CaseLink,
    CaseLinks,
    Principal,
    Role,
    UserAccount,
    allowed,
    require,
    token_digest,
)
from intake.store.db import session_factory


@pytest.fixture()
def sessions(tmp_path: Path):
    return session_factory(f"sqlite:///{tmp_path / 'rr.db'}")


def test_password_is_stored_as_argon2_and_checked(sessions) -> None:
    acc = Accounts(sessions)
    acc.add("dana", "correct horse battery", Role.COORDINATOR)
    with sessions() as s:
        stored = s.scalar(select(UserAccount.password_hash).where(UserAccount.username == "dana"))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    who = acc.authenticate("dana", "correct horse battery")
    assert who == Principal("dana", Role.COORDINATOR)
    assert acc.authenticate("dana", "correct horse batterY") is None
    assert acc.authenticate("nobody", "correct horse battery") is None
    assert acc.list()[0].last_sign_in is not None


def test_account_rules(sessions) -> None:
    acc = Accounts(sessions)
    assert not acc.staff_exists()
    with pytest.raises(AuthError):
        acc.add("x y", "long enough pw", Role.ADMIN)
    with pytest.raises(AuthError):
        acc.add("ann", "short", Role.ADMIN)
    acc.add("ann", "long enough pw", Role.ADMIN)
    with pytest.raises(AuthError):
        acc.add("ann", "another long pw", Role.COORDINATOR)
    assert acc.staff_exists()
    assert acc.remove("ann") and not acc.remove("ann")
    assert acc.get("ann") is None and not acc.staff_exists()


def test_case_link_token_hashed_expiring_revocable(sessions) -> None:
    links = CaseLinks(sessions)
    token = links.issue("case-1", created_by="dana")
    assert len(token) >= 43  # 32 random bytes, urlsafe base64
    with sessions() as s:
        row = s.scalar(select(CaseLink))
    assert row.token_sha256 == token_digest(token) and token not in row.token_sha256
    assert links.resolve(token) == "case-1"
    assert links.resolve(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert links.resolve("") is None and links.resolve(None) is None
    other = links.issue("case-1", created_by="dana")
    assert links.revoke(token) and links.resolve(token) is None
    assert links.resolve(other) == "case-1" and links.live_count("case-1") == 1
    with sessions.begin() as s:
        s.execute(update(CaseLink).values(expires_at=dt.datetime(2000, 1, 1)))
    assert links.resolve(other) is None and links.live_count("case-1") == 0


def test_access_rules_bind_patients_to_their_case() -> None:
    pat = Principal("patient", Role.PATIENT, "c1")
    coord = Principal("dana", Role.COORDINATOR)
    admin = Principal("ann", Role.ADMIN)
    assert allowed(pat, Action.VIEWED, "c1") and allowed(pat, Action.UPLOADED, "c1")
    assert not allowed(pat, Action.VIEWED, "c2")
    assert not allowed(pat, Action.VIEWED) and not allowed(pat, Action.LIST_CASES)
    assert not allowed(pat, Action.WAIVED, "c1") and not allowed(pat, Action.CORRECTED, "c1")
    assert allowed(coord, Action.WAIVED, "c2") and allowed(coord, Action.LIST_CASES)
    assert not allowed(coord, Action.AUDIT_VIEWED) and not allowed(coord, Action.DELETED, "c1")
    assert allowed(admin, Action.AUDIT_VIEWED) and allowed(admin, Action.DELETED, "c1")
    assert not allowed(None, Action.VIEWED, "c1")
    with pytest.raises(AccessDenied):
        require(pat, Action.VIEWED, "c2")


def test_audit_log_export_and_deletion_keeps_facts(sessions) -> None:
    log = AuditLog(sessions)
    coord = Principal("dana", Role.COORDINATOR)
    admin = Principal("ann", Role.ADMIN)
    pat = Principal("patient", Role.PATIENT, "c1")
    log.record(pat, Action.UPLOADED, case_id="c1", file="labs.pdf")
    log.record(coord, Action.WAIVED, case_id="c1", detail="brain_mri: done at outside centre")
    with pytest.raises(AccessDenied):
        log.export_csv(coord)
    removed: list[str] = []
    with pytest.raises(AccessDenied):
        log.delete_case(coord, "c1", removed.append)
    log.delete_case(admin, "c1", removed.append)
    assert removed == ["c1"]
    rows = list(csv.DictReader(io.StringIO(log.export_csv(admin, case_id="c1"))))
    assert [r["action"] for r in rows] == ["uploaded", "waived", "deleted", "deleted"]
    assert rows[0]["who"] == "patient-link:c1" and rows[0]["file"] == "labs.pdf"
    assert rows[1]["who"] == "dana" and rows[1]["role"] == "coordinator"
    assert log.entries(actions=[Action.AUDIT_EXPORTED])[0].actor == "ann"


def test_users_cli_add_list_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ui.cli.main import app

    monkeypatch.setenv("RECORDREADY_HOME", str(tmp_path / "home"))
    runner = CliRunner()

    def run(*args: str, stdin: str = ""):  # noqa: ANN202
        return runner.invoke(app, ["users", *args], input=stdin)

    assert (
        run(
            "add", "dana", "--role", "admin", "--password-stdin", stdin="a long password\n"
        ).exit_code
        == 0
    )
    dup = run("add", "dana", "--password-stdin", stdin="a long password\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert (
        run(
            "add", "pat", "--role", "patient", "--password-stdin", stdin="a long password\n"
        ).exit_code
        == 2
    )
    out = run("list").output
    assert "dana" in out and "admin" in out and "a long password" not in out
    acc = Accounts(session_factory(f"sqlite:///{tmp_path / 'home' / 'recordready.db'}"))
    assert acc.authenticate("dana", "a long password") is not None
    assert run("remove", "dana").exit_code == 0
    assert run("remove", "dana").exit_code == 1
    assert "no accounts" in run("list").output


def test_app_command_first_run_hint_and_flags(tmp_path: Path) -> None:
    from intake.settings import Settings
    from ui.cli.app import APP_SCRIPT, first_run_hint, streamlit_command

    settings = Settings.from_env(tmp_path / "home")
    hint = first_run_hint(settings)
    assert hint is not None and "recordready users add" in hint and "password" in hint
    Accounts(session_factory(settings.database_url)).add(
        "dana", "a long password", Role.COORDINATOR
    )
    assert first_run_hint(settings) is None
    cmd = streamlit_command("127.0.0.1", 8555, 100)
    assert APP_SCRIPT.is_file() and str(APP_SCRIPT) in cmd
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=False))
    assert flags["--server.port"] == "8555" and flags["--server.headless"] == "true"
    assert (
        flags["--browser.gatherUsageStats"] == "false" and flags["--server.maxUploadSize"] == "100"
    )
