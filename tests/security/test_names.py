"""Names are cleaned where they enter (issue 16 rows 10 and 16).

NUL, control and bidirectional characters become a visible `[U+XXXX]` and names are capped
in length, in uploads, inbox files, zip members and e-mail attachments alike: a NUL or an
over-long path aborted a whole batch on PostgreSQL, and `invoice<RLO>fdp.exe` read as
"invoiceexe.pdf" on the coordinator's page.
"""

from __future__ import annotations

import unicodedata
from email.message import EmailMessage
from pathlib import Path

from fuzz import seeds
from hostile import builders

from extractors.names import MAX_NAME, clean_name
from intake.batch.runner import BatchConfig, run_once
from intake.pipeline.progress import QuietReporter
from intake.store import Store

RLO = "\u202e"
DEEP = "/".join(["d" * 90] * 16) + "/labs.pdf"  # a 1,470-character member path


def _clean(name: str) -> bool:
    unsafe = [ch for ch in name if unicodedata.category(ch) in ("Cc", "Cs") or ch == RLO]
    return not unsafe and len(name) <= 1024


def test_clean_name_shows_what_was_hidden_and_caps_the_length() -> None:
    assert clean_name(f"invoice{RLO}fdp.exe") == "invoice[U+202E]fdp.exe"
    assert clean_name("lab\x00s\x1b.pdf") == "lab[U+0000]s[U+001B].pdf"
    long_a, long_b = "a" * 3000 + "1.pdf", "a" * 3000 + "2.pdf"
    assert clean_name(long_a) != clean_name(long_b)
    assert len(clean_name(long_a)) <= MAX_NAME and clean_name(long_a).endswith(".pdf")
    for raw in (f"invoice{RLO}fdp.exe", long_a, DEEP, "Zoë résumé.pdf", "病历.pdf"):
        assert clean_name(clean_name(raw)) == clean_name(raw)
    assert clean_name("Zoë résumé.pdf") == "Zoë résumé.pdf"


def test_uploads_and_cases_are_stored_under_clean_names(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "home")
    case = store.create_case(f"Case {RLO}evil\x00")
    assert _clean(case.name)
    for raw in (f"invoice{RLO}fdp.exe", "a\x00b.pdf", "x" * 5000 + ".pdf"):
        stored = store.add_file(case.id, raw, seeds.text_pdf())
        assert _clean(stored.name) and stored.name == clean_name(raw)
        again = store.add_file(case.id, raw, seeds.text_pdf())
        assert again.id == stored.id  # the same upload again is still the same file


def _eml_with_attachment(filename: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "records"
    msg["From"] = "a@example.org"
    msg["To"] = "b@example.org"
    msg.set_content("see attached")
    msg.add_attachment(
        seeds.text_pdf(), maintype="application", subtype="pdf", filename=("utf-8", "", filename)
    )
    return msg.as_bytes()


def test_a_batch_with_hostile_member_names_finishes_with_clean_names(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    case = inbox / "case_a"
    case.mkdir(parents=True)
    (case / "deep.zip").write_bytes(builders.zip_of({DEEP: seeds.text_pdf()}))
    (case / "mail.eml").write_bytes(_eml_with_attachment(f"lab\x00s{RLO}fdp.pdf"))
    (case / f"scan{RLO}gpj.pdf").write_bytes(seeds.text_pdf())
    store = Store.at(tmp_path / "home")
    result = run_once(
        BatchConfig(inbox, out, program="cart-lbcl", workers=0), store, QuietReporter()
    )
    assert not result.stopped and (out / "index.html").is_file()
    names = [f.name for c in store.cases(include_holding=True) for f in store.files(c.id)]
    assert len(names) == 3 and all(_clean(n) for n in names), names
    report = (out / "case_a" / "report.json").read_text(encoding="utf-8")
    assert "[U+202E]" in report and "\\u202e" not in report.lower()
    assert "\\u0000" not in report
