"""Helpers shared by the app tests (a uniquely named module: tests/ has no packages)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

MAIN = str(Path(__file__).resolve().parents[2] / "ui" / "app" / "main.py")
COORD = ("casey", "coordinator pw 1")
ADMIN = ("ada", "administrator pw 1")


def app() -> AppTest:
    return AppTest.from_file(MAIN, default_timeout=60)


def page_app(name: str) -> AppTest:
    """One page script run on its own, without the navigation that would hide it."""
    return AppTest.from_file(str(Path(MAIN).parent / "views" / name), default_timeout=60)


def sign_in(at: AppTest, user: str, password: str) -> AppTest:
    """Open the sign-in page from the patient page's link and submit the form."""
    at.run()
    at.switch_page("views/signin.py")
    at.run()
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()
    return at


def texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown] + [t.value for t in at.title] + [e.value for e in at.error]
    )
    parts += (
        [i.value for i in at.info]
        + [s.value for s in at.header]
        + [s.value for s in at.subheader]
        + [c.value for c in at.caption]
    )
    return "\n".join(str(p) for p in parts)
