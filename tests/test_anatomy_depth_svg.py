"""The depth chart's text: readable from the back row (>= 7:1 on white) and never under the line's points."""

import re

from components.anatomy_depth_svg import depth_svg
from components.theme import using
from models import architecture as arch


def _contrast_on_white(hex_colour: str) -> float:
    def channel(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 1.05 / (0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b) + 0.05)


def _digit_svg(width: int = 900) -> str:
    digit = arch.INPUTS["28x28x1 (MNIST digit)"]
    labels, res, maps = arch.depth_profile(arch.propagate(arch.PRESETS[arch.DEFAULT_PRESET], digit), digit)
    with using(True):
        return depth_svg(labels, res, maps, width=width)


def test_every_text_colour_is_at_least_7_to_1_on_white():
    fills = set(re.findall(r'<text [^>]*fill="(#[0-9a-fA-F]{6})"', _digit_svg()))
    assert fills, "no text found"
    assert {f: round(_contrast_on_white(f), 2) for f in fills if _contrast_on_white(f) < 7} == {}
    assert round(_contrast_on_white("#0072B2"), 2) == 5.19  # the reference: the line's own blue is too light


def test_bar_values_stay_clear_of_the_points():
    """On the digit CNN the 3·pool point (13 px of 32) sits where its bar's value (10 maps) would go."""
    svg = _digit_svg()
    points = [(float(x), float(y), float(r)) for x, y, r in
              re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)]
    values = [(float(x), float(y)) for x, y in
              re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" fill="#704800" stroke', svg)]
    assert len(values) == len(points) == 5
    fs = 22
    for (px, py, r), (vx, vy) in zip(points, values, strict=True):
        assert px == vx
        assert py - r >= vy + 2 or py + r <= vy - fs * 0.8 - 2, f"point at y={py} under the value at baseline {vy}"
