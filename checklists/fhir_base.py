"""What every part of the FHIR export shares: stable resource addresses and small element builders.

A collection Bundle has no server to give its resources ids, so each resource is addressed by a
`urn:uuid:` made from the report (case, program, as-of date) and what the resource stands for:
the same report always gives the same Bundle, byte for byte, and a receiving system can tell a
re-sent export from a new one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from checklists.fhir_codes import FhirCodes, fhir_codes
from checklists.report import Report

Json = dict[str, Any]

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"


@dataclass(frozen=True)
class Context:
    """The report being exported, its code tables, and how its resources are addressed."""

    report: Report
    codes: FhirCodes

    @classmethod
    def of(cls, report: Report) -> Context:
        return cls(report, fhir_codes())

    def uuid(self, kind: str, key: str) -> str:
        r = self.report
        name = f"{self.codes.base}/{r.case_id}/{r.program.id}/{r.as_of.isoformat()}/{kind}/{key}"
        return str(uuid.uuid5(uuid.NAMESPACE_URL, name))

    def ref(self, kind: str, key: str, display: str | None = None) -> Json:
        out: Json = {"reference": f"urn:uuid:{self.uuid(kind, key)}"}
        if display:
            out["display"] = display
        return out

    def patient_ref(self) -> Json:
        return self.ref("Patient", "patient")

    def system(self, name: str) -> str:
        """One of our code systems (docs/FHIR.md lists them)."""
        return self.codes.url("CodeSystem", name)

    def id_system(self, name: str) -> str:
        """One of our identifier systems: documents, programs, reports, a program's requirements."""
        return self.codes.url("identifier", name)

    def extension_url(self, name: str) -> str:
        return self.codes.url("StructureDefinition", name)

    def ext(self, name: str, kind: str, value: object) -> Json:
        """A simple extension, e.g. ext("classification-confidence", "Decimal", 0.93)."""
        return {"url": self.extension_url(name), f"value{kind}": value}


def coding(system: str, code: str, display: str | None = None) -> Json:
    out: Json = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def entry(ctx: Context, kind: str, key: str, resource: Json) -> Json:
    """A Bundle entry: the resource with its id, under its urn:uuid address."""
    rid = ctx.uuid(kind, key)
    return {"fullUrl": f"urn:uuid:{rid}", "resource": {"resourceType": kind, "id": rid, **resource}}


def document_key(index: int, file: str, document_id: str | None) -> str:
    """What addresses a document: its file and id (a file uploaded twice has the same
    document ids, under another name), else its file and place in the report."""
    return f"{file}#{document_id or index}"
