"""Seeded drawings that are not digits, to measure how often the page says "not a digit" for them.

Each drawing is (strokes in 280x280 canvas px, pen width), drawn like the page's canvas by
models.unipen.render_strokes. Kinds:
    scribble  a dense random zig-zag
    x         two crossing diagonal lines
    dot       a single tap (a dot as wide as the pen) or a tiny circle
    filled    the canvas painted over with a wide pen (mostly ink)
    lines     3-6 long random straight lines
"""

import numpy as np

from models.unipen import CANVAS

KINDS = ("scribble", "x", "dot", "filled", "lines")


def _scribble(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    size = rng.uniform(90, 230)
    centre = rng.uniform(CANVAS / 2 - 20, CANVAS / 2 + 20, 2)
    n = int(rng.integers(25, 60))
    pts = centre + rng.uniform(-size / 2, size / 2, (n, 2))
    return [pts], float(rng.uniform(8, 30))


def _x(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    half = rng.uniform(50, 110)
    centre = rng.uniform(CANVAS / 2 - 25, CANVAS / 2 + 25, 2)
    strokes = []
    for sign in (1, -1):
        angle = np.deg2rad(sign * rng.uniform(30, 60))
        d = half * np.array([np.cos(angle), np.sin(angle)]) * rng.uniform(0.8, 1.2)
        strokes.append(np.stack([centre - d, centre + d]))
    return strokes, float(rng.uniform(8, 30))


def _dot(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    centre = rng.uniform(60, CANVAS - 60, 2)
    width = float(rng.uniform(6, 40))
    if rng.random() < 0.5:
        return [centre[None, :]], width
    t = np.linspace(0, 2 * np.pi, 12)
    r = rng.uniform(1, width / 3)  # a circle smaller than the pen: still a blot, not a small 0
    return [centre + r * np.stack([np.cos(t), np.sin(t)], 1)], width


def _filled(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    """Back-and-forth strokes over 70-100% of the canvas's width and height (margins left uninked)."""
    width = float(rng.uniform(30, 40))
    step = width * rng.uniform(0.6, 0.9)
    lo = rng.uniform(0, 0.15 * CANVAS, 2)
    hi = CANVAS - rng.uniform(0, 0.15 * CANVAS, 2)
    pts = []
    for i, y in enumerate(np.arange(lo[1], hi[1] + 1e-9, step)):
        xs = (lo[0], hi[0]) if i % 2 == 0 else (hi[0], lo[0])
        pts += [(xs[0], y), (xs[1], y + rng.uniform(-5, 5))]
    if rng.random() < 0.5:
        pts = [(y, x) for x, y in pts]  # up and down instead of left and right
    return [np.asarray(pts, np.float64)], width


def _lines(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    strokes = []
    for _ in range(int(rng.integers(3, 7))):
        a, b = rng.uniform(20, CANVAS - 20, (2, 2))
        while np.hypot(*(b - a)) < 100:
            b = rng.uniform(20, CANVAS - 20, 2)
        strokes.append(np.stack([a, b]))
    return strokes, float(rng.uniform(6, 30))


MAKERS = {"scribble": _scribble, "x": _x, "dot": _dot, "filled": _filled, "lines": _lines}


def drawings(per_kind: int = 100, seed: int = 0) -> list[tuple[str, list[np.ndarray], float]]:
    """per_kind drawings of every kind -> [(kind, strokes, pen width)], the same for the same seed."""
    rng = np.random.default_rng(seed)
    return [(kind, *MAKERS[kind](rng)) for kind in KINDS for _ in range(per_kind)]
