"""Coordinator case view: gap report with evidence, documents with page images and text,
corrections, waivers, patient links, downloads. Each change re-evaluates at once."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from checklists.render_pdf import pdf_engine
from checklists.report import GAP_STATUSES, Item, ProblemKind, Report, Status
from checklists.values import label, show
from checklists.wording import problem_label, without_citations
from intake.access.auth import Action, Principal, Role
from intake.casework import reader as pipeline
from intake.casework.counts import gap_counts, patient_name
from intake.casework.service import Backend
from intake.store import Case
from ui.app import case_documents, context, links, theme
from ui.app.download_routes import original_url, report_url
from ui.app.theme import download_link, esc, md
from ui.app.words import (
    date_words,
    evidence_html,
    file_chip,
    item_status_key,
)


def render() -> None:
    who = context.staff()
    case_id = st.query_params.get("id") or ""
    context.guard(who, Action.VIEWED, case_id or None)
    assert who is not None
    be = context.backend()
    theme.brand("Care team")
    st.page_link(context.page("cases"), label="All cases", icon=":material/arrow_back:")
    case = be.case(who, case_id) if case_id else None
    if case is None:
        st.warning("No such case. It may have been deleted.")
        return
    seen = st.session_state.setdefault("rr_seen_cases", set())
    if case_id not in seen:  # one "viewed" entry per case per sign-in, not one per click
        seen.add(case_id)
        be.audit.record(who, Action.VIEWED, case_id=case_id)

    pipeline.reader()  # warm the readers before anyone adds a file
    report = be.report(who, case_id)
    reading = be.reading(case_id)
    # The patient's name once known (given, or read from their documents) titles the case.
    person = patient_name(case, report)
    st.title(md(f"{person} · {case.name}" if person else case.name))
    chip = "reading" if reading else ("ready" if report and report.ready else "not_ready")
    st.markdown(
        f'<p class="rr-lede">{esc(be.program_title(case.program))} &nbsp; {theme.chip(chip)}</p>',
        unsafe_allow_html=True,
    )
    if reading:
        st.fragment(run_every=2)(_reading_watch)(who, case_id)

    tabs = st.tabs(
        ["Checklist", "Documents", "Files", "Share & download", "Details & history"]
        + (["Delete"] if who.role is Role.ADMIN else [])
    )
    with tabs[0]:
        if report is None:
            st.info("Set a program for this case to see its checklist.")
        else:
            _checklist(be, who, case_id, report)
    with tabs[1]:
        if report is not None:
            case_documents.documents(be, who, case_id, report)
    with tabs[2]:
        _files(be, who, case_id)
    with tabs[3]:
        _share(be, who, case_id, report)
    with tabs[4]:
        _details(be, who, case)
    if who.role is Role.ADMIN:
        with tabs[5]:
            _delete(be, who, case_id)


def _reading_watch(who: Principal, case_id: str) -> None:
    be = context.backend()
    files = be.files(who, case_id)
    if not be.reading(case_id):
        st.rerun(scope="app")
    done = sum(f.pages_done for f in files)
    total = sum(f.pages_total for f in files) or 1
    st.progress(min(1.0, done / total), text=f"Reading files: {done} of {total} pages")


# --- checklist -----------------------------------------------------------------------------


def _item_body(item: Item) -> str:
    bits: list[str] = [esc(item.detail)]
    ev = evidence_html(item)
    if ev:
        bits.append(ev)
    facts = []
    if item.document_date:
        age = (
            f" ({item.age_days} d old"
            + (f", window {item.max_age_days} d)" if item.max_age_days else ")")
            if item.age_days is not None
            else ""
        )
        facts.append(f"dated <b>{esc(date_words(item.document_date))}</b>{esc(age)}")
    if item.institution:
        facts.append(f"from <b>{esc(item.institution)}</b>")
    if item.values:
        facts.append(
            ", ".join(f"{esc(label(k))}: <b>{esc(show(v))}</b>" for k, v in item.values.items())
        )
    if item.confidence is not None:
        facts.append(f"confidence {item.confidence:.0%}")
    if facts:
        bits.append(" · ".join(facts))
    if item.waiver and item.waiver not in item.detail:
        bits.append(f"Waived: {esc(item.waiver)}")
    if item.coordinator_hint and item.status in GAP_STATUSES:
        bits.append(f"<i>{esc(without_citations(item.coordinator_hint))}</i>")
    return "<br>".join(bits)


def _checklist(be: Backend, who: Principal, case_id: str, report: Report) -> None:
    counts = gap_counts(report)
    st.markdown(
        theme.summary(
            [
                ("Met or waived", counts["met"], "received"),
                ("Missing", counts["missing"], "missing"),
                ("Too old", counts["stale"], "stale"),
                ("To review", counts["review"], "needs_review"),
                ("File problems", counts["problems"], "unreadable"),
            ]
        ),
        unsafe_allow_html=True,
    )
    st.caption(
        f"Checked against {report.program.title} v{report.program.version}, as of {report.as_of:%d %b %Y}."
    )
    order = {
        Status.MISSING: 0,
        Status.STALE: 1,
        Status.OUT_OF_RANGE: 2,
        Status.NEEDS_REVIEW: 3,
        Status.WAIVED: 4,
        Status.MET: 5,
        Status.NOT_APPLICABLE: 6,
    }
    for item in sorted(report.items, key=lambda i: (order.get(i.status, 9), not i.required)):
        if item.status is Status.NOT_APPLICABLE:
            continue
        req = "" if item.required else " (advisory)"
        st.markdown(
            theme.card(item_status_key(item), item.title + req, _item_body(item)),
            unsafe_allow_html=True,
        )
        if item.status in GAP_STATUSES:
            with st.popover("Waive", icon=":material/block:"):
                reason = st.text_input("Reason (kept in the record)", key=f"rr_wr_{item.id}")
                # The patient is told such an item is still awaited, not that it is not needed.
                follows = st.checkbox(
                    "The result is still to come (result to follow)", key=f"rr_wf_{item.id}"
                )
                if st.button(
                    "Waive this item",
                    key=f"rr_w_{item.id}",
                    type="primary",
                    disabled=not reason.strip(),
                ):
                    be.waive(who, case_id, item.id, reason, to_follow=follows)
                    st.toast(f"Waived: {item.title}")
                    st.rerun()
        elif item.status is Status.WAIVED and st.button("Withdraw waiver", key=f"rr_uw_{item.id}"):
            be.withdraw_waiver(who, case_id, item.id)
            st.rerun()

    if report.problems:
        st.subheader("File problems")
        for n, p in enumerate(report.problems):
            kind = (
                "not_yours"
                if p.kind is ProblemKind.IDENTITY_MISMATCH
                else ("duplicate" if p.kind is ProblemKind.DUPLICATE else "unreadable")
            )
            st.markdown(
                theme.card(kind, p.file, esc(p.detail), chip_label=problem_label(p)),
                unsafe_allow_html=True,
            )
            if p.kind is ProblemKind.IDENTITY_MISMATCH:
                others = set(report.other_patient_documents)
                ids = [d.id for d in report.documents if d.file == p.file and d.id in others]
                if ids and st.button(
                    "It is this patient's (e.g. a maiden name)", key=f"rr_same_{n}"
                ):
                    for doc_id in ids:
                        be.correct(who, case_id, doc_id, other_patient=False)
                    st.rerun()


# --- files, sharing, deletion ----------------------------------------------------------------


def _files(be: Backend, who: Principal, case_id: str) -> None:
    files = be.files(who, case_id)
    for f in files:
        c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="center")
        why = f" — {f.error_message}" if f.error_message else ""
        c1.markdown(
            f'<div class="rr-file"><span class="name">{esc(f.name)} '
            f'<span style="color:#52606d">{f.size / 1024:.0f} KB, {f.uploaded_at:%Y-%m-%d %H:%M}{esc(why)}'
            f"</span></span>{file_chip(f.status.value)}</div>",
            unsafe_allow_html=True,
        )
        with c2:
            download_link("Original", original_url(case_id, f.id), f"Original of {f.name}")
        if c3.button(
            "Read again",
            key=f"rr_reread_{f.id}",
            icon=":material/refresh:",
            help="Read this file again (corrections and waivers are kept).",
        ):
            be.reread(who, case_id, f.id)
            st.rerun()
    removed = be.removed_files(who, case_id)
    if removed:
        st.markdown("**Removed from the checklist** (kept; the audit log says who removed each)")
    for f in removed:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.markdown(
            f'<div class="rr-file"><span class="name">{esc(f.name)} <span style="color:#52606d">'
            f"removed {f.removed_at:%Y-%m-%d %H:%M}</span></span></div>",
            unsafe_allow_html=True,
        )
        if c2.button("Restore", key=f"rr_restore_{f.id}", icon=":material/restore_from_trash:"):
            be.set_removed(who, case_id, f.id, False)
            st.rerun()
    n = st.session_state.get("rr_staff_round", 0)
    more = st.file_uploader(
        "Add files to this case", accept_multiple_files=True, key=f"rr_staff_up_{n}"
    )
    if more:
        for up in more:
            be.upload(who, case_id, up.name, up.getvalue())
        st.session_state["rr_staff_round"] = n + 1
        st.rerun()


def _share(be: Backend, who: Principal, case_id: str, report: Report | None) -> None:
    st.subheader("Download the report")
    if report is None:
        st.info("No report yet.")
    else:
        # Each link is a signed-in route (download_routes.py) that makes the report when
        # asked and audits it then: nothing waits at a /media URL, served without sign-in.
        for col, fmt, label in zip(
            st.columns(4),
            ("html", "json", "pdf", "fhir"),
            ("Report (HTML)", "Report (JSON)", "Report (PDF)", "FHIR R4 Bundle"),
            strict=True,
        ):
            with col:
                download_link(label, report_url(case_id, fmt))
        st.caption(f"PDFs are made with {pdf_engine()}.")
    st.subheader("Patient link")
    live = be.links.live_count(case_id)
    st.write(
        f"{live} working link{'s' if live != 1 else ''} for this case. Links expire after 90 days."
    )
    c1, c2 = st.columns(2)
    if c1.button("Create a new patient link", icon=":material/link:"):
        st.session_state["rr_case_link"] = (case_id, be.issue_link(who, case_id))
    if c2.button("Withdraw all patient links", icon=":material/link_off:", disabled=live == 0):
        be.revoke_links(who, case_id)
        st.session_state.pop("rr_case_link", None)
        st.rerun()
    fresh = st.session_state.get("rr_case_link")
    made = st.session_state.get("rr_fresh_link")
    if (not fresh or fresh[0] != case_id) and made and made[0] == case_id:
        fresh = made  # the link made with the case on the Cases page, still on view here
    if fresh and fresh[0] == case_id:
        links.show_link(fresh[1], "Send this link to the patient:")


def _details(be: Backend, who: Principal, case: Case) -> None:
    programs = be.programs
    ids = sorted(programs, key=lambda k: programs[k].title)
    given = case.patient or {}
    with st.form("rr_details", border=True):
        st.markdown(
            "**Case details.** The review date counts every window; a given identity is what each "
            "document is matched against (otherwise it is inferred from the documents)."
        )
        name = st.text_input("Case name", value=case.name)
        program = st.selectbox(
            "Program",
            ids,
            index=ids.index(case.program) if case.program in ids else 0,
            format_func=lambda k: programs[k].title,
        )
        as_of = st.date_input(
            "Review date (as of)", value=case.as_of or dt.date.today(), format="YYYY-MM-DD"
        )
        c1, c2, c3 = st.columns(3)
        pname = c1.text_input("Patient name", value=given.get("name", ""))
        dob = c2.text_input("Date of birth (YYYY-MM-DD)", value=str(given.get("dob", "") or ""))
        mrn = c3.text_input("MRN", value=given.get("mrn", ""))
        saved = st.form_submit_button("Save details", type="primary")
    if saved:
        be.update_details(
            who,
            case.id,
            name=name,
            program=program,
            as_of=as_of,
            patient={"name": pname, "dob": dob, "mrn": mrn, "sex": given.get("sex", "")},
        )
        st.toast("Details saved; checklist updated.")
        st.rerun()
    st.subheader("Corrections and waivers")
    rows = be.history(who, case.id)
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption("None yet.")


def _delete(be: Backend, who: Principal, case_id: str) -> None:
    st.warning(
        "Deleting removes the case's files, documents, corrections and results. The audit log keeps "
        "the fact that it existed and who deleted it."
    )
    confirm = st.text_input("Type DELETE to confirm", key="rr_del_confirm")
    if st.button("Delete this case", type="primary", disabled=confirm != "DELETE"):
        be.delete_case(who, case_id)
        st.switch_page(context.page("cases"))
