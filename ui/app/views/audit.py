"""Admin audit log (a file page, so st.navigation and AppTest.switch_page can both name it)."""

from ui.app import audit_view

audit_view.render()
