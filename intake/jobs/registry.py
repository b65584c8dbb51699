"""Jobs by name: each job is registered once, with its function and the pydantic models of
its payload and its result, and engines look it up by that name.

The idea is spaCy's registries (a function is filed under a stable string and found again by
it, so a config or a message names code without naming where it lives): a job row or a
pool message carries "read.plan", never an import path, so it can only ever start a job
that the worker's own code registered. The payload is validated by the submitter before it
leaves and by the worker when it arrives (from JSON on Celery); the result likewise on both
sides. Engines (intake/jobs/) know no job: the modules that define jobs register them when
imported (intake.pipeline.jobs, intake.casework.reader), and whoever starts a worker imports
those modules first.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

# Lower-case dotted words, "area.action": stable names that outlive a module's move.
NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
F = TypeVar("F", bound=Callable[..., Any])


class JobModel(BaseModel):
    """Base for payload and result models: immutable, no unknown fields, and bytes (page
    images) travel in JSON as base64 instead of failing as text."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64"
    )


class Empty(JobModel):
    """The payload (or result) of a job that needs (or returns) nothing."""


class Ping(JobModel):
    pid: int


class UnknownJob(ValueError):
    """A name no module of this process registered (a typo, a module not imported, or a
    message from a release that had other jobs)."""


class InvalidData(ValueError):
    """A payload or result that does not validate. The message names fields and error types,
    never values: they may be document text."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: Callable[[Any], Any]
    payload: type[BaseModel]
    result: type[BaseModel]

    @property
    def module(self) -> str:
        """The module that defines the job: importing it registers the job again."""
        return str(self.fn.__module__)

    def check_payload(self, payload: Any) -> BaseModel:
        return self._validate(self.payload, "payload", lambda: self.payload.model_validate(payload))

    def payload_from_json(self, raw: str) -> BaseModel:
        return self._validate(
            self.payload, "payload", lambda: self.payload.model_validate_json(raw)
        )

    def check_result(self, value: Any) -> BaseModel:
        return self._validate(self.result, "result", lambda: self.result.model_validate(value))

    def result_from_json(self, raw: str) -> BaseModel:
        return self._validate(self.result, "result", lambda: self.result.model_validate_json(raw))

    def run(self, payload: Any) -> BaseModel:
        """The job on a payload checked here (where it runs), its result checked before it
        leaves."""
        return self.check_result(self.fn(self.check_payload(payload)))

    def _validate(
        self, model: type[BaseModel], what: str, validate: Callable[[], BaseModel]
    ) -> BaseModel:
        try:
            return validate()
        except ValidationError as exc:
            where = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['type']}"
                for e in exc.errors()[:5]
            )
            raise InvalidData(
                f"job {self.name}: {what} does not fit {model.__name__} ({where})"
            ) from None


_JOBS: dict[str, JobSpec] = {}


def register(name: str, *, payload: type[BaseModel], result: type[BaseModel]) -> Callable[[F], F]:
    """Decorator: file `fn` under `name`, taking a `payload` model and returning a `result`
    model (or data that validates into it). The function is returned unchanged."""
    if not NAME.fullmatch(name):
        raise ValueError(f"job name {name!r}: expected lower-case dotted words, e.g. 'read.plan'")
    for model in (payload, result):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(f"job {name}: payload and result must be pydantic models")

    def add(fn: F) -> F:
        old = _JOBS.get(name)
        if old is not None and not _same_function(old.fn, fn):
            raise ValueError(f"job {name} is already registered by {old.module}")
        _JOBS[name] = JobSpec(name, fn, payload, result)
        return fn

    return add


def _same_function(a: Callable[..., Any], b: Callable[..., Any]) -> bool:
    # The same module imported under a second name (a test package seen from two roots)
    # registers the same function again: harmless, unlike a second function under one name.
    if a is b:
        return True
    code_a, code_b = getattr(a, "__code__", None), getattr(b, "__code__", None)
    return (
        code_a is not None
        and code_b is not None
        and a.__qualname__ == b.__qualname__
        and os.path.realpath(code_a.co_filename) == os.path.realpath(code_b.co_filename)
    )


def get(name: str) -> JobSpec:
    try:
        return _JOBS[name]
    except KeyError:
        raise UnknownJob(f"no job registered as {name!r}; known: {', '.join(names())}") from None


def names() -> list[str]:
    return sorted(_JOBS)


def modules() -> tuple[str, ...]:
    """Modules whose import registered this process's jobs, for a fresh worker process to
    import so it knows the same jobs (a script's own `__main__` cannot be imported again)."""
    found = {spec.module for spec in _JOBS.values()}
    return tuple(sorted(m for m in found if m != "__main__" and m in sys.modules))


@register("pool.ping", payload=Empty, result=Ping)
def ping(_: Empty) -> Ping:
    """Answer with the worker's pid: starts (and counts) workers before real work."""
    return Ping(pid=os.getpid())
