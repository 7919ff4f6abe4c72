"""Receptive-field pictures: a clickable grid of a layer's units, the input with the field outlined,
and receptive-field size against depth."""

from html import escape

import numpy as np

from components.theme import CATEGORICAL, font_size, line_width

PICK = (230, 159, 0)  # Okabe-Ito orange: the picked unit and its field
PICTURE_PX = 336  # displayed side of both pictures


def _scale(n: int, px: int = PICTURE_PX) -> int:
    return max(1, px // n)


def layer_picture(size: int, unit: tuple[int, int] | None) -> np.ndarray:
    """(S, S, 3) uint8: a size x size grid of units, the picked one filled orange."""
    cell = _scale(size)
    img = np.full((size * cell + 1, size * cell + 1, 3), 235, dtype=np.uint8)
    if unit is not None:
        r, c = unit
        img[r * cell:(r + 1) * cell, c * cell:(c + 1) * cell] = PICK
    img[::cell, :] = 120
    img[:, ::cell] = 120
    return img


def click_to_unit(click: dict | None, size: int) -> tuple[int, int] | None:
    """The unit under a streamlit_image_coordinates click on layer_picture(size, ...)."""
    if not click or not click.get("width") or not click.get("height"):
        return None
    r = int(click["y"] / click["height"] * size)
    c = int(click["x"] / click["width"] * size)
    return min(max(r, 0), size - 1), min(max(c, 0), size - 1)


def field_picture(gray: np.ndarray | None, n: int, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """(S, S, 3) uint8: the n x n input (a grey image or blank), cells outside the field dimmed and the
    field [rows) x [cols) outlined in orange with a black halo."""
    cell = _scale(n)
    base = np.full((n, n), 0.85) if gray is None else 0.15 + 0.7 * np.clip(gray, 0, 1)
    rgb = np.repeat((base * 255).astype(np.uint8)[..., None], 3, axis=2)
    inside = np.zeros((n, n), dtype=bool)
    inside[rows[0]:rows[1], cols[0]:cols[1]] = True
    rgb[~inside] = (rgb[~inside] * 0.35).astype(np.uint8)
    rgb[inside] = (0.55 * rgb[inside] + 0.45 * np.array(PICK)).astype(np.uint8)
    img = rgb.repeat(cell, axis=0).repeat(cell, axis=1)
    img[::cell, :] = np.minimum(img[::cell, :], 90)
    img[:, ::cell] = np.minimum(img[:, ::cell], 90)
    t = max(2, cell // 3)
    y0, y1, x0, x1 = rows[0] * cell, rows[1] * cell, cols[0] * cell, cols[1] * cell
    for color, pad in (((0, 0, 0), t), (PICK, t // 2)):
        img[max(0, y0 - pad):y0 + pad, x0:x1] = color
        img[max(0, y1 - pad):y1 + pad, x0:x1] = color
        img[y0:y1, max(0, x0 - pad):x0 + pad] = color
        img[y0:y1, max(0, x1 - pad):x1 + pad] = color
    return img


def _nice_step(top: float) -> int:
    """A round tick step giving about five ticks from 0 to top."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return int(top // 5) or 1


def rf_depth_figure(names: list[str], rf: list[int], jump: list[int], projector: bool) -> str:
    """Receptive-field size (solid, values printed) and jump (dashed) against depth, as inline SVG."""
    font, lw = font_size(projector), line_width(projector)
    w, h = 720, 380 if projector else 320
    left, right, top, bottom = 3.6 * font + 10, 20, 2.6 * font + 10, 2.6 * font + 14
    ymax = max(rf) * 1.2 + 1
    xs = [left + (i + 0.5) * (w - left - right) / len(names) for i in range(len(names))]

    def y(v: float) -> float:
        return top + (1 - v / ymax) * (h - top - bottom)

    out = [f'<svg data-testid="pool-rf-depth" viewBox="0 0 {w} {h}" width="100%" style="max-width:{w * 1.4:.0f}px;'
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
    out += [f'<text x="{x:.1f}" y="{y(v) - r - 5:.1f}" text-anchor="middle" fill="{CATEGORICAL[0]}">{v}</text>'
            for x, v in zip(xs, rf, strict=True)]
    lx = left
    for color, dash, label in ((CATEGORICAL[0], "", "receptive field (pixels)"),
                               (CATEGORICAL[3], ' stroke-dasharray="8 5"', "jump (stride on the input)")):
        out.append(f'<line x1="{lx}" x2="{lx + 30}" y1="{font}" y2="{font}" stroke="{color}" stroke-width="{lw}"{dash}/>'
                   f'<text x="{lx + 36}" y="{font}" dominant-baseline="central">{label}</text>')
        lx += 36 + 0.55 * font * len(label) + 24
    return "".join(out) + "</svg>"
