"""Fictional institutions and patients. Phone numbers use reserved fictional ranges."""

from __future__ import annotations

import datetime as dt

from .model import Institution, Person, Style

D = dt.date

INSTITUTIONS: dict[str, Institution] = {
    "stbrendan": Institution(
        "stbrendan",
        "St. Brendan Medical Center",
        "Division of Hematology and Oncology",
        ("1450 Larchmont Avenue", "Westbrook, MA 02193"),
        "Tel (617) 555-0142  Fax (617) 555-0199",
        Style("sans", "left", "%m/%d/%Y", "grid", "last_first_upper", "upper", "us",
              "Page {n} of {N}", "letter", True, "MRN"),
    ),
    "lakeshore": Institution(
        "lakeshore",
        "Lakeshore University Hospital",
        "Department of Pathology and Laboratory Medicine",
        ("2200 North Calloway Drive", "Lakeshore, IL 60614"),
        "Phone: 312-555-0187",
        Style("serif", "center", "%d-%b-%Y", "stacked", "first_last", "title", "us",
              "Page {n} of {N}", "letter", False, "Med Rec #", 10.5, 88),
    ),
    "meridian": Institution(
        "meridian",
        "Meridian Cancer Institute",
        "Cellular Therapy Program",
        ("8800 Fannin Ridge Boulevard, Suite 400", "Brazos Point, TX 77031"),
        "T 713-555-0120 | F 713-555-0121",
        Style("dejavu", "right", "%Y-%m-%d", "inline", "last_first_upper", "upper", "us",
              "Page {n} of {N}  |  CONFIDENTIAL", "letter", True, "MRN", 10.0, 88),
    ),
    "northgate": Institution(
        "northgate",
        "Northgate Diagnostics Laboratory",
        "CLIA 22D0987654  CAP 7781203",
        ("41 Ironbridge Parkway", "Fairmont, NJ 07012"),
        "Client Services 1-800-555-0163",
        Style("mono", "left", "%m/%d/%Y", "grid", "last_first_upper", "upper", "us",
              "Page {n} of {N}", "letter", True, "Patient ID", 10.0, 82),
    ),
    "elmsworth": Institution(
        "elmsworth",
        "Royal Elmsworth Hospital NHS Foundation Trust",
        "Department of Clinical Oncology",
        ("Elmsworth Road", "Elmsworth EW4 7QR"),
        "Tel: 01632 960418",
        Style("serif", "right", "{day} %B %Y", "stacked", "title_first_last_upper", "title", "si",
              "Page {n} of {N}", "a4", False, "Hospital No", 10.5, 86),
    ),
    "cascadia": Institution(
        "cascadia",
        "Cascadia Imaging Associates",
        "Diagnostic Radiology and Nuclear Medicine",
        ("600 Cedar Falls Road", "Cedar Falls, OR 97035"),
        "Scheduling (503) 555-0178  Reading room (503) 555-0179",
        Style("sans", "center", "%B {day}, %Y", "inline", "first_last", "upper", "us",
              "Page {n} of {N}", "letter", True, "MRN", 10.0, 92),
    ),
    "helix": Institution(
        "helix",
        "Helix Genomics Laboratory",
        "Molecular Pathology and Histocompatibility",
        ("3100 Innovation Way", "Pinecrest, NC 27709"),
        "(919) 555-0133  support@helixgenomics.example",
        Style("dejavu", "left", "%d-%b-%Y", "grid", "last_first_upper", "upper", "us",
              "Page {n} of {N}", "letter", True, "MRN", 10.0, 88),
    ),
    "binjiang": Institution(
        "binjiang",
        "上海滨江肿瘤医院",
        "Shanghai Binjiang Cancer Hospital",
        ("上海市浦东新区滨江大道2188号", "邮编 200120"),
        "电话 021-5550-1260",
        Style("cjk", "center", "zh", "grid", "zh", "upper", "si",
              "第 {n} 页 共 {N} 页", "a4", True, "住院号", 10.5, 40),
        language="zh",
    ),
}

PATIENTS: dict[str, Person] = {
    "P1": Person("P1", "Margaret", "O'Neill", D(1961, 3, 14), "SBM-4410237", "female"),
    "P2": Person("P2", "Robert", "Castellano", D(1957, 11, 2), "LUH-00583116", "male"),
    "P3": Person("P3", "Linh", "Nguyen", D(2002, 7, 21), "MCI-2260914", "female"),
    "P4": Person("P4", "David", "Whitfield", D(1968, 5, 30), "REH-K771904", "male"),
    "P5": Person("P5", "Adaeze", "Okafor", D(1979, 1, 9), "SBM-5031862", "female"),
    "P6": Person("P6", "Wei", "Zhang", D(1991, 8, 17), "MCI-3318475", "male", "张伟"),
    "P7": Person("P7", "Arjun", "Patel", D(1964, 12, 5), "MCI-1984402", "male"),
    # P8 shares a near-identical name with P7: the classic mis-filed lab.
    "P8": Person("P8", "Arun", "Patel", D(1971, 4, 18), "MCI-2057319", "male"),
    "P9": Person("P9", "Harold", "Jennings", D(1949, 9, 27), "LUH-00417752", "male"),
    "P10": Person("P10", "Ingrid", "Sorensen", D(1985, 2, 11), "CIA-771203", "female"),
    "P11": Person("P11", "Rosa", "Delgado", D(1983, 6, 24), "MCI-2419066", "female"),
}
