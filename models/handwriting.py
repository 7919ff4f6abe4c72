"""Hand-authored digit styles drawn like a person on the browser canvas.

Unlike models.canvas (which re-draws MNIST's own writers), these strokes come from templates of
the ways people commonly write each digit, including the styles that fool an MNIST-only model:
9 with a hooked tail, 7 with a crossbar or a curved stem, 1 with a flag and a base, open and
closed 4s, flat-topped 3s. Each template is a list of strokes; each stroke is a polyline in a
unit box (x right, y down, both 0..1). `draw_template` perturbs it (tilt, shear, wobble, size,
position, brush 18-24 px) on a 280x280 canvas; `template_set` builds a labelled set through
prepare_digit, the same path a real drawing takes.
"""

import numpy as np
from PIL import Image, ImageDraw

from models.preprocess import prepare_digit

CANVAS = 280


def arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float, n: int = 24) -> list:
    """Points on an ellipse from angle start to stop (degrees, 0 = right, 90 = down)."""
    t = np.deg2rad(np.linspace(start, stop, n))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


def line(*pts: tuple[float, float]) -> list:
    return list(pts)


TEMPLATES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [[arc(0.5, 0.5, 0.3, 0.48, -90, 275)],
        [arc(0.5, 0.5, 0.22, 0.48, -100, 270)]],
    1: [[line((0.5, 0.0), (0.5, 1.0))],
        [line((0.3, 0.2), (0.55, 0.0), (0.55, 1.0))],
        [line((0.3, 0.2), (0.55, 0.0), (0.55, 1.0)), line((0.3, 1.0), (0.8, 1.0))]],
    2: [[arc(0.5, 0.28, 0.3, 0.27, 190, 380) + line((0.75, 0.42), (0.2, 1.0), (0.85, 1.0))],
        [arc(0.5, 0.3, 0.32, 0.3, 200, 390) + line((0.3, 0.85)) + arc(0.3, 0.92, 0.1, 0.08, -90, -360)
         + line((0.9, 0.98))]],
    3: [[arc(0.45, 0.25, 0.3, 0.25, 210, 450) + arc(0.45, 0.74, 0.33, 0.26, -90, 150)],
        [line((0.2, 0.0), (0.8, 0.0), (0.4, 0.4)) + arc(0.45, 0.7, 0.33, 0.3, -80, 150)]],
    4: [[line((0.45, 0.0), (0.1, 0.65), (0.9, 0.65)), line((0.65, 0.25), (0.65, 1.0))],
        [line((0.15, 0.0), (0.15, 0.55), (0.85, 0.55)), line((0.75, 0.0), (0.75, 1.0))],
        [line((0.7, 1.0), (0.7, 0.0), (0.1, 0.65), (0.95, 0.65))]],
    5: [[line((0.85, 0.0), (0.25, 0.0), (0.2, 0.42)) + arc(0.47, 0.68, 0.35, 0.3, -130, 150)],
        [line((0.22, 0.0), (0.2, 0.42)) + arc(0.47, 0.68, 0.35, 0.3, -130, 150), line((0.22, 0.0), (0.85, 0.0))]],
    6: [[arc(0.75, 0.55, 0.55, 0.55, -100, -180) + arc(0.5, 0.72, 0.3, 0.28, 180, 540)],
        [line((0.7, 0.0), (0.3, 0.45)) + arc(0.5, 0.72, 0.3, 0.28, 200, 560)]],
    7: [[line((0.1, 0.0), (0.9, 0.0), (0.4, 1.0))],
        [line((0.1, 0.0), (0.9, 0.0), (0.4, 1.0)), line((0.4, 0.5), (0.85, 0.5))],
        [line((0.1, 0.0), (0.9, 0.0)) + arc(0.0, 0.0, 0.9, 1.0, 0, 67)],
        [line((0.1, 0.0), (0.9, 0.0), (0.55, 0.5), (0.45, 1.0))]],
    8: [[arc(0.5, 0.25, 0.27, 0.25, 0, -360) + arc(0.5, 0.73, 0.32, 0.27, -90, 270)],
        [arc(0.5, 0.25, 0.25, 0.25, 45, 405), arc(0.5, 0.74, 0.32, 0.26, -90, 270)]],
    9: [[arc(0.45, 0.28, 0.32, 0.27, 0, -360) + line((0.77, 0.28), (0.72, 1.0))],
        [arc(0.45, 0.28, 0.32, 0.27, 0, -360) + line((0.77, 0.28), (0.75, 0.75))
         + arc(0.5, 0.75, 0.25, 0.25, 0, 150)],
        [arc(0.45, 0.28, 0.32, 0.27, 0, -360) + line((0.77, 0.28), (0.5, 1.0))],
        [arc(0.45, 0.28, 0.3, 0.27, 10, -350) + arc(0.25, 0.4, 0.5, 0.6, -30, 100)]],
}


def _densify(stroke: np.ndarray, step: float = 0.03) -> np.ndarray:
    out = [stroke[0]]
    for a, b in zip(stroke[:-1], stroke[1:], strict=True):
        k = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        out.extend(a + (b - a) * t for t in np.linspace(0, 1, k + 1)[1:])
    return np.array(out)


def draw_template(strokes: list, rng: np.random.Generator, brush: float | None = None) -> Image.Image:
    """Perturb and draw one template on a CANVAS x CANVAS 'L' image, white ink on black."""
    brush = float(rng.uniform(18, 24) if brush is None else brush)
    polys = [_densify(np.asarray(s, np.float64)) for s in strokes]
    every = np.concatenate(polys)
    centre = (every.max(0) + every.min(0)) / 2
    angle = np.deg2rad(rng.uniform(-15, 15))
    shear = rng.uniform(-0.3, 0.2)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    m = rot @ np.array([[rng.uniform(0.8, 1.25), shear], [0.0, 1.0]])
    size = rng.uniform(100, 220)
    amp, freq, phase = rng.uniform(0, 0.03, 2), rng.uniform(4, 9, 2), rng.uniform(0, 2 * np.pi, 2)
    polys = [((p - centre + amp * np.sin(freq * p[:, ::-1] + phase)) @ m.T) * size for p in polys]
    every = np.concatenate(polys)
    lo, hi = every.min(0) - brush / 2, every.max(0) + brush / 2
    room_lo, room_hi = -lo, CANVAS - hi
    shift = np.where(room_hi > room_lo, rng.uniform(room_lo, np.maximum(room_hi, room_lo + 1e-6)),
                     (room_lo + room_hi) / 2)
    canvas = Image.new("L", (CANVAS, CANVAS), 0)
    draw = ImageDraw.Draw(canvas)
    r = brush / 2
    for p in polys:
        p = p + shift + rng.normal(0, 0.7, p.shape)
        draw.line([tuple(q) for q in p], fill=255, width=int(round(brush)), joint="curve")
        for x, y in (p[0], p[-1]):
            draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
    return canvas


def template_set(per_template: int = 20, seed: int = 99) -> tuple[np.ndarray, np.ndarray]:
    """Every template drawn per_template times -> (images (N,28,28) uint8 after prepare_digit, labels (N,))."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for digit, styles in TEMPLATES.items():
        for strokes in styles:
            for _ in range(per_template):
                images.append(prepare_digit(draw_template(strokes, rng)).stages["centred"])
                labels.append(digit)
    return np.stack(images), np.array(labels, np.int64)
