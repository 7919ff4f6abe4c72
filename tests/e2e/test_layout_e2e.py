"""Every page in the three classroom layouts: nothing cut, no sideways scroll, nothing covering content,
no axe-core violation, text contrast and size measured (7:1 and 18 px projector, 4.5:1 and 12 px normal).

Screenshots: artifacts/screenshots/layout-<page>-<layout>.png (look at them).
"""

import pytest

from testkit.browser import no_exceptions
from testkit.layout import (
    LAYOUTS,
    check_layout,
    cut_text,
    layout_shot,
    low_contrast,
    open_in_layout,
    small_text,
)

pytestmark = pytest.mark.e2e

PAGES = {"home": "", "kernels": "kernels", "pooling": "pooling", "transforms": "transforms",
         "digits": "digits", "anatomy": "anatomy"}


def _cases():
    for page_name in PAGES:
        for layout_name in LAYOUTS:
            yield pytest.param(page_name, layout_name, id=f"{page_name}-{layout_name}")


@pytest.mark.parametrize(("page_name", "layout_name"), list(_cases()))
def test_page_layout(page, live_server, page_name, layout_name):
    layout = open_in_layout(page, live_server, PAGES[page_name], layout_name)
    layout_shot(page, page_name, layout_name)
    no_exceptions(page)
    report = check_layout(page, layout)
    assert report.contrast_measured > 0, "no text was measured for contrast"
    assert report.clean(), f"{page_name} at {layout_name}:\n{report.text()}"


# The checks themselves, on hand-made pages with known answers: each must catch its fault and pass the fix.
_FIXTURE = """<html><body style="margin:0;font-family:sans-serif;font-size:20px;background:#fff">
<p id="mono" style="font:18px monospace"><span>import</span> <span>=</span> <span>(</span></p>
<p id="small" style="font-size:17px">seventeen</p>
<div style="transform:scale(0.9);transform-origin:0 0"><p id="scaled" style="font-size:19px">scaled</p></div>
<p id="grey" style="color:#767676;font-size:20px">4.54 to 1</p>
<svg width="200" height="40" viewBox="0 0 100 20"><text id="svg" x="0" y="15" font-size="8">svg</text></svg>
<details><summary>Folded</summary><p style="font-size:9px;color:#ccc">folded, not painted</p></details>
<button id="cut" style="width:40px;font-size:20px;white-space:nowrap;overflow:hidden">Start training</button>
</body></html>"""


def _ids(problems: list[dict]) -> list[str]:
    return sorted(p["element"].split('"')[1] for p in problems)


def test_text_size_check_measures_what_is_drawn(page):
    page.set_content(_FIXTURE)
    # 18 px monospace spans are 18 px (offsetWidth rounds their 64.8 px width to 65: no 17.9 px false alarm);
    # 17 px, 19 px scaled by 0.9 (17.1 px) and 8 SVG units drawn at twice their size (16 px) are under 18 px.
    found = {p["element"].split('"')[1]: p["px"] for p in small_text(page, 18)}
    assert found == {"seventeen": 17.0, "scaled": 17.1, "svg": 16.0}, found
    assert {p["element"].split('"')[1] for p in small_text(page, 16.5)} == {"svg"}


def test_contrast_and_cut_checks_catch_their_faults(page):
    page.set_content(_FIXTURE)
    grey = low_contrast(page, 7.0)
    assert [p["element"].split('"')[1] for p in grey["problems"]] == ["4.54 to 1"] and grey["measured"] >= 5
    assert low_contrast(page, 4.5)["problems"] == []
    assert [c["element"].split('"')[1] for c in cut_text(page)] == ["Start training"]
