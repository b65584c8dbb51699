"""Coordinator case list: a page of cases at a time, searched, filtered and ordered by the
store (stored per-case summaries), so 10,000 cases open as fast as 10."""

from __future__ import annotations

import streamlit as st

from intake.access.auth import Action, Principal
from intake.casework.service import Backend
from intake.store import ListedCase
from intake.store.summaries import Sort
from ui.app import context, links, theme

PAGE_SIZE = 50
SORTS: dict[str, Sort] = {
    "Last upload (newest first)": "last_upload",
    "Most missing first": "most_missing",
    "Program": "program",
    "Case name": "name",
}
# Readiness as the list filters it, in the store's states (intake.store.summaries).
READINESS = {
    "All": (),
    "Not ready": ("not_ready",),
    "Ready": ("ready",),
    "Reading files": ("reading",),
    "No files yet": ("no_files",),
}
STATE_WORDS = {
    "no_files": "No files yet",
    "reading": "Reading files",
    "ready": "Ready",
    "not_ready": "Not ready",
}


def readiness_words(row: ListedCase) -> str:
    if row.counts is None:
        return "Being counted"
    return STATE_WORDS[row.counts.state]


def render() -> None:
    who = context.guard(context.staff(), Action.LIST_CASES)
    be = context.backend()
    theme.brand("Care team")
    st.title("Cases")
    _new_case(be, who)

    c1, c2, c3, c4 = st.columns([2, 1.3, 1.5, 1.7])
    query = c1.text_input(
        "Search patient or case name", placeholder="name contains…", key="rr_cases_search"
    ).strip()
    status = c2.selectbox("Readiness", list(READINESS))
    titles = {pid: be.program_title(pid) for pid in be.store.case_programs()}
    programs = c3.multiselect(
        "Program",
        sorted(titles, key=titles.__getitem__),
        format_func=titles.__getitem__,
        placeholder="all programs",
    )
    sort = c4.selectbox("Sort by", list(SORTS))
    # A new search or filter starts again at its first page.
    asked = (query.lower(), status, tuple(programs), sort)
    if st.session_state.get("rr_cases_asked") != asked:
        st.session_state["rr_cases_asked"] = asked
        st.session_state["rr_cases_page"] = 0
    page_no = int(st.session_state.get("rr_cases_page", 0))
    page, totals, updating = be.case_list(
        who,
        query=query,
        states=READINESS[status],
        programs=tuple(programs),
        sort=SORTS[sort],
        offset=page_no * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    if not totals["all"]:
        st.info(
            "No cases yet. Create one above and send the patient their link, or import a folder "
            "with `recordready batch`."
        )
        return
    st.markdown(
        theme.summary(
            [
                ("Cases", totals["all"], "advisory"),
                ("Ready", totals.get("ready", 0), "received"),
                ("Not ready", totals.get("not_ready", 0), "missing"),
                ("Reading", totals.get("reading", 0), "reading"),
            ]
        ),
        unsafe_allow_html=True,
    )
    if updating:
        st.caption(
            "Some cases changed since their counts were made; they are being counted again "
            "and this list shows the new counts when you reload it."
        )
    _table(page.rows)
    _pager(page.total, page_no, len(page.rows))
    if page.rows:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        ids = [r.case.id for r in page.rows]
        names = {r.case.id: _label(be, r) for r in page.rows}
        target = c1.selectbox("Open a case", ids, format_func=names.__getitem__, key="rr_open_pick")
        if c2.button("Open case", type="primary", width="stretch", key="rr_open"):
            _open(target)


def _label(be: Backend, r: ListedCase) -> str:
    patient = r.counts.patient if r.counts else ""
    return " · ".join(x for x in (patient, r.case.name, be.program_title(r.case.program)) if x)


def _table(shown: list[ListedCase]) -> None:
    be = context.backend()
    rows = []
    for r in shown:
        title = be.program_title(r.case.program)
        c = r.counts
        rows.append(
            {
                "Patient": (c.patient if c else "") or "not known yet",
                "Case": r.case.name,
                "Program": title if len(title) <= 30 else title[:28] + "…",
                "Readiness": readiness_words(r),
                "Missing": c.missing if c else None,
                "Too old": c.stale if c else None,
                "Problems": c.problems if c else None,
                "Files": c.files if c else None,
                "Last upload": c.last_upload if c else None,
            }
        )
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
    if picked and picked[0] < len(shown):
        _open(shown[picked[0]].case.id)


def _pager(total: int, page_no: int, shown: int) -> None:
    pages = max(1, -(-total // PAGE_SIZE))
    first = page_no * PAGE_SIZE + 1 if shown else 0
    c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="center")
    c1.caption(
        f"Cases {first}–{page_no * PAGE_SIZE + shown} of {total} (page {page_no + 1} of "
        f"{pages}). Select a row to open the case."
    )
    if c2.button("Previous page", disabled=page_no <= 0, width="stretch", key="rr_cases_prev"):
        st.session_state["rr_cases_page"] = page_no - 1
        st.rerun()
    if c3.button("Next page", disabled=page_no + 1 >= pages, width="stretch", key="rr_cases_next"):
        st.session_state["rr_cases_page"] = page_no + 1
        st.rerun()


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
