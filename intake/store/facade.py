"""`Store`, the one entry point to persisted state, made of the store's parts."""

from __future__ import annotations

from intake.store.cache import ResultCache
from intake.store.cases import CaseOps
from intake.store.claims import ClaimOps
from intake.store.files import FileOps
from intake.store.notes import NoteOps
from intake.store.runs import RunLog
from intake.store.summaries import SummaryOps


class Store(CaseOps, FileOps, ClaimOps, ResultCache, NoteOps, RunLog, SummaryOps):
    """The one entry point to persisted state. Safe to use from several processes at once.

    Open it with `Store(settings)` or `Store.at(home)`; each base class holds one part of
    the API (cases, files, the claim queue, cached results, notes, runs, the case list's
    stored summaries).
    """
