"""Signing a staff member in through the real sign-in page, for the browser tests."""

from __future__ import annotations

import time
from typing import Any

COOKIE = "rr_staff"


def sign_in(page: Any, server: str, user: str, password: str) -> None:
    """Sign in and wait until the browser holds the session cookie.

    The case list shows at once; the cookie comes a moment later, when the page's handoff
    has sent the browser through the cookie route and back. A step taken before that
    lands on a page that is about to be replaced, so every test waits for it here.
    """
    from playwright.sync_api import expect

    page.goto(f"{server}/signin")
    page.get_by_role("textbox", name="User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    deadline = time.monotonic() + 30
    while not [c for c in page.context.cookies() if c["name"] == COOKIE]:
        assert time.monotonic() < deadline, "the sign-in never set the session cookie"
        page.wait_for_timeout(200)
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
