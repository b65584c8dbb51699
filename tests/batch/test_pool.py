"""The worker pool with real processes: results, job errors, crashed workers, inline mode,
and jobs named only through the registry, with payloads and results validated."""

from __future__ import annotations

import pytest

from intake.jobs import registry
from intake.jobs.local import WorkerPool
from intake.jobs.registry import Empty, JobSpec

from .pool_jobs import Count, Number, Value


def test_outcomes_errors_and_worker_env() -> None:
    with WorkerPool(workers=2) as pool:
        for i in range(5):
            pool.submit("test.sqrt", Number(x=i), tag=i)
        pool.submit("test.sqrt", {"x": -1}, tag="bad")  # plain data validates into the model
        pool.submit("test.getenv", {"name": "OMP_THREAD_LIMIT"}, tag="env")
        pool.submit("pool.ping", Empty(), tag="ping")
        got = {o.tag: o for o in pool.outcomes()}
    assert {t: got[t].value for t in range(5)} == {i: Value(value=i**0.5) for i in range(5)}
    assert got["bad"].error is not None and got["bad"].error.startswith("ValueError at sqrt")
    assert got["env"].value == Value(value="1")  # tesseract runs single-threaded in workers
    assert got["ping"].value.pid == got["ping"].pid != 0
    assert all(o.peak_rss_mb > 0 and o.pid > 0 for o in got.values())


def test_a_crashing_job_does_not_take_the_others_down() -> None:
    with WorkerPool(workers=2) as pool:
        pool.submit("test.exit", Count(n=3), tag="crash")
        for i in range(6):
            pool.submit("test.factorial", Count(n=i), tag=i)
        got = {o.tag: o for o in pool.outcomes()}
    assert got["crash"].error == "WorkerCrashed"
    assert {t: got[t].value.value for t in range(6)} == {0: 1, 1: 1, 2: 2, 3: 6, 4: 24, 5: 120}


def test_inline_mode_and_stop() -> None:
    with WorkerPool(workers=0) as pool:
        pool.submit("test.sqrt", Number(x=9), tag="a")
        assert [o.value for o in pool.outcomes()] == [Value(value=3.0)]
        pool.stop()
        pool.submit("test.sqrt", Number(x=4), tag="late")
        assert list(pool.outcomes()) == []


def test_an_overrunning_job_times_out_and_the_others_finish() -> None:
    # The clock starts when a job enters the workers' queue, so the limit must exceed a fresh
    # worker's start-up on a loaded 2-core machine (1.5 s timed out innocent jobs in CI).
    with WorkerPool(workers=2, job_timeout_s=5) as pool:
        pool.submit("test.sleep", Number(x=60), tag="hang")
        for i in range(4):
            pool.submit("test.factorial", Count(n=i), tag=i)
        pool.submit("test.sleep", Number(x=0.2), tag="short")
        got = {o.tag: o for o in pool.outcomes()}
    assert got["hang"].error == "Timeout"
    assert {t: got[t].value.value for t in range(4)} == {0: 1, 1: 1, 2: 2, 3: 6}
    assert got["short"].ok


def test_only_registered_jobs_with_fitting_payloads_are_accepted() -> None:
    with WorkerPool(workers=0) as pool:
        # Import paths are names like any other: unknown, so refused before anything runs.
        with pytest.raises(registry.UnknownJob, match="no job registered as 'os:system'"):
            pool.submit("os:system", {"x": 1})
        secret = "Jane Q. Patient"
        with pytest.raises(registry.InvalidData) as err:
            pool.submit("test.factorial", {"n": secret})
        # The message names the field and the error type, never the value.
        assert "n: int_parsing" in str(err.value) and secret not in str(err.value)
        with pytest.raises(registry.InvalidData, match="extra_forbidden"):
            pool.submit("test.sqrt", {"x": 1, "command": "rm"})
        assert pool.busy == 0
        # A result that does not fit the job's result model fails that job, by type.
        pool.submit("test.wrong_result", Count(n=1), tag="wrong")
        [bad] = pool.outcomes()
    assert bad.error is not None and bad.error.startswith("InvalidData")


def test_a_name_is_registered_once() -> None:
    spec = registry.get("test.sqrt")
    assert isinstance(spec, JobSpec) and spec.payload is Number and spec.result is Value
    assert "test.sqrt" in registry.names() and spec.module in registry.modules()
    with pytest.raises(ValueError, match="already registered"):
        registry.register("test.sqrt", payload=Number, result=Value)(lambda p: p)
    with pytest.raises(ValueError, match="lower-case dotted"):
        registry.register("Plan_File", payload=Number, result=Value)
    with pytest.raises(TypeError, match="pydantic models"):
        registry.register("test.bad", payload=dict, result=Value)  # type: ignore[arg-type]
