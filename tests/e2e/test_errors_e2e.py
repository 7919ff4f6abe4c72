"""A failing script shows students a generic message, while the server log keeps the full traceback."""

import pytest

from testkit.browser import goto
from testkit.server import ROOT, streamlit_server

pytestmark = pytest.mark.e2e


def test_exception_is_generic_in_the_browser_and_full_in_the_server_log(page):
    (ROOT / "artifacts").mkdir(exist_ok=True)  # the server writes its log there
    with streamlit_server(script="tests/e2e/crash_app.py") as (url, _proc):
        goto(page, url)
        page.wait_for_selector('[data-testid="stException"]', timeout=30_000)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        port = url.rsplit(":", 1)[1]
    assert "This app has encountered an error" in shown
    for secret in ("RuntimeError", "/srv/secret", "crash_app.py", "Traceback", str(ROOT)):
        assert secret not in shown, f"the browser shows {secret!r}"
    log = (ROOT / "artifacts" / f"streamlit-{port}.log").read_text()
    assert "Uncaught app execution" in log and "Traceback (most recent call last)" in log
    assert 'crash_app.py", line' in log and "RuntimeError: uncaught failure" in log
    assert "app.crash_probe: handled failure" in log and "KeyError: 'caught-key'" in log
