"""The Pooling page's grid figures: input with the current window, output, coverage map, gradient map."""

import re

import numpy as np

from components import theme
from components.pooling_colors import contrast_ratio, hex_colors, ink_for, text_grid, value_fills
from components.pooling_grid import Grid, frame_css, frame_delay, render
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


def _window_marks(spec: PoolSpec, wnd: Window) -> dict:
    """Outline for one window (whole box, or dashed box + taps when dilated) and its winner ring."""
    box = (int(wnd.rows[0]), int(wnd.cols[0]), int(wnd.rows[-1]), int(wnd.cols[-1]))
    marks = {"boxes": [(*box, spec.dilation != (1, 1))], "taps": [], "rings": [wnd.winner] if wnd.winner else []}
    if spec.dilation != (1, 1):
        marks["taps"] = [(int(r), int(c)) for r in wnd.rows for c in wnd.cols]
    return marks


def input_figure(x: np.ndarray, spec: PoolSpec | None, wins: list[Window], current: Window | None,
                 play: bool = False, period: float = 0.2) -> str:
    """x (H, W) with the padding ring (and any ceil_mode overhang) and the current window outlined.

    With play=True every window is drawn as one frame of a looping CSS animation starting at `current`.
    """
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
    if play and current is not None:
        grid.frames, grid.first, grid.period = [_window_marks(spec, wd) for wd in wins], wins.index(current), period
    elif current is not None:
        marks = _window_marks(spec, current)
        grid.boxes, grid.taps, grid.rings = marks["boxes"], marks["taps"], marks["rings"]
    window = ", the current pooling window outlined" if current is not None else ""
    return render(grid, "pool-input", f"Input grid, {h} by {w} cells{window}")


def output_figure(values: np.ndarray, x: np.ndarray, current: tuple[int, int] | None,
                  play: bool = False, period: float = 0.2) -> str:
    """The pooled grid coloured on the input's scale, with the current cell outlined (animated when playing)."""
    projector = theme.projector()
    finite = np.nan_to_num(values, nan=0.0, posinf=float(x.max()), neginf=float(x.min()))
    grid = Grid(text_grid(values), value_fills(finite, min(float(x.min()), float(finite.min())),
                                               max(float(x.max()), float(finite.max()))))
    if current is not None:
        if play:
            ow = values.shape[1]
            grid.frames = [{"boxes": [(k // ow, k % ow, k // ow, k % ow, False)]} for k in range(values.size)]
            grid.first, grid.period = current[0] * ow + current[1], period
        else:
            grid.boxes.append((current[0], current[1], current[0], current[1], False))
    label = f"Pooled output grid, {values.shape[0]} by {values.shape[1]} cells"
    return render(grid, "pool-output", label, max_cell_px=72 if projector else 60)


def step_block(input_svg: str, output_svg: str, titles: tuple[str, str], lines: list[str], first: int,
               play: bool, period: float) -> str:
    """Input and output side by side plus the written-out arithmetic, as ONE block so that the three
    CSS animations start together and stay in step. lines: one HTML line per output cell."""
    projector = theme.projector()
    size = 1.25 if projector else 1.1
    if play:
        n = len(lines)
        style = frame_css("pool-arith-f", n, period, "position:absolute;top:0;left:0;")
        arith = style + "".join(f'<div class="pool-arith-f" data-frame="{k}" style="{frame_delay(k, first, n, period)}">'
                                f'{line}</div>' for k, line in enumerate(lines))
    else:
        arith = f'<div data-frame="{first}">{lines[first]}</div>'
    figure = ('<div style="flex:{grow} 1 {basis}px;min-width:0;max-width:100%"><p style="margin:0 0 .3em 0">{title}</p>'
              '{svg}</div>')  # basis: the width at which the figure's numbers are theme-sized, so narrow screens wrap
    basis = [re.search(r'data-min-px="(\d+)"', svg)[1] for svg in (input_svg, output_svg)]
    return (f'<div data-testid="pool-step" style="display:flex;gap:2rem;align-items:flex-start;flex-wrap:wrap">'
            f'{figure.format(grow=3, basis=basis[0], title=titles[0], svg=input_svg)}'
            f'{figure.format(grow=2, basis=basis[1], title=titles[1], svg=output_svg)}'
            f'</div><div data-testid="pool-arith" data-playing="{int(play)}" style="position:relative;min-height:'
            f'{4.2 if projector else 3.4}em;font-size:{size}rem;margin-top:.6em">{arith}</div>')


def coverage_figure(counts: np.ndarray) -> str:
    """How many windows see each input cell; missed cells hatched, every cell numbered."""
    fills = np.where(counts == 0, MISSED, np.where(counts == 1, ONCE, OVERLAP))
    attrs = {(r, c): {"coverage": int(counts[r, c])} for r in range(counts.shape[0]) for c in range(counts.shape[1])}
    grid = Grid(counts.astype(str).astype(object), fills, attrs=attrs, hatch=counts == 0)
    label = (f"Coverage map: {int((counts == 0).sum())} input cells seen by no window, {int((counts == 1).sum())} "
             f"once, {int((counts >= 2).sum())} by two or more")
    return render(grid, "pool-coverage", label)


def coverage_legend() -> str:
    """A large HTML legend (scales with the projector font) matching coverage_figure's cues."""
    projector = theme.projector()
    size = "1.35rem" if projector else "1.1rem"
    items = []
    for label, color, hatched, meaning in COVERAGE_LABELS:
        hatch = ("background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.6) 0 4px,transparent 4px 9px);"
                 if hatched else "")
        ink = ink_for(color)
        text = label
        if hatched or contrast_ratio(ink, color) < (7.0 if projector else 4.5):  # a plate, as on the map
            text = f'<span style="background:#ffffff;color:#000000;border-radius:.2em;padding:0 .2em">{label}</span>'
        items.append(f'<span style="display:inline-flex;align-items:center;margin:0 1.4em .3em 0">'
                     f'<span data-legend="{label}" style="display:inline-block;min-width:2.2em;height:1.8em;'
                     f'line-height:1.8em;text-align:center;font-weight:800;border:2px solid #000;background:{color};'
                     f'{hatch}color:{ink};margin-right:.45em">{text}</span>{meaning}</span>')
    return f'<div data-testid="pool-coverage-legend" style="font-size:{size};font-weight:600">{"".join(items)}</div>'


def gradient_figure(grad: np.ndarray, cell: tuple[int, int] | None) -> str:
    """Where the upstream gradient lands: magnitude colours, the amount printed in every cell."""
    top = float(grad.max()) if grad.max() > 0 else 1.0
    fills = hex_colors(colorize(grad, SEQUENTIAL_LUT, 0.0, top))
    attrs = {(r, c): {"grad": f"{grad[r, c]:.6g}"} for r in range(grad.shape[0]) for c in range(grad.shape[1])}
    grid = Grid(text_grid(grad), fills, attrs=attrs)
    label = f"Gradient map: {int((grad > 0).sum())} of {grad.size} input cells receive gradient"
    return render(grid, "pool-gradient", label)
