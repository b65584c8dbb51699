"""The coordinator's Documents tab: each document found, its page beside the text read from
it, and the form that corrects its type, date or patient."""

from __future__ import annotations

import base64
import datetime as dt
import html

import streamlit as st

from checklists.report import Report
from extractors.vocabulary import DOC_TYPE_LABELS, DocType, Document
from intake.access.auth import Principal
from intake.casework.previews import locate, page_text
from intake.casework.service import Backend
from intake.store import StoredFile
from ui.app.theme import esc, md
from ui.app.words import date_words, doc_label, pages_words


def documents(be: Backend, who: Principal, case_id: str, report: Report) -> None:
    if not report.documents:
        st.info("No documents found yet.")
        return
    files = be.files(who, case_id)
    st.caption(
        f"{len(report.documents)} documents in {len(files)} files. Corrections apply at once and "
        "survive re-reading the files."
    )
    for n, doc in enumerate(report.documents):
        head = f"{doc_label(doc.doc_type)} · {date_words(doc.document_date)} · {md(doc.file)} ({pages_words(doc.pages)})"
        with st.expander(
            head, icon=":material/warning:" if doc.needs_review else ":material/description:"
        ):
            _document(be, who, case_id, doc, n, files)


def _page_image(png: bytes, doc: Document, page: int) -> None:
    """The page as the reader saw it, with alternative text (st.image writes no alt)."""
    words = f"Page {page} of {doc.file}: {doc_label(doc.doc_type)}"
    st.html(
        f'<figure style="margin:0"><img src="data:image/png;base64,{base64.b64encode(png).decode()}"'
        f' alt="{html.escape(words)}" style="width:100%;height:auto;border:1px solid #e4e7eb">'
        f'<figcaption class="rr-muted" style="font-size:.85rem">{html.escape(f"{doc.file}, page {page}")}'
        "</figcaption></figure>"
    )


def _document(
    be: Backend, who: Principal, case_id: str, doc: Document, n: int, files: list[StoredFile]
) -> None:
    left, right = st.columns([1.1, 1])
    stored, member = locate(files, doc.file)
    with left:
        first, last = doc.pages
        page = (
            first
            if first == last
            else st.number_input(
                "Page", min_value=first, max_value=last, value=first, key=f"rr_pg_{n}"
            )
        )
        img = be.page_image(who, case_id, stored.id, member, int(page)) if stored else None
        if img:
            _page_image(img, doc, int(page))
        else:
            st.caption(
                "No page preview for this page: the file is text only, or the page is too "
                "large to draw. The extracted text is below."
            )
        text = page_text(be.store, stored, member, int(page)) if stored else None
        if text is not None:
            # Plain text, not a disabled box: selectable, copyable and dark enough to read.
            st.markdown("**Extracted text**")
            st.markdown(
                f'<div class="rr-text" tabindex="0" role="region" aria-label="Extracted text, '
                f'page {int(page)}">{esc(text)}</div>',
                unsafe_allow_html=True,
            )
    with right:
        facts = {
            "Type": f"{doc_label(doc.doc_type)} ({doc.confidence:.0%}{', needs review' if doc.needs_review else ''})",
            "Date": date_words(doc.document_date) + (" (ambiguous)" if doc.date_ambiguous else ""),
            "Name": doc.patient.name or "—",
            "Date of birth": doc.patient.dob.isoformat() if doc.patient.dob else "—",
            "MRN": doc.patient.mrn or "—",
            "Institution": doc.institution or "—",
        }
        st.markdown("".join(f"**{k}:** {esc(v)}  \n" for k, v in facts.items()))
        values = {k: v for k, v in doc.fields.model_dump(exclude_none=True).items()}
        if values:
            st.dataframe(
                [{"Value": k, "Stated": str(v)} for k, v in values.items()],
                hide_index=True,
                width="stretch",
            )
        if doc.evidence:
            st.caption(
                "Decided by: " + "; ".join(f"p.{e.page} “{md(e.text)}”" for e in doc.evidence[:3])
            )
        _correction_form(be, who, case_id, doc, n)


def _correction_form(be: Backend, who: Principal, case_id: str, doc: Document, n: int) -> None:
    if not doc.id:
        return
    types = list(DocType)
    with st.form(f"rr_fix_{n}", border=True):
        st.markdown("**Correct this document**")
        doc_type = st.selectbox(
            "Type",
            types,
            index=types.index(doc.doc_type),
            format_func=lambda t: DOC_TYPE_LABELS[t],
            key=f"rr_ft_{n}",
        )
        date = st.date_input(
            "Date",
            value=doc.document_date,
            min_value=dt.date(1950, 1, 1),
            max_value=dt.date(2100, 1, 1),
            key=f"rr_fd_{n}",
            format="YYYY-MM-DD",
        )
        c1, c2 = st.columns(2)
        name = c1.text_input("Patient name", value=doc.patient.name or "", key=f"rr_fn_{n}")
        mrn = c2.text_input("MRN", value=doc.patient.mrn or "", key=f"rr_fm_{n}")
        dob = st.date_input(
            "Date of birth",
            value=doc.patient.dob,
            min_value=dt.date(1900, 1, 1),
            max_value=dt.date.today(),
            key=f"rr_fb_{n}",
            format="YYYY-MM-DD",
        )
        other = st.checkbox("This document belongs to another patient", key=f"rr_fo_{n}")
        saved = st.form_submit_button("Save correction", type="primary")
    if saved:
        # Only what the form shows is compared, so a field it does not show (sex) is kept.
        new_patient = doc.patient.model_copy(
            update={"name": name.strip() or None, "dob": dob, "mrn": mrn.strip() or None}
        )
        stored = be.correct(
            who,
            case_id,
            doc.id,
            doc_type=DocType(doc_type) if doc_type != doc.doc_type else None,
            document_date=date if date and date != doc.document_date else None,
            patient=new_patient if new_patient != doc.patient else None,
            other_patient=True if other else None,
        )
        if stored:
            st.toast("Correction saved; checklist updated.")
            st.rerun()
        else:
            st.info("Nothing was changed, so nothing was saved. Earlier corrections still apply.")
