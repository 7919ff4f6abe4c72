"""Receptive-field pictures: a clickable grid of a layer's units, the input as pixel blocks, and the
receptive-field size against depth."""

from html import escape

import numpy as np

from components import theme
from components.theme import CATEGORICAL, font_size, line_width

PICTURE_PX = 336  # displayed side of both pictures
VALUE_INK = "#003f66"  # the receptive-field numbers: the line's blue, dark enough for 7:1 on white


def _scale(n: int, px: int = PICTURE_PX) -> int:
    return max(1, px // n)


def layer_picture(size: int) -> np.ndarray:
    """(S, S, 3) uint8: a size x size grid of units to click (components.pixel_picker outlines the picked one)."""
    cell = _scale(size)
    img = np.full((size * cell + 1, size * cell + 1, 3), 235, dtype=np.uint8)
    img[::cell, :] = 120
    img[:, ::cell] = 120
    return img


def input_picture(gray: np.ndarray | None, n: int) -> np.ndarray:
    """(S, S, 3) uint8: the n x n input (a grey image (n, n) in [0, 1], or blank), one block per pixel with grid
    lines, so the outlined receptive field can be counted in pixels."""
    cell = _scale(n)
    base = np.full((n, n), 0.85) if gray is None else 0.15 + 0.7 * np.clip(gray, 0, 1)
    img = np.repeat((base * 255).astype(np.uint8)[..., None], 3, axis=2).repeat(cell, axis=0).repeat(cell, axis=1)
    img[::cell, :] = np.minimum(img[::cell, :], 90)
    img[:, ::cell] = np.minimum(img[:, ::cell], 90)
    return img


def _nice_step(top: float) -> int:
    """A round tick step giving about five ticks from 0 to top."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return int(top // 5) or 1


def rf_depth_figure(names: list[str], rf: list[int], jump: list[int]) -> str:
    """Receptive-field size (solid, values printed) and jump (dashed) against depth, as inline SVG."""
    projector = theme.projector()
    font, lw = font_size(), line_width()
    left, right, top, bottom = 3.6 * font + 10, 20, 3.8 * font + 10, 2.6 * font + 14
    # drawn at no less than its own width, so the text is never smaller than the theme's font size
    w, h = max(480, int(left + right + 3.6 * font * len(names))), 380 if projector else 320
    ymax = max(rf) * 1.2 + 1
    xs = [left + (i + 0.5) * (w - left - right) / len(names) for i in range(len(names))]

    def y(v: float) -> float:
        return top + (1 - v / ymax) * (h - top - bottom)

    name = "Receptive field and jump against depth: " + ", ".join(f"{n} {v}" for n, v in zip(names, rf, strict=True))
    out = [f'<div style="overflow-x:auto;max-width:100%"><svg data-testid="pool-rf-depth" viewBox="0 0 {w} {h}" '
           f'width="100%" aria-label="{escape(name)}" style="min-width:{w}px;max-width:{w * 1.4:.0f}px;'
           f'display:block" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="{font}" role="img">']
    for t in range(0, int(ymax) + 1, _nice_step(ymax)):
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e5e5e5"/>'
                   f'<text x="{left - 6}" y="{y(t):.1f}" text-anchor="end" dominant-baseline="central">{t}</text>')
    for x, name in zip(xs, names, strict=True):
        out.append(f'<text x="{x:.1f}" y="{h - bottom + font + 4}" text-anchor="middle">{escape(name)}</text>')
    out.append(f'<text x="{(left + w - right) / 2:.1f}" y="{h - 6}" text-anchor="middle">layer (depth →)</text>'
               f'<text transform="translate({font},{(top + h - bottom) / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'dominant-baseline="central">input pixels</text>')
    r = 6 if projector else 3.5
    for values, color, dash, key in ((rf, CATEGORICAL[0], "", "rf"), (jump, CATEGORICAL[3], ' stroke-dasharray="8 5"', "jump")):
        pts = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, values, strict=True))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{lw}"{dash} data-series="{key}"/>')
        out += [f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="{r}" fill="{color}" data-{key}="{v}"/>' for x, v in zip(xs, values, strict=True)]
    out += [f'<text x="{x:.1f}" y="{y(v) - r - 5:.1f}" text-anchor="middle" fill="{VALUE_INK}">{v}</text>'
            for x, v in zip(xs, rf, strict=True)]
    for i, (color, dash, key) in enumerate(((CATEGORICAL[0], "", "receptive field (pixels)"),
                                            (CATEGORICAL[3], ' stroke-dasharray="8 5"', "jump (stride on the input)"))):
        ly = font * (0.8 + 1.3 * i)  # one legend line each, so a narrow figure never cuts them
        out.append(f'<line x1="{left}" x2="{left + 30}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="{lw}"{dash}/>'
                   f'<text x="{left + 36}" y="{ly}" dominant-baseline="central">{key}</text>')
    return "".join(out) + "</svg></div>"
