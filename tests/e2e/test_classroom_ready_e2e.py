"""Classroom readiness on every page, in a real browser: projector mode starts with the sidebar closed and no
explanation folded away, buttons are named in words, positions shown to students count from 1, no timing
lines unless the server runs with CONVLAB_TIMING=1; and Kernels keeps every setting through a real (fake
device) webcam picture."""

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from testkit.browser import no_exceptions, shot, wait_idle
from testkit.layout import open_in_layout
from testkit.server import CHROMIUM, CHROMIUM_ARGS, ROOT, streamlit_server
from tests.e2e.test_kernels_e2e import SETTINGS_QUERY, _settings, _source, open_kernels

pytestmark = pytest.mark.e2e

PAGES = {"home": "", "kernels": "kernels", "pooling": "pooling", "transforms": "transforms",
         "digits": "digits", "anatomy": "anatomy"}
TIMING = re.compile(r"Server work|\b\d+(\.\d+)? ms\b")
ZERO_POSITION = re.compile(r"(?i)\b(row|column|cell|step|map|layer|iteration|epoch) 0\b")
POSITION_LABEL = re.compile(r"(?i)\b(row|column|cell|step|map)\b")


def _material_icon_names() -> set[str]:
    """Every Material icon the app uses (":material/name:"): a button announced by its icon would say these."""
    names = set()
    for path in [*Path(ROOT, "app").rglob("*.py"), *Path(ROOT, "components").rglob("*.py")]:
        names |= set(re.findall(r":material/([a-z0-9_]+):", path.read_text()))
    return names


def _said_as_icon(name: str, icons: set[str]) -> bool:
    """True when an accessible name reads out an icon's ligature ("play_arrow Play", "stop icon stop")."""
    return any(t in icons and ("_" in t or name == t or name.startswith(t + " ") or f"{t} icon" in name)
               for t in re.findall(r"\b[a-z0-9_]+\b", name))


_CONTROLS_JS = r"""() => { const out = []; const walk = (root) => { for (const e of root.querySelectorAll('*')) {
  const slider = e.getAttribute('role') === 'slider' || (e.tagName === 'INPUT' && ['range', 'number'].includes(e.type));
  if (slider) out.push({label: e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || (e.closest('[data-testid=stNumberInput], [data-testid=stSlider]') || e).innerText.split('\n')[0] || '',
    min: Number(e.getAttribute('aria-valuemin') ?? e.min)});
  if (e.shadowRoot) walk(e.shadowRoot); } }; walk(document); return out; }"""

# A closed <details> holding only text is an explanation folded away; one holding a form control is a tool.
_FOLDED_JS = r"""() => [...document.querySelectorAll('[data-testid=stMain] details:not([open])')]
  .filter((d) => !d.querySelector('input, textarea, select, button:not(summary button)'))
  .map((d) => d.querySelector('summary').innerText)"""


@pytest.mark.parametrize("page_name", list(PAGES))
def test_projector_mode_is_ready_for_the_back_row(page, live_server, page_name):
    open_in_layout(page, live_server, PAGES[page_name], "1024-projector")
    no_exceptions(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true", "projector mode starts with the sidebar closed"
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, box
    assert page.evaluate(_FOLDED_JS) == []  # explanations shown, not folded

    text = page.locator('[data-testid="stMain"]').inner_text()
    assert not TIMING.search(text), TIMING.search(text).group(0)
    assert not ZERO_POSITION.search(text), ZERO_POSITION.search(text).group(0)
    positions = [c for c in page.evaluate(_CONTROLS_JS) if POSITION_LABEL.search(c["label"])]
    assert all(c["min"] >= 1 for c in positions), positions  # rows, columns, steps, cells, maps count from 1

    snapshot = page.locator("body").aria_snapshot()
    named = re.findall(r'- (?:button|link|tab|switch|radio|checkbox|menuitem) "([^"]*)"', snapshot)
    icons = _material_icon_names()
    assert _said_as_icon("play_arrow Play", icons) and _said_as_icon("stop icon stop", icons)  # the rule bites
    assert [n for n in named if _said_as_icon(n, icons)] == []  # was "arrow_upward icon arrow_upward"
    unnamed = page.locator('[data-testid="stMain"] button:visible').evaluate_all(
        "(bs) => bs.filter((b) => !(b.getAttribute('aria-label') || b.innerText || b.title || '').trim())"
        ".map((b) => b.outerHTML.slice(0, 120))")
    assert unnamed == []


def test_timing_lines_need_the_flag(page):
    """The check above can see a timing line: with CONVLAB_TIMING=1 Transforms shows its server time."""
    with streamlit_server(extra_env={"CONVLAB_TIMING": "1"}) as (url, _proc):
        open_in_layout(page, url, "transforms", "1366-normal")
        text = page.locator('[data-testid="stMain"]').inner_text()
    assert TIMING.search(text) and "Server work for this update" in text


@pytest.fixture
def camera_page(browser, live_server):
    """A page in a second chromium (same Playwright) with a fake camera showing a test pattern, no prompt."""
    b = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    context = b.new_context(viewport={"width": 1366, "height": 900})
    context.grant_permissions(["camera"], origin=live_server)
    try:
        yield context.new_page()
    finally:
        b.close()


def test_kernels_settings_survive_upload_webcam_picture_and_back(camera_page, live_server, tmp_path):
    """Sample -> Upload (a file) -> Webcam (a picture taken) -> Sample: every setting unchanged at each stop."""
    page = camera_page
    open_kernels(page, live_server, SETTINGS_QUERY)
    before = _settings(page)
    assert before["preset"].startswith("gaussian") and before["size"] == "7×7" and before["stride"] == "2"

    def same_settings():
        now = _settings(page)
        assert {k: v for k, v in now.items() if k != "sample"} == {k: v for k, v in before.items() if k != "sample"}

    _source(page, "Upload")
    png = tmp_path / "ramp.png"
    Image.fromarray((np.arange(48 * 64).reshape(48, 64) % 251).astype(np.uint8)).save(png)
    page.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(str(png))
    page.wait_for_selector("text=Input (48×64)")
    wait_idle(page)
    same_settings()
    _source(page, "Webcam")
    same_settings()
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stCameraInput] video')]"
                           ".some((v) => v.readyState >= 2 && v.videoWidth > 0)", timeout=30_000)  # streaming
    page.locator('[data-testid="stCameraInput"] button', has_text="Take Photo").click()
    page.get_by_text(re.compile(r"^Input \((?!48×64)\d+×\d+\)")).first.wait_for(timeout=30_000)  # the picture
    wait_idle(page)
    same_settings()
    shot(page, "kernels_webcam_picture")
    _source(page, "Sample")
    page.wait_for_selector("text=Pixel inspector")
    assert _settings(page) == before  # the sample (coffee) too
    no_exceptions(page)
