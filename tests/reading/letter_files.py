"""Real word-processor files for the letter tests: written by python-docx and odfpy, then
saved as .odt, .doc and .rtf by LibreOffice itself (installed by bootstrap --dev).

The words are invented; accented names and a table are what readers get wrong.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK

HEADING = "PATHOLOGY REPORT"
NAME_LINE = "Patient: Müller, Jürgen\tMRN: 448812"
TABLE = [("Test", "Result"), ("HIV", "Negative"), ("HBsAg", "Non-reactive")]
PAGE_TWO = "Page two: Hämoglobin 12,1 g/dl, Señora Núñez reviewed."


def source_docx() -> bytes:
    doc = docx.Document()
    doc.add_heading(HEADING, level=1)
    doc.add_paragraph(NAME_LINE)
    table = doc.add_table(rows=len(TABLE), cols=2)
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph(PAGE_TWO)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def odfpy_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, Tab

    doc = OpenDocumentText()
    brk = Style(name="Break", family="paragraph")
    brk.addElement(ParagraphProperties(breakbefore="page"))
    doc.automaticstyles.addElement(brk)
    doc.text.addElement(H(outlinelevel=1, text=HEADING))
    first, second = NAME_LINE.split("\t")
    p = P(text=first)
    p.addElement(Tab())
    p.addText(second)
    doc.text.addElement(p)
    table = Table(name="Labs")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row in TABLE:
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.text.addElement(table)
    doc.text.addElement(P(stylename=brk, text=PAGE_TWO))
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(exe: str, workdir: Path, source: bytes, targets: tuple[str, ...]) -> dict[str, bytes]:
    """LibreOffice's own save of `source` (a .docx) in each target format."""
    src = workdir / "letter.docx"
    src.write_bytes(source)
    out: dict[str, bytes] = {}
    for target in targets:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{workdir / 'profile'}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(workdir / "out"),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        out[target] = (workdir / "out" / f"letter.{target}").read_bytes()
    return out
