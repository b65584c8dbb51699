"""`recordready worker`: a Celery worker that runs pipeline jobs from the Redis queue.

Start one per machine (its processes default to one per core); point every worker and every
submitter at the same RECORDREADY_BROKER_URL, RECORDREADY_DATABASE_URL and blob store.
See docs/DEPLOYMENT.md.

A worker runs only jobs registered by name (intake.jobs.registry): it imports the modules
that register the product's jobs before it forks its processes, and `--include` adds more.
"""

from __future__ import annotations

import importlib
import os
import socket
from typing import Annotated

import typer

from intake.jobs.celery_pool import BROKER_ENV
from intake.jobs.local import WORKER_ENV, default_workers
from intake.settings import Settings


def worker_argv(
    concurrency: int,
    queue: str,
    hostname: str,
    loglevel: str,
    max_memory_mb: int | None,
    max_tasks_per_child: int | None,
) -> list[str]:
    """The `celery worker` arguments for these options (prefork: one OCR process per core)."""
    argv = [
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        f"--queues={queue}",
        f"--hostname={hostname}",
        f"--loglevel={loglevel}",
        "--prefetch-multiplier=1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if max_memory_mb:
        # Celery counts KiB; a child past it is replaced after its current job.
        argv.append(f"--max-memory-per-child={max_memory_mb * 1024}")
    if max_tasks_per_child:
        argv.append(f"--max-tasks-per-child={max_tasks_per_child}")
    return argv


def load_jobs(include: list[str]) -> None:
    """Register every job this worker may run: the pipeline's, the app's, and `include`d
    modules' (tests, plug-ins). Done in the main process, so every forked process (and each
    that replaces a dead one) knows them."""
    import intake.casework.reader  # noqa: F401  (app.warm_up)
    import intake.pipeline.jobs  # noqa: F401  (read.plan, read.ocr_page, understand.documents)

    for module in include:
        importlib.import_module(module)


def warm_up() -> None:
    """Import the pipeline (spaCy, the classifier's model) in the main process: the processes
    forked from it, and those that replace a dead one, start ready instead of spending
    seconds each on imports, and share those pages of memory."""
    from intake.batch.runner import PRELOAD
    from intake.pipeline import steps as work

    for module in PRELOAD:
        importlib.import_module(module)
    work.warm()


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        concurrency: Annotated[
            int | None,
            typer.Option(
                "--concurrency", "-c", min=1, help="Worker processes (default: one per core)."
            ),
        ] = None,
        queue: Annotated[
            str | None,
            typer.Option(
                "--queue",
                "-Q",
                help="Queue to consume (default: RECORDREADY_QUEUE or 'recordready').",
            ),
        ] = None,
        hostname: Annotated[
            str | None,
            typer.Option("--hostname", "-n", help="Worker name (default: recordready@<host>)."),
        ] = None,
        loglevel: Annotated[
            str, typer.Option("--loglevel", "-l", help="debug, info, warning or error.")
        ] = "info",
        max_memory_mb: Annotated[
            int | None,
            typer.Option(
                "--max-memory-mb",
                min=1,
                help="Replace a process whose memory grew past this (MiB), after its current job.",
            ),
        ] = None,
        max_tasks_per_child: Annotated[
            int | None,
            typer.Option(
                "--max-tasks-per-child", min=1, help="Replace a process after this many jobs."
            ),
        ] = None,
        preload: Annotated[
            bool,
            typer.Option(
                "--preload/--no-preload",
                help="Load the reading and classifying code once, before forking processes.",
            ),
        ] = True,
        include: Annotated[
            list[str] | None,
            typer.Option(
                "--include",
                "-I",
                help="Also import this module (repeatable): it registers more jobs.",
            ),
        ] = None,
    ) -> None:
        """Run pipeline jobs queued by `recordready batch --engine celery` and the app."""
        if not Settings.from_env().broker_url:
            typer.echo(
                f"error: set {BROKER_ENV} (e.g. redis://host:6379/0) to run a worker", err=True
            )
            raise typer.Exit(2)
        if queue:
            os.environ["RECORDREADY_QUEUE"] = queue
        # One OCR thread per process: the worker already runs one process per core.
        os.environ.update(WORKER_ENV)
        from intake.jobs.celery_app import make_app

        settings = Settings.from_env()  # after --queue: the queue comes from the settings
        celery_app = make_app(settings=settings)
        load_jobs(include or [])
        if preload:
            warm_up()
        argv = worker_argv(
            concurrency or default_workers(),
            settings.queue,
            hostname or f"recordready@{socket.gethostname()}",
            loglevel,
            max_memory_mb,
            max_tasks_per_child,
        )
        celery_app.worker_main(argv)
