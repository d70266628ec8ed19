"""Opening the dashboard under Streamlit's AppTest as a reader opening a link would."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

APP = "../dashboard.py"  # relative to the tests folder, where AppTest resolves it


def open_link(page: str | None = None, timeout: float = 90, **query) -> AppTest:
    """A new session opened on a link: the query is set before the first run (a reused AppTest keeps its
    widgets' earlier values), then ``page`` (a script path such as "app_pages/cost.py") is opened."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
