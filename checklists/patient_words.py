"""The patient's words: one YAML file per language under checklists/words/, checked at load.

The app's patient page and every report renderer take what they tell a patient about
statuses, problems and file states from here, so the two can no longer drift apart. A
coordinator adds a language by adding `<code>.yaml` next to `en.yaml`; keys it leaves out
are said in English. A typo in a key or a placeholder fails at load, not in front of a
patient.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from checklists.report import ProblemKind
from extractors.vocabulary import DocType

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
    # A record was sent but does not state a value the program needs: never "missing".
    INCOMPLETE = "incomplete"
    ADVISORY = "advisory"  # missing, but not required
    TO_FOLLOW = "to_follow"  # waived while the result is still to come: not "done"
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


class DateWords(_Words):
    long: str  # e.g. "{month} {day}, {year}" or "{year}年{month_number}月{day}日"
    months: list[str]

    @model_validator(mode="after")
    def _twelve(self) -> DateWords:
        if len(self.months) != 12:
            raise ValueError(f"dates.months: expected 12 month names, got {len(self.months)}")
        if unknown := _fields(self.long) - {"month", "month_number", "day", "year"}:
            raise ValueError(f"dates.long: unknown placeholder {{{sorted(unknown)[0]}}}")
        return self


class PatientWords(_Words):
    language: str
    name: str  # the language's own name, for the language switch ("English", "简体中文")
    # A records office whose name matches this is written to in this language ("" for none).
    institution_pattern: str = ""
    statuses: dict[StatusKey, StatusWords]
    problems: dict[ProblemKind, ProblemWords]
    file_states: dict[FileState, str]
    summary: SummaryWords
    dates: DateWords
    doc_types: dict[DocType, str]
    # The patient pages' and the reports' own sentences, and the records-request letters'.
    page: dict[str, str]
    letter: dict[str, str]
    # The programs' English words (titles, descriptions, messages) and their translation here.
    program_texts: dict[str, str] = {}

    def say(self, key: str, **values: object) -> str:
        """A page sentence, its {placeholders} filled in."""
        return self.page[key].format(**values)

    def write(self, key: str, **values: object) -> str:
        """A letter sentence, its {placeholders} filled in."""
        return self.letter[key].format(**values)

    def program_text(self, english: str) -> str:
        """A program's English words in this language; as written when there is no translation.

        Keyed by the English text itself, so a site that edits a program's wording (say its
        time window) gets English rather than a translation that no longer says the same.
        """
        return self.program_texts.get(" ".join(english.split()), english)

    def doc_type(self, doc_type: DocType) -> str:
        """A kind of record in words ("Pathology report")."""
        return self.doc_types[doc_type]

    def long_date(self, d: dt.date) -> str:
        return self.dates.long.format(
            month=self.dates.months[d.month - 1], month_number=d.month, day=d.day, year=d.year
        )

    @model_validator(mode="after")
    def _complete_and_well_formed(self) -> PatientWords:
        for section, have, want in (
            ("statuses", set(self.statuses), set(StatusKey)),
            ("problems", set(self.problems), set(ProblemKind)),
            ("file_states", set(self.file_states), {"queued", "processing", "done", "error"}),
            ("doc_types", set(self.doc_types), set(DocType)),
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


def _check_sentences(base: dict[str, Any], own: dict[str, Any], file: str) -> None:
    """A translation's page and letter sentences: known keys, only the English placeholders."""
    for section in ("page", "letter"):
        theirs = own.get(section) or {}
        if not isinstance(theirs, dict):
            raise ValueError(f"{file}: {section}: expected a mapping")
        for key, text in theirs.items():
            if key not in base.get(section, {}):
                raise ValueError(f"{file}: {section}.{key}: no such sentence in English")
            try:
                extra = _fields(str(text)) - _fields(base[section][key])
            except ValueError as exc:
                raise ValueError(f"{file}: {section}.{key}: {exc}") from exc
            if extra:
                raise ValueError(
                    f"{file}: {section}.{key}: unknown placeholder {{{sorted(extra)[0]}}}"
                )
    texts = own.get("program_texts") or {}
    own["program_texts"] = {" ".join(str(k).split()): str(v) for k, v in texts.items()}


def load_words(language: str = DEFAULT_LANGUAGE, folder: Path = WORDS_DIR) -> PatientWords:
    """The words in `language`, English for every key its file leaves out (or if it has none).

    Raises ValueError (pydantic's ValidationError is one) for a malformed file.
    """
    if not _LANGUAGE_CODE.match(language):
        raise ValueError(f"not a language code: {language!r}")
    merged = _read(folder / f"{DEFAULT_LANGUAGE}.yaml")
    own = folder / f"{language}.yaml"
    if language != DEFAULT_LANGUAGE and own.is_file():
        theirs = _read(own)
        _check_sentences(merged, theirs, own.name)
        # Never inherited: English has none, and a match must name this language's offices.
        merged.pop("institution_pattern", None)
        merged = _merge(merged, theirs)
    return PatientWords.model_validate(
        {**merged, "language": language if own.is_file() else DEFAULT_LANGUAGE}
    )


@lru_cache(maxsize=8)
def patient_words(language: str = DEFAULT_LANGUAGE) -> PatientWords:
    """The built-in words, read once per process and language."""
    return load_words(language)


def languages(folder: Path = WORDS_DIR) -> dict[str, str]:
    """Every language with a words file, by code, with its own name; English first."""
    found = {DEFAULT_LANGUAGE: load_words(DEFAULT_LANGUAGE, folder).name}
    for path in sorted(folder.glob("*.yaml")):
        if path.stem != DEFAULT_LANGUAGE and _LANGUAGE_CODE.match(path.stem):
            found[path.stem] = load_words(path.stem, folder).name
    return found


def preferred_language(accept_language: str | None, available: Iterable[str]) -> str:
    """The first of the browser's languages (Accept-Language, by q) that we have, else English.

    "zh-CN" is served by "zh-CN" if there is such a file, else by "zh".
    """
    have = set(available)
    wanted: list[tuple[float, int, str]] = []
    for n, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and q > 0:
            wanted.append((-q, n, tag.strip()))
    for _, _, tag in sorted(wanted):
        for code in (tag, tag.split("-")[0].lower()):
            if code in have:
                return code
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=1)
def available_languages() -> dict[str, str]:
    """The built-in languages (code: own name), read once per process."""
    return languages()


def letter_language(institution: str | None, fallback: str) -> str:
    """The language to write to a records office in: the one whose pattern its name matches
    (a Chinese hospital's name in Chinese script or naming a Chinese city), else English.

    An office we know nothing about is written to in `fallback` (the patient's language).
    """
    if not institution:
        return fallback
    for code in available_languages():
        pattern = patient_words(code).institution_pattern
        if pattern and re.search(pattern, institution):
            return code
    return DEFAULT_LANGUAGE
