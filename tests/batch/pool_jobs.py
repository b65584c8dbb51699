"""Small real jobs for the pool tests, registered by name like the pipeline's own.

Importing this module registers them; a pool's fresh worker processes import it because the
registry remembers which module registered each job.
"""

from __future__ import annotations

import math
import os
import time

from intake.jobs.registry import JobModel, register


class Number(JobModel):
    x: float


class Count(JobModel):
    n: int


class Name(JobModel):
    name: str


class Value(JobModel):
    value: float | int | str | None


@register("test.sqrt", payload=Number, result=Value)
def sqrt(p: Number) -> Value:
    return Value(value=math.sqrt(p.x))  # ValueError for a negative number


@register("test.factorial", payload=Count, result=Value)
def factorial(p: Count) -> Value:
    return Value(value=math.factorial(p.n))


@register("test.getenv", payload=Name, result=Value)
def getenv(p: Name) -> Value:
    return Value(value=os.environ.get(p.name))


@register("test.exit", payload=Count, result=Value)
def hard_exit(p: Count) -> Value:
    os._exit(p.n)  # a worker dying mid-job (a segfault in a reader looks the same)


@register("test.sleep", payload=Number, result=Value)
def sleep(p: Number) -> Value:
    time.sleep(p.x)
    return Value(value=p.x)


@register("test.wrong_result", payload=Count, result=Value)
def wrong_result(p: Count) -> dict[str, object]:
    return {"value": [p.n], "extra": True}  # does not fit Value: the worker must refuse it
