"""Coordinator case list (a file page, so st.navigation and AppTest.switch_page can both name it)."""

from ui.app import cases_view

cases_view.render()
