"""Receptive-field pictures: a clickable grid of a layer's units, the input with the field outlined,
and receptive-field size against depth."""

import numpy as np
import plotly.graph_objects as go

from components.theme import CATEGORICAL, style_figure

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


def rf_depth_figure(names: list[str], rf: list[int], jump: list[int], projector: bool) -> go.Figure:
    """Receptive-field size (and jump) against depth."""
    fig = go.Figure()
    fig.add_scatter(x=names, y=rf, mode="lines+markers+text", name="receptive field (pixels)",
                    text=[str(v) for v in rf], textposition="top center", line_color=CATEGORICAL[0])
    fig.add_scatter(x=names, y=jump, mode="lines+markers", name="jump (stride on the input)",
                    line_color=CATEGORICAL[3], line_dash="dash")
    fig.update_layout(height=380 if projector else 320, yaxis_title="input pixels", xaxis_title="layer (depth →)",
                      legend=dict(orientation="h", y=1.18), yaxis_range=[0, max(rf) * 1.2 + 1])
    return style_figure(fig, projector)
