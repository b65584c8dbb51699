"""Anonymous case creation is bounded (issue 16 row 15): 20 cases were made in 6.4 s.

Each new browser session (as an attacker opens one per try) counts against the same
client address; staff are not limited; the window moves on.
"""

from __future__ import annotations

from pathlib import Path

from app_helpers import COORD, app, sign_in

from checklists.patient_words import patient_words
from intake.access.rates import PER_ADDRESS, CaseStarts
from intake.store import Store


def _start_with_upload(n: int):  # type: ignore[no-untyped-def]
    at = app()
    at.run()
    at.radio(key="rr_program").set_value("cart-lbcl").run()
    at.button[0].click().run()
    note = f"Visit note {n}\nPatient: Jane Doe\n".encode()
    at.file_uploader[0].set_value([(f"note{n}.txt", note, "text/plain")]).run()
    assert not at.exception, at.exception
    return at


def test_one_address_cannot_start_cases_without_limit(home: Path, accounts) -> None:
    for n in range(PER_ADDRESS):
        assert "case" in _start_with_upload(n).query_params
    refused = _start_with_upload(PER_ADDRESS)
    assert "case" not in refused.query_params
    assert patient_words("en").say("too_many_cases") in [e.value for e in refused.error]
    assert len(Store().cases()) == PER_ADDRESS
    # A coordinator starting a case for a patient is not counted.
    at = sign_in(app(), *COORD)
    next(b for b in at.button if b.label == "Create case").click().run()
    assert len(Store().cases()) == PER_ADDRESS + 1


def test_limits_per_address_overall_and_over_time() -> None:
    now = [0.0]
    starts = CaseStarts(per_address=2, all_anonymous=3, window_s=60, clock=lambda: now[0])
    assert starts.allow("10.0.0.1") and starts.allow("10.0.0.1")
    assert not starts.allow("10.0.0.1")
    assert starts.allow("10.0.0.2")
    assert not starts.allow("10.0.0.3")  # everyone together: changing address is no way round
    now[0] = 61
    assert starts.allow("10.0.0.1")
