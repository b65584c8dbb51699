"""The patient page: pick a program, upload records, read what is still needed and ask for it.

Reached without an account: either to start a new case, or through the case's
private link (`?case=<token>`), which opens that one case and nothing else.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from checklists.patient_words import PatientWords
from checklists.render_letter import letter_file_name, letter_html
from checklists.report import ProblemKind, Report, Status
from checklists.requests import RecordsRequest, records_requests
from checklists.wording import patient_acts, team_checks
from extractors.names import clean_name
from intake.access.auth import Action, Principal
from intake.casework import reader as pipeline
from intake.casework.counts import gap_counts
from intake.casework.service import Backend
from ui.app import context, language, links, theme
from ui.app.theme import esc, md
from ui.app.words import file_chip, patient_item_card, problem_card


def render() -> None:
    w = language.words()
    theme.brand(language=w.language)
    language.switch()
    token = context.link_token()
    who = context.patient()
    if token and who is None:
        context.services().audit.record("unknown-link", Action.LINK_REFUSED, role="anonymous")
        st.title(w.say("link_dead_title"))
        st.error(w.say("link_dead_text"))
        _staff_link(w)
        st.stop()
    if who is None:
        if st.session_state.get(_PROGRAM_KEY) in context.backend().programs:
            _first_upload(w)
        else:
            _start(w)
    else:
        _case(context.guard(who, Action.VIEWED, who.case_id), w)
    _staff_link(w)


# The program picked on the start page. No case exists until the first file arrives, so
# a "Start" that uploads nothing leaves nothing behind.
_PROGRAM_KEY = "rr_start_program"


def _staff_link(w: PatientWords) -> None:
    if context.staff() is None:
        st.divider()
        st.page_link(context.page("signin"), label=w.say("staff_link"), icon=":material/login:")


def _start(w: PatientWords) -> None:
    be = context.backend()
    st.title(w.say("start_title"))
    st.markdown(f'<p class="rr-lede">{esc(w.say("start_lede"))}</p>', unsafe_allow_html=True)
    programs = be.programs
    if not programs:
        st.error(w.say("no_programs"))
        return
    ids = sorted(programs, key=lambda k: programs[k].title)
    # Nothing is chosen for the patient: a wrong program would check the wrong list. Titles
    # only, and the chosen one's description under them, so on a phone the Start button is
    # a short scroll away rather than two screens of descriptions down.
    choice = st.radio(
        w.say("which_program"),
        ids,
        index=None,
        format_func=lambda k: w.program_text(programs[k].title),
        key="rr_program",
    )
    if choice is not None:
        st.caption(w.program_text(programs[choice].description.strip()))
    st.caption(w.say("not_sure"))
    if st.button(
        w.say("start_button"),
        type="primary",
        icon=":material/arrow_forward:",
        disabled=choice is None,
    ):
        st.session_state[_PROGRAM_KEY] = choice
        st.rerun()


def _first_upload(w: PatientWords) -> None:
    """The checklist page before the case exists: the case is made with the first upload."""
    be = context.backend()
    program = st.session_state[_PROGRAM_KEY]
    st.title(w.say("checklist_title"))
    title = w.program_text(be.program_title(program))
    st.markdown(
        f'<p class="rr-lede">{esc(w.say("for_program"))} <b>{esc(title)}</b></p>',
        unsafe_allow_html=True,
    )
    if st.button(w.say("change_program"), icon=":material/swap_horiz:"):
        st.session_state.pop(_PROGRAM_KEY, None)
        st.rerun()
    pipeline.reader()  # warm the readers while the patient picks files
    st.header(w.say("add_records"))
    files = _picked(w)
    if files and not context.may_start_case(context.staff()):
        st.error(w.say("too_many_cases"))
        return
    if files:
        case, token = be.start_case(program, context.staff())
        st.query_params[context.CASE_PARAM] = token
        # The new link opens the case, exactly as it will when the patient comes back.
        who = context.guard(context.patient(), Action.UPLOADED, case.id)
        for f in files:
            be.upload(who, case.id, f.name, f.getvalue())
        st.session_state.pop(_PROGRAM_KEY, None)
        st.session_state["rr_new_link"] = case.id
        st.session_state["rr_upload_round"] = st.session_state.get("rr_upload_round", 0) + 1
        st.rerun()
    st.info(w.say("upload_first"))


def _share_box(token: str, w: PatientWords) -> None:
    link = links.patient_link(token)
    with st.container(border=True):
        st.markdown(w.say("private_link"))
        st.code(link, language=None, wrap_lines=True)


def _case(who: Principal, w: PatientWords) -> None:
    be = context.backend()
    case_id = who.case_id or ""
    case = be.case(who, case_id)
    if case is None:
        st.error(w.say("case_gone"))
        st.stop()
    seen = st.session_state.setdefault("rr_seen_cases", set())
    if case_id not in seen:  # one "viewed" entry per visit, not one per rerun
        seen.add(case_id)
        be.audit.record(who, Action.VIEWED, case_id=case_id)
    title = w.program_text(be.program_title(case.program))
    st.title(w.say("checklist_title"))
    st.markdown(
        f'<p class="rr-lede">{esc(w.say("for_program"))} <b>{esc(title)}</b></p>',
        unsafe_allow_html=True,
    )
    if st.session_state.get("rr_new_link") == case_id:
        _share_box(context.link_token() or "", w)

    pipeline.reader()  # warm the readers while the patient picks files
    _uploader(be, who, case_id, w)
    reading = be.reading(case_id)
    report = be.report(who, case_id) if be.files(who, case_id) else None
    # A file the checklist could not use is not "Read" in the list of files either.
    unusable = {p.file for p in report.problems if p.kind in _UNUSABLE} if report else set()
    st.fragment(run_every=1.5 if reading else None)(_progress)(
        who, case_id, reading, w, frozenset(unusable)
    )
    if not be.files(who, case_id):
        st.info(w.say("upload_first"))
        return
    if report is None:
        st.info(w.say("no_program_yet"))
        return
    _checklist(be, who, report, reading, w)


def _picked(w: PatientWords) -> list[UploadedFile]:
    n = st.session_state.get("rr_upload_round", 0)
    files = st.file_uploader(
        w.say("uploader"),
        accept_multiple_files=True,
        key=f"rr_upload_{n}",
        help=f"{w.say('accepted')} {w.say('accepted_more')}",
    )
    st.caption(w.say("accepted"))
    return list(files or [])


def _uploader(be: Backend, who: Principal, case_id: str, w: PatientWords) -> None:
    st.header(w.say("add_records"))
    removed = st.session_state.pop("rr_removed", None)
    if removed:
        st.success(w.say("removed_note", file=md(removed)), icon=":material/delete:")
    for name in st.session_state.pop("rr_again", []):
        st.info(w.say("already_sent", file=md(name)), icon=":material/content_copy:")
    files = _picked(w)
    if files:
        have = {(f.name, f.sha256) for f in be.files(who, case_id)}
        again = []
        for f in files:
            data = f.getvalue()
            if (clean_name(f.name), hashlib.sha256(data).hexdigest()) in have:
                # The same file again: said so, rather than vanishing into the one we have.
                again.append(f.name)
            be.upload(who, case_id, f.name, data)
        st.session_state["rr_again"] = again
        # A fresh uploader, so the same files are not sent again on the next rerun.
        st.session_state["rr_upload_round"] = st.session_state.get("rr_upload_round", 0) + 1
        st.rerun()


def _progress(
    who: Principal, case_id: str, was_reading: bool, w: PatientWords, unusable: frozenset[str]
) -> None:
    be = context.backend()
    files = be.files(who, case_id)
    if not files:
        return
    reading = any(f.status.value in ("queued", "processing") for f in files)
    if was_reading and not reading:
        # Reading finished while this fragment was polling: redraw the whole checklist.
        st.rerun(scope="app")
    with st.expander(w.say("your_files", n=len(files)), expanded=reading):
        for f in files:
            pages = (
                " · " + w.say("page_of", done=f.pages_done, total=f.pages_total)
                if f.pages_total and f.status.value == "processing"
                else ""
            )
            row, act = st.columns([5, 1], vertical_alignment="center")
            row.markdown(
                f'<div class="rr-file"><span class="name">{esc(f.name)}'
                f'<span class="rr-muted">{esc(pages)}</span></span>'
                f"{file_chip('error' if f.name in unusable else f.status.value, w)}</div>",
                unsafe_allow_html=True,
            )
            # A file sent by mistake leaves the checklist; the care team can still put it back.
            if act.button(
                w.say("remove_file"),
                key=f"rr_rm_{f.id}",
                icon=":material/delete:",
                help=w.say("remove_help", file=md(f.name)),
            ):
                be.set_removed(who, case_id, f.id, True)
                st.session_state["rr_removed"] = f.name
                st.rerun(scope="app")
        for f in files:
            if f.status.value == "processing" and f.pages_total:
                st.progress(
                    min(1.0, f.pages_done / f.pages_total),
                    text=w.say("reading_file", file=md(f.name)),
                )
    if reading:
        st.caption(w.say("reading_caption"))


# Problems that mean a file gave the checklist nothing (a duplicate or another person's
# file was read; a study's missing report is about another record).
_UNUSABLE = {
    ProblemKind.UNREADABLE,
    ProblemKind.ENCRYPTED,
    ProblemKind.CORRUPT,
    ProblemKind.EMPTY,
    ProblemKind.UNSUPPORTED,
    ProblemKind.TOO_LARGE,
}


def _checklist(be: Backend, who: Principal, report: Report, reading: bool, w: PatientWords) -> None:
    case_id = who.case_id or ""
    counts = gap_counts(report)
    # What the patient can act on (missing, too old, unreadable) and what the care team checks.
    todo = [i for i in report.items if patient_acts(i)]
    todo.sort(key=lambda i: (not i.required, i.status is not Status.MISSING))
    review = [i for i in report.items if team_checks(i)]
    if reading:
        st.markdown(theme.banner("reading", esc(w.say("banner_reading"))), unsafe_allow_html=True)
    elif report.ready:
        text = f"<b>{esc(w.say('banner_ready'))}</b> {esc(w.say('banner_ready_rest'))}"
        st.markdown(theme.banner("ready", text), unsafe_allow_html=True)
    else:
        n = sum(i.required for i in todo)
        needed = w.say("banner_needed_one") if n == 1 else w.say("banner_needed_many", n=n)
        text = f"<b>{esc(needed)}</b> {esc(w.say('banner_needed_rest'))}"
        st.markdown(theme.banner("not_ready", text), unsafe_allow_html=True)
    st.markdown(
        theme.summary(
            [
                (w.say("tile_received"), counts["met"], "received"),
                (w.say("tile_missing"), counts["missing"], "missing"),
                (w.say("tile_stale"), counts["stale"], "stale"),
                *(
                    [(w.say("tile_incomplete"), counts["incomplete"], "stale")]
                    * bool(counts["incomplete"])
                ),
                (w.say("tile_problems"), counts["problems"], "unreadable"),
            ]
        ),
        unsafe_allow_html=True,
    )

    if todo:
        st.header(w.say("still_needed"))
        st.markdown("".join(patient_item_card(i, w) for i in todo), unsafe_allow_html=True)
        _requests(who, report, w)

    if review:
        st.header(w.say("team_will_check"))
        st.markdown("".join(patient_item_card(i, w) for i in review), unsafe_allow_html=True)

    if report.problems:
        st.header(w.say("could_not_use"))
        st.markdown("".join(problem_card(p, w) for p in report.problems), unsafe_allow_html=True)

    done = [
        i for i in report.items if i.status in (Status.MET, Status.WAIVED) and not team_checks(i)
    ]
    if done:
        st.header(w.say("received"))
        st.markdown("".join(patient_item_card(i, w) for i in done), unsafe_allow_html=True)

    _, name, mime, _ = be.export(who, case_id, "html", patient_view=True, language=w.language)

    def checklist() -> bytes:  # made when clicked: not left at a /media URL (no link needed)
        data = be.export(who, case_id, "html", patient_view=True, language=w.language)[0]
        be.note_download(who, case_id, "report.html (patient view)")
        return data

    st.download_button(
        w.say("download_checklist"),
        checklist,
        file_name=name,
        mime=mime,
        icon=":material/download:",
        on_click="ignore",
    )


def _requests(who: Principal, report: Report, w: PatientWords) -> None:
    case_id = who.case_id or ""
    letters = records_requests(report, w.language)
    if not letters:
        return
    st.header(w.say("requests_title"))
    st.caption(w.say("requests_caption"))
    for i, letter in enumerate(letters):
        to = letter.institution or w.say("unknown_holder")
        record = letter.record
        if letter.study is None:  # the record's name in the patient's words, not the office's
            record = w.program_text(report.item(letter.requirement_id).title)
        label = w.say("request_to", record=md(record), to=md(to))
        with st.expander(label, icon=":material/mail:"):
            _letter_with_copy(i, letter.text, letter.language, w)
            st.download_button(
                w.say("download_letter"),
                _letter_on_click(who, case_id, letter),
                file_name=letter_file_name(letter, i),
                mime="text/html",
                key=f"rr_req_{i}",
                icon=":material/print:",
                on_click="ignore",
            )


def _letter_on_click(who: Principal, case_id: str, letter: RecordsRequest) -> Callable[[], bytes]:
    def make() -> bytes:
        context.backend().note_download(who, case_id, f"records request: {letter.requirement_id}")
        return letter_html(letter).encode("utf-8")

    return make


# Copies the letter's own text (the clipboard API needs https or localhost; elsewhere the
# older select-and-copy does it). Bound once per button, whatever the reruns.
_COPY_SCRIPT = """<script>
document.querySelectorAll('button.rr-copy:not([data-bound])').forEach(function (b) {
  b.setAttribute('data-bound', '1');
  b.addEventListener('click', function () {
    var text = document.getElementById(b.dataset.target).innerText;
    var done = function () { b.textContent = b.dataset.done; };
    var old = function () {
      var area = document.createElement('textarea');
      area.value = text; document.body.appendChild(area); area.select();
      document.execCommand('copy'); area.remove(); done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, old);
    } else { old(); }
  });
});
</script>"""


def _letter_with_copy(i: int, text: str, lang: str, w: PatientWords) -> None:
    # st.html, not st.markdown: the button needs its script. Every value is escaped here.
    st.html(
        f'<div class="rr-letter" id="rr-letter-{i}" lang="{html.escape(lang)}">'
        f"{html.escape(text)}</div>"
        f'<button type="button" class="rr-copy" data-target="rr-letter-{i}" '
        f'data-done="{html.escape(w.say("copied_letter"))}">'
        f"{html.escape(w.say('copy_letter'))}</button>{_COPY_SCRIPT}",
        unsafe_allow_javascript=True,
    )
