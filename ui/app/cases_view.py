"""Coordinator case list: program, readiness, counts of gaps and problems, last upload."""

from __future__ import annotations

import streamlit as st

from intake.access.auth import Action, Principal
from intake.casework.service import Backend, CaseSummary
from ui.app import context, links, theme

SORTS = {
    "Last upload (newest first)": (lambda s: s.last_upload or s.case.created_at, True),
    "Most missing first": (lambda s: (s.missing, s.stale, s.problems), True),
    "Program": (lambda s: (s.program_title, s.case.name), False),
    "Case name": (lambda s: s.case.name.lower(), False),
}
READINESS = ["All", "Not ready", "Ready", "Reading files", "No files yet"]


def readiness_words(s: CaseSummary) -> str:
    if s.files == 0:
        return "No files yet"
    if s.reading:
        return "Reading files"
    return "Ready" if s.ready else "Not ready"


def render() -> None:
    who = context.guard(context.staff(), Action.LIST_CASES)
    be = context.backend()
    theme.brand("Care team")
    st.title("Cases")
    _new_case(be, who)
    summaries = be.summaries(who)
    if not summaries:
        st.info(
            "No cases yet. Create one above and send the patient their link, or import a folder "
            "with `recordready batch`."
        )
        return

    ready = sum(readiness_words(s) == "Ready" for s in summaries)
    st.markdown(
        theme.summary(
            [
                ("Cases", len(summaries), "advisory"),
                ("Ready", ready, "received"),
                ("Not ready", sum(readiness_words(s) == "Not ready" for s in summaries), "missing"),
                ("Reading", sum(s.reading > 0 for s in summaries), "reading"),
            ]
        ),
        unsafe_allow_html=True,
    )

    c1, c2, c3, c4 = st.columns([2, 1.3, 1.5, 1.7])
    query = (
        c1.text_input("Search patient or case name", placeholder="name contains…").strip().lower()
    )
    status = c2.selectbox("Readiness", READINESS)
    programs = c3.multiselect(
        "Program", sorted({s.program_title for s in summaries}), placeholder="all programs"
    )
    sort = c4.selectbox("Sort by", list(SORTS))

    shown = [
        s
        for s in summaries
        if (not query or query in s.case.name.lower() or query in s.patient.lower())
        and (status == "All" or readiness_words(s) == status)
        and (not programs or s.program_title in programs)
    ]
    key, reverse = SORTS[sort]
    shown.sort(key=key, reverse=reverse)

    rows = [
        {
            "Patient": s.patient or "not known yet",
            "Case": s.case.name,
            "Program": s.program_title
            if len(s.program_title) <= 30
            else s.program_title[:28] + "…",
            "Readiness": readiness_words(s),
            "Missing": s.missing,
            "Too old": s.stale,
            "Problems": s.problems,
            "Files": s.files,
            "Last upload": s.last_upload,
        }
        for s in shown
    ]
    st.caption(f"{len(shown)} of {len(summaries)} cases. Select a row to open the case.")
    event = st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="rr_cases_table",
        column_config={
            "Patient": st.column_config.TextColumn(
                width="medium", help="Given, or read from the patient's documents"
            ),
            "Case": st.column_config.TextColumn(width="medium"),
            "Program": st.column_config.TextColumn(width="medium"),
            "Readiness": st.column_config.TextColumn(width="small"),
            "Missing": st.column_config.NumberColumn(
                width="small", help="Required records not uploaded"
            ),
            "Too old": st.column_config.NumberColumn(
                width="small", help="Required records outside their window"
            ),
            "Problems": st.column_config.NumberColumn(
                width="small", help="Unreadable, duplicate or another patient's files"
            ),
            "Files": st.column_config.NumberColumn(width="small"),
            "Last upload": st.column_config.DatetimeColumn(
                format="YYYY-MM-DD HH:mm", width="small"
            ),
        },
    )
    picked = event.selection.rows if event and event.selection else []
    if picked:
        _open(shown[picked[0]].case.id)
    if shown:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        ids = [s.case.id for s in shown]
        names = {
            s.case.id: " · ".join(x for x in (s.patient, s.case.name, s.program_title) if x)
            for s in shown
        }
        target = c1.selectbox("Open a case", ids, format_func=names.__getitem__, key="rr_open_pick")
        if c2.button("Open case", type="primary", width="stretch", key="rr_open"):
            _open(target)


def _open(case_id: str) -> None:
    st.switch_page(context.page("case"), query_params={"id": case_id})


def _new_case(be: Backend, who: Principal) -> None:
    with st.expander("New case and patient link", icon=":material/add:"):
        programs = be.programs
        ids = sorted(programs, key=lambda k: programs[k].title)
        with st.form("rr_new_case", border=False):
            name = st.text_input("Case name (for your list)", placeholder="e.g. referral 2026-118")
            program = st.selectbox("Program", ids, format_func=lambda k: programs[k].title)
            go = st.form_submit_button("Create case", type="primary")
        if go and program:
            case, token = be.start_case(program, who)
            if name.strip():
                be.rename_case(who, case.id, name)
            st.session_state["rr_fresh_link"] = (case.id, token)
        fresh = st.session_state.get("rr_fresh_link")
        if fresh:
            links.show_link(fresh[1], "Case created. Send the patient this private link:")
