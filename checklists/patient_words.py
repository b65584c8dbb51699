"""The patient's words: one YAML file per language under checklists/words/, checked at load.

The app's patient page and every report renderer take what they tell a patient about
statuses, problems and file states from here, so the two can no longer drift apart. A
coordinator adds a language by adding `<code>.yaml` next to `en.yaml`; keys it leaves out
are said in English. A typo in a key or a placeholder fails at load, not in front of a
patient.
"""

from __future__ import annotations

import re
import string
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from checklists.report import ProblemKind

WORDS_DIR = Path(__file__).with_name("words")
DEFAULT_LANGUAGE = "en"
# A language code names a file: letters, then an optional region ("pt-BR"); nothing else.
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

FileState = Literal["queued", "processing", "done", "error"]


class StatusKey(StrEnum):
    """Where one checklist item stands, as a patient needs to know it."""

    RECEIVED = "received"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"
    MISSING = "missing"
    ADVISORY = "advisory"  # missing, but not required
    STALE = "stale"
    CLEARER_COPY = "clearer_copy"  # we have it but could not read it: the patient re-sends
    NEEDS_REVIEW = "needs_review"
    OUT_OF_RANGE = "out_of_range"


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatusWords(_Words):
    label: str
    next_step: str = ""
    next_step_undated: str = ""


class ProblemWords(_Words):
    label: str
    text: str


class SummaryWords(_Words):
    ready: str
    still_needed_one: str
    still_needed_many: str
    team_looks: str
    other_person: str
    checking: str


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


class PatientWords(_Words):
    language: str
    statuses: dict[StatusKey, StatusWords]
    problems: dict[ProblemKind, ProblemWords]
    file_states: dict[FileState, str]
    summary: SummaryWords

    @model_validator(mode="after")
    def _complete_and_well_formed(self) -> PatientWords:
        for section, have, want in (
            ("statuses", set(self.statuses), set(StatusKey)),
            ("problems", set(self.problems), set(ProblemKind)),
            ("file_states", set(self.file_states), {"queued", "processing", "done", "error"}),
        ):
            if missing := sorted(str(k) for k in want - have):
                raise ValueError(f"{section}: no words for {', '.join(missing)}")
        templates: list[tuple[str, str, set[str]]] = []
        for key, s in self.statuses.items():
            templates += [(f"statuses.{key}.label", s.label, set())]
            templates += [(f"statuses.{key}.next_step", s.next_step, {"message", "date"})]
            templates += [(f"statuses.{key}.next_step_undated", s.next_step_undated, {"message"})]
        for kind, p in self.problems.items():
            templates += [(f"problems.{kind}.label", p.label, set())]
            templates += [(f"problems.{kind}.text", p.text, {"file", "study", "date"})]
        for name, text in self.summary.model_dump().items():
            templates.append((f"summary.{name}", text, {"n"}))
        for where, text, allowed in templates:
            try:
                unknown = _fields(text) - allowed
            except ValueError as exc:  # an unbalanced brace
                raise ValueError(f"{where}: {exc}") from exc
            if unknown:
                raise ValueError(f"{where}: unknown placeholder {{{sorted(unknown)[0]}}}")
        return self


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base` key by key, so a translation may leave any key out."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of sections")
    return data


def load_words(language: str = DEFAULT_LANGUAGE, folder: Path = WORDS_DIR) -> PatientWords:
    """The words in `language`, English for every key its file leaves out (or if it has none).

    Raises ValueError (pydantic's ValidationError is one) for a malformed file.
    """
    if not _LANGUAGE_CODE.match(language):
        raise ValueError(f"not a language code: {language!r}")
    merged = _read(folder / f"{DEFAULT_LANGUAGE}.yaml")
    own = folder / f"{language}.yaml"
    if language != DEFAULT_LANGUAGE and own.is_file():
        merged = _merge(merged, _read(own))
    return PatientWords.model_validate(
        {**merged, "language": language if own.is_file() else DEFAULT_LANGUAGE}
    )


@lru_cache(maxsize=8)
def patient_words(language: str = DEFAULT_LANGUAGE) -> PatientWords:
    """The built-in words, read once per process and language."""
    return load_words(language)
