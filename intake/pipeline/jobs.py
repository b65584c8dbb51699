"""The pipeline's jobs, registered by name with the models of their payloads and results.

Importing this module registers them (intake.jobs.registry); the engines find them by name.
Names are the wire contract between submitters and workers: rename one only with an entry
in intake.jobs.legacy, or rows queued by the release before stop running.

| name | payload | result |
|---|---|---|
| read.plan | FileRef (a stored original) | Plan: the file's items, text-layer pages read |
| read.ocr_page | OcrPage (one PageJob with its image) | PageText |
| understand.documents | FindDocuments (a file's FileTexts) | Documents |
"""

from __future__ import annotations

from extractors.pages import PageJob
from extractors.vocabulary import Document, FileText, PageText
from intake.jobs.registry import JobModel, register
from intake.pipeline import steps
from intake.pipeline.steps import FileRef, PlannedItem

PLAN = "read.plan"
OCR_PAGE = "read.ocr_page"
DOCUMENTS = "understand.documents"


class Plan(JobModel):
    items: list[PlannedItem]


class OcrPage(JobModel):
    job: PageJob


class FindDocuments(JobModel):
    texts: list[FileText]


class Documents(JobModel):
    documents: list[Document]


@register(PLAN, payload=FileRef, result=Plan)
def plan(ref: FileRef) -> Plan:
    return Plan(items=steps.plan_file(ref))


@register(OCR_PAGE, payload=OcrPage, result=PageText)
def ocr_page(payload: OcrPage) -> PageText:
    return steps.ocr_page(payload.job)


@register(DOCUMENTS, payload=FindDocuments, result=Documents)
def documents(payload: FindDocuments) -> Documents:
    return Documents(documents=steps.find_documents(payload.texts))
