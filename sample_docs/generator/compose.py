"""Shared parts of every document: letterhead, patient header block, dates, wrapping."""

from __future__ import annotations

import datetime as dt
import textwrap

from .layout import paginate
from .model import Institution, Line, Page, Person

ZH_SEX = {"female": "女", "male": "男"}


def fmt_date(d: dt.date, inst: Institution) -> str:
    if inst.style.date_fmt == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    # "{day}" is the day without a leading zero, as long-form dates are written ("9 October 2026").
    return d.strftime(inst.style.date_fmt).replace("{day}", str(d.day))


def age_at(p: Person, d: dt.date) -> int:
    return d.year - p.dob.year - ((d.month, d.day) < (p.dob.month, p.dob.day))


def name_of(p: Person, inst: Institution) -> str:
    fmt = inst.style.name_fmt
    if fmt == "zh":
        return p.zh_name or p.full_name
    if fmt == "last_first_upper":
        return f"{p.last.upper()}, {p.first.upper()}"
    if fmt == "title_first_last_upper":
        title = "Mrs" if p.sex == "female" else "Mr"
        return f"{title} {p.first} {p.last.upper()}"
    return p.full_name


def heading(inst: Institution, text: str) -> Line:
    if inst.language == "zh":
        return Line((text,), "head")
    return Line((text.upper() if inst.style.heading_case == "upper" else text,), "head")


def para(inst: Institution, text: str, style: str = "body", indent: str = "") -> list[Line]:
    width = inst.style.wrap - len(indent)
    chunks = textwrap.wrap(text, width=width, break_long_words=inst.language == "zh")
    return [Line((indent + c,), style) for c in chunks]


def gap() -> Line:
    return Line(("",), "gap")


def letterhead(inst: Institution) -> list[Line]:
    lines = [Line((inst.name,), "org"), Line((inst.department,), "addr")]
    lines += [Line((a,), "addr") for a in inst.address]
    lines.append(Line((inst.phone,), "addr"))
    return lines


def header_block(
    inst: Institution, p: Person, d: dt.date, pairs: list[tuple[str, str]], show_sex: bool = True
) -> list[Line]:
    """The patient block under the title, in the institution's own arrangement."""
    st = inst.style
    if inst.language == "zh":
        ident = [
            ("姓名", name_of(p, inst)),
            ("性别", ZH_SEX[p.sex]),
            ("年龄", f"{age_at(p, d)}岁"),
            (st.mrn_label, p.mrn),
        ]
        cells = [f"{k}：{v}" for k, v in ident + pairs]
        return [Line(tuple(cells[i : i + 2]), "kv") for i in range(0, len(cells), 2)]
    sex = ("F" if p.sex == "female" else "M") if st.header != "stacked" else p.sex.capitalize()
    dob = fmt_date(p.dob, inst)
    if st.header == "grid":
        ident = [
            ("Patient", name_of(p, inst)),
            (st.mrn_label, p.mrn),
            ("DOB", f"{dob} ({age_at(p, d)} y)"),
        ]
        if show_sex:
            ident.append(("Sex", sex))
        cells = [f"{k}: {v}" for k, v in ident + pairs]
        return [Line(tuple(cells[i : i + 2]), "kv") for i in range(0, len(cells), 2)]
    if st.header == "stacked":
        ident = [("Name", name_of(p, inst)), ("Date of birth", dob), (st.mrn_label, p.mrn)]
        if show_sex:
            ident.append(("Sex", sex))
        return [Line((f"{k}: {v}",), "body") for k, v in ident + pairs]
    parts = [f"Patient: {name_of(p, inst)}", f"DOB {dob}", f"{st.mrn_label} {p.mrn}"]
    if show_sex:
        parts.append(f"Sex {sex}")
    lines = [Line(("  |  ".join(parts),), "body")]
    cells = [f"{k}: {v}" for k, v in pairs]
    lines += [Line(tuple(cells[i : i + 3]), "kv") for i in range(0, len(cells), 3)]
    return lines


def running_header(inst: Institution, p: Person) -> list[Line]:
    if inst.language == "zh":
        return [Line((f"{name_of(p, inst)}  {inst.style.mrn_label}：{p.mrn}（续）",), "small")]
    return [Line((f"{name_of(p, inst)}  {inst.style.mrn_label}: {p.mrn}  (continued)",), "small")]


def compose(
    inst: Institution,
    p: Person,
    d: dt.date,
    title: str,
    pairs: list[tuple[str, str]],
    body: list[Line],
    show_sex: bool = True,
    letter: bool = False,
) -> list[Page]:
    first = letterhead(inst) + ([Line((title,), "title")] if title else [gap()])
    if not letter:
        first += header_block(inst, p, d, pairs, show_sex) + [gap()]
    return paginate(inst, first, running_header(inst, p), body)
