"""The patient page: pick a program, upload records, read what is still needed and ask for it.

Reached without an account: either to start a new case, or through the case's
private link (`?case=<token>`), which opens that one case and nothing else.
"""

from __future__ import annotations

import streamlit as st

from checklists.render_letter import letter_html
from checklists.report import Report, Status
from checklists.requests import records_requests
from checklists.wording import patient_acts, team_checks
from intake.access.auth import Action, Principal
from intake.casework import reader as pipeline
from intake.casework.service import Backend, gap_counts
from ui.app import context, links, theme
from ui.app.theme import esc, md
from ui.app.words import file_chip, patient_item_card, problem_card

ACCEPTED = (
    "PDF, scans, phone photos (JPG, PNG, HEIC), faxes (TIFF), Word (.docx), e-mails (.eml), "
    "your patient portal's download (.xml or its .zip), imaging CD files (DICOM) or a .zip of them"
)


def render() -> None:
    theme.brand()
    token = context.link_token()
    who = context.patient()
    if token and who is None:
        context.services().audit.record("unknown-link", Action.LINK_REFUSED, role="anonymous")
        st.title("This link does not work any more")
        st.error(
            "The link may have expired or been withdrawn. Please ask your care team for a new link. "
            "Your records are safe: nothing was lost."
        )
        _staff_link()
        st.stop()
    if who is None:
        _start()
    else:
        _case(context.guard(who, Action.VIEWED, who.case_id))
    _staff_link()


def _staff_link() -> None:
    if context.staff() is None:
        st.divider()
        st.page_link(context.page("signin"), label="Care team? Sign in", icon=":material/login:")


def _start() -> None:
    be = context.backend()
    st.title("Get your records ready")
    st.markdown(
        '<p class="rr-lede">Before a cell or gene therapy review, the treatment team needs a set of '
        "medical records. Upload what you have: we check it and tell you, in plain words, "
        "what is still missing and who to ask for it.</p>",
        unsafe_allow_html=True,
    )
    programs = be.programs
    if not programs:
        st.error("No treatment programs are set up yet. Please contact your care team.")
        return
    ids = sorted(programs, key=lambda k: programs[k].title)
    choice = st.radio(
        "Which treatment are you being considered for?",
        ids,
        format_func=lambda k: programs[k].title,
        captions=[programs[k].description.strip() for k in ids],
        key="rr_program",
    )
    st.caption(
        "Not sure? Your referral letter or your care team can tell you. It can be changed later."
    )
    if st.button("Start my checklist", type="primary", icon=":material/arrow_forward:"):
        case, token = be.start_case(choice, context.staff())
        st.session_state["rr_new_link"] = case.id
        st.query_params[context.CASE_PARAM] = token
        st.rerun()


def _share_box(token: str) -> None:
    link = links.patient_link(token)
    with st.container(border=True):
        st.markdown(
            "**Your private link.** Bookmark this page or save the link below: it is how you "
            "come back to add records. Anyone with the link can see this checklist, so share it "
            "only with people helping you."
        )
        st.code(link, language=None, wrap_lines=True)


def _case(who: Principal) -> None:
    be = context.backend()
    case_id = who.case_id or ""
    case = be.case(who, case_id)
    if case is None:
        st.error("This case no longer exists. Please ask your care team for help.")
        st.stop()
    seen = st.session_state.setdefault("rr_seen_cases", set())
    if case_id not in seen:  # one "viewed" entry per visit, not one per rerun
        seen.add(case_id)
        be.audit.record(who, Action.VIEWED, case_id=case_id)
    title = be.program_title(case.program)
    st.title("Your records checklist")
    st.markdown(f'<p class="rr-lede">For: <b>{esc(title)}</b></p>', unsafe_allow_html=True)
    if st.session_state.get("rr_new_link") == case_id:
        _share_box(context.link_token() or "")

    pipeline.reader()  # warm the readers while the patient picks files
    _uploader(be, who, case_id)
    reading = be.reading(case_id)
    st.fragment(run_every=1.5 if reading else None)(_progress)(who, case_id, reading)
    if not be.files(who, case_id):
        st.info("Upload your first records above to see what is still needed.")
        return
    report = be.report(who, case_id)
    if report is None:
        st.info("Your care team has not chosen a program for this case yet.")
        return
    _checklist(be, who, report, reading)


def _uploader(be: Backend, who: Principal, case_id: str) -> None:
    st.subheader("Add records")
    n = st.session_state.get("rr_upload_round", 0)
    files = st.file_uploader(
        "Drag and drop files here, or browse",
        accept_multiple_files=True,
        key=f"rr_upload_{n}",
        help=f"Accepted: {ACCEPTED}. You can add more at any time.",
    )
    st.caption(f"Accepted: {ACCEPTED}.")
    if files:
        for f in files:
            be.upload(who, case_id, f.name, f.getvalue())
        # A fresh uploader, so the same files are not sent again on the next rerun.
        st.session_state["rr_upload_round"] = n + 1
        st.rerun()


def _progress(who: Principal, case_id: str, was_reading: bool) -> None:
    be = context.backend()
    files = be.files(who, case_id)
    if not files:
        return
    reading = any(f.status.value in ("queued", "processing") for f in files)
    if was_reading and not reading:
        # Reading finished while this fragment was polling: redraw the whole checklist.
        st.rerun(scope="app")
    with st.expander(f"Your files ({len(files)})", expanded=reading):
        rows = []
        for f in files:
            pages = (
                f" · page {f.pages_done} of {f.pages_total}"
                if f.pages_total and f.status.value == "processing"
                else ""
            )
            rows.append(
                f'<div class="rr-file"><span class="name">{esc(f.name)}'
                f'<span style="color:#52606d">{esc(pages)}</span></span>{file_chip(f.status.value)}</div>'
            )
        st.markdown("".join(rows), unsafe_allow_html=True)
        for f in files:
            if f.status.value == "processing" and f.pages_total:
                st.progress(min(1.0, f.pages_done / f.pages_total), text=f"Reading {md(f.name)}")
    if reading:
        st.caption("Reading your files. This page updates by itself; you can leave it open.")


def _checklist(be: Backend, who: Principal, report: Report, reading: bool) -> None:
    case_id = who.case_id or ""
    counts = gap_counts(report)
    # What the patient can act on (missing, too old, unreadable) and what the care team checks.
    todo = [i for i in report.items if patient_acts(i)]
    todo.sort(key=lambda i: (not i.required, i.status is not Status.MISSING))
    review = [i for i in report.items if team_checks(i)]
    if reading:
        st.markdown(
            theme.banner("reading", "Still reading some files: the checklist below will update."),
            unsafe_allow_html=True,
        )
    elif report.ready:
        st.markdown(
            theme.banner(
                "ready", "<b>Your records look complete.</b> Your care team will now review them."
            ),
            unsafe_allow_html=True,
        )
    else:
        n = sum(i.required for i in todo)
        st.markdown(
            theme.banner(
                "not_ready",
                f"<b>{n} record{'s' if n != 1 else ''} still needed</b> before your review. "
                "See below for what to ask for and who usually has it.",
            ),
            unsafe_allow_html=True,
        )
    st.markdown(
        theme.summary(
            [
                ("Received", counts["met"], "received"),
                ("Missing", counts["missing"], "missing"),
                ("Too old", counts["stale"], "stale"),
                ("File problems", counts["problems"], "unreadable"),
            ]
        ),
        unsafe_allow_html=True,
    )

    if todo:
        st.subheader("Still needed")
        st.markdown("".join(patient_item_card(i) for i in todo), unsafe_allow_html=True)
        _requests(who, report)

    if review:
        st.subheader("Your care team will check")
        st.markdown("".join(patient_item_card(i) for i in review), unsafe_allow_html=True)

    if report.problems:
        st.subheader("Files we could not use")
        st.markdown("".join(problem_card(p) for p in report.problems), unsafe_allow_html=True)

    done = [i for i in report.items if i.status in (Status.MET, Status.WAIVED)]
    if done:
        st.subheader("Received")
        st.markdown("".join(patient_item_card(i) for i in done), unsafe_allow_html=True)

    data, name, mime, _ = be.export(who, case_id, "html", patient_view=True)
    st.download_button(
        "Download this checklist (to print or share)",
        data,
        file_name=name,
        mime=mime,
        icon=":material/download:",
        on_click=be.note_download,
        args=(who, case_id, "report.html (patient view)"),
    )


def _requests(who: Principal, report: Report) -> None:
    case_id = who.case_id or ""
    letters = records_requests(report)
    if not letters:
        return
    st.subheader("Ready-to-send requests")
    st.caption("Print these or copy them into an e-mail to the place that holds the record.")
    for i, letter in enumerate(letters):
        to = letter.institution or "the hospital, clinic or lab that did the test"
        with st.expander(f"Request: {md(letter.record)} — to {md(to)}", icon=":material/mail:"):
            st.markdown(f'<div class="rr-letter">{esc(letter.text)}</div>', unsafe_allow_html=True)
            st.download_button(
                "Download to print",
                letter_html(letter).encode("utf-8"),
                file_name=f"records-request-{i + 1}.html",
                mime="text/html",
                key=f"rr_req_{i}",
                icon=":material/print:",
                on_click=context.backend().note_download,
                args=(who, case_id, f"records request: {letter.requirement_id}"),
            )
