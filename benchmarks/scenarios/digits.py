"""Draw a digit: pen-up to new prediction + every feature map, model switch, server work, updates while drawing.

All draw with page.mouse on the real canvas (or click the model selector) and read the page's DOM, like a
student's browser. The harness runs each in normal and projector mode; the accuracy ones only in normal mode.
"""

import math
import re
import time

from benchmarks.harness import Scenario, since_input
from models.mnist_cnn import MODEL_CHOICES
from testkit.digits import LAYERS, SETTLED_JS, canvas_box, click_tool, draw, wait_settled

STROKES = ([[(0.5, 0.15), (0.5, 0.85)]], [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]])
VERSION_JS = "() => { const p = document.querySelector('[data-testid=digit-prediction]'); return p ? p.dataset.version : null; }"
SERVER_RE = re.compile(r"Server work for this update: (\d+) ms")


def _setup(page) -> None:
    canvas_box(page)
    draw(page, STROKES[1])
    wait_settled(page)


def _fresh_stroke(page, i: int):
    """Clear, then draw all of a stroke except the pen-up; returns the canvas box."""
    click_tool(page, "clear")
    page.wait_for_function("() => document.querySelector('[data-testid=digit-prediction]').dataset.label === ''")
    box = canvas_box(page)
    pts = STROKES[i % 2][0]
    page.mouse.move(box["x"] + 3 + pts[0][0] * 280, box["y"] + 3 + pts[0][1] * 280)
    page.mouse.down()
    for x, y in pts[1:]:
        page.mouse.move(box["x"] + 3 + x * 280, box["y"] + 3 + y * 280, steps=8)
    page.wait_for_timeout(250)  # let the throttled in-stroke updates land, as when a person pauses
    return box


def _pen_up_to_all_maps(page, i: int) -> float:
    _fresh_stroke(page, i)
    t0 = time.perf_counter()
    page.mouse.up()
    page.wait_for_function(SETTLED_JS, arg=list(LAYERS), polling="raf", timeout=15_000)
    return since_input(page, t0)


MODEL_SHOWN_JS = f"""([model, layers]) => {{
  const done = document.querySelector('[data-testid=digits-done]');
  return done && done.dataset.model === model && ({SETTLED_JS})(layers); }}"""


def _model_switch(page, i: int) -> float:
    """Click the other model; until the answer and every map show the drawing under that model."""
    name = list(MODEL_CHOICES)[(i + 1) % 2]
    button = page.locator('[data-testid="stRadio"] label', has_text=MODEL_CHOICES[name]).first
    t0 = time.perf_counter()
    button.click()
    page.wait_for_function(MODEL_SHOWN_JS, arg=[name, list(LAYERS)], polling="raf", timeout=15_000)
    return since_input(page, t0)


def _server_work(page, i: int) -> float:
    draw(page, STROKES[i % 2])
    wait_settled(page)
    text = page.get_by_text("Server work for this update").inner_text()
    return float(SERVER_RE.search(text).group(1))


def _server_cpu(page, i: int) -> float:
    draw(page, STROKES[i % 2])
    wait_settled(page)
    return float(page.locator('[data-testid="digits-done"]').get_attribute("data-cpu-ms"))


def _updates_per_second(page, i: int) -> float:
    """Distinct predictions shown during a continuous 2-second stroke, per second."""
    click_tool(page, "clear")
    box = canvas_box(page)
    seen = set()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    start = page.evaluate(VERSION_JS)
    t0 = time.perf_counter()
    k = 0
    while time.perf_counter() - t0 < 2.0:
        k += 1
        angle = k * 0.15
        page.mouse.move(box["x"] + 140 + 90 * math.cos(angle),
                        box["y"] + 140 + 90 * math.sin(angle))
        page.wait_for_timeout(16)
        seen.add(page.evaluate(VERSION_JS))
    elapsed = time.perf_counter() - t0
    page.mouse.up()
    wait_settled(page)
    seen.discard(start)
    return len(seen) / elapsed


def _replay_accuracy(page, i: int, n: int = 30) -> float:
    """Percent of n shipped MNIST test digits (6 per class), traced along their skeletons and drawn
    with the mouse, that the page labels correctly."""
    import numpy as np

    from models.digit_gallery import load_test_sample
    from testkit.digits import trace_strokes

    sample = load_test_sample()
    picks = np.concatenate([np.flatnonzero(sample.labels == c)[:n // 10] for c in range(10)])
    right = 0
    for k in picks:
        click_tool(page, "clear")
        draw(page, trace_strokes(sample.images[k]), steps=2)
        right += wait_settled(page)["label"] == str(sample.labels[k])
    return 100.0 * right / len(picks)


def _pen_agreement(page, i: int, n: int = 20) -> float:
    """Percent of n shipped pen-written digits (UNIPEN validation writers, 2 per class) drawn with the mouse
    that the page answers exactly as the offline path (render_strokes -> prepare_digit -> model) does."""
    import torch

    from models.mnist_cnn import load_named
    from models.preprocess import prepare_digit
    from models.unipen import gallery, render_strokes
    from testkit.digits import draw_canvas_pixels

    model, items = load_named("pen"), gallery()
    picks = [[g for g in items if g["label"] == c][k] for k in range(n // 10) for c in range(10)]
    same = 0
    for item in picks:
        with torch.no_grad():
            offline = int(model(prepare_digit(render_strokes(item["strokes"], 20)).tensor).argmax())
        click_tool(page, "clear")
        draw_canvas_pixels(page, item["strokes"])
        same += wait_settled(page)["label"] == str(offline)
    return 100.0 * same / len(picks)


SCENARIOS = [
    Scenario("digits: pen-up to prediction + all maps", "digits", _pen_up_to_all_maps, budget_ms=150,
             setup=_setup, issue=7, repeats=15,
             notes="mouse up on the canvas until the prediction and all 6 layer grids show that drawing"),
    Scenario("digits: model switch", "digits", _model_switch, budget_ms=300, setup=_setup, issue=12, repeats=10,
             notes="click the other shipped model until its answer and all 6 layer grids are shown"),
    Scenario("digits: server work per update", "digits", _server_work, budget_ms=40, setup=_setup, issue=7,
             repeats=10, notes="preprocess + forward + every picture, timed inside the fragment run"),
    Scenario("digits: server CPU per update", "digits", _server_cpu, budget_ms=40, setup=_setup, issue=7,
             repeats=10, notes="the same work as CPU time of the script thread (not inflated by other processes)"),
    Scenario("digits: updates per second while drawing", "digits", _updates_per_second, budget_ms=4,
             setup=_setup, issue=7, repeats=5, metric="rate",
             notes="distinct predictions displayed during a continuous 2 s stroke"),
    Scenario("digits: traced MNIST replay accuracy (%)", "digits", _replay_accuracy, budget_ms=97, setup=_setup,
             issue=7, repeats=1, metric="rate", modes=("normal",),
             notes="30 test digits (3 per class) traced along their skeletons and drawn with the mouse"),
    Scenario("digits: pen digits drawn by mouse = offline answer (%)", "digits", _pen_agreement, budget_ms=95,
             setup=_setup, issue=12, repeats=1, metric="rate", modes=("normal",),
             notes="20 UNIPEN validation-writer digits from the gallery, mouse-drawn at pen width 20"),
]
