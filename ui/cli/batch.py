"""`recordready batch INBOX -o OUTDIR`: every case folder of an inbox to a gap report."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from intake.jobs.celery_pool import BROKER_ENV, BrokerUnavailable, broker_url
from intake.logs import setup_logging
from intake.settings import Settings
from intake.store import Store

if TYPE_CHECKING:
    from intake.jobs.celery_pool import CeleryPool


class Engine(StrEnum):
    AUTO = "auto"  # Celery when a broker is configured, else the local pool
    LOCAL = "local"
    CELERY = "celery"


def _celery_pool(engine: Engine, settings: Settings) -> CeleryPool | None:
    """The Celery pool this run uses, or None for the local one; exits 2 when Celery was
    asked for but cannot be used (the message never repeats the URL: it may hold a password)."""
    if engine is Engine.LOCAL:
        return None
    if not broker_url():
        if engine is Engine.CELERY:
            typer.echo(
                f"error: --engine celery needs {BROKER_ENV} (e.g. redis://host:6379/0); "
                "see docs/DEPLOYMENT.md",
                err=True,
            )
            raise typer.Exit(2)
        return None
    from intake.jobs.celery_pool import CeleryPool

    try:
        return CeleryPool(settings=settings)
    except Exception as exc:
        typer.echo(
            f"error: the Celery engine could not start ({type(exc).__name__}): check "
            f"{BROKER_ENV} and RECORDREADY_DATABASE_URL, or use --engine local",
            err=True,
        )
        raise typer.Exit(2) from None


def _install_stop(stop: threading.Event) -> None:
    """First SIGINT/SIGTERM: finish the jobs running, then stop. Second SIGINT: stop now."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch(
        inbox: Annotated[
            Path,
            typer.Argument(help="Inbox folder: one sub-folder per case, loose files on top."),
        ],
        out: Annotated[Path, typer.Option("--out", "-o", help="Where reports go.")] = Path("out"),
        program: Annotated[
            str | None,
            typer.Option("--program", help="Program id for cases without one in case.json."),
        ] = None,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of", help="Date windows count back from (YYYY-MM-DD; default today)."
            ),
        ] = None,
        workers: Annotated[
            int | None,
            typer.Option("--workers", "-j", min=0, help="Worker processes (default: all cores)."),
        ] = None,
        watch: Annotated[
            bool, typer.Option("--watch", help="Keep processing new arrivals until stopped.")
        ] = False,
        poll_seconds: Annotated[
            float,
            typer.Option("--poll-seconds", min=0.05, help="How often --watch looks for arrivals."),
        ] = 2.0,
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="No progress output (for cron).")
        ] = False,
        engine: Annotated[
            Engine,
            typer.Option(
                "--engine",
                case_sensitive=False,
                help=f"auto: Celery workers when {BROKER_ENV} is set, else local processes.",
            ),
        ] = Engine.AUTO,
        store_dir: Annotated[
            Path | None,
            typer.Option(
                "--store",
                help="Case store folder (default: RECORDREADY_HOME or ./.recordready).",
            ),
        ] = None,
    ) -> None:
        """Read every case folder of INBOX and write OUT/<case>/report.{json,md,html,fhir.json},
        OUT/index.html, OUT/summary.csv, OUT/rejected.csv and OUT/unassigned.csv."""
        from intake.batch.runner import BatchConfig, run_once
        from intake.batch.runner import watch as watch_inbox
        from intake.pipeline.progress import make_reporter

        if not inbox.is_dir():
            typer.echo(f"error: inbox {inbox} is not a folder", err=True)
            raise typer.Exit(2)
        as_of_date = None
        if as_of:
            try:
                as_of_date = dt.date.fromisoformat(as_of)
            except ValueError:
                typer.echo("error: --as-of must be a date like 2026-11-20", err=True)
                raise typer.Exit(2) from None
        # Progress lines are INFO; --log-level / RECORDREADY_LOG_LEVEL win over this default.
        setup_logging(default=logging.WARNING if quiet else logging.INFO)
        store = Store(Settings.from_env(store_dir) if store_dir else Settings.from_env())
        config = BatchConfig(inbox, out, program, as_of_date, workers, poll_seconds)
        stop = threading.Event()
        _install_stop(stop)
        pool = _celery_pool(engine, store.settings)
        reporter = make_reporter(quiet)
        try:
            if watch:
                result = watch_inbox(config, store, reporter, stop, pool=pool)
            else:
                result = run_once(config, store, reporter, stop, pool=pool)
        except BrokerUnavailable as exc:
            # The broker went away mid-run; what finished is cached, a re-run resumes there.
            typer.echo(f"error: {exc}; run the same command again to resume", err=True)
            raise typer.Exit(1) from None
        finally:
            reporter.close()
            if pool is not None:
                pool.close()
        if result is None:
            return
        if result.stopped and not watch:
            typer.echo("stopped before the end; run the same command again to resume", err=True)
            raise typer.Exit(130)
        if not quiet:
            ready = sum(1 for c in result.cases if c.ready)
            typer.echo(
                f"{len(result.cases)} case(s), {ready} ready; {len(result.rejected)} rejected, "
                f"{len(result.unassigned)} unassigned file(s); {result.counter_line()}; "
                f"{result.seconds:.1f} s. Open {out / 'index.html'}"
            )
