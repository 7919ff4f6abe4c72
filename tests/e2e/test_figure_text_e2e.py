"""Text inside figures that reach the page as images (the layout check cannot read inside an <img>):
drawn in Chromium, every label lies inside the picture and no two labels overlap, in both modes."""

import base64

import numpy as np
import pytest

from components.kernel_panels import H, W, histogram_svg
from components.theme import using

pytestmark = pytest.mark.e2e

_BOXES_JS = """() => [...document.querySelectorAll('svg text')].map((t) => {
  const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height}; })"""


def _svg_of(img_html: str) -> str:
    return base64.b64decode(img_html.split("base64,")[1].split('"')[0]).decode()


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize(("top", "x0", "x1"), [(53580, -2.756, 3.033), (9, -0.01, 5.0), (1_234_567, 0.0, 1.0),
                                              (700, -1000.0, -2.5), (120, -0.4, 0.02)])
def test_histogram_labels_fit_and_never_overlap(page, projector, top, x0, x1):
    counts = np.array([1, top, 3, 0, 2])
    edges = np.linspace(x0, x1, 6)
    with using(projector):
        svg = _svg_of(histogram_svg(counts, edges, x0 + (x1 - x0) / 4, x1 - (x1 - x0) / 4))
    sized = svg.replace("<svg ", f'<svg width="{W}" ', 1)  # one unit per pixel, as on the page
    page.set_content(f'<html><body style="margin:0">{sized}</body></html>')
    boxes = page.evaluate(_BOXES_JS)
    assert {b["text"] for b in boxes} >= {str(top), "output value"}
    for b in boxes:
        assert b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["w"] <= W and b["y"] + b["h"] <= H, b
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or \
                a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
            assert apart, (a, b)
