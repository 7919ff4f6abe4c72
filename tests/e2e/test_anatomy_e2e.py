"""Anatomy & training in headless chromium: edit the stack, see shapes and flags, train, stop, hand off."""

import time

import pytest

from testkit.browser import goto, no_exceptions, shot, wait_idle

pytestmark = pytest.mark.e2e

TALL = {"width": 1440, "height": 3600}


@pytest.fixture(autouse=True, scope="module")
def _warm_server(live_server, browser):
    """One visit to Home first: a fresh server's very first script run does not route to a page path."""
    context = browser.new_context()
    try:
        goto(context.new_page(), live_server, "")
    finally:
        context.close()
TABLE = '[data-testid="anatomy-shapes"]'


def table_text(page) -> str:
    return page.locator(TABLE).first.inner_text()


def total_params(page) -> str:
    row = page.locator(f"{TABLE} tr", has_text="total").first
    return row.locator("td").nth(3).inner_text().strip()


def pick(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def edit_first_row(page, column: str, value: str) -> None:
    """Click row 1's cell in `column` of the layer editor, type a value and commit it with Enter."""
    cell = page.locator(f'input[data-row="0"][data-col="{column}"]')
    cell.scroll_into_view_if_needed()
    cell.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(value, delay=30)
    page.keyboard.press("Enter")
    wait_idle(page)


def code_has(page, text: str) -> None:
    page.wait_for_function("t => [...document.querySelectorAll('[data-testid=\"stCode\"]')]"
                           ".some(c => c.innerText.includes(t))", arg=text, timeout=10_000)


def start_training(page, epochs: str, batch: str) -> None:
    epochs_box = page.get_by_label("Epochs")
    epochs_box.fill(epochs)
    epochs_box.press("Enter")
    wait_idle(page)
    pick(page, "Batch size", batch)
    page.get_by_role("button", name="Start training").click()
    page.locator('[data-testid="stProgress"]').wait_for(timeout=60_000)


def test_edit_stack_shapes_flags_and_presets(page, live_server):
    page.set_viewport_size(TALL)
    goto(page, live_server, "anatomy")
    no_exceptions(page)
    assert total_params(page) == "27,480"
    assert "10 × 13 × 13" in table_text(page)
    edit_first_row(page, "k", "5")  # conv1 k: 3 -> 5
    page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('10 × 24 × 24')")
    code_has(page, "nn.Conv2d(1, 10, kernel_size=5")  # the chart and the code follow the table
    assert "1·conv: 10 feature maps, 24x24 pixels" in page.locator('svg[data-testid="anatomy-depth"]').inner_html()
    edit_first_row(page, "k", "29")  # too big for a 28x28 input
    page.get_by_text("The 29x29 window does not fit").first.wait_for()
    assert "Row 1: The 29x29 window" in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "waiting for row 1" in table_text(page)
    shot(page, "anatomy_invalid_row")
    page.get_by_role("button", name="Reset to preset").click()
    wait_idle(page)
    page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('27,480')")
    assert page.locator('input[data-row="0"][data-col="k"]').input_value() == "3"
    code_has(page, "nn.Conv2d(1, 10, kernel_size=3")
    edit_first_row(page, "padding", "-4")  # a negative number is shown and used as 0
    assert page.locator('input[data-row="0"][data-col="padding"]').input_value() == "0"
    edit_first_row(page, "padding", "1")
    page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('10 × 28 × 28')")
    page.locator(".ae-add").click()  # + Add layer: a ReLU at the end
    page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('11\\tReLU')")
    page.get_by_role("button", name="Delete row 7").click()  # Flatten
    page.get_by_text("Add a Flatten layer before it").first.wait_for()
    page.get_by_role("button", name="Reset to preset").click()
    wait_idle(page)
    page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('27,480')")
    pick(page, "Start from", "LeNet-5 (LeCun 1998, ReLU version)")
    assert total_params(page) == "61,706"
    page.get_by_text("64x64x3 (small colour photo)").click()
    wait_idle(page)
    assert total_params(page) == "390,326" and "6 × 64 × 64" in table_text(page)
    page.get_by_text("Check the code with torchinfo").click()
    page.get_by_text("torchinfo agrees with the table: 390,326 parameters").wait_for()
    no_exceptions(page)
    shot(page, "anatomy_normal")
    assert page.console_errors == [] or all("404" in e for e in page.console_errors), page.console_errors


def test_projector_explorer_and_training(page, live_server):
    page.set_viewport_size(TALL)
    goto(page, live_server, "anatomy", query="projector=1")
    no_exceptions(page)
    assert total_params(page) == "27,480"
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert page.locator(f"{TABLE} td").first.evaluate(size) >= 22  # 14.4 px without the projector
    assert page.locator('input[data-row="0"][data-col="k"]').evaluate(size) >= 22
    page.locator(TABLE).scroll_into_view_if_needed()
    shot(page, "anatomy_projector_table")
    start_training(page, "1", "256")
    page.wait_for_function("() => document.body.innerText.includes('Samples seen')")
    page.wait_for_timeout(1500)
    shot(page, "anatomy_projector_training")
    page.get_by_text("Finished after 40 iterations").wait_for(timeout=180_000)
    wait_idle(page)
    shot(page, "anatomy_projector_done")
    no_exceptions(page)


def test_train_send_to_digits_this_session_only(page, live_server, browser):
    page.set_viewport_size(TALL)
    goto(page, live_server, "anatomy")
    start_training(page, "1", "128")
    page.get_by_text("Finished after 79 iterations").wait_for(timeout=180_000)
    wait_idle(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2  # curves, kernels
    assert page.locator('svg[data-testid="anatomy-depth"] circle').count() == 5  # depth chart: input + 4 levels
    assert "79 / 79" in page.locator('[data-testid="stMetric"]').nth(1).inner_text()
    shot(page, "anatomy_trained")
    page.get_by_role("button", name="Use this model on the Draw a digit page").click()
    page.get_by_text("now uses the model you trained").wait_for()
    page.get_by_role("link", name="Open Draw a digit").click()
    page.wait_for_url("**/digits*")
    wait_idle(page)
    page.get_by_text("the model you trained").first.wait_for(timeout=60_000)
    no_exceptions(page)

    other = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        second = other.new_page()
        goto(second, live_server, "digits")
        second.locator('[data-testid="stMain"] h1').wait_for()
        assert second.get_by_text("the model you trained").count() == 0
    finally:
        other.close()


def test_stop_button_ends_training(page, live_server):
    page.set_viewport_size(TALL)
    goto(page, live_server, "anatomy")
    start_training(page, "20", "16")
    page.wait_for_function("() => /Iteration\\s*[1-9]/.test(document.body.innerText)", timeout=60_000)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text("Stopped after").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_role("button", name="Start training").is_enabled()
    no_exceptions(page)


def _wait_iterating(page, timeout=120_000) -> None:
    page.wait_for_function("() => /Iteration\\s*[1-9]/.test(document.body.innerText)", timeout=timeout)


@pytest.mark.slow
def test_reload_finds_its_job_and_a_closed_tab_frees_the_slot(browser, live_server):
    """A reload adopts the tab's running job (?job=); closing the tab ends its run within the grace period."""
    from models.training_job import GRACE_SECONDS

    context = browser.new_context(viewport=TALL)
    try:
        first = context.new_page()
        goto(first, live_server, "anatomy")
        start_training(first, "20", "16")
        _wait_iterating(first)
        assert "job=" in first.url
        first.reload()  # not wait_idle: a polling page is never idle for long
        first.locator(TABLE).wait_for(timeout=60_000)
        _wait_iterating(first)  # the reloaded tab shows the same run, still going
        stop = first.get_by_role("button", name="Stop")
        assert stop.is_enabled()
        stop.click()
        first.get_by_text("Stopped after").first.wait_for(timeout=60_000)
        shot(first, "anatomy_reload_stopped_its_job")

        start_training(first, "20", "16")
        _wait_iterating(first)
        first.close()  # the student closes the tab mid-run
        closed_at = time.monotonic()
        second = context.new_page()
        goto(second, live_server, "anatomy")
        start_training(second, "20", "16")  # long enough that Stop always lands before the end
        _wait_iterating(second, timeout=int((GRACE_SECONDS + 120) * 1000))
        waited = time.monotonic() - closed_at
        assert waited < GRACE_SECONDS + 90, waited  # the orphan's slot came free
        second.get_by_role("button", name="Stop").click()
        second.get_by_text("Stopped after").first.wait_for(timeout=60_000)
        no_exceptions(second)
    finally:
        context.close()


def test_hostile_torchinfo_stack_is_refused_quickly(page, live_server):
    """Four rows of Conv(1024, k 1, pad 64): a message naming row 2 instead of 57 s and +2.9 GB."""
    page.set_viewport_size(TALL)
    goto(page, live_server, "anatomy")
    for _ in range(6):  # keep rows 1-4 (convs), delete the rest
        page.get_by_role("button", name="Delete row 5").click()
        wait_idle(page)
    for row in range(4):
        for col, value in (("layer", "conv"), ("out", "1024"), ("k", "1"), ("stride", "1"), ("padding", "64")):
            if col == "layer":
                page.locator(f'select[data-row="{row}"]').select_option(value)
            else:
                cell = page.locator(f'input[data-row="{row}"][data-col="{col}"]')
                cell.fill(value)
                cell.press("Enter")
            wait_idle(page)
    page.get_by_text("Check the code with torchinfo").click()
    t0 = time.monotonic()
    page.get_by_text("The torchinfo check up to row 2 (Conv 1x1, 1024 maps").wait_for(timeout=30_000)
    assert time.monotonic() - t0 < 10
    shot(page, "anatomy_hostile_refused")
    no_exceptions(page)


@pytest.mark.parametrize("size", [(1024, 768, True), (1366, 768, False), (1920, 1080, True)])
def test_layouts_show_the_whole_table_buttons_and_theme_sized_chart(page, live_server, size):
    width, height, projector = size
    page.set_viewport_size({"width": width, "height": height})
    goto(page, live_server, "anatomy", query="projector=1" if projector else "")
    table = page.locator(TABLE)
    table.scroll_into_view_if_needed()
    wrap = table.locator("xpath=..")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "shape table clipped"
    for header in ("Receptive field", "Jump", "Check"):
        assert page.locator(f"{TABLE} th", has_text=header).is_visible()
    start = page.get_by_role("button", name="Start training")
    assert start.evaluate("e => [e, ...e.querySelectorAll('*')].every(x => x.scrollWidth <= x.clientWidth + 1)")
    page.wait_for_timeout(800)  # the chart reports its width once and is redrawn at it
    wait_idle(page)
    svg = page.locator('svg[data-testid="anatomy-depth"]')
    text_px = svg.locator("text").first.evaluate("e => e.getBoundingClientRect().height")
    want = 22 if projector else 14
    assert text_px >= want * 0.85, text_px  # the glyph box of theme-sized text
    shot(page, f"anatomy_layout_{width}{'_projector' if projector else ''}")
    no_exceptions(page)
