"""Coordinator case view (a file page, so st.navigation and AppTest.switch_page can both name it)."""

from ui.app import case_view

case_view.render()
