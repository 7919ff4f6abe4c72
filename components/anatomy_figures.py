"""Figures for the Anatomy page: resolution and feature maps vs depth, training curves, kernel evolution."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.theme import CATEGORICAL, DIVERGING_LUT, colorize, style_figure


def depth_figure(labels: list[str], resolution: list[int], maps: list[int], projector: bool) -> go.Figure:
    """Bars: feature maps per layer (right axis); line: spatial resolution in pixels (left axis)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=labels, y=maps, name="feature maps (channels)", marker_color=CATEGORICAL[1],
                         opacity=0.75, text=maps, textposition="outside"), secondary_y=True)
    fig.add_trace(go.Scatter(x=labels, y=resolution, name="resolution (pixels per side)", mode="lines+markers",
                             line_color=CATEGORICAL[0], text=[f"{r}x{r}" for r in resolution],
                             hovertemplate="%{x}: %{text}<extra></extra>"), secondary_y=False)
    fig.update_yaxes(title_text="pixels per side", range=[0, max(resolution) * 1.15], secondary_y=False,
                     color=CATEGORICAL[0])
    fig.update_yaxes(title_text="feature maps", range=[0, max(maps) * 1.25], secondary_y=True, showgrid=False,
                     color="#8a5a00", tickformat="d")
    fig.update_layout(height=360 if projector else 300, legend=dict(orientation="h", y=1.15, x=0),
                      xaxis_title="depth (layer)")
    return style_figure(fig, projector)


def curves_figure(train: list[tuple], heldout: list[tuple], epoch_marks: list[int], projector: bool) -> go.Figure:
    """Loss (left) and accuracy (right) against iteration; train and held-out lines; dotted epoch ends.

    train/heldout: [(iteration, loss, accuracy)].
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Loss (lower is better)", "Accuracy (higher is better)"))
    for points, name, color, dash in ((train, "train (recent batches)", CATEGORICAL[0], "solid"),
                                      (heldout, "held-out test digits", CATEGORICAL[3], "dash")):
        its = [p[0] for p in points]
        mode = "lines+markers" if len(points) < 3 else "lines"
        fig.add_trace(go.Scatter(x=its, y=[p[1] for p in points], name=name, mode=mode, line_color=color,
                                 line_dash=dash, legendgroup=name), row=1, col=1)
        fig.add_trace(go.Scatter(x=its, y=[p[2] for p in points], name=name, mode=mode, line_color=color,
                                 line_dash=dash, legendgroup=name, showlegend=False), row=1, col=2)
    for it in epoch_marks:
        for col in (1, 2):
            fig.add_vline(x=it, line_dash="dot", line_color="#777777", row=1, col=col)
    fig.update_xaxes(title_text="iteration (one batch)", rangemode="tozero")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_layout(height=380 if projector else 320, legend=dict(orientation="h", y=-0.25, x=0),
                      margin=dict(t=40))
    return style_figure(fig, projector)


def kernel_grid_figure(snapshots: list[tuple[int, np.ndarray]], projector: bool, cell: int = 12,
                       gap: int = 6) -> go.Figure:
    """One row per snapshot (iteration), one column per conv1 kernel (first input channel), zero-centred.

    snapshots: [(iteration, weights (maps, k, k))]; blue = negative, white = 0, red = positive.
    """
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
    fig = go.Figure(go.Image(z=mosaic, hoverinfo="skip"))
    fig.update_yaxes(tickvals=[r * (size + gap) + size / 2 for r in range(len(snapshots))],
                     ticktext=[f"iteration {it}" for it, _ in snapshots], showgrid=False)
    fig.update_xaxes(tickvals=[c * (size + gap) + size / 2 for c in range(maps)],
                     ticktext=[f"k{c + 1}" for c in range(maps)], showgrid=False, side="top")
    px_per_row = (size + gap) * (1.6 if projector else 1.2)
    fig.update_layout(height=int(80 + len(snapshots) * px_per_row), dragmode=False)
    return style_figure(fig, projector)
