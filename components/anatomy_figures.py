"""Figures for the Anatomy page's live training: training curves and kernel evolution.

The depth chart of the stack editor is an SVG (components.anatomy_depth_svg): it is redrawn after every edit.
"""

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from components.theme import CATEGORICAL, DIVERGING_LUT, colorize, font_size, line_width
from components.theme import projector as projector_mode


def png_data_uri(rgb: np.ndarray) -> str:
    """(H, W, 3) uint8 -> "data:image/png;base64,..." for go.Image(source=...)."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def styled_figure(traces: list[dict], layout: dict) -> go.Figure:
    """go.Figure built once from plain dicts with components.theme.style_figure's look already applied.

    Same result as style_figure(go.Figure(traces, layout)), without its update_* calls (about 10 ms a
    figure): these figures are rebuilt every poll while a model trains, beside other sessions' work.
    """
    projector = projector_mode()
    size, width = font_size(), line_width()
    layout = {**layout, "font": dict(size=size, color="#000000" if projector else "#111111"),
              "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
              "margin": layout.get("margin", dict(l=10, r=10, t=10, b=10)),
              "hoverlabel": dict(font_size=size),
              "annotations": [{**a, "font": dict(size=size)} for a in layout.get("annotations", [])]}
    styled = []
    for trace in traces:
        if trace.get("type") == "scatter":
            trace = {**trace, "line": {**trace.get("line", {}), "width": width}}
            if trace.get("mode") in ("markers", "lines+markers"):
                trace["marker"] = {**trace.get("marker", {}), "size": 12 if projector else 7}
        styled.append(trace)
    return go.Figure(styled, layout=layout)


def curves_figure(train: list[tuple], heldout: list[tuple], epoch_marks: list[int]) -> go.Figure:
    """Loss (left) and accuracy (right) against iteration; train and held-out lines; dotted epoch ends.

    train/heldout: [(iteration, loss, accuracy)]. Built from plain dicts (no make_subplots/add_vline):
    it is redrawn every poll while training, so it must stay cheap.
    """
    projector = projector_mode()
    traces = []
    for points, name, color, dash in ((train, "train (recent batches)", CATEGORICAL[0], "solid"),
                                      (heldout, "held-out test digits", CATEGORICAL[3], "dash")):
        its = [p[0] for p in points]
        mode = "lines+markers" if len(points) < 3 else "lines"
        common = dict(type="scatter", x=its, mode=mode, legendgroup=name, name=name)
        traces.append(dict(y=[p[1] for p in points], line=dict(color=color, dash=dash), **common))
        traces.append(dict(y=[p[2] for p in points], xaxis="x2", yaxis="y2", showlegend=False,
                           line=dict(color=color, dash=dash), **common))
    marks = [dict(type="line", x0=it, x1=it, y0=0, y1=1, xref=xref, yref=f"{yref} domain",
                  line=dict(dash="dot", color="#777777", width=1))
             for it in epoch_marks for xref, yref in (("x", "y"), ("x2", "y2"))]
    titles = [dict(text=text, x=x, y=1.0, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
                   showarrow=False) for text, x in (("Loss (lower is better)", 0.225),
                                                     ("Accuracy (higher is better)", 0.775))]
    axis = dict(title=dict(text="iteration (one batch)"), rangemode="tozero")
    return styled_figure(traces, dict(
        xaxis=dict(domain=[0, 0.45], **axis), xaxis2=dict(domain=[0.55, 1], anchor="y2", **axis),
        yaxis=dict(rangemode="tozero"), yaxis2=dict(anchor="x2", range=[0, 1.02], tickformat=".0%"),
        shapes=marks, annotations=titles, height=380 if projector else 320,
        margin=dict(l=10, r=10, t=round(font_size() * 2), b=10),  # room for the two titles
        legend=dict(orientation="h", y=-0.25, x=0)))


def kernel_grid_figure(snapshots: list[tuple[int, np.ndarray]], cell: int = 12, gap: int = 6) -> go.Figure:
    """One row per snapshot (iteration), one column per conv1 kernel (first input channel), zero-centred.

    snapshots: [(iteration, weights (maps, k, k))]; blue = negative, white = 0, red = positive.
    """
    projector = projector_mode()
    maps, k = snapshots[0][1].shape[0], snapshots[0][1].shape[-1]
    size = cell * k
    scale = max(float(np.abs(w).max()) for _, w in snapshots) or 1.0
    height = len(snapshots) * (size + gap) - gap
    width = maps * (size + gap) - gap
    mosaic = np.full((height, width, 3), 255, np.uint8)
    for r, (_, weights) in enumerate(snapshots):
        for c in range(maps):
            big = np.kron(weights[c], np.ones((cell, cell)))
            y, x = r * (size + gap), c * (size + gap)
            mosaic[y:y + big.shape[0], x:x + big.shape[1]] = colorize(big, DIVERGING_LUT, -scale, scale)
    image = dict(type="image", source=png_data_uri(mosaic), hoverinfo="skip")  # PNG: a few kB per poll
    px_per_row = (size + gap) * (1.6 if projector else 1.2)
    return styled_figure([image], dict(
        yaxis=dict(tickvals=[r * (size + gap) + size / 2 for r in range(len(snapshots))],
                   ticktext=[f"iteration {it}" for it, _ in snapshots], showgrid=False),
        xaxis=dict(tickvals=[c * (size + gap) + size / 2 for c in range(maps)],
                   ticktext=[f"k{c + 1}" for c in range(maps)], showgrid=False, side="top"),
        height=int(80 + len(snapshots) * px_per_row), dragmode=False))
