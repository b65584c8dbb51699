"""The patient's languages: English and Simplified Chinese as data, chosen by the browser or
the patient, in every report renderer and in the records-request letters."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from checklist_helpers import complete_lbcl

from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import BUILTIN_DIR, get_program, load_programs
from checklists.patient_words import (
    WORDS_DIR,
    StatusKey,
    languages,
    letter_language,
    load_words,
    patient_words,
    preferred_language,
)
from checklists.render import render
from checklists.render_letter import letter_html
from checklists.render_pdf import reportlab_pdf
from checklists.requests import records_requests
from checklists.wording import patient_next_step, patient_title
from extractors.vocabulary import Document

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _report(institution: str | None = "华东医院病理科"):  # noqa: ANN202
    docs: list[Document] = [
        d.model_copy(update={"institution": institution})
        if d.doc_type.value == "imaging_report"
        else d
        for d in complete_lbcl()
        if d.file not in ("pet.pdf", "note.pdf")
    ]
    return evaluate(
        get_program("cart-lbcl", [BUILTIN_DIR]),
        docs,
        [],
        CaseInfo(case_id="c1", as_of=dt.date(2026, 11, 20)),
    )


def test_the_builtin_languages_are_the_words_files() -> None:
    assert languages() == {"en": "English", "zh": "简体中文"}


def test_every_builtin_program_text_has_a_chinese_translation() -> None:
    zh = patient_words("zh")
    programs, errors = load_programs([BUILTIN_DIR])
    assert not errors
    untranslated = []
    for p in programs.values():
        texts = [p.title, p.description]
        for r in p.requirements:
            texts += [r.title, r.patient_title or r.title, r.patient_message]
        untranslated += [t for t in texts if t and zh.program_text(t) == t]
    assert untranslated == []


def test_a_changed_english_text_is_shown_in_english_not_a_stale_translation() -> None:
    zh = patient_words("zh")
    text = "A brain MRI report from the last 4 weeks. Ask the hospital or imaging center that did the scan for the written report."
    assert _HAN.search(zh.program_text(text))
    edited = text.replace("4 weeks", "2 weeks")
    assert zh.program_text(edited) == edited


@pytest.mark.parametrize(
    ("header", "want"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-GB,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,zh-TW;q=0.5", "zh"),
        ("de;q=0.1,zh;q=0", "en"),  # q=0: not wanted at all
        ("en;q=0.2,zh;q=0.9", "zh"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
    ],
)
def test_the_browsers_language_picks_the_first_language_we_have(
    header: str | None, want: str
) -> None:
    assert preferred_language(header, ["en", "zh"]) == want


def test_a_letter_goes_in_the_language_of_the_office_it_is_sent_to() -> None:
    assert letter_language("华东医院病理科", "en") == "zh"
    assert letter_language("Peking Union Medical College Hospital, Beijing", "en") == "zh"
    assert letter_language("Lakeside Medical Center", "zh") == "en"
    assert letter_language(None, "zh") == "zh"  # unknown office: the patient's language

    letters = {r.requirement_id: r for r in records_requests(_report(), "en")}
    # Treatment history is asked of the team that wrote the clinic notes: here unknown.
    chinese = [r for r in letters.values() if r.institution == "华东医院病理科"]
    assert chinese, letters
    for r in chinese:
        assert r.language == "zh"
        assert "\n致：华东医院病理科 病案室\n" in r.text and r.text.startswith("寄件人：")
        assert "请提供以下医疗记录的复印件" in r.text and "2026年11月20日" in r.text
        assert not re.search(r"\b(Please|Dates wanted|Medical Records)\b", r.text)
        page = letter_html(r)
        assert "<html lang='zh'>" in page and "<main>" in page
    english = [r for r in letters.values() if r.institution is None]
    assert english and all(r.language == "en" and "Please send" in r.text for r in english)


def test_reports_render_in_the_patients_language() -> None:
    report = _report("Lakeside Medical Center")
    zh = patient_words("zh")
    html = render(report, "html", "patient", "zh")
    assert "<html lang='zh'>" in html and "<main>" in html
    assert zh.program_text(report.program.title) in html
    assert zh.say("what_to_do") in html
    for item in report.items:
        if item.status.value != "not_applicable":
            assert patient_title(item, zh) in html
            assert patient_next_step(item, zh) in html or item.status.value == "met"
    md = render(report, "md", "patient", "zh")
    assert md.startswith(
        "# " + zh.say("report_title", program=zh.program_text(report.program.title))
    )
    # Letters to an English-named office stay English inside a Chinese report.
    assert "Please send a copy of the following record" in md
    # The coordinator's view stays English.
    assert "<html lang='en'>" in render(report, "html", "coordinator", "zh")


def test_the_plain_pdf_sets_chinese_in_an_embedded_font() -> None:
    pdf = reportlab_pdf(_report(), "patient", "zh")
    doc = pdfium.PdfDocument(pdf)
    try:
        text = re.sub(r"\s", "", "".join(p.get_textpage().get_text_range() for p in doc))
    finally:
        doc.close()
    zh = patient_words("zh")
    title = zh.program_text("CD19 CAR-T cell therapy for large B-cell lymphoma")
    assert re.sub(r"\s", "", title) in text
    assert zh.statuses[StatusKey.MISSING].label in text
    assert b"FontFile2" in pdf  # the font travels with the file


def test_a_translation_may_only_use_the_english_placeholders(tmp_path: Path) -> None:
    shutil.copy(WORDS_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "xx.yaml").write_text("page:\n  your_files: 'Files {count}'\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape("page.your_files: unknown placeholder {count}")):
        load_words("xx", tmp_path)
    (tmp_path / "xx.yaml").write_text("letter:\n  greeting: Hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="letter.greeting: no such sentence in English"):
        load_words("xx", tmp_path)
    (tmp_path / "xx.yaml").write_text(
        "name: Xx\npage:\n  start_title: Xx title\n", encoding="utf-8"
    )
    xx = load_words("xx", tmp_path)
    assert xx.say("start_title") == "Xx title"
    assert xx.say("your_files", n=2) == "Your files (2)"  # left out: English
    assert languages(tmp_path) == {"en": "English", "xx": "Xx"}
