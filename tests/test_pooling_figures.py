"""The Pooling page's figure builders: text contrast (WCAG), plates where a fill is too weak, accessible names,
and numbers never drawn below the theme's font size."""

import re

import numpy as np
import pytest

from components import theme
from components.pooling_colors import contrast_ratio, ink_for, value_fills
from components.pooling_figures import coverage_figure, gradient_figure, input_figure, output_figure
from components.pooling_grid import CELL, Grid, render
from models.pooling import PoolSpec, analyse


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert contrast_ratio("#ffffff", "#6ece58") == pytest.approx(1.97, abs=0.05)  # the old white-on-green cell


def test_chosen_ink_reads_on_every_colour_of_both_maps():
    fills = value_fills(np.linspace(-1, 1, 256)[None, :]).ravel().tolist() + value_fills(np.linspace(0, 1, 256)[None, :]).ravel().tolist()
    worst = min(contrast_ratio(ink_for(f), f) for f in fills)
    assert worst >= 4.5, worst


@pytest.mark.parametrize("projector,target", [(False, 4.5), (True, 7.0)])
def test_every_number_has_its_contrast_on_its_cell_or_a_plate(projector, target):
    x = np.arange(64.0).reshape(8, 8)
    with theme.using(projector):
        svg = output_figure(x, x, None)
    cells = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="48" height="48" fill="(#[0-9a-f]{6})"', svg)
    plates = {(float(a), float(b)) for a, b in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)"[^>]*data-kind="plate"', svg)}
    inks = re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg)
    assert len(cells) == len(inks) == 64
    for (cx, cy, fill), ink in zip(cells, inks, strict=True):
        on_plate = any(float(cx) < px < float(cx) + CELL and float(cy) < py < float(cy) + CELL for px, py in plates)
        assert on_plate or contrast_ratio(ink, fill) >= target, (fill, ink)
    assert bool(plates) == projector  # viridis has mid tones below 7:1 with black and with white


def test_figures_have_accessible_names():
    x = np.random.default_rng(0).integers(0, 9, (6, 6)).astype(float)
    spec = PoolSpec("max", 2, 2)
    values, wins, cov, _ = analyse(x, spec)
    for svg in (input_figure(x, spec, wins, wins[0]), output_figure(values, x, (0, 0)), coverage_figure(cov),
                gradient_figure(np.ones((6, 6)), None)):
        label = re.search(r'<svg [^>]*role="img" aria-label="([^"]+)"', svg)[1]
        assert label and f"<title>{label}</title>" in svg


@pytest.mark.parametrize("projector", [False, True])
def test_numbers_are_never_smaller_than_the_theme_font(projector):
    """The SVG may not shrink below the width at which its smallest number is theme.font_size() CSS px."""
    texts = np.array([["1", "−2.25", "123456"], ["0", "1", "2"]], dtype=object)
    with theme.using(projector):
        svg = render(Grid(texts, np.full((2, 3), "#ffffff", dtype=object)), "t", "a grid")
        font = theme.font_size()
    min_px = int(re.search(r'min-width:(\d+)px', svg)[1])
    view_w = float(re.search(r'viewBox="-4 -4 ([\d.]+)', svg)[1])
    smallest = min(float(f) for f in re.findall(r'<text [^>]*font-size="([\d.]+)"', svg))
    assert smallest * min_px / view_w >= font - 0.5
