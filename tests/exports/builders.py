"""Portal exports made here: C-CDA documents of the kinds the samples do not show, and XDM zips.

Documents are written the way the C-CDA R2.1 implementation guide lays them out (header,
structured body, coded entries beside a narrative); every name, number and value is
invented for the test.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

LOINC = "2.16.840.1.113883.6.1"
SNOMED = "2.16.840.1.113883.6.96"


@dataclass
class Result:
    loinc: str
    name: str
    value: str  # "13.2" for a quantity, "" for a coded or text value
    unit: str = ""
    xsi: str = "PQ"
    code: str = ""  # a coded answer (CD)
    text: str = ""  # a written answer (ST), or a CD's display name
    time: str = "20261002"
    interpretation: str = ""


@dataclass
class Section:
    loinc: str
    title: str
    narrative: str  # XHTML-ish narrative block content
    entries: str = ""


@dataclass
class Doc:
    code: str = "18842-5"
    code_name: str = "Discharge summary"
    title: str = "Discharge Summary"
    time: str = "20261005143000-0500"
    given: str = "Rosa"
    family: str = "Delgado-Ibarra"
    birth: str = "19580622"
    sex: str = "F"
    ids: tuple[tuple[str, str], ...] = (
        ("2.16.840.1.113883.4.1", "111-22-3333"),  # a Social Security number: never the MRN
        ("2.16.840.1.113883.19.5.99999.2", "MRN-5530071"),
    )
    custodian: str = "Lakeside University Hospital"
    author_org: str = "Lakeside Oncology Associates"
    template: str = "2.16.840.1.113883.10.20.22.1.8"
    namespace_prefix: str = ""  # "cda:" writes every element with a prefix
    sections: list[Section] = field(default_factory=list)


def result_entry(results: list[Result], panel_time: str = "20261002") -> str:
    comps = []
    for r in results:
        if r.xsi == "PQ":
            value = f'<value xsi:type="PQ" value="{r.value}" unit="{r.unit}"/>'
        elif r.xsi == "CD":
            value = f'<value xsi:type="CD" code="{r.code}" codeSystem="{SNOMED}" displayName="{r.text}"/>'
        elif r.xsi == "INT":
            value = f'<value xsi:type="INT" value="{r.value}"/>'
        else:
            value = f'<value xsi:type="ST">{r.text}</value>'
        interp = (
            f'<interpretationCode code="{r.interpretation}" codeSystem="2.16.840.1.113883.5.83"/>'
            if r.interpretation
            else ""
        )
        comps.append(
            f"""<component><observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.10.20.22.4.2" extension="2015-08-01"/>
              <code code="{r.loinc}" codeSystem="{LOINC}" displayName="{r.name}"/>
              <statusCode code="completed"/><effectiveTime value="{r.time}"/>
              {value}{interp}</observation></component>"""
        )
    return f"""<entry typeCode="DRIV"><organizer classCode="BATTERY" moodCode="EVN">
      <templateId root="2.16.840.1.113883.10.20.22.4.1" extension="2015-08-01"/>
      <statusCode code="completed"/><effectiveTime><low value="{panel_time}"/></effectiveTime>
      {"".join(comps)}</organizer></entry>"""


def problem_entry(name: str, snomed: str) -> str:
    return f"""<entry><act classCode="ACT" moodCode="EVN"><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
      <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
      <code code="55607006" codeSystem="{SNOMED}" displayName="Problem"/>
      <value xsi:type="CD" code="{snomed}" codeSystem="{SNOMED}" displayName="{name}"/>
      </observation></entryRelationship></act></entry>"""


def ccda(doc: Doc) -> bytes:
    p = doc.namespace_prefix
    xmlns = f'xmlns{":" + p[:-1] if p else ""}="urn:hl7-org:v3"'
    ids = "".join(f'<{p}id root="{root}" extension="{ext}"/>' for root, ext in doc.ids)
    sections = "".join(
        f"""<{p}component><{p}section><{p}code code="{s.loinc}" codeSystem="{LOINC}"/>
        <{p}title>{s.title}</{p}title><{p}text>{s.narrative}</{p}text>{s.entries}</{p}section></{p}component>"""
        for s in doc.sections
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>
<{p}ClinicalDocument {xmlns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <{p}realmCode code="US"/>
  <{p}typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <{p}templateId root="{doc.template}" extension="2015-08-01"/>
  <{p}id root="2.16.840.1.113883.19.5.99999.1" extension="D-{doc.code}"/>
  <{p}code code="{doc.code}" codeSystem="{LOINC}" displayName="{doc.code_name}"/>
  <{p}title>{doc.title}</{p}title>
  <{p}effectiveTime value="{doc.time}"/>
  <{p}languageCode code="en-US"/>
  <{p}recordTarget><{p}patientRole>{ids}
    <{p}addr><{p}city>Springfield</{p}city></{p}addr>
    <{p}patient><{p}name use="L"><{p}given>{doc.given}</{p}given><{p}family>{doc.family}</{p}family></{p}name>
      <{p}administrativeGenderCode code="{doc.sex}" codeSystem="2.16.840.1.113883.5.1"/>
      <{p}birthTime value="{doc.birth}"/></{p}patient>
  </{p}patientRole></{p}recordTarget>
  <{p}author><{p}time value="20000101"/><{p}assignedAuthor><{p}id root="2.16.840.1.113883.4.6" extension="999"/>
    <{p}representedOrganization><{p}name>{doc.author_org}</{p}name></{p}representedOrganization>
  </{p}assignedAuthor></{p}author>
  <{p}custodian><{p}assignedCustodian><{p}representedCustodianOrganization>
    <{p}id root="2.16.840.1.113883.19.5"/><{p}name>{doc.custodian}</{p}name>
  </{p}representedCustodianOrganization></{p}assignedCustodian></{p}custodian>
  <{p}component><{p}structuredBody>{sections}</{p}structuredBody></{p}component>
</{p}ClinicalDocument>"""
    return xml.encode("utf-8")


def xdm_zip(documents: dict[str, bytes], entries: list[dict[str, str]]) -> bytes:
    """A portal's XDM export: IHE_XDM/SUBSET01/ with METADATA.XML, the documents, a stylesheet,
    and the readme and index at the top. `entries`: uri, title, time, type (LOINC), patient."""
    objects = []
    for i, e in enumerate(entries, start=1):
        objects.append(
            f"""<rim:ExtrinsicObject id="Document{i:02d}" mimeType="{e.get("mime", "text/xml")}"
              objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
          <rim:Slot name="creationTime"><rim:ValueList><rim:Value>{e["time"]}</rim:Value></rim:ValueList></rim:Slot>
          <rim:Slot name="URI"><rim:ValueList><rim:Value>{e["uri"]}</rim:Value></rim:ValueList></rim:Slot>
          <rim:Slot name="sourcePatientInfo"><rim:ValueList>
            <rim:Value>PID-3|{e.get("mrn", "MRN-5530071")}^^^&amp;1.2.3&amp;ISO</rim:Value>
            <rim:Value>PID-5|{e.get("patient", "Delgado-Ibarra^Rosa")}^^^</rim:Value>
            <rim:Value>PID-7|{e.get("birth", "19580622")}</rim:Value>
            <rim:Value>PID-8|F</rim:Value></rim:ValueList></rim:Slot>
          <rim:Name><rim:LocalizedString value="{e["title"]}"/></rim:Name>
          <rim:Classification classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
              classifiedObject="Document{i:02d}" nodeRepresentation="">
            <rim:Slot name="authorInstitution"><rim:ValueList>
              <rim:Value>{e.get("institution", "Lakeside University Hospital")}^^^^^^^^^1.2.3</rim:Value>
            </rim:ValueList></rim:Slot></rim:Classification>
          <rim:Classification classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
              classifiedObject="Document{i:02d}" nodeRepresentation="{e["type"]}">
            <rim:Slot name="codingScheme"><rim:ValueList><rim:Value>{LOINC}</rim:Value></rim:ValueList></rim:Slot>
            <rim:Name><rim:LocalizedString value="{e["title"]}"/></rim:Name></rim:Classification>
        </rim:ExtrinsicObject>"""
        )
    metadata = f"""<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
    xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
  <rim:RegistryObjectList>{"".join(objects)}</rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "INDEX.HTM", "<html><body><a href='IHE_XDM/SUBSET01/'>Records</a></body></html>"
        )
        zf.writestr("README.TXT", "This archive holds health records in the IHE XDM format.\n" * 3)
        zf.writestr("IHE_XDM/SUBSET01/METADATA.XML", metadata)
        zf.writestr(
            "IHE_XDM/SUBSET01/CDA.xsl",
            '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
        )
        for name, data in documents.items():
            zf.writestr(f"IHE_XDM/SUBSET01/{name}", data)
    return buf.getvalue()
