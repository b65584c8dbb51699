"""Sign-out on a shared PC (issue 16 row 8): the next person on the same tab starts clean.

The previous coordinator's "viewed" set must not stop the next person's views being
audited, and the patient link shown once to the previous person must not be shown again.
"""

from __future__ import annotations

from pathlib import Path

from app_helpers import ADMIN, COORD, app, sign_in

from intake.access.audit import AuditLog
from intake.access.auth import Action
from intake.store.db import session_factory


def _viewers(home: Path, case_id: str) -> list[str]:
    audit = AuditLog(session_factory(f"sqlite:///{home / 'recordready.db'}"))
    return sorted(e.actor for e in audit.entries(case_id=case_id, actions=[Action.VIEWED]))


def test_sign_out_leaves_nothing_for_the_next_person_on_the_tab(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    next(b for b in at.button if b.label == "Create case").click().run()
    shown = [c.value for c in at.code]
    assert len(shown) == 1 and "case=" in shown[0]
    at.button(key="rr_open").click().run()
    at.switch_page("views/case.py").run()
    case_id = str(at.query_params["id"])
    assert not at.exception and _viewers(home, case_id) == [COORD[0]]

    at.switch_page("views/signout.py").run()
    assert "rr_staff" not in at.session_state
    sign_in(at, *ADMIN)
    assert [t.value for t in at.title] == ["Cases"]
    # The link made for the previous person is gone from the Cases page...
    assert not [c.value for c in at.code]
    at.query_params["id"] = case_id
    at.switch_page("views/case.py").run()
    assert not at.exception
    # ...and from the case page, and this person's opening of the case is audited.
    assert not any(shown[0] in str(c.value) for c in at.code)
    assert _viewers(home, case_id) == [ADMIN[0], COORD[0]]
