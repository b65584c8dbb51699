"""Sign out (a file page, so st.navigation and AppTest.switch_page can both name it)."""

from ui.app import signin_view

signin_view.render_sign_out()
