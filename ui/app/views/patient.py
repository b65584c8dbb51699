"""The patient page (a file page, so st.navigation and AppTest.switch_page can both name it)."""

from ui.app import patient_view

patient_view.render()
