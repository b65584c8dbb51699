"""The worker pool with real processes: results, job errors, crashed workers, inline mode."""

from __future__ import annotations

from intake.jobs.local import WorkerPool, resolve


def test_outcomes_errors_and_worker_env() -> None:
    with WorkerPool(workers=2) as pool:
        for i in range(5):
            pool.submit("math:sqrt", i, tag=i)
        pool.submit("math:sqrt", -1, tag="bad")
        pool.submit("os:getenv", "OMP_THREAD_LIMIT", tag="env")
        got = {o.tag: o for o in pool.outcomes()}
    assert {t: got[t].value for t in range(5)} == {i: i**0.5 for i in range(5)}
    assert got["bad"].error is not None and got["bad"].error.startswith("ValueError")
    assert got["env"].value == "1"  # tesseract runs single-threaded inside workers
    assert all(o.peak_rss_mb > 0 and o.pid > 0 for o in got.values())


def test_a_crashing_job_does_not_take_the_others_down() -> None:
    with WorkerPool(workers=2) as pool:
        pool.submit("os:_exit", 3, tag="crash")
        for i in range(6):
            pool.submit("math:factorial", i, tag=i)
        got = {o.tag: o for o in pool.outcomes()}
    assert got["crash"].error == "WorkerCrashed"
    assert {t: got[t].value for t in range(6)} == {0: 1, 1: 1, 2: 2, 3: 6, 4: 24, 5: 120}


def test_inline_mode_and_stop() -> None:
    with WorkerPool(workers=0) as pool:
        pool.submit("math:sqrt", 9, tag="a")
        assert [o.value for o in pool.outcomes()] == [3.0]
        pool.stop()
        pool.submit("math:sqrt", 4, tag="late")
        assert list(pool.outcomes()) == []
    assert resolve("math:sqrt")(16) == 4.0


def test_an_overrunning_job_times_out_and_the_others_finish() -> None:
    with WorkerPool(workers=2, job_timeout_s=1.5) as pool:
        pool.submit("time:sleep", 60, tag="hang")
        for i in range(4):
            pool.submit("math:factorial", i, tag=i)
        pool.submit("time:sleep", 0.2, tag="short")
        got = {o.tag: o for o in pool.outcomes()}
    assert got["hang"].error == "Timeout"
    assert {t: got[t].value for t in range(4)} == {0: 1, 1: 1, 2: 2, 3: 6}
    assert got["short"].ok
