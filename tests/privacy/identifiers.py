"""Find patient identifiers (names, dates of birth, MRNs) in captured logs and messages.

The identifiers come from `sample_docs/ground_truth.json` "patients". Each one is searched
in the spellings records and software actually use: names whole, reversed, surname alone,
in capitals, with or without the apostrophe, and in other scripts where the ground truth's
pages state them; dates of birth in ISO, US, European, dotted, compact and spelled-out
forms; MRNs whole and as their bare number.

Names the user chose for folders and files (`01_oneill_cart-lbcl/`, `scan0001.pdf`) are
removed before searching: a message must name the file it is about, and that is not a leak.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


@dataclass(frozen=True)
class Identifier:
    patient: str
    kind: str  # name | surname | dob | mrn
    pattern: re.Pattern[str]
    label: str  # what a failure message shows


@dataclass(frozen=True)
class Leak:
    source: str
    line: int
    identifier: Identifier
    context: str

    def __str__(self) -> str:
        who = self.identifier
        return (
            f"{self.source}:{self.line}: {who.patient} {who.kind} ({who.label}) in: {self.context}"
        )


def _fold(text: str) -> str:
    # Sørensen, Castellano, O’Neill: compare without accents and with one apostrophe.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("ø", "o").replace("Ø", "O")


def _word(phrase: str) -> re.Pattern[str]:
    """`phrase` as whole words, case-insensitive; spaces match any run of blanks/commas."""
    parts = [re.escape(p) for p in re.split(r"[\s,]+", phrase.strip()) if p]
    body = r"[\s,]+".join(parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


def _name_variants(name: str) -> list[str]:
    folded = _fold(name)
    parts = folded.split()
    given, surname = " ".join(parts[:-1]), parts[-1]
    out = {folded, f"{surname}, {given}", f"{surname} {given}"}
    if "'" in surname:
        bare = surname.replace("'", "")
        out |= {f"{given} {bare}", f"{bare}, {given}", f"{given} {surname.replace(chr(39), ' ')}"}
    return sorted(out)


def _surname_variants(name: str) -> list[str]:
    surname = _fold(name).split()[-1]
    out = {surname}
    if "'" in surname:
        out |= {surname.replace("'", ""), surname.replace("'", " ")}
    return sorted(out)


def dob_spellings(dob: dt.date) -> list[str]:
    d, m, y = dob.day, dob.month, dob.year
    month = _MONTHS[m - 1]
    forms = {
        dob.isoformat(),
        f"{y}/{m:02d}/{d:02d}",
        f"{m:02d}/{d:02d}/{y}",
        f"{m}/{d}/{y}",
        f"{d:02d}/{m:02d}/{y}",
        f"{d}/{m}/{y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{d:02d}-{m:02d}-{y}",
        f"{m:02d}-{d:02d}-{y}",
        f"{y}{m:02d}{d:02d}",
        f"{d} {month} {y}",
        f"{d} {month[:3]} {y}",
        f"{d:02d} {month[:3]} {y}",
        f"{d}-{month[:3]}-{y}",
        f"{d:02d}-{month[:3]}-{y}",
        f"{month} {d}, {y}",
        f"{month[:3]} {d}, {y}",
        f"{y}年{m}月{d}日",
        f"{m:02d}/{d:02d}/{y % 100:02d}",
        f"{d:02d}/{m:02d}/{y % 100:02d}",
    }
    return sorted(forms)


def _date_pattern(spelling: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/.-]){re.escape(spelling)}(?![\w/])", re.IGNORECASE)


def _mrn_patterns(mrn: str) -> list[tuple[str, re.Pattern[str]]]:
    out = [(mrn, re.compile(rf"(?<![\w]){re.escape(mrn)}(?![\w])", re.IGNORECASE))]
    # The bare number (an MRN is often written without its site prefix).
    tail = re.split(r"[-\s]", mrn)[-1]
    if sum(ch.isdigit() for ch in tail) >= 5:
        out.append((tail, re.compile(rf"(?<![\w]){re.escape(tail)}(?![\w])", re.IGNORECASE)))
    return out


def _other_script_names(truth: dict, patient: str) -> set[str]:
    """Names the ground truth's pages state in other scripts (e.g. 姓名：张伟) for a patient."""
    names: set[str] = set()
    for entry in truth.get("files", {}).values():
        docs = entry.get("documents") or []
        for page in entry.get("pages") or []:
            owners = {d.get("patient") for d in docs if page.get("number") in range(
                (d.get("pages") or [0])[0], (d.get("pages") or [0])[-1] + 1)}  # fmt: skip
            if owners != {patient}:
                continue
            for m in re.finditer(
                r"姓\s*名\s*[:：]?\s*([\u4e00-\u9fff]{2,4})", page.get("text", "")
            ):
                names.add(m.group(1))
    return names


def identifiers(ground_truth: Path) -> list[Identifier]:
    truth = json.loads(ground_truth.read_text(encoding="utf-8"))
    found: list[Identifier] = []
    for pid, p in sorted(truth["patients"].items()):
        name = p.get("name")
        if name:
            for v in _name_variants(name):
                found.append(Identifier(pid, "name", _word(v), v))
            for v in _surname_variants(name):
                found.append(Identifier(pid, "surname", _word(v), v))
            for v in sorted(_other_script_names(truth, pid)):
                found.append(Identifier(pid, "name", re.compile(re.escape(v)), v))
        if p.get("dob"):
            for v in dob_spellings(dt.date.fromisoformat(p["dob"])):
                found.append(Identifier(pid, "dob", _date_pattern(v), v))
        if p.get("mrn"):
            for label, pattern in _mrn_patterns(p["mrn"]):
                found.append(Identifier(pid, "mrn", pattern, label))
    return found


def user_chosen_names(root: Path) -> list[str]:
    """Every folder and file name under `root` (longest first, so parts are removed last)."""
    names: set[str] = set()
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        names.add(rel.as_posix())
        names.update(rel.parts)
        names.add(path.stem)
    return sorted((n for n in names if n), key=len, reverse=True)


def find_leaks(
    text: str, source: str, ids: list[Identifier], allowed: list[str] = ()
) -> list[Leak]:  # type: ignore[assignment]
    leaks: list[Leak] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cleaned = _fold(line)
        for name in allowed:
            cleaned = cleaned.replace(_fold(name), " ")
        for ident in ids:
            m = ident.pattern.search(cleaned)
            if m:
                lo, hi = max(m.start() - 60, 0), m.end() + 60
                leaks.append(Leak(source, number, ident, cleaned[lo:hi]))
    return leaks


def document_lines(ground_truth: Path, min_chars: int = 30) -> set[str]:
    """Distinctive printed lines of the sample pages: any of them in a log is document text."""
    truth = json.loads(ground_truth.read_text(encoding="utf-8"))
    lines: set[str] = set()
    for entry in truth.get("files", {}).values():
        for page in entry.get("pages") or []:
            for line in page.get("text", "").splitlines():
                line = " ".join(line.split())
                if len(line) >= min_chars:
                    lines.add(line)
    return lines


def find_document_text(text: str, source: str, lines: set[str]) -> list[str]:
    flat = " ".join(text.split())
    return [f"{source}: {line!r}" for line in sorted(lines) if line in flat]
