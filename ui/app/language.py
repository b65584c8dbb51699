"""The patient's language: the browser's at first, then what the patient picks in the switch.

The languages offered are the words files under checklists/words/ (a new file is a new
choice, no code). The pick is kept for the browser session and in the address (`?lang=`),
so a reload or a bookmarked private link opens in the same language.
"""

from __future__ import annotations

import streamlit as st

from checklists.patient_words import (
    PatientWords,
    available_languages,
    patient_words,
    preferred_language,
)

LANG_PARAM = "lang"
_KEY = "rr_lang"


def _browser_language() -> str | None:
    try:
        return st.context.headers.get("Accept-Language")
    except (AttributeError, RuntimeError):  # no browser behind this run (a script test)
        return None


def current() -> str:
    """The language the patient pages speak now."""
    have = available_languages()
    chosen = st.session_state.get(_KEY)
    if chosen in have:
        return str(chosen)
    asked = st.query_params.get(LANG_PARAM)
    if asked in have:
        return str(asked)
    return preferred_language(_browser_language(), have)


def words() -> PatientWords:
    return patient_words(current())


def _picked() -> None:
    code = st.session_state.get(f"{_KEY}_switch")
    if code in available_languages():
        st.session_state[_KEY] = code
        st.query_params[LANG_PARAM] = code


def switch() -> None:
    """The language switch at the top of every patient page (each language in its own name)."""
    have = available_languages()
    if len(have) < 2:
        return
    codes = list(have)
    now = current()
    st.session_state[f"{_KEY}_switch"] = now
    st.radio(
        words().say("language"),
        codes,
        format_func=lambda c: have[c],
        horizontal=True,
        key=f"{_KEY}_switch",
        on_change=_picked,
    )
