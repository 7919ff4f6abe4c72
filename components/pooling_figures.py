"""The Pooling page's grid figures: input with the current window, output, coverage map, gradient map."""

import numpy as np

from components.pooling_grid import Grid, hex_colors, render, text_grid, value_fills
from components.theme import CATEGORICAL, SEQUENTIAL_LUT, colorize
from models.pooling import PoolSpec, Window

# Coverage categories: colour AND a second cue (the printed count, hatching for "missed")
MISSED, ONCE, OVERLAP = CATEGORICAL[3], CATEGORICAL[6], CATEGORICAL[0]  # vermillion, yellow, blue
COVERAGE_LABELS = (("0", MISSED, True, "missed: no window sees it"),
                   ("1", ONCE, False, "seen exactly once"),
                   ("2+", OVERLAP, False, "overlap: seen by 2 or more windows"))


def _pad_label(spec: PoolSpec) -> str:
    if spec.mode == "mean":
        return "0" if spec.count_include_pad else "–"
    return {"max": "−∞", "min": "+∞"}.get(spec.mode, "")


def input_figure(x: np.ndarray, spec: PoolSpec | None, wins: list[Window], current: Window | None,
                 projector: bool) -> str:
    """x (H, W) with the padding ring (and any ceil_mode overhang) and the current window outlined."""
    h, w = x.shape
    top = min([0] + [int(wd.rows.min()) for wd in wins])
    left = min([0] + [int(wd.cols.min()) for wd in wins])
    bottom = max([h - 1] + [int(wd.rows.max()) for wd in wins])
    right = max([w - 1] + [int(wd.cols.max()) for wd in wins])
    ph, pw = spec.padding if spec else (0, 0)
    ghosts = {}
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            if not (0 <= r < h and 0 <= c < w):
                in_pad = -ph <= r < h + ph and -pw <= c < w + pw
                ghosts[(r, c)] = _pad_label(spec) if in_pad else ""
    grid = Grid(text_grid(x), value_fills(x), top, left, bottom - top + 1, right - left + 1, ghosts)
    if current is not None:
        if spec.dilation == (1, 1):
            grid.boxes.append((int(current.rows[0]), int(current.cols[0]),
                               int(current.rows[-1]), int(current.cols[-1]), False))
        else:
            grid.boxes.append((int(current.rows[0]), int(current.cols[0]),
                               int(current.rows[-1]), int(current.cols[-1]), True))
            grid.taps.extend((int(r), int(c)) for r in current.rows for c in current.cols)
        if current.winner is not None:
            grid.rings.append(current.winner)
    return render(grid, "pool-input", projector)


def output_figure(values: np.ndarray, x: np.ndarray, current: tuple[int, int] | None, projector: bool) -> str:
    """The pooled grid coloured on the input's scale, with the current cell outlined."""
    finite = np.nan_to_num(values, nan=0.0, posinf=float(x.max()), neginf=float(x.min()))
    grid = Grid(text_grid(values), value_fills(finite, min(float(x.min()), float(finite.min())),
                                               max(float(x.max()), float(finite.max()))))
    if current is not None:
        grid.boxes.append((current[0], current[1], current[0], current[1], False))
    return render(grid, "pool-output", projector, max_cell_px=72 if projector else 60)


def coverage_figure(counts: np.ndarray, projector: bool) -> str:
    """How many windows see each input cell; missed cells hatched, every cell numbered."""
    fills = np.where(counts == 0, MISSED, np.where(counts == 1, ONCE, OVERLAP))
    attrs = {(r, c): {"coverage": int(counts[r, c])} for r in range(counts.shape[0]) for c in range(counts.shape[1])}
    grid = Grid(counts.astype(str).astype(object), fills, attrs=attrs, hatch=counts == 0)
    return render(grid, "pool-coverage", projector)


def coverage_legend(projector: bool) -> str:
    """A large HTML legend (scales with the projector font) matching coverage_figure's cues."""
    size = "1.35rem" if projector else "1.1rem"
    items = []
    for label, color, hatched, meaning in COVERAGE_LABELS:
        hatch = ("background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.6) 0 4px,transparent 4px 9px);"
                 if hatched else "")
        ink = "#fff" if color in (MISSED, OVERLAP) else "#000"
        items.append(f'<span style="display:inline-flex;align-items:center;margin:0 1.4em .3em 0">'
                     f'<span data-legend="{label}" style="display:inline-block;min-width:2.2em;height:1.8em;'
                     f'line-height:1.8em;text-align:center;font-weight:800;border:2px solid #000;background:{color};'
                     f'{hatch}color:{ink};margin-right:.45em">{label}</span>{meaning}</span>')
    return f'<div data-testid="pool-coverage-legend" style="font-size:{size};font-weight:600">{"".join(items)}</div>'


def gradient_figure(grad: np.ndarray, cell: tuple[int, int] | None, projector: bool) -> str:
    """Where the upstream gradient lands: magnitude colours, the amount printed in every cell."""
    top = float(grad.max()) if grad.max() > 0 else 1.0
    fills = hex_colors(colorize(grad, SEQUENTIAL_LUT, 0.0, top))
    attrs = {(r, c): {"grad": f"{grad[r, c]:.6g}"} for r in range(grad.shape[0]) for c in range(grad.shape[1])}
    grid = Grid(text_grid(grad), fills, attrs=attrs)
    return render(grid, "pool-gradient", projector)
