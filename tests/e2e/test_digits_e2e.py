"""Draw-a-digit in headless chromium: real mouse strokes, live prediction, every grid, model switch, pen-written
digits drawn and replayed, settings kept, projector layout, isolation."""

import numpy as np
import pytest
import torch
from playwright.sync_api import expect

from models.digit_gallery import load_test_sample, misclassified, predict_all
from models.mnist_cnn import MODEL_CHOICES, load_named
from models.preprocess import prepare_digit
from models.unipen import gallery, render_strokes
from testkit.browser import goto, no_exceptions, shot, wait_idle
from testkit.digits import (
    DEEP,
    LAYERS,
    canvas_box,
    choose_model,
    click_tool,
    draw,
    draw_canvas_pixels,
    state,
    trace_strokes,
    wait_settled,
)
from testkit.digits import render_strokes as render_fractions
from testkit.layout import overlaps

pytestmark = pytest.mark.e2e

ONE = [[(0.5, 0.15), (0.5, 0.85)]]
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]
OUTSIDE = [[(0.6, 0.3), (1.6, 0.5), (1.9, 1.8)]]  # leaves the canvas mid-stroke
PREDICTION = "[data-testid=digit-prediction]"  # data-label: the answer shown, "" while it asks for a drawing


def offline(name: str, image: np.ndarray) -> int:
    """The shipped model's answer for a 280x280 canvas image, computed without the page."""
    with torch.no_grad():
        return int(load_named(name)(prepare_digit(image).tensor).argmax())


def open_digits(page, live_server, query: str = "", size=(1440, 3300)):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    goto(page, live_server, "digits", query)
    if page.locator('[data-testid="stDialog"]').count():  # "Page not found" on a fresh server's first visit
        goto(page, live_server, "digits", query)
    canvas_box(page)
    expect(page.locator(PREDICTION)).to_have_count(1)  # the canvas can be up a moment before the answer panel
    assert state(page)["label"] == ""  # blank canvas: the prompt, not a prediction
    assert page.get_by_text("Draw a digit", exact=False).first.is_visible()


def app_errors(page) -> list[str]:
    """Console errors, minus the dev-server 404s Streamlit logs when a page is opened by its sub-path (and
    the "page not found" of a fresh server's first visit, see open_digits)."""
    return [e for e in page.console_errors if "404" not in e and "does not seem to exist" not in e]


@pytest.mark.parametrize("name,strokes,label", [("one", ONE, "1"), ("seven", SEVEN, "7")])
def test_draw_synthetic_digit_then_clear(page, live_server, name, strokes, label):
    open_digits(page, live_server)
    draw(page, strokes)
    settled = wait_settled(page)
    assert settled["label"] == label
    layers = {layer for layer, _ in settled["grids"]}
    assert set(LAYERS) <= layers and {"kernels-10x1", "kernels-20x10"} <= layers
    assert "digits_strip" in layers  # the preprocessing strip
    assert page.locator('[data-testid="network-diagram"]').get_attribute("data-answer") == label
    no_exceptions(page)
    click_tool(page, "clear")
    expect(page.locator(PREDICTION).first).to_have_attribute("data-label", "")
    assert page.get_by_text("Draw a digit", exact=False).first.is_visible()
    no_exceptions(page)
    assert app_errors(page) == []


def _validation_digits(count: int = 15) -> list[dict]:
    """`count` pen-written digits of the shipped gallery (UNIPEN validation writers), every class."""
    items = gallery()
    by_class = [[g for g in items if g["label"] == c] for c in range(10)]
    return [by_class[k % 10][k // 10 * 7 % len(by_class[k % 10])] for k in range(count)]


def test_unipen_strokes_drawn_with_the_mouse_get_the_offline_answer(page, live_server):
    """Real pen strokes of writers no model was trained on, drawn with the mouse through the canvas at the
    default pen width (20): the page answers what models.unipen.render_strokes -> prepare_digit -> model
    answers for the same strokes."""
    open_digits(page, live_server)
    results = []
    for item in _validation_digits(15):
        expected = offline("pen", render_strokes(item["strokes"], 20))
        click_tool(page, "clear")
        expect(page.locator(PREDICTION).first).to_have_attribute("data-label", "")
        draw_canvas_pixels(page, item["strokes"])
        results.append((item["label"], expected, wait_settled(page)["label"]))
    mismatches = [r for r in results if str(r[1]) != r[2]]
    assert not mismatches, f"(true label, offline, page): {mismatches}"
    no_exceptions(page)


def test_replay_a_gallery_digit_with_one_click(page, live_server):
    open_digits(page, live_server)
    nines = [g for g in gallery() if g["label"] == 9]
    thumbs = page.locator('.bd-fig[data-layer="pen-gallery"] img')
    box = thumbs.bounding_box()
    thumbs.click(position={"x": box["width"] * 9.5 / 10, "y": 10})  # first row: one digit of each class, 0..9
    expect(page.locator(PREDICTION).first).not_to_have_attribute("data-label", "", timeout=15_000)
    settled = wait_settled(page)
    assert settled["label"] == str(offline("pen", render_strokes(nines[0]["strokes"], nines[0]["width"])))
    assert page.get_by_text("Replayed: a 9 written by UNIPEN writer").is_visible()
    assert page.get_by_text("CC BY 4.0").is_visible()
    # the class sees the other model on the same strokes
    choose_model(page, MODEL_CHOICES["mnist"])
    settled = wait_settled(page)
    assert settled["label"] == str(offline("mnist", render_strokes(nines[0]["strokes"], nines[0]["width"])))
    no_exceptions(page)
    assert app_errors(page) == []


def test_model_switch_and_comparison(page, live_server):
    open_digits(page, live_server)
    draw(page, SEVEN)
    assert wait_settled(page)["label"] == "7"
    table = page.locator('[data-testid="digit-comparison"]')
    for label in MODEL_CHOICES.values():
        assert table.get_by_text(label).is_visible()
    choose_model(page, MODEL_CHOICES["mnist"])
    image = render_fractions(SEVEN)
    assert wait_settled(page)["label"] == str(offline("mnist", image))
    choose_model(page, MODEL_CHOICES["pen"])
    assert wait_settled(page)["label"] == str(offline("pen", image))
    no_exceptions(page)


def test_digits_traced_from_mnist_samples(page, live_server):
    sample = load_test_sample()
    open_digits(page, live_server)
    for i in (0, 2, 4, 6, 8, 13, 22):
        strokes = trace_strokes(sample.images[i])
        expected = offline("pen", render_fractions(strokes))
        click_tool(page, "clear")
        draw(page, strokes, steps=2)
        assert wait_settled(page)["label"] == str(expected), f"sample {i}: drew a {sample.labels[i]}"
    no_exceptions(page)


def test_undo_and_odd_strokes_never_crash(page, live_server):
    open_digits(page, live_server)
    draw(page, [[(0.5, 0.5), (0.505, 0.5)]])  # a tiny dot
    wait_settled(page)
    click_tool(page, "clear")
    scribble = [[(x, y) for y in np.linspace(0.02, 0.98, 12) for x in (0.02, 0.98)]]
    draw(page, scribble, steps=2)  # over the whole canvas
    wait_settled(page)
    click_tool(page, "clear")
    draw(page, OUTSIDE)
    wait_settled(page)
    for _ in range(6):  # very fast strokes, no waiting
        draw(page, SEVEN, steps=1)
    wait_settled(page)
    box = canvas_box(page)  # Clear in the middle of a stroke while updates are in flight
    page.mouse.move(box["x"] + 60, box["y"] + 60)
    page.mouse.down()
    for k in range(8):
        page.mouse.move(box["x"] + 60 + 15 * k, box["y"] + 60 + 12 * k, steps=3)
        page.wait_for_timeout(30)
    page.locator('[data-testid="digit-canvas"] button[data-act="clear"]').dispatch_event("click")
    page.mouse.up()
    expect(page.locator(PREDICTION).first).to_have_attribute("data-label", "")
    draw(page, ONE)
    draw(page, SEVEN)
    click_tool(page, "undo")
    assert wait_settled(page)["label"] == "1"
    wait_idle(page)
    no_exceptions(page)
    assert app_errors(page) == []


def test_click_a_map_enlarges_it(page, live_server):
    open_digits(page, live_server)
    draw(page, SEVEN)
    wait_settled(page)
    grid = page.locator('.bd-fig[data-layer="conv2"] img')
    box = grid.bounding_box()
    # conv2 is 10 maps per row: click the 4th map of the 2nd row (0-based index 13, shown as map 14).
    grid.click(position={"x": box["width"] * 3.5 / 10, "y": box["height"] * 0.75})
    page.get_by_text("conv2 map 14 (11×11)").wait_for(timeout=15_000)
    assert page.get_by_text("kernels of map 14: 10 × 3×3").is_visible()
    wait_idle(page)
    no_exceptions(page)


def test_two_sessions_never_see_each_others_digits(browser, live_server):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1400}) for _ in range(2)]
    try:
        a, b = (c.new_page() for c in contexts)
        for pg in (a, b):
            goto(pg, live_server, "digits")
            canvas_box(pg)
        draw(a, ONE)
        draw(b, SEVEN)
        assert wait_settled(a)["label"] == "1"
        assert wait_settled(b)["label"] == "7"
        wait_idle(b)
        before = state(b)
        click_tool(a, "clear")
        draw(a, SEVEN)
        assert wait_settled(a)["label"] == "7"
        a.wait_for_timeout(500)
        assert state(b) == before  # b's page never reran or changed
        click_tool(b, "clear")
        expect(b.locator(PREDICTION).first).to_have_attribute("data-label", "")
        assert state(a)["label"] == "7"
    finally:
        for c in contexts:
            c.close()


@pytest.mark.parametrize("query,size", [("", (1366, 768)), ("projector=1", (1024, 768)),
                                        ("projector=1", (1920, 1080))], ids=["1366", "1024-projector", "1920-projector"])
def test_canvas_fits_and_covers_nothing(page, live_server, query, size):
    """The canvas is sized to its column: it covers neither the answer, the prompt nor anything else, and
    Clear is not under the probability bars."""
    open_digits(page, live_server, query, size)
    draw(page, SEVEN)
    assert wait_settled(page)["label"] == "7"
    wait_idle(page)
    page.wait_for_timeout(300)
    assert overlaps(page, "canvas, [data-testid=digit-canvas] button") == []
    canvas, answer = canvas_box(page), page.locator('[data-testid="digit-prediction"]').bounding_box()
    assert canvas["x"] + canvas["width"] <= answer["x"] or canvas["y"] + canvas["height"] <= answer["y"]
    assert canvas["width"] >= 200
    no_exceptions(page)
    shot(page, f"digits_{'projector' if query else 'normal'}_{size[0]}")


def _slider_value(page) -> str:
    return page.locator('[data-testid="stSlider"] input[type=range]').first.input_value()


def test_settings_survive_test_set_and_model_switches(page, live_server):
    open_digits(page, live_server)
    page.locator('[data-testid="stSlider"] input[type=range]').first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.locator("button", has_text="global").first.click()
    wait_idle(page)
    page.get_by_text("Show conv maps after ReLU").click()
    wait_idle(page)
    before = (_slider_value(page), page.locator("button[kind=segmented_controlActive]").all_inner_texts())
    assert before[0] == "25"
    for label in ("Test set", MODEL_CHOICES["mnist"], "Draw", MODEL_CHOICES["pen"]):
        if label in MODEL_CHOICES.values():
            choose_model(page, label)
        else:
            page.locator("button", has_text=label).first.click()
            wait_idle(page)
    after = (_slider_value(page), page.locator("button[kind=segmented_controlActive]").all_inner_texts())
    assert after == before
    assert not page.get_by_role("switch", name="Show conv maps after ReLU").is_checked()
    no_exceptions(page)


def test_test_set_then_back_to_a_blank_canvas(page, live_server):
    open_digits(page, live_server)
    draw(page, SEVEN)
    assert wait_settled(page)["label"] == "7"
    page.locator("button", has_text="Test set").click()
    wait_idle(page)
    expect(page.locator(PREDICTION).first).not_to_have_attribute("data-label", "")
    assert page.get_by_text("True label:").is_visible()
    page.locator("button", has_text="Misclassified").click()
    wait_idle(page)
    sample = load_test_sample()
    wrong = misclassified(sample.labels, predict_all(load_named("pen"), sample.images))
    if len(wrong) >= 2:  # click the second digit of the gallery: it becomes the shown digit
        assert page.get_by_text("✗ wrong").is_visible()
        gallery_img = page.locator('.bd-fig[data-layer="gallery"] img')
        box = gallery_img.bounding_box()
        gallery_img.click(position={"x": box["width"] * 1.5 / 8, "y": 10})  # 8 digits per row
        page.get_by_text(f"Test digit #{wrong[1] + 1}").wait_for(timeout=15_000)
        assert page.get_by_text(f"True label: {sample.labels[wrong[1]]}").is_visible()
    page.locator("button", has_text="Draw").first.click()
    wait_idle(page)
    canvas_box(page)
    expect(page.locator(PREDICTION).first).to_have_attribute("data-label", "", timeout=15_000)  # the new canvas is blank, so is the prediction
    draw(page, ONE)
    assert wait_settled(page)["label"] == "1"
    no_exceptions(page)


POINTER_STROKE_JS = """([kind, pts]) => {
  const deep = (root) => root.querySelector('[data-testid=digit-canvas] canvas') ||
    [...root.querySelectorAll('*')].map((e) => e.shadowRoot && deep(e.shadowRoot)).find(Boolean);
  const canvas = deep(document);
  const r = canvas.getBoundingClientRect();
  const fire = (type, [x, y]) => canvas.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, pointerId: 7, pointerType: kind, isPrimary: true, button: 0,
    buttons: type === 'pointerup' ? 0 : 1, pressure: 0.5,
    clientX: r.left + 3 + x * (r.width - 6), clientY: r.top + 3 + y * (r.height - 6) }));
  fire('pointerdown', pts[0]);
  for (let i = 1; i < pts.length; i++) fire('pointermove', pts[i]);
  fire('pointerup', pts[pts.length - 1]);
}"""


@pytest.mark.parametrize("kind,strokes,label", [("pen", ONE, "1"), ("touch", SEVEN, "7")])
def test_pen_and_touch_pointers_draw_too(page, live_server, kind, strokes, label):
    open_digits(page, live_server)
    line = strokes[0]
    pts = [(x0 + (x1 - x0) * t / 10, y0 + (y1 - y0) * t / 10)
           for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False) for t in range(11)]
    page.evaluate(POINTER_STROKE_JS, [kind, pts])
    assert wait_settled(page)["label"] == label
    no_exceptions(page)


SENDS_JS = """() => { const root = (DEEP)('[data-testid=digit-canvas]')[0];
  window.__sends = [];
  new MutationObserver(() => window.__sends.push([performance.now(), Number(root.dataset.seq),
                                                   Number(root.dataset.rtt || 0)]))
    .observe(root, { attributes: true, attributeFilter: ['data-seq'] }); }""".replace("DEEP", DEEP)


def test_live_updates_while_drawing_back_off_by_the_round_trip(page, live_server):
    """A slow stroke: the maps update several times before pen-up, and each live update waits at least
    max(110 ms, 2 x the previous update's round trip) after the one before (the canvas's back-off, which
    halves what a drawing student asks of a busy server). Pen-up is sent at once and gets the final answer."""
    open_digits(page, live_server)
    page.evaluate(SENDS_JS)
    box = canvas_box(page)
    x, top = box["x"] + box["width"] / 2, box["y"] + 0.15 * box["height"]
    page.mouse.move(x, top)
    page.mouse.down()
    for k in range(1, 41):  # a 1 made of 40 moves over about 2 s
        page.mouse.move(x, top + k * 0.0175 * box["height"])
        page.wait_for_timeout(50)
    live_versions = {int(v) for _, v in state(page)["grids"] if v}
    page.mouse.up()
    assert wait_settled(page)["label"] == "1"
    sends = page.evaluate("window.__sends")
    live, pen_up = sends[:-1], sends[-1]
    assert len(live) >= 3, sends
    assert max(live_versions) >= 2, "the maps did not update before pen-up"
    rtts = [rtt for _, _, rtt in live[1:]]
    assert all(r > 0 for r in rtts), sends  # each round trip was measured
    for (t0, _, _), (t1, _, rtt) in zip(live, live[1:], strict=False):
        assert t1 - t0 >= max(110, 2 * rtt) - 1 or t1 - t0 > 700, sends
    assert pen_up[1] == live[-1][1] + 1
    print("sends (ms, seq, rtt):", [[round(t - sends[0][0]), s, r] for t, s, r in sends])
    no_exceptions(page)
