"""SVG grid figures for the Pooling page: a value in every cell, window outlines, winner rings.

Inline SVG (put on the page by components.pooling_view) draws in a few milliseconds, keeps exactly the same size
from frame to frame during play, and exposes data-* attributes the browser tests read. Figures carry
no maths: callers pass values, window taps and labels already computed by models.pooling.
"""

import math
from dataclasses import dataclass, field
from html import escape

import numpy as np

from components import theme
from components.pooling_colors import contrast_ratio, ink_for

CELL = 48  # SVG units per cell; the figure scales to its column


@dataclass
class Grid:
    """What to draw. Cell (r, c) of the data sits at drawing row r - top, column c - left."""
    texts: np.ndarray  # (H, W) str
    fills: np.ndarray  # (H, W) '#rrggbb'
    top: int = 0  # first drawn row in data coordinates (negative when padding is shown)
    left: int = 0
    rows: int = 0  # drawn rows/cols (>= H, W when margins are shown)
    cols: int = 0
    ghosts: dict = field(default_factory=dict)  # (r, c) outside the data -> label ("0", "−∞", "")
    attrs: dict = field(default_factory=dict)  # (r, c) -> extra data-* attributes
    hatch: np.ndarray | None = None  # (H, W) bool: hatch these cells
    boxes: list = field(default_factory=list)  # (r0, c0, r1, c1, dashed) inclusive data coords
    taps: list = field(default_factory=list)  # (r, c) single cells to outline
    rings: list = field(default_factory=list)  # (r, c) winner markers
    frames: list = field(default_factory=list)  # play mode: one dict(boxes=, taps=, rings=) per step
    first: int = 0  # the frame shown first when playing
    period: float = 0.2  # seconds per frame when playing

    def __post_init__(self):
        h, w = self.texts.shape
        self.rows, self.cols = max(self.rows, h), max(self.cols, w)


def _font(text: str, base: float) -> float:
    return min(base, CELL * 1.6 / max(1, len(text)))


def frame_css(cls: str, n: int, period: float, extra: str = "") -> str:
    """CSS that shows each element of class `cls` for one `period` in turn (n frames, looping); each element
    sets its own animation-delay. The visible share is rounded down: rounded up, a frame outlived the next
    one's start by microseconds, and browsers that step time in whole frames then showed two at once."""
    share = math.floor(1e6 * 100 / n) / 1e6
    return (f"<style>.{cls}{{visibility:hidden;{extra}animation:{cls}-on {n * period:.3f}s steps(1,end) infinite}}"
            f"@keyframes {cls}-on{{0%{{visibility:visible}}{share:.6f}%{{visibility:hidden}}"
            "100%{visibility:hidden}}</style>")


def frame_delay(k: int, first: int, n: int, period: float) -> str:
    """The inline style that makes frame k of frame_css's loop come `k - first` periods after `first`."""
    return f"animation-delay:{((k - first) % n) * period:.3f}s"


def min_cell_px(grid: Grid, base: float, font_px: float) -> int:
    """Displayed cell size (CSS px) at which the smallest number in the grid is still `font_px` tall."""
    texts = [str(t) for t in grid.texts.flat] + [label for label in grid.ghosts.values() if label]
    smallest = min([_font(t, base) for t in texts] + [base])
    return math.ceil(font_px * CELL / smallest)


def render(grid: Grid, testid: str, label: str, max_cell_px: int | None = None) -> str:
    """The SVG markup for a Grid with the accessible name `label`, scaled to its container but never above
    max_cell_px per cell, and never below the size at which every number is printed at the theme's font size
    (a narrow container scrolls the figure sideways instead of shrinking the numbers)."""
    projector = theme.projector()
    base = 22 if projector else 18
    halo, inner = (9, 4) if projector else (7, 3)
    width, height = grid.cols * CELL + 8, grid.rows * CELL + 8
    smallest = min_cell_px(grid, base, theme.font_size())
    low = smallest * grid.cols + 8
    cap = max(low, (max_cell_px or (72 if projector else 56)) * grid.cols + 8)
    uid = f"hatch-{testid}"
    out = [f'<div style="overflow-x:auto;max-width:100%"><svg data-testid="{testid}" data-min-px="{low}" '
           f'viewBox="-4 -4 {width} {height}" width="100%" style="min-width:{low}px;max-width:{cap}px;display:block" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" role="img" aria-label="{escape(label)}">'
           f'<title>{escape(label)}</title>',
           f'<defs><pattern id="{uid}" width="12" height="12" patternUnits="userSpaceOnUse" '
           f'patternTransform="rotate(45)"><rect width="12" height="12" fill="none"/>'
           f'<line x1="0" y1="0" x2="0" y2="12" stroke="#ffffff" stroke-width="5"/></pattern></defs>']

    def xy(r, c):
        return (c - grid.left) * CELL, (r - grid.top) * CELL

    for (r, c), label in grid.ghosts.items():
        x, y = xy(r, c)
        out.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="#f2f2f2" stroke="#9a9a9a" '
                   f'stroke-dasharray="4 3" data-kind="padding"/>')
        if label:
            out.append(f'<text x="{x + CELL / 2}" y="{y + CELL / 2}" font-size="{_font(label, base)}" '
                       f'fill="#333333" text-anchor="middle" dominant-baseline="central">{escape(label)}</text>')
    h, w = grid.texts.shape
    for r in range(h):
        for c in range(w):
            x, y = xy(r, c)
            fill, text = grid.fills[r, c], grid.texts[r, c]
            extra = "".join(f' data-{k}="{escape(str(v))}"' for k, v in grid.attrs.get((r, c), {}).items())
            out.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#ffffff" '
                       f'stroke-width="1.5" data-row="{r}" data-col="{c}"{extra}/>')
            if grid.hatch is not None and grid.hatch[r, c]:
                out.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="url(#{uid})" opacity="0.55"/>')
            ink = ink_for(fill)
            hatched = grid.hatch is not None and grid.hatch[r, c]
            size = _font(text, base)
            if hatched or contrast_ratio(ink, fill) < (7.0 if projector else 4.5):  # a plate under the number
                plate_w, plate_h = min(CELL - 6, 0.62 * size * len(text) + 12), min(CELL - 6, 1.3 * size)
                out.append(f'<rect x="{x + (CELL - plate_w) / 2:.1f}" y="{y + (CELL - plate_h) / 2:.1f}" '
                           f'width="{plate_w:.1f}" height="{plate_h:.1f}" rx="5" data-kind="plate" '
                           f'fill="{"#ffffff" if ink == "#000000" else "#000000"}"/>')
            out.append(f'<text x="{x + CELL / 2}" y="{y + CELL / 2}" font-size="{size}" '
                       f'font-weight="{"700" if projector else "600"}" fill="{ink}" text-anchor="middle" '
                       f'dominant-baseline="central">{escape(text)}</text>')
    out.append(_marks(grid.taps, grid.boxes, grid.rings, xy, halo, inner))
    if grid.frames:  # pure CSS animation: no server round trip per frame, so no flicker and a steady rate
        n, cls = len(grid.frames), f"{testid}-f"
        out.append(frame_css(cls, n, grid.period))
        for k, frame in enumerate(grid.frames):
            out.append(f'<g class="{cls}" data-frame="{k}" style="{frame_delay(k, grid.first, n, grid.period)}">'
                       f'{_marks(frame.get("taps", []), frame.get("boxes", []), frame.get("rings", []), xy, halo, inner)}</g>')
    out.append("</svg></div>")
    return "".join(out)


def _marks(taps, boxes, rings, xy, halo, inner) -> str:
    """Window outlines (whole box or single taps) and winner rings."""
    out = []
    for r, c in taps:
        x, y = xy(r, c)
        out.append(_outline(x + 3, y + 3, CELL - 6, CELL - 6, halo, inner, False))
    for r0, c0, r1, c1, dashed in boxes:
        x, y = xy(r0, c0)
        out.append(_outline(x, y, (c1 - c0 + 1) * CELL, (r1 - r0 + 1) * CELL, halo, inner, dashed))
    for r, c in rings:
        x, y = xy(r, c)
        out.append(f'<circle cx="{x + CELL / 2}" cy="{y + CELL / 2}" r="{CELL * 0.4}" fill="none" stroke="#000000" '
                   f'stroke-width="{halo - 1}"/><circle cx="{x + CELL / 2}" cy="{y + CELL / 2}" r="{CELL * 0.4}" '
                   f'fill="none" stroke="#E69F00" stroke-width="{inner}" data-kind="winner"/>')
    return "".join(out)


def _outline(x, y, w, h, halo, inner, dashed) -> str:
    dash = ' stroke-dasharray="10 6"' if dashed else ""
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#000000" stroke-width="{halo}"{dash}/>'
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#ffffff" '
            f'stroke-width="{inner}"{dash} data-kind="window"/>')
