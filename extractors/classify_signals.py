"""The evidence each document type leaves on the page, with weights, loaded from YAML.

Three kinds of signal, because a person reads a record the same way:
- "title": the report's own name ("Surgical Pathology Report", "出院小结"). Decisive at the
  top of a document or on a line of its own; a passing mention in the body counts little.
- "header": section headers typical of the type ("GROSS DESCRIPTION", "HOSPITAL COURSE",
  "PREOPERATIVE DIAGNOSIS"). Strong as a header (line start, followed by a colon or alone on
  its line), weak in running text.
- "term": characteristic vocabulary ("ejection fraction", "SUVmax", "reference range"),
  counted wherever it occurs, discounted after "history of", "prior", negations.

The phrase tables are data (`classify_phrases_en.yaml`, `classify_phrases_zh.yaml` next to
this module), so a coordinator can add a phrase without touching Python. They are validated
on load: an unknown document type or kind, a weight out of range, an empty phrase or a phrase
given twice in one list stops the program with the file and the entry named, rather than
silently classifying differently.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args

import yaml

from extractors.vocabulary import DocType

Kind = Literal["title", "header", "term"]
KINDS: tuple[str, ...] = get_args(Kind)
MAX_WEIGHT = 12.0
PHRASE_FILES = {
    "en": Path(__file__).with_name("classify_phrases_en.yaml"),
    "zh": Path(__file__).with_name("classify_phrases_zh.yaml"),
}


class Signal(NamedTuple):
    phrase: str
    doc_type: DocType
    weight: float
    kind: Kind


class PhraseTableError(ValueError):
    """A phrase table that does not have the documented shape."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML keeps the last of two equal keys; a phrase table must not lose one silently."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise PhraseTableError(f"line {key_node.start_mark.line + 1}: {key!r} is given twice")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def parse_phrase_table(text: str, source: str = "<text>") -> list[Signal]:
    """Signals from a phrase table's YAML text; PhraseTableError names what is wrong."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except PhraseTableError as exc:
        raise PhraseTableError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        raise PhraseTableError(f"{source}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise PhraseTableError(f"{source}: expected a mapping of document types")
    signals: list[Signal] = []
    for type_name, kinds in data.items():
        try:
            doc_type = DocType(type_name)
        except ValueError:
            raise PhraseTableError(f"{source}: unknown document type {type_name!r}") from None
        if not isinstance(kinds, dict) or set(kinds) - set(KINDS):
            raise PhraseTableError(f"{source}: {type_name}: kinds must be among {KINDS}")
        for kind, phrases in kinds.items():
            signals.extend(_signals_of(source, doc_type, kind, phrases or {}))
    return signals


def _signals_of(source: str, doc_type: DocType, kind: Kind, phrases: Any) -> list[Signal]:
    where = f"{source}: {doc_type.value}.{kind}"
    if not isinstance(phrases, dict):
        raise PhraseTableError(f"{where}: expected phrase: weight entries")
    out: list[Signal] = []
    for phrase, weight in phrases.items():
        if not isinstance(phrase, str) or not phrase.strip():
            raise PhraseTableError(f"{where}: a phrase must be non-empty text, got {phrase!r}")
        valid = isinstance(weight, int | float) and not isinstance(weight, bool)
        if not valid or not 0 < weight <= MAX_WEIGHT:
            raise PhraseTableError(f"{where}: {phrase!r}: weight must be in (0, {MAX_WEIGHT}]")
        out.append(Signal(phrase, doc_type, float(weight), kind))
    return out


@cache
def load_signals(lang: str) -> tuple[Signal, ...]:
    """The signals of one language's phrase table ("en" or "zh"), read once per process."""
    path = PHRASE_FILES[lang]
    return tuple(parse_phrase_table(path.read_text(encoding="utf-8"), path.name))


EN_SIGNALS: list[Signal] = list(load_signals("en"))
ZH_SIGNALS: list[Signal] = list(load_signals("zh"))
